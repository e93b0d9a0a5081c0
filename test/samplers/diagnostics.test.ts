// Diagnostics against posterior 1.4 (fixtures from test/reference/posterior.R), and
// the R-compatible basic statistics.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  diagnosticWarnings,
  ebfmi,
  essBasic,
  essBulk,
  essMean,
  essQuantile,
  essSd,
  essTail,
  mad,
  mcseMean,
  mcseQuantile,
  mcseSd,
  median,
  quantile,
  rankAverage,
  rhat,
  rhatBasic,
  summarizeDraws,
  type Chains,
  type SamplerParams,
} from "../../samplers/index.js";
import { ArgumentError, DataError } from "../../src/errors.js";
import { autocovarianceAt, autocovarianceFft } from "../../samplers/diagnostics/autocovariance.js";

interface Variable {
  name: string;
  chains: number[][];
  expected: Record<string, number | null>;
}
interface Dataset {
  name: string;
  niter: number;
  nchains: number;
  variables: Variable[];
}
const fixture = JSON.parse(readFileSync(new URL("../reference/posterior.json", import.meta.url), "utf8")) as {
  posterior_version: string;
  datasets: Dataset[];
};

/** ≤ 1e-6 relative (the project's requirement); an absolute floor of 1e-300 only for exact zeros. */
function expectClose(actual: number, expected: number | null, what: string): void {
  if (expected === null) {
    expect(Number.isNaN(actual), `${what}: expected NA, got ${actual}`).toBe(true);
    return;
  }
  const err = Math.abs(actual - expected);
  expect(err <= 1e-6 * Math.abs(expected) + 1e-300, `${what}: got ${actual}, R ${expected} (rel ${err / Math.abs(expected)})`).toBe(true);
}

const measures: Record<string, (c: Chains) => number> = {
  rhat,
  ess_bulk: essBulk,
  ess_tail: essTail,
  mcse_mean: mcseMean,
  mcse_q5: (c) => mcseQuantile(c, 0.05),
  mcse_q95: (c) => mcseQuantile(c, 0.95),
  ess_mean: essMean,
  ess_sd: essSd,
  ess_q5: (c) => essQuantile(c, 0.05),
  ess_q100: (c) => essQuantile(c, 1),
  rhat_basic: (c) => rhatBasic(c),
  ess_basic: (c) => essBasic(c),
  mcse_sd: mcseSd,
};

describe("diagnostics agree with posterior " + fixture.posterior_version, () => {
  for (const ds of fixture.datasets) {
    describe(ds.name, () => {
      for (const v of ds.variables) {
        const chains = v.chains.map((c) => Float64Array.from(c));
        it(`${v.name}: convergence measures`, () => {
          for (const [key, f] of Object.entries(measures)) expectClose(f(chains), v.expected[key], `${ds.name}/${v.name}/${key}`);
        });
      }
      it("summarizeDraws rows", () => {
        const dim = ds.variables.length;
        const draws = Array.from({ length: ds.nchains }, (_, k) => {
          const a = new Float64Array(ds.niter * dim);
          ds.variables.forEach((v, j) => v.chains[k].forEach((x, i) => (a[i * dim + j] = x)));
          return a;
        });
        const rows = summarizeDraws(
          draws,
          ds.variables.map((v) => v.name),
        );
        rows.forEach((row, j) => {
          const e = ds.variables[j].expected;
          expect(row.name).toBe(ds.variables[j].name);
          for (const key of ["mean", "median", "sd", "mad", "q5", "q95", "mcse_mean", "ess_bulk", "ess_tail", "rhat"] as const) {
            expectClose(row[key], e[key], `${ds.name}/${row.name}/${key}`);
          }
        });
      });
    });
  }
});

describe("R-compatible basic statistics", () => {
  it("quantile type 7, median, mad and average ranks on small cases", () => {
    const x = Float64Array.of(3, 1, 4, 1, 5, 9, 2, 6);
    // R: quantile(c(3,1,4,1,5,9,2,6), c(.05,.5,.95)) = 1.00 3.50 7.95; mad = 1.4826 * 2 = 2.9652
    expect(quantile(x, 0.05)).toBeCloseTo(1, 14);
    expect(quantile(x, 0.5)).toBeCloseTo(3.5, 14);
    expect(quantile(x, 0.95)).toBeCloseTo(7.95, 14);
    expect(median(x)).toBe(3.5);
    expect(mad(x)).toBeCloseTo(2.9652, 14);
    expect(Array.from(rankAverage(x))).toEqual([4, 1.5, 5, 1.5, 6, 8, 3, 7]);
  });
  it("ranks are a permutation-invariant average (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 40 }), (xs) => {
        const r = rankAverage(Float64Array.from(xs));
        const n = xs.length;
        const sum = r.reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo((n * (n + 1)) / 2, 9);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (xs[i] < xs[j]) expect(r[i]).toBeLessThan(r[j]);
      }),
    );
  });
});

describe("autocovariance", () => {
  it("FFT and direct sums agree at every lag (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 300 }), (xs) => {
        const y = Float64Array.from(xs);
        const fft = autocovarianceFft(y);
        const scale = autocovarianceAt(y, 0) + 1e-300;
        for (let k = 0; k < y.length; k++) expect(Math.abs(fft[k] - autocovarianceAt(y, k))).toBeLessThanOrEqual(1e-12 * scale);
      }),
      { numRuns: 100, seed: 5 },
    );
  });
  it("the AR(1) fixture needs lags beyond the direct-sum range (so the FFT path is checked against R)", () => {
    const ar1 = fixture.datasets[0].variables.find((v) => v.name === "ar1")!;
    expect(ar1.expected.ess_mean as number).toBeLessThan(1600 / 20); // τ > 20 ⇒ Geyer's sequence runs past lag 64
  });
});

describe("HMC diagnostics and warnings", () => {
  it("E-BFMI is Σ(ΔE)²/N / var(E)", () => {
    // (1 + 1 + 1)/4 / var(1,2,1,2) = 0.75 / (1/3)
    expect(ebfmi(Float64Array.of(1, 2, 1, 2))).toBeCloseTo(2.25, 14);
    expect(() => ebfmi(Float64Array.of(1))).toThrow(ArgumentError);
  });

  const good = (n: number): SamplerParams => ({
    stepsize__: new Float64Array(n).fill(0.5),
    treedepth__: new Float64Array(n).fill(3),
    n_leapfrog__: new Float64Array(n).fill(7),
    divergent__: new Float64Array(n),
    energy__: Float64Array.from({ length: n }, (_, i) => Math.sin(i * 2.1) * 3),
    accept_stat__: new Float64Array(n).fill(0.8),
  });

  it("diagnosticWarnings is quiet when all is well and names each problem", () => {
    const row = { name: "b", mean: 0, median: 0, sd: 1, mad: 1, q5: -1.6, q95: 1.6, mcse_mean: 0.02, ess_bulk: 2000, ess_tail: 1800, rhat: 1.001 };
    expect(diagnosticWarnings([row], [good(100)])).toEqual([]);
    const bad = good(100);
    bad.divergent__[3] = 1;
    bad.treedepth__[5] = 10;
    bad.energy__ = Float64Array.from({ length: 100 }, (_, i) => i); // smooth drift: E-BFMI ≈ 0
    const w = diagnosticWarnings([{ ...row, rhat: 1.05, ess_bulk: 100, ess_tail: 50 }], [bad]);
    expect(w.some((s) => s.includes("R-hat") && s.includes("b (1.050)"))).toBe(true);
    expect(w.some((s) => s.startsWith("bulk ESS"))).toBe(true);
    expect(w.some((s) => s.startsWith("tail ESS"))).toBe(true);
    expect(w.some((s) => s.startsWith("1 divergent"))).toBe(true);
    expect(w.some((s) => s.includes("maximum tree depth"))).toBe(true);
    expect(w.some((s) => s.includes("E-BFMI"))).toBe(true);
  });

  it("bad input throws typed errors naming the chain and draw", () => {
    expect(() => rhat([Float64Array.of(1, 2, 3), Float64Array.of(1, 2)])).toThrow(/chain 2 has 2 draws/);
    expect(() => essBulk([Float64Array.of(1, NaN, 3, 4)])).toThrow(DataError);
    expect(() => essBulk([Float64Array.of(1, NaN, 3, 4)])).toThrow(/draw 2 of chain 1/);
    expect(() => rhat([])).toThrow(ArgumentError);
    expect(() => essQuantile([Float64Array.of(1, 2, 3, 4)], 1.5)).toThrow(/prob/);
  });
});

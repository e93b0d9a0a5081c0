// Stan's warmup pieces: schedule, dual averaging, Welford estimators, step-size heuristic.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  buildNutsKernel,
  buildSchedule,
  createRng,
  dualAveraging,
  findReasonableStepSize,
  unitMetric,
  welford,
  welfordCovariance,
  windowAdaptation,
} from "../../samplers/index.js";
import { ArgumentError, NumericalError } from "../../src/errors.js";
import { normal } from "./targets.js";
import { readFileSync } from "node:fs";

const stanWindows = JSON.parse(readFileSync(new URL("../reference/stan-windows.json", import.meta.url), "utf8")) as {
  cases: { warmup: number; windowEnds: number[] }[];
};

const ends = (w: number) => buildSchedule(w).windows.map((x) => [x.start, x.end]);

describe("buildSchedule (Stan's windowed adaptation)", () => {
  // Expected windows follow Stan's Reference Manual (75 / 25, 50, 100, 200, 500 / 50 for
  // 1000 warmup) and windowed_adaptation.hpp for short warmups: < 20 → no metric
  // adaptation; init + window + term > warmup → ⌊15%⌋ / rest / ⌊10%⌋ with a warning.
  it("warmup 1000: 75 | 25 50 100 200 500 | 50", () => {
    expect(ends(1000)).toEqual([
      [75, 99],
      [100, 149],
      [150, 249],
      [250, 449],
      [450, 949],
    ]);
    expect(buildSchedule(1000).warning).toBeNull();
  });
  it("warmup 150 fits exactly one 25-window stretched to 75..99", () => {
    expect(ends(150)).toEqual([[75, 99]]);
    expect(buildSchedule(150).warning).toBeNull();
  });
  it("warmup 100 falls back to 15 / 75 / 10 with Stan's warning", () => {
    const s = buildSchedule(100);
    expect([s.initBuffer, s.baseWindow, s.termBuffer]).toEqual([15, 75, 10]);
    expect(ends(100)).toEqual([[15, 89]]);
    expect(s.warning).toMatch(/15%\/75%\/10%/);
  });
  it("warmup 20 falls back to 3 / 15 / 2", () => {
    const s = buildSchedule(20);
    expect([s.initBuffer, s.baseWindow, s.termBuffer]).toEqual([3, 15, 2]);
    expect(ends(20)).toEqual([[3, 17]]);
  });
  it("warmup 10 (< 20): no metric estimation", () => {
    expect(ends(10)).toEqual([]);
    expect(buildSchedule(10).warning).toMatch(/< 20/);
    expect(buildSchedule(0).warning).toBeNull();
  });
  it("window ends agree with a real Stan run (test/reference/stan-windows.R)", () => {
    expect(stanWindows.cases.length).toBeGreaterThan(5);
    for (const { warmup, windowEnds } of stanWindows.cases) {
      const s = buildSchedule(warmup, { emulateStanFallback: true });
      expect(s.windows.map((w) => w.end), `warmup ${warmup}`).toEqual(windowEnds);
      // Without emulation only the fallback cases (150 > warmup ≥ 20) differ: they get the announced window.
      if (warmup >= 150 || warmup < 20) expect(buildSchedule(warmup).windows).toEqual(s.windows);
      else expect(buildSchedule(warmup).windows.length).toBe(1);
    }
  });
  it("windows tile the slow phase for any warmup and buffers (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 100 }),
        (w, init, term, base) => {
          const s = buildSchedule(w, { initBuffer: init, termBuffer: term, baseWindow: base });
          if (w < 20) {
            expect(s.windows).toEqual([]);
            return;
          }
          if (s.windows.length === 0) return;
          expect(s.windows[0].start).toBe(s.initBuffer);
          expect(s.windows[s.windows.length - 1].end).toBe(w - s.termBuffer - 1);
          const len = (k: number) => s.windows[k].end - s.windows[k].start + 1;
          expect(len(0)).toBeGreaterThanOrEqual(s.baseWindow);
          for (let i = 1; i < s.windows.length; i++) {
            expect(s.windows[i].start).toBe(s.windows[i - 1].end + 1);
            // Windows double; only the last is stretched (or pulled back) to the end of the slow phase.
            if (i < s.windows.length - 1) expect(len(i)).toBe(2 * len(i - 1));
          }
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });
  it("rejects bad counts", () => {
    expect(() => buildSchedule(-1)).toThrow(/numWarmup/);
    expect(() => buildSchedule(100, { initBuffer: 1.5 })).toThrow(ArgumentError);
  });
});

describe("dual averaging", () => {
  it("first update follows Hoffman & Gelman eq. (6)", () => {
    const da = dualAveraging();
    const s = da.update(da.init(1), 0.6);
    // s̄ = (0.8 − 0.6)/11, x = log 10 − s̄/0.05, x̄ = x (weight 1^{−0.75} = 1)
    const x = Math.log(10) - 0.2 / 11 / 0.05;
    expect(s.logStepSize).toBeCloseTo(x, 14);
    expect(s.logStepSizeAvg).toBeCloseTo(x, 14);
    expect(da.final(s)).toBeCloseTo(Math.exp(x), 12);
  });
  it("converges to the step size whose acceptance is the target", () => {
    // A smooth acceptance curve a(ε) = 1/(1 + ε²): a = δ at ε* = √(1/δ − 1).
    for (const delta of [0.6, 0.8, 0.95]) {
      const logError = (iterations: number) => {
        const da = dualAveraging({ targetAccept: delta });
        let s = da.init(1);
        for (let t = 0; t < iterations; t++) {
          const eps = Math.exp(s.logStepSize);
          s = da.update(s, 1 / (1 + eps * eps));
        }
        return Math.abs(Math.log(da.final(s)) - 0.5 * Math.log(1 / delta - 1));
      };
      const early = logError(1000);
      const late = logError(20000);
      expect(late).toBeLessThan(0.01);
      expect(late).toBeLessThan(early / 3); // x̄ keeps converging (≈ t^{-1/2})
    }
  });
  it("validates its options", () => {
    expect(() => dualAveraging({ targetAccept: 1 })).toThrow(/targetAccept/);
    expect(() => dualAveraging({ kappa: 0 })).toThrow(/kappa/);
  });
});

describe("Welford estimators with Stan's regularisation", () => {
  const xs = [
    [1, 2],
    [2, 0],
    [4, 1],
    [3, 5],
  ];
  it("diagonal: (n/(n+5))·s² + 1e-3·5/(n+5)", () => {
    const w = welford(2);
    const s = w.init();
    for (const x of xs) w.update(s, Float64Array.from(x));
    const v = w.final(s);
    // sample variances: x₁ = 1,2,4,3 → 5/3; x₂ = 2,0,1,5 → 14/3
    expect(v[0]).toBeCloseTo((4 / 9) * (5 / 3) + 1e-3 * (5 / 9), 14);
    expect(v[1]).toBeCloseTo((4 / 9) * (14 / 3) + 1e-3 * (5 / 9), 14);
  });
  it("dense: (n/(n+5))·S + 1e-3·5/(n+5)·I", () => {
    const w = welfordCovariance(2);
    const s = w.init();
    for (const x of xs) w.update(s, Float64Array.from(x));
    const c = w.final(s);
    // covariance of (1,2,4,3) and (2,0,1,5): Σ(x−2.5)(y−2)/3 = (−1.5·0 + −0.5·−2 + 1.5·−1 + 0.5·3)/3 = 1/3
    expect(c[1]).toBeCloseTo((4 / 9) * (1 / 3), 14);
    expect(c[2]).toBeCloseTo(c[1], 15);
    expect(c[0]).toBeCloseTo((4 / 9) * (5 / 3) + 1e-3 * (5 / 9), 14);
  });
  it("agrees with two-pass formulas on random data (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: -1e3, max: 1e3, noNaN: true })), { minLength: 2, maxLength: 50 }), (rows) => {
        const w = welfordCovariance(2);
        const s = w.init();
        for (const r of rows) w.update(s, Float64Array.from(r));
        const n = rows.length;
        const m0 = rows.reduce((a, r) => a + r[0], 0) / n;
        const m1 = rows.reduce((a, r) => a + r[1], 0) / n;
        const c01 = rows.reduce((a, r) => a + (r[0] - m0) * (r[1] - m1), 0) / (n - 1);
        const c = w.final(s);
        expect(Math.abs(c[1] - (n / (n + 5)) * c01)).toBeLessThan(1e-9 * (1 + Math.abs(c01)) * 1e3);
      }),
      { numRuns: 100, seed: 9 },
    );
  });
  it("needs two draws", () => {
    const w = welford(1);
    const s = w.init();
    w.update(s, Float64Array.of(1));
    expect(() => w.final(s)).toThrow(NumericalError);
  });
});

describe("step-size heuristic and window adaptation", () => {
  it("init_stepsize returns a power-of-two multiple whose one-step acceptance crosses 0.8", () => {
    const target = normal({ dim: 50 });
    const kernel = buildNutsKernel();
    const state = kernel.init(new Float64Array(50).fill(0.5), target);
    const eps = findReasonableStepSize(createRng(4), state, target, unitMetric(50), 1);
    expect(Math.log2(eps)).toBe(Math.round(Math.log2(eps)));
    expect(eps).toBeLessThan(1);
    expect(eps).toBeGreaterThan(0.01);
  });
  it("throws on an improper (flat) target", () => {
    const flat = { dim: 1, logDensityGrad: (_x: Float64Array, g: Float64Array) => ((g[0] = 0), 0) };
    const state = buildNutsKernel().init(Float64Array.of(0), flat);
    expect(() => findReasonableStepSize(createRng(1), state, flat, unitMetric(1), 1)).toThrow(/improper/);
  });
  it("learns the variances of an anisotropic Gaussian and reaches the target acceptance", () => {
    const sds = [0.1, 1, 10];
    const target = normal({ dim: 3, sds });
    const kernel = buildNutsKernel();
    const rng = createRng(8);
    const wa = windowAdaptation(kernel, 3, { numWarmup: 1000, targetAccept: 0.8 });
    const warm = wa.run(rng, kernel.init(Float64Array.of(0.1, 0.1, 0.1), target), target);
    // The last window has 500 draws: variance estimates within ~±30% (loose: ESS of warmup draws is lower).
    sds.forEach((s, i) => expect(warm.invMetric[i] / (s * s)).toBeGreaterThan(0.6));
    sds.forEach((s, i) => expect(warm.invMetric[i] / (s * s)).toBeLessThan(1.5));
    let state = warm.state;
    let acc = 0;
    const n = 2000;
    for (let i = 0; i < n; i++) {
      const out = kernel.step(rng, state, target, { stepSize: warm.stepSize, invMetric: warm.invMetric });
      acc += out.info.acceptProb;
      state = out.state;
    }
    // Dual averaging aims at 0.8; exp(x̄) typically lands a little above it.
    expect(acc / n).toBeGreaterThan(0.75);
    expect(acc / n).toBeLessThan(0.93);
  });
});

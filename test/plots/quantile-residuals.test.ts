/**
 * Randomized quantile residuals against R (test/reference/quantile-residuals.R): the CDF
 * bounds [F(y⁻), F(y)] of the binomial (with trials and 0/1), Poisson and negative binomial
 * fits as statmod computes them before its runif, at 1e-6 relative (the fitted means agree
 * with R to ~1e-8 relative); statmod::qresid of gaussian and Gamma fits (deterministic) at
 * 1e-6. The randomized residual itself lies in [Φ⁻¹(F(y⁻)), Φ⁻¹(F(y))], repeats with its seed,
 * and is N(0, 1) when the data come from the fitted model (a seeded simulation, z-tests).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { glm } from "../../models/glm.js";
import { readCsv } from "../../src/data/index.js";
import { quantileBounds, quantileResiduals, pbinom, ppois, pnbinom } from "../../src/diagnostics/quantile-residuals.js";
import { ArgumentError } from "../../src/errors.js";
import { uniformStream } from "../../src/util/rng.js";

const ref = JSON.parse(readFileSync("test/reference/quantile-residuals.json", "utf8"));

function closeArray(actual: ArrayLike<number>, expected: readonly number[], rel = 1e-6, abs = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    expect(Math.abs(actual[i]! - e), `element ${i + 1}: ${actual[i]} vs ${e}`).toBeLessThanOrEqual(rel * Math.abs(e) + abs);
  }
}

const fits = {
  budworm: () => glm({ formula: "cbind(numdead, numalive) ~ ldose * sex", data: readCsv("data/budworm.csv"), family: "binomial" }).fit().ml,
  birthwt: () => glm({ formula: "low ~ age + lwt + race + smoke + ptl + ht + ui", data: readCsv("data/birthwt.csv"), family: "binomial" }).fit().ml,
  dobson: () => glm({ formula: "counts ~ factor(outcome) + factor(treatment)", data: readCsv("data/dobson.csv"), family: "poisson" }).fit().ml,
  quine: () => glm({ formula: "Days ~ Eth + Sex + Age + Lrn", data: readCsv("data/quine.csv"), family: "negative_binomial" }).fit().ml,
};

describe("CDF bounds vs R (statmod's qres.binom, qres.pois, qres.nbinom)", () => {
  for (const [id, make] of Object.entries(fits)) {
    it(id, () => {
      const fit = make();
      const b = quantileBounds(fit);
      expect(b.discrete).toBe(true);
      closeArray(b.lower, ref[id].lower);
      closeArray(b.upper, ref[id].upper);
      const r = quantileResiduals(fit, { seed: 7 });
      for (let i = 0; i < r.length; i++) {
        const u = normalCdf(r[i]!, 0, 1);
        expect(u).toBeGreaterThanOrEqual(b.lower[i]! - 1e-12);
        expect(u).toBeLessThanOrEqual(b.upper[i]! + 1e-12);
      }
      expect(Array.from(quantileResiduals(fit, { seed: 7 }))).toEqual(Array.from(r));
      expect(Array.from(quantileResiduals(fit, { seed: 8 }))).not.toEqual(Array.from(r));
    });
  }
});

describe("statmod::qresid of continuous families", () => {
  it("gaussian (cars)", () => {
    const fit = glm({ formula: "dist ~ speed", data: readCsv("data/cars.csv"), family: "gaussian" }).fit().ml;
    closeArray(quantileResiduals(fit), ref.cars.residuals);
  });
  it("Gamma (clotting)", () => {
    const fit = glm({ formula: "lot1 ~ log(u)", data: readCsv("data/clotting.csv"), family: "Gamma" }).fit().ml;
    closeArray(quantileResiduals(fit), ref.clotting.residuals);
  });
});

describe("CDFs", () => {
  it("equal sums of the probability mass", () => {
    const choose = (n: number, k: number) => { let c = 1; for (let j = 1; j <= k; j++) c = (c * (n - k + j)) / j; return c; };
    let s = 0;
    for (let k = 0; k <= 6; k++) {
      s += choose(12, k) * 0.3 ** k * 0.7 ** (12 - k);
      expect(pbinom(k, 12, 0.3)).toBeCloseTo(s, 13);
    }
    s = 0;
    let t = Math.exp(-2.5);
    for (let k = 0; k <= 8; k++) {
      s += t;
      expect(ppois(k, 2.5)).toBeCloseTo(s, 13);
      t *= 2.5 / (k + 1);
    }
    // NB(θ = 2, μ = 3): P(0) = (θ/(θ+μ))^θ, P(k+1) = P(k)·(k+θ)/(k+1)·μ/(θ+μ)
    s = 0;
    t = (2 / 5) ** 2;
    for (let k = 0; k <= 8; k++) {
      s += t;
      expect(pnbinom(k, 2, 3)).toBeCloseTo(s, 13);
      t *= ((k + 2) / (k + 1)) * (3 / 5);
    }
    expect(pbinom(-1, 5, 0.5)).toBe(0);
    expect(pbinom(5, 5, 0.5)).toBe(1);
    expect(ppois(-1, 1)).toBe(0);
  });
});

describe("N(0, 1) under the fitted model", () => {
  it("Poisson data simulated from the fitted means", () => {
    // y_i ~ Poisson(μ_i) from a seeded stream (inversion), then the residuals at the true μ.
    const n = 4000;
    const u = uniformStream(11);
    const x = Float64Array.from({ length: n }, (_, i) => (i % 40) / 10);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const mu = Math.exp(0.2 + 0.5 * x[i]!);
      let k = 0;
      const v = u();
      while (ppois(k, mu) < v) k++;
      y[i] = k;
    }
    const fit = glm({ design: { X: Float64Array.from({ length: 2 * n }, (_, j) => (j % 2 === 0 ? 1 : x[j >> 1]!)), y, columnNames: ["(Intercept)", "x"] }, family: "poisson" }).fit().ml;
    const r = quantileResiduals(fit, { seed: 3 });
    const mean = r.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    expect(Math.abs(mean) / (1 / Math.sqrt(n))).toBeLessThan(4); // z of the mean
    expect(Math.abs(sd - 1) / (1 / Math.sqrt(2 * n))).toBeLessThan(4); // z of the sd (≈ N(1, 1/2n))
  });
});

describe("bad input", () => {
  it("refuses families without a CDF here", () => {
    const fit = glm({ formula: "lot1 ~ log(u)", data: readCsv("data/clotting.csv"), family: "inverse.gaussian" }).fit().ml;
    expect(() => quantileResiduals(fit)).toThrow(ArgumentError);
    expect(() => quantileResiduals(fits.birthwt(), { seed: 0 })).toThrow(ArgumentError);
  });
});

/**
 * Penalised (Firth/Jeffreys) profile intervals, the Laplace approximation at the MAP
 * and posterior intervals from draws.
 *
 * References (test/reference/intervals.R):
 * - penalised profile: an independent optimiser in R (optim BFGS + Newton polish of
 *   ℓ + ½log|I| with each βⱼ held, uniroot on 2(max − profile) = χ²₁). The issue asks
 *   for ≤ 1e-4; both sides solve to ~1e-11, so 1e-7 (relative to max(|b|, 1)) is used.
 * - Laplace: the exact posterior mode found in R by optim + Newton with the analytic
 *   Hessian; intervals for θ, exp(β), the aux parameter and predictions; ≤ 1e-6 relative.
 * Monte Carlo checks use fixed seeds and tolerances of 4 Monte Carlo standard errors.
 */
import { describe, it, expect } from "vitest";
import { fixture, within } from "./fixture.js";
import { priorsOf } from "../fit/map-fixture.js";
import { glm } from "../../models/glm.js";
import { readCsv } from "../../src/data/index.js";
import { fitBiasReduced } from "../../src/fit/firth.js";
import { fitMap, type MapFit } from "../../src/fit/map.js";
import { penalizedProfileIntervals, penalizedMaximum } from "../../src/intervals/penalized-profile.js";
import { laplaceApproximation, laplaceDraws, laplaceIntervals, laplacePredictions } from "../../src/intervals/laplace.js";
import {
  equalTailedInterval, highestDensityInterval, posteriorIntervals, quantileSorted,
} from "../../src/intervals/posterior-intervals.js";
import { profileIntervals } from "../../src/intervals/profile.js";
import { fitMl } from "../../src/fit/ml-fit.js";
import { EXP_TRANSFORM } from "../../src/intervals/transform.js";
import { ArgumentError, DataError, PriorError } from "../../src/errors.js";
import type { GlmProblem } from "../../src/fit/ml-fit.js";

const problemOf = (c: { formula: string; data: string; family: string }): GlmProblem =>
  glm({ formula: c.formula, data: readCsv(c.data), family: c.family }).resolved.problem;

describe("penalised profile likelihood (Firth / logistf) against an independent R optimiser", () => {
  for (const c of fixture.firth_profile) {
    const problem = problemOf(c);
    const fit = fitBiasReduced(problem, { type: "MPL_Jeffreys" });
    it(`${c.id}: the maximum of ℓ + ½log|I| is brglm2's MPL_Jeffreys estimate`, () => {
      const top = penalizedMaximum(problem, fit.coef);
      top.theta.forEach((v, j) => expect(within(v, c.maximum[j]!, 1e-7, 1)).toBe(true));
      expect(within(top.value, c.penalised_loglik, 1e-10, 1)).toBe(true);
    });
    for (const level of [0.95, 0.9] as const) {
      it(`${c.id}: bounds at level ${level}`, () => {
        const set = penalizedProfileIntervals(fit, { level });
        expect(set.method).toBe("firth-profile");
        set.rows.forEach((r, j) => {
          const ref = c.coefficients[j]!;
          const [lo, hi] = level === 0.95 ? ref["bounds_0.95"] : ref["bounds_0.9"];
          expect(r.name).toBe(ref.name);
          expect(within(r.lower, lo!, 1e-7, 1), `${r.name} lower ${r.lower} vs ${lo}`).toBe(true);
          expect(within(r.upper, hi!, 1e-7, 1), `${r.name} upper ${r.upper} vs ${hi}`).toBe(true);
        });
      });
    }
  }
  it("is finite on the endometrial data, where the ML profile of NV is not", () => {
    const c = fixture.firth_profile.find((x) => x.id === "endometrial_logit")!;
    const problem = problemOf(c);
    const pen = penalizedProfileIntervals(fitBiasReduced(problem, { type: "MPL_Jeffreys" }), { which: ["NV"] });
    expect(Number.isFinite(pen.rows[0]!.upper)).toBe(true);
    expect(profileIntervals(fitMl(problem), { which: ["NV"] }).rows[0]!.upper).toBe(Infinity);
  });
  it("odds-ratio scale: exp of the bounds, solved on that scale", () => {
    const c = fixture.firth_profile.find((x) => x.id === "endometrial_logit")!;
    const fit = fitBiasReduced(problemOf(c), { type: "MPL_Jeffreys" });
    const set = penalizedProfileIntervals(fit, { transform: EXP_TRANSFORM });
    set.rows.forEach((r, j) => {
      const [lo, hi] = c.coefficients[j]!["bounds_0.95"];
      expect(within(r.lower, Math.exp(lo!), 1e-7, 0)).toBe(true);
      expect(within(r.upper, Math.exp(hi!), 1e-7, 0)).toBe(true);
    });
  });
  it("the negative binomial has no closed-form Jeffreys penalty and is refused", () => {
    const problem = glm({ formula: "Days ~ Eth + Sex", data: readCsv("data/quine.csv"), family: "negative_binomial", theta: 1.5 }).resolved.problem;
    const fit = fitBiasReduced(problem, { type: "MPL_Jeffreys" });
    expect(() => penalizedProfileIntervals(fit)).toThrow(PriorError);
  });
});

describe("Laplace approximation at the MAP against R", () => {
  for (const c of fixture.laplace) {
    const problem = problemOf(c);
    const fit = fitMap(problem, priorsOf(c.priors));
    const p = problem.p;
    it(`${c.id}: mode, covariance`, () => {
      expect(fit.converged).toBe(true);
      const approx = laplaceApproximation(fit);
      expect(approx.dim).toBe(c.mode.length);
      approx.mean.forEach((v, k) => expect(within(v, c.mode[k]!, 1e-6, c.se[k]!)).toBe(true));
      approx.covariance.forEach((v, k) => {
        const a = Math.floor(k / approx.dim);
        const b = k % approx.dim;
        expect(within(v, c.covariance[k]!, 1e-6, c.se[a]! * c.se[b]!)).toBe(true);
      });
    });
    for (let L = 0; L < c.intervals.length; L++) {
      const ref = c.intervals[L]!;
      it(`${c.id}: intervals at level ${ref.level} (coefficients, exp, aux, predictions)`, () => {
        const set = laplaceIntervals(fit, { level: ref.level });
        set.rows.slice(0, p).forEach((r, j) => {
          expect(within(r.lower, ref.theta_lower[j]!, 1e-6, c.se[j]!)).toBe(true);
          expect(within(r.upper, ref.theta_upper[j]!, 1e-6, c.se[j]!)).toBe(true);
        });
        if (c.family === "gaussian") {
          const aux = set.rows[p]!;
          expect(aux.name).toBe("sigma");
          expect(within(aux.lower, ref.aux_lower!, 1e-6, 0)).toBe(true);
          expect(within(aux.upper, ref.aux_upper!, 1e-6, 0)).toBe(true);
        }
        const ex = laplaceIntervals(fit, { level: ref.level, exponentiate: true });
        const dl = laplaceIntervals(fit, { level: ref.level, exponentiate: true, method: "delta" });
        for (let j = 0; j < p; j++) {
          expect(within(ex.rows[j]!.lower, ref.exp_lower[j]!, 1e-6, 0)).toBe(true);
          expect(within(ex.rows[j]!.upper, ref.exp_upper[j]!, 1e-6, 0)).toBe(true);
          const scale = Math.exp(c.mode[j]!) * c.se[j]!;
          expect(within(dl.rows[j]!.lower, ref.exp_delta_lower[j]!, 1e-6, scale)).toBe(true);
          expect(within(dl.rows[j]!.upper, ref.exp_delta_upper[j]!, 1e-6, scale)).toBe(true);
        }
        const rowIdx = ref.pred.rows;
        const X = new Float64Array(rowIdx.length * p);
        rowIdx.forEach((i, k) => X.set(problem.X.subarray(i * p, (i + 1) * p), k * p));
        const offset = problem.offset ? Float64Array.from(rowIdx, (i) => problem.offset![i]!) : null;
        const rows = { X, n: rowIdx.length, offset };
        const link = laplacePredictions(fit, rows, { level: ref.level, type: "link" });
        const tr = laplacePredictions(fit, rows, { level: ref.level, type: "response", method: "transform" });
        const de = laplacePredictions(fit, rows, { level: ref.level, type: "response", method: "delta" });
        rowIdx.forEach((_, k) => {
          const s = ref.pred.se_eta[k]!;
          expect(within(link.fit[k]!, ref.pred.eta[k]!, 1e-6, s)).toBe(true);
          expect(within(link.se[k]!, s, 1e-6, 0)).toBe(true);
          expect(within(link.lower[k]!, ref.pred.link_lower[k]!, 1e-6, s)).toBe(true);
          expect(within(link.upper[k]!, ref.pred.link_upper[k]!, 1e-6, s)).toBe(true);
          expect(within(tr.fit[k]!, ref.pred.mu[k]!, 1e-6, 0)).toBe(true);
          expect(within(tr.lower[k]!, ref.pred.response_lower[k]!, 1e-6, 0)).toBe(true);
          expect(within(tr.upper[k]!, ref.pred.response_upper[k]!, 1e-6, 0)).toBe(true);
          expect(within(de.lower[k]!, ref.pred.delta_lower[k]!, 1e-6, de.se[k]!)).toBe(true);
          expect(within(de.upper[k]!, ref.pred.delta_upper[k]!, 1e-6, de.se[k]!)).toBe(true);
        });
      });
    }
  }

  const c0 = fixture.laplace[0]!;
  const problem0 = problemOf(c0);
  const fit0: MapFit = fitMap(problem0, priorsOf(c0.priors));

  it("draws have the mode as mean and Σ as covariance (within 4 Monte Carlo SEs)", () => {
    const approx = laplaceApproximation(fit0);
    const N = 20000;
    const d = laplaceDraws(approx, N, { seed: 20240501 });
    const dim = approx.dim;
    for (let k = 0; k < dim; k++) {
      let m = 0;
      for (let s = 0; s < N; s++) m += d[s * dim + k]!;
      m /= N;
      let v = 0;
      for (let s = 0; s < N; s++) v += (d[s * dim + k]! - m) ** 2;
      v /= N - 1;
      const sd = Math.sqrt(approx.covariance[k * dim + k]!);
      expect(Math.abs(m - approx.mean[k]!)).toBeLessThan((4 * sd) / Math.sqrt(N));
      expect(Math.abs(v - sd * sd)).toBeLessThan(4 * sd * sd * Math.sqrt(2 / N));
    }
    // Same seed, same draws.
    expect(laplaceDraws(approx, 5, { seed: 7 })).toEqual(laplaceDraws(approx, 5, { seed: 7 }));
  });

  it("response-scale intervals by draws agree with the exact transform within Monte Carlo error", () => {
    const p = problem0.p;
    const rows = { X: problem0.X.slice(0, 3 * p), n: 3, offset: null };
    const N = 20000;
    const exact = laplacePredictions(fit0, rows, { method: "transform" });
    const byDraws = laplacePredictions(fit0, rows, { method: "draws", draws: N, seed: 11 });
    const link = laplacePredictions(fit0, rows, { type: "link" });
    // MC SE of the 2.5% quantile of a normal, in η units: √(α(1−α)/N)/φ(z)·se_η, mapped by |dμ/dη|.
    const mcSe = Math.sqrt((0.025 * 0.975) / N) / (Math.exp(-0.5 * 1.959963984540054 ** 2) / Math.sqrt(2 * Math.PI));
    const mu = problem0.family.link;
    for (let i = 0; i < 3; i++) {
      const tolLo = 4 * mcSe * link.se[i]! * mu.muEta(link.lower[i]!);
      const tolHi = 4 * mcSe * link.se[i]! * mu.muEta(link.upper[i]!);
      expect(Math.abs(byDraws.lower[i]! - exact.lower[i]!)).toBeLessThan(tolLo);
      expect(Math.abs(byDraws.upper[i]! - exact.upper[i]!)).toBeLessThan(tolHi);
    }
  });

  it("rejects bad arguments", () => {
    expect(() => laplaceIntervals(fit0, { level: 1 })).toThrow(/level must be/);
    expect(() => laplaceIntervals(fit0, { exponentiate: true, method: "x" as never })).toThrow(/method must be/);
    expect(() => laplaceDraws(laplaceApproximation(fit0), 0)).toThrow(/count must be a positive integer/);
    expect(() => laplaceDraws(laplaceApproximation(fit0), 3, { seed: 0 })).toThrow(/seed must be an integer/);
    expect(() => laplacePredictions(fit0, { X: new Float64Array(3), n: 1 })).toThrow(/rows.X has 3 entries/);
  });
});

describe("posterior intervals from draws", () => {
  it("type-7 quantiles as R's quantile()", () => {
    // R: quantile(c(1, 2, 3, 4, 5, 10), c(0.025, 0.5, 0.975)) = 1.125, 3.5, 9.375
    const x = [1, 2, 3, 4, 5, 10];
    expect(quantileSorted(x, 0.025)).toBeCloseTo(1.125, 14);
    expect(quantileSorted(x, 0.5)).toBeCloseTo(3.5, 14);
    expect(quantileSorted(x, 0.975)).toBeCloseTo(9.375, 14);
    expect(equalTailedInterval([5, 4, 3, 2, 1, 10], 0.95)).toEqual([1.125, 9.375]);
  });
  it("HDI of a skewed (exponential) sample starts at 0 and is shorter than the equal-tailed interval", () => {
    const N = 100000;
    const x = Float64Array.from({ length: N }, (_, k) => -Math.log(1 - (k + 0.5) / N));
    const [lo, hi] = highestDensityInterval(x, 0.9);
    expect(lo).toBe(x[0]);
    expect(Math.abs(hi - Math.log(10))).toBeLessThan(1e-3); // the exact HDI is [0, log 10]
    const [elo, ehi] = equalTailedInterval(x, 0.9);
    expect(Math.abs(elo + Math.log(0.95))).toBeLessThan(1e-3);
    expect(Math.abs(ehi + Math.log(0.05))).toBeLessThan(1e-3);
    expect(hi - lo).toBeLessThan(ehi - elo);
  });
  it("the HDI window holds ⌊level·n⌋ + 1 draws and is the narrowest such window", () => {
    const x = [0, 1, 1.1, 1.2, 5]; // k = ⌊2.5⌋ = 2: windows [0, 1.1], [1, 1.2], [1.1, 5]
    expect(highestDensityInterval(x, 0.5)).toEqual([1, 1.2]);
    expect(highestDensityInterval([3, 1, 2], 0.999)).toEqual([1, 3]);
  });
  it("named draws: one row per quantity, centred on the median", () => {
    const values = new Float64Array([1, 10, 2, 20, 3, 30, 4, 40, 5, 50]);
    const set = posteriorIntervals({ names: ["a", "b"], values }, { level: 0.5 });
    expect(set.rows).toEqual([
      { name: "a", estimate: 3, lower: 2, upper: 4 },
      { name: "b", estimate: 30, lower: 20, upper: 40 },
    ]);
    expect(posteriorIntervals({ names: ["a", "b"], values }, { kind: "hdi" }).method).toBe("posterior-hdi");
  });
  it("bad draws are refused with the draw named", () => {
    expect(() => equalTailedInterval([1, Number.NaN, 3], 0.9)).toThrow(DataError);
    expect(() => equalTailedInterval([1, Number.NaN, 3], 0.9)).toThrow(/draw 2 is NaN/);
    expect(() => highestDensityInterval([], 0.9)).toThrow(ArgumentError);
    expect(() => posteriorIntervals({ names: ["a", "b"], values: new Float64Array(3) })).toThrow(/not a multiple of 2/);
  });
});

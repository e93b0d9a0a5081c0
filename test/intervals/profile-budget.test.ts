/**
 * The profile's refits by chord steps (src/intervals/profile-refit.ts) and the
 * warm starts along the path (src/intervals/profile.ts): the hardening issue's
 * n = 2000, p = 300 profile ran past 580 s; it now takes ~11 s (bench/profile-budget.ts,
 * `npm run bench -- profile`). Here, without timing:
 * - the reduced inverse from the fit's covariance equals the inverse of X_rᵀWX_r;
 * - a chord refit lands on the optimum a tight IRLS refit finds (every fixture family,
 *   canonical or not, fixed or estimated dispersion), at b = β̂ ± 2 SE;
 * - the work stays O(n·q) per iteration: on a 600 × 60 logistic fit no refit recomputes
 *   the n·q² matrix and each coefficient needs at most 12 refits;
 * - onProgress reports (0, total), then (k, total) after each coefficient.
 * The bounds themselves stay pinned to R's exact roots by profile.test.ts.
 */
import { describe, it, expect } from "vitest";
import { fixture, fitCase } from "./fixture.js";
import { ChordRefit, reducedInverse } from "../../src/intervals/profile-refit.js";
import { CoefficientProfile, profileIntervals, referenceDeviance } from "../../src/intervals/profile.js";
import { irls } from "../../src/fit/irls.js";
import { fitMl, type GlmProblem, type MlFit } from "../../src/fit/ml-fit.js";
import { binomial } from "../../src/families/index.js";
import { standardNormalFrom, uniformStream } from "../../src/util/rng.js";
import { ArgumentError } from "../../src/errors.js";

/** The reduced model of coefficient j at b: design without j, b·xⱼ in the offset. */
function reduced(fit: MlFit, j: number, b: number) {
  const { X, n, p } = fit.problem;
  const others = Array.from({ length: p }, (_, k) => k).filter((k) => k !== j && !fit.irls.aliased[k]);
  const q = others.length;
  const Xr = new Float64Array(n * q);
  const offset = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    others.forEach((k, c) => (Xr[i * q + c] = X[i * p + k]!));
    offset[i] = (fit.problem.offset ? fit.problem.offset[i]! : 0) + b * X[i * p + j]!;
  }
  return { Xr, n, q, offset, others };
}

function logistic(n: number, p: number, seed: number): GlmProblem {
  const u = uniformStream(seed);
  const z = standardNormalFrom(u);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let eta = 0.2;
    X[i * p] = 1;
    for (let j = 1; j < p; j++) { X[i * p + j] = z(); eta += 0.1 * Math.cos(j) * X[i * p + j]!; }
    y[i] = u() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return { X, n, p, columnNames: Array.from({ length: p }, (_, j) => (j ? `x${j}` : "(Intercept)")), hasIntercept: true, y, weights: new Float64Array(n).fill(1), offset: null, trials: null, family: binomial() };
}

describe("chord refits of the profile", () => {
  it("the reduced inverse from the covariance is the inverse of the reduced information", () => {
    const fit = fitCase(fixture.profile.find((c) => c.id === "birthwt_logit")!);
    const { p } = fit.problem;
    const j = 1;
    const { Xr, n, q, others } = reduced(fit, j, fit.coef[j]!);
    const M = reducedInverse(fit.covUnscaled, p, j, others)!;
    const W = fit.irls.workingWeights;
    // (X_rᵀWX_r)·M = I
    let worst = 0;
    for (let a = 0; a < q; a++) for (let c = 0; c < q; c++) {
      let s = 0;
      for (let k = 0; k < q; k++) {
        let A = 0;
        for (let i = 0; i < n; i++) A += Xr[i * q + a]! * W[i]! * Xr[i * q + k]!;
        s += A * M[k * q + c]!;
      }
      worst = Math.max(worst, Math.abs(s - (a === c ? 1 : 0)));
    }
    expect(worst).toBeLessThan(1e-8);
  });

  for (const c of fixture.profile.filter((k) => k.id !== "endometrial_logit_separated")) {
    it(`${c.id}: a chord refit at β̂ ± 2 SE is the optimum of a tight IRLS refit`, () => {
      const fit = fitCase(c);
      const { p, y, weights, family } = fit.problem;
      for (let j = 0; j < p; j++) {
        if (fit.irls.aliased[j]) continue;
        for (const side of [-1, 1]) {
          const b = fit.coef[j]! + side * 2 * fit.coefficients[j]!.se!;
          const { Xr, n, q, offset, others } = reduced(fit, j, b);
          const chord = new ChordRefit({ Xr, n, q, y, weights, family, offset }, reducedInverse(fit.covUnscaled, p, j, others));
          const r = chord.solve(Float64Array.from(others, (k) => fit.coef[k]!));
          if (r === null) {
            // The start leaves the family's domain (log-binomial: μ > 1): the profile then tries its other starts.
            expect(family.link.name).toBe("log");
            continue;
          }
          const ref = irls({ X: Xr, n, p: q, y, weights, offset, family }, { epsilon: 1e-15, maxit: 200, start: r.coef });
          expect(r.converged).toBe(true);
          expect(Math.abs(r.deviance - ref.deviance)).toBeLessThan(1e-9 * (1 + ref.deviance));
          r.coef.forEach((v, k) => expect(Math.abs(v - ref.coef[k]!)).toBeLessThan(1e-5 * (1 + Math.abs(ref.coef[k]!))));
        }
      }
    });
  }

  it("work budget: no n·q² matrix recomputed and at most 12 refits per coefficient (600 × 60 logistic)", () => {
    const fit = fitMl(logistic(600, 60, 11));
    const d0 = referenceDeviance(fit);
    for (let j = 0; j < 60; j += 7) {
      const prof = new CoefficientProfile(fit, j, d0);
      prof.bound(-1, 1.959963984540054);
      prof.bound(1, 1.959963984540054);
      expect(prof.matrixRefreshes).toBe(0);
      expect(prof.evaluations).toBeLessThanOrEqual(12);
    }
  });

  it("onProgress: (0, total) first, then once per coefficient", () => {
    const fit = fitCase(fixture.profile.find((c) => c.id === "birthwt_logit")!);
    const calls: [number, number][] = [];
    const set = profileIntervals(fit, { which: [0, 2, 1], onProgress: (d, t) => calls.push([d, t]) });
    expect(calls).toEqual([[0, 3], [1, 3], [2, 3], [3, 3]]);
    expect(set.rows.map((r) => r.name)).toEqual([0, 2, 1].map((j) => fit.problem.columnNames[j]));
    expect(() => profileIntervals(fit, { onProgress: 3 as unknown as () => void })).toThrow(ArgumentError);
  });
});

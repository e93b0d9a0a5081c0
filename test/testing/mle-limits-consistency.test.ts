/**
 * Consistency of the maximum-likelihood estimate on well-specified data: for a
 * random family of the core (default link), p = 1…4 columns and readable true
 * coefficients from glmKit/testing's glmData, the same truth is simulated at
 * n = 200, 2,000 and 20,000 (independent seeds), and
 *
 * - each estimate is within z* Wald standard errors of the truth, where z* is the
 *   Bonferroni bound for a family-wise false-alarm rate of 1e-3 over every check
 *   of the run (z* = Φ⁻¹(1 − 0.001/(2m)), m = runs × 3 × 4 coefficients: 4.5 at
 *   the default runs, 5.0 at FC_RUNS=10);
 * - the Wald SEs estimate the SEs of the truth, √diag(φ (XᵀW(β)X)⁻¹) at the true β
 *   and φ on the realised design: |log(SE/SE_true)| ≤ 6c/√n (the dispersions are
 *   set away from 1 — gaussian σ = 2, tweedie φ = 2, Gamma and inverse Gaussian
 *   φ = 0.2 — so a covariance that forgets φ shows);
 * - the standard errors shrink by √10 per step: |log(SE_n/SE_10n) − log √10| ≤
 *   6·c·√(1/n + 1/(10n)), the sampling spread of a log SE being c/√n with
 *   c = 1.1 (measured: the rms of log(SE_200/SE_2000/√10) over 150 simulated data
 *   sets of all families was 0.036–0.075, i.e. c ≈ 0.5–1.0).
 *
 * Together: the error shrinks at the √n rate. FC_RUNS scales the runs.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import quantile from "@stdlib/stats-base-dists-normal-quantile";
import { Matrix, inverse } from "ml-matrix";
import { glm } from "../../models/glm.js";
import { glmData, simulateGlmData, propertyParameters, type SimulatedGlmData } from "../../testing/index.js";

const SIZES = [200, 2000, 20000] as const;
const P_MAX = 4;
const BASE_RUNS = 15;
const params = propertyParameters(BASE_RUNS, 71001);
const checks = (params.numRuns ?? BASE_RUNS) * SIZES.length * P_MAX;
const Z_STAR = quantile(1 - 0.001 / (2 * checks), 0, 1);
/** Spread constant of log SE: sd(log SE_n) ≈ C/√n (see the header). */
const C = 1.1;
/** Dispersions away from 1, so that a Wald SE missing φ shows (gaussian σ = 2, tweedie φ = 2; Gamma and IG have φ = 0.2). */
const TRUE_PARAMETERS = { sigma: 2, tweedieDispersion: 2 };

/** SEs of the truth: √diag(φ (XᵀW(β)X)⁻¹) with W = w μ′(η)²/V(μ) at the true β, on the realised design. */
function trueSe(sim: SimulatedGlmData): number[] {
  const { X, n, p, family } = sim;
  const info = Matrix.zeros(p, p);
  for (let i = 0; i < n; i++) {
    const me = family.link.muEta(sim.truth.eta![i]!);
    const w = ((sim.weights ? sim.weights[i]! : 1) * me * me) / family.variance(sim.truth.mu![i]!);
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) info.set(a, b, info.get(a, b) + w * X[i * p + a]! * X[i * p + b]!);
  }
  const inv = inverse(info);
  return Array.from({ length: p }, (_, j) => Math.sqrt(sim.truth.dispersion! * inv.get(j, j)));
}

function refit(d: SimulatedGlmData, n: number, k: number) {
  const sim = simulateGlmData({
    family: d.truth.familyName, link: d.truth.link, n, p: d.p, intercept: true,
    covariates: d.truth.covariates, coefficients: d.truth.coefficients!, trueParameters: d.truth.trueParameters, seed: d.truth.seed + k,
  });
  // The LP separation check is not what is tested here; it would dominate the time at n = 20,000.
  const fit = glm(sim.spec).fit({ separation: "never", maxit: 50 });
  const v = fit.vcov();
  return { fit, se: Array.from({ length: d.p }, (_, j) => Math.sqrt(v[j * d.p + j]!)), trueSe: trueSe(sim) };
}

describe("consistency of the MLE on well-specified data", () => {
  it(`estimates are within z* = ${Z_STAR.toFixed(2)} SEs of the truth at n = 200, 2000, 20000; the Wald SEs match the truth's and shrink by √10 per step`, () => {
    fc.assert(
      fc.property(glmData({ n: SIZES[0], p: { min: 1, max: P_MAX }, trueParameters: TRUE_PARAMETERS }), (d) => {
        const fits = SIZES.map((n, k) => refit(d, n, k));
        fits.forEach(({ fit, se, trueSe: se0 }, k) => {
          expect(fit.converged, `n = ${SIZES[k]} did not converge`).toBe(true);
          for (let j = 0; j < d.p; j++)
            expect(Math.abs(Math.log(se[j]! / se0[j]!)), `${d.columnNames[j]} at n = ${SIZES[k]}: Wald SE ${se[j]}, SE of the truth ${se0[j]}`).toBeLessThanOrEqual((6 * C) / Math.sqrt(SIZES[k]!));
          for (let j = 0; j < d.p; j++) {
            const z = (fit.ml.coef[j]! - d.truth.coefficients![j]!) / se[j]!;
            expect(Math.abs(z), `${d.columnNames[j]} at n = ${SIZES[k]}: estimate ${fit.ml.coef[j]}, truth ${d.truth.coefficients![j]}, SE ${se[j]}`).toBeLessThanOrEqual(Z_STAR);
          }
        });
        for (let k = 0; k + 1 < SIZES.length; k++) {
          const n = SIZES[k]!;
          const tol = 6 * C * Math.sqrt(1 / n + 1 / (10 * n));
          for (let j = 0; j < d.p; j++) {
            const logRatio = Math.log(fits[k]!.se[j]! / fits[k + 1]!.se[j]!);
            expect(Math.abs(logRatio - 0.5 * Math.log(10)), `${d.columnNames[j]}: SE ${fits[k]!.se[j]} at n = ${n}, ${fits[k + 1]!.se[j]} at ${10 * n}`).toBeLessThanOrEqual(tol);
          }
        }
        return true;
      }),
      params,
    );
  });
});

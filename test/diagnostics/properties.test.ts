/**
 * Properties of the diagnostics (fast-check, fixed seed from test/setup-fast-check.ts):
 *  1. Gaussian identity (weighted least squares): the exact leave-one-out residual
 *     yᵢ − ŷ₍ᵢ₎ equals eᵢ/(1 − hᵢ), with hᵢ from hatvalues and ŷ₍ᵢ₎ from a refit without row i.
 *  2. HC0 of a correctly specified homoskedastic Gaussian fit is close to the model-based
 *     covariance at large n: for coefficient j the ratio HC0ⱼⱼ/Vⱼⱼ = Σeᵢ²aᵢⱼ²/(σ̂²Σaᵢⱼ²)
 *     (aᵢⱼ = (Cxᵢ)ⱼ) has mean ≈ 1 and sd ≈ √(2Σa⁴)/Σa², which is √(2/n) for the intercept
 *     and √(6/n) for a standard-normal regressor (E x⁴ = 3): |ratio − 1| < 6√(6/n).
 *     Under heteroskedasticity Var(ε|x) = x₁² the slope's ratio tends to E x⁴/(E x²)² = 3,
 *     with sd ≈ √((E z⁴ E x⁸ − (E x⁴)²)/n) = √(306/n): |ratio − 3| < 6√(306/n).
 *  3. PSIS-LOO approaches exact LOO as the posterior concentrates: logistic regression, the
 *     posterior taken as its normal approximation N(β̂, V); exact LOO refits without each
 *     observation and integrates p(yᵢ | η) over η ~ N(xᵢᵀβ̂₍ᵢ₎, xᵢᵀV₍ᵢ₎xᵢ) by quadrature.
 *     The gap between the two is a Laplace error of order 1/n per observation (plus Monte
 *     Carlo error of order 1/√S): growing n eightfold (40 → 320) must shrink the mean
 *     absolute gap at least by half, and at n = 320 it must be below 0.01 nats.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { fitMl, type GlmProblem } from "../../src/fit/ml-fit.js";
import { makeFamily } from "../../src/families/index.js";
import { hatvalues } from "../../src/diagnostics/influence.js";
import { vcovHC } from "../../src/diagnostics/sandwich.js";
import { psisLoo } from "../../samplers/diagnostics/loo.js";
import { createRng } from "../../samplers/rng.js";
import type { Rng } from "../../samplers/types.js";

function problem(X: Float64Array, n: number, p: number, y: Float64Array, weights: Float64Array, family: string): GlmProblem {
  return {
    X, n, p, columnNames: Array.from({ length: p }, (_, j) => (j === 0 ? "(Intercept)" : `x${j}`)), hasIntercept: true,
    y, weights, offset: null, trials: null, family: makeFamily(family),
  };
}

function design(rng: Rng, n: number, p: number): Float64Array {
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    X[i * p] = 1;
    for (let j = 1; j < p; j++) X[i * p + j] = rng.normal();
  }
  return X;
}

describe("properties of the diagnostics", () => {
  it("Gaussian identity: eᵢ/(1 − hᵢ) equals the residual of the refit without row i", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 8, max: 30 }), fc.boolean(), (seed, p, n, weighted) => {
        const rng = createRng(seed);
        const X = design(rng, n, p);
        const y = Float64Array.from({ length: n }, () => 2 + rng.normal() * 3);
        const w = Float64Array.from({ length: n }, () => (weighted ? 0.5 + 2 * rng.uniform() : 1));
        const fit = fitMl(problem(X, n, p, y, w, "gaussian"));
        const h = hatvalues(fit);
        for (let i = 0; i < n; i++) {
          if (h[i]! > 0.99) continue; // nearly determined by one row: the identity holds, but conditioning does not
          const w0 = Float64Array.from(w);
          w0[i] = 0;
          const loo = fitMl(problem(X, n, p, y, w0, "gaussian"));
          const exact = y[i]! - loo.irls.mu[i]!;
          const viaHat = (y[i]! - fit.irls.mu[i]!) / (1 - h[i]!);
          if (Math.abs(exact - viaHat) > 1e-8 * Math.max(1, Math.abs(exact))) return false;
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });

  const n = 20000;
  it(`HC0 ≈ model-based covariance for a correct homoskedastic Gaussian fit (n = ${n})`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (seed) => {
        const rng = createRng(seed);
        const X = design(rng, n, 3);
        const y = Float64Array.from({ length: n }, (_, i) => 1 + 0.5 * X[i * 3 + 1]! - 0.3 * X[i * 3 + 2]! + 2 * rng.normal());
        const fit = fitMl(problem(X, n, 3, y, new Float64Array(n).fill(1), "gaussian"));
        const hc0 = vcovHC(fit, "HC0").values;
        const tol = 6 * Math.sqrt(6 / n);
        for (let j = 0; j < 3; j++) {
          const ratio = hc0[j * 3 + j]! / (fit.dispersion * fit.covUnscaled[j * 3 + j]!);
          if (Math.abs(ratio - 1) > tol) return false;
        }
        return true;
      }),
      { numRuns: 4 },
    );
  });

  it(`HC0 departs from the model-based covariance under heteroskedasticity Var(ε|x) = x₁² (ratio → 3)`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (seed) => {
        const rng = createRng(seed);
        const X = design(rng, n, 2);
        const y = Float64Array.from({ length: n }, (_, i) => 1 + 0.5 * X[i * 2 + 1]! + X[i * 2 + 1]! * rng.normal());
        const fit = fitMl(problem(X, n, 2, y, new Float64Array(n).fill(1), "gaussian"));
        const ratio = vcovHC(fit, "HC0").values[3]! / (fit.dispersion * fit.covUnscaled[3]!);
        return Math.abs(ratio - 3) < 6 * Math.sqrt(306 / n);
      }),
      { numRuns: 4 },
    );
  });

  /** log ∫ p(y | η) N(η; m, s²) dη by the trapezoid rule on ±9 sd (exponentially accurate). */
  function logPredictive(y: number, m: number, s: number): number {
    const steps = 1800;
    const dz = 18 / steps;
    let acc = 0;
    for (let k = 0; k <= steps; k++) {
      const z = -9 + k * dz;
      const eta = m + s * z;
      const p = 1 / (1 + Math.exp(-eta));
      const lik = y === 1 ? p : 1 - p;
      acc += (k === 0 || k === steps ? 0.5 : 1) * lik * Math.exp(-0.5 * z * z);
    }
    return Math.log((acc * dz) / Math.sqrt(2 * Math.PI));
  }

  function looGap(seed: number, nObs: number, S: number): number {
    const rng = createRng(seed);
    const X = design(rng, nObs, 2);
    const y = Float64Array.from({ length: nObs }, (_, i) => (rng.uniform() < 1 / (1 + Math.exp(-(-0.3 + 0.8 * X[i * 2 + 1]!))) ? 1 : 0));
    const ones = new Float64Array(nObs).fill(1);
    const fit = fitMl(problem(X, nObs, 2, y, ones, "binomial"));
    const [b0, b1] = fit.coef;
    const V = fit.covUnscaled;
    const l11 = Math.sqrt(V[0]!);
    const l21 = V[2]! / l11;
    const l22 = Math.sqrt(V[3]! - l21 * l21);
    const ll = new Float64Array(S * nObs);
    for (let s = 0; s < S; s++) {
      const z1 = rng.normal();
      const z2 = rng.normal();
      const a = b0! + l11 * z1;
      const b = b1! + l21 * z1 + l22 * z2;
      for (let i = 0; i < nObs; i++) {
        const eta = a + b * X[i * 2 + 1]!;
        ll[s * nObs + i] = y[i] === 1 ? -Math.log1p(Math.exp(-eta)) : -Math.log1p(Math.exp(eta));
      }
    }
    const loo = psisLoo({ values: ll, n: nObs }, { rEff: 1 });
    let gap = 0;
    for (let i = 0; i < nObs; i++) {
      const w0 = Float64Array.from(ones);
      w0[i] = 0;
      const f = fitMl(problem(X, nObs, 2, y, w0, "binomial"));
      const xi = X[i * 2 + 1]!;
      const C = f.covUnscaled;
      const m = f.coef[0]! + f.coef[1]! * xi;
      const s2 = C[0]! + 2 * xi * C[1]! + xi * xi * C[3]!;
      gap += Math.abs(loo.pointwise.elpd_loo[i]! - logPredictive(y[i]!, m, Math.sqrt(s2)));
    }
    return gap / nObs;
  }

  it("PSIS-LOO approaches exact LOO as the posterior concentrates (n = 40 → 320)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (seed) => {
        const small = looGap(seed, 40, 4000);
        const large = looGap(seed, 320, 4000);
        return large < small / 2 && large < 0.01;
      }),
      { numRuns: 3 },
    );
  });
});

/**
 * Symplectic integrators of Hamilton's equations for H(θ, p) = −log p(θ) + ½pᵀM⁻¹p,
 * generated from a palindromic list of coefficients [b₁, a₁, b₂, a₂, …, a₁, b₁]:
 * even entries are momentum kicks p ← p + bᵢ·ε·∇log p(θ), odd entries position
 * drifts θ ← θ + aᵢ·ε·M⁻¹p. A palindrome makes the map time-reversible and
 * volume preserving; the kicks and the drifts must each sum to 1.
 *
 * References: [1] Leimkuhler & Reich (2004), Simulating Hamiltonian Dynamics, ch. 4.
 * [2] Blanes, Casas & Sanz-Serna (2014), "Numerical integrators for the Hybrid Monte Carlo method", SIAM J. Sci. Comput. 36(4).
 * [3] McLachlan (1995), "On the numerical integration of ODEs by symmetric composition methods", SIAM J. Sci. Comput. 16(1).
 */
import { ArgumentError } from "../../src/errors.js";
import { velocity, type Metric } from "../metric.js";
import type { LogDensity } from "../types.js";

/**
 * One integration step of size `stepSize` (negative to integrate backwards).
 *
 * Buffer ownership: `position`, `momentum` and `grad` belong to the caller and are
 * updated in place (on entry `grad` must hold ∇log p(position)); `work` is caller-owned
 * scratch of length dim. Nothing is allocated. Returns log p at the new position.
 */
export type IntegratorStep = (
  target: LogDensity,
  metric: Metric,
  stepSize: number,
  position: Float64Array,
  momentum: Float64Array,
  grad: Float64Array,
  work: Float64Array,
) => number;

/** An integrator built from its coefficients. */
export interface Integrator {
  readonly name: string;
  readonly coefficients: readonly number[];
  /** Gradient evaluations per step (the number of drifts). */
  readonly gradientsPerStep: number;
  readonly step: IntegratorStep;
}

/**
 * Builds an integrator from a palindromic coefficient list of odd length starting
 * and ending with a kick. Throws ArgumentError for a list that is not a palindrome
 * or whose kicks or drifts do not sum to 1.
 * @example makeIntegrator("velocity Verlet", [0.5, 1, 0.5]).gradientsPerStep // 1
 */
export function makeIntegrator(name: string, coefficients: readonly number[]): Integrator {
  const c = coefficients;
  const n = c.length;
  if (n < 3 || n % 2 === 0) throw new ArgumentError(`coefficients of ${name} must have odd length ≥ 3, got ${n}`);
  let kicks = 0;
  let drifts = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(c[i])) throw new ArgumentError(`coefficients[${i}] of ${name} is not finite`);
    if (Math.abs(c[i] - c[n - 1 - i]) > 1e-15) throw new ArgumentError(`coefficients of ${name} are not a palindrome at index ${i}`);
    if (i % 2 === 0) kicks += c[i];
    else drifts += c[i];
  }
  if (Math.abs(kicks - 1) > 1e-12 || Math.abs(drifts - 1) > 1e-12) {
    throw new ArgumentError(`coefficients of ${name}: kicks sum to ${kicks} and drifts to ${drifts}; both must be 1`);
  }
  const coef = Float64Array.from(c);
  const step: IntegratorStep = (target, metric, stepSize, q, p, grad, work) => {
    const dim = q.length;
    let logp = NaN;
    for (let k = 0; k < n; k++) {
      const h = coef[k] * stepSize;
      if (k % 2 === 0) {
        for (let i = 0; i < dim; i++) p[i] += h * grad[i];
      } else {
        velocity(metric, p, work);
        for (let i = 0; i < dim; i++) q[i] += h * work[i];
        logp = target.logDensityGrad(q, grad);
      }
    }
    return logp;
  };
  return Object.freeze({ name, coefficients: Object.freeze([...c]), gradientsPerStep: (n - 1) / 2, step });
}

/** Velocity Verlet (leapfrog): half kick, full drift, half kick; Stan's `expl_leapfrog`. Error O(ε²). */
export const velocityVerlet: Integrator = makeIntegrator("velocity Verlet", [0.5, 1, 0.5]);

/** McLachlan's two-stage minimum-error integrator, b = 0.1931833275037836 ([2] eq. 4.5, [3]). Error O(ε²), 2 gradients per step. */
const MCLACHLAN_B = 0.1931833275037836;
export const mclachlan: Integrator = makeIntegrator("McLachlan", [MCLACHLAN_B, 0.5, 1 - 2 * MCLACHLAN_B, 0.5, MCLACHLAN_B]);

/** Three-stage integrator of [2] (b₁ = 0.11888010966548, a₁ = 0.29619504261126), 3 gradients per step. */
const YOSHIDA_B1 = 0.11888010966548;
const YOSHIDA_A1 = 0.29619504261126;
export const yoshida: Integrator = makeIntegrator("three-stage", [
  YOSHIDA_B1,
  YOSHIDA_A1,
  0.5 - YOSHIDA_B1,
  1 - 2 * YOSHIDA_A1,
  0.5 - YOSHIDA_B1,
  YOSHIDA_A1,
  YOSHIDA_B1,
]);

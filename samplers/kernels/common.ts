/** Pieces shared by the HMC and NUTS kernels. */
import log1pexp from "@stdlib/math-base-special-log1pexp";
import { ArgumentError, NumericalError } from "../../src/errors.js";
import type { KernelState, LogDensity } from "../types.js";

/**
 * Divergence threshold on the energy error: a transition is divergent when
 * H − H0 > 1000 (Stan's `max_deltaH_`). The number is a convention, not derived:
 * an energy error of 1000 means the state has weight e^{−1000} ≈ 0 relative to the
 * start, i.e. the integrator has left the typical set (Betancourt 2017, §6.2).
 */
export const MAX_DELTA_H = 1000;

/** log(eᵃ + eᵇ) without overflow; −∞ is the neutral element (Stan's `log_sum_exp`). */
export function logSumExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  if (a === Infinity && b === Infinity) return Infinity;
  return a > b ? a + log1pexp(b - a) : b + log1pexp(a - b);
}

/** Hamiltonian H = −log p + kinetic, with NaN mapped to +∞ (so it counts as divergent). */
export function hamiltonian(logDensity: number, kinetic: number): number {
  const h = -logDensity + kinetic;
  return Number.isNaN(h) ? Infinity : h;
}

/**
 * Shared `init`: evaluates the target at a copy of `position`. Throws ArgumentError
 * when the length is wrong or an entry is not finite, NumericalError when log p or its
 * gradient is not finite there (no chain can start from such a point).
 */
export function initState(position: Float64Array, target: LogDensity): KernelState {
  if (position.length !== target.dim) {
    throw new ArgumentError(`position has length ${position.length}, target has dim ${target.dim}`);
  }
  for (let i = 0; i < position.length; i++) {
    if (!Number.isFinite(position[i])) throw new ArgumentError(`position[${i}] is not finite (${position[i]})`);
  }
  const q = Float64Array.from(position);
  const grad = new Float64Array(target.dim);
  const logDensity = target.logDensityGrad(q, grad);
  if (!Number.isFinite(logDensity)) throw new NumericalError(`log density at the initial position is ${logDensity}`);
  for (let i = 0; i < grad.length; i++) {
    if (!Number.isFinite(grad[i])) throw new NumericalError(`gradient[${i}] at the initial position is ${grad[i]}`);
  }
  return Object.freeze({ position: q, logDensity, grad });
}

/** Throws ArgumentError unless `stepSize` is positive and finite. */
export function checkStepSize(stepSize: number): void {
  if (!(stepSize > 0) || !Number.isFinite(stepSize)) throw new ArgumentError(`stepSize must be positive and finite, got ${stepSize}`);
}

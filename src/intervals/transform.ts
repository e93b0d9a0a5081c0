/**
 * Monotone increasing reparametrisations ψ = g(β) in which intervals are reported
 * (odds ratios and rate ratios are ψ = exp(β)).
 */

/** An increasing transform with its inverse and the inverse's derivative. */
export interface MonotoneTransform {
  name: string;
  /** ψ = g(β). */
  forward(beta: number): number;
  /** β = g⁻¹(ψ). */
  inverse(psi: number): number;
  /** d g⁻¹/dψ. */
  inverseDerivative(psi: number): number;
}

/**
 * ψ = exp(β): odds ratios (logit link), rate ratios (log link), ratios of means.
 * @example EXP_TRANSFORM.forward(Math.log(2)) // 2
 */
export const EXP_TRANSFORM: MonotoneTransform = Object.freeze({
  name: "exp",
  forward: Math.exp,
  inverse: Math.log,
  inverseDerivative: (psi: number) => 1 / psi,
});

/**
 * R's `round(x)` to an integer (IEC 60559 round half to even): used where R
 * rounds the binomial counts m and m·y before `lchoose`, in the likelihood
 * constant, the family's AIC and predictive draws.
 */
import gammaln from "@stdlib/math-base-special-gammaln";

/**
 * Nearest integer, ties to the even one, as R's `round(x)`.
 * @example roundHalfEven(2.5) // 2
 * @example roundHalfEven(3.5) // 4
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * log C(round(m), round(k)) by log-gamma, 0 when round(m) = 0: R's binomial constant
 * (`lchoose(round(m), round(m·y))` in binomial()$aic), for 0 ≤ k ≤ m.
 * @example lchooseRounded(4, 2) // Math.log(6)
 */
export function lchooseRounded(m: number, k: number): number {
  const rm = roundHalfEven(m);
  if (rm === 0) return 0;
  const rk = roundHalfEven(k);
  return gammaln(rm + 1) - gammaln(rk + 1) - gammaln(rm - rk + 1);
}

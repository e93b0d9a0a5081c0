/**
 * Upper-tail probabilities computed directly (not as 1 − cdf), so that small
 * p-values keep their relative precision as R's lower.tail = FALSE does.
 */
import gammainc from "@stdlib/math-base-special-gammainc";
import betainc from "@stdlib/math-base-special-betainc";

/** P(χ²_df > x) = Q(df/2, x/2), the regularized upper incomplete gamma. */
export function chisqUpper(x: number, df: number): number {
  if (x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  return gammainc(x / 2, df / 2, true, true);
}

/** P(F_{d1,d2} > f) = I_{d2/(d2 + d1 f)}(d2/2, d1/2); d2 = ∞ gives P(χ²_{d1} > d1·f). */
export function fUpper(f: number, d1: number, d2: number): number {
  if (f <= 0) return 1;
  if (!Number.isFinite(d2)) return chisqUpper(f * d1, d1);
  return betainc(d2 / (d2 + d1 * f), d2 / 2, d1 / 2, true, false);
}

/**
 * R's sample quantile, `quantile(x, p, type = 7)`, the one used everywhere in
 * glmkit (posterior intervals, sampler summaries and diagnostics, the residual
 * quantiles of a printed summary). Transcribed from R's `quantile.default`:
 *   index = 1 + (n − 1)p, lo = ⌊index⌋, hi = ⌈index⌉, q = x_lo, and when index > lo
 *   and x_hi ≠ x_lo, q = (1 − h)·x_lo + h·x_hi with h = index − lo.
 *
 * Reference: [1] Hyndman & Fan (1996), Sample quantiles in statistical packages,
 * Am. Statist. 50, 361–365 (definition 7); [2] R, src/library/stats/R/quantile.R.
 */
import { ArgumentError } from "../errors.js";

/**
 * R's `quantile(x, p, type = 7)` of an ascending array `sortedX`.
 * @example quantileSorted(Float64Array.of(1, 2, 3, 4), 0.5) // 2.5
 */
export function quantileSorted(sortedX: ArrayLike<number>, p: number): number {
  const n = sortedX.length;
  if (n === 0) throw new ArgumentError("x must have at least one value");
  if (!(p >= 0 && p <= 1)) throw new ArgumentError(`probability must be in [0, 1], got ${p}`);
  const index = 1 + (n - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const qs = sortedX[lo - 1]!;
  const xhi = sortedX[hi - 1]!;
  if (index > lo && xhi !== qs) {
    const h = index - lo;
    return (1 - h) * qs + h * xhi;
  }
  return qs;
}

/** Ascending copy of `x`. */
export function sorted(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x).sort();
}

/**
 * R's `quantile(x, p)` (type 7) of unsorted values.
 * @example quantile([3, 1, 4, 1, 5, 9, 2, 6], 0.95) // 7.95
 */
export function quantile(x: ArrayLike<number>, p: number): number {
  return quantileSorted(sorted(x), p);
}

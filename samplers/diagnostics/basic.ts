/**
 * Basic statistics computed exactly as R computes them: `mean` (with R's second
 * correction pass), `var`/`sd` (n − 1), `median`, `mad` (constant 1.4826) and
 * `rank(ties.method = "average")`; `quantile(type = 7)` is src/util/quantile.ts.
 */
import { ArgumentError } from "../../src/errors.js";
import { sorted } from "../../src/util/quantile.js";

export { quantile, quantileSorted, sorted } from "../../src/util/quantile.js";

/** R's `mean`: s = Σx/n, then s + Σ(x − s)/n. */
export function mean(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) throw new ArgumentError("x must have at least one value");
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  s /= n;
  let c = 0;
  for (let i = 0; i < n; i++) c += x[i] - s;
  return s + c / n;
}

/** Sample variance Σ(x − x̄)²/(n − 1) (R's `var`); NaN for n < 2 as in R. */
export function variance(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] - m) * (x[i] - m);
  return s / (n - 1);
}

/** Sample standard deviation √var (R's `sd`). */
export function sd(x: ArrayLike<number>): number {
  return Math.sqrt(variance(x));
}

/** R's `median`: the middle value, or the mean of the two middle values. */
export function median(x: ArrayLike<number>): number {
  const s = sorted(x);
  const n = s.length;
  if (n === 0) throw new ArgumentError("x must have at least one value");
  const half = Math.floor(n / 2);
  return n % 2 === 1 ? s[half] : (s[half - 1] + s[half]) / 2;
}

/** R's `mad`: 1.4826 · median(|x − median(x)|). */
export function mad(x: ArrayLike<number>): number {
  const m = median(x);
  const d = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) d[i] = Math.abs(x[i] - m);
  return 1.4826 * median(d);
}

/** R's `rank(x, ties.method = "average")` (1-based ranks). */
export function rankAverage(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => x[a] - x[b]);
  const r = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && x[order[j + 1]] === x[order[i]]) j++;
    const avg = (i + j + 2) / 2; // mean of ranks i+1 … j+1
    for (let k = i; k <= j; k++) r[order[k]] = avg;
    i = j + 1;
  }
  return r;
}

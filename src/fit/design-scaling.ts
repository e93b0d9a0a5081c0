/**
 * Exact internal rescaling of badly scaled design columns by powers of two.
 *
 * IRLS forms XᵀWX: a column with values of order 1e200 overflows it (and its
 * variance, of order 1e−400, underflows), one of order 1e−160 lands its cross
 * products among the subnormals, where a Cholesky factor keeps three digits (an
 * estimate off by 19%, a standard error of 0 or Infinity, p = 0 or 1, as R's glm()
 * reports for the same data). Fitting on X̃ = X·D⁻¹ with D = diag(2^eⱼ) and mapping
 * back β = D⁻¹β̃, Cov(β) = D⁻¹Cov(β̃)D⁻¹ is exact, not merely up to rounding:
 * multiplying by a power of two is exact in binary floating point (barring overflow
 * and underflow), and every operation of the IRLS step (η = X̃β̃, the weighted cross
 * products, Cholesky or Householder, R's relative pivoting tolerances) commutes with
 * it, so the iterates, deviances and iteration counts are those of the unscaled
 * computation carried out without overflow. Columns within [2⁻¹⁰⁰, 2¹⁰⁰] are left
 * alone, so ordinary designs are fitted bit for bit as before.
 *
 * Reference: [1] Higham N.J. (2002) Accuracy and Stability of Numerical Algorithms,
 * 2nd ed., §2.1 (exact scaling by the base) and §7.3 (equilibration).
 */

import { designBufferRanges } from "../linalg/kernels/design-buffer.js";
import { parallelColumnRanges } from "./parallel-passes.js";

/** Columns whose largest |x| lies outside [2^−SCALE_LIMIT, 2^SCALE_LIMIT] are rescaled. */
export const SCALE_LIMIT = 100;

/**
 * x·2^k computed exactly whenever the result is a normal double (steps of 2^±1000
 * keep the intermediate values normal).
 * @example ldexp(3, -2) // 0.75
 */
export function ldexp(x: number, k: number): number {
  let y = x;
  let e = k;
  while (e > 1000) { y *= 2 ** 1000; e -= 1000; }
  while (e < -1000) { y *= 2 ** -1000; e += 1000; }
  return y * 2 ** e;
}

/** The exponent e with 2^e ≤ |x| < 2^(e+1), for finite x ≠ 0 (subnormals included). */
function exponentOf(x: number): number {
  let e = Math.floor(Math.log2(Math.abs(x)));
  // log2 can round across a power of two: correct by one step either way.
  if (ldexp(1, e) > Math.abs(x)) e--;
  else if (ldexp(1, e + 1) <= Math.abs(x)) e++;
  return e;
}

/**
 * Each column's largest |x| in one row-major pass over X (column by column would stride
 * through X p times): NaN for a column holding a NaN, as Math.max gives (max is
 * order-free, so these are the column loops' maxima).
 */
export function columnMaxima(X: ArrayLike<number>, n: number, p: number): Float64Array {
  const max = new Float64Array(p);
  if (X instanceof Float64Array && n > 0) {
    // max|x| = max(|min x|, |max x|), NaN for a column holding a NaN (Math.min/max propagate it): the one row-major pass of columnRanges.
    const { lo, hi } = columnRanges(X, n, p);
    for (let j = 0; j < p; j++) max[j] = Math.max(Math.abs(lo[j]!), Math.abs(hi[j]!));
    return max;
  }
  for (let i = 0, k = 0; i < n; i++) for (let j = 0; j < p; j++, k++) max[j] = Math.max(max[j]!, Math.abs(X[k]!));
  return max;
}

/** What one pass over a design found: every entry finite, and per column. */
export interface DesignFacts {
  /** The largest |x| of each column. */
  readonly max: Float64Array;
  /** Each column's value when it is one constant on every row (x === x_0j), else NaN. */
  readonly constant: Float64Array;
}

/**
 * Facts of designs already checked finite in one pass ({@link checkDesign}), by the
 * array: the fit's scaling and the separation check reuse them instead of reading X
 * again. A design is read once, when the model is declared (models/resolve.ts); values
 * changed in place afterwards are not checked again.
 */
const checked = new WeakMap<object, DesignFacts>();

/** The facts {@link checkDesign} found for exactly this array (all entries finite), or null. */
export function checkedFacts(X: ArrayLike<number>, n: number, p: number): DesignFacts | null {
  const f = typeof X === "object" ? checked.get(X) : undefined;
  return f !== undefined && f.max.length === p && X.length === n * p ? f : null;
}

/** The column maxima {@link checkDesign} found for exactly this array (all finite), or null. */
export function checkedMaxima(X: ArrayLike<number>, n: number, p: number): Float64Array | null {
  return checkedFacts(X, n, p)?.max ?? null;
}

/**
 * One pass over X for what the fit needs to know of it: each column's largest |x|, which
 * also proves every entry finite (a maximum is finite only when the whole column is),
 * and which columns are constant; on a non-finite entry `fail` is called with the first
 * in row-major order (row and column from 0, the value) and must throw. The facts are
 * remembered for {@link columnExponents} and the separation check.
 */
export function checkDesign(X: Float64Array, n: number, p: number, fail: (row: number, col: number, value: number) => never): DesignFacts {
  const facts = noteDesign(X, n, p);
  if (facts === null) {
    for (let k = 0; k < n * p; k++) if (!Number.isFinite(X[k]!)) fail(Math.floor(k / p), k % p, X[k]!);
  }
  return facts!;
}

/**
 * {@link checkDesign}'s pass without the error: the facts of X, remembered, when every
 * entry is finite; null (and nothing remembered) otherwise.
 */
export function noteDesign(X: Float64Array, n: number, p: number): DesignFacts | null {
  // Split over the IRLS workers when a fit on X would be (parallel-passes.ts: the same bits), else on this thread.
  const { lo, hi } = parallelColumnRanges(X, n, p, columnRanges) ?? designBufferRanges(X, n, p) ?? columnRanges(X, n, p);
  const max = new Float64Array(p);
  const constant = new Float64Array(p).fill(Number.NaN);
  for (let j = 0; j < p && n > 0; j++) {
    // max|x| = max(|min x|, |max x|), NaN when the column holds a NaN (Math.max and Math.min propagate it).
    max[j] = Math.max(Math.abs(lo[j]!), Math.abs(hi[j]!));
    if (!Number.isFinite(max[j]!)) return null;
    // Constant: every x === x_0j, i.e. min = max (0 and −0 count as equal, as === does).
    if (n > 0 && lo[j] === hi[j]) constant[j] = X[j]!;
  }
  const facts = { max, constant };
  checked.set(X, facts);
  return facts;
}

/**
 * Each column's smallest and largest value in one row-major pass (rows four at a time);
 * NaN for a column holding a NaN. (A design buffer is scanned by the SIMD kernel instead,
 * with the same values.)
 */
export function columnRanges(X: Float64Array, n: number, p: number): { lo: Float64Array; hi: Float64Array } {
  const lo = new Float64Array(p).fill(Infinity);
  const hi = new Float64Array(p).fill(-Infinity);
  const n4 = n - (n % 4);
  const p2 = 2 * p, p3 = 3 * p;
  let k = 0;
  for (let i = 0; i < n4; i += 4, k += 4 * p) {
    for (let j = 0; j < p; j++) {
      const q = k + j;
      const a = X[q]!, b = X[q + p]!, c = X[q + p2]!, d = X[q + p3]!;
      lo[j] = Math.min(lo[j]!, a, b, c, d);
      hi[j] = Math.max(hi[j]!, a, b, c, d);
    }
  }
  for (let i = n4; i < n; i++, k += p) {
    for (let j = 0; j < p; j++) {
      lo[j] = Math.min(lo[j]!, X[k + j]!);
      hi[j] = Math.max(hi[j]!, X[k + j]!);
    }
  }
  return { lo, hi };
}

/**
 * The exponents eⱼ of the columns to rescale (0 for the others), or null when every
 * column's largest |x| is within [2^−SCALE_LIMIT, 2^SCALE_LIMIT] (or the column is 0).
 * Uses the maxima of {@link checkDesign} when X was checked.
 */
export function columnExponents(X: ArrayLike<number>, n: number, p: number): Int32Array | null {
  const e = new Int32Array(p);
  const max = checkedMaxima(X, n, p) ?? columnMaxima(X, n, p);
  let any = false;
  for (let j = 0; j < p; j++) {
    const m = max[j]!;
    if (m === 0 || !Number.isFinite(m)) continue;
    const ej = exponentOf(m);
    if (ej > SCALE_LIMIT || ej < -SCALE_LIMIT) {
      e[j] = ej;
      any = true;
    }
  }
  return any ? e : null;
}

/** X̃ = X·diag(2^−eⱼ), on the same kind of buffer (a SharedArrayBuffer stays shared, for the worker threads). */
export function scaleDesign(X: Float64Array, n: number, p: number, e: Int32Array): Float64Array {
  const shared = typeof SharedArrayBuffer !== "undefined" && X.buffer instanceof SharedArrayBuffer;
  const out = shared ? new Float64Array(new SharedArrayBuffer(X.length * 8)) : new Float64Array(X.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) out[i * p + j] = ldexp(X[i * p + j]!, -e[j]!);
  return out;
}

/** vⱼ·2^(sign·eⱼ) for each j: sign −1 maps β̃ to β (and SEs), +1 maps β to β̃. */
export function scaleVector(v: ArrayLike<number>, e: Int32Array, sign: 1 | -1): Float64Array {
  return Float64Array.from({ length: e.length }, (_, j) => ldexp(v[j]!, sign * e[j]!));
}

/** Cov(β) = D⁻¹ Cov(β̃) D⁻¹ for a p×p row-major covariance. */
export function unscaleCovariance(C: Float64Array, e: Int32Array): Float64Array {
  const p = e.length;
  const out = new Float64Array(C.length);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) out[i * p + j] = ldexp(C[i * p + j]!, -e[i]! - e[j]!);
  return out;
}

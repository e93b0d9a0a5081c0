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
 * The exponents eⱼ of the columns to rescale (0 for the others), or null when every
 * column's largest |x| is within [2^−SCALE_LIMIT, 2^SCALE_LIMIT] (or the column is 0).
 */
export function columnExponents(X: ArrayLike<number>, n: number, p: number): Int32Array | null {
  const e = new Int32Array(p);
  // Column maxima in one row-major pass over X (column by column would stride through X p times);
  // max is order-free, NaN included (Math.max propagates it), so the maxima are those of the column loops.
  const max = new Float64Array(p);
  for (let i = 0, row = 0; i < n; i++, row += p) {
    for (let j = 0; j < p; j++) max[j] = Math.max(max[j]!, Math.abs(X[row + j]!));
  }
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

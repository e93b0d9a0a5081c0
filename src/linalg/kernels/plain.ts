/**
 * The plain TypeScript kernels: the fallback when WebAssembly SIMD is unavailable
 * (or GLMKIT_KERNELS=ts) and the oracle the SIMD kernels (assembly/kernels.ts) are
 * tested against. Row-major n×p X, rows [start, end); nothing allocates. The
 * summation orders, shared with the SIMD kernels, are in docs/kernels.md.
 */
import { linearPredictorRangeInto, weightedCrossprodRangeInto } from "../kernels.js";

/**
 * A = XᵀWX (upper triangle accumulated, then mirrored) and b = XᵀWz over rows
 * [start, end), overwritten: the 4-row × 2-column tile of src/linalg/kernels.ts.
 * @example crossprodRange(Float64Array.of(1, 2), 2, Float64Array.of(1), Float64Array.of(3), A, b, 0, 1) // A = [1,2,2,4], b = [3,6]
 */
export const crossprodRange: (
  X: Float64Array, p: number, w: Float64Array, z: Float64Array, A: Float64Array, b: Float64Array, start: number, end: number,
) => void = weightedCrossprodRangeInto;

/**
 * η_i = offset_i + Σ_j x_ij β_j for rows [start, end), summed in the order offset
 * (or 0), j = 0, 1, …, p − 1; four rows at a time (independent sums, same order per row).
 * @example xbetaRange(Float64Array.of(1, 2), 2, Float64Array.of(3, 4), null, out, 0, 1) // out[0] = 11
 */
export const xbetaRange: (
  X: Float64Array, p: number, beta: Float64Array, offset: Float64Array | null, out: Float64Array, start: number, end: number,
) => void = linearPredictorRangeInto;

/**
 * g = Xᵀr over rows [start, end): g_j += ((x0j·r0 + x1j·r1) + x2j·r2) + x3j·r3 per
 * block of four rows (from `start`), then g_j += x_ij·r_i for the leftover rows.
 * `accumulate` false zeroes g first; true adds to it, so a pass split at multiples
 * of four rows sums in the order of one pass.
 * @example xtrRange(Float64Array.of(1, 2), 2, Float64Array.of(3), g, 0, 1, false) // g = [3, 6]
 */
export function xtrRange(
  X: Float64Array, p: number, r: Float64Array, g: Float64Array, start: number, end: number, accumulate: boolean,
): void {
  if (!accumulate) g.fill(0, 0, p);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const r0 = i * p, r1 = r0 + p, r2 = r1 + p, r3 = r2 + p;
    const v0 = r[i]!, v1 = r[i + 1]!, v2 = r[i + 2]!, v3 = r[i + 3]!;
    for (let j = 0; j < p; j++) g[j] += X[r0 + j]! * v0 + X[r1 + j]! * v1 + X[r2 + j]! * v2 + X[r3 + j]! * v3;
  }
  for (let row = i * p; i < end; i++, row += p) {
    const v = r[i]!;
    for (let j = 0; j < p; j++) g[j] += X[row + j]! * v;
  }
}

/**
 * Hat values h_i = W_i·|R⁻ᵀx_i|² = W_i x_iᵀ(XᵀWX)⁻¹x_i over rows [start, end), R the
 * upper Cholesky factor of XᵀWX (p×p row-major, RᵀR = XᵀWX). Each row on its own:
 * forward substitution Rᵀu = x_i, `t = x_ik; t -= R_mk·u_m (m = 0, 1, …, k − 1);
 * u_k = t / R_kk; ss += u_k·u_k` in k order, h_i = W_i·ss; rows with W_i = 0 get
 * h_i = 0. With `ratio` (the Firth adjustment), also b_k += (scale·h_i·ratio_i)·x_ik
 * row by row in row order (rows with W_i = 0 skipped): b is added to, not zeroed.
 * `u` is scratch of length p.
 * @example hatRange(Float64Array.of(1, 2), 2, Float64Array.of(2, 0, 0, 1), Float64Array.of(1), null, 0, hat, null, 0, 1, u) // hat[0] = 0.25 + 4 = 4.25
 */
export function hatRange(
  X: Float64Array, p: number, R: Float64Array, W: Float64Array, ratio: Float64Array | null, scale: number,
  hat: Float64Array, b: Float64Array | null, start: number, end: number, u: Float64Array,
): void {
  for (let i = start, row = start * p; i < end; i++, row += p) {
    const wi = W[i]!;
    if (wi === 0) {
      hat[i] = 0;
      continue;
    }
    let ss = 0;
    for (let k = 0; k < p; k++) {
      let t = X[row + k]!;
      for (let m = 0; m < k; m++) t -= R[m * p + k]! * u[m]!;
      t /= R[k * p + k]!;
      u[k] = t;
      ss += t * t;
    }
    const h = wi * ss;
    hat[i] = h;
    if (ratio === null || b === null) continue;
    const c = scale * h * ratio[i]!;
    for (let k = 0; k < p; k++) b[k] += c * X[row + k]!;
  }
}

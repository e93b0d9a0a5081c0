/**
 * The hat values of a weighted design, h_i = W_i·|R⁻ᵀx_i|² = W_i x_iᵀ(XᵀWX)⁻¹x_i
 * (R the upper Cholesky factor of XᵀWX), and optionally Firth's score adjustment
 * b += Σ_i (scale·h_i·ratio_i)·x_i, in f64x2 SIMD. The oracle is hatRange of
 * src/linalg/kernels/plain.ts; every lane computes its scalar expressions in the
 * same order (docs/kernels.md, "Summation order"), so the results are the same bits.
 *
 * Arguments named like arrays are byte addresses in the linear memory: X (n×p row-major),
 * R (p×p row-major), W, ratio (0: no adjustment), hat (n-vectors), b (p), u (scratch of 4p).
 */

// @ts-nocheck (AssemblyScript, not TypeScript)

import { axpy, pair } from "./vec";

/**
 * Rows [start, end) four at a time (two vectors, lane = row), each row's forward
 * substitution Rᵀu = x_i in k order: t = x_ik; t −= R_mk·u_m for m = 0 … k − 1;
 * u_k = t/R_kk; ss += u_k·u_k; then h_i = W_i·ss (0 when W_i = 0). The leftover rows
 * one at a time. With ratio ≠ 0, after each block the rows' adjustments c_i·x_i,
 * c_i = (scale·h_i)·ratio_i, are added to b in row order (rows with W_i = 0 skipped).
 */
export function hat(
  X: usize, p: i32, R: usize, W: usize, ratio: usize, scale: f64, hatOut: usize, b: usize, start: i32, end: i32, u: usize,
): void {
  const pp = <usize>p;
  const rowBytes = pp << 3;
  const zero = f64x2.splat(0);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const io = <usize>i << 3;
    const w0 = load<f64>(W + io), w1 = load<f64>(W + io, 8), w2 = load<f64>(W + io, 16), w3 = load<f64>(W + io, 24);
    if (w0 == 0 && w1 == 0 && w2 == 0 && w3 == 0) {
      v128.store(hatOut + io, zero);
      v128.store(hatOut + io, zero, 16);
      continue;
    }
    const x0 = X + <usize>i * rowBytes, x1 = x0 + rowBytes, x2 = x1 + rowBytes, x3 = x2 + rowBytes;
    let ss01 = zero, ss23 = zero;
    for (let k = 0; k < p; k++) {
      const ko = <usize>k << 3;
      let t01 = pair(load<f64>(x0 + ko), load<f64>(x1 + ko));
      let t23 = pair(load<f64>(x2 + ko), load<f64>(x3 + ko));
      let rp = R + ko; // R_0k, then down column k of R
      for (let m = 0; m < k; m++) {
        const r = f64x2.splat(load<f64>(rp));
        const up = u + (<usize>m << 5);
        t01 = f64x2.sub(t01, f64x2.mul(r, v128.load(up)));
        t23 = f64x2.sub(t23, f64x2.mul(r, v128.load(up, 16)));
        rp += rowBytes;
      }
      const d = f64x2.splat(load<f64>(rp));
      t01 = f64x2.div(t01, d);
      t23 = f64x2.div(t23, d);
      const uk = u + (<usize>k << 5);
      v128.store(uk, t01);
      v128.store(uk, t23, 16);
      ss01 = f64x2.add(ss01, f64x2.mul(t01, t01));
      ss23 = f64x2.add(ss23, f64x2.mul(t23, t23));
    }
    const h01 = f64x2.mul(v128.load(W + io), ss01);
    const h23 = f64x2.mul(v128.load(W + io, 16), ss23);
    const h0 = w0 == 0 ? 0 : f64x2.extract_lane(h01, 0);
    const h1 = w1 == 0 ? 0 : f64x2.extract_lane(h01, 1);
    const h2 = w2 == 0 ? 0 : f64x2.extract_lane(h23, 0);
    const h3 = w3 == 0 ? 0 : f64x2.extract_lane(h23, 1);
    store<f64>(hatOut + io, h0);
    store<f64>(hatOut + io, h1, 8);
    store<f64>(hatOut + io, h2, 16);
    store<f64>(hatOut + io, h3, 24);
    if (ratio == 0) continue;
    if (w0 != 0) axpy(b, x0, p, scale * h0 * load<f64>(ratio + io));
    if (w1 != 0) axpy(b, x1, p, scale * h1 * load<f64>(ratio + io, 8));
    if (w2 != 0) axpy(b, x2, p, scale * h2 * load<f64>(ratio + io, 16));
    if (w3 != 0) axpy(b, x3, p, scale * h3 * load<f64>(ratio + io, 24));
  }
  for (; i < end; i++) {
    const io = <usize>i << 3;
    const wi = load<f64>(W + io);
    if (wi == 0) {
      store<f64>(hatOut + io, 0);
      continue;
    }
    const xr = X + <usize>i * rowBytes;
    let ss: f64 = 0;
    for (let k = 0; k < p; k++) {
      const ko = <usize>k << 3;
      let t = load<f64>(xr + ko);
      let rp = R + ko;
      for (let m = 0; m < k; m++) {
        t -= load<f64>(rp) * load<f64>(u + (<usize>m << 3));
        rp += rowBytes;
      }
      t /= load<f64>(rp);
      store<f64>(u + ko, t);
      ss += t * t;
    }
    const h = wi * ss;
    store<f64>(hatOut + io, h);
    if (ratio != 0) axpy(b, xr, p, scale * h * load<f64>(ratio + io));
  }
}

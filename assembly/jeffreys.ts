/**
 * The Jeffreys penalty's row passes (src/likelihood/jeffreys-penalty.ts) in f64x2 SIMD:
 * the leverages gᵢ = R⁻ᵀxᵢ, hᵢ = |gᵢ|² with the gradient ½ Σ hᵢωᵢaᵢ xᵢ, and the Hessian's
 * row sums (the first term's XᵀDX and the matrices M_r = Σ ωᵢ d_ir gᵢgᵢᵀ). The oracles are
 * jeffreysLeverageRows and jeffreysHessianRows of that file; every lane computes the
 * oracle's scalar expressions in the oracle's order (sums stay in row order; only
 * independent entries share a vector), so the results are the same bits.
 *
 * Arguments named like arrays are byte addresses in the linear memory.
 */

// @ts-nocheck (AssemblyScript, not TypeScript)

import { axpy, pair } from "./vec";

/**
 * Rows [start, end): gᵢ = R⁻ᵀxᵢ (forward substitution t = x_ik; t −= R_mk·g_m, m < k;
 * g_k = t/R_kk), hᵢ = Σ_k g_k² in k order, for rows with ωᵢ ≠ 0 (others: gᵢ = 0, hᵢ = 0);
 * four rows at a time (two vectors, lane = row; u: scratch of 4p interleaved), leftovers
 * one at a time. With a ≠ 0, then grad += tᵢxᵢ in row order, tᵢ = ((0.5·hᵢ)·ωᵢ)·aᵢ, rows
 * with tᵢ = 0 skipped.
 */
export function jeffreysLeverages(
  X: usize, p: i32, R: usize, omega: usize, a: usize, G: usize, h: usize, grad: usize, start: i32, end: i32, u: usize,
): void {
  const rowBytes = <usize>p << 3;
  const zero = f64x2.splat(0);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const io = <usize>i << 3;
    const w0 = load<f64>(omega + io), w1 = load<f64>(omega + io, 8), w2 = load<f64>(omega + io, 16), w3 = load<f64>(omega + io, 24);
    const x0 = X + <usize>i * rowBytes, x1 = x0 + rowBytes, x2 = x1 + rowBytes, x3 = x2 + rowBytes;
    const g0 = G + <usize>i * rowBytes, g1 = g0 + rowBytes, g2 = g1 + rowBytes, g3 = g2 + rowBytes;
    if (w0 == 0 && w1 == 0 && w2 == 0 && w3 == 0) {
      memory.fill(g0, 0, rowBytes << 2);
      v128.store(h + io, zero);
      v128.store(h + io, zero, 16);
    } else {
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
        store<f64>(g0 + ko, f64x2.extract_lane(t01, 0));
        store<f64>(g1 + ko, f64x2.extract_lane(t01, 1));
        store<f64>(g2 + ko, f64x2.extract_lane(t23, 0));
        store<f64>(g3 + ko, f64x2.extract_lane(t23, 1));
        ss01 = f64x2.add(ss01, f64x2.mul(t01, t01));
        ss23 = f64x2.add(ss23, f64x2.mul(t23, t23));
      }
      let h0 = f64x2.extract_lane(ss01, 0), h1 = f64x2.extract_lane(ss01, 1);
      let h2 = f64x2.extract_lane(ss23, 0), h3 = f64x2.extract_lane(ss23, 1);
      if (w0 == 0) { h0 = 0; memory.fill(g0, 0, rowBytes); }
      if (w1 == 0) { h1 = 0; memory.fill(g1, 0, rowBytes); }
      if (w2 == 0) { h2 = 0; memory.fill(g2, 0, rowBytes); }
      if (w3 == 0) { h3 = 0; memory.fill(g3, 0, rowBytes); }
      store<f64>(h + io, h0);
      store<f64>(h + io, h1, 8);
      store<f64>(h + io, h2, 16);
      store<f64>(h + io, h3, 24);
    }
    if (a == 0) continue;
    const t0 = 0.5 * load<f64>(h + io) * w0 * load<f64>(a + io);
    const t1 = 0.5 * load<f64>(h + io, 8) * w1 * load<f64>(a + io, 8);
    const t2 = 0.5 * load<f64>(h + io, 16) * w2 * load<f64>(a + io, 16);
    const t3 = 0.5 * load<f64>(h + io, 24) * w3 * load<f64>(a + io, 24);
    if (t0 != 0) axpy(grad, x0, p, t0);
    if (t1 != 0) axpy(grad, x1, p, t1);
    if (t2 != 0) axpy(grad, x2, p, t2);
    if (t3 != 0) axpy(grad, x3, p, t3);
  }
  for (; i < end; i++) {
    const io = <usize>i << 3;
    const wi = load<f64>(omega + io);
    const xr = X + <usize>i * rowBytes;
    const gr = G + <usize>i * rowBytes;
    let hi: f64 = 0;
    if (wi != 0) {
      for (let k = 0; k < p; k++) {
        const ko = <usize>k << 3;
        let t = load<f64>(xr + ko);
        let rp = R + ko;
        for (let m = 0; m < k; m++) {
          t -= load<f64>(rp) * load<f64>(gr + (<usize>m << 3));
          rp += rowBytes;
        }
        t /= load<f64>(rp);
        store<f64>(gr + ko, t);
        hi += t * t;
      }
    } else {
      memory.fill(gr, 0, rowBytes);
    }
    store<f64>(h + io, hi);
    if (a == 0) continue;
    const ti = 0.5 * hi * wi * load<f64>(a + io);
    if (ti != 0) axpy(grad, xr, p, ti);
  }
}

/** Rows per chunk of the M_r pass (the chunk's rows of G, 128·p doubles, and its factors C stay in cache). */
const CHUNK: i32 = 128;

/**
 * The scaled columns s0ₜ = f0ₜ·g_tk and s1ₜ = f1ₜ·g_tk (f0, f1: factor columns, gk: column
 * k of the chunk's G transposed, rows doubles each) into S0 and S1, pairs of rows then one;
 * sₜ = 0 where fₜ = 0 (the oracle skips both fₜ = 0 and fₜ·g_tk = 0, so its skip test is
 * sₜ = 0; masked = false: no fₜ is 0). With two = false only s0. Returns bit 0: some s0ₜ is 0,
 * bit 1: some s1ₜ is 0.
 */
// @ts-ignore: decorator
@inline function scaledColumns(S0: usize, S1: usize, f0: usize, f1: usize, gk: usize, rows: i32, two: bool, masked: bool): i32 {
  const zero = f64x2.splat(0);
  let z0 = zero, z1 = zero;
  let t = 0;
  for (; t + 2 <= rows; t += 2) {
    const to = <usize>t << 3;
    const g = v128.load(gk + to);
    const fa = v128.load(f0 + to);
    let sa = f64x2.mul(fa, g);
    if (masked) sa = v128.andnot(sa, f64x2.eq(fa, zero));
    v128.store(S0 + to, sa);
    z0 = v128.or(z0, f64x2.eq(sa, zero));
    if (two) {
      const fb = v128.load(f1 + to);
      let sb = f64x2.mul(fb, g);
      if (masked) sb = v128.andnot(sb, f64x2.eq(fb, zero));
      v128.store(S1 + to, sb);
      z1 = v128.or(z1, f64x2.eq(sb, zero));
    }
  }
  let flags = (v128.any_true(z0) ? 1 : 0) | (v128.any_true(z1) ? 2 : 0);
  if (t < rows) {
    const to = <usize>t << 3;
    const g = load<f64>(gk + to);
    const fa = load<f64>(f0 + to);
    const sa = select<f64>(0, fa * g, fa == 0);
    store<f64>(S0 + to, sa);
    if (sa == 0) flags |= 1;
    if (two) {
      const fb = load<f64>(f1 + to);
      const sb = select<f64>(0, fb * g, fb == 0);
      store<f64>(S1 + to, sb);
      if (sb == 0) flags |= 2;
    }
  }
  return flags;
}

/** Whether one of the first rows doubles at col is 0. */
// @ts-ignore: decorator
@inline function hasZero(col: usize, rows: i32): bool {
  const zero = f64x2.splat(0);
  let z = zero;
  let t = 0;
  for (; t + 2 <= rows; t += 2) z = v128.or(z, f64x2.eq(v128.load(col + (<usize>t << 3)), zero));
  return v128.any_true(z) || (t < rows && load<f64>(col + (<usize>t << 3)) == 0);
}

/**
 * Row k of two matrices at once, m0[l] += s0ₜ·g_tl and m1[l] += s1ₜ·g_tl (l ≥ k), rows t
 * in order, every term added (no sₜ is 0): the loads of g_tl serve both, 2 r × 4 vectors
 * (8 accumulators), then 2 r × 1 vector, then one entry.
 */
// @ts-ignore: decorator
@inline function pairRow(m0: usize, m1: usize, S0: usize, S1: usize, g0: usize, rowBytes: usize, rows: i32, k: i32, p: i32): void {
  const sEnd = S0 + (<usize>rows << 3);
  const d1 = S1 - S0;
  let l = k;
  for (; l + 8 <= p; l += 8) {
    const lo = <usize>l << 3;
    let a0 = v128.load(m0 + lo), a1 = v128.load(m0 + lo, 16), a2 = v128.load(m0 + lo, 32), a3 = v128.load(m0 + lo, 48);
    let b0 = v128.load(m1 + lo), b1 = v128.load(m1 + lo, 16), b2 = v128.load(m1 + lo, 32), b3 = v128.load(m1 + lo, 48);
    let gi = g0 + lo;
    for (let sp = S0; sp < sEnd; sp += 8) {
      const s0 = v128.load64_splat(sp), s1 = v128.load64_splat(sp + d1);
      let v = v128.load(gi);
      a0 = f64x2.add(a0, f64x2.mul(s0, v));
      b0 = f64x2.add(b0, f64x2.mul(s1, v));
      v = v128.load(gi, 16);
      a1 = f64x2.add(a1, f64x2.mul(s0, v));
      b1 = f64x2.add(b1, f64x2.mul(s1, v));
      v = v128.load(gi, 32);
      a2 = f64x2.add(a2, f64x2.mul(s0, v));
      b2 = f64x2.add(b2, f64x2.mul(s1, v));
      v = v128.load(gi, 48);
      a3 = f64x2.add(a3, f64x2.mul(s0, v));
      b3 = f64x2.add(b3, f64x2.mul(s1, v));
      gi += rowBytes;
    }
    v128.store(m0 + lo, a0); v128.store(m0 + lo, a1, 16); v128.store(m0 + lo, a2, 32); v128.store(m0 + lo, a3, 48);
    v128.store(m1 + lo, b0); v128.store(m1 + lo, b1, 16); v128.store(m1 + lo, b2, 32); v128.store(m1 + lo, b3, 48);
  }
  if (l + 4 <= p) {
    const lo = <usize>l << 3;
    let a0 = v128.load(m0 + lo), a1 = v128.load(m0 + lo, 16);
    let b0 = v128.load(m1 + lo), b1 = v128.load(m1 + lo, 16);
    let gi = g0 + lo;
    for (let sp = S0; sp < sEnd; sp += 8) {
      const s0 = v128.load64_splat(sp), s1 = v128.load64_splat(sp + d1);
      let v = v128.load(gi);
      a0 = f64x2.add(a0, f64x2.mul(s0, v));
      b0 = f64x2.add(b0, f64x2.mul(s1, v));
      v = v128.load(gi, 16);
      a1 = f64x2.add(a1, f64x2.mul(s0, v));
      b1 = f64x2.add(b1, f64x2.mul(s1, v));
      gi += rowBytes;
    }
    v128.store(m0 + lo, a0); v128.store(m0 + lo, a1, 16);
    v128.store(m1 + lo, b0); v128.store(m1 + lo, b1, 16);
    l += 4;
  }
  for (; l + 2 <= p; l += 2) {
    const lo = <usize>l << 3;
    let a0 = v128.load(m0 + lo), b0 = v128.load(m1 + lo);
    let gi = g0 + lo;
    for (let sp = S0; sp < sEnd; sp += 8) {
      const v = v128.load(gi);
      a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(sp), v));
      b0 = f64x2.add(b0, f64x2.mul(v128.load64_splat(sp + d1), v));
      gi += rowBytes;
    }
    v128.store(m0 + lo, a0);
    v128.store(m1 + lo, b0);
  }
  if (l < p) {
    const lo = <usize>l << 3;
    let a0 = load<f64>(m0 + lo), b0 = load<f64>(m1 + lo);
    let gi = g0 + lo;
    for (let sp = S0; sp < sEnd; sp += 8) {
      const v = load<f64>(gi);
      a0 += load<f64>(sp) * v;
      b0 += load<f64>(sp + d1) * v;
      gi += rowBytes;
    }
    store<f64>(m0 + lo, a0);
    store<f64>(m1 + lo, b0);
  }
}

/** Row k of one matrix, m[l] += sₜ·g_tl (l ≥ k), rows t in order, every term added: 4 vectors, then 1, then one entry. */
// @ts-ignore: decorator
@inline function fullRow(m: usize, S: usize, g0: usize, rowBytes: usize, rows: i32, k: i32, p: i32): void {
  const sEnd = S + (<usize>rows << 3);
  let l = k;
  for (; l + 8 <= p; l += 8) {
    const lo = <usize>l << 3;
    let a0 = v128.load(m + lo), a1 = v128.load(m + lo, 16), a2 = v128.load(m + lo, 32), a3 = v128.load(m + lo, 48);
    let gi = g0 + lo;
    for (let sp = S; sp < sEnd; sp += 8) {
      const s = v128.load64_splat(sp);
      a0 = f64x2.add(a0, f64x2.mul(s, v128.load(gi)));
      a1 = f64x2.add(a1, f64x2.mul(s, v128.load(gi, 16)));
      a2 = f64x2.add(a2, f64x2.mul(s, v128.load(gi, 32)));
      a3 = f64x2.add(a3, f64x2.mul(s, v128.load(gi, 48)));
      gi += rowBytes;
    }
    v128.store(m + lo, a0); v128.store(m + lo, a1, 16); v128.store(m + lo, a2, 32); v128.store(m + lo, a3, 48);
  }
  for (; l + 2 <= p; l += 2) {
    const lo = <usize>l << 3;
    let a0 = v128.load(m + lo);
    let gi = g0 + lo;
    for (let sp = S; sp < sEnd; sp += 8) {
      a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(sp), v128.load(gi)));
      gi += rowBytes;
    }
    v128.store(m + lo, a0);
  }
  if (l < p) {
    const lo = <usize>l << 3;
    let a0 = load<f64>(m + lo);
    let gi = g0 + lo;
    for (let sp = S; sp < sEnd; sp += 8) {
      a0 += load<f64>(sp) * load<f64>(gi);
      gi += rowBytes;
    }
    store<f64>(m + lo, a0);
  }
}

/** Row k of one matrix, m[l] += sₜ·g_tl (l ≥ k), rows t in order, rows with sₜ = 0 skipped (the oracle's skips): 2 vectors, then 1, then one entry. */
// @ts-ignore: decorator
@inline function skipRow(m: usize, S: usize, g0: usize, rowBytes: usize, rows: i32, k: i32, p: i32): void {
  const sEnd = S + (<usize>rows << 3);
  let l = k;
  for (; l + 4 <= p; l += 4) {
    const lo = <usize>l << 3;
    let a0 = v128.load(m + lo), a1 = v128.load(m + lo, 16);
    let gi = g0 + lo;
    for (let sp = S; sp < sEnd; sp += 8) {
      const st = load<f64>(sp);
      if (st != 0) {
        const s = f64x2.splat(st);
        a0 = f64x2.add(a0, f64x2.mul(s, v128.load(gi)));
        a1 = f64x2.add(a1, f64x2.mul(s, v128.load(gi, 16)));
      }
      gi += rowBytes;
    }
    v128.store(m + lo, a0);
    v128.store(m + lo, a1, 16);
  }
  for (; l + 2 <= p; l += 2) {
    const lo = <usize>l << 3;
    let a0 = v128.load(m + lo);
    let gi = g0 + lo;
    for (let sp = S; sp < sEnd; sp += 8) {
      const st = load<f64>(sp);
      if (st != 0) a0 = f64x2.add(a0, f64x2.mul(f64x2.splat(st), v128.load(gi)));
      gi += rowBytes;
    }
    v128.store(m + lo, a0);
  }
  if (l < p) {
    const lo = <usize>l << 3;
    let a0 = load<f64>(m + lo);
    let gi = g0 + lo;
    for (let sp = S; sp < sEnd; sp += 8) {
      const st = load<f64>(sp);
      if (st != 0) a0 += st * load<f64>(gi);
      gi += rowBytes;
    }
    store<f64>(m + lo, a0);
  }
}

/** Row k of one matrix from its scaled column S (zero: whether some sₜ is 0, then the skipping loop). */
// @ts-ignore: decorator
@inline function oneRow(m: usize, S: usize, zero: bool, g0: usize, rowBytes: usize, rows: i32, k: i32, p: i32): void {
  if (zero) skipRow(m, S, g0, rowBytes, rows, k, p);
  else fullRow(m, S, g0, rowBytes, rows, k, p);
}

/**
 * The Hessian's row sums over rows [start, end) with ωᵢ ≠ 0, in row order, into H
 * (dim×dim row-major, upper triangle, added to) and M (q = p or p + 1 matrices p×p,
 * upper triangles, added to): with c = (0.5·hᵢ)·ωᵢ,
 * H_rs += (c·(aᵢ·aᵢ + aaᵢ)·x_r)·x_s (s ≥ r, rows with x_r = 0 skipped); with withAux also
 * H_rp += (c·(aᵢ·bᵢ + auᵢ))·x_r and H_pp += c·(bᵢ·bᵢ + bbᵢ); and
 * M_r[k, l] += ((ωᵢ·d_r)·g_k)·g_l (l ≥ k), d_r = aᵢ·x_r (r < p) or bᵢ, zero terms skipped.
 * H row by row. M by chunks of CHUNK rows: the chunk's factors fᵢᵣ = ωᵢ·d_r go to the
 * scratch C (q columns of CHUNK; 0 for ωᵢ = 0, skipped as f = 0 is), then for each pair
 * of matrices (r, r + 1) and row k the scaled columns sᵢ = fᵢᵣ·g_ik of both go to the
 * scratch after C (2·CHUNK), and the chunk's rows are added in row order in registers,
 * both matrices at once where neither column has a zero (the loads of g_il shared), else
 * one at a time (with the oracle's skips where its column has a zero); an odd q's last
 * matrix alone. Each entry still takes the oracle's terms row after row, the same products.
 * C holds CHUNK·(q + 2) doubles.
 */
export function jeffreysHessian(
  X: usize, p: i32, G: usize, omega: usize, h: usize, a: usize, aa: usize, au: usize, b: usize, bb: usize,
  H: usize, dim: i32, M: usize, withAux: i32, start: i32, end: i32, C: usize,
): void {
  const rowBytes = <usize>p << 3;
  const dimBytes = <usize>dim << 3;
  const matBytes = <usize>p * rowBytes;
  const q = withAux != 0 ? p + 1 : p;
  for (let i = start; i < end; i++) {
    const io = <usize>i << 3;
    const wi = load<f64>(omega + io);
    if (wi == 0) continue;
    const xr = X + <usize>i * rowBytes;
    const c = 0.5 * load<f64>(h + io) * wi;
    const ai = load<f64>(a + io);
    const cbb = c * (ai * ai + load<f64>(aa + io));
    for (let r = 0; r < p; r++) {
      const ro = <usize>r << 3;
      const x = load<f64>(xr + ro);
      if (x == 0) continue;
      axpy(H + <usize>r * dimBytes + ro, xr + ro, p - r, cbb * x);
    }
    if (withAux != 0) {
      const bi = load<f64>(b + io);
      const cbu = c * (ai * bi + load<f64>(au + io));
      const pc = H + (<usize>p << 3);
      for (let r = 0; r < p; r++) {
        const hp = pc + <usize>r * dimBytes;
        store<f64>(hp, load<f64>(hp) + cbu * load<f64>(xr + (<usize>r << 3)));
      }
      const hpp = pc + <usize>p * dimBytes;
      store<f64>(hpp, load<f64>(hpp) + c * (bi * bi + load<f64>(bb + io)));
    }
  }
  const colBytes = <usize>CHUNK << 3;
  const S0 = C + <usize>q * colBytes, S1 = S0 + colBytes, GT = S1 + colBytes;
  for (let i0 = start; i0 < end; i0 += CHUNK) {
    const i1 = min(i0 + CHUNK, end);
    const rows = i1 - i0;
    for (let i = i0; i < i1; i++) {
      const io = <usize>i << 3;
      const wi = load<f64>(omega + io);
      const ct = C + (<usize>(i - i0) << 3);
      const xr = X + <usize>i * rowBytes;
      const ai = load<f64>(a + io);
      for (let r = 0; r < p; r++) store<f64>(ct + <usize>r * colBytes, wi == 0 ? 0 : wi * (ai * load<f64>(xr + (<usize>r << 3))));
      if (withAux != 0) store<f64>(ct + <usize>p * colBytes, wi == 0 ? 0 : wi * load<f64>(b + io));
    }
    const g0 = G + <usize>i0 * rowBytes;
    for (let t = 0; t < rows; t++) {
      const gt = g0 + <usize>t * rowBytes, to = <usize>t << 3;
      for (let k = 0; k < p; k++) store<f64>(GT + <usize>k * colBytes + to, load<f64>(gt + (<usize>k << 3)));
    }
    let r = 0;
    for (; r + 2 <= q; r += 2) {
      const c0 = C + <usize>r * colBytes;
      const base = M + <usize>r * matBytes;
      const masked = hasZero(c0, rows) || hasZero(c0 + colBytes, rows);
      for (let k = 0; k < p; k++) {
        const gk = GT + <usize>k * colBytes;
        const z = masked ? scaledColumns(S0, S1, c0, c0 + colBytes, gk, rows, true, true) : scaledColumns(S0, S1, c0, c0 + colBytes, gk, rows, true, false);
        const m0 = base + <usize>k * rowBytes, m1 = m0 + matBytes;
        if (z == 0) {
          pairRow(m0, m1, S0, S1, g0, rowBytes, rows, k, p);
        } else {
          oneRow(m0, S0, (z & 1) != 0, g0, rowBytes, rows, k, p);
          oneRow(m1, S1, (z & 2) != 0, g0, rowBytes, rows, k, p);
        }
      }
    }
    if (r < q) {
      const c0 = C + <usize>r * colBytes;
      const base = M + <usize>r * matBytes;
      for (let k = 0; k < p; k++) {
        const z = scaledColumns(S0, S1, c0, c0, GT + <usize>k * colBytes, rows, false, true);
        oneRow(base + <usize>k * rowBytes, S0, z != 0, g0, rowBytes, rows, k, p);
      }
    }
  }
}

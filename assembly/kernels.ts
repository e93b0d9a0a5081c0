/**
 * WebAssembly SIMD (f64x2) kernels of glmkit's dense hot loops, in AssemblyScript.
 * Compiled by scripts/build-wasm.mjs into src/linalg/kernels/wasm-bytes.ts (the
 * bytes are committed; `npm run build:wasm -- --check` verifies they are current).
 *
 * Every argument named like an array is a byte address in the (imported, shared)
 * linear memory of a row-major Float64Array; `start`/`end` are row bounds. No
 * kernel allocates. Each lane of a vector operation computes exactly the scalar
 * expression of the TypeScript oracle (src/linalg/kernels/plain.ts) in the same
 * order: wasm never contracts a·b + c into a fused multiply-add and binaryen does
 * not reassociate floating point, so results are bit-identical to the oracle.
 * The summation orders are documented in docs/kernels.md.
 */

// @ts-nocheck (AssemblyScript, not TypeScript)

/** A[row, k…k+1] += ((a0·y0 + a1·y1) + a2·y2) + a3·y3, lane by lane (a_r splat, y_r = x_r,k…k+1). */
// @ts-ignore: decorator
@inline function tile(ap: usize, a0: v128, a1: v128, a2: v128, a3: v128, y0: v128, y1: v128, y2: v128, y3: v128): void {
  v128.store(ap, f64x2.add(v128.load(ap),
    f64x2.add(f64x2.add(f64x2.add(f64x2.mul(a0, y0), f64x2.mul(a1, y1)), f64x2.mul(a2, y2)), f64x2.mul(a3, y3))));
}

/** A[row, k] += ((a0·y0 + a1·y1) + a2·y2) + a3·y3 in scalars, a_r = lane `lane` of v_r. */
// @ts-ignore: decorator
@inline function single(ap: usize, v0: v128, v1: v128, v2: v128, v3: v128, lane: i32, y0: f64, y1: f64, y2: f64, y3: f64): void {
  const a0 = lane == 0 ? f64x2.extract_lane(v0, 0) : f64x2.extract_lane(v0, 1);
  const a1 = lane == 0 ? f64x2.extract_lane(v1, 0) : f64x2.extract_lane(v1, 1);
  const a2 = lane == 0 ? f64x2.extract_lane(v2, 0) : f64x2.extract_lane(v2, 1);
  const a3 = lane == 0 ? f64x2.extract_lane(v3, 0) : f64x2.extract_lane(v3, 1);
  store<f64>(ap, load<f64>(ap) + (a0 * y0 + a1 * y1 + a2 * y2 + a3 * y3));
}

/**
 * A = XᵀWX (p×p, upper triangle accumulated then mirrored) and b = XᵀWz over rows
 * [start, end); A and b are overwritten. Rows four at a time; rows of A four at a
 * time (then two, then one), columns k of A two per f64x2 vector; every entry gets
 * the oracle's A[j,k] += ((a0·x0k + a1·x1k) + a2·x2k) + a3·x3k with a_r = w_r·x_rj
 * and b_j += ((a0·z0 + a1·z1) + a2·z2) + a3·z3 (the row tiling changes which
 * entries share registers, never an entry's sum).
 * Leftover rows one at a time, skipped when w = 0.
 */
export function crossprod(X: usize, p: i32, w: usize, z: usize, A: usize, b: usize, start: i32, end: i32): void {
  const pp = <usize>p;
  const rowBytes = pp << 3;
  memory.fill(A, 0, pp * rowBytes);
  memory.fill(b, 0, rowBytes);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const x0 = X + <usize>i * rowBytes;
    const x1 = x0 + rowBytes;
    const x2 = x1 + rowBytes;
    const x3 = x2 + rowBytes;
    const wp = w + (<usize>i << 3);
    const zp = z + (<usize>i << 3);
    const w0 = load<f64>(wp), w1 = load<f64>(wp, 8), w2 = load<f64>(wp, 16), w3 = load<f64>(wp, 24);
    const z0 = load<f64>(zp), z1 = load<f64>(zp, 8), z2 = load<f64>(zp, 16), z3 = load<f64>(zp, 24);
    const vw0 = f64x2.splat(w0), vw1 = f64x2.splat(w1), vw2 = f64x2.splat(w2), vw3 = f64x2.splat(w3);
    const vz0 = f64x2.splat(z0), vz1 = f64x2.splat(z1), vz2 = f64x2.splat(z2), vz3 = f64x2.splat(z3);
    let j = 0;
    for (; j + 4 <= p; j += 4) {
      const jo = <usize>j << 3;
      // w_r·x_r,j…j+3: the weighted entries of columns j … j + 3, two vectors per row.
      const ac0 = f64x2.mul(vw0, v128.load(x0 + jo)), ac1 = f64x2.mul(vw1, v128.load(x1 + jo));
      const ac2 = f64x2.mul(vw2, v128.load(x2 + jo)), ac3 = f64x2.mul(vw3, v128.load(x3 + jo));
      const ad0 = f64x2.mul(vw0, v128.load(x0 + jo, 16)), ad1 = f64x2.mul(vw1, v128.load(x1 + jo, 16));
      const ad2 = f64x2.mul(vw2, v128.load(x2 + jo, 16)), ad3 = f64x2.mul(vw3, v128.load(x3 + jo, 16));
      const bp = b + jo;
      v128.store(bp, f64x2.add(v128.load(bp), f64x2.add(f64x2.add(f64x2.add(
        f64x2.mul(ac0, vz0), f64x2.mul(ac1, vz1)), f64x2.mul(ac2, vz2)), f64x2.mul(ac3, vz3))));
      v128.store(bp, f64x2.add(v128.load(bp, 16), f64x2.add(f64x2.add(f64x2.add(
        f64x2.mul(ad0, vz0), f64x2.mul(ad1, vz1)), f64x2.mul(ad2, vz2)), f64x2.mul(ad3, vz3))), 16);
      // Rows j … j + 3 of A: row j + t takes lane t of (ac, ad) as its weights.
      const r0 = A + <usize>j * rowBytes, r1 = r0 + rowBytes, r2 = r1 + rowBytes, r3 = r2 + rowBytes;
      const p00 = v128.shuffle<f64>(ac0, ac0, 0, 0), p01 = v128.shuffle<f64>(ac1, ac1, 0, 0);
      const p02 = v128.shuffle<f64>(ac2, ac2, 0, 0), p03 = v128.shuffle<f64>(ac3, ac3, 0, 0);
      const p10 = v128.shuffle<f64>(ac0, ac0, 1, 1), p11 = v128.shuffle<f64>(ac1, ac1, 1, 1);
      const p12 = v128.shuffle<f64>(ac2, ac2, 1, 1), p13 = v128.shuffle<f64>(ac3, ac3, 1, 1);
      const p20 = v128.shuffle<f64>(ad0, ad0, 0, 0), p21 = v128.shuffle<f64>(ad1, ad1, 0, 0);
      const p22 = v128.shuffle<f64>(ad2, ad2, 0, 0), p23 = v128.shuffle<f64>(ad3, ad3, 0, 0);
      const p30 = v128.shuffle<f64>(ad0, ad0, 1, 1), p31 = v128.shuffle<f64>(ad1, ad1, 1, 1);
      const p32 = v128.shuffle<f64>(ad2, ad2, 1, 1), p33 = v128.shuffle<f64>(ad3, ad3, 1, 1);
      // The tile's own columns j … j + 3 (entries below the diagonal are computed and later overwritten by the mirror).
      {
        const y0 = v128.load(x0 + jo), y1 = v128.load(x1 + jo), y2 = v128.load(x2 + jo), y3 = v128.load(x3 + jo);
        tile(r0 + jo, p00, p01, p02, p03, y0, y1, y2, y3);
        tile(r1 + jo, p10, p11, p12, p13, y0, y1, y2, y3);
      }
      {
        const y0 = v128.load(x0 + jo, 16), y1 = v128.load(x1 + jo, 16), y2 = v128.load(x2 + jo, 16), y3 = v128.load(x3 + jo, 16);
        tile(r0 + jo + 16, p00, p01, p02, p03, y0, y1, y2, y3);
        tile(r1 + jo + 16, p10, p11, p12, p13, y0, y1, y2, y3);
        tile(r2 + jo + 16, p20, p21, p22, p23, y0, y1, y2, y3);
        tile(r3 + jo + 16, p30, p31, p32, p33, y0, y1, y2, y3);
      }
      let k = j + 4;
      for (; k + 2 <= p; k += 2) {
        const ko = <usize>k << 3;
        const y0 = v128.load(x0 + ko), y1 = v128.load(x1 + ko), y2 = v128.load(x2 + ko), y3 = v128.load(x3 + ko);
        tile(r0 + ko, p00, p01, p02, p03, y0, y1, y2, y3);
        tile(r1 + ko, p10, p11, p12, p13, y0, y1, y2, y3);
        tile(r2 + ko, p20, p21, p22, p23, y0, y1, y2, y3);
        tile(r3 + ko, p30, p31, p32, p33, y0, y1, y2, y3);
      }
      if (k < p) {
        const ko = <usize>k << 3;
        const y0 = load<f64>(x0 + ko), y1 = load<f64>(x1 + ko), y2 = load<f64>(x2 + ko), y3 = load<f64>(x3 + ko);
        single(r0 + ko, ac0, ac1, ac2, ac3, 0, y0, y1, y2, y3);
        single(r1 + ko, ac0, ac1, ac2, ac3, 1, y0, y1, y2, y3);
        single(r2 + ko, ad0, ad1, ad2, ad3, 0, y0, y1, y2, y3);
        single(r3 + ko, ad0, ad1, ad2, ad3, 1, y0, y1, y2, y3);
      }
    }
    for (; j + 2 <= p; j += 2) {
      const jo = <usize>j << 3;
      const ac0 = f64x2.mul(vw0, v128.load(x0 + jo)), ac1 = f64x2.mul(vw1, v128.load(x1 + jo));
      const ac2 = f64x2.mul(vw2, v128.load(x2 + jo)), ac3 = f64x2.mul(vw3, v128.load(x3 + jo));
      const bp = b + jo;
      v128.store(bp, f64x2.add(v128.load(bp), f64x2.add(f64x2.add(f64x2.add(
        f64x2.mul(ac0, vz0), f64x2.mul(ac1, vz1)), f64x2.mul(ac2, vz2)), f64x2.mul(ac3, vz3))));
      const r0 = A + <usize>j * rowBytes, r1 = r0 + rowBytes;
      const p00 = v128.shuffle<f64>(ac0, ac0, 0, 0), p01 = v128.shuffle<f64>(ac1, ac1, 0, 0);
      const p02 = v128.shuffle<f64>(ac2, ac2, 0, 0), p03 = v128.shuffle<f64>(ac3, ac3, 0, 0);
      const p10 = v128.shuffle<f64>(ac0, ac0, 1, 1), p11 = v128.shuffle<f64>(ac1, ac1, 1, 1);
      const p12 = v128.shuffle<f64>(ac2, ac2, 1, 1), p13 = v128.shuffle<f64>(ac3, ac3, 1, 1);
      let k = j;
      for (; k + 2 <= p; k += 2) {
        const ko = <usize>k << 3;
        const y0 = v128.load(x0 + ko), y1 = v128.load(x1 + ko), y2 = v128.load(x2 + ko), y3 = v128.load(x3 + ko);
        tile(r0 + ko, p00, p01, p02, p03, y0, y1, y2, y3);
        tile(r1 + ko, p10, p11, p12, p13, y0, y1, y2, y3);
      }
      if (k < p) {
        const ko = <usize>k << 3;
        const y0 = load<f64>(x0 + ko), y1 = load<f64>(x1 + ko), y2 = load<f64>(x2 + ko), y3 = load<f64>(x3 + ko);
        single(r0 + ko, ac0, ac1, ac2, ac3, 0, y0, y1, y2, y3);
        single(r1 + ko, ac0, ac1, ac2, ac3, 1, y0, y1, y2, y3);
      }
    }
    if (j < p) {
      const jo = <usize>j << 3;
      const e0 = load<f64>(x0 + jo), e1 = load<f64>(x1 + jo), e2 = load<f64>(x2 + jo), e3 = load<f64>(x3 + jo);
      const a0 = w0 * e0, a1 = w1 * e1, a2 = w2 * e2, a3 = w3 * e3;
      const bp = b + jo;
      store<f64>(bp, load<f64>(bp) + (a0 * z0 + a1 * z1 + a2 * z2 + a3 * z3));
      const dp = A + <usize>j * rowBytes + jo;
      store<f64>(dp, load<f64>(dp) + (a0 * e0 + a1 * e1 + a2 * e2 + a3 * e3));
    }
  }
  for (; i < end; i++) {
    const wi = load<f64>(w + (<usize>i << 3));
    if (wi == 0) continue;
    const xr = X + <usize>i * rowBytes;
    const wz = wi * load<f64>(z + (<usize>i << 3));
    for (let j = 0; j < p; j++) {
      const jo = <usize>j << 3;
      const xj = load<f64>(xr + jo);
      const wxj = wi * xj;
      store<f64>(b + jo, load<f64>(b + jo) + wz * xj);
      const aRow = A + <usize>j * rowBytes;
      const vw = f64x2.splat(wxj);
      let k = j;
      for (; k + 2 <= p; k += 2) {
        const ko = <usize>k << 3;
        v128.store(aRow + ko, f64x2.add(v128.load(aRow + ko), f64x2.mul(vw, v128.load(xr + ko))));
      }
      if (k < p) {
        const ko = <usize>k << 3;
        store<f64>(aRow + ko, load<f64>(aRow + ko) + wxj * load<f64>(xr + ko));
      }
    }
  }
  for (let j = 0; j < p; j++) {
    for (let k = j + 1; k < p; k++) {
      store<f64>(A + ((<usize>k * pp + <usize>j) << 3), load<f64>(A + ((<usize>j * pp + <usize>k) << 3)));
    }
  }
}

/**
 * η_i = offset_i + Σ_j x_ij β_j for rows [start, end), each row summed in the
 * order offset, j = 0, 1, … (offset = 0: no offset, the sum starts at 0). Two rows
 * per vector (lane = row): the products of two columns are formed as one vector
 * per row, then transposed by shuffles, so each lane adds x_ij·β_j then
 * x_i,j+1·β_j+1 in order.
 */
export function xbeta(X: usize, p: i32, beta: usize, offset: usize, out: usize, start: i32, end: i32): void {
  const rowBytes = <usize>p << 3;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const x0 = X + <usize>i * rowBytes;
    const x1 = x0 + rowBytes;
    const x2 = x1 + rowBytes;
    const x3 = x2 + rowBytes;
    const io = <usize>i << 3;
    let s01 = f64x2.splat(0);
    let s23 = f64x2.splat(0);
    if (offset != 0) {
      s01 = v128.load(offset + io);
      s23 = v128.load(offset + io, 16);
    }
    let j = 0;
    for (; j + 2 <= p; j += 2) {
      const jo = <usize>j << 3;
      const bb = v128.load(beta + jo);
      const m0 = f64x2.mul(v128.load(x0 + jo), bb);
      const m1 = f64x2.mul(v128.load(x1 + jo), bb);
      const m2 = f64x2.mul(v128.load(x2 + jo), bb);
      const m3 = f64x2.mul(v128.load(x3 + jo), bb);
      s01 = f64x2.add(s01, v128.shuffle<f64>(m0, m1, 0, 2));
      s23 = f64x2.add(s23, v128.shuffle<f64>(m2, m3, 0, 2));
      s01 = f64x2.add(s01, v128.shuffle<f64>(m0, m1, 1, 3));
      s23 = f64x2.add(s23, v128.shuffle<f64>(m2, m3, 1, 3));
    }
    if (j < p) {
      const jo = <usize>j << 3;
      const bb = f64x2.splat(load<f64>(beta + jo));
      s01 = f64x2.add(s01, f64x2.mul(f64x2.replace_lane(f64x2.splat(load<f64>(x0 + jo)), 1, load<f64>(x1 + jo)), bb));
      s23 = f64x2.add(s23, f64x2.mul(f64x2.replace_lane(f64x2.splat(load<f64>(x2 + jo)), 1, load<f64>(x3 + jo)), bb));
    }
    v128.store(out + io, s01);
    v128.store(out + io, s23, 16);
  }
  for (; i < end; i++) {
    const xr = X + <usize>i * rowBytes;
    let s: f64 = offset != 0 ? load<f64>(offset + (<usize>i << 3)) : 0;
    for (let j = 0; j < p; j++) s += load<f64>(xr + (<usize>j << 3)) * load<f64>(beta + (<usize>j << 3));
    store<f64>(out + (<usize>i << 3), s);
  }
}

/**
 * g = Xᵀr over rows [start, end): g_j += ((x0j·r0 + x1j·r1) + x2j·r2) + x3j·r3 for
 * each block of four rows, then g_j += x_ij·r_i for the leftover rows; columns two
 * per vector. `accumulate` = 0 zeroes g first; 1 adds to it (a pass split into
 * blocks whose bounds are multiples of four sums in the same order as one pass).
 */
export function xtr(X: usize, p: i32, r: usize, g: usize, start: i32, end: i32, accumulate: i32): void {
  const rowBytes = <usize>p << 3;
  if (accumulate == 0) memory.fill(g, 0, rowBytes);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const x0 = X + <usize>i * rowBytes;
    const x1 = x0 + rowBytes;
    const x2 = x1 + rowBytes;
    const x3 = x2 + rowBytes;
    const rp = r + (<usize>i << 3);
    const r0 = load<f64>(rp), r1 = load<f64>(rp, 8), r2 = load<f64>(rp, 16), r3 = load<f64>(rp, 24);
    const v0 = f64x2.splat(r0), v1 = f64x2.splat(r1), v2 = f64x2.splat(r2), v3 = f64x2.splat(r3);
    let j = 0;
    for (; j + 2 <= p; j += 2) {
      const jo = <usize>j << 3;
      const gp = g + jo;
      v128.store(gp, f64x2.add(v128.load(gp), f64x2.add(f64x2.add(f64x2.add(
        f64x2.mul(v128.load(x0 + jo), v0), f64x2.mul(v128.load(x1 + jo), v1)),
        f64x2.mul(v128.load(x2 + jo), v2)), f64x2.mul(v128.load(x3 + jo), v3))));
    }
    if (j < p) {
      const jo = <usize>j << 3;
      store<f64>(g + jo, load<f64>(g + jo) +
        (load<f64>(x0 + jo) * r0 + load<f64>(x1 + jo) * r1 + load<f64>(x2 + jo) * r2 + load<f64>(x3 + jo) * r3));
    }
  }
  for (; i < end; i++) {
    const xr = X + <usize>i * rowBytes;
    const ri = load<f64>(r + (<usize>i << 3));
    const v = f64x2.splat(ri);
    let j = 0;
    for (; j + 2 <= p; j += 2) {
      const jo = <usize>j << 3;
      v128.store(g + jo, f64x2.add(v128.load(g + jo), f64x2.mul(v128.load(xr + jo), v)));
    }
    if (j < p) {
      const jo = <usize>j << 3;
      store<f64>(g + jo, load<f64>(g + jo) + load<f64>(xr + jo) * ri);
    }
  }
}

/**
 * The machine's f64x2 arithmetic rate, for the benchmarks' floor: `iters` rounds of
 * twelve independent chains acc ← acc·m + c (one f64x2 multiply and one add each,
 * 48 flops a round), enough chains to keep the floating-point ports busy. Returns a
 * sum of the chains so the work is not optimised away.
 */
export function peak(iters: i32): f64 {
  const m = f64x2.splat(0.999999), c = f64x2.splat(1e-7);
  let a0 = f64x2.splat(1.0), a1 = f64x2.splat(1.1), a2 = f64x2.splat(1.2), a3 = f64x2.splat(1.3);
  let a4 = f64x2.splat(1.4), a5 = f64x2.splat(1.5), a6 = f64x2.splat(1.6), a7 = f64x2.splat(1.7);
  let a8 = f64x2.splat(1.8), a9 = f64x2.splat(1.9), a10 = f64x2.splat(2.0), a11 = f64x2.splat(2.1);
  for (let i = 0; i < iters; i++) {
    a0 = f64x2.add(f64x2.mul(a0, m), c); a1 = f64x2.add(f64x2.mul(a1, m), c);
    a2 = f64x2.add(f64x2.mul(a2, m), c); a3 = f64x2.add(f64x2.mul(a3, m), c);
    a4 = f64x2.add(f64x2.mul(a4, m), c); a5 = f64x2.add(f64x2.mul(a5, m), c);
    a6 = f64x2.add(f64x2.mul(a6, m), c); a7 = f64x2.add(f64x2.mul(a7, m), c);
    a8 = f64x2.add(f64x2.mul(a8, m), c); a9 = f64x2.add(f64x2.mul(a9, m), c);
    a10 = f64x2.add(f64x2.mul(a10, m), c); a11 = f64x2.add(f64x2.mul(a11, m), c);
  }
  const s = f64x2.add(f64x2.add(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)), f64x2.add(f64x2.add(a4, a5), f64x2.add(a6, a7))),
    f64x2.add(f64x2.add(a8, a9), f64x2.add(a10, a11)));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}
export * from "./irls-rows";

// exp, log, log1p bit-identical to V8's Math.* (assembly/math.ts); kernels use expV/logV/log1pV by import.
export { expS, logS, log1pS, expArray, logArray, log1pArray, mathInit } from "./math";
export * from "./design-scan";
export * from "./gradient";

export * from "./hat";
export * from "./fastmath";
export * from "./jeffreys";
export * from "./irls-rows-more";
export * from "./logit-blocked";

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

/**
 * A = XᵀWX (p×p, upper triangle accumulated then mirrored) and b = XᵀWz over rows
 * [start, end); A and b are overwritten. Rows four at a time, rows of A two at a
 * time (the oracle's 4×2 tile), columns k of A two per f64x2 lane pair:
 * A[j,k] += ((a0·x0k + a1·x1k) + a2·x2k) + a3·x3k with a_r = w_r·x_rj.
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
    let j = 0;
    for (; j + 2 <= p; j += 2) {
      const jo = <usize>j << 3;
      const e0 = load<f64>(x0 + jo), e1 = load<f64>(x1 + jo), e2 = load<f64>(x2 + jo), e3 = load<f64>(x3 + jo);
      const a0 = w0 * e0, a1 = w1 * e1, a2 = w2 * e2, a3 = w3 * e3;
      const c0 = w0 * load<f64>(x0 + jo, 8), c1 = w1 * load<f64>(x1 + jo, 8);
      const c2 = w2 * load<f64>(x2 + jo, 8), c3 = w3 * load<f64>(x3 + jo, 8);
      const bp = b + jo;
      store<f64>(bp, load<f64>(bp) + (a0 * z0 + a1 * z1 + a2 * z2 + a3 * z3));
      store<f64>(bp, load<f64>(bp, 8) + (c0 * z0 + c1 * z1 + c2 * z2 + c3 * z3), 8);
      const aRow = A + <usize>j * rowBytes;
      const cRow = aRow + rowBytes;
      store<f64>(aRow + jo, load<f64>(aRow + jo) + (a0 * e0 + a1 * e1 + a2 * e2 + a3 * e3));
      const va0 = f64x2.splat(a0), va1 = f64x2.splat(a1), va2 = f64x2.splat(a2), va3 = f64x2.splat(a3);
      const vc0 = f64x2.splat(c0), vc1 = f64x2.splat(c1), vc2 = f64x2.splat(c2), vc3 = f64x2.splat(c3);
      let k = j + 1;
      for (; k + 2 <= p; k += 2) {
        const ko = <usize>k << 3;
        const y0 = v128.load(x0 + ko), y1 = v128.load(x1 + ko), y2 = v128.load(x2 + ko), y3 = v128.load(x3 + ko);
        const ap = aRow + ko;
        const cp = cRow + ko;
        v128.store(ap, f64x2.add(v128.load(ap),
          f64x2.add(f64x2.add(f64x2.add(f64x2.mul(va0, y0), f64x2.mul(va1, y1)), f64x2.mul(va2, y2)), f64x2.mul(va3, y3))));
        v128.store(cp, f64x2.add(v128.load(cp),
          f64x2.add(f64x2.add(f64x2.add(f64x2.mul(vc0, y0), f64x2.mul(vc1, y1)), f64x2.mul(vc2, y2)), f64x2.mul(vc3, y3))));
      }
      if (k < p) {
        const ko = <usize>k << 3;
        const y0 = load<f64>(x0 + ko), y1 = load<f64>(x1 + ko), y2 = load<f64>(x2 + ko), y3 = load<f64>(x3 + ko);
        store<f64>(aRow + ko, load<f64>(aRow + ko) + (a0 * y0 + a1 * y1 + a2 * y2 + a3 * y3));
        store<f64>(cRow + ko, load<f64>(cRow + ko) + (c0 * y0 + c1 * y1 + c2 * y2 + c3 * y3));
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

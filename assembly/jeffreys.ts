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

/** (a, b) as one vector: lane 0 = a, lane 1 = b. */
// @ts-ignore: decorator
@inline function pair2(a: f64, b: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}

/** y_k += c·x_k for k = 0 … len − 1 (pairs of entries, then one), in place; unaligned addresses allowed. */
// @ts-ignore: decorator
@inline function axpy(y: usize, x: usize, len: i32, c: f64): void {
  const vc = f64x2.splat(c);
  let k = 0;
  for (; k + 2 <= len; k += 2) {
    const ko = <usize>k << 3;
    v128.store(y + ko, f64x2.add(v128.load(y + ko), f64x2.mul(vc, v128.load(x + ko))));
  }
  if (k < len) {
    const ko = <usize>k << 3;
    store<f64>(y + ko, load<f64>(y + ko) + c * load<f64>(x + ko));
  }
}

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
        let t01 = pair2(load<f64>(x0 + ko), load<f64>(x1 + ko));
        let t23 = pair2(load<f64>(x2 + ko), load<f64>(x3 + ko));
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
 * The Hessian's row sums over rows [start, end) with ωᵢ ≠ 0, in row order, into H
 * (dim×dim row-major, upper triangle, added to) and M (q = p or p + 1 matrices p×p,
 * upper triangles, added to): with c = (0.5·hᵢ)·ωᵢ,
 * H_rs += (c·(aᵢ·aᵢ + aaᵢ)·x_r)·x_s (s ≥ r, rows with x_r = 0 skipped); with withAux also
 * H_rp += (c·(aᵢ·bᵢ + auᵢ))·x_r and H_pp += c·(bᵢ·bᵢ + bbᵢ); and
 * M_r[k, l] += ((ωᵢ·d_r)·g_k)·g_l (l ≥ k), d_r = aᵢ·x_r (r < p) or bᵢ, zero factors skipped.
 * H row by row. M by chunks of CHUNK rows: the chunk's factors fᵢᵣ = ωᵢ·d_r go to the
 * scratch C (CHUNK·q; 0 for ωᵢ = 0, skipped as f = 0 is), then for each M_r row k and
 * four (then two, then one) entries l, the chunk's rows are added in row order in
 * registers, so each entry still takes its terms row after row, as the oracle does.
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
  const qBytes = <usize>q << 3;
  for (let i0 = start; i0 < end; i0 += CHUNK) {
    const i1 = min(i0 + CHUNK, end);
    for (let i = i0; i < i1; i++) {
      const io = <usize>i << 3;
      const wi = load<f64>(omega + io);
      const cr = C + <usize>(i - i0) * qBytes;
      if (wi == 0) {
        memory.fill(cr, 0, qBytes);
        continue;
      }
      const xr = X + <usize>i * rowBytes;
      const ai = load<f64>(a + io);
      for (let r = 0; r < p; r++) store<f64>(cr + (<usize>r << 3), wi * (ai * load<f64>(xr + (<usize>r << 3))));
      if (withAux != 0) store<f64>(cr + (<usize>p << 3), wi * load<f64>(b + io));
    }
    const g0 = G + <usize>i0 * rowBytes;
    const rows = i1 - i0;
    for (let r = 0; r < q; r++) {
      const cr0 = C + (<usize>r << 3);
      const base = M + <usize>r * matBytes;
      let zeroF = false; // whether any factor fᵢᵣ of the chunk is 0 (then the rows are tested one by one)
      for (let t = 0; t < rows; t++) if (load<f64>(cr0 + <usize>t * qBytes) == 0) zeroF = true;
      for (let k = 0; k < p; k++) {
        const ko = <usize>k << 3;
        const mk = base + <usize>k * rowBytes;
        let zero = zeroF;
        if (!zero) for (let t = 0; t < rows; t++) if (load<f64>(g0 + <usize>t * rowBytes + ko) == 0) zero = true;
        let l = k;
        if (!zero) {
          // No zero factor and no zero g_k in the chunk: nothing is skipped, no tests.
          for (; l + 8 <= p; l += 8) {
            const lo = <usize>l << 3;
            let acc0 = v128.load(mk + lo), acc1 = v128.load(mk + lo, 16), acc2 = v128.load(mk + lo, 32), acc3 = v128.load(mk + lo, 48);
            for (let t = 0; t < rows; t++) {
              const gi = g0 + <usize>t * rowBytes;
              const s = f64x2.splat(load<f64>(cr0 + <usize>t * qBytes) * load<f64>(gi + ko));
              acc0 = f64x2.add(acc0, f64x2.mul(s, v128.load(gi + lo)));
              acc1 = f64x2.add(acc1, f64x2.mul(s, v128.load(gi + lo, 16)));
              acc2 = f64x2.add(acc2, f64x2.mul(s, v128.load(gi + lo, 32)));
              acc3 = f64x2.add(acc3, f64x2.mul(s, v128.load(gi + lo, 48)));
            }
            v128.store(mk + lo, acc0);
            v128.store(mk + lo, acc1, 16);
            v128.store(mk + lo, acc2, 32);
            v128.store(mk + lo, acc3, 48);
          }
          for (; l + 2 <= p; l += 2) {
            const lo = <usize>l << 3;
            let acc = v128.load(mk + lo);
            for (let t = 0; t < rows; t++) {
              const gi = g0 + <usize>t * rowBytes;
              acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(cr0 + <usize>t * qBytes) * load<f64>(gi + ko)), v128.load(gi + lo)));
            }
            v128.store(mk + lo, acc);
          }
          if (l < p) {
            const lo = <usize>l << 3;
            let acc = load<f64>(mk + lo);
            for (let t = 0; t < rows; t++) {
              const gi = g0 + <usize>t * rowBytes;
              acc += (load<f64>(cr0 + <usize>t * qBytes) * load<f64>(gi + ko)) * load<f64>(gi + lo);
            }
            store<f64>(mk + lo, acc);
          }
          continue;
        }
        for (; l + 4 <= p; l += 4) {
          const lo = <usize>l << 3;
          let acc0 = v128.load(mk + lo), acc1 = v128.load(mk + lo, 16);
          for (let t = 0; t < rows; t++) {
            const f = load<f64>(cr0 + <usize>t * qBytes);
            if (f == 0) continue;
            const gi = g0 + <usize>t * rowBytes;
            const gk = f * load<f64>(gi + ko);
            if (gk == 0) continue;
            const s = f64x2.splat(gk);
            acc0 = f64x2.add(acc0, f64x2.mul(s, v128.load(gi + lo)));
            acc1 = f64x2.add(acc1, f64x2.mul(s, v128.load(gi + lo, 16)));
          }
          v128.store(mk + lo, acc0);
          v128.store(mk + lo, acc1, 16);
        }
        for (; l + 2 <= p; l += 2) {
          const lo = <usize>l << 3;
          let acc = v128.load(mk + lo);
          for (let t = 0; t < rows; t++) {
            const f = load<f64>(cr0 + <usize>t * qBytes);
            if (f == 0) continue;
            const gi = g0 + <usize>t * rowBytes;
            const gk = f * load<f64>(gi + ko);
            if (gk == 0) continue;
            acc = f64x2.add(acc, f64x2.mul(f64x2.splat(gk), v128.load(gi + lo)));
          }
          v128.store(mk + lo, acc);
        }
        if (l < p) {
          const lo = <usize>l << 3;
          let acc = load<f64>(mk + lo);
          for (let t = 0; t < rows; t++) {
            const f = load<f64>(cr0 + <usize>t * qBytes);
            if (f == 0) continue;
            const gi = g0 + <usize>t * rowBytes;
            const gk = f * load<f64>(gi + ko);
            if (gk == 0) continue;
            acc += gk * load<f64>(gi + lo);
          }
          store<f64>(mk + lo, acc);
        }
      }
    }
  }
}

/**
 * The fused gradient of the GLM log density in one wasm call (issue 18): over rows
 * [0, n), η = Xβ + offset, the family's row terms r_i = ∂ℓ_i/∂η_i with ℓ, and
 * g = Xᵀr, eight rows at a time with X read once into L1 (η of the eight rows, the
 * family step on them, the next group's η, then g += on the eight rows from L1).
 *
 * The oracle is the TypeScript fused path of src/likelihood/log-posterior.ts
 * (linearPredictorRows, the kernel's gradRows, crossprodVectorRows over blocks of a
 * multiple of eight rows), and every sum here is that path's, term for term, so the
 * result is bit-identical (docs/glm-gradient.md):
 * - η_i, n ≥ 1024 rows (the gradient's own order since 2026-12-07 03:00, not IRLS's `xbeta`):
 *   E_i = Σ x_ij·β_j over even j and O_i over odd j, each from 0 in j order, then
 *   η_i = (E_i + O_i) + offset_i, every row alike (gradientEtaRows of log-posterior.ts). Lane =
 *   column parity: X read as it lies, one transpose per two rows instead of two shuffles per
 *   two columns and two rows (eta4p, eta1p).
 * - η_i, n < 1024: rows in groups of four from 0: s = 0; s += x_ij·β_j for j = 0, 1, …; then
 *   s + offset_i; rows after the last group of four: s = offset_i (or 0), then the
 *   same adds. (Two rows per f64x2 lane pair, transposed by shuffles, as `xbeta`.)
 * - ℓ and the aux sums: one running sum in row order (the family's gradRows), except the
 *   unit-weight blocked logit (fam 5: logitUnitGradient) and the Poisson (fam 2), whose ℓ is
 *   eight sums by row class i mod 8 with e^x by fastExp (assembly/fastmath.ts).
 * - g_j: groups of eight rows, g_j = (g_j + G_0..3) + G_4..7 with
 *   G_a..a+3 = ((x_aj·r_a + x_a+1,j·r_a+1) + x_a+2,j·r_a+2) + x_a+3,j·r_a+3; then one group of
 *   four, g_j += G; then the rows left one at a time, g_j += x_ij·r_i, skipped when r_i = 0.
 *
 * The family (`fam`): 0 binomial–logit with a log1p per row, 1 binomial–logit with the
 * blocked log of products of 64 factors (n ≥ 1024), 2 Poisson–log, 3 gaussian–identity,
 * 4 negative binomial–log (src/families/*-likelihood.ts: the same operations in the same
 * order), 5 binomial–logit blocked with every weight 1 (the oracle's blockedUnitRows).
 * `state` is the kernel's running-sum state (GRAD_STATE_LENGTH doubles, filled by its
 * gradBegin and read by its gradEnd). Returns 0 when ℓ is −∞ (gaussian and negative
 * binomial at a NaN η: the caller zeroes g), else 1.
 */

// @ts-nocheck (AssemblyScript, not TypeScript)

// exp, log and log1p with the bits of V8's Math.exp, Math.log and Math.log1p (the oracle's).
import { expS, expV, log1pS, log1pV, logS, logV } from "./math";
// The gradient's division-free e^x (the logit unit-weight rows only; src/likelihood/fast-exp.ts's bits).
import { fastExpMain, fastExpV } from "./fastmath";

const LN_2PI: f64 = 1.8378770664093453;
// fdlibm's exp constants, as assembly/math.ts (expNegMain repeats its expV).
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INVLN2: f64 = 1.44269504088896338700e+00;
const P1: f64 = 1.66666666666666019037e-01;
const P2: f64 = -2.77777777770155933842e-03;
const P3: f64 = 6.61375632143793436117e-05;
const P4: f64 = -1.65339022054652515390e-06;
const P5: f64 = 4.13813679705723846039e-08;
const MAGIC: f64 = 6755399441055744.0;
/** |x| from which expV hands a vector to the scalar port (the bits of 708). */
const EXP_RARE: i64 = 0x4086200000000000;

/**
 * assembly/math.ts's expV on lanes x = −|η| with |x| < 708 (the caller checks, and sends
 * other vectors to expV): the same operations, with the sign bit known to be set (so
 * halF[sign] = −0.5, ±1 = −1) and the x = 1 case impossible, hence the same bits.
 */
// @ts-ignore: decorator
@inline function expNegMain(x: v128): v128 {
  const ax = v128.and(x, i64x2.splat(0x7fffffffffffffff));
  const one = f64x2.splat(1.0);
  const kt = f64x2.trunc(f64x2.add(f64x2.mul(f64x2.splat(INVLN2), x), f64x2.splat(-0.5)));
  const middle = i64x2.lt_s(ax, i64x2.splat(0x3ff0a2b200000000));
  const small = i64x2.lt_s(ax, i64x2.splat(0x3fd62e4300000000));
  const kf = v128.andnot(v128.bitselect(f64x2.splat(-1.0), kt, middle), small);
  const hi = f64x2.sub(x, f64x2.mul(kf, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(kf, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  let pe = f64x2.add(f64x2.splat(P4), f64x2.mul(t, f64x2.splat(P5)));
  pe = f64x2.add(f64x2.splat(P3), f64x2.mul(t, pe));
  pe = f64x2.add(f64x2.splat(P2), f64x2.mul(t, pe));
  pe = f64x2.add(f64x2.splat(P1), f64x2.mul(t, pe));
  const c = f64x2.sub(r, f64x2.mul(t, pe));
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2.0), c));
  const y = f64x2.sub(one, f64x2.sub(f64x2.sub(lo, q), hi));
  const res = i64x2.add(y, i64x2.shl(f64x2.add(kf, f64x2.splat(MAGIC)), 52));
  return v128.bitselect(f64x2.add(one, x), res, i64x2.lt_s(ax, i64x2.splat(0x3e30000000000000)));
}
const DBL_EPSILON: f64 = 2.220446049250313e-16;
/** Rows from which η takes the gradient's column-parity order (log-posterior.ts GRADIENT_PARITY_MIN_ROWS). */
const PARITY_MIN_ROWS: i32 = 1024;


/**
 * η of the four rows from `i`, the gradient's column-parity order (no shuffles): lane 0 of a
 * row's accumulator sums E_i = Σ x_ij·β_j over even j, lane 1 O_i over odd j, each from +0 in
 * j order (an odd p's last column into lane 0, lane 1 adding +0·+0 = +0, which changes nothing:
 * a sum started at +0 is never −0); then η_i = (E_i + O_i) + offset_i (no add without offset).
 */
// @ts-ignore: decorator
@inline function eta4p(X: usize, rowBytes: usize, p: i32, beta: usize, offset: usize, eta: usize, i: i32): void {
  const x0 = X + <usize>i * rowBytes;
  const io = <usize>i << 3;
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= p; j += 4) {
    const xo = x0 + (<usize>j << 3);
    const bb = v128.load(beta + (<usize>j << 3));
    const bc = v128.load(beta + (<usize>j << 3), 16);
    a0 = f64x2.add(a0, f64x2.mul(v128.load(xo), bb));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(xo + rowBytes), bb));
    a2 = f64x2.add(a2, f64x2.mul(v128.load(xo + 2 * rowBytes), bb));
    a3 = f64x2.add(a3, f64x2.mul(v128.load(xo + 3 * rowBytes), bb));
    a0 = f64x2.add(a0, f64x2.mul(v128.load(xo, 16), bc));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(xo + rowBytes, 16), bc));
    a2 = f64x2.add(a2, f64x2.mul(v128.load(xo + 2 * rowBytes, 16), bc));
    a3 = f64x2.add(a3, f64x2.mul(v128.load(xo + 3 * rowBytes, 16), bc));
  }
  for (; j + 2 <= p; j += 2) {
    const xo = x0 + (<usize>j << 3);
    const bb = v128.load(beta + (<usize>j << 3));
    a0 = f64x2.add(a0, f64x2.mul(v128.load(xo), bb));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(xo + rowBytes), bb));
    a2 = f64x2.add(a2, f64x2.mul(v128.load(xo + 2 * rowBytes), bb));
    a3 = f64x2.add(a3, f64x2.mul(v128.load(xo + 3 * rowBytes), bb));
  }
  if (j < p) {
    const xo = x0 + (<usize>j << 3);
    const z = f64x2.splat(0);
    const bb = f64x2.replace_lane(z, 0, load<f64>(beta + (<usize>j << 3)));
    a0 = f64x2.add(a0, f64x2.mul(f64x2.replace_lane(z, 0, load<f64>(xo)), bb));
    a1 = f64x2.add(a1, f64x2.mul(f64x2.replace_lane(z, 0, load<f64>(xo + rowBytes)), bb));
    a2 = f64x2.add(a2, f64x2.mul(f64x2.replace_lane(z, 0, load<f64>(xo + 2 * rowBytes)), bb));
    a3 = f64x2.add(a3, f64x2.mul(f64x2.replace_lane(z, 0, load<f64>(xo + 3 * rowBytes)), bb));
  }
  // [E_i + O_i, E_i+1 + O_i+1]: one transpose per two rows (not per two columns).
  let e01 = f64x2.add(v128.shuffle<f64>(a0, a1, 0, 2), v128.shuffle<f64>(a0, a1, 1, 3));
  let e23 = f64x2.add(v128.shuffle<f64>(a2, a3, 0, 2), v128.shuffle<f64>(a2, a3, 1, 3));
  if (offset != 0) {
    e01 = f64x2.add(e01, v128.load(offset + io));
    e23 = f64x2.add(e23, v128.load(offset + io, 16));
  }
  v128.store(eta + io, e01);
  v128.store(eta + io, e23, 16);
}

/** η_i of one row in the same order as eta4p: E_i, O_i from 0 in j order, then (E_i + O_i) + offset_i. */
// @ts-ignore: decorator
@inline function eta1p(X: usize, rowBytes: usize, p: i32, beta: usize, offset: usize, eta: usize, i: i32): void {
  const xr = X + <usize>i * rowBytes;
  let e: f64 = 0;
  let o: f64 = 0;
  let j = 0;
  for (; j + 2 <= p; j += 2) {
    e += load<f64>(xr + (<usize>j << 3)) * load<f64>(beta + (<usize>j << 3));
    o += load<f64>(xr + (<usize>j << 3), 8) * load<f64>(beta + (<usize>j << 3), 8);
  }
  if (j < p) e += load<f64>(xr + (<usize>j << 3)) * load<f64>(beta + (<usize>j << 3));
  let s = e + o;
  if (offset != 0) s += load<f64>(offset + (<usize>i << 3));
  store<f64>(eta + (<usize>i << 3), s);
}

/** η of the four rows from `i` (a group of four): s = 0, s += x_ij·β_j in j order, then s + offset_i. */
// @ts-ignore: decorator
@inline function eta4(X: usize, rowBytes: usize, p: i32, beta: usize, offset: usize, eta: usize, i: i32): void {
  const x0 = X + <usize>i * rowBytes;
  const x1 = x0 + rowBytes;
  const x2 = x1 + rowBytes;
  const x3 = x2 + rowBytes;
  const io = <usize>i << 3;
  let s01 = f64x2.splat(0);
  let s23 = f64x2.splat(0);
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
  if (offset != 0) {
    s01 = f64x2.add(s01, v128.load(offset + io));
    s23 = f64x2.add(s23, v128.load(offset + io, 16));
  }
  v128.store(eta + io, s01);
  v128.store(eta + io, s23, 16);
}

/** η_i of one row after the last group of four: s = offset_i (or 0), s += x_ij·β_j in j order. */
// @ts-ignore: decorator
@inline function eta1(X: usize, rowBytes: usize, p: i32, beta: usize, offset: usize, eta: usize, i: i32): void {
  const xr = X + <usize>i * rowBytes;
  let s: f64 = offset != 0 ? load<f64>(offset + (<usize>i << 3)) : 0;
  for (let j = 0; j < p; j++) s += load<f64>(xr + (<usize>j << 3)) * load<f64>(beta + (<usize>j << 3));
  store<f64>(eta + (<usize>i << 3), s);
}

/** η of the four rows from `i`: eta4p (column parity) when `parity` (n ≥ 1024), else eta4. */
// @ts-ignore: decorator
@inline function etaQuad(parity: bool, X: usize, rowBytes: usize, p: i32, beta: usize, offset: usize, eta: usize, i: i32): void {
  if (parity) eta4p(X, rowBytes, p, beta, offset, eta, i);
  else eta4(X, rowBytes, p, beta, offset, eta, i);
}

/** η_i of one row: eta1p when `parity`, else eta1. */
// @ts-ignore: decorator
@inline function etaOne(parity: bool, X: usize, rowBytes: usize, p: i32, beta: usize, offset: usize, eta: usize, i: i32): void {
  if (parity) eta1p(X, rowBytes, p, beta, offset, eta, i);
  else eta1(X, rowBytes, p, beta, offset, eta, i);
}

/** G = ((x_0·r_0 + x_1·r_1) + x_2·r_2) + x_3·r_3 for two columns at `jo` of the four rows from x0. */
// @ts-ignore: decorator
@inline function group4(x0: usize, rowBytes: usize, jo: usize, v0: v128, v1: v128, v2: v128, v3: v128): v128 {
  return f64x2.add(f64x2.add(f64x2.add(
    f64x2.mul(v128.load(x0 + jo), v0), f64x2.mul(v128.load(x0 + rowBytes + jo), v1)),
    f64x2.mul(v128.load(x0 + 2 * rowBytes + jo), v2)), f64x2.mul(v128.load(x0 + 3 * rowBytes + jo), v3));
}

/** The scalar G of one column at `jo` of the four rows from x0. */
// @ts-ignore: decorator
@inline function group4s(x0: usize, rowBytes: usize, jo: usize, r0: f64, r1: f64, r2: f64, r3: f64): f64 {
  return load<f64>(x0 + jo) * r0 + load<f64>(x0 + rowBytes + jo) * r1 +
    load<f64>(x0 + 2 * rowBytes + jo) * r2 + load<f64>(x0 + 3 * rowBytes + jo) * r3;
}

/** g_j = (g_j + G_i..i+3) + G_i+4..i+7 for every column. */
// @ts-ignore: decorator
@inline function xtr8(X: usize, rowBytes: usize, p: i32, score: usize, g: usize, i: i32): void {
  const x0 = X + <usize>i * rowBytes;
  const x4 = x0 + 4 * rowBytes;
  const sp = score + (<usize>i << 3);
  // The eight r as splats loaded from memory (one load-and-duplicate each).
  const v0 = v128.load64_splat(sp), v1 = v128.load64_splat(sp, 8), v2 = v128.load64_splat(sp, 16), v3 = v128.load64_splat(sp, 24);
  const v4 = v128.load64_splat(sp, 32), v5 = v128.load64_splat(sp, 40), v6 = v128.load64_splat(sp, 48), v7 = v128.load64_splat(sp, 56);
  let j = 0;
  for (; j + 2 <= p; j += 2) {
    const jo = <usize>j << 3;
    const gp = g + jo;
    v128.store(gp, f64x2.add(f64x2.add(v128.load(gp), group4(x0, rowBytes, jo, v0, v1, v2, v3)), group4(x4, rowBytes, jo, v4, v5, v6, v7)));
  }
  if (j < p) {
    const jo = <usize>j << 3;
    const r0 = load<f64>(sp), r1 = load<f64>(sp, 8), r2 = load<f64>(sp, 16), r3 = load<f64>(sp, 24);
    const r4 = load<f64>(sp, 32), r5 = load<f64>(sp, 40), r6 = load<f64>(sp, 48), r7 = load<f64>(sp, 56);
    store<f64>(g + jo, (load<f64>(g + jo) + group4s(x0, rowBytes, jo, r0, r1, r2, r3)) + group4s(x4, rowBytes, jo, r4, r5, r6, r7));
  }
}

/** g_j += G_i..i+3 for every column. */
// @ts-ignore: decorator
@inline function xtr4(X: usize, rowBytes: usize, p: i32, score: usize, g: usize, i: i32): void {
  const x0 = X + <usize>i * rowBytes;
  const sp = score + (<usize>i << 3);
  const r0 = load<f64>(sp), r1 = load<f64>(sp, 8), r2 = load<f64>(sp, 16), r3 = load<f64>(sp, 24);
  const v0 = f64x2.splat(r0), v1 = f64x2.splat(r1), v2 = f64x2.splat(r2), v3 = f64x2.splat(r3);
  let j = 0;
  for (; j + 2 <= p; j += 2) {
    const jo = <usize>j << 3;
    const gp = g + jo;
    v128.store(gp, f64x2.add(v128.load(gp), group4(x0, rowBytes, jo, v0, v1, v2, v3)));
  }
  if (j < p) {
    const jo = <usize>j << 3;
    store<f64>(g + jo, load<f64>(g + jo) + group4s(x0, rowBytes, jo, r0, r1, r2, r3));
  }
}

/** g_j += x_ij·r_i for one row, skipped when r_i = 0. */
// @ts-ignore: decorator
@inline function xtr1(X: usize, rowBytes: usize, p: i32, score: usize, g: usize, i: i32): void {
  const ri = load<f64>(score + (<usize>i << 3));
  if (ri == 0) return;
  const xr = X + <usize>i * rowBytes;
  for (let j = 0; j < p; j++) {
    const jo = <usize>j << 3;
    store<f64>(g + jo, load<f64>(g + jo) + load<f64>(xr + jo) * ri);
  }
}

/**
 * out[0..8) ← e^{−|η|} of the eight η at `eo`, as four independent vectors (expNegMain, or expV
 * for all four when a lane is in exp's rare range: |η| ≥ 708 or NaN). out may alias nothing read later.
 */
// @ts-ignore: decorator
@inline function expNeg8(eo: usize, out: usize): void {
  const a0 = f64x2.abs(v128.load(eo)), a1 = f64x2.abs(v128.load(eo, 16));
  const a2 = f64x2.abs(v128.load(eo, 32)), a3 = f64x2.abs(v128.load(eo, 48));
  const lim = i64x2.splat(EXP_RARE);
  const rare = v128.or(v128.or(i64x2.ge_s(a0, lim), i64x2.ge_s(a1, lim)), v128.or(i64x2.ge_s(a2, lim), i64x2.ge_s(a3, lim)));
  if (v128.any_true(rare)) {
    v128.store(out, expV(f64x2.neg(a0))); v128.store(out, expV(f64x2.neg(a1)), 16);
    v128.store(out, expV(f64x2.neg(a2)), 32); v128.store(out, expV(f64x2.neg(a3)), 48);
  } else {
    v128.store(out, expNegMain(f64x2.neg(a0))); v128.store(out, expNegMain(f64x2.neg(a1)), 16);
    v128.store(out, expNegMain(f64x2.neg(a2)), 32); v128.store(out, expNegMain(f64x2.neg(a3)), 48);
  }
}

/** out[0..8) ← fastExp(η) of the eight η at `eo` (fastExpV's lanes at |η| ≥ 708 or NaN). */
// @ts-ignore: decorator
@inline function fastExp8(eo: usize, out: usize): void {
  const x0 = v128.load(eo), x1 = v128.load(eo, 16), x2 = v128.load(eo, 32), x3 = v128.load(eo, 48);
  // |η| < 708 (false for NaN) on every lane: the main path.
  const lim = f64x2.splat(708);
  const ok = v128.and(v128.and(f64x2.lt(f64x2.abs(x0), lim), f64x2.lt(f64x2.abs(x1), lim)),
    v128.and(f64x2.lt(f64x2.abs(x2), lim), f64x2.lt(f64x2.abs(x3), lim)));
  if (!i64x2.all_true(ok)) {
    v128.store(out, fastExpV(x0)); v128.store(out, fastExpV(x1), 16);
    v128.store(out, fastExpV(x2), 32); v128.store(out, fastExpV(x3), 48);
  } else {
    v128.store(out, fastExpMain(x0)); v128.store(out, fastExpMain(x1), 16);
    v128.store(out, fastExpMain(x2), 32); v128.store(out, fastExpMain(x3), 48);
  }
}

/**
 * out[0..8) ← fastExp(−|η|) of the eight η at `eo` (fastExpV's lanes at |η| ≥ 708 or NaN). −|η| is
 * η with the sign bit set; −|η| > −708 is false exactly where |η| ≥ 708 or NaN.
 */
// @ts-ignore: decorator
@inline function fastExpNeg8(eo: usize, out: usize): void {
  const sign = i64x2.splat(0x8000000000000000);
  const n0 = v128.or(v128.load(eo), sign), n1 = v128.or(v128.load(eo, 16), sign);
  const n2 = v128.or(v128.load(eo, 32), sign), n3 = v128.or(v128.load(eo, 48), sign);
  // −|η| > −708 (false for NaN) on every lane: the main path (f64 compares, native where i64x2.ge_s is not).
  const lim = f64x2.splat(-708);
  const ok = v128.and(v128.and(f64x2.gt(n0, lim), f64x2.gt(n1, lim)), v128.and(f64x2.gt(n2, lim), f64x2.gt(n3, lim)));
  if (!i64x2.all_true(ok)) {
    v128.store(out, fastExpV(n0)); v128.store(out, fastExpV(n1), 16);
    v128.store(out, fastExpV(n2), 32); v128.store(out, fastExpV(n3), 48);
  } else {
    v128.store(out, fastExpMain(n0)); v128.store(out, fastExpMain(n1), 16);
    v128.store(out, fastExpMain(n2), 32); v128.store(out, fastExpMain(n3), 48);
  }
}

/**
 * Binomial–logit rows [start, end), two at a time for t = e^{−|η|} (end − start even or
 * the last row alone): state [ℓ, product of 1 + t, its factors, blocked].
 * Per row (LogitKernel.perRow / blockedRows): μ = (η ≥ 0 ? 1 : t)/(1 + t), r = w(y − μ);
 * rows of weight 0 add nothing to ℓ; blocked: ℓ += w(yη − max(η, 0)) and, for w = 1, the
 * factor 1 + t into the product (ℓ −= log(product) every 64 factors), else ℓ −= w·log1p(t);
 * unblocked: ℓ += w(yη − (max(η, 0) + log1p(t))).
 */
function logitRows(blocked: bool, y: usize, w: usize, eta: usize, score: usize, state: usize, start: i32, end: i32): void {
  let ll = load<f64>(state);
  let product = load<f64>(state, 8);
  let factors = load<f64>(state, 16);
  const one = f64x2.splat(1);
  // A group of eight rows: t of all eight first (four independent vectors), parked in score.
  const group = end - start == 8;
  if (group) expNeg8(eta + (<usize>start << 3), score + (<usize>start << 3));
  for (let i = start; i < end; i += 2) {
    const io = <usize>i << 3;
    const pair = i + 1 < end;
    const e = pair ? v128.load(eta + io) : f64x2.splat(load<f64>(eta + io));
    const t = group ? v128.load(score + io) : expV(f64x2.neg(f64x2.abs(e)));
    const onePlusT = f64x2.add(one, t);
    // μ = (η ≥ 0 ? 1 : t)/(1 + t); a NaN η takes t (the comparison is false), as in TypeScript.
    const mu = f64x2.div(v128.bitselect(one, t, f64x2.ge(e, f64x2.splat(0))), onePlusT);
    const l1p = blocked ? t : log1pV(t); // log1p(t) lane by lane (unblocked rows only)
    const wv = pair ? v128.load(w + io) : f64x2.splat(load<f64>(w + io));
    const yv = pair ? v128.load(y + io) : f64x2.splat(load<f64>(y + io));
    const r = f64x2.mul(wv, f64x2.sub(yv, mu));
    if (pair) v128.store(score + io, r);
    else store<f64>(score + io, f64x2.extract_lane(r, 0));
    for (let lane = 0; lane < 2; lane++) {
      if (lane == 1 && !pair) break;
      const wi = lane == 0 ? f64x2.extract_lane(wv, 0) : f64x2.extract_lane(wv, 1);
      if (wi == 0) continue;
      const ei = lane == 0 ? f64x2.extract_lane(e, 0) : f64x2.extract_lane(e, 1);
      const yi = lane == 0 ? f64x2.extract_lane(yv, 0) : f64x2.extract_lane(yv, 1);
      const ti = lane == 0 ? f64x2.extract_lane(t, 0) : f64x2.extract_lane(t, 1);
      if (!blocked) {
        ll += wi * (yi * ei - (max<f64>(ei, 0) + (lane == 0 ? f64x2.extract_lane(l1p, 0) : f64x2.extract_lane(l1p, 1))));
        continue;
      }
      ll += wi * (yi * ei - max<f64>(ei, 0));
      if (wi == 1) {
        product *= lane == 0 ? f64x2.extract_lane(onePlusT, 0) : f64x2.extract_lane(onePlusT, 1);
        factors += 1;
        if (factors == 64) {
          ll -= logS(product);
          product = 1;
          factors = 0;
        }
      } else {
        ll -= wi * log1pS(ti);
      }
    }
  }
  store<f64>(state, ll);
  store<f64>(state, product, 8);
  store<f64>(state, factors, 16);
}

/**
 * Binomial–logit, blocked log, every weight 1 (LogitKernel.blockedUnitRows), scalar rows
 * [start, end) on the state: row class c = i mod 8, ℓ_c (state[4 + c]) += yη − max(η, 0),
 * P_c (state[12 + c]) *= 1 + t, and at the rows with i mod 512 ≥ 504 ℓ_c −= log(P_c), P_c = 1.
 */
function logitUnitRows(y: usize, eta: usize, score: usize, state: usize, start: i32, end: i32): void {
  for (let i = start; i < end; i++) {
    const io = <usize>i << 3;
    const e = load<f64>(eta + io);
    const yi = load<f64>(y + io);
    const t = f64x2.extract_lane(fastExpV(f64x2.splat(-abs<f64>(e))), 0);
    const onePlusT = 1 + t;
    store<f64>(score + io, yi - (e >= 0 ? 1 : t) / onePlusT);
    const lo = state + 32 + (<usize>(i & 7) << 3);
    const po = lo + 64;
    store<f64>(lo, load<f64>(lo) + (yi * e - max<f64>(e, 0)));
    store<f64>(po, load<f64>(po) * onePlusT);
    if ((i & 511) >= 504) {
      store<f64>(lo, load<f64>(lo) - logS(load<f64>(po)));
      store<f64>(po, 1);
    }
  }
}

/** One pair of rows of logitUnitGradient's groups: r = y − μ into score, returns yη − max(η, 0) (t parked in score). */
// @ts-ignore: decorator
@inline function logitUnitPair(yo: usize, eo: usize, so: usize, onePlusT: v128): v128 {
  const one = f64x2.splat(1);
  const zero = f64x2.splat(0);
  const e = v128.load(eo);
  const yv = v128.load(yo);
  v128.store(so, f64x2.sub(yv, f64x2.div(v128.bitselect(one, v128.load(so), f64x2.ge(e, zero)), onePlusT)));
  // max(η, 0) as pmax (η < 0 ? 0 : η, one instruction): NaN stays NaN, but −0 stays −0 where Math.max
  // gives +0; yη − (−0) and yη − (+0) then differ only in a zero's sign, which a class sum (started at
  // +0, so never −0) does not see: the same ℓ bits.
  return f64x2.sub(f64x2.mul(yv, e), f64x2.pmax(e, zero));
}

/**
 * The whole gradient for fam 5 (binomial–logit, blocked log, every weight 1): as glmGradient,
 * with the eight class sums ℓ_c and products P_c of LogitKernel.blockedUnitRows held as four
 * f64x2 accumulators each (lane pair k of a group of eight = classes 2k, 2k + 1), so no add or
 * multiply waits on another row's. A group ending at a multiple of 512 rows closes every P_c
 * (its 64th factor was the group's row of class c): ℓ_c −= log(P_c) lane by lane (logV, the bits
 * of Math.log), P_c = 1. The rows after the last group of eight go through logitUnitRows.
 */
function logitUnitGradient(X: usize, p: i32, n: i32, beta: usize, offset: usize, y: usize,
  eta: usize, score: usize, g: usize, state: usize): void {
  const rowBytes = <usize>p << 3;
  const full = n & ~7;
  const one = f64x2.splat(1);
  const parity = n >= PARITY_MIN_ROWS;
  if (full > 0) {
    etaQuad(parity, X, rowBytes, p, beta, offset, eta, 0);
    etaQuad(parity, X, rowBytes, p, beta, offset, eta, 4);
  }
  let i = 0;
  for (; i < full; i += 8) {
    const io = <usize>i << 3;
    const eo = eta + io, so = score + io, yo = y + io;
    // t = fastExp(−|η|) of the eight rows (four independent vectors), parked in score.
    fastExpNeg8(eo, so);
    if (i + 8 < full) etaQuad(parity, X, rowBytes, p, beta, offset, eta, i + 8);
    const p0 = f64x2.add(one, v128.load(so)), p1 = f64x2.add(one, v128.load(so, 16));
    const p2 = f64x2.add(one, v128.load(so, 32)), p3 = f64x2.add(one, v128.load(so, 48));
    // The class sums and products stay in the state (memory), not in eight registers across the passes.
    v128.store(state, f64x2.add(v128.load(state, 32), logitUnitPair(yo, eo, so, p0)), 32);
    v128.store(state, f64x2.add(v128.load(state, 48), logitUnitPair(yo + 16, eo + 16, so + 16, p1)), 48);
    v128.store(state, f64x2.add(v128.load(state, 64), logitUnitPair(yo + 32, eo + 32, so + 32, p2)), 64);
    v128.store(state, f64x2.add(v128.load(state, 80), logitUnitPair(yo + 48, eo + 48, so + 48, p3)), 80);
    v128.store(state, f64x2.mul(v128.load(state, 96), p0), 96); v128.store(state, f64x2.mul(v128.load(state, 112), p1), 112);
    v128.store(state, f64x2.mul(v128.load(state, 128), p2), 128); v128.store(state, f64x2.mul(v128.load(state, 144), p3), 144);
    if (((i + 8) & 511) == 0) {
      for (let k = 0; k < 4; k++) {
        const ko = <usize>k << 4;
        v128.store(state + ko, f64x2.sub(v128.load(state + ko, 32), logV(v128.load(state + ko, 96))), 32);
        v128.store(state + ko, one, 96);
      }
    }
    if (i + 8 < full) etaQuad(parity, X, rowBytes, p, beta, offset, eta, i + 12);
    xtr8(X, rowBytes, p, score, g, i);
  }
  if (i + 4 <= n) {
    etaQuad(parity, X, rowBytes, p, beta, offset, eta, i);
    logitUnitRows(y, eta, score, state, i, i + 4);
    xtr4(X, rowBytes, p, score, g, i);
    i += 4;
  }
  const rest = i;
  for (let k = rest; k < n; k++) etaOne(parity, X, rowBytes, p, beta, offset, eta, k);
  logitUnitRows(y, eta, score, state, rest, n);
  for (let k = rest; k < n; k++) xtr1(X, rowBytes, p, score, g, k);
}

/**
 * Poisson–log rows (LogPoissonKernel.gradRows): state [constant, ℓ_c at 1 + c for the row class
 * c = i mod 8]; w = 0 → r = 0, nothing added; μ = fastExp(η), ℓ_c += w(yη − μ), r = w(y − μ).
 * A group of eight rows (from a multiple of 8): lane pair k = classes 2k, 2k + 1, one f64x2 add
 * each, with +0 for a row of weight 0 (a class sum starts at +0 and so is never −0: adding +0
 * changes nothing, as skipping the row). Other ranges: row by row on the state.
 */
function poissonRows(y: usize, w: usize, eta: usize, score: usize, state: usize, start: i32, end: i32): void {
  if (end - start == 8) {
    // μ of the eight rows first (four independent vectors, one range test), parked in score.
    fastExp8(eta + (<usize>start << 3), score + (<usize>start << 3));
    poissonGroup(y, w, eta, score, state, start);
    return;
  }
  for (let i = start; i < end; i++) {
    const io = <usize>i << 3;
    const wi = load<f64>(w + io);
    if (wi == 0) { store<f64>(score + io, 0); continue; }
    const e = load<f64>(eta + io);
    const yi = load<f64>(y + io);
    const mu = f64x2.extract_lane(fastExpV(f64x2.splat(e)), 0);
    const so = state + 8 + (<usize>(i & 7) << 3);
    store<f64>(so, load<f64>(so) + wi * (yi * e - mu));
    store<f64>(score + io, wi * (yi - mu));
  }
}

/** poissonRows on the group of eight rows from `start` (a multiple of 8), μ = fastExp(η) already parked in score. */
// @ts-ignore: decorator
@inline function poissonGroup(y: usize, w: usize, eta: usize, score: usize, state: usize, start: i32): void {
  {
    const io = <usize>start << 3;
    const zero = f64x2.splat(0);
    for (let k = 0; k < 4; k++) {
      const o = io + (<usize>k << 4);
      const wv = v128.load(w + o);
      const e = v128.load(eta + o);
      const yv = v128.load(y + o);
      const mu = v128.load(score + o);
      const skip = f64x2.eq(wv, zero);
      v128.store(score + o, v128.andnot(f64x2.mul(wv, f64x2.sub(yv, mu)), skip));
      const so = state + 8 + (<usize>k << 4);
      v128.store(so, f64x2.add(v128.load(so), v128.andnot(f64x2.mul(wv, f64x2.sub(f64x2.mul(yv, e), mu)), skip)));
    }
  }
}

/**
 * Gaussian–identity rows (GaussianIdentityKernel.gradRows): state [ℓ, ∂ℓ/∂u, 1/σ², ½ log(1/σ²)];
 * w = 0 → r = 0; a NaN η stops (returns false); e = y − η,
 * ℓ += −½ log 2π + (w = 1 ? ½ log(1/σ²) : ½ log(w/σ²)) − ½we²/σ², r = we/σ², ∂ℓ/∂u += −1 + we²/σ².
 */
function gaussianRows(y: usize, w: usize, eta: usize, score: usize, state: usize, start: i32, end: i32): bool {
  let ll = load<f64>(state);
  let gu = load<f64>(state, 8);
  const invPhi = load<f64>(state, 16);
  const halfLogUnit = load<f64>(state, 24);
  for (let i = start; i < end; i++) {
    const io = <usize>i << 3;
    const wi = load<f64>(w + io);
    if (wi == 0) { store<f64>(score + io, 0); continue; }
    const e = load<f64>(eta + io);
    if (isNaN<f64>(e)) return false;
    const r = load<f64>(y + io) - e;
    ll += -0.5 * LN_2PI + (wi == 1 ? halfLogUnit : 0.5 * logS(wi * invPhi)) - 0.5 * wi * r * r * invPhi;
    store<f64>(score + io, wi * r * invPhi);
    gu += -1 + wi * r * r * invPhi;
  }
  store<f64>(state, ll);
  store<f64>(state, gu, 8);
  return true;
}

/**
 * Negative binomial–log rows (NegbinLogKernel.gradRows): state [ℓ, ∂ℓ/∂u, θ]; per row the
 * tables at slot k (i32 per row): dl = lgamma(y+θ) − lgamma(θ), dg = ψ(y+θ) − ψ(θ), and
 * lgy = lgamma(y+1). w = 0 → r = 0; a NaN η stops; μ = max(e^η, ε), l = log1p(μ/θ),
 * ℓ += w(dl − lgy − θl + (y > 0 ? y log(μ/(μ+θ)) : 0)), r = w(y − μ)μ/(μ + μ²/θ),
 * ∂ℓ/∂u += θw(dg − l + (μ − y)/(μ + θ)).
 */
function negbinRows(y: usize, w: usize, eta: usize, score: usize, state: usize, lgy: usize, slot: usize, dl: usize, dg: usize, start: i32, end: i32): bool {
  let ll = load<f64>(state);
  let gu = load<f64>(state, 8);
  const theta = load<f64>(state, 16);
  for (let i = start; i < end; i++) {
    const io = <usize>i << 3;
    const wi = load<f64>(w + io);
    if (wi == 0) { store<f64>(score + io, 0); continue; }
    const e = load<f64>(eta + io);
    if (isNaN<f64>(e)) return false;
    const mu = max<f64>(expS(e), DBL_EPSILON);
    const yi = load<f64>(y + io);
    const ko = <usize>load<i32>(slot + (<usize>i << 2)) << 3;
    const l1p = log1pS(mu / theta);
    ll += wi * (load<f64>(dl + ko) - load<f64>(lgy + io) - theta * l1p + (yi > 0 ? yi * logS(mu / (mu + theta)) : 0));
    store<f64>(score + io, (wi * (yi - mu) * mu) / (mu + (mu * mu) / theta));
    gu += theta * wi * (load<f64>(dg + ko) - l1p + (mu - yi) / (mu + theta));
  }
  store<f64>(state, ll);
  store<f64>(state, gu, 8);
  return true;
}

/** The family step over rows [start, end); false when ℓ is −∞ (stop). */
// @ts-ignore: decorator
@inline function familyRows(fam: i32, y: usize, w: usize, eta: usize, score: usize, state: usize,
  lgy: usize, slot: usize, dl: usize, dg: usize, start: i32, end: i32): bool {
  if (fam <= 1) { logitRows(fam == 1, y, w, eta, score, state, start, end); return true; }
  if (fam == 2) { poissonRows(y, w, eta, score, state, start, end); return true; }
  if (fam == 3) return gaussianRows(y, w, eta, score, state, start, end);
  return negbinRows(y, w, eta, score, state, lgy, slot, dl, dg, start, end);
}

/**
 * The fused gradient over rows [0, n) (see the module comment): η into `eta`, r into
 * `score`, g = Xᵀr into `g` (overwritten), the family's running sums in `state`.
 * offset = 0: no offset. lgy, slot, dl, dg: the negative binomial's tables (else 0).
 */
export function glmGradient(fam: i32, X: usize, p: i32, n: i32, beta: usize, offset: usize, y: usize, w: usize,
  eta: usize, score: usize, g: usize, state: usize, lgy: usize, slot: usize, dl: usize, dg: usize): i32 {
  const rowBytes = <usize>p << 3;
  memory.fill(g, 0, rowBytes);
  if (fam == 5) {
    logitUnitGradient(X, p, n, beta, offset, y, eta, score, g, state);
    return 1;
  }
  const full = n & ~7;
  const parity = n >= PARITY_MIN_ROWS;
  let i = 0;
  // Software-pipelined: the family step of a group (latency-bound: exp's chain and the running
  // sums) is followed in the instruction stream by the next group's η (independent work the
  // core overlaps with it), then the group's g update. No sum changes order.
  if (full > 0) {
    etaQuad(parity, X, rowBytes, p, beta, offset, eta, 0);
    etaQuad(parity, X, rowBytes, p, beta, offset, eta, 4);
  }
  for (; i < full; i += 8) {
    if (fam == 2) {
      // Poisson: the next group's first four η between the exps and the rest of the step (as logitUnitGradient).
      fastExp8(eta + (<usize>i << 3), score + (<usize>i << 3));
      if (i + 8 < full) etaQuad(parity, X, rowBytes, p, beta, offset, eta, i + 8);
      poissonGroup(y, w, eta, score, state, i);
    } else {
      if (!familyRows(fam, y, w, eta, score, state, lgy, slot, dl, dg, i, i + 8)) return 0;
      if (i + 8 < full) etaQuad(parity, X, rowBytes, p, beta, offset, eta, i + 8);
    }
    if (i + 8 < full) etaQuad(parity, X, rowBytes, p, beta, offset, eta, i + 12);
    xtr8(X, rowBytes, p, score, g, i);
  }
  if (i + 4 <= n) {
    etaQuad(parity, X, rowBytes, p, beta, offset, eta, i);
    if (!familyRows(fam, y, w, eta, score, state, lgy, slot, dl, dg, i, i + 4)) return 0;
    xtr4(X, rowBytes, p, score, g, i);
    i += 4;
  }
  const rest = i;
  for (let k = rest; k < n; k++) etaOne(parity, X, rowBytes, p, beta, offset, eta, k);
  if (!familyRows(fam, y, w, eta, score, state, lgy, slot, dl, dg, rest, n)) return 0;
  for (let k = rest; k < n; k++) xtr1(X, rowBytes, p, score, g, k);
  return 1;
}

/**
 * η over rows [0, n) in the gradient's column-parity order alone (eta4p, eta1p: the η of glmGradient
 * from 1024 rows), for the benchmark's bare passes in that order (bench/nuts-gradient.ts).
 */
export function gradientEta(X: usize, p: i32, n: i32, beta: usize, offset: usize, eta: usize): void {
  const rowBytes = <usize>p << 3;
  let i = 0;
  for (; i + 4 <= n; i += 4) eta4p(X, rowBytes, p, beta, offset, eta, i);
  for (; i < n; i++) eta1p(X, rowBytes, p, beta, offset, eta, i);
}

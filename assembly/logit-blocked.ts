/**
 * The blocked binary-logit IRLS update (issue 18; docs/kernels.md "The blocked binary logit
 * IRLS path"), two rows per f64x2 vector: for a binomial–logit fit whose every y is 0 or 1
 * and every prior weight 0 or 1, one pass over rows [start, end) stores μ, the next working
 * weight (into Wn: the weights pass copies it into W) and the working response z, and multiplies each row's probability of its
 * observed class into one of 8 running products (class c = i mod 8 of the global row
 * index). Every lane computes the operations of src/families/logit-binary-rows.ts's
 * `logitBinaryProducts` one for one (no Math.*: fastExp, one division), so the results are
 * its bits on any split of the rows; the 8 logs that close the products run in TypeScript.
 *
 * Per row: u = y ? −η : η, s = u > 30 ? 1/ε : u < −30 ? ε : fastExp(u) (NaN stays NaN),
 * q = 1 + s, p = 1/q, μ = y ? p : s·p, μ′ = |η| > 30 ? ε : (s·p)·p, and where w > 0:
 * Wn = μ′, z = (η − offset) + (y ? q : −q), factor p; where w = 0: Wn = z = 0, factor 1.
 * P_c ← P_c·factor, then P_c < 2^-512 → P_c·2^512 and K + 1.
 * `out` (f64): [P_0 … P_7, K, valid].
 */

// @ts-nocheck (AssemblyScript, not TypeScript)

import { V_ONE, V_SIGN } from "./math";
import { fastExpMain } from "./fastmath";
import { ld, st } from "./row-lanes";

const B_EPS: f64 = 2.220446049250313e-16;
const B_TINY: f64 = 7.458340731200207e-155; // 2^-512
const B_BIG: f64 = 1.3407807929942597e154; // 2^512

// Vector constants in mutable globals set at instantiation (as assembly/irls-rows.ts).
let B_ZERO: v128 = i64x2.splat(0);
let B_VEPS: v128 = i64x2.splat(0);
let B_VINV_EPS: v128 = i64x2.splat(0);
let B_VTHRESH: v128 = i64x2.splat(0);
let B_VMTHRESH: v128 = i64x2.splat(0);
let B_VTINY: v128 = i64x2.splat(0);
let B_VBIG: v128 = i64x2.splat(0);

/** Sets the blocked kernel's vector constants (done at instantiation). */
export function logitBlockedInit(): void {
  B_ZERO = f64x2.splat(0.0);
  B_VEPS = f64x2.splat(B_EPS);
  B_VINV_EPS = f64x2.splat(1.0 / B_EPS);
  B_VTHRESH = f64x2.splat(30.0);
  B_VMTHRESH = f64x2.splat(-30.0);
  B_VTINY = f64x2.splat(B_TINY);
  B_VBIG = f64x2.splat(B_BIG);
}
logitBlockedInit();

/** Lanes that failed the validity test (η NaN, or not 0 < μ < 1), OR-ed over the pass. */
let bBad: v128 = i64x2.splat(0);
/** The number of rescales by 2^512 in the pass. */
let bRescales: i32 = 0;

/** Rows i, i+1 (or row i in both lanes): μ, Wn, z stored, validity marked; returns the deviance factors. */
// @ts-ignore: decorator
@inline function binaryLanes(y: usize, w: usize, offset: usize, eta: usize, mu: usize, Wn: usize, z: usize, i: i32, two: bool): v128 {
  const zero = B_ZERO;
  const one = V_ONE;
  const e = ld(eta, i, two);
  const y1 = f64x2.eq(ld(y, i, two), one);
  // u = y ? −η : η (a sign flip, exact)
  const u = v128.xor(e, v128.and(y1, V_SIGN));
  const hi = f64x2.gt(u, B_VTHRESH);
  const lo = f64x2.lt(u, B_VMTHRESH);
  // s = e^u clamped as R's logit_linkinv; NaN lanes keep u (fastExpMain of NaN is not NaN)
  const ex = v128.bitselect(u, fastExpMain(u), f64x2.ne(u, u));
  const s = v128.bitselect(B_VINV_EPS, v128.bitselect(B_VEPS, ex, lo), hi);
  const q = f64x2.add(one, s);
  const p = f64x2.div(one, q);
  const sp = f64x2.mul(s, p);
  const m = v128.bitselect(p, sp, y1);
  st(mu, i, m, two);
  const ok = v128.and(f64x2.eq(e, e), v128.and(f64x2.gt(m, zero), f64x2.lt(m, one)));
  bBad = v128.or(bBad, v128.not(ok)); // a lone row has both lanes equal
  const me = v128.bitselect(B_VEPS, f64x2.mul(sp, p), v128.or(hi, lo));
  const good = f64x2.gt(ld(w, i, two), zero);
  const off = offset == 0 ? zero : ld(offset, i, two);
  // z = (η − offset) + (y ? q : −q)
  const zv = f64x2.add(f64x2.sub(e, off), v128.xor(q, v128.andnot(V_SIGN, y1)));
  st(z, i, v128.and(zv, good), two);
  st(Wn, i, v128.and(me, good), two);
  return v128.bitselect(p, one, good);
}

/** P ← P·f, rescaled by 2^512 (counted) on the lanes that fell below 2^-512. */
// @ts-ignore: decorator
@inline function accumulate(P: v128, f: v128): v128 {
  const a = f64x2.mul(P, f);
  const small = f64x2.lt(a, B_VTINY);
  if (!v128.any_true(small)) return a;
  bRescales += popcnt<i32>(i64x2.bitmask(small));
  return v128.bitselect(f64x2.mul(a, B_VBIG), a, small);
}

/** Row i alone: its factor into P_{i mod 8} (out[i & 7]). */
// @ts-ignore: decorator
@inline function singleRow(y: usize, w: usize, offset: usize, eta: usize, mu: usize, Wn: usize, z: usize, i: i32, out: usize): void {
  const f = f64x2.extract_lane(binaryLanes(y, w, offset, eta, mu, Wn, z, i, false), 0);
  const a = out + (<usize>(i & 7) << 3);
  let P = load<f64>(a) * f;
  if (P < B_TINY) {
    P *= B_BIG;
    bRescales++;
  }
  store<f64>(a, P);
}

/** The blocked binary-logit update of rows [start, end) (see the module comment); out = [P_0 … P_7, K, valid]. */
export function logitBinaryUpdate(y: usize, w: usize, offset: usize, eta: usize, mu: usize, Wn: usize, z: usize, start: i32, end: i32, out: usize): void {
  for (let c = 0; c < 8; c++) store<f64>(out + (<usize>c << 3), 1.0);
  bBad = i64x2.splat(0);
  bRescales = 0;
  let i = start;
  for (; i < end && (i & 7) != 0; i++) singleRow(y, w, offset, eta, mu, Wn, z, i, out);
  let P0 = v128.load(out), P1 = v128.load(out, 16), P2 = v128.load(out, 32), P3 = v128.load(out, 48);
  for (; i + 8 <= end; i += 8) {
    P0 = accumulate(P0, binaryLanes(y, w, offset, eta, mu, Wn, z, i, true));
    P1 = accumulate(P1, binaryLanes(y, w, offset, eta, mu, Wn, z, i + 2, true));
    P2 = accumulate(P2, binaryLanes(y, w, offset, eta, mu, Wn, z, i + 4, true));
    P3 = accumulate(P3, binaryLanes(y, w, offset, eta, mu, Wn, z, i + 6, true));
  }
  v128.store(out, P0);
  v128.store(out, P1, 16);
  v128.store(out, P2, 32);
  v128.store(out, P3, 48);
  for (; i < end; i++) singleRow(y, w, offset, eta, mu, Wn, z, i, out);
  store<f64>(out, <f64>bRescales, 64);
  store<f64>(out, v128.any_true(bBad) ? 0.0 : 1.0, 72);
  bBad = i64x2.splat(0);
}

/**
 * The blocked kernel's weights pass over rows [start, end): W ← Wn (the update's next W, copied)
 * and out = [Σ w, 0, 0, 0] (w ∈ {0, 1}: the informative rows, exact), as the TypeScript record's
 * `weights`; the sum's order differs from its row-order loop but a count below 2^53 is exact.
 */
export function logitBinaryWeights(w: usize, Wn: usize, W: usize, start: i32, end: i32, out: usize): void {
  const off = <usize>start << 3;
  const len = <usize>(end - start) << 3;
  if (end > start) memory.copy(W + off, Wn + off, len);
  let acc = B_ZERO;
  let i = start;
  for (; i + 2 <= end; i += 2) acc = f64x2.add(acc, v128.load(w + (<usize>i << 3)));
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (i < end) s += load<f64>(w + (<usize>i << 3));
  store<f64>(out, s);
  store<f64>(out, 0.0, 8);
  store<f64>(out, 0.0, 16);
  store<f64>(out, 0.0, 24);
}

/**
 * The IRLS row kernels of src/families/row-kernels.ts in WebAssembly, two rows per
 * f64x2 vector: for binomial-logit (code 1), poisson-log (2), gaussian-identity
 * (3) and Gamma-log (4), the update (μ, the deviance, validity; the logit's μ′ into dmu) and the
 * weights (W, z, the informative rows and R's stop flags). Each lane computes the
 * TypeScript loop's expression for its row, and the deviance adds the rows' terms
 * one at a time in row order, so the results are the TypeScript loop's bits.
 *
 * exp and log are assembly/math.ts's f64x2 expV and logV, each lane bit-identical
 * to V8's Math.exp and Math.log (the functions the TypeScript loop calls). A
 * leftover row runs the same code with both lanes equal, only lane 0 stored and
 * counted. Results go to `out` (f64): update [deviance,
 * valid]; weights [nGood, nanVariance, nanMuEta, zeroVariance].
 */

// @ts-nocheck (AssemblyScript, not TypeScript)

import { expV, logV, V_HALF, V_ONE, V_TWO } from "./math";
import { addRows, anyLane, countLanes, finishUpdate, finishWeights, lanes, ld, markBad, markWeightFlags, st } from "./row-lanes";

const EPS: f64 = 2.220446049250313e-16;
const INV_EPS: f64 = 1.0 / 2.220446049250313e-16;
const THRESH: f64 = 30.0;

// Vector constants in mutable globals set by rowsInit at instantiation (as assembly/math.ts
// does): binaryen folds constant operands into v128.const, which V8 rematerialises at each
// use inside a loop; a global.get is one load. rowsInit only ever stores these values.
let V_ZERO: v128 = i64x2.splat(0);
let V_EPS: v128 = i64x2.splat(0);
let V_INV_EPS: v128 = i64x2.splat(0);
let V_THRESH: v128 = i64x2.splat(0);
let V_MTHRESH: v128 = i64x2.splat(0);
let V_MTWO: v128 = i64x2.splat(0);

/** Sets the row kernels' vector constants (done at instantiation; calling it again changes nothing). */
export function rowsInit(): void {
  V_ZERO = f64x2.splat(0.0);
  V_EPS = f64x2.splat(EPS);
  V_INV_EPS = f64x2.splat(INV_EPS);
  V_THRESH = f64x2.splat(THRESH);
  V_MTHRESH = f64x2.splat(-THRESH);
  V_MTWO = f64x2.splat(-2.0);
}
rowsInit();

/**
 * z = good ? (η − offset) + (y − μ)/μ′ : 0 and W = good ? (wt·μ′·μ′)/V : 0 for the row(s);
 * good = wt > 0 and μ′ ≠ 0 (NaN μ′ counts, as in the TypeScript loop). Returns good.
 */
// @ts-ignore: decorator
@inline function weightLanes(y: usize, w: usize, offset: usize, eta: usize, W: usize, z: usize, i: i32, two: bool, m: v128, me: v128, va: v128): v128 {
  const zero = V_ZERO;
  const wv = ld(w, i, two);
  const good = v128.and(f64x2.gt(wv, zero), f64x2.ne(me, zero));
  markWeightFlags(good, va, me, zero, two);
  const off = offset == 0 ? zero : ld(offset, i, two);
  const zv = f64x2.add(f64x2.sub(ld(eta, i, two), off), f64x2.div(f64x2.sub(ld(y, i, two), m), me));
  const Wv = f64x2.div(f64x2.mul(f64x2.mul(wv, me), me), va);
  st(z, i, v128.and(zv, good), two);
  st(W, i, v128.and(Wv, good), two);
  return good;
}

/* ---------------- binomial, logit link ---------------- */

/** The rows' μ and μ′ (stored) and wt·d(y, μ) (returned); validity marked. */
// @ts-ignore: decorator
@inline function logitUpdateLanes(y: usize, w: usize, eta: usize, mu: usize, dmu: usize, i: i32, two: bool): v128 {
  const zero = V_ZERO;
  const one = V_ONE;
  const e = ld(eta, i, two);
  const hi = f64x2.gt(e, V_THRESH);
  const lo = f64x2.lt(e, V_MTHRESH);
  // t = η < −30 ? ε : η > 30 ? 1/ε : e^η (R's logit_linkinv)
  const t = v128.bitselect(V_EPS, v128.bitselect(V_INV_EPS, expV(e), hi), lo);
  const opexp = f64x2.add(one, t);
  const m = f64x2.div(t, opexp);
  st(mu, i, m, two);
  // μ′ = |η| > 30 ? ε : t/(1+t)² (R's logit_mu_eta, from the same e^η)
  st(dmu, i, v128.bitselect(V_EPS, f64x2.div(t, f64x2.mul(opexp, opexp)), v128.or(hi, lo)), two);
  // invalid: η NaN, or not 0 < μ < 1
  markBad(v128.and(f64x2.eq(e, e), v128.and(f64x2.gt(m, zero), f64x2.lt(m, one))), two);
  // wt·d = wt = 0 ? 0 : 2wt(y log(y/μ) + (1−y) log((1−y)/(1−μ))), 0·log 0 = 0
  const yv = ld(y, i, two);
  const wv = ld(w, i, two);
  const yc = f64x2.sub(one, yv);
  const ynz = f64x2.ne(yv, zero);
  const ycnz = f64x2.ne(yc, zero);
  const mc = f64x2.sub(one, m);
  // One log per row where y is 0 or 1 (a term vanishes): of y/μ where y ≠ 0, else of (1−y)/(1−μ)
  // (the lane's operands selected, then one division); a second only where 0 < y < 1.
  const l1 = logV(f64x2.div(v128.bitselect(yv, yc, ynz), v128.bitselect(m, mc, ynz)));
  const both = v128.and(ynz, ycnz);
  const l2 = anyLane(both, two) ? v128.bitselect(logV(f64x2.div(yc, mc)), l1, both) : l1;
  const a = v128.and(f64x2.mul(yv, l1), ynz);
  const b = v128.and(f64x2.mul(yc, l2), ycnz);
  const d = f64x2.mul(f64x2.mul(V_TWO, wv), f64x2.add(a, b));
  return v128.andnot(d, f64x2.eq(wv, zero));
}

/** binomial-logit update of rows [start, end): μ, μ′ into dmu; out = [Σ wt·d in row order, valid]. */
export function logitUpdate(y: usize, w: usize, eta: usize, mu: usize, dmu: usize, start: i32, end: i32, out: usize): void {
  let dev: f64 = 0;
  let i = start;
  for (; i + 2 <= end; i += 2) dev = addRows(dev, logitUpdateLanes(y, w, eta, mu, dmu, i, true), true);
  if (i < end) dev = addRows(dev, logitUpdateLanes(y, w, eta, mu, dmu, i, false), false);
  finishUpdate(out, dev);
}

/** binomial-logit weights of rows [start, end): V = μ(1 − μ), μ′ from dmu; out = [nGood, flags]. */
export function logitWeights(y: usize, w: usize, offset: usize, eta: usize, mu: usize, dmu: usize, W: usize, z: usize, start: i32, end: i32, out: usize): void {
  let nGood = 0;
  let i = start;
  const one = V_ONE;
  for (; i + 2 <= end; i += 2) {
    const m = ld(mu, i, true);
    nGood += countLanes(weightLanes(y, w, offset, eta, W, z, i, true, m, ld(dmu, i, true), f64x2.mul(m, f64x2.sub(one, m))), true);
  }
  if (i < end) {
    const m = ld(mu, i, false);
    nGood += countLanes(weightLanes(y, w, offset, eta, W, z, i, false, m, ld(dmu, i, false), f64x2.mul(m, f64x2.sub(one, m))), false);
  }
  finishWeights(out, nGood);
}

/** The rows' starting η = log(m/(1 − m)), m = w = 0 ? ½ : (w·y + ½)/(w + 1); returns the lanes with m outside [0, 1]. */
// @ts-ignore: decorator
@inline function logitStartLanes(y: usize, w: usize, eta: usize, i: i32, two: bool): v128 {
  const one = V_ONE;
  const half = V_HALF;
  const wv = ld(w, i, two);
  const m = v128.bitselect(half, f64x2.div(f64x2.add(f64x2.mul(wv, ld(y, i, two)), half), f64x2.add(wv, one)), f64x2.eq(wv, V_ZERO));
  st(eta, i, logV(f64x2.div(m, f64x2.sub(one, m))), two);
  return v128.and(v128.or(f64x2.lt(m, V_ZERO), f64x2.gt(m, one)), lanes(two));
}

/** binomial-logit starting η of rows [start, end) (R's binomial initialize, then the logit); out[0] = 1, or 0 when a μ is outside [0, 1]. */
export function logitStart(y: usize, w: usize, eta: usize, start: i32, end: i32, out: usize): void {
  let outside = i64x2.splat(0);
  let i = start;
  for (; i + 2 <= end; i += 2) outside = v128.or(outside, logitStartLanes(y, w, eta, i, true));
  if (i < end) outside = v128.or(outside, logitStartLanes(y, w, eta, i, false));
  store<f64>(out, v128.any_true(outside) ? 0.0 : 1.0);
}

/* ---------------- Poisson, log link ---------------- */

// @ts-ignore: decorator
@inline function logUpdateLanes(y: usize, w: usize, eta: usize, mu: usize, i: i32, two: bool): v128 {
  const zero = V_ZERO;
  const e = ld(eta, i, two);
  // μ = max(e^η, ε)
  const m = f64x2.max(expV(e), V_EPS);
  st(mu, i, m, two);
  // invalid: η NaN, or μ not finite and > 0
  markBad(v128.and(f64x2.eq(e, e), v128.and(f64x2.gt(m, zero), f64x2.eq(f64x2.sub(m, m), zero))), two);
  // wt·d = 2(y > 0 ? wt(y log(y/μ) − (y − μ)) : μ·wt)
  const yv = ld(y, i, two);
  const wv = ld(w, i, two);
  const ypos = f64x2.gt(yv, zero);
  // Lanes with y = 0 discard the log: give logV 1 there, not 0 (0 would send the vector to the scalar fallback).
  const l = anyLane(ypos, two) ? logV(v128.bitselect(f64x2.div(yv, m), V_ONE, ypos)) : zero;
  const pos = f64x2.mul(wv, f64x2.sub(f64x2.mul(yv, l), f64x2.sub(yv, m)));
  return f64x2.mul(V_TWO, v128.bitselect(pos, f64x2.mul(m, wv), ypos));
}

/** poisson-log update of rows [start, end): μ; out = [Σ wt·d in row order, valid]. */
export function logUpdate(y: usize, w: usize, eta: usize, mu: usize, start: i32, end: i32, out: usize): void {
  let dev: f64 = 0;
  let i = start;
  for (; i + 2 <= end; i += 2) dev = addRows(dev, logUpdateLanes(y, w, eta, mu, i, true), true);
  if (i < end) dev = addRows(dev, logUpdateLanes(y, w, eta, mu, i, false), false);
  finishUpdate(out, dev);
}

/** poisson-log weights of rows [start, end): V = μ′ = μ; out = [nGood, flags]. */
export function logWeights(y: usize, w: usize, offset: usize, eta: usize, mu: usize, W: usize, z: usize, start: i32, end: i32, out: usize): void {
  let nGood = 0;
  let i = start;
  for (; i + 2 <= end; i += 2) {
    const m = ld(mu, i, true);
    nGood += countLanes(weightLanes(y, w, offset, eta, W, z, i, true, m, m, m), true);
  }
  if (i < end) {
    const m = ld(mu, i, false);
    nGood += countLanes(weightLanes(y, w, offset, eta, W, z, i, false, m, m, m), false);
  }
  finishWeights(out, nGood);
}

/* ---------------- Gamma, log link ---------------- */

// @ts-ignore: decorator
@inline function gammaLogUpdateLanes(y: usize, w: usize, eta: usize, mu: usize, i: i32, two: bool): v128 {
  const zero = V_ZERO;
  const e = ld(eta, i, two);
  // μ = max(e^η, ε)
  const m = f64x2.max(expV(e), V_EPS);
  st(mu, i, m, two);
  markBad(v128.and(f64x2.eq(e, e), v128.and(f64x2.gt(m, zero), f64x2.eq(f64x2.sub(m, m), zero))), two);
  // wt·d = −2wt(log(y = 0 ? 1 : y/μ) − (y − μ)/μ)
  const yv = ld(y, i, two);
  const l = logV(v128.bitselect(V_ONE, f64x2.div(yv, m), f64x2.eq(yv, zero)));
  return f64x2.mul(f64x2.mul(V_MTWO, ld(w, i, two)), f64x2.sub(l, f64x2.div(f64x2.sub(yv, m), m)));
}

/** Gamma-log update of rows [start, end): μ; out = [Σ wt·d in row order, valid]. */
export function gammaLogUpdate(y: usize, w: usize, eta: usize, mu: usize, start: i32, end: i32, out: usize): void {
  let dev: f64 = 0;
  let i = start;
  for (; i + 2 <= end; i += 2) dev = addRows(dev, gammaLogUpdateLanes(y, w, eta, mu, i, true), true);
  if (i < end) dev = addRows(dev, gammaLogUpdateLanes(y, w, eta, mu, i, false), false);
  finishUpdate(out, dev);
}

/** Gamma-log weights of rows [start, end): μ′ = μ, V = μ²; out = [nGood, flags]. */
export function gammaLogWeights(y: usize, w: usize, offset: usize, eta: usize, mu: usize, W: usize, z: usize, start: i32, end: i32, out: usize): void {
  let nGood = 0;
  let i = start;
  for (; i + 2 <= end; i += 2) {
    const m = ld(mu, i, true);
    nGood += countLanes(weightLanes(y, w, offset, eta, W, z, i, true, m, m, f64x2.mul(m, m)), true);
  }
  if (i < end) {
    const m = ld(mu, i, false);
    nGood += countLanes(weightLanes(y, w, offset, eta, W, z, i, false, m, m, f64x2.mul(m, m)), false);
  }
  finishWeights(out, nGood);
}

/* ---------------- Gaussian, identity link ---------------- */

// @ts-ignore: decorator
@inline function identityUpdateLanes(y: usize, w: usize, eta: usize, mu: usize, i: i32, two: bool): v128 {
  const e = ld(eta, i, two);
  st(mu, i, e, two);
  markBad(f64x2.eq(e, e), two);
  const r = f64x2.sub(ld(y, i, two), e);
  return f64x2.mul(ld(w, i, two), f64x2.mul(r, r));
}

/** gaussian-identity update of rows [start, end): μ = η; out = [Σ wt(y − μ)² in row order, valid]. */
export function identityUpdate(y: usize, w: usize, eta: usize, mu: usize, start: i32, end: i32, out: usize): void {
  let dev: f64 = 0;
  let i = start;
  for (; i + 2 <= end; i += 2) dev = addRows(dev, identityUpdateLanes(y, w, eta, mu, i, true), true);
  if (i < end) dev = addRows(dev, identityUpdateLanes(y, w, eta, mu, i, false), false);
  finishUpdate(out, dev);
}

/** gaussian-identity weights of rows [start, end): V = μ′ = 1 (so W = wt, z = η − offset + (y − μ)); out = [nGood, flags]. */
export function identityWeights(y: usize, w: usize, offset: usize, eta: usize, mu: usize, W: usize, z: usize, start: i32, end: i32, out: usize): void {
  let nGood = 0;
  let i = start;
  const one = V_ONE;
  for (; i + 2 <= end; i += 2) nGood += countLanes(weightLanes(y, w, offset, eta, W, z, i, true, ld(mu, i, true), one, one), true);
  if (i < end) nGood += countLanes(weightLanes(y, w, offset, eta, W, z, i, false, ld(mu, i, false), one, one), false);
  finishWeights(out, nGood);
}

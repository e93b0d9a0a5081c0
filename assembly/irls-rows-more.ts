/**
 * More IRLS row kernels of src/families/row-kernels.ts in WebAssembly, two rows per f64x2
 * vector: the negative binomial with the log link (code 5, θ fixed and passed in), its
 * update (μ, the deviance, validity) and weights (W, z, the informative rows and R's stop
 * flags). As in assembly/irls-rows.ts, each lane computes the TypeScript loop's expression
 * for its row and the deviance adds the rows' terms one at a time in row order, so the
 * results are the TypeScript loop's bits; exp and log are assembly/math.ts's expV and logV
 * (each lane V8's Math.exp and Math.log). A leftover row runs the same code with both
 * lanes equal, only lane 0 stored and counted. Results go to `out` (f64): update
 * [deviance, valid]; weights [nGood, nanVariance, nanMuEta, zeroVariance].
 */

// @ts-nocheck (AssemblyScript, not TypeScript)

import { expV, logV, V_ONE, V_TWO } from "./math";
import { addRows, countLanes, finishUpdate, finishWeights, ld, markBad, markWeightFlags, st } from "./row-lanes";

const EPS: f64 = 2.220446049250313e-16;

// Vector constants in mutable globals set at instantiation (see assembly/irls-rows.ts).
let M_ZERO: v128 = i64x2.splat(0);
let M_EPS: v128 = i64x2.splat(0);

/** Sets this module's vector constants (done at instantiation; calling it again changes nothing). */
export function rowsMoreInit(): void {
  M_ZERO = f64x2.splat(0.0);
  M_EPS = f64x2.splat(EPS);
}
rowsMoreInit();

/* ---------------- negative binomial, log link ---------------- */

/** The rows' μ (stored) and wt·d(y, μ) (returned); validity marked. */
// @ts-ignore: decorator
@inline function negbinLogUpdateLanes(y: usize, w: usize, eta: usize, mu: usize, th: v128, i: i32, two: bool): v128 {
  const zero = M_ZERO;
  const e = ld(eta, i, two);
  // μ = max(e^η, ε)
  const m = f64x2.max(expV(e), M_EPS);
  st(mu, i, m, two);
  // invalid: η NaN, or not μ > 0 (MASS's validmu)
  markBad(v128.and(f64x2.eq(e, e), f64x2.gt(m, zero)), two);
  // wt·d = 2wt(y log(max(1, y)/μ) − (y + θ) log((y + θ)/(μ + θ)))
  const yv = ld(y, i, two);
  const yt = f64x2.add(yv, th);
  const a = f64x2.mul(yv, logV(f64x2.div(f64x2.max(V_ONE, yv), m)));
  const b = f64x2.mul(yt, logV(f64x2.div(yt, f64x2.add(m, th))));
  return f64x2.mul(f64x2.mul(V_TWO, ld(w, i, two)), f64x2.sub(a, b));
}

/** negbin-log update of rows [start, end) with θ = theta: μ; out = [Σ wt·d in row order, valid]. */
export function negbinLogUpdate(y: usize, w: usize, eta: usize, mu: usize, theta: f64, start: i32, end: i32, out: usize): void {
  const th = f64x2.splat(theta);
  let dev: f64 = 0;
  let i = start;
  for (; i + 2 <= end; i += 2) dev = addRows(dev, negbinLogUpdateLanes(y, w, eta, mu, th, i, true), true);
  if (i < end) dev = addRows(dev, negbinLogUpdateLanes(y, w, eta, mu, th, i, false), false);
  finishUpdate(out, dev);
}

/**
 * z = good ? (η − offset) + (y − μ)/μ : 0 and W = good ? (wt·μ·μ)/V : 0, V = μ + (μ·μ)/θ,
 * for the row(s); good = wt > 0 and μ ≠ 0 (μ′ = μ). Returns good.
 */
// @ts-ignore: decorator
@inline function negbinLogWeightLanes(y: usize, w: usize, offset: usize, eta: usize, mu: usize, W: usize, z: usize, th: v128, i: i32, two: bool): v128 {
  const zero = M_ZERO;
  const m = ld(mu, i, two);
  const va = f64x2.add(m, f64x2.div(f64x2.mul(m, m), th));
  const wv = ld(w, i, two);
  const good = v128.and(f64x2.gt(wv, zero), f64x2.ne(m, zero));
  markWeightFlags(good, va, m, zero, two);
  const off = offset == 0 ? zero : ld(offset, i, two);
  const zv = f64x2.add(f64x2.sub(ld(eta, i, two), off), f64x2.div(f64x2.sub(ld(y, i, two), m), m));
  const Wv = f64x2.div(f64x2.mul(f64x2.mul(wv, m), m), va);
  st(z, i, v128.and(zv, good), two);
  st(W, i, v128.and(Wv, good), two);
  return good;
}

/** negbin-log weights of rows [start, end) with θ = theta; out = [nGood, flags]. */
export function negbinLogWeights(
  y: usize, w: usize, offset: usize, eta: usize, mu: usize, W: usize, z: usize, theta: f64, start: i32, end: i32, out: usize,
): void {
  const th = f64x2.splat(theta);
  let nGood = 0;
  let i = start;
  for (; i + 2 <= end; i += 2) nGood += countLanes(negbinLogWeightLanes(y, w, offset, eta, mu, W, z, th, i, true), true);
  if (i < end) nGood += countLanes(negbinLogWeightLanes(y, w, offset, eta, mu, W, z, th, i, false), false);
  finishWeights(out, nGood);
}

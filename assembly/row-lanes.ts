/**
 * The lane helpers of the two-rows-per-vector IRLS row kernels (assembly/irls-rows.ts,
 * assembly/irls-rows-more.ts; ld and st also assembly/logit-blocked.ts): loads and stores of rows i, i+1 (or row i alone in both
 * lanes), the lanes that hold rows, the deviance's row-order adds, and the validity and
 * weights flags OR-ed over a pass's rows, written to `out` by finishUpdate / finishWeights.
 * Not a module entry: kernels.ts does not re-export it, so nothing here is a wasm export.
 */

// @ts-nocheck (AssemblyScript, not TypeScript)

// Mutable globals set at instantiation (see assembly/irls-rows.ts: a global.get is one load,
// a folded v128.const is rematerialised by V8 at each use in a loop).
let L_ALL: v128 = i64x2.splat(0);
let L_LANE0: v128 = i64x2.splat(0);
L_ALL = i64x2.splat(-1);
L_LANE0 = i64x2.replace_lane(i64x2.splat(0), 0, -1);

/** Lanes (of rows) that failed the validity test, OR-ed over an update's rows. */
let bad: v128 = i64x2.splat(0);
/** NaN V(μ), NaN μ′, zero V(μ) among informative rows, OR-ed over a weights pass's rows. */
let nanVar: v128 = i64x2.splat(0);
let nanMuEta: v128 = i64x2.splat(0);
let zeroVar: v128 = i64x2.splat(0);

/** Rows i, i+1 (two) or row i in both lanes. */
// @ts-ignore: decorator
@inline export function ld(base: usize, i: i32, two: bool): v128 {
  const a = base + (<usize>i << 3);
  return two ? v128.load(a) : f64x2.splat(load<f64>(a));
}

// @ts-ignore: decorator
@inline export function st(base: usize, i: i32, v: v128, two: bool): void {
  const a = base + (<usize>i << 3);
  if (two) v128.store(a, v);
  else store<f64>(a, f64x2.extract_lane(v, 0));
}

/** The lanes that hold rows: both, or lane 0. */
// @ts-ignore: decorator
@inline export function lanes(two: bool): v128 {
  return two ? L_ALL : L_LANE0;
}

// @ts-ignore: decorator
@inline export function anyLane(m: v128, two: bool): bool {
  return v128.any_true(v128.and(m, lanes(two)));
}

// @ts-ignore: decorator
@inline export function countLanes(m: v128, two: bool): i32 {
  return popcnt<i32>(i64x2.bitmask(v128.and(m, lanes(two))));
}

/** dev + d_i (+ d_{i+1}): the rows' terms in row order. */
// @ts-ignore: decorator
@inline export function addRows(dev: f64, d: v128, two: bool): f64 {
  dev += f64x2.extract_lane(d, 0);
  if (two) dev += f64x2.extract_lane(d, 1);
  return dev;
}

/** Marks the row lanes where `ok` is false as invalid. */
// @ts-ignore: decorator
@inline export function markBad(ok: v128, two: bool): void {
  bad = v128.or(bad, v128.and(v128.not(ok), lanes(two)));
}

/** The weights pass's flags for the row lanes: NaN V(μ) `va`, NaN μ′ `me`, zero V(μ) where `good`. */
// @ts-ignore: decorator
@inline export function markWeightFlags(good: v128, va: v128, me: v128, zero: v128, two: bool): void {
  const lm = lanes(two);
  nanVar = v128.or(nanVar, v128.and(f64x2.ne(va, va), lm));
  nanMuEta = v128.or(nanMuEta, v128.and(f64x2.ne(me, me), lm));
  zeroVar = v128.or(zeroVar, v128.and(v128.and(good, f64x2.eq(va, zero)), lm));
}

/** out = [deviance, valid]; clears the validity flags. */
// @ts-ignore: decorator
@inline export function finishUpdate(out: usize, dev: f64): void {
  store<f64>(out, dev);
  store<f64>(out, v128.any_true(bad) ? 0.0 : 1.0, 8);
  bad = i64x2.splat(0);
}

/** out = [nGood, nanVariance, nanMuEta, zeroVariance]; clears the weights flags. */
// @ts-ignore: decorator
@inline export function finishWeights(out: usize, nGood: i32): void {
  store<f64>(out, <f64>nGood);
  store<f64>(out, v128.any_true(nanVar) ? 1.0 : 0.0, 8);
  store<f64>(out, v128.any_true(nanMuEta) ? 1.0 : 0.0, 16);
  store<f64>(out, v128.any_true(zeroVar) ? 1.0 : 0.0, 24);
  nanVar = i64x2.splat(0);
  nanMuEta = i64x2.splat(0);
  zeroVar = i64x2.splat(0);
}

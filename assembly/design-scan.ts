/**
 * One pass over a design for the fit's checks (src/fit/design-scaling.ts): the smallest
 * and largest value of each column of a row-major n×p design, two columns per f64x2
 * vector and rows four at a time. f64x2.min/max (as f64.min/max) return NaN when either
 * operand is NaN and order −0 below +0, exactly as Math.min/Math.max do, and min/max are
 * order-free: the results are the TypeScript loop's, bit for bit (NaN payloads aside).
 */

// @ts-nocheck (AssemblyScript, not TypeScript)

/** lo[j] = min_i x_ij, hi[j] = max_i x_ij over rows [0, n) (byte addresses; lo, hi overwritten; ±Infinity when n = 0). */
export function colranges(X: usize, n: i32, p: i32, lo: usize, hi: usize): void {
  const p2 = p & ~1;
  const rb = <usize>p << 3;
  for (let j = 0; j < p; j++) {
    store<f64>(lo + (<usize>j << 3), Infinity);
    store<f64>(hi + (<usize>j << 3), -Infinity);
  }
  const n4 = n & ~3;
  let x = X;
  for (let i = 0; i < n4; i += 4, x += rb << 2) {
    for (let j = 0; j < p2; j += 2) {
      const o = <usize>j << 3;
      const a = v128.load(x + o), b = v128.load(x + rb + o), c = v128.load(x + 2 * rb + o), d = v128.load(x + 3 * rb + o);
      v128.store(lo + o, f64x2.min(f64x2.min(f64x2.min(f64x2.min(v128.load(lo + o), a), b), c), d));
      v128.store(hi + o, f64x2.max(f64x2.max(f64x2.max(f64x2.max(v128.load(hi + o), a), b), c), d));
    }
    if (p2 < p) {
      const o = <usize>p2 << 3;
      const a = load<f64>(x + o), b = load<f64>(x + rb + o), c = load<f64>(x + 2 * rb + o), d = load<f64>(x + 3 * rb + o);
      store<f64>(lo + o, min(min(min(min(load<f64>(lo + o), a), b), c), d));
      store<f64>(hi + o, max(max(max(max(load<f64>(hi + o), a), b), c), d));
    }
  }
  for (let i = n4; i < n; i++, x += rb) {
    for (let j = 0; j < p; j++) {
      const o = <usize>j << 3;
      const v = load<f64>(x + o);
      store<f64>(lo + o, min(load<f64>(lo + o), v));
      store<f64>(hi + o, max(load<f64>(hi + o), v));
    }
  }
}

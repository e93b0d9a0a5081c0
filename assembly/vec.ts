/**
 * Small f64x2 helpers shared by the dense kernels (assembly/hat.ts, assembly/jeffreys.ts).
 * Not a module entry: kernels.ts does not re-export it, so nothing here is a wasm export.
 */

// @ts-nocheck (AssemblyScript, not TypeScript)

/** (a, b) as one vector: lane 0 = a, lane 1 = b. */
// @ts-ignore: decorator
@inline export function pair(a: f64, b: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}

/** y_k += c·x_k for k = 0 … len − 1 (pairs of entries, then one), in place; unaligned addresses allowed. */
// @ts-ignore: decorator
@inline export function axpy(y: usize, x: usize, len: i32, c: f64): void {
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

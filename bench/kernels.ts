/**
 * Micro-benchmark of the dense kernels (src/linalg/kernels/): the fused gradient
 * pass of a Bernoulli-logit log density (η = Xβ, the row step, g = Xᵀr, block by
 * block) against two bare passes over X (Xβ then Xᵀr, nothing in between), the
 * target being ≤ 1.3×; the same three unfused; one XᵀWX pass; each with the SIMD
 * and the plain TypeScript kernels, and the core's measured f64x2 peak.
 *
 *   npm run bench -- kernels [--n 10000] [--p 20]
 */
import { designKernelSet, fusedGradient, KernelArena, wasmKernelsAvailable, type DesignKernels } from "../src/linalg/kernels/index.js";

export interface KernelBenchOptions {
  n: number;
  p: number;
  seed: number;
}

/** Best time in seconds of `f` over batches lasting ≥ 20 ms, five batches. */
function best(f: () => void): number {
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) f();
    if (performance.now() - t0 > 20) break;
    reps *= 2;
  }
  let b = Infinity;
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) f();
    b = Math.min(b, (performance.now() - t0) / reps);
  }
  return b / 1000;
}

export function runKernelBench(o: KernelBenchOptions): void {
  const { n, p } = o;
  let s = o.seed >>> 0 || 1;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const X = new Float64Array(n * p).map((_, i) => (i % p === 0 ? 1 : rnd()));
  const y = new Float64Array(n).map(() => (rnd() > 0 ? 1 : 0));
  const beta = new Float64Array(p).map((_, j) => 0.3 * Math.sin(j));
  // r_i = y_i − σ(η_i); log p_i = y_i η_i − log(1 + e^{η_i}) (stable form).
  const step = (eta: Float64Array, r: Float64Array, a: number, b: number): number => {
    let lp = 0;
    for (let i = a; i < b; i++) {
      const e = eta[i]!;
      const t = Math.exp(-Math.abs(e));
      r[i] = y[i]! - (e >= 0 ? 1 / (1 + t) : t / (1 + t));
      lp += y[i]! * e - (Math.max(e, 0) + Math.log1p(t));
    }
    return lp;
  };
  const peak = KernelArena.create(65536, false)?.peakGflops() ?? Number.NaN;
  console.log(`dense kernels, n = ${n}, p = ${p}; this core's f64x2 peak ${peak.toFixed(2)} GFLOP/s (measured in this run)`);
  const kinds = wasmKernelsAvailable() ? (["wasm", "ts"] as const) : (["ts"] as const);
  for (const kind of kinds) {
    const set = designKernelSet(X, n, p, { vectors: [n, n, n, n], helpers: 0, shared: false, kind });
    const k: DesignKernels = set.main;
    const eta = set.vector(n), r = set.vector(n), w = set.vector(n), z = set.vector(n);
    for (let i = 0; i < n; i++) { w[i] = 0.25; z[i] = y[i]! - 0.5; }
    const g = new Float64Array(p), A = new Float64Array(p * p), bb = new Float64Array(p);
    const bare = best(() => { k.xbeta(beta, null, eta, 0, n); k.xtr(r, g, 0, n, false); });
    const unfused = best(() => { k.xbeta(beta, null, eta, 0, n); step(eta, r, 0, n); k.xtr(r, g, 0, n, false); });
    const fused = best(() => fusedGradient(k, n, beta, null, eta, r, g, step, 512));
    const stepOnly = best(() => step(eta, r, 0, n));
    const cross = best(() => k.crossprod(w, z, A, bb, 0, n));
    const rate = (madds: number, t: number) => (2 * madds) / t / 1e9;
    const gf = (madds: number, t: number) => rate(madds, t).toFixed(2);
    console.log(`  ${kind === "wasm" ? "SIMD kernels" : "plain TS kernels"}:`);
    console.log(`    two bare passes (Xβ, Xᵀr): ${(bare * 1e6).toFixed(1)} µs (${gf(2 * n * p, bare)} GFLOP/s)`);
    console.log(`    gradient, fused by blocks of 512 rows: ${(fused * 1e6).toFixed(1)} µs = ${(fused / bare).toFixed(2)}× the bare passes (target ≤ 1.3×)`);
    console.log(`    gradient, three whole passes: ${(unfused * 1e6).toFixed(1)} µs = ${(unfused / bare).toFixed(2)}×; the row step alone ${(stepOnly * 1e6).toFixed(1)} µs`);
    console.log(`    XᵀWX + XᵀWz: ${(cross * 1e6).toFixed(1)} µs (${gf((n * p * (p + 1)) / 2 + n * p, cross)} GFLOP/s, ${((rate((n * p * (p + 1)) / 2 + n * p, cross) / peak) * 100).toFixed(0)}% of the peak)`);
  }
  runMathBench(o.seed);
}

/**
 * Seconds per call of `f`: the least over `rounds` batches of `reps` calls, in this
 * process's CPU time where available (the development machine is shared: wall time
 * counts the time other processes hold the core), else wall time.
 */
function cpuSeconds(f: () => void, reps: number, rounds: number): number {
  const usage = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process?.cpuUsage;
  const now = usage ? () => { const u = usage(); return (u.user + u.system) / 1e6; } : () => performance.now() / 1e3;
  let b = Infinity;
  for (let k = 0; k < rounds; k++) {
    const t0 = now();
    for (let r = 0; r < reps; r++) f();
    b = Math.min(b, (now() - t0) / reps);
  }
  return b;
}

/**
 * exp, log, log1p of assembly/math.ts (f64x2, the same bits as Math.*) in ns per
 * element against a plain JS loop of Math.exp/log/log1p over the same values, at
 * 10⁴ and 10⁶ elements: exp of η ∈ [−20, 20], log of μ ∈ (0, 1), log1p of e^{−|η|}
 * (|η| < 20). Both are warmed up (the wasm function tiers up to TurboFan, the JS
 * loop is optimised) and then timed alternately, batches of ≥ 2·10⁶ elements, the
 * best of 7 rounds each, in CPU time.
 */
export function runMathBench(seed: number): void {
  if (!wasmKernelsAvailable()) {
    console.log("transcendental functions: WebAssembly SIMD unavailable here, skipped");
    return;
  }
  let s = seed >>> 0 || 1;
  const u = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  console.log("transcendental functions (f64x2, bit-identical to Math.*), ns per element, CPU time:");
  for (const n of [10_000, 1_000_000]) {
    const arena = KernelArena.create(KernelArena.bytesFor([n, n]), false)!;
    const src = arena.alloc(n), dst = arena.alloc(n);
    const cases = [
      { name: "exp", gen: () => 40 * u() - 20, simd: () => arena.expInto(src, dst), js: () => { for (let i = 0; i < n; i++) dst[i] = Math.exp(src[i]!); } },
      { name: "log", gen: () => u() || 0.5, simd: () => arena.logInto(src, dst), js: () => { for (let i = 0; i < n; i++) dst[i] = Math.log(src[i]!); } },
      { name: "log1p", gen: () => Math.exp(-20 * u()), simd: () => arena.log1pInto(src, dst), js: () => { for (let i = 0; i < n; i++) dst[i] = Math.log1p(src[i]!); } },
    ];
    const reps = Math.max(2, Math.ceil(2e6 / n));
    for (const c of cases) {
      for (let i = 0; i < n; i++) src[i] = c.gen();
      for (let w = 0; w < Math.max(200, 4 * reps); w++) { c.simd(); c.js(); }
      let tv = Infinity, tj = Infinity;
      for (let r = 0; r < 7; r++) {
        tv = Math.min(tv, cpuSeconds(c.simd, reps, 1));
        tj = Math.min(tj, cpuSeconds(c.js, reps, 1));
      }
      console.log(`  ${c.name.padEnd(5)} n = ${n.toExponential(0)}: f64x2 ${((tv / n) * 1e9).toFixed(2)} ns, Math.${c.name} loop ${((tj / n) * 1e9).toFixed(2)} ns (ratio ${(tj / tv).toFixed(2)})`);
    }
  }
}

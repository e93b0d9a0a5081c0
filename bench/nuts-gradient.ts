/**
 * Benchmark `npm run bench -- nuts-gradient`: the cost of one evaluation of the NUTS
 * target's gradient on the synthetic logistic case (n = 10⁴, p = 20, the `nuts` and
 * `nuts-real` data), against two bare passes over X (η = Xβ, then Xᵀr, four rows at a
 * time: bench/nuts-logistic.ts `twoPasses`). Printed, in µs per evaluation and as a
 * ratio to the two passes, all measured in the same run:
 * - the GLM log posterior's logDensityGrad at θ, fused (one pass over X, the default) and
 *   with two passes (`fusedGradient: false`),
 * - the same on z through the Laplace whitening (what the sampler calls),
 * - the likelihood kernel's logLikGrad alone (the per-row family step, no pass over X);
 * with the plain TypeScript kernels (ratios to the TypeScript bare passes) and with the
 * WebAssembly SIMD kernels (the one-call fused gradient of assembly/gradient.ts; ratios to two
 * bare SIMD passes, `xbeta` then `xtr` on one arena, and the f64x2 exp of assembly/math.ts and
 * the gradient's division-free fastExp of assembly/fastmath.ts alone over n values), the target being ≤ 1.3× two bare passes of the same kernels;
 * and the bare passes with the one-call gradient's own η order (column parity, no shuffles:
 * `gradientEta`, then `xtr`), which is faster than IRLS's `xbeta`, printed as a second ratio.
 *
 *   npm run bench -- nuts-gradient [--n 10000] [--p 20] [--seed S]
 */
import { normal, resolveCoefficientPriors } from "../src/priors/index.js";
import { glmPosteriorTarget } from "../src/likelihood/posterior-target.js";
import { chooseReparameterization } from "../src/likelihood/linear-reparameterization.js";
import { likelihoodKernel } from "../src/likelihood/glm-likelihood.js";
import { glmLogPosterior } from "../src/likelihood/log-posterior.js";
import { affineTarget } from "../samplers/reparameterized.js";
import { designKernelSet, useKernels, wasmKernelsAvailable, type KernelChoice } from "../src/linalg/kernels/index.js";
import { logisticBenchProblem, twoPasses } from "./nuts-logistic.js";
import { makeFamily } from "../src/families/index.js";

export interface NutsGradientOptions {
  n?: number;
  p?: number;
  seed?: number;
  /** Interleaved timing rounds of 2 calls each (default 1500). */
  rounds?: number;
}

const us = (seconds: number): string => (seconds * 1e6).toFixed(1).padStart(8);

/**
 * Seconds per call of each function: rounds of one untimed call then `reps` timed calls, the
 * functions interleaved within each round, and the fastest round kept per function (the machine is shared: the minimum is
 * the least disturbed measurement, and interleaving exposes every function to the same load).
 */
function fastestRounds(fns: ((k: number) => void)[], reps: number, rounds: number): number[] {
  const best = fns.map(() => Infinity);
  for (const f of fns) for (let k = 0; k < 3 * reps; k++) f(k); // warm the JIT
  for (let r = 0; r < rounds; r++) {
    fns.forEach((f, m) => {
      // One untimed call first, so every row is timed with its own data in cache (the rows use two
      // arenas, each with a copy of X: without it the row after a switch pays for reloading X).
      f(reps);
      const t0 = performance.now();
      for (let k = 0; k < reps; k++) f(k);
      best[m] = Math.min(best[m]!, (performance.now() - t0) / 1000 / reps);
    });
  }
  return best;
}

/** Runs the gradient micro-benchmark and prints one line per evaluation kind. */
export function runNutsGradientBench(options: NutsGradientOptions = {}): void {
  const n = options.n ?? 10_000;
  const p = options.p ?? 20;
  const problem = logisticBenchProblem(n, p, options.seed ?? 20261124);
  const coefficients = resolveCoefficientPriors({ coefficients: normal(0, 2.5) }, problem.columnNames, true);
  const priors = { coefficients };
  const target = glmPosteriorTarget(problem, priors);
  const choice = chooseReparameterization(target, "laplace");
  const withKernels = <T>(c: KernelChoice, f: () => T): T => {
    const prev = useKernels(c);
    try { return f(); } finally { useKernels(prev); }
  };
  const fusedLp = withKernels("ts", () => glmLogPosterior(problem, priors));
  const twoPassLp = withKernels("ts", () => glmLogPosterior(problem, priors, { fusedGradient: false }));
  const simd = wasmKernelsAvailable();
  const wasmLp = withKernels("wasm", () => glmLogPosterior(problem, priors));
  const set = designKernelSet(problem.X, n, p, { vectors: [n, n, p], helpers: 0, shared: false, kind: "wasm" });
  const wEta = set.vector(n);
  const wExp = set.vector(n);
  const wBeta = set.vector(p);
  const map = { dim: target.dim, shift: choice.shift, factor: choice.factor };
  const fusedZ = affineTarget({ dim: target.dim, logDensityGrad: (t, g) => fusedLp.logDensityGrad(t, g) }, map);
  const twoPassZ = affineTarget({ dim: target.dim, logDensityGrad: (t, g) => twoPassLp.logDensityGrad(t, g) }, map);
  const wasmZ = affineTarget({ dim: target.dim, logDensityGrad: (t, g) => wasmLp.logDensityGrad(t, g) }, map);
  // A Poisson–log case on the same X: y = round(e^{η/4}·u·2) counts (any counts do: the cost is per row).
  const yPois = Float64Array.from({ length: n }, (_, i) => {
    let e = 0;
    for (let j = 0; j < p; j++) e += problem.X[i * p + j]! * (j === 0 ? 0.5 : Math.sin(j) / 8);
    return Math.round(Math.exp(e) * (0.5 + ((i * 7919) % 1000) / 1000));
  });
  const poissonProblem = { ...problem, y: yPois, family: makeFamily("poisson") };
  const poissonTs = withKernels("ts", () => glmLogPosterior(poissonProblem, priors));
  const poissonWasm = withKernels("wasm", () => glmLogPosterior(poissonProblem, priors));
  const kernel = likelihoodKernel({ y: problem.y, weights: problem.weights, trials: null, family: problem.family });
  const theta = Float64Array.from(choice.shift);
  const theta0 = Float64Array.from({ length: target.dim }, (_, j) => (j === 0 ? 0.5 : Math.sin(j) / 8));
  const g = new Float64Array(target.dim);
  const eta = new Float64Array(n);
  const score = new Float64Array(n);
  const aux = new Float64Array(1);
  // Each call moves the point a little, as a trajectory does.
  const th = new Float64Array(theta.length);
  const z = new Float64Array(target.dim);
  const at = (k: number, v: Float64Array, base: Float64Array | null): Float64Array => {
    for (let j = 0; j < v.length; j++) v[j] = (base === null ? 0 : base[j]!) + 1e-3 * Math.sin(k + j);
    return v;
  };
  let sink = 0;
  twoPasses(problem.X, n, p, theta, eta, g);
  const fns: [string, (k: number) => void][] = [
    ["two bare passes over X (η = Xβ, Xᵀr)", (k) => { twoPasses(problem.X, n, p, at(k, th, theta), eta, g); sink += g[0]!; }],
    ["family step alone (logLikGrad)", (k) => { eta[k % n] += 1e-12; sink += kernel.logLikGrad(eta, 0, score, aux); }],
    ["logDensityGrad at θ, two passes", (k) => { sink += twoPassLp.logDensityGrad(at(k, th, theta), g); }],
    ["logDensityGrad at θ, fused", (k) => { sink += fusedLp.logDensityGrad(at(k, th, theta), g); }],
    ["at z (laplace whitening), two passes", (k) => { sink += twoPassZ.logDensityGrad(at(k, z, null), g); }],
    ["at z (laplace whitening), fused", (k) => { sink += fusedZ.logDensityGrad(at(k, z, null), g); }],
  ];
  // The SIMD rows: two bare passes on one arena (η = Xβ, then g = Xᵀη, as twoPasses), exp alone over n values, the one-call fused gradient.
  const wasmFns: [string, (k: number) => void][] = !simd ? [] : [
    ["SIMD: two bare passes over X (xbeta, xtr)", (k) => { set.main.xbeta(at(k, th, theta), null, wEta, 0, n); set.main.xtr(wEta, g, 0, n, false); sink += g[0]!; }],
    ["SIMD: f64x2 exp alone over n values", (k) => { wEta[k % n] = -1e-3 * (k % 7); set.arena!.expInto(wEta, wExp); sink += wExp[0]!; }],
    ["SIMD: logDensityGrad at θ, fused (1 call)", (k) => { sink += wasmLp.logDensityGrad(at(k, th, theta), g); }],
    ["SIMD: at z (laplace whitening), fused", (k) => { sink += wasmZ.logDensityGrad(at(k, z, null), g); }],
    ["SIMD: f64x2 fastExp alone over n values", (k) => { wEta[k % n] = -1e-3 * (k % 7); set.arena!.fastExpInto(wEta, wExp); sink += wExp[0]!; }],
    ["SIMD: two bare passes, the gradient's η order", (k) => { set.arena!.gradientEta(set.main.X, p, n, at(k, wBeta, theta), null, wEta); set.main.xtr(wEta, g, 0, n, false); sink += g[0]!; }],
    ["Poisson–log: TS logDensityGrad, fused", (k) => { sink += poissonTs.logDensityGrad(at(k, th, theta0), g); }],
    ["Poisson–log: SIMD logDensityGrad (1 call)", (k) => { sink += poissonWasm.logDensityGrad(at(k, th, theta0), g); }],
  ];
  // The SIMD and TypeScript gradients agree bit for bit (at a point away from θ = 0).
  const probe = Float64Array.from({ length: target.dim }, (_, j) => 0.1 * Math.sin(j + 1));
  const gTs = new Float64Array(target.dim), gWasm = new Float64Array(target.dim);
  const same = !simd || (Object.is(fusedLp.logDensityGrad(probe, gTs), wasmLp.logDensityGrad(probe, gWasm)) && gTs.every((v, j) => Object.is(v, gWasm[j])));
  const rounds = options.rounds ?? 1500;
  const all = [...fns, ...wasmFns];
  const seconds = fastestRounds(all.map((f) => f[1]), 2, rounds);
  console.log(`NUTS gradient, logistic n = ${n}, p = ${p}, one thread; µs per call (fastest of ${rounds} interleaved rounds of 2 calls) and ratio to two bare passes of the same kernels`);
  all.forEach(([name], m) => {
    const base = m < fns.length ? seconds[0]! : seconds[fns.length]!;
    console.log(`  ${name.padEnd(42)} ${us(seconds[m]!)} µs  ${(seconds[m]! / base).toFixed(2)}×`);
  });
  if (!simd) console.log("  (WebAssembly SIMD unavailable: no SIMD rows)");
  else {
    const fusedRatio = seconds[fns.length + 2]! / seconds[fns.length]!;
    console.log(`  SIMD fused / SIMD bare passes: ${fusedRatio.toFixed(2)}× (target ≤ 1.3×: ${fusedRatio <= 1.3 ? "met" : "not met"}); TS fused / TS bare: ${(seconds[3]! / seconds[0]!).toFixed(2)}×; SIMD fused / TS fused: ${(seconds[fns.length + 2]! / seconds[3]!).toFixed(2)}×; SIMD and TS gradients ${same ? "bit-identical" : "DIFFER"}`);
    console.log(`  SIMD fused / SIMD bare passes with the gradient's η order (gradientEta, then xtr): ${(seconds[fns.length + 2]! / seconds[fns.length + 5]!).toFixed(2)}×`);
  }
  if (!Number.isFinite(sink)) console.log("  (non-finite sink)");
}

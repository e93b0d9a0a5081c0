/**
 * Benchmark: a Firth (AS_mean) logistic fit and the profile interval of one
 * coefficient of the ML fit, on n = 10⁵ rows and p = 20 columns (intercept + 19
 * standard-normal predictors), with the SIMD kernels and with the plain TypeScript
 * loops on one thread; the hat-value pass alone in GFLOP/s; and, when Rscript is on
 * the PATH, brglm2's brglmFit and MASS's profile confint of the same coefficient on
 * the same data in the same run. Checks that the SIMD and plain fits are the same bits.
 *
 *   npm run bench -- firth [--n 100000] [--p 20] [--reps 3]
 */
import { maxRelativeError, rAvailable, rReadData, runR, sameNumbers, withRData } from "./r-data.js";
import { fitBiasReduced } from "../src/fit/firth.js";
import { fitMl, type GlmProblem } from "../src/fit/ml-fit.js";
import { profileIntervals } from "../src/intervals/profile.js";
import { logisticProblem } from "./profile-budget.js";
import { choleskyInPlace } from "../src/linalg/cholesky.js";
import { designKernelSet, KernelArena, useKernels, wasmKernelsAvailable } from "../src/linalg/kernels/index.js";
import { fitMap } from "../src/fit/map.js";
import { penalizedProfileIntervals } from "../src/intervals/penalized-profile.js";
import { jeffreys } from "../src/priors/index.js";
import { JeffreysPenalty } from "../src/likelihood/jeffreys-penalty.js";

export interface FirthBenchOptions {
  n: number;
  p: number;
  reps: number;
  seed: number;
}

/** Best of `reps` timings of f, in seconds, and its last value. */
function timeBest<T>(reps: number, f: () => T): { seconds: number; value: T } {
  let best = Infinity;
  let value!: T;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    value = f();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { seconds: best, value };
}

function rTiming(dir: string, n: number, p: number, reps: number): { firth: number; profile: number; coef: number[]; bounds: number[] } | null {
  if (!rAvailable()) return null;
  const script = `
    suppressPackageStartupMessages({ library(brglm2); library(MASS) })
    ${rReadData(dir, n, p)}
    tf <- Inf; tp <- Inf
    for (r in seq_len(${reps})) {
      tf <- min(tf, system.time(fb <- glm(y ~ X - 1, family = binomial(), method = "brglmFit", type = "AS_mean"))[["elapsed"]])
    }
    ml <- glm(y ~ X - 1, family = binomial())
    for (r in seq_len(${reps})) tp <- min(tp, system.time(ci <- suppressMessages(confint(ml, parm = 2)))[["elapsed"]])
    cat(sprintf("%.6f %.6f\\n", tf, tp))
    cat(sprintf("%.17g", coef(fb)), "\\n")
    cat(sprintf("%.17g", ci), "\\n")`;
  const lines = runR(script);
  if (lines === null) return null;
  const [t, c, b] = lines;
  return { firth: t![0]!, profile: t![1]!, coef: c!, bounds: b! };
}

/** The hat-value pass alone (with the Firth adjustment), seconds per pass (best of batches ≥ 50 ms). */
function hatPass(problem: GlmProblem, kind: "ts" | "wasm"): number {
  const { X, n, p } = problem;
  const set = designKernelSet(X, n, p, { vectors: [n, n, n, n], helpers: 0, shared: false, kind });
  const k = set.main;
  const W = set.vector(n), z = set.vector(n), ratio = set.vector(n), hat = set.vector(n);
  W.fill(0.25);
  ratio.fill(0.1);
  const R = new Float64Array(p * p), b = new Float64Array(p);
  k.crossprod(W, z, R, b, 0, n);
  choleskyInPlace(R, p, 0);
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) k.hat(R, W, ratio, 0.5, hat, b, 0, n);
    if (performance.now() - t0 > 50) break;
    reps *= 2;
  }
  let best = Infinity;
  for (let t = 0; t < 3; t++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) k.hat(R, W, ratio, 0.5, hat, b, 0, n);
    best = Math.min(best, (performance.now() - t0) / reps / 1000);
  }
  return best;
}

/** The penalty's passes alone at weights ω = 0.25, a = 0.1, …: best of 5 evaluate (with the gradient) and addHessian, ms. */
function penaltyPasses(problem: GlmProblem): { evaluate: number; hessian: number } {
  const { X, n, p } = problem;
  const pen = new JeffreysPenalty(X, n, p);
  const vec = (c: number) => new Float64Array(n).fill(c);
  const omega = vec(0.25), a = vec(0.1), aa = vec(-0.2), au = vec(0), b = vec(0), bb = vec(0);
  const g = new Float64Array(p), H = new Float64Array(p * p);
  const ev = timeBest(5, () => pen.evaluate(omega, a, null, g)).seconds;
  const he = timeBest(5, () => pen.addHessian(omega, a, aa, au, b, bb, H, false)).seconds;
  return { evaluate: ev * 1e3, hessian: he * 1e3 };
}

/** brglm2's MPL_Jeffreys fit of the same data (best of `reps`), or null without Rscript. */
function rJeffreysTiming(dir: string, n: number, p: number, reps: number): { seconds: number; coef: number[] } | null {
  if (!rAvailable()) return null;
  const script = `
    suppressPackageStartupMessages(library(brglm2))
    ${rReadData(dir, n, p)}
    t <- Inf
    for (r in seq_len(${reps})) t <- min(t, system.time(fj <- glm(y ~ X - 1, family = binomial(), method = "brglmFit", type = "MPL_Jeffreys"))[["elapsed"]])
    cat(sprintf("%.6f\\n", t))
    cat(sprintf("%.17g", coef(fj)), "\\n")`;
  const lines = runR(script);
  if (lines === null) return null;
  const [t, c] = lines;
  return { seconds: t![0]!, coef: c! };
}

/**
 * The Jeffreys prior's dense work (src/likelihood/jeffreys-penalty.ts on the kernels): a MAP
 * fit with jeffreys() on every coefficient and the penalised profile interval of x1, with the
 * SIMD and with the plain kernels (the same bits), and brglm2's MPL_Jeffreys (the same
 * estimator) in the same run.
 */
export function runJeffreysBench(o: FirthBenchOptions): void {
  const problem = logisticProblem(o, 0.3);
  const { n, p } = problem;
  console.log(`MAP with the Jeffreys prior and one penalised profile interval (logistic), n = ${n}, p = ${p}, one thread`);
  const kinds = wasmKernelsAvailable() ? (["wasm", "ts"] as const) : (["ts"] as const);
  const priors = { coefficients: problem.columnNames.map(() => jeffreys()) };
  const out: Record<string, { map: number; profile: number; numbers: number[]; iterations: number }> = {};
  for (const kind of kinds) {
    const prev = useKernels(kind);
    try {
      fitMap(problem, priors); // warm-up
      const m = timeBest(o.reps, () => fitMap(problem, priors));
      const firth = fitBiasReduced(problem, { type: "AS_mean" });
      const pr = timeBest(1, () => penalizedProfileIntervals(firth, { which: [1] }));
      const row = pr.value.rows[0]!;
      out[kind] = { map: m.seconds, profile: pr.seconds, numbers: [...m.value.coef, ...m.value.covariance, row.lower, row.upper], iterations: m.value.iterations };
      const pass = penaltyPasses(problem);
      const hessFlops = 2 * n * ((p * p) / 2 + (p * p * (p + 1)) / 2); // the first term's p²/2 and the M_r sums' p·p(p+1)/2 multiply-adds per row
      console.log(`  ${kind === "wasm" ? "SIMD kernels" : "plain TS kernels"}: MAP-Jeffreys ${m.seconds.toFixed(3)} s (${m.value.iterations} iterations); penalised profile of x1 ${pr.seconds.toFixed(3)} s, bounds [${row.lower.toFixed(6)}, ${row.upper.toFixed(6)}]; penalty with gradient ${pass.evaluate.toFixed(1)} ms, its Hessian ${pass.hessian.toFixed(1)} ms (${(hessFlops / pass.hessian / 1e6).toFixed(2)} GFLOP/s)`);
    } finally {
      useKernels(prev);
    }
  }
  if (kinds.length === 2) {
    const same = sameNumbers(out.wasm!.numbers, out.ts!.numbers);
    console.log(`  SIMD / plain: MAP ${(out.ts!.map / out.wasm!.map).toFixed(2)}× faster, penalised profile ${(out.ts!.profile / out.wasm!.profile).toFixed(2)}×; results ${same ? "bit-identical" : "DIFFER (bug)"}`);
    if (!same) process.exitCode = 1;
  }
  const r = withRData("glmkit-jeffreys-", problem.X, problem.y, (dir) => rJeffreysTiming(dir, n, p, Math.min(o.reps, 2)));
  if (r === null) {
    console.log("  R: Rscript with brglm2 not available");
    return;
  }
  const best = out.wasm ?? out.ts!;
  const worst = maxRelativeError(best.numbers, r.coef, p);
  console.log(`  R brglm2 brglmFit (MPL_Jeffreys): ${r.seconds.toFixed(3)} s (${(r.seconds / best.map).toFixed(1)}× glmkit's MAP); coefficients agree to ${worst.toExponential(1)} relative`);
}

export function runFirthBench(o: FirthBenchOptions): void {
  const problem = logisticProblem(o, 0.3);
  const { n, p } = problem;
  const peak = KernelArena.create(65536, false)?.peakGflops() ?? Number.NaN;
  console.log(`Firth logistic (AS_mean) and one profile interval, n = ${n}, p = ${p}, one thread; f64x2 peak ${peak.toFixed(2)} GFLOP/s (this run)`);
  const kinds = wasmKernelsAvailable() ? (["wasm", "ts"] as const) : (["ts"] as const);
  const fits: Record<string, Float64Array> = {};
  const times: Record<string, { firth: number; profile: number; hat: number }> = {};
  let iterations = 0;
  let profileBounds: number[] = [];
  // One untimed fit and profile with each kind first, so that neither is timed while the JIT warms up.
  const mlWarm = fitMl(problem);
  for (const kind of kinds) {
    const prev = useKernels(kind);
    try {
      fitBiasReduced(problem, { type: "AS_mean" });
      profileIntervals(mlWarm, { which: [1] });
    } finally {
      useKernels(prev);
    }
  }
  for (const kind of kinds) {
    const prev = useKernels(kind);
    try {
      const f = timeBest(o.reps, () => fitBiasReduced(problem, { type: "AS_mean" }));
      const ml = fitMl(problem);
      const pr = timeBest(o.reps, () => profileIntervals(ml, { which: [1] }));
      const hat = hatPass(problem, kind);
      fits[kind] = Float64Array.from([...f.value.coef, ...f.value.hatValues]);
      iterations = f.value.iterations;
      profileBounds = [pr.value.rows[0]!.lower, pr.value.rows[0]!.upper];
      times[kind] = { firth: f.seconds, profile: pr.seconds, hat };
    } finally {
      useKernels(prev);
    }
  }
  const hatFlops = n * (p * p + 3 * p); // per row: p(p−1) in the substitution, p divisions, 2p for |u|², 2p for the adjustment
  for (const kind of kinds) {
    const t = times[kind]!;
    console.log(`  ${kind === "wasm" ? "SIMD kernels" : "plain TS kernels"}: Firth fit ${t.firth.toFixed(3)} s (${iterations} iterations); profile of x1 ${t.profile.toFixed(3)} s; hat pass ${(t.hat * 1e3).toFixed(2)} ms (${(hatFlops / t.hat / 1e9).toFixed(2)} GFLOP/s)`);
  }
  if (kinds.length === 2) {
    const same = sameNumbers(fits.wasm!, fits.ts!);
    console.log(`  SIMD / plain: Firth ${(times.ts!.firth / times.wasm!.firth).toFixed(2)}× faster, profile ${(times.ts!.profile / times.wasm!.profile).toFixed(2)}×, hat pass ${(times.ts!.hat / times.wasm!.hat).toFixed(2)}×; fits ${same ? "bit-identical" : "DIFFER (bug)"}`);
    if (!same) process.exitCode = 1;
  }
  const r = withRData("glmkit-firth-", problem.X, problem.y, (dir) => rTiming(dir, n, p, Math.min(o.reps, 2)));
  if (r === null) {
    console.log("  R: Rscript with brglm2 and MASS not available");
    return;
  }
  const best = times.wasm ?? times.ts!;
  const worst = maxRelativeError(fits.wasm ?? fits.ts!, r.coef, p);
  console.log(`  R brglm2 brglmFit: ${r.firth.toFixed(3)} s (${(r.firth / best.firth).toFixed(1)}× glmkit); coefficients agree to ${worst.toExponential(1)} relative`);
  console.log(`  R MASS confint (profile of x1, grid interpolation): ${r.profile.toFixed(3)} s (${(r.profile / best.profile).toFixed(1)}× glmkit); bounds R [${r.bounds.map((v) => v.toFixed(6)).join(", ")}], glmkit [${profileBounds.map((v) => v.toFixed(6)).join(", ")}]`);
}

/**
 * Benchmark: NUTS on a logistic regression, n = 10,000 rows, p = 20 columns
 * (intercept + 19 standard-normal predictors, β₀ = −0.5, βⱼ = sin j / 2),
 * normal(0, 2.5) priors on all 20 coefficients, 4 chains × (1000 warmup + 1000
 * draws), chains on worker threads (all cores) and, in the same run, in sequence on
 * one thread. Reported for both: min bulk ESS per second of total
 * wall time (worker start-up included), gradient evaluations per second against
 * the cost of two bare passes over X (η = Xβ, then Xᵀr), and, when Rscript is
 * on the PATH, the same ESS/s figure for rstanarm's stan_glm on the same data
 * with the same priors, chains run sequentially (bench/nuts-logistic.R says how
 * the priors are matched).
 *
 *   npm run bench -- nuts [--n 10000] [--p 20] [--seed S]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import normalFactory from "@stdlib/random-base-normal";
import uniformFactory from "@stdlib/random-base-uniform";
import { makeFamily } from "../src/families/index.js";
import type { GlmProblem } from "../src/fit/ml-fit.js";
import { sharedFloat64 } from "../src/linalg/parallel-crossprod.js";
import { normal, resolveCoefficientPriors } from "../src/priors/index.js";
import { samplePosterior } from "../models/posterior.js";
import { glmPosteriorTarget } from "../src/likelihood/posterior-target.js";

export interface NutsBenchOptions {
  n?: number;
  p?: number;
  chains?: number;
  warmup?: number;
  draws?: number;
  seed?: number;
  /** Worker threads for the chains of the all-thread run (default: all cores; the one-thread run always runs too). */
  parallel?: number;
  /** Also run rstanarm when Rscript is available (default true). */
  compareR?: boolean;
}

export interface NutsBenchReport {
  n: number;
  p: number;
  seconds: number;
  minEssBulk: number;
  essPerSecond: number;
  meanLeapfrog: number;
  divergences: number;
  gradientsPerSecond: number;
  twoPassesPerSecond: number;
  /** The same chains in sequence on this thread (seconds, min bulk ESS, ESS/s); null when `parallel` is 1 (then the run above is it). */
  oneThread: { seconds: number; minEssBulk: number; essPerSecond: number } | null;
  r: { seconds: number; minEssBulk: number; essPerSecond: number; meanLeapfrog: number; version: string } | null;
}

/** The benchmark's data (seeded): X on a SharedArrayBuffer so worker threads share it. */
export function logisticBenchProblem(n: number, p: number, seed: number): GlmProblem {
  const rnorm = normalFactory.factory(0, 1, { seed });
  const runif = uniformFactory.factory(0, 1, { seed: seed + 1 });
  const X = sharedFloat64(n * p);
  const y = sharedFloat64(n);
  const beta = Array.from({ length: p }, (_, j) => (j === 0 ? -0.5 : Math.sin(j) / 2));
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let j = 0; j < p; j++) {
      const x = j === 0 ? 1 : rnorm();
      X[i * p + j] = x;
      eta += beta[j]! * x;
    }
    y[i] = runif() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  const weights = sharedFloat64(n).fill(1);
  return {
    X, n, p, y, weights, offset: null, trials: null,
    columnNames: ["(Intercept)", ...Array.from({ length: p - 1 }, (_, j) => `x${j + 1}`)],
    hasIntercept: true,
    family: makeFamily("binomial"),
  };
}

/**
 * The floor of a gradient's cost: η = Xβ, then g = Xᵀη, each pass four rows at a time
 * (the fastest plain loops we know in V8), with nothing else per row.
 */
export function twoPasses(X: Float64Array, n: number, p: number, beta: Float64Array, eta: Float64Array, g: Float64Array): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const r0 = i * p, r1 = r0 + p, r2 = r1 + p, r3 = r2 + p;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (let j = 0; j < p; j++) {
      const b = beta[j]!;
      a0 += X[r0 + j]! * b; a1 += X[r1 + j]! * b; a2 += X[r2 + j]! * b; a3 += X[r3 + j]! * b;
    }
    eta[i] = a0; eta[i + 1] = a1; eta[i + 2] = a2; eta[i + 3] = a3;
  }
  for (; i < n; i++) {
    let a = 0;
    for (let j = 0; j < p; j++) a += X[i * p + j]! * beta[j]!;
    eta[i] = a;
  }
  g.fill(0);
  i = 0;
  for (; i + 4 <= n; i += 4) {
    const r0 = i * p, r1 = r0 + p, r2 = r1 + p, r3 = r2 + p;
    const e0 = eta[i]!, e1 = eta[i + 1]!, e2 = eta[i + 2]!, e3 = eta[i + 3]!;
    for (let j = 0; j < p; j++) g[j] += X[r0 + j]! * e0 + X[r1 + j]! * e1 + X[r2 + j]! * e2 + X[r3 + j]! * e3;
  }
  for (; i < n; i++) for (let j = 0; j < p; j++) g[j] += X[i * p + j]! * eta[i]!;
}

/** Evaluations per second of `f`, timed over at least `minSeconds`. */
export function perSecond(f: (k: number) => void, minSeconds = 1): number {
  for (let k = 0; k < 20; k++) f(k); // warm the JIT
  let count = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < minSeconds * 1000) {
    for (let k = 0; k < 50; k++) f(count++);
    elapsed = performance.now() - t0;
  }
  return (count * 1000) / elapsed;
}

function rBench(problem: GlmProblem, o: Required<Omit<NutsBenchOptions, "parallel" | "compareR">>): NutsBenchReport["r"] {
  const which = spawnSync("Rscript", ["--version"], { encoding: "utf8" });
  if (which.error) return null;
  const here = fileURLToPath(new URL(".", import.meta.url));
  const script = [join(here, "nuts-logistic.R"), join(here, "..", "..", "bench", "nuts-logistic.R")].find((s) => existsSync(s));
  if (!script) return null;
  const dir = mkdtempSync(join(tmpdir(), "glmkit-nuts-bench-"));
  try {
    writeFileSync(join(dir, "X.bin"), new Uint8Array(problem.X.buffer, problem.X.byteOffset, problem.X.byteLength));
    writeFileSync(join(dir, "y.bin"), new Uint8Array(problem.y.buffer, problem.y.byteOffset, problem.y.byteLength));
    const out = spawnSync("Rscript", [script, dir, String(o.n), String(o.p), String(o.chains), String(o.warmup), String(o.draws), String(o.seed % 2147483647)], {
      encoding: "utf8",
      maxBuffer: 1 << 24,
    });
    if (out.status !== 0) {
      process.stderr.write(`rstanarm benchmark failed: ${out.stderr}\n`);
      return null;
    }
    const line = out.stdout.trim().split("\n").pop()!;
    const r = JSON.parse(line) as { seconds: number; min_ess_bulk: number; mean_leapfrog: number; rstanarm: string };
    return { seconds: r.seconds, minEssBulk: r.min_ess_bulk, essPerSecond: r.min_ess_bulk / r.seconds, meanLeapfrog: r.mean_leapfrog, version: r.rstanarm };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the benchmark and prints its figures; returns them. */
export async function runNutsBench(options: NutsBenchOptions = {}): Promise<NutsBenchReport> {
  const o = {
    n: options.n ?? 10_000,
    p: options.p ?? 20,
    chains: options.chains ?? 4,
    warmup: options.warmup ?? 1000,
    draws: options.draws ?? 1000,
    seed: options.seed ?? 20261124,
  };
  const parallel = options.parallel ?? availableParallelism();
  const problem = logisticBenchProblem(o.n, o.p, o.seed);
  const priors = { coefficients: resolveCoefficientPriors({ coefficients: normal(0, 2.5), intercept: normal(0, 2.5) }, problem.columnNames, true) };

  // Gradient evaluations per second, and two bare passes over X (η = Xβ; g = Xᵀr) for scale.
  const target = glmPosteriorTarget(problem, priors);
  const theta = new Float64Array(o.p);
  const grad = new Float64Array(o.p);
  const gradientsPerSecond = perSecond((k) => {
    theta[1] = 1e-9 * k;
    target.logDensityGrad(theta, grad);
  });
  const eta = new Float64Array(o.n);
  const g = new Float64Array(o.p);
  const twoPassesPerSecond = perSecond((k) => {
    theta[1] = 1e-9 * k;
    twoPasses(problem.X, o.n, o.p, theta, eta, g);
  });

  // One thread first (chains in sequence), then all threads; same seed, so the same draws.
  let oneThread: NutsBenchReport["oneThread"] = null;
  if (parallel > 1) {
    const seq = await samplePosterior(problem, priors, { chains: o.chains, warmup: o.warmup, draws: o.draws, seed: o.seed, parallel: 1 });
    const ess = Math.min(...seq.summary.map((r) => r.ess_bulk));
    oneThread = { seconds: seq.seconds.total, minEssBulk: ess, essPerSecond: ess / seq.seconds.total };
  }
  const post = await samplePosterior(problem, priors, {
    chains: o.chains, warmup: o.warmup, draws: o.draws, seed: o.seed, parallel,
  });
  const seconds = post.seconds.total;
  const minEssBulk = Math.min(...post.summary.map((r) => r.ess_bulk));
  const leapfrogs = post.sampler.reduce((s, sp) => s + sp.n_leapfrog__.reduce((a, b) => a + b, 0), 0);
  const meanLeapfrog = leapfrogs / post.sampler.reduce((s, sp) => s + sp.n_leapfrog__.length, 0);
  const report: NutsBenchReport = {
    n: o.n, p: o.p, seconds, minEssBulk, essPerSecond: minEssBulk / seconds, meanLeapfrog,
    divergences: post.divergences, gradientsPerSecond, twoPassesPerSecond, oneThread, r: null,
  };
  console.log(`NUTS logistic, n = ${o.n}, p = ${o.p}, ${o.chains} chains × (${o.warmup} warmup + ${o.draws} draws), ${parallel} worker thread(s):`);
  console.log(
    `  glmkit: ${seconds.toFixed(2)} s wall, min bulk ESS ${minEssBulk.toFixed(0)} → ${report.essPerSecond.toFixed(0)} ESS/s; ` +
      `${meanLeapfrog.toFixed(1)} leapfrog steps per draw, step sizes ${post.stepSize.map((s) => s.toFixed(3)).join(" ")}, ${post.divergences} divergences`,
  );
  if (oneThread) {
    console.log(
      `  glmkit, 1 thread (chains in sequence, same draws): ${oneThread.seconds.toFixed(2)} s wall, min bulk ESS ${oneThread.minEssBulk.toFixed(0)} → ` +
        `${oneThread.essPerSecond.toFixed(0)} ESS/s`,
    );
  }
  console.log(
    `  gradient (the kernels in force, GLMKIT_KERNELS): ${gradientsPerSecond.toFixed(0)} evaluations/s on one thread; two bare passes over X ` +
      `in plain TypeScript loops: ${twoPassesPerSecond.toFixed(0)}/s (a gradient costs ${(twoPassesPerSecond / gradientsPerSecond).toFixed(2)} × those; ` +
      `npm run bench -- nuts-gradient compares each implementation with its own passes)`,
  );
  if (options.compareR ?? true) {
    report.r = rBench(problem, o);
    if (report.r) {
      const r = report.r;
      console.log(
        `  rstanarm ${r.version} (stan_glm, cores = 1): ${r.seconds.toFixed(2)} s, min bulk ESS ${r.minEssBulk.toFixed(0)} → ${r.essPerSecond.toFixed(0)} ESS/s, ` +
          `${r.meanLeapfrog.toFixed(1)} leapfrog steps per draw; glmkit / rstanarm = ${(report.essPerSecond / r.essPerSecond).toFixed(2)}× with ${parallel} thread(s)` +
          (oneThread ? `, ${(oneThread.essPerSecond / r.essPerSecond).toFixed(2)}× on 1 thread` : "") + " (target ≥ 2×)",
      );
    } else {
      console.log("  rstanarm: Rscript or rstanarm not available, no ratio");
    }
  }
  return report;
}

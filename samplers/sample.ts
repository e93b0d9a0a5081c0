/**
 * `sample`: several NUTS chains with Stan's warmup, sequentially or on worker
 * threads. Chain k gets the seed `chainSeed(seed, k)`; the two modes run the same
 * code on the same seeds, so their draws are identical bit for bit.
 */
import { ArgumentError } from "../src/errors.js";
import { coreCount, isNode } from "../src/util/platform.js";
import { runChain, type Adaptation, type ChainConfig, type ChainResult, type Progress, type SamplerParams } from "./chain.js";
import { buildTarget, isTargetFactory } from "./parallel/factory.js";
import { runChainsInWorkers } from "./parallel/pool.js";
import { chainRunner } from "./parallel/runner.js";
import { chainSeed, checkSeed } from "./rng.js";
import type { LogDensity, TargetFactory } from "./types.js";

/** Options of `sample` (Stan's defaults). */
export interface SampleOptions {
  chains?: number;
  /** Warmup (adaptation) iterations per chain. */
  warmup?: number;
  /** Sampling iterations per chain (saved: ⌈draws/thin⌉). */
  draws?: number;
  /** Seed of the run (integer in [0, 2⁵³ − 1]); required so runs are reproducible. */
  seed: number;
  /** Target acceptance statistic of dual averaging. */
  adaptDelta?: number;
  maxTreeDepth?: number;
  metric?: "diag" | "dense";
  /**
   * Warmup algorithm: "stan" (default; Stan's windowed adaptation, reproduces Stan) or
   * "nutpie" (nutpie's metric from draws and gradients, updated every iteration; needs
   * metric "diag"). See samplers/adaptation/nutpie.ts.
   */
  adaptation?: Adaptation;
  /** Initial value for every chain, or "uniform" (uniform(−initRadius, initRadius), Stan's default). */
  init?: Float64Array | "uniform";
  initRadius?: number;
  /** Run chains on worker threads: true (one per core) or a maximum number of threads. Needs a target factory. */
  parallel?: boolean | number;
  thin?: number;
  /** Keep the warmup draws and their sampler diagnostics. */
  saveWarmup?: boolean;
  /** Called about 100 times per phase per chain. */
  onProgress?: (p: Progress) => void;
}

/** Output of `sample`. */
export interface SampleResult {
  dim: number;
  names: string[];
  /** Per chain: saved draws × dim, row-major. */
  draws: Float64Array[];
  /** Per chain: lp__ of each saved draw (the target's log density; `sample`/`sampleSync` always set it). */
  lp?: Float64Array[];
  /** Per chain: Stan's sampler diagnostics of the saved draws. */
  sampler: SamplerParams[];
  /** Per chain: adapted step size. */
  stepSize: number[];
  /** Per chain: adapted inverse metric (length dim, or dim² for "dense"). */
  invMetric: Float64Array[];
  /** Per chain: initial position. */
  inits: Float64Array[];
  /** Per chain, when saveWarmup: warmup draws × dim and their diagnostics. */
  warmupDraws?: Float64Array[];
  warmupSampler?: SamplerParams[];
  /** Per chain: the MT19937 seed used. */
  seeds: number[];
  /** Wall-clock seconds: per chain warmup and sampling, and the whole call. */
  seconds: { warmup: number[]; sampling: number[]; total: number };
}

function positiveInt(name: string, v: number, allowZero = false): void {
  if (!Number.isInteger(v) || v < (allowZero ? 0 : 1)) throw new ArgumentError(`${name} must be a ${allowZero ? "non-negative" : "positive"} integer, got ${v}`);
}

/** Validates options and makes the per-chain configs. */
function chainConfigs(dim: number, o: SampleOptions): ChainConfig[] {
  const chains = o.chains ?? 4;
  const warmup = o.warmup ?? 1000;
  const draws = o.draws ?? 1000;
  const thin = o.thin ?? 1;
  const adaptDelta = o.adaptDelta ?? 0.8;
  const maxTreeDepth = o.maxTreeDepth ?? 10;
  const metric = o.metric ?? "diag";
  const adaptation = o.adaptation ?? "stan";
  const initRadius = o.initRadius ?? 2;
  const init = o.init ?? "uniform";
  if (o.seed === undefined) throw new ArgumentError("seed is required (an integer) so that runs are reproducible");
  checkSeed(o.seed);
  positiveInt("chains", chains);
  positiveInt("warmup", warmup, true);
  positiveInt("draws", draws);
  positiveInt("thin", thin);
  if (!(adaptDelta > 0 && adaptDelta < 1)) throw new ArgumentError(`adaptDelta must be in (0, 1), got ${adaptDelta}`);
  if (!Number.isInteger(maxTreeDepth) || maxTreeDepth < 1 || maxTreeDepth > 30) throw new ArgumentError(`maxTreeDepth must be an integer in [1, 30], got ${maxTreeDepth}`);
  if (metric !== "diag" && metric !== "dense") throw new ArgumentError(`metric must be "diag" or "dense", got ${String(metric)}`);
  if (adaptation !== "stan" && adaptation !== "nutpie") throw new ArgumentError(`adaptation must be "stan" or "nutpie", got ${String(adaptation)}`);
  if (adaptation === "nutpie" && metric !== "diag") {
    throw new ArgumentError(`adaptation "nutpie" estimates a diagonal metric only; use metric "diag" or adaptation "stan" with metric "dense"`);
  }
  if (!(initRadius >= 0) || !Number.isFinite(initRadius)) throw new ArgumentError(`initRadius must be non-negative and finite, got ${initRadius}`);
  if (init !== "uniform") {
    if (!(init instanceof Float64Array)) throw new ArgumentError(`init must be a Float64Array or "uniform"`);
    if (init.length !== dim) throw new ArgumentError(`init has length ${init.length}, target has dim ${dim}`);
  }
  const progressEvery = o.onProgress ? Math.max(1, Math.floor(Math.max(warmup, draws) / 100)) : 0;
  return Array.from({ length: chains }, (_, chain) => ({
    chain,
    seed: chainSeed(o.seed, chain),
    warmup,
    draws,
    thin,
    adaptDelta,
    maxTreeDepth,
    metric,
    adaptation,
    init,
    initRadius,
    saveWarmup: o.saveWarmup ?? false,
    progressEvery,
  }));
}

function collect(target: { dim: number; names?: readonly string[] }, results: ChainResult[], total: number, saveWarmup: boolean): SampleResult {
  const names = target.names ? [...target.names] : Array.from({ length: target.dim }, (_, i) => `theta[${i + 1}]`);
  const out: SampleResult = {
    dim: target.dim,
    names,
    draws: results.map((r) => r.draws),
    lp: results.map((r) => r.lp),
    sampler: results.map((r) => r.sampler),
    stepSize: results.map((r) => r.stepSize),
    invMetric: results.map((r) => r.invMetric),
    inits: results.map((r) => r.initialPosition),
    seeds: results.map((r) => r.seed),
    seconds: { warmup: results.map((r) => r.secondsWarmup), sampling: results.map((r) => r.secondsSampling), total },
  };
  if (saveWarmup) {
    out.warmupDraws = results.map((r) => r.warmupDraws!);
    out.warmupSampler = results.map((r) => r.warmupSampler!);
  }
  return out;
}

function checkNames(target: LogDensity): void {
  if (!Number.isInteger(target.dim) || target.dim < 1) throw new ArgumentError(`target.dim must be a positive integer, got ${target.dim}`);
  if (target.names && target.names.length !== target.dim) throw new ArgumentError(`target.names has ${target.names.length} entries, target.dim is ${target.dim}`);
}

/**
 * Samples `target` sequentially in this thread (no `parallel`).
 * @example const fit = sampleSync(target, { seed: 1 }); fit.draws[0].length // 1000 × target.dim
 */
export function sampleSync(target: LogDensity, options: SampleOptions): SampleResult {
  if (options.parallel) throw new ArgumentError("parallel: sampleSync runs in this thread; use sample() for worker threads");
  checkNames(target);
  const t0 = performance.now();
  const configs = chainConfigs(target.dim, options);
  const results = configs.map((c) => runChain(target, c, options.onProgress));
  return collect(target, results, (performance.now() - t0) / 1000, options.saveWarmup ?? false);
}

/**
 * Samples `target` with NUTS and Stan's windowed adaptation. `target` is a LogDensity
 * or a `TargetFactory`; with `parallel` the chains run on worker threads and the
 * target must be a factory or carry one (`target.factory`).
 * @example const fit = await sample(target, { seed: 1, parallel: true }); fit.stepSize // one per chain
 */
export async function sample(target: LogDensity | TargetFactory, options: SampleOptions): Promise<SampleResult> {
  const t0 = performance.now();
  const density = isTargetFactory(target) ? await buildTarget(target) : target;
  checkNames(density);
  if (!options.parallel) {
    const result = sampleSync(density, options);
    result.seconds.total = (performance.now() - t0) / 1000;
    return result;
  }
  const factory = isTargetFactory(target) ? target : density.factory;
  if (!factory) {
    throw new ArgumentError("target: parallel sampling rebuilds the target in worker threads, so it needs a TargetFactory (pass one, or set target.factory)");
  }
  const configs = chainConfigs(density.dim, options);
  const concurrency = typeof options.parallel === "number" ? options.parallel : coreCount();
  positiveInt("parallel", concurrency);
  const runner = chainRunner();
  if (runner === null && !isNode()) {
    throw new ArgumentError("parallel: outside Node, set a Web Worker runner first: setChainRunner(webWorkerChainRunner(() => new Worker(url, { type: \"module\" })))");
  }
  const results = await (runner ?? runChainsInWorkers)(factory, configs, concurrency, options.onProgress);
  return collect(density, results, (performance.now() - t0) / 1000, options.saveWarmup ?? false);
}

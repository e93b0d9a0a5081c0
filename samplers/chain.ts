/**
 * One complete chain: initial value, Stan's windowed warmup, then sampling with the
 * adapted step size and metric. Shared by the sequential runner and the worker
 * threads, so both do exactly the same arithmetic in the same order.
 */
import { ArgumentError, NumericalError } from "../src/errors.js";
import { nutpieAdaptation } from "./adaptation/nutpie.js";
import { windowAdaptation } from "./adaptation/window.js";
import { initState } from "./kernels/common.js";
import { buildNutsKernel } from "./kernels/nuts.js";
import { makeMetric } from "./metric.js";
import { createRng } from "./rng.js";
import type { KernelState, LogDensity, Rng, TransitionInfo } from "./types.js";

/** Stan's sampler diagnostics of one chain, one entry per saved draw. */
export interface SamplerParams {
  stepsize__: Float64Array;
  treedepth__: Float64Array;
  n_leapfrog__: Float64Array;
  /** 1 for a divergent transition, else 0. */
  divergent__: Float64Array;
  energy__: Float64Array;
  accept_stat__: Float64Array;
}

/** Names of the sampler diagnostics, in Stan's order. */
export const SAMPLER_PARAM_NAMES = ["accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"] as const;

/** Progress report: `iteration` of `total` iterations of `phase` are done in chain `chain`. */
export interface Progress {
  chain: number;
  phase: "warmup" | "sampling";
  iteration: number;
  total: number;
}

/** Everything a chain needs (structured-cloneable, so it can be sent to a worker). */
export interface ChainConfig {
  chain: number;
  /** MT19937 seed of this chain, in [1, 2³² − 1]. */
  seed: number;
  warmup: number;
  /** Sampling iterations; every `thin`-th one is saved (Stan's semantics). */
  draws: number;
  thin: number;
  adaptDelta: number;
  maxTreeDepth: number;
  metric: "diag" | "dense";
  /** Warmup: Stan's windows ("stan") or nutpie's draw-and-gradient metric ("nutpie", diagonal metric only). Absent: "stan". */
  adaptation?: Adaptation;
  /** A given initial vector, or uniform(−initRadius, initRadius) per coordinate (Stan's default). */
  init: Float64Array | "uniform";
  initRadius: number;
  saveWarmup: boolean;
  /** Progress is reported about every `progressEvery` iterations (0: never). */
  progressEvery: number;
}

/** Output of one chain. */
export interface ChainResult {
  chain: number;
  seed: number;
  /** Saved draws, row-major (saved × dim). */
  draws: Float64Array;
  /** lp__ of each saved draw: the target's log density at the draw (unconstrained scale, as Stan's lp__). */
  lp: Float64Array;
  sampler: SamplerParams;
  stepSize: number;
  invMetric: Float64Array;
  initialPosition: Float64Array;
  warmupDraws?: Float64Array;
  warmupSampler?: SamplerParams;
  secondsWarmup: number;
  secondsSampling: number;
}

/** The warmup algorithms: Stan's windowed adaptation, or nutpie's (samplers/adaptation/nutpie.ts). */
export type Adaptation = "stan" | "nutpie";

/** Number of random initial points tried before giving up (Stan's MAX_INIT_TRIES). */
const MAX_INIT_TRIES = 100;

function newSamplerParams(n: number): SamplerParams {
  return {
    stepsize__: new Float64Array(n),
    treedepth__: new Float64Array(n),
    n_leapfrog__: new Float64Array(n),
    divergent__: new Float64Array(n),
    energy__: new Float64Array(n),
    accept_stat__: new Float64Array(n),
  };
}

function record(params: SamplerParams, i: number, info: TransitionInfo): void {
  params.stepsize__[i] = info.stepSize;
  params.treedepth__[i] = info.treeDepth;
  params.n_leapfrog__[i] = info.nLeapfrog;
  params.divergent__[i] = info.divergent ? 1 : 0;
  params.energy__[i] = info.energy;
  params.accept_stat__[i] = info.acceptProb;
}

/**
 * Stan's random initialisation: θᵢ ~ uniform(−r, r), retried up to 100 times until
 * log p and its gradient are finite.
 */
export function initialState(rng: Rng, target: LogDensity, init: Float64Array | "uniform", radius: number): KernelState {
  if (init !== "uniform") return initState(init, target);
  const q = new Float64Array(target.dim);
  let last: unknown = null;
  for (let attempt = 0; attempt < MAX_INIT_TRIES; attempt++) {
    for (let i = 0; i < q.length; i++) q[i] = -radius + 2 * radius * rng.uniform();
    try {
      return initState(q, target);
    } catch (err) {
      if (!(err instanceof NumericalError)) throw err;
      last = err;
    }
  }
  throw new NumericalError(
    `no initial value with finite log density and gradient found in ${MAX_INIT_TRIES} uniform(−${radius}, ${radius}) draws (last: ${(last as Error).message}); pass init or a smaller initRadius`,
  );
}

/** Runs one chain (warmup + sampling). Deterministic given `config.seed`. */
export function runChain(target: LogDensity, config: ChainConfig, onProgress?: (p: Progress) => void): ChainResult {
  const dim = target.dim;
  if (!Number.isInteger(dim) || dim < 1) throw new ArgumentError(`target.dim must be a positive integer, got ${dim}`);
  const rng = createRng(config.seed);
  const kernel = buildNutsKernel({ maxTreeDepth: config.maxTreeDepth });
  const t0 = performance.now();
  const start = initialState(rng, target, config.init, config.initRadius);
  const initialPosition = Float64Array.from(start.position);

  const adaptation =
    config.adaptation === "nutpie"
      ? nutpieAdaptation(kernel, dim, { numWarmup: config.warmup, targetAccept: config.adaptDelta })
      : windowAdaptation(kernel, dim, { numWarmup: config.warmup, metric: config.metric, targetAccept: config.adaptDelta });
  const every = config.progressEvery;
  const warm = adaptation.run(
    rng,
    start,
    target,
    config.saveWarmup,
    onProgress && every > 0
      ? (i) => {
          if ((i + 1) % every === 0 || i + 1 === config.warmup) onProgress({ chain: config.chain, phase: "warmup", iteration: i + 1, total: config.warmup });
        }
      : undefined,
  );
  const t1 = performance.now();

  const nSaved = Math.ceil(config.draws / config.thin);
  const draws = new Float64Array(nSaved * dim);
  const lp = new Float64Array(nSaved);
  const sampler = newSamplerParams(nSaved);
  const params = { stepSize: warm.stepSize, invMetric: makeMetric(warm.invMetric, dim) };
  let state = warm.state;
  let saved = 0;
  for (let i = 0; i < config.draws; i++) {
    const out = kernel.step(rng, state, target, params);
    state = out.state;
    if (i % config.thin === 0) {
      draws.set(state.position, saved * dim);
      lp[saved] = state.logDensity;
      record(sampler, saved, out.info);
      saved++;
    }
    if (onProgress && every > 0 && ((i + 1) % every === 0 || i + 1 === config.draws)) {
      onProgress({ chain: config.chain, phase: "sampling", iteration: i + 1, total: config.draws });
    }
  }
  const t2 = performance.now();

  let warmupSampler: SamplerParams | undefined;
  if (warm.infos) {
    warmupSampler = newSamplerParams(warm.infos.length);
    warm.infos.forEach((info, i) => record(warmupSampler!, i, info));
  }
  return {
    chain: config.chain,
    seed: config.seed,
    draws,
    lp,
    sampler,
    stepSize: warm.stepSize,
    invMetric: warm.invMetric,
    initialPosition,
    warmupDraws: warm.positions,
    warmupSampler,
    secondsWarmup: (t1 - t0) / 1000,
    secondsSampling: (t2 - t1) / 1000,
  };
}

/**
 * Sampling GLM posteriors with glmkit's NUTS (samplers/): every family with a
 * likelihood, its auxiliary parameter (gaussian σ, Gamma shape, negative binomial
 * θ, inverse.gaussian λ) sampled on the log scale under its prior (or held fixed),
 * the Jeffreys prior included (through `glmLogPosterior`).
 *
 * Output: draws per chain on the constrained scale (β, then the aux parameter by
 * its name), Stan's sampler diagnostics (stepsize__, treedepth__, n_leapfrog__,
 * divergent__, energy__, accept_stat__), the `posterior`-style summary and the
 * usual warnings. `posteriorJson` gives the block the CLI's JSON carries.
 *
 * Chains start at uniform(−2, 2) on the unconstrained scale (Stan's default), at
 * the MAP (`init: "map"`, every chain from the posterior mode in (β, log a)), or at
 * a given unconstrained vector.
 *
 * References: [1] Hoffman & Gelman (2014), JMLR 15:1593–1623; [2] Betancourt (2017),
 * arXiv:1701.02434; [3] Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021),
 * Bayesian Analysis 16:667–718; [4] Stan Reference Manual, "Lower bounded scalar".
 */
import { ArgumentError } from "../src/errors.js";
import type { GlmProblem } from "../src/fit/ml-fit.js";
import { sample, sampleSync, type SampleOptions, type SampleResult } from "../samplers/sample.js";
import type { SamplerParams } from "../samplers/chain.js";
import { summarizeDraws, diagnosticWarnings, type SummaryRow } from "../samplers/diagnostics/summary.js";
import { countDivergences } from "../samplers/diagnostics/hmc.js";
import type { AuxName, GlmPriors } from "./log-posterior.js";
import { glmPosteriorTarget, glmTargetRecipe, type GlmTarget } from "./posterior-target.js";

/** Options of {@link samplePosterior}: those of `sample` (Stan's defaults), plus the GLM-specific ones. */
export interface PosteriorSampleOptions extends Omit<SampleOptions, "init"> {
  /**
   * Initial values: "uniform" (uniform(−initRadius, initRadius) on the unconstrained
   * scale, Stan's default), "map" (every chain starts at the posterior mode, found by
   * `mapStart`), or an unconstrained vector (β, then log a when a is sampled).
   */
  init?: "uniform" | "map" | Float64Array;
  /** Hold the auxiliary parameter at this value (constrained scale) instead of sampling it. */
  fixedAux?: number;
}

/** Settings a posterior was sampled with. */
export interface PosteriorSettings {
  chains: number;
  warmup: number;
  /** Sampling iterations per chain (saved draws per chain: ⌈draws/thin⌉). */
  draws: number;
  thin: number;
  seed: number;
  adaptDelta: number;
  maxTreeDepth: number;
  metric: "diag" | "dense";
  init: "uniform" | "map" | "given";
}

/** A sampled GLM posterior. */
export interface GlmPosterior {
  /** Coefficient names, then the aux parameter's name when it is sampled. */
  names: string[];
  coefficientNames: string[];
  /** The family's aux parameter (sampled or held), null for binomial and Poisson. */
  auxName: AuxName | null;
  /** Value at which the aux parameter was held, or null when it was sampled. */
  fixedAux: number | null;
  /** Per chain: saved draws × names.length, row-major, on the constrained scale (a = exp(log a)). */
  draws: Float64Array[];
  /** Per chain: the sampler's positions (unconstrained: β, log a). */
  unconstrained: Float64Array[];
  /** Per chain: Stan's sampler diagnostics of the saved draws. */
  sampler: SamplerParams[];
  /** Per chain: adapted step size and inverse metric (unconstrained scale). */
  stepSize: number[];
  invMetric: Float64Array[];
  /** Per chain: initial position (unconstrained). */
  inits: Float64Array[];
  seeds: number[];
  /** Summary of every variable (constrained scale). */
  summary: SummaryRow[];
  /** Divergent transitions after warmup, all chains. */
  divergences: number;
  /** Plain-language diagnostics (R̂, ESS, divergences, tree depth, E-BFMI); [] when all is well. */
  warnings: string[];
  settings: PosteriorSettings;
  seconds: { warmup: number[]; sampling: number[]; total: number };
  /** What was sampled, for `posteriorPredict` and `logLikMatrix`. */
  problem: GlmProblem;
  priors: GlmPriors;
}

/** The `posterior` block of the CLI's JSON output. */
export interface PosteriorJson {
  summary: {
    name: string;
    mean: number;
    sd: number;
    median: number;
    mad: number;
    q5: number;
    q95: number;
    mcse_mean: number;
    ess_bulk: number;
    ess_tail: number;
    rhat: number;
  }[];
  divergences: number;
  chains: number;
  warmup: number;
  draws: number;
  seconds: number;
  step_size: number[];
  warnings: string[];
}

/**
 * Finds the starting point of `init: "map"`: the posterior mode on the
 * unconstrained scale. Set by the MAP module when it is loaded (see `setMapStart`),
 * so that this module does not depend on the optimiser.
 */
export type MapStart = (problem: GlmProblem, priors: GlmPriors) => Float64Array;

let mapStart: MapStart | null = null;

/** Registers the function behind `init: "map"` (returns θ̂ = (β̂, log â) on the unconstrained scale). */
export function setMapStart(f: MapStart | null): void {
  mapStart = f;
}

interface Prepared {
  target: GlmTarget;
  options: SampleOptions;
  initKind: "uniform" | "map" | "given";
}

function prepare(problem: GlmProblem, priors: GlmPriors, options: PosteriorSampleOptions): Prepared {
  if (options === null || typeof options !== "object") throw new ArgumentError("options must be an object with at least a seed");
  const target = glmPosteriorTarget(problem, priors, { fixedAux: options.fixedAux });
  if (options.parallel) glmTargetRecipe(problem, priors, target.fixedAux); // throws early when workers could not rebuild the family
  const { init: initOption, fixedAux: _fixed, ...rest } = options;
  let init: Float64Array | "uniform" = "uniform";
  let initKind: Prepared["initKind"] = "uniform";
  if (initOption === "map") {
    if (mapStart === null) throw new ArgumentError('init: "map" needs the MAP fitter; import models/posterior-map.js (or call setMapStart) first');
    const full = mapStart(problem, priors);
    init = target.fixedAux === null ? full : full.subarray(0, problem.p).slice();
    initKind = "map";
  } else if (initOption instanceof Float64Array) {
    if (initOption.length !== target.dim) {
      throw new ArgumentError(`init has length ${initOption.length}, expected ${target.dim} (${target.names.join(", ")}; unconstrained scale)`);
    }
    init = initOption;
    initKind = "given";
  } else if (initOption !== undefined && initOption !== "uniform") {
    throw new ArgumentError(`init must be "uniform", "map" or a Float64Array, got ${String(initOption)}`);
  }
  return { target, options: { ...rest, init }, initKind };
}

/** Draws on the constrained scale: a copy with the aux column exponentiated. */
function constrain(draws: Float64Array, dim: number, auxColumn: number | null): Float64Array {
  const out = Float64Array.from(draws);
  if (auxColumn !== null) for (let i = auxColumn; i < out.length; i += dim) out[i] = Math.exp(out[i]!);
  return out;
}

function assemble(problem: GlmProblem, priors: GlmPriors, prepared: Prepared, result: SampleResult): GlmPosterior {
  const { target } = prepared;
  const dim = target.dim;
  const auxColumn = target.auxName !== null && target.fixedAux === null ? problem.p : null;
  const draws = result.draws.map((d) => constrain(d, dim, auxColumn));
  const names = [...target.names];
  const summary = summarizeDraws(draws, names);
  const o = prepared.options;
  const maxTreeDepth = o.maxTreeDepth ?? 10;
  const settings: PosteriorSettings = {
    chains: result.draws.length,
    warmup: o.warmup ?? 1000,
    draws: o.draws ?? 1000,
    thin: o.thin ?? 1,
    seed: o.seed,
    adaptDelta: o.adaptDelta ?? 0.8,
    maxTreeDepth,
    metric: o.metric ?? "diag",
    init: prepared.initKind,
  };
  return {
    names,
    coefficientNames: [...problem.columnNames],
    auxName: target.auxName,
    fixedAux: target.fixedAux,
    draws,
    unconstrained: result.draws,
    sampler: result.sampler,
    stepSize: result.stepSize,
    invMetric: result.invMetric,
    inits: result.inits,
    seeds: result.seeds,
    summary,
    divergences: result.sampler.reduce((s, sp) => s + countDivergences(sp), 0),
    warnings: diagnosticWarnings(summary, result.sampler, { maxTreeDepth }),
    settings,
    seconds: result.seconds,
    problem,
    priors,
  };
}

/**
 * Samples the posterior of a GLM with NUTS and Stan's adaptation (chains in this
 * thread, or on worker threads with `parallel`).
 * @example
 * const priors = { coefficients: resolveCoefficientPriors({ coefficients: normal(0, 2.5), intercept: normal(0, 10) }, problem.columnNames, problem.hasIntercept) };
 * const post = await samplePosterior(problem, priors, { seed: 1, chains: 4, parallel: true });
 * post.summary[1].mean; post.divergences; posteriorJson(post)
 */
export async function samplePosterior(problem: GlmProblem, priors: GlmPriors, options: PosteriorSampleOptions): Promise<GlmPosterior> {
  const prepared = prepare(problem, priors, options);
  const result = await sample(prepared.target, prepared.options);
  return assemble(problem, priors, prepared, result);
}

/**
 * `samplePosterior` without worker threads (synchronous; `parallel` must be unset).
 * @example const post = samplePosteriorSync(problem, priors, { seed: 1 }); post.names // ["(Intercept)", "x", "sigma"]
 */
export function samplePosteriorSync(problem: GlmProblem, priors: GlmPriors, options: PosteriorSampleOptions): GlmPosterior {
  const prepared = prepare(problem, priors, options);
  const result = sampleSync(prepared.target, prepared.options);
  return assemble(problem, priors, prepared, result);
}

/**
 * The `posterior` block of the JSON output: summary rows (constrained scale; the aux
 * parameter by its name), divergences, chains, warmup and draws per chain, total
 * wall-clock seconds, the adapted step sizes and the warnings.
 */
export function posteriorJson(post: GlmPosterior): PosteriorJson {
  return {
    summary: post.summary.map((r) => ({
      name: r.name,
      mean: r.mean,
      sd: r.sd,
      median: r.median,
      mad: r.mad,
      q5: r.q5,
      q95: r.q95,
      mcse_mean: r.mcse_mean,
      ess_bulk: r.ess_bulk,
      ess_tail: r.ess_tail,
      rhat: r.rhat,
    })),
    divergences: post.divergences,
    chains: post.settings.chains,
    warmup: post.settings.warmup,
    draws: post.settings.draws,
    seconds: post.seconds.total,
    step_size: [...post.stepSize],
    warnings: [...post.warnings],
  };
}

/** All chains' draws stacked: (chains·draws) × names.length, row-major, chain 1 first (constrained scale). */
export function pooledDraws(post: GlmPosterior): { draws: number; dim: number; values: Float64Array } {
  const dim = post.names.length;
  const total = post.draws.reduce((s, d) => s + d.length, 0);
  const values = new Float64Array(total);
  let at = 0;
  for (const d of post.draws) {
    values.set(d, at);
    at += d.length;
  }
  return { draws: total / dim, dim, values };
}

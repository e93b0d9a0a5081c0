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
 * The sampler moves z in a linear reparameterization θ = m + L z of θ = (β, log a)
 * (`reparameterize`, src/likelihood/linear-reparameterization.ts): by default the
 * posterior whitened by its Laplace approximation at the mode ("laplace"), else
 * rstanarm's QR or centring, or none at all ("none": the sampler of glmkit ≤ 0.1
 * bit for bit). Priors and likelihood are evaluated at θ, draws are mapped back
 * exactly, and lp__ is the log density at θ (the constant Jacobian is dropped); the
 * adapted step size and inverse metric are those of z (`reparameterization` says
 * which map, so θ's metric is L M⁻¹ Lᵀ).
 *
 * Chains start at uniform(−2, 2) on the sampler's scale z (Stan's default; with
 * "none", z = θ), at the MAP (`init: "map"`, every chain from the posterior mode in
 * (β, log a)), or at a given unconstrained vector θ.
 *
 * References: [1] Hoffman & Gelman (2014), JMLR 15:1593–1623; [2] Betancourt (2017),
 * arXiv:1701.02434; [3] Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021),
 * Bayesian Analysis 16:667–718; [4] Stan Reference Manual, "Lower bounded scalar".
 */
import { ArgumentError, NumericalError } from "../src/errors.js";
import { fitMap } from "../src/fit/map.js";
import type { GlmProblem } from "../src/fit/ml-fit.js";
import { sample, sampleSync, type SampleOptions, type SampleResult } from "../samplers/sample.js";
import type { Adaptation, SamplerParams } from "../samplers/chain.js";
import { summarizeDraws, diagnosticWarnings, type SummaryRow } from "../samplers/diagnostics/summary.js";
import { countDivergences } from "../samplers/diagnostics/hmc.js";
import type { AuxName, GlmPriors } from "../src/likelihood/log-posterior.js";
import { glmPosteriorTarget, glmTargetRecipe, type GlmTarget } from "../src/likelihood/posterior-target.js";
import { chooseReparameterization, type Reparameterization } from "../src/likelihood/linear-reparameterization.js";
import { affineTarget, type AffineTarget } from "../samplers/reparameterized.js";
import type { LogDensity } from "../samplers/types.js";
import { pooledDraws } from "../src/intervals/posterior-intervals.js";

export { pooledDraws };

/** Options of {@link samplePosterior}: those of `sample` (Stan's defaults), plus the GLM-specific ones. */
export interface PosteriorSampleOptions extends Omit<SampleOptions, "init"> {
  /**
   * Initial values: "uniform" (uniform(−initRadius, initRadius) on the unconstrained
   * scale, Stan's default), "map" (every chain starts at the posterior mode, found by
   * `fitMap`; see `mapStart`), or an unconstrained vector (β, then log a when a is sampled).
   */
  init?: "uniform" | "map" | Float64Array;
  /** Hold the auxiliary parameter at this value (constrained scale) instead of sampling it. */
  fixedAux?: number;
  /**
   * The linear change of variables NUTS samples in (default "laplace": whitening by the
   * Laplace covariance at the mode; "qr": rstanarm's QR = TRUE; "center": rstanarm's
   * centred intercept; "none": θ itself, as glmkit ≤ 0.1). A kind that cannot be built
   * (no finite mode, collinear predictors, no intercept) falls back to the next one,
   * and `reparameterization.reason` says why.
   */
  reparameterize?: Reparameterization;
}

/** The change of variables a posterior was sampled in: θ = shift + factor · z. */
export interface PosteriorReparameterization {
  requested: Reparameterization;
  used: Reparameterization;
  /** Why `used` is not `requested` (null when it is). */
  reason: string | null;
  shift: Float64Array;
  /** dim × dim, row-major. */
  factor: Float64Array;
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
  /** The warmup algorithm ("stan": Stan's windows; "nutpie": metric from draws and gradients). */
  adaptation: Adaptation;
  init: "uniform" | "map" | "given";
  /** The reparameterization asked for (`GlmPosterior.reparameterization.used` is the one built). */
  reparameterize: Reparameterization;
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
  /** Per chain: lp__ of each saved draw (the log posterior density on the unconstrained scale, Stan's lp__); absent for draws made elsewhere. */
  lp?: Float64Array[];
  /** Per chain: Stan's sampler diagnostics of the saved draws. */
  sampler: SamplerParams[];
  /** Per chain, with `saveWarmup`: the sampler diagnostics of the warmup iterations. */
  warmupSampler?: SamplerParams[];
  /** Per chain: adapted step size and inverse metric, in the sampler's parameterization z (see `reparameterization`; z = θ with "none"). */
  stepSize: number[];
  invMetric: Float64Array[];
  /** The change of variables θ = m + L z the chains ran in (absent for draws made elsewhere). */
  reparameterization?: PosteriorReparameterization;
  /** Per chain: initial position (unconstrained θ). */
  inits: Float64Array[];
  seeds: number[];
  /** Summary of every variable (constrained scale). */
  summary: SummaryRow[];
  /** Divergent transitions after warmup, all chains. */
  divergences: number;
  /** Plain-language diagnostics (R̂, ESS, divergences, tree depth, E-BFMI); [] when all is well. */
  warnings: string[];
  settings: PosteriorSettings;
  /** Wall-clock seconds: per chain warmup and sampling; `setup` builds the reparameterization (the MAP for "laplace"); `total` includes it. */
  seconds: { warmup: number[]; sampling: number[]; total: number; setup?: number };
  /** What was sampled, for `posteriorPredict` and `logLikMatrix`. */
  problem: GlmProblem;
  priors: GlmPriors;
}

/** The `posterior` block of the CLI's JSON output. */
export interface PosteriorJson {
  summary: SummaryRow[];
  divergences: number;
  chains: number;
  warmup: number;
  draws: number;
  seconds: number;
  /** The warmup algorithm: "stan" (Stan's windows) or "nutpie" (metric from draws and gradients). */
  adaptation: Adaptation;
  step_size: number[];
  /** The sampler's parameterization (step_size is in it): kind asked for, kind used, why they differ (null when they do not). */
  reparameterization?: { requested: Reparameterization; used: Reparameterization; reason: string | null };
  warnings: string[];
}

/**
 * The starting point of `init: "map"`: the posterior mode θ̂ = (β̂, log â) from
 * `fitMap` (the mode of the penalised log-likelihood in the natural parameters).
 * Throws NumericalError when the mode is not finite (e.g. flat priors under separation).
 */
export function mapStart(problem: GlmProblem, priors: GlmPriors): { theta: Float64Array; warnings: string[] } {
  const fit = fitMap(problem, priors);
  if (!fit.theta.every((v) => Number.isFinite(v))) {
    throw new NumericalError(`init: "map": the posterior mode is not finite (${fit.warnings.join("; ") || "no warnings"}); use init: "uniform" or proper priors`);
  }
  const warnings = fit.converged ? [] : [`init: "map": the MAP iteration did not converge in ${fit.iterations} iterations; chains start from its last iterate`];
  return { theta: Float64Array.from(fit.theta), warnings };
}

/**
 * Default warmup algorithm of the GLM sampler with a diagonal metric (a dense metric
 * always defaults to "stan"). nutpie's (it was Stan's before issue 11): chosen by `npm run bench --
 * nuts-real`, where it needs fewer gradients per effective draw on every data set
 * (docs/nuts-performance.md). Stan's windows stay available (`adaptation: "stan"`)
 * to reproduce Stan's warmup.
 */
export const DEFAULT_ADAPTATION: Adaptation = "nutpie";
/**
 * Default warmup iterations per chain, by warmup algorithm: Stan's 1000, and 300 for
 * nutpie's (nutpie's own default `tune = 300`; measured best of 100–1000 in min bulk
 * ESS per gradient of the whole run on the nuts-real data sets).
 */
export const DEFAULT_WARMUP: Readonly<Record<Adaptation, number>> = Object.freeze({ stan: 1000, nutpie: 300 });

/**
 * The warmup algorithm and length a run uses: as given, else the defaults above
 * (nutpie's adaptation estimates a diagonal metric only, so `metric: "dense"` defaults to Stan's).
 */
export function samplerDefaults(options: { adaptation?: Adaptation; metric?: "diag" | "dense"; warmup?: number }): { adaptation: Adaptation; warmup: number } {
  const adaptation = options.adaptation ?? (options.metric === "dense" ? "stan" : DEFAULT_ADAPTATION);
  return { adaptation, warmup: options.warmup ?? DEFAULT_WARMUP[adaptation] ?? 1000 };
}

interface Prepared {
  target: GlmTarget;
  /** What the sampler runs on: the GLM target, or the affine target over it. */
  sampled: LogDensity;
  affine: AffineTarget | null;
  reparameterization: PosteriorReparameterization;
  options: SampleOptions;
  initKind: "uniform" | "map" | "given";
  warnings: string[];
  setupSeconds: number;
}

function prepare(problem: GlmProblem, priors: GlmPriors, options: PosteriorSampleOptions): Prepared {
  if (options === null || typeof options !== "object") throw new ArgumentError("options must be an object with at least a seed");
  const t0 = performance.now();
  const target = glmPosteriorTarget(problem, priors, { fixedAux: options.fixedAux });
  if (options.parallel) glmTargetRecipe(problem, priors, target.fixedAux); // throws early when workers could not rebuild the family
  const { init: initOption, fixedAux: _fixed, reparameterize: requested = "laplace", ...rest } = options;
  const choice = chooseReparameterization(target, requested);
  const affine = choice.used === "none" ? null : affineTarget(target, { dim: target.dim, shift: choice.shift, factor: choice.factor });
  const reparameterization: PosteriorReparameterization = {
    requested: choice.requested, used: choice.used, reason: choice.reason, shift: choice.shift, factor: choice.factor,
  };
  let init: Float64Array | "uniform" = "uniform";
  let initKind: Prepared["initKind"] = "uniform";
  let warnings: string[] = [];
  if (initOption === "map") {
    const start = mapStart(problem, priors);
    init = target.fixedAux === null ? start.theta : start.theta.slice(0, problem.p);
    initKind = "map";
    warnings = start.warnings;
  } else if (initOption instanceof Float64Array) {
    if (initOption.length !== target.dim) {
      throw new ArgumentError(`init has length ${initOption.length}, expected ${target.dim} (${target.names.join(", ")}; unconstrained scale)`);
    }
    init = initOption;
    initKind = "given";
  } else if (initOption !== undefined && initOption !== "uniform") {
    throw new ArgumentError(`init must be "uniform", "map" or a Float64Array, got ${String(initOption)}`);
  }
  // A start given on θ is the sampler's z = L⁻¹(θ − m).
  if (affine !== null && init !== "uniform") init = affine.fromBase(init);
  const sampled: LogDensity = affine ?? target;
  const { adaptation, warmup } = samplerDefaults(rest);
  return {
    target, sampled, affine, reparameterization, options: { ...rest, adaptation, warmup, init }, initKind, warnings,
    setupSeconds: (performance.now() - t0) / 1000,
  };
}

/** Positions z (draws × dim, row-major) mapped to θ = m + L z. */
function toTheta(affine: AffineTarget | null, z: Float64Array, dim: number): Float64Array {
  if (affine === null) return z;
  const out = new Float64Array(z.length);
  for (let s = 0; s < z.length; s += dim) affine.toBase(z.subarray(s, s + dim), out.subarray(s, s + dim));
  return out;
}

/** Draws on the constrained scale: a copy with the aux column exponentiated. */
function constrain(draws: Float64Array, dim: number, auxColumn: number | null): Float64Array {
  const out = Float64Array.from(draws);
  if (auxColumn !== null) for (let i = auxColumn; i < out.length; i += dim) out[i] = Math.exp(out[i]!);
  return out;
}

function assemble(problem: GlmProblem, priors: GlmPriors, prepared: Prepared, result: SampleResult): GlmPosterior {
  const { target, affine } = prepared;
  const dim = target.dim;
  const auxColumn = target.auxName !== null && target.fixedAux === null ? problem.p : null;
  const unconstrained = result.draws.map((z) => toTheta(affine, z, dim));
  const draws = unconstrained.map((d) => constrain(d, dim, auxColumn));
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
    adaptation: o.adaptation ?? "stan",
    init: prepared.initKind,
    reparameterize: prepared.reparameterization.requested,
  };
  return {
    names,
    coefficientNames: [...problem.columnNames],
    auxName: target.auxName,
    fixedAux: target.fixedAux,
    draws,
    unconstrained,
    ...(result.lp ? { lp: result.lp } : {}),
    sampler: result.sampler,
    ...(result.warmupSampler ? { warmupSampler: result.warmupSampler } : {}),
    stepSize: result.stepSize,
    invMetric: result.invMetric,
    reparameterization: prepared.reparameterization,
    inits: result.inits.map((z) => toTheta(affine, z, dim)),
    seeds: result.seeds,
    summary,
    divergences: result.sampler.reduce((s, sp) => s + countDivergences(sp), 0),
    warnings: [...prepared.warnings, ...diagnosticWarnings(summary, result.sampler, { maxTreeDepth })],
    settings,
    seconds: { ...result.seconds, total: result.seconds.total + prepared.setupSeconds, setup: prepared.setupSeconds },
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
  const result = await sample(prepared.sampled, prepared.options);
  return assemble(problem, priors, prepared, result);
}

/**
 * `samplePosterior` without worker threads (synchronous; `parallel` must be unset).
 * @example const post = samplePosteriorSync(problem, priors, { seed: 1 }); post.names // ["(Intercept)", "x", "sigma"]
 */
export function samplePosteriorSync(problem: GlmProblem, priors: GlmPriors, options: PosteriorSampleOptions): GlmPosterior {
  const prepared = prepare(problem, priors, options);
  const result = sampleSync(prepared.sampled, prepared.options);
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
    adaptation: post.settings.adaptation,
    step_size: [...post.stepSize],
    ...(post.reparameterization
      ? { reparameterization: { requested: post.reparameterization.requested, used: post.reparameterization.used, reason: post.reparameterization.reason } }
      : {}),
    warnings: [...post.warnings],
  };
}

/**
 * A `GlmPosterior` from draws made elsewhere (another sampler, a saved run): `draws`
 * is one Float64Array per chain, draws × (p [+ 1]) row-major on the constrained scale
 * (β, then the aux parameter unless `fixedAux` holds it). Summary and warnings are
 * computed; there are no sampler diagnostics. Useful with `posteriorPredict` and `logLikMatrix`.
 * @example const post = glmPosteriorFromDraws(problem, priors, [Float64Array.of(0.1, 2, 0.2, 2.1)]); post.names // ["(Intercept)", "sigma"]
 */
export function glmPosteriorFromDraws(
  problem: GlmProblem,
  priors: GlmPriors,
  draws: readonly Float64Array[],
  options: { fixedAux?: number } = {},
): GlmPosterior {
  const target = glmPosteriorTarget(problem, priors, { fixedAux: options.fixedAux });
  const dim = target.dim;
  if (!Array.isArray(draws) || draws.length === 0) throw new ArgumentError("draws must be a non-empty array of chains");
  draws.forEach((d, k) => {
    if (!(d instanceof Float64Array) || d.length === 0 || d.length % dim !== 0) {
      throw new ArgumentError(`draws: chain ${k + 1} must be a non-empty Float64Array whose length is a multiple of ${dim} (${target.names.join(", ")})`);
    }
    if (d.length !== draws[0]!.length) throw new ArgumentError(`draws: chain ${k + 1} has ${d.length / dim} draws, chain 1 has ${draws[0]!.length / dim}`);
    const auxColumn = target.auxName !== null && target.fixedAux === null ? problem.p : -1;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (!Number.isFinite(v) || (i % dim === auxColumn && !(v > 0))) {
        throw new ArgumentError(`draws: chain ${k + 1}, draw ${Math.floor(i / dim) + 1}, ${target.names[i % dim]} = ${v} is not ${i % dim === auxColumn ? "finite and > 0" : "finite"}`);
      }
    }
  });
  const names = [...target.names];
  const copies = draws.map((d) => Float64Array.from(d));
  const auxColumn = target.auxName !== null && target.fixedAux === null ? problem.p : null;
  const unconstrained = copies.map((d) => {
    const u = Float64Array.from(d);
    if (auxColumn !== null) for (let i = auxColumn; i < u.length; i += dim) u[i] = Math.log(u[i]!);
    return u;
  });
  const summary = summarizeDraws(copies, names);
  const perChain = copies[0]!.length / dim;
  return {
    names,
    coefficientNames: [...problem.columnNames],
    auxName: target.auxName,
    fixedAux: target.fixedAux,
    draws: copies,
    unconstrained,
    sampler: [],
    stepSize: [],
    invMetric: [],
    inits: [],
    seeds: [],
    summary,
    divergences: 0,
    warnings: diagnosticWarnings(summary, []),
    settings: { chains: copies.length, warmup: 0, draws: perChain, thin: 1, seed: 0, adaptDelta: NaN, maxTreeDepth: NaN, metric: "diag", adaptation: "stan", init: "given", reparameterize: "none" },
    seconds: { warmup: [], sampling: [], total: 0 },
    problem,
    priors,
  };
}


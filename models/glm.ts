/**
 * The model declaration: a GLM is data + formula (or a design matrix) + family
 * and link (+ priors, for the MAP and posterior paths). `glm(spec)` resolves
 * the data once (models/resolve.ts); the fitting methods consume the resolved
 * problem and hand their results the fit context, never the model.
 *
 * R equivalent: glm(formula, family, data, weights, offset); MASS::glm.nb for
 * the negative binomial with θ estimated.
 */
import type { Family } from "../src/types.js";
import { ArgumentError, ImproperPosteriorError, PriorError } from "../src/errors.js";
import { fitMl } from "../src/fit/ml-fit.js";
import { fitNegbin } from "../src/fit/negbin.js";
import { fitBiasReduced } from "../src/fit/firth.js";
import { checkPosteriorProper, fitMap, type MapControl } from "../src/fit/map.js";
import { usesJeffreys } from "../src/priors/index.js";
import { GlmFit } from "./fit-result.js";
import { PenalizedFit, laplaceEstimate, type FirthEstimate, type JeffreysEstimate, type LaplaceEstimate, type MapEstimate } from "./penalized-result.js";
import { PosteriorFit } from "./posterior-result.js";
import { samplePosterior, type PosteriorSampleOptions } from "./posterior.js";
import { attachSeparation, type SeparationWording } from "./separation-check.js";
import { resolveModel, type ResolvedModel } from "./resolve.js";
import { resolvePriors, type ResolvedPriors } from "./model-priors.js";
import type { FitContext, PriorDescription } from "./result.js";
import type { FitControl, GlmSpec } from "./spec.js";
import { isSqlData } from "./sql-data.js";
import { isMultinomialFamily, MultinomialModel, type MultinomialSpec } from "./multinomial.js";
import type { DuckdbFitOptions, SqlGlmFit, SqlLaplaceFit } from "./duckdb.js";
import { isNode } from "../src/util/platform.js";
import { checkFitControl, checkSampleOptions, checkSpec, checkThetaEstimable, FIRTH_CONTROL_KEYS, FIT_CONTROL_KEYS, MAP_CONTROL_KEYS } from "./validate-spec.js";


/**
 * models/duckdb.ts (DuckDB's native engine, Node only), imported by a computed URL so
 * that bundlers for a browser leave it out of the root entry's graph.
 */
async function duckdbModule(): Promise<typeof import("./duckdb.js")> {
  if (!isNode()) throw new ArgumentError("data: { duckdb: … } need Node (DuckDB's native engine); in a browser pass the rows as a table");
  const file = import.meta.url.endsWith(".ts") ? "./duckdb.ts" : "./duckdb.js";
  return (await import(/* @vite-ignore */ new URL(file, import.meta.url).href)) as typeof import("./duckdb.js");
}

export type { DesignInput, FitControl, GlmSpec, PriorsSpec } from "./spec.js";
export type { ResolvedModel } from "./resolve.js";

/** A declared GLM. */
export class GlmModel {
  #resolved: ResolvedModel | null = null;
  constructor(readonly spec: GlmSpec) {
    checkSpec(spec);
    // Data in a SQL engine ({ duckdb: … }) are never read into memory: fitAsync() fits them there.
    if (!isSqlData(spec.data)) this.#resolved = resolveModel(spec);
  }
  get resolved(): ResolvedModel {
    if (this.#resolved === null)
      throw new ArgumentError("data: { duckdb: … } stay in DuckDB: fit them with `await model.fitAsync()` (maximum likelihood) or `await model.laplaceAsync()`");
    return this.#resolved;
  }

  /**
   * The fit of `fit()`, or with data `{ duckdb: "file.parquet" | "file.csv" | "SELECT …" }`
   * the same ML fit computed in an embedded DuckDB (models/duckdb.ts, loaded on demand).
   */
  async fitAsync(control: FitControl & DuckdbFitOptions = {}): Promise<GlmFit | SqlGlmFit> {
    if (!isSqlData(this.spec.data)) return this.fit(control);
    const { fitDuckdb } = await duckdbModule();
    return fitDuckdb(this.spec, control);
  }

  /** The Laplace approximation of `laplace()`, or for data `{ duckdb: … }` computed from DuckDB aggregates. */
  async laplaceAsync(control: MapControl & DuckdbFitOptions = {}): Promise<PenalizedFit<LaplaceEstimate> | SqlLaplaceFit> {
    if (!isSqlData(this.spec.data)) return this.laplace(control);
    const { laplaceDuckdb } = await duckdbModule();
    return laplaceDuckdb(this.spec, control);
  }
  get family(): Family {
    return this.resolved.problem.family;
  }
  get columnNames(): string[] {
    return this.resolved.problem.columnNames;
  }
  /** What every result of this model keeps: formula, rows dropped, data warnings, new-data design. */
  get context(): FitContext {
    return this.resolved.context;
  }

  /** Maximum likelihood by IRLS (R: glm(); MASS::glm.nb when θ is estimated). */
  fit(control: FitControl & { separationWording?: SeparationWording } = {}): GlmFit {
    checkFitControl(control, FIT_CONTROL_KEYS, "the fit() control");
    const r = this.resolved;
    const mode = control.separation ?? "auto";
    if (r.estimateTheta) {
      checkThetaEstimable(r.problem);
      const { family: _f, ...rest } = r.problem;
      const nb = fitNegbin({ ...rest, link: r.linkName }, control);
      const separation = attachSeparation(nb, mode, control.separationWording);
      return new GlmFit(r.context, nb, { theta: nb.theta, seTheta: nb.seTheta, twoLogLik: nb.twoLogLik }, separation);
    }
    const ml = fitMl(r.problem, control);
    return new GlmFit(r.context, ml, null, attachSeparation(ml, mode, control.separationWording));
  }

  /**
   * Firth's mean-bias-reduced fit (brglm2 type = "AS_mean", Kosmidis & Firth 2009).
   * For canonical links with fixed dispersion it equals the Jeffreys-prior MAP.
   */
  firth(control: { maxit?: number; epsilon?: number } = {}): PenalizedFit<FirthEstimate> {
    checkFitControl(control, FIRTH_CONTROL_KEYS, "the firth() control");
    if (this.resolved.estimateTheta)
      throw new ArgumentError("--method firth with the negative binomial family needs --theta (θ is estimated only by maximum likelihood, as MASS::glm.nb)");
    const fit = fitBiasReduced(this.resolved.problem, { type: "AS_mean", ...control });
    return new PenalizedFit<FirthEstimate>(this.context, { kind: "firth", fit }, null);
  }

  /**
   * The posterior mode under the declared priors (penalised IRLS/Newton with step
   * halving). With jeffreys() on the coefficients it is the Jeffreys-prior MAP
   * (brglm2 type = "MPL_Jeffreys"), of kind "jeffreys".
   */
  map(control: MapControl = {}): PenalizedFit<MapEstimate | JeffreysEstimate> {
    checkFitControl(control, MAP_CONTROL_KEYS, "the map() control");
    const problem = this.resolved.problem;
    const { priors, description } = this.resolvedPriors();
    if (usesJeffreys(priors.coefficients)) {
      if (priors.aux !== undefined) throw new PriorError("jeffreys() is a joint prior on the coefficients (and dispersion); do not combine it with an aux prior");
      const fit = fitBiasReduced(problem, { type: "MPL_Jeffreys", maxit: control.maxit });
      return new PenalizedFit<JeffreysEstimate>(this.context, { kind: "jeffreys", fit }, description);
    }
    return new PenalizedFit<MapEstimate>(this.context, { kind: "map", fit: fitMap(problem, priors, control) }, description);
  }

  /**
   * The Laplace approximation: the posterior mode under scalar priors with the
   * Gaussian of covariance (−H)⁻¹ around it (`estimate.approximation`; SEs as the
   * MAP's). Intervals via compareIntervals(…, ["laplace"]), draws via laplaceDraws
   * of glmkit/intervals.
   */
  laplace(control: MapControl = {}): PenalizedFit<LaplaceEstimate> {
    checkFitControl(control, MAP_CONTROL_KEYS, "the laplace() control");
    const { priors, description } = this.resolvedPriors();
    if (usesJeffreys(priors.coefficients))
      throw new PriorError("the Laplace approximation here is at a MAP under scalar priors; for the Jeffreys prior use --method map --prior jeffreys (and its penalized-profile intervals)");
    const fit = fitMap(this.resolved.problem, priors, control);
    return new PenalizedFit<LaplaceEstimate>(this.context, laplaceEstimate(fit), description);
  }

  /**
   * Samples the posterior with NUTS (Stan's algorithm and adaptation): draws per
   * chain, Stan's sampler diagnostics and a summarise_draws table. With no prior declared
   * the priors are rstanarm's defaults (models/model-priors.ts); declared priors are used
   * as given (flat where none is given). An improper posterior (flat priors on separated,
   * zero-count or aliased coefficients; a flat prior on the negative binomial θ) throws
   * ImproperPosteriorError before sampling, unless `allowImproper: true`: the draws are then
   * made and the result flagged (a warning, `prior.improper` in the JSON).
   * R equivalent: rstanarm::stan_glm (same priors, `interceptOn: "centered"`); rstan::sampling of the same model.
   */
  async sample(options: Partial<PosteriorSampleOptions> & { seed: number; allowImproper?: boolean }): Promise<PosteriorFit> {
    const { priors, description } = this.resolvedPriors();
    checkSampleOptions(options, this.resolved.problem.p + 1);
    if (this.resolved.problem.p === 0 && this.family.dispersion === "fixed" && !this.resolved.estimateTheta)
      throw new ArgumentError(`the model ${this.context.formula ?? ""} has no parameter to sample: no coefficients, and the ${this.family.name} family has no auxiliary parameter`);
    const { allowImproper, ...sampleOptions } = options;
    const checked = improperCheck(this.resolved.problem, priors, allowImproper === true, sampleOptions.fixedAux !== undefined);
    const post = await samplePosterior(this.resolved.problem, priors, sampleOptions as PosteriorSampleOptions);
    post.warnings.unshift(...checked.warnings);
    return new PosteriorFit(this.context, post, checked.improper === null ? description : { ...description, improper: checked.improper });
  }

  /** The priors resolved per coefficient (parsed, autoscaled if asked), and their description as given. */
  resolvedPriors(): { priors: ResolvedPriors; description: PriorDescription } {
    return resolvePriors(this.spec.priors ?? {}, this.resolved.problem);
  }
}

/**
 * The improper-posterior check before sampling: throws ImproperPosteriorError, or with
 * `allow` returns the finding as a flag and a warning; the partial-check warning otherwise.
 */
function improperCheck(
  problem: ResolvedModel["problem"], priors: ResolvedPriors, allow: boolean, auxFixed: boolean,
): { warnings: string[]; improper: PriorDescription["improper"] } {
  try {
    const warning = checkPosteriorProper(problem, priors, { auxFixed });
    return { warnings: warning === null ? [] : [warning], improper: null };
  } catch (err) {
    if (!(err instanceof ImproperPosteriorError) || !allow) throw err;
    const message = `the posterior is improper and was sampled anyway (allowImproper): ${err.message.replace(/^the posterior is improper: /, "").replace(/; give .*$/, "")}; the draws do not represent a posterior`;
    return { warnings: [message], improper: { reason: err.reason, parameters: [...err.improper], message } };
  }
}

/**
 * Declares a GLM: `glm({ formula: "low ~ age + race", data, family: "binomial" })`.
 * `family: "multinomial"` declares a multinomial logit (models/multinomial.ts; option `ref`).
 */
export function glm(spec: MultinomialSpec): MultinomialModel;
export function glm(spec: GlmSpec): GlmModel;
export function glm(spec: GlmSpec | MultinomialSpec): GlmModel | MultinomialModel {
  if (spec !== null && typeof spec === "object" && isMultinomialFamily(spec.family)) return new MultinomialModel({ ...(spec as MultinomialSpec), family: "multinomial" });
  return new GlmModel(spec as GlmSpec);
}

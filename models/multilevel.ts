/**
 * Multilevel GLMs declared with lme4's formula syntax: `glmer(spec).fit({ REML })` is the
 * maximum-likelihood fit of lme4 (lmer for gaussian with the identity link, REML by
 * default; glmer's Laplace approximation, nAGQ = 1, for binomial and Poisson with any
 * link). The result is data (MultilevelFitResult); `summary()` prints it as lme4 does.
 * `glmer(spec).nuts(options)` (alias `.sample`, GlmModel's name, async) samples the posterior with
 * NUTS on the same design (models/multilevel-posterior.ts), rstanarm's default priors unless
 * `spec.priors` or `options.priors` declares others.
 *
 * R equivalent: lme4::lmer(formula, data, REML) / lme4::glmer(formula, data, family);
 * rstanarm::stan_glmer(formula, data, family, prior_covariance = decov(1, 1, 1, 1)) for `.nuts()`.
 */
import type { Family } from "../src/types.js";
import { ArgumentError, DataError } from "../src/errors.js";
import { makeFamily } from "../src/families/index.js";
import { isDataTable } from "../src/data/table.js";
import { fitMl } from "../src/fit/ml-fit.js";
import { twoSidedP } from "../src/fit/inference.js";
import type { CoefficientRow } from "../src/fit/inference.js";
import { multilevelFrame, type MultilevelFrame } from "../src/multilevel/design.js";
import { fitGlmm, fitLmm, type MultilevelControl, type MultilevelMlEstimate } from "../src/multilevel/ml-fit.js";
import { coefTables, namedComponents, ranefTables, termComponents, type GroupTable, type TermComponents } from "../src/multilevel/components.js";
import { formatMultilevelSummary } from "../src/multilevel/summary.js";
import type { MultilevelDesign } from "../src/multilevel/types.js";
import { prepareResponse, checkWeights, type Response } from "./response.js";
import type { GlmSpec } from "./spec.js";
import { sampleMultilevel, type MultilevelPosterior, type MultilevelPriorOptions, type MultilevelSampleOptions } from "./multilevel-posterior.js";
import { checkSampleOptions } from "./validate-spec.js";

/**
 * A multilevel model: a formula with bar terms, data, family and link (+ weights, offset, column
 * types, contrasts); `priors` are the posterior's (`.nuts()`), rstanarm's defaults where omitted.
 */
export type MultilevelSpec = Pick<GlmSpec, "formula" | "data" | "family" | "link" | "weights" | "offset" | "columns" | "contrasts" | "theta"> & {
  readonly priors?: MultilevelPriorOptions;
};

/** What glmer().nuts() takes: the sampler's settings (seed required) and optionally the priors. */
export type MultilevelNutsOptions = Omit<MultilevelSampleOptions, "family">;

const NUTS_KEYS = ["seed", "chains", "warmup", "draws", "thin", "adaptDelta", "maxTreeDepth", "metric", "adaptation", "init", "initRadius", "priors"];
const PRIOR_KEYS = ["coefficients", "intercept", "aux", "covariance", "sd"];

/** What glmer().fit() takes. */
export interface MultilevelFitControl extends MultilevelControl {
  /** REML (default true) or ML for lmer; glmer is always ML (Laplace). */
  readonly REML?: boolean;
}

/** The group-level part of a fit, as the CLI's JSON `group_effects` carries it. */
export interface GroupEffects {
  /** brms names: sd_Subject__Intercept. */
  readonly sd: Record<string, number>;
  /** brms names: cor_Subject__Intercept__Days. */
  readonly cor: Record<string, number>;
  /** σ̂ of lmer; null for binomial/Poisson glmer. */
  readonly residual_sd: number | null;
  /** lme4's θ (getME(fit, "theta")) with lme4's names. */
  readonly theta: ReadonlyArray<{ readonly name: string; readonly value: number }>;
  /** One entry per term in lme4's order. */
  readonly groups: ReadonlyArray<{ readonly factor: string; readonly levels: number; readonly columns: readonly string[]; readonly correlated: boolean }>;
  /** lme4's ranef(fit): conditional modes by grouping factor. */
  readonly ranef: readonly GroupTable[];
  /** lme4's coef(fit); null for a factor whose columns are not all population-level terms. */
  readonly coef: ReadonlyArray<GroupTable | null>;
}

/** A multilevel ML fit, as data. */
export interface MultilevelFitResult {
  readonly method: "reml" | "ml";
  readonly kind: "lmer" | "glmer";
  readonly formula: string;
  readonly family: string;
  readonly link: string;
  readonly n: number;
  readonly naDropped: number;
  readonly converged: boolean;
  readonly warnings: readonly string[];
  /** Population-level effects: z statistics and normal p-values for glmer (as summary.merMod), t statistics without p-values for lmer. */
  readonly coefficients: readonly CoefficientRow[];
  readonly vcov: Float64Array;
  readonly components: readonly TermComponents[];
  readonly groupEffects: GroupEffects;
  readonly logLik: number;
  readonly df: number;
  readonly aic: number;
  readonly bic: number;
  readonly deviance: number;
  /** NaN for ML fits. */
  readonly remlCriterion: number;
  readonly fitted: Float64Array;
  readonly linearPredictor: Float64Array;
  readonly estimate: MultilevelMlEstimate;
  readonly design: MultilevelDesign;
  /** lme4-like printout. */
  summary(): string;
}

const NB_NEEDS_THETA = "glmer() with the negative binomial needs theta for fit() (lme4's glmer(family = negative.binomial(theta))); estimating θ by ML (glmer.nb) is not implemented yet; nuts() samples θ (stan_glmer.nb)";

/** The family, and whether θ of a negative binomial is left to be sampled (no theta given). */
function familyOf(spec: MultilevelSpec): { family: Family; thetaFree: boolean } {
  if (typeof spec.family === "object" && spec.family !== null) return { family: spec.family, thetaFree: false };
  const name = (spec.family ?? "gaussian").trim();
  const lower = name.toLowerCase();
  if ((lower === "negative_binomial" || lower === "negbin" || lower === "negative.binomial") && spec.theta === undefined) {
    // θ = 1 only to validate the link and the response; nuts() samples θ, fit() needs it given.
    return { family: makeFamily(name, { link: spec.link, theta: 1 }), thetaFree: true };
  }
  return { family: makeFamily(name, { link: spec.link, theta: spec.theta }), thetaFree: false };
}

/** θ's names as lme4's getME(fit, "theta"): "Subject.(Intercept)", "Subject.Days.(Intercept)". */
function thetaNames(design: MultilevelDesign): string[] {
  const out: string[] = [];
  const seen = new Map<string, number>();
  for (const t of design.terms) {
    const count = seen.get(t.factor) ?? 0;
    seen.set(t.factor, count + 1);
    const g = t.factor;
    for (let j = 0; j < t.k; j++) for (let l = j; l < t.k; l++) out.push(l === j ? `${g}.${t.columns[j]}` : `${g}.${t.columns[l]}.${t.columns[j]}`);
  }
  return out;
}

/** A declared multilevel model. */
export class MultilevelModel {
  readonly family: Family;
  readonly frame: MultilevelFrame;
  readonly design: MultilevelDesign;
  readonly trials: Float64Array | null;
  readonly warnings: string[];
  constructor(readonly spec: MultilevelSpec) {
    if (spec === null || typeof spec !== "object") throw new ArgumentError("glmer() needs a spec object { formula, data, family }");
    if (typeof spec.formula !== "string") throw new ArgumentError('glmer() needs a formula with group-level terms, as "y ~ x + (1 | g)"');
    if (spec.data === undefined) throw new ArgumentError("glmer() needs data");
    const fam = familyOf(spec);
    this.family = fam.family;
    this.#thetaFree = fam.thetaFree;
    this.frame = multilevelFrame(spec.formula, spec.data, { weights: spec.weights, offset: spec.offset, columns: spec.columns, contrasts: spec.contrasts });
    const fr = this.frame.frame;
    if (fr.weights) checkWeights(fr.weights, fr.rows);
    const prepared = prepareResponse(fr.response as Response, this.family, fr.weights, this.frame.rows);
    this.trials = prepared.trials;
    this.warnings = [...(isDataTable(spec.data) ? spec.data.warnings ?? [] : []), ...fr.warnings, ...prepared.warnings];
    if (this.frame.naDropped > 0) this.warnings.push(`${this.frame.naDropped} observation${this.frame.naDropped === 1 ? "" : "s"} deleted due to missingness`);
    this.design = {
      n: fr.n, X: fr.X, p: fr.p, columnNames: fr.columnNames, y: prepared.y, weights: prepared.weights,
      offset: fr.offset ?? new Float64Array(fr.n), terms: this.frame.terms,
    };
    this.#mustart = prepared.mustart;
  }
  #mustart: Float64Array | null;
  #thetaFree: boolean;

  /** Whether this is a linear mixed model (gaussian, identity link): lmer. */
  get isLinear(): boolean {
    return this.family.name === "gaussian" && this.family.link.name === "identity";
  }

  /** lme4's fit: lmer (REML by default) or glmer's Laplace (nAGQ = 1). */
  fit(control: MultilevelFitControl = {}): MultilevelFitResult {
    if (control === null || typeof control !== "object") throw new ArgumentError("fit() control must be an object, as { REML: false }");
    for (const k of Object.keys(control)) if (k !== "REML" && k !== "maxEval") throw new ArgumentError(`unknown fit() option "${k}" for a multilevel model (options: REML, maxEval)`);
    const d = this.design;
    if (this.#thetaFree) throw new ArgumentError(NB_NEEDS_THETA);
    if (!this.isLinear && control.REML === true) throw new ArgumentError(`REML applies to linear mixed models (gaussian, identity link), not to the ${this.family.name} family with the ${this.family.link.name} link; glmer is fitted by ML (Laplace)`);
    const fr = this.frame.frame;
    // The GLM without group-level terms: glmer's starting β, and the rank check of X.
    const glm0 = fitMl({
      X: d.X, n: d.n, p: d.p, columnNames: [...d.columnNames], hasIntercept: fr.hasIntercept, y: d.y, weights: d.weights,
      offset: fr.offset, trials: this.trials, mustart: this.#mustart, family: this.family,
    });
    const aliased = glm0.coefficients.filter((c) => c.aliased).map((c) => `"${c.name}"`);
    if (aliased.length > 0) {
      throw new DataError(`the population-level design is rank deficient: ${aliased.join(", ")} ${aliased.length === 1 ? "is a linear combination" : "are linear combinations"} of the other columns (lme4 drops such columns; remove ${aliased.length === 1 ? "it" : "them"} from the formula)`);
    }
    const est: MultilevelMlEstimate = this.isLinear
      ? fitLmm(d, this.family, control.REML ?? true, control)
      : fitGlmm(d, this.family, this.trials, Float64Array.from(glm0.coef, (v) => (v === v ? v : 0)), control);
    return this.#result(est);
  }

  /**
   * The posterior by NUTS (non-centred b = diag(sd)·L·z), rstanarm's stan_glmer defaults: priors
   * normal(0, 2.5) autoscaled, exponential(1) on σ, decov(1, 1, 1, 1), 4 chains × 1000 warmup
   * + 1000 draws, adapt_delta 0.95. A negative binomial without `theta` samples θ (stan_glmer.nb).
   * R equivalent: rstanarm::stan_glmer(formula, data, family, seed, adapt_delta = 0.95).
   * @example glmer({ formula: "Reaction ~ Days + (Days | Subject)", data }).nuts({ seed: 1 }).summary
   */
  nuts(options: MultilevelNutsOptions): MultilevelPosterior {
    if (options === null || typeof options !== "object") throw new ArgumentError("nuts() takes an options object with a seed, as { seed: 1 }");
    for (const k of Object.keys(options)) if (!NUTS_KEYS.includes(k)) throw new ArgumentError(`unknown nuts() option "${k}" for a multilevel model (options: ${NUTS_KEYS.join(", ")})`);
    const { priors: optionPriors, ...sampler } = options;
    checkSampleOptions(sampler, this.#dimension());
    if (this.spec.theta !== undefined && this.family.aux?.name === "theta")
      throw new ArgumentError("nuts() samples the negative binomial θ (stan_glmer.nb): give no theta, or use fit() for lme4's glmer with θ fixed");
    if (optionPriors !== undefined && this.spec.priors !== undefined) throw new ArgumentError("give the priors in the spec or in the nuts() options, not both");
    const priors = optionPriors ?? this.spec.priors;
    if (priors !== undefined) {
      if (priors === null || typeof priors !== "object") throw new ArgumentError(`priors must be an object { coefficients, intercept, aux, covariance, sd }`);
      for (const k of Object.keys(priors)) if (!PRIOR_KEYS.includes(k)) throw new ArgumentError(`unknown prior "${k}" for a multilevel model (priors: ${PRIOR_KEYS.join(", ")})`);
    }
    const post = sampleMultilevel(this.design, { ...sampler, family: this.family, ...(priors !== undefined ? { priors } : {}) });
    post.warnings.unshift(...this.warnings);
    return post;
  }

  /** GlmModel's name for posterior sampling: `nuts(options)` as a promise. */
  async sample(options: MultilevelNutsOptions): Promise<MultilevelPosterior> {
    return this.nuts(options);
  }

  /** Unconstrained dimension of the posterior (for the draws' memory check). */
  #dimension(): number {
    let dim = this.design.p + (this.family.aux ? 1 : 0);
    for (const t of this.design.terms) dim += t.k + (t.k * (t.k - 1)) / 2 + t.levels.length * t.k;
    return dim;
  }

  #result(est: MultilevelMlEstimate): MultilevelFitResult {
    const d = this.design;
    const p = d.p;
    const glmm = est.kind === "glmer";
    const coefficients: CoefficientRow[] = d.columnNames.map((name, j) => {
      const se = Math.sqrt(est.vcov[j * p + j]!);
      const statistic = est.beta[j]! / se;
      return { name, estimate: est.beta[j]!, se, statistic, p_value: glmm ? twoSidedP(statistic, null) : null, aliased: false };
    });
    const components = termComponents(d.terms, est.layout, est.theta, est.useScale ? est.sigma : 1);
    const { sd, cor } = namedComponents(components);
    const ranef = ranefTables(d.terms, est.layout, est.b);
    const names = thetaNames(d);
    const groupEffects: GroupEffects = {
      sd, cor, residual_sd: est.useScale ? est.sigma : null,
      theta: Array.from(est.theta, (value, j) => ({ name: names[j]!, value })),
      groups: d.terms.map((t) => ({ factor: t.factor, levels: t.levels.length, columns: t.columns, correlated: t.correlated })),
      ranef, coef: coefTables(ranef, d.columnNames, est.beta),
    };
    const result: MultilevelFitResult = {
      method: est.REML ? "reml" : "ml", kind: est.kind, formula: this.spec.formula as string,
      family: this.family.name, link: this.family.link.name, n: d.n, naDropped: this.frame.naDropped,
      converged: est.converged, warnings: [...this.warnings, ...est.warnings],
      coefficients, vcov: est.vcov, components, groupEffects,
      logLik: est.logLik, df: est.df, aic: est.aic, bic: est.bic, deviance: est.deviance, remlCriterion: est.remlCriterion,
      fitted: est.fitted, linearPredictor: est.eta, estimate: est, design: d,
      summary: () => formatMultilevelSummary(result),
    };
    return result;
  }
}

/**
 * Declares a multilevel model.
 * @example glmer({ formula: "Reaction ~ Days + (Days | Subject)", data }).fit().groupEffects.sd // { sd_Subject__Intercept: 24.74…, … }
 */
export function glmer(spec: MultilevelSpec): MultilevelModel {
  return new MultilevelModel(spec);
}

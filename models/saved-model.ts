/**
 * Saved models: what prediction on new data needs of a fit, as versioned JSON
 * (`"glmkit_model": 1`), and the predictor revived from it. A saved model holds
 * the coefficients (aliased ones as null), their covariance, the family recipe
 * (name, link as given, θ, Tweedie power), the dispersion and residual df, and the
 * new-data design of the formula (terms, factor levels, contrasts, the states of
 * poly/ns/bs/scale, the offset terms and an offset column), never the data.
 *
 * Intervals (R's predict.glm has none; predict.lm has both for linear models):
 * - "confidence": η̂ ± c·se(η̂) on the link scale, c the normal quantile (the t
 *   quantile on the residual df when the dispersion is estimated, as predict.lm),
 *   the ends mapped through the inverse link for type "response".
 * - "prediction": ML gaussian fits with the identity link only, as
 *   predict.lm(interval = "prediction") with weight 1 for each new row:
 *   ŷ ± t·√(se² + σ̂²), t on the residual df. Other families: ArgumentError.
 * Posterior (NUTS) fits save at most 1000 draws and predict from them
 * (models/saved-posterior.ts): posterior means and SDs, quantile intervals.
 */
import { ArgumentError } from "../src/errors.js";
import { makeFamily } from "../src/families/index.js";
import { designFromJSON, type DesignJson, type DesignSpec } from "../src/formula/index.js";
import { twoSidedCutoff } from "../src/intervals/level.js";
import { linearPredictorInto, rowQuadraticFormsInto } from "../src/linalg/kernels.js";
import type { DataInput, DataTable } from "../src/data/index.js";
import type { Family, FamilyRecipe } from "../src/types.js";
import type { MlFit } from "../src/fit/ml-fit.js";
import type { GlmPosterior } from "./posterior.js";
import type { FitContext } from "./result.js";
import { predictFromDraws, thinnedDraws, type SavedDraws } from "./saved-posterior.js";

/** What saving reads of an ML fit (GlmFit, structurally). */
export interface SavableMlFit {
  readonly method: "mle";
  readonly context: FitContext;
  readonly ml: MlFit;
  readonly theta: number | null;
  readonly dfResidual: number;
  vcov(): ArrayLike<number>;
}

/** What saving reads of a posterior fit (PosteriorFit, structurally). */
export interface SavablePosteriorFit {
  readonly method: "nuts";
  readonly context: FitContext;
  readonly posterior: GlmPosterior;
}

/** The JSON of a saved model, version 1. */
export interface SavedModelJson {
  glmkit_model: 1;
  /** "mle", or "nuts" for a posterior (then coefficients and vcov are the posterior mean and covariance of the saved draws). */
  method: "mle" | "nuts";
  formula: string;
  family: FamilyRecipe;
  /** Design column names, in order. */
  names: string[];
  /** Estimates; null where aliased (treated as 0 in prediction, as R's predict.glm). */
  coefficients: (number | null)[];
  /** vcov(fit), p × p rows; null where aliased. */
  vcov: (number | null)[][];
  /** ML fits; null for a posterior. */
  dispersion: number | null;
  dispersion_estimated: boolean;
  df_residual: number | null;
  design: DesignJson;
  /** Posterior fits: the thinned draws (at most 1000). */
  draws?: SavedDraws;
}

/** Options of {@link SavedModel.predict}. */
export interface SavedPredictOptions {
  type?: "link" | "response";
  /** Standard errors of the fit (delta method on the response scale, as predict.glm). */
  se?: boolean;
  interval?: "none" | "confidence" | "prediction";
  /** Default 0.95. */
  level?: number;
  /** Posterior fits: seed of the posterior predictive draws of a prediction interval (default 1). */
  seed?: number;
}

/** Predictions for the rows of the new data kept (rows with a missing value are dropped). */
export interface SavedPrediction {
  fit: Float64Array;
  /** Present when se or an interval was asked for. */
  se: Float64Array | null;
  lower: Float64Array | null;
  upper: Float64Array | null;
  /** 0-based rows of the new data predicted. */
  rows: Int32Array;
  /** Rows of the new data dropped for a missing value. */
  naDropped: number;
  /** R's warnings while building the new design (bs() beyond the boundary knots, …). */
  warnings: string[];
}

const nullIfNaN = (x: number): number | null => (Number.isNaN(x) ? null : x);

/** The formula, design and family recipe of a result, or a typed error. */
function savedBasis(context: FitContext, family: Family) {
  if (!context.design || context.formula === null) throw new ArgumentError("only formula models can be saved (a design-matrix model has no new-data design)");
  if (!family.recipe) throw new ArgumentError("a model with a custom Family or Link record cannot be saved; give the family and link by name");
  return { formula: context.formula, design: context.design.toJSON(), recipe: family.recipe };
}

/** A posterior fit saved with its thinned draws. */
function savePosterior(fit: SavablePosteriorFit): SavedModelJson {
  const post = fit.posterior;
  const basis = savedBasis(fit.context, post.problem.family);
  const draws = thinnedDraws(post);
  const p = post.coefficientNames.length, S = draws.values.length;
  const mean = Array.from({ length: p }, (_, j) => draws.values.reduce((a, r) => a + r[j]!, 0) / S);
  const cov = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) =>
    draws.values.reduce((a, r) => a + (r[i]! - mean[i]!) * (r[j]! - mean[j]!), 0) / Math.max(1, S - 1)));
  return {
    glmkit_model: 1, method: "nuts", formula: basis.formula, family: basis.recipe, names: [...post.coefficientNames],
    coefficients: mean, vcov: cov, dispersion: null, dispersion_estimated: false, df_residual: null, design: basis.design, draws,
  };
}

/** The saved form of an ML fit (R: what predict.glm reads of a glm object) or of a posterior (its thinned draws). */
export function saveModel(fit: SavableMlFit | SavablePosteriorFit): SavedModelJson {
  if (fit.method === "nuts") return savePosterior(fit);
  const { context, ml } = fit;
  const basis = savedBasis(context, ml.problem.family);
  const recipe: FamilyRecipe = { ...basis.recipe, ...(fit.theta !== null ? { theta: fit.theta } : {}) };
  const p = ml.problem.p;
  const V = fit.vcov();
  return {
    glmkit_model: 1, method: "mle", formula: basis.formula, family: recipe,
    names: [...ml.problem.columnNames],
    coefficients: Array.from(ml.coef, (b, j) => (ml.irls.aliased[j] ? null : nullIfNaN(b))),
    vcov: Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => nullIfNaN(V[i * p + j]!))),
    dispersion: ml.dispersion, dispersion_estimated: ml.dispersionEstimated, df_residual: fit.dfResidual,
    design: basis.design,
  };
}


/** A model revived from its saved JSON: predictions on new data. */
export class SavedModel {
  readonly family: Family;
  readonly design: DesignSpec;
  private readonly beta: Float64Array;
  private readonly cov: Float64Array;

  constructor(readonly json: SavedModelJson) {
    checkSaved(json);
    const r = json.family;
    this.family = makeFamily(r.name, { link: r.link, theta: r.theta, power: r.power });
    this.design = designFromJSON(json.design);
    const p = json.names.length;
    this.beta = Float64Array.from(json.coefficients, (b) => b ?? 0);
    this.cov = new Float64Array(p * p);
    // null: an aliased coefficient (fixed at 0, no variance), or a covariance that does not exist (NaN, as R)
    const aliased = json.coefficients.map((b) => b === null);
    json.vcov.forEach((row, i) => row.forEach((v, j) => { this.cov[i * p + j] = v ?? (aliased[i] || aliased[j] ? 0 : Number.NaN); }));
  }

  get formula(): string {
    return this.json.formula;
  }
  get columnNames(): string[] {
    return [...this.json.names];
  }

  /** Predictions on the link or response scale, with se and intervals if asked (see the module notes). */
  predict(newdata: DataInput | DataTable, opts: SavedPredictOptions = {}): SavedPrediction {
    const type = opts.type ?? "link";
    const interval = opts.interval ?? "none";
    if (interval === "prediction") this.checkPredictionInterval();
    const d = this.design.modelMatrix(newdata);
    const base = { rows: d.rows, naDropped: d.naDropped, warnings: [...d.warnings] };
    if (this.json.draws) {
      const o = { type, se: opts.se === true, interval, level: opts.level ?? 0.95, seed: opts.seed ?? 1 };
      return { ...predictFromDraws(this.json.draws, this.family, this.json.names, d, o), ...base };
    }
    const p = this.beta.length;
    const eta = new Float64Array(d.n);
    linearPredictorInto(d.X, d.n, p, this.beta, d.offset, eta);
    const needSe = opts.se === true || interval !== "none";
    let se: Float64Array | null = null;
    if (needSe) {
      se = new Float64Array(d.n);
      rowQuadraticFormsInto(d.X, d.n, p, this.cov, se); // se(η_i)² = x_iᵀ V x_i, as GlmFit.predict
      for (let i = 0; i < d.n; i++) se[i] = Math.sqrt(se[i]!);
      const why = nanSeWarning(se);
      if (why) base.warnings.push(why);
    }
    let lower: Float64Array | null = null, upper: Float64Array | null = null;
    if (interval !== "none" && se) {
      const df = this.json.dispersion_estimated ? this.json.df_residual : null;
      const c = twoSidedCutoff(opts.level ?? 0.95, df).value;
      const extra = interval === "prediction" ? (this.json.dispersion as number) : 0;
      const half = se.map((s) => c * Math.sqrt(s * s + extra));
      lower = eta.map((e, i) => e - half[i]!);
      upper = eta.map((e, i) => e + half[i]!);
    }
    if (type === "link") return { fit: eta, se, lower, upper, ...base };
    const link = this.family.link;
    const mu = eta.map((e) => link.linkinv(e));
    if (se) for (let i = 0; i < d.n; i++) se[i] = se[i]! * Math.abs(link.muEta(eta[i]!));
    if (lower && upper) {
      const a = lower.map((e) => link.linkinv(e)), b = upper.map((e) => link.linkinv(e));
      lower = a.map((x, i) => Math.min(x, b[i]!));
      upper = a.map((x, i) => Math.max(x, b[i]!));
    }
    return { fit: mu, se, lower, upper, ...base };
  }

  private checkPredictionInterval(): void {
    if (this.json.method === "nuts") return;
    const r = this.json.family;
    if (r.name.toLowerCase() !== "gaussian" || this.family.link.name !== "identity")
      throw new ArgumentError(`prediction intervals (interval "prediction", --interval prediction) are computed for gaussian fits with the identity link only (this model: ${r.name}, link ${this.family.link.name}); use interval "confidence"`);
  }
}

function checkSaved(json: SavedModelJson): void {
  if (json === null || typeof json !== "object" || json.glmkit_model !== 1)
    throw new ArgumentError('not a saved glmkit model: expected a JSON object with "glmkit_model": 1');
  const p = json.names?.length;
  if (!Array.isArray(json.coefficients) || json.coefficients.length !== p || !Array.isArray(json.vcov) || json.vcov.length !== p)
    throw new ArgumentError("saved model: names, coefficients and vcov disagree in length");
}

/** Revives a saved model (its JSON text or the parsed object) as a predictor. */
export function loadModel(json: string | SavedModelJson): SavedModel {
  let obj: unknown = json;
  if (typeof json === "string") {
    try {
      obj = JSON.parse(json);
    } catch (e) {
      throw new ArgumentError(`saved model is not valid JSON: ${(e as Error).message}`);
    }
  }
  return new SavedModel(obj as SavedModelJson);
}

/** The warning for standard errors of predictions that are NaN (null when none is). */
export function nanSeWarning(se: Float64Array): string | null {
  let count = 0;
  for (let i = 0; i < se.length; i++) if (Number.isNaN(se[i]!)) count++;
  if (count === 0) return null;
  return `${count} of ${se.length} standard errors are NaN: the fit's covariance matrix holds NaN (no residual degrees of freedom to estimate the dispersion: see the fit's warnings), as in R's predict.glm`;
}

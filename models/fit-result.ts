/**
 * The result of a maximum-likelihood fit: everything R's glm() and
 * summary.glm report, predictions with standard errors, residuals of R's four
 * types, and the JSON record the CLI prints.
 */
import type { DataInput, DataTable } from "../src/data/index.js";
import { ArgumentError } from "../src/errors.js";
import { linearPredictorInto, rowQuadraticFormsInto } from "../src/linalg/kernels.js";
import { residuals as residualsOf, type MlFit, type ResidualType } from "../src/fit/ml-fit.js";
import type { CoefficientRow } from "../src/fit/inference.js";
import { formatSummary } from "../src/format/summary.js";
import {
  glmInfluence, hatvalues, rstandard, rstudent, cooksDistance, dfbeta, dfbetas, dffits, covratio, influenceMeasures,
  type CaseMatrix, type GlmInfluence, type InfluenceMeasures,
} from "../src/diagnostics/influence.js";
import { vcovHC, vcovCL, type HcType } from "../src/diagnostics/sandwich.js";
import { bic } from "../src/diagnostics/information-criteria.js";
import { calibrationOfFit, type CalibrationReport } from "../src/diagnostics/calibration.js";
import { layoutFromColumns, type TermLayout } from "../src/diagnostics/term-layout.js";
import { summaryDispersion, type SequentialAnova, type SequentialTest, type TermTestOptions, type TermTestTable } from "../src/diagnostics/term-tests.js";
import { coefficientsWith, dataColumn, namedCovariance, type NamedCovariance } from "./fit-diagnostics.js";
import { add1Of, drop1Of, sequentialAnovaOf } from "./term-tests.js";
import type { SeparationVerdict } from "./separation-check.js";
import { nanSeWarning, saveModel, type SavedModelJson } from "./saved-model.js";
import { checkChoice, checkNewdata, checkPredictOptions, RESIDUAL_TYPES, variableColumns } from "./validate-spec.js";
import { finiteOrNull, resultHead, withContextWarnings, type FitContext, type GlmResult, type GlmResultJson } from "./result.js";

export interface NegbinExtras {
  theta: number;
  seTheta: number;
  twoLogLik: number;
}

export interface Prediction {
  fit: Float64Array;
  /** Standard errors (only when asked with seFit). */
  se: Float64Array | null;
  /** With newdata: R's warnings while building the new rows' design (bs() beyond the boundary knots, …). */
  warnings?: string[];
}

/** JSON record of a fit: the CLI contract (fields are never renamed or dropped). */
export interface GlmFitJson extends GlmResultJson {
  method: "mle";
  boundary: boolean;
  deviance: number;
  null_deviance: number;
  df_residual: number;
  df_null: number;
  aic: number | null;
  log_likelihood: number | null;
  dispersion: number;
  dispersion_estimated: boolean;
  theta: number | null;
  se_theta: number | null;
  /** Binomial fits: { detected, infinite: { NAME: "+Inf" | "-Inf" }, checked }; null otherwise. */
  separation: SeparationVerdict | null;
  /** R's BIC(fit): −2 log L + log(nobs)·df (null for quasi families). */
  bic: number | null;
  /** Rows counted in n (positive weight, at least one trial). */
  rows_used: number;
  /** Notes that are not warnings, e.g. which rows were not counted and why. */
  notes: string[];
}

/** Options of vcovCL: the cluster (one label per observation, or a data column's name), sandwich's type and cadjust. */
export interface VcovClusterOptions {
  cluster?: ArrayLike<number | string> | string;
  /** Default "HC0" (sandwich's default for glm objects). */
  type?: HcType;
  cadjust?: boolean;
}

/** A maximum-likelihood fit (R: glm(); MASS::glm.nb when θ is estimated). */
export class GlmFit implements GlmResult<GlmFitJson> {
  readonly method = "mle";
  constructor(
    /** What the fit keeps of its model: formula, rows dropped, data warnings, new-data design. */
    readonly context: FitContext,
    readonly ml: MlFit,
    readonly negbin: NegbinExtras | null,
    /** LP separation verdict (binomial fits; null for other families). */
    readonly separation: SeparationVerdict | null = null,
  ) {}

  get coefficients(): CoefficientRow[] {
    return this.ml.coefficients;
  }
  /** Named coefficient estimates (NaN where aliased). */
  get coef(): Record<string, number> {
    const out: Record<string, number> = {};
    this.ml.problem.columnNames.forEach((name, j) => (out[name] = this.ml.coef[j]!));
    return out;
  }
  get deviance(): number {
    return this.ml.deviance;
  }
  get nullDeviance(): number {
    return this.ml.nullDeviance;
  }
  get aic(): number {
    return this.ml.aic;
  }
  get logLik(): number {
    return this.ml.logLik;
  }
  get dispersion(): number {
    return this.ml.dispersion;
  }
  get dfResidual(): number {
    return this.ml.dfResidual;
  }
  get converged(): boolean {
    return this.ml.irls.converged;
  }
  get iterations(): number {
    return this.ml.irls.iterations;
  }
  get warnings(): string[] {
    return withContextWarnings(this.context, this.ml.warnings);
  }
  /** Fitted means μ. */
  get fitted(): Float64Array {
    return this.ml.irls.mu;
  }
  get linearPredictor(): Float64Array {
    return this.ml.irls.eta;
  }
  get theta(): number | null {
    return this.negbin ? this.negbin.theta : null;
  }

  /**
   * Covariance matrix of the estimates, dispersion × (XᵀWX)⁻¹ (R: vcov(fit)), over all p
   * coefficients with NaN for aliased ones. It is the flat p×p row-major Float64Array that
   * vcov() has always returned (v[i·p + j]), now also carrying `names` and `matrix` (rows).
   */
  vcov(): NamedCovariance {
    const d = this.ml.dispersion;
    return namedCovariance(this.ml.covUnscaled.map((v) => v * d), this.ml.problem.columnNames, "model");
  }

  /**
   * Heteroskedasticity-consistent covariance over the non-aliased coefficients
   * (R: sandwich::vcovHC(fit, type); default "HC3", sandwich's).
   */
  vcovHC(type: HcType = "HC3"): NamedCovariance {
    const v = vcovHC(this.ml, type);
    return namedCovariance(v.values, v.names, type);
  }

  /**
   * Cluster-robust covariance over the non-aliased coefficients (R: sandwich::vcovCL(fit,
   * cluster, type, cadjust); default type "HC0" for glm objects). `cluster` is one label per
   * observation, or the name of a data column (formula models).
   */
  vcovCL(options: VcovClusterOptions = {}): NamedCovariance {
    const { cluster, ...rest } = options;
    const labels = typeof cluster === "string" ? dataColumn(this.context, cluster) : cluster;
    const v = vcovCL(this.ml, { ...rest, cluster: labels });
    return namedCovariance(v.values, v.names, rest.type ?? "HC0", true);
  }

  /** The coefficient table with standard errors from `cov` (z tests, as lmtest::coeftest(fit, vcov = cov)). */
  coeftest(cov: NamedCovariance): CoefficientRow[] {
    return coefficientsWith(this.ml, cov);
  }

  /** R's BIC(fit) (NaN for quasi families). */
  bic(): number {
    return bic(this.ml).bic;
  }

  /** R's summary(fit)$dispersion, which R's influence measures and term tests use (Pearson for a negative binomial with θ given). */
  get summaryDispersion(): number {
    return summaryDispersion(this.ml, this.negbin !== null);
  }

  private cachedInfluence: GlmInfluence | null = null;
  /**
   * R's influence(fit): hat values, leave-one-out σ, residuals and dfbeta, for the cases
   * with non-zero prior weight (`rows` maps them to the rows of the fit). Every influence
   * measure below has one entry per such case.
   */
  influence(): GlmInfluence {
    return (this.cachedInfluence ??= glmInfluence(this.ml));
  }
  /** R's hatvalues(fit). */
  hatvalues(): Float64Array {
    return hatvalues(this.ml, this.influence());
  }
  /** R's cooks.distance(fit). */
  cooksDistance(): Float64Array {
    return cooksDistance(this.ml, { infl: this.influence(), dispersion: this.summaryDispersion });
  }
  /** R's rstandard(fit, type). */
  rstandard(type: "deviance" | "pearson" = "deviance"): Float64Array {
    return rstandard(this.ml, type, { infl: this.influence(), dispersion: this.summaryDispersion });
  }
  /** R's rstudent(fit). */
  rstudent(): Float64Array {
    return rstudent(this.ml, this.influence());
  }
  /** R's dfbeta(fit): cases × non-aliased coefficients. */
  dfbeta(): CaseMatrix {
    return dfbeta(this.ml, this.influence());
  }
  /** R's dfbetas(fit). */
  dfbetas(): CaseMatrix {
    return dfbetas(this.ml, this.influence());
  }
  /** R's dffits(fit). */
  dffits(): Float64Array {
    return dffits(this.ml, this.influence());
  }
  /** R's covratio(fit). */
  covratio(): Float64Array {
    return covratio(this.ml, this.influence());
  }
  /** R's influence.measures(fit): the measures and their flags. */
  influenceMeasures(): InfluenceMeasures {
    return influenceMeasures(this.ml, this.influence(), { dispersion: this.summaryDispersion });
  }

  /** Calibration of the fitted probabilities (binomial fits): Brier score, calibration intercept and slope, Hosmer–Lemeshow, reliability table. */
  calibration(options: { g?: number } = {}): CalibrationReport {
    return calibrationOfFit(this.ml, options);
  }

  /** The model's terms and the term of each column (a design-matrix model: one term per column). */
  get terms(): TermLayout {
    return this.context.terms ?? layoutFromColumns(this.ml.problem.columnNames, this.ml.problem.hasIntercept);
  }
  /** R's anova(fit, test): the deviance table adding the terms in order. */
  anova(options: { test?: SequentialTest | null; dispersion?: number } = {}): SequentialAnova {
    return sequentialAnovaOf(this, options);
  }
  /** R's drop1(fit, scope, test). */
  drop1(options: TermTestOptions & { scope?: readonly string[] } = {}): TermTestTable {
    return drop1Of(this, options);
  }
  /** R's add1(fit, scope, test): `scope` a formula ("~ . + x + z", or an upper formula) or term labels. */
  add1(scope: string | readonly string[], options: TermTestOptions = {}): TermTestTable {
    return add1Of(this, scope, options);
  }

  residuals(type: ResidualType = "deviance"): Float64Array {
    checkChoice("residuals type", type, RESIDUAL_TYPES);
    return residualsOf(this.ml, type);
  }

  /**
   * Predictions on the link or response scale, with standard errors if asked
   * (R: predict.glm(fit, newdata, type, se.fit = TRUE)).
   */
  predict(newdata?: DataInput | DataTable, opts: { type?: "link" | "response"; seFit?: boolean } = {}): Prediction {
    checkPredictOptions(opts);
    if (newdata !== undefined && this.context.terms) checkNewdata(newdata, [...new Set(this.context.terms.variables.flat().flatMap(variableColumns))]);
    const type = opts.type ?? "link";
    const { problem } = this.ml;
    const p = problem.p;
    let X = problem.X;
    let n = problem.n;
    let offset = problem.offset;
    let warnings: string[] | undefined;
    if (newdata !== undefined) {
      const build = this.context.newDesign;
      if (!build) throw new ArgumentError("predict(newdata) needs a formula model; for a design-matrix model pass no newdata");
      const d = build(newdata);
      X = d.X;
      n = d.n;
      offset = d.offset;
      warnings = d.warnings ?? [];
    }
    const beta = this.ml.coef.map((b, j) => (this.ml.irls.aliased[j] ? 0 : b));
    const eta = new Float64Array(n);
    linearPredictorInto(X, n, p, beta, offset, eta);
    let se: Float64Array | null = null;
    if (opts.seFit) {
      // aliased coefficients are fixed at 0 (no variance); any other NaN (no residual df) stays NaN, as R's predict.glm
      const aliased = this.ml.irls.aliased;
      const C = this.vcov().map((v, k) => (aliased[Math.floor(k / p)] || aliased[k % p] ? 0 : v));
      se = new Float64Array(n);
      rowQuadraticFormsInto(X, n, p, C, se); // se(η_i)² = x_iᵀ V x_i
      for (let i = 0; i < n; i++) se[i] = Math.sqrt(se[i]!);
      const why = nanSeWarning(se);
      if (why) warnings = [...(warnings ?? []), why];
    }
    const extra = warnings ? { warnings } : {};
    if (type === "link") return { fit: eta, se, ...extra };
    const link = problem.family.link;
    const mu = eta.map((e) => link.linkinv(e));
    if (se) for (let i = 0; i < n; i++) se[i] = se[i]! * Math.abs(link.muEta(eta[i]!));
    return { fit: mu, se, ...extra };
  }

  /** What prediction on new data needs, as versioned JSON (revive it with loadModel). */
  save(): SavedModelJson {
    return saveModel(this);
  }

  toJSON(): GlmFitJson {
    const { problem, irls } = this.ml;
    return {
      ...resultHead(this.method, problem, this.context),
      n: this.ml.nObs,
      na_dropped: this.context.naDropped,
      converged: irls.converged,
      boundary: irls.boundary,
      iterations: irls.iterations,
      warnings: this.warnings,
      coefficients: this.ml.coefficients,
      deviance: this.ml.deviance,
      null_deviance: this.ml.nullDeviance,
      df_residual: this.ml.dfResidual,
      df_null: this.ml.dfNull,
      aic: finiteOrNull(this.ml.aic),
      log_likelihood: finiteOrNull(this.ml.logLik),
      dispersion: this.ml.dispersion,
      dispersion_estimated: this.ml.dispersionEstimated,
      theta: this.negbin ? this.negbin.theta : null,
      se_theta: this.negbin ? this.negbin.seTheta : null,
      separation: this.separation,
      bic: finiteOrNull(this.bic()),
      rows_used: this.ml.rowsUsed,
      notes: this.ml.notes,
    };
  }

  /** An R-like printout of summary(glm(...)). */
  summary(): string {
    const text = formatSummary(this.toJSON(), this.residuals("deviance"));
    return this.ml.notes.length === 0 ? text : `${text}\nNotes:\n${this.ml.notes.map((n) => `  - ${n}`).join("\n")}`;
  }
}

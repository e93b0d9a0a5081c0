/**
 * The result of a maximum-likelihood fit: everything R's glm() and
 * summary.glm report, predictions with standard errors, residuals of R's four
 * types, and the JSON record the CLI prints.
 */
import type { DataInput, DataTable } from "../src/data/index.js";
import { ArgumentError } from "../src/errors.js";
import { linearPredictorInto } from "../src/linalg/kernels.js";
import { residuals as residualsOf, type MlFit, type ResidualType } from "../src/fit/ml-fit.js";
import type { CoefficientRow } from "../src/fit/inference.js";
import { formatSummary } from "../src/format/summary.js";
import type { SeparationVerdict } from "./separation-check.js";
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

  /** Covariance matrix of the estimates (dispersion × (XᵀWX)⁻¹), p×p row-major, NaN for aliased. */
  vcov(): Float64Array {
    const d = this.ml.dispersion;
    return this.ml.covUnscaled.map((v) => v * d);
  }

  residuals(type: ResidualType = "deviance"): Float64Array {
    return residualsOf(this.ml, type);
  }

  /**
   * Predictions on the link or response scale, with standard errors if asked
   * (R: predict.glm(fit, newdata, type, se.fit = TRUE)).
   */
  predict(newdata?: DataInput | DataTable, opts: { type?: "link" | "response"; seFit?: boolean } = {}): Prediction {
    const type = opts.type ?? "link";
    const { problem } = this.ml;
    const p = problem.p;
    let X = problem.X;
    let n = problem.n;
    let offset = problem.offset;
    if (newdata !== undefined) {
      const build = this.context.newDesign;
      if (!build) throw new ArgumentError("predict(newdata) needs a formula model; for a design-matrix model pass no newdata");
      const d = build(newdata);
      X = d.X;
      n = d.n;
      offset = d.offset;
    }
    const beta = this.ml.coef.map((b, j) => (this.ml.irls.aliased[j] ? 0 : b));
    const eta = new Float64Array(n);
    linearPredictorInto(X, n, p, beta, offset, eta);
    let se: Float64Array | null = null;
    if (opts.seFit) {
      const C = this.vcov().map((v) => (Number.isNaN(v) ? 0 : v));
      se = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < p; j++) {
          const xj = X[i * p + j]!;
          if (xj === 0) continue;
          let t = 0;
          for (let k = 0; k < p; k++) t += C[j * p + k]! * X[i * p + k]!;
          s += xj * t;
        }
        se[i] = Math.sqrt(s);
      }
    }
    if (type === "link") return { fit: eta, se };
    const link = problem.family.link;
    const mu = eta.map((e) => link.linkinv(e));
    if (se) for (let i = 0; i < n; i++) se[i] = se[i]! * Math.abs(link.muEta(eta[i]!));
    return { fit: mu, se };
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
    };
  }

  /** An R-like printout of summary(glm(...)). */
  summary(): string {
    return formatSummary(this.toJSON(), this.residuals("deviance"));
  }
}

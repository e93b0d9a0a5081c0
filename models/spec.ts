/**
 * What a user declares: the model (data + formula, or a design matrix; family and
 * link; weights, offset; priors) and the controls of the ML fit.
 */
import type { Family, Link } from "../src/types.js";
import type { DataInput, DataTable } from "../src/data/index.js";
import type { IrlsOptions } from "../src/fit/irls.js";
import type { AuxPrior, CoefficientPrior } from "../src/priors/index.js";
import type { ColumnTypes, ContrastSpec } from "../src/formula/index.js";
import type { SeparationCheck } from "./separation-check.js";

/** A design given directly as a matrix instead of a formula. */
export interface DesignInput {
  /** n×p row-major Float64Array (give n and p), or an array of rows. */
  X: Float64Array | ArrayLike<number>[];
  y: ArrayLike<number>;
  n?: number;
  p?: number;
  /** Defaults to x1 … xp. */
  columnNames?: string[];
  /** Whether the first column is an intercept of ones (affects the null deviance and df). Default: detected from the name "(Intercept)". */
  hasIntercept?: boolean;
}

export interface GlmSpec {
  formula?: string;
  data?: DataInput | DataTable;
  design?: DesignInput;
  /** R's family name (case-insensitive), negative_binomial/negbin, tweedie, or a Family record. Default gaussian. */
  family?: string | Family;
  link?: string | Link;
  /** Column name or array of prior weights. */
  weights?: string | ArrayLike<number>;
  /** Column name or array, added to any offset() terms of the formula. */
  offset?: string | ArrayLike<number>;
  /** Negative binomial θ; omitted → estimated by alternating ML (MASS::glm.nb). */
  theta?: number;
  /** Tweedie variance power. */
  power?: number;
  /**
   * Declared column types, applied to the data (and to new data) before the formula:
   * `{ District: { type: "factor", levels: [1, 2, 3, 4] } }` or `{ type: "ordered" }`
   * (R: data$District <- factor(data$District, levels = …) before glm()). Formula models only.
   */
  columns?: ColumnTypes;
  /**
   * Contrasts by factor variable (its name as in the formula), as R's
   * `glm(..., contrasts = list(a = "contr.sum"))`: "contr.treatment", "contr.sum",
   * "contr.helmert", "contr.poly", "contr.SAS", `{ type, base }` or a matrix. Formula models only.
   */
  contrasts?: Record<string, ContrastSpec>;
  /** Priors for map/laplace/sample (and the Jeffreys prior): rstanarm-style spec strings or prior records. */
  priors?: PriorsSpec;
}

/** Priors of a declared model: one prior for all coefficients or one per name, the intercept's, and the auxiliary parameter's. */
export interface PriorsSpec {
  coefficients?: CoefficientPrior | string | Record<string, CoefficientPrior | string>;
  intercept?: CoefficientPrior | string;
  aux?: AuxPrior | string;
  /** Divide coefficient prior scales by sd(x) (×sd(y) for gaussian), as rstanarm's autoscale = TRUE. Default false (rstanarm's defaults are always autoscaled). */
  autoscale?: boolean;
  /**
   * Where the intercept's prior acts: "raw" (the intercept β₀ of the design; the default when
   * priors are declared) or "centered" (the intercept of the centred predictors, β₀ + x̄ᵀβ,
   * as rstanarm's prior_intercept; the default with rstanarm's default priors). Results stay
   * on the raw coefficients.
   */
  interceptOn?: "raw" | "centered";
}

export interface FitControl extends IrlsOptions {
  method?: "mle";
  /** LP separation check of binomial fits: "auto" (default; skipped above 2·10⁶ design entries unless the fit shows signs), "always", "never". */
  separation?: SeparationCheck;
}


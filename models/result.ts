/**
 * What every fitted result shares, whatever the method: the small fit context a
 * result keeps from its model (instead of the model itself), the one result
 * interface of ML, penalized (Firth, Jeffreys, MAP), Laplace and posterior fits,
 * and the leading fields of their JSON records (the CLI contract).
 */
import type { DataInput, DataTable } from "../src/data/index.js";
import type { CoefficientRow } from "../src/fit/inference.js";
import type { GlmProblem } from "../src/fit/ml-fit.js";
import type { TermLayout } from "../src/diagnostics/term-layout.js";
import type { ContrastMatrix, DesignSpec } from "../src/formula/index.js";

/** The design (X, offset) of new rows, in the columns of the fitted design. */
export interface NewRowsDesign {
  X: Float64Array;
  n: number;
  offset: Float64Array | null;
  /** R's warnings while building X for the new rows (e.g. bs() beyond the boundary knots). */
  warnings?: string[];
}

/** Builds the design of new rows for `predict` from a data table. */
export type NewDesignBuilder = (newdata: DataInput | DataTable) => NewRowsDesign;

/**
 * What a result needs from the model it was fitted from: the formula, the rows
 * dropped, the warnings of reading the data, and the builder of designs for new rows.
 * Results hold this, never the model.
 */
export interface FitContext {
  /** The formula as given; null for a design-matrix model. */
  readonly formula: string | null;
  /** Rows dropped for missing values in the used columns (R's na.omit). */
  readonly naDropped: number;
  /** Warnings of resolving the data (the response's checks, rows dropped), before any fit's own. */
  readonly warnings: readonly string[];
  /** Builds X and the offset for new rows (what `predict(newdata)` needs); null for design-matrix models. */
  readonly newDesign: NewDesignBuilder | null;
  /**
   * Formula models: the terms and the term of each design column (R's assign), for
   * anova(fit), drop1 and add1. Absent for design-matrix models (each column is then its own term).
   */
  readonly terms?: TermLayout;
  /** Formula models: 0-based rows of the data that were used (R's na.omit keeps them in order). */
  readonly rows?: Int32Array;
  /** Formula models: the means to build other formulas on the same data (add1's combined fit). */
  readonly frame?: FormulaFrame;
  /** Formula models: the contrasts of each factor (R's attr(X, "contrasts")): a function name or the matrix used. */
  readonly contrasts?: Readonly<Record<string, string | ContrastMatrix>>;
  /** Formula models: the new-data design (serializable with toJSON, for saved models). */
  readonly design?: DesignSpec;
}

/** Another formula's problem on the same data, weights and offset. */
export interface Reframed {
  problem: GlmProblem;
  terms: TermLayout;
  /** 0-based rows of the data used. */
  rows: Int32Array;
}

/**
 * What a formula model keeps of its data for add1: the column names (what `.` stands for)
 * and a builder of the problem of another formula (R's model.frame + model.matrix of
 * update(fit, formula)). It holds a reference to the data.
 */
export interface FormulaFrame {
  readonly dataNames: readonly string[];
  problem(formula: string): Reframed;
  /** The cells of a data column, every row (NaN or null where missing); DataError when there is none. */
  column(name: string): ReadonlyArray<number | string | boolean | null>;
}

/** The method of a result, as the CLI's `--method` and the JSON's `method` name it. */
export type FitMethod = "mle" | "firth" | "map" | "laplace" | "nuts";

/**
 * Priors as given (rstanarm-style specs), reported with MAP, Laplace and NUTS fits, with
 * rstanarm's prior_summary: whether they are rstanarm's defaults (nothing declared), where
 * the intercept's prior acts, and the priors as used after autoscaling (`adjusted`).
 */
export interface PriorDescription {
  /** As given: one spec for all non-intercept coefficients, or one per name; for defaults rstanarm's specified prior. */
  coefficients: string | Record<string, string> | null;
  intercept: string | null;
  aux: string | null;
  /** True when no prior was declared and rstanarm's default priors are used. */
  defaults: boolean;
  /** The intercept's prior acts on the raw intercept or on the intercept of the centred predictors (rstanarm). */
  intercept_on: "raw" | "centered";
  /** Whether the scales were autoscaled (rstanarm's autoscale = TRUE; always for defaults). */
  autoscale: boolean;
  /** The priors as used: per non-intercept coefficient by name, the intercept's and the aux parameter's ("flat()" when none). */
  adjusted: { coefficients: Record<string, string>; intercept: string | null; aux: string | null };
  /** Set when the posterior is improper and was sampled anyway (allowImproper): why, and the parameters at fault. */
  improper?: { reason: string; parameters: string[]; message: string } | null;
}

/** The fields every result's JSON record has (the CLI contract: never renamed or dropped). */
export interface GlmResultJson {
  method: FitMethod;
  family: string;
  link: string;
  formula: string | null;
  n: number;
  na_dropped: number;
  converged: boolean;
  iterations: number;
  warnings: string[];
  coefficients: CoefficientRow[];
}

/**
 * One interface for every fitted result: `glm(...).fit()` (GlmFit), `.firth()`,
 * `.map()` and `.laplace()` (PenalizedFit), `.sample()` (PosteriorFit).
 */
export interface GlmResult<J extends GlmResultJson = GlmResultJson> {
  readonly method: J["method"];
  /** What the result keeps of its model. */
  readonly context: FitContext;
  /** The coefficient table: estimate, se, statistic, p_value, aliased (posterior: mean and sd). */
  readonly coefficients: CoefficientRow[];
  /** Named point estimates (NaN where aliased). */
  readonly coef: Record<string, number>;
  readonly converged: boolean;
  readonly iterations: number;
  /** The data's warnings, then the fit's own. */
  readonly warnings: string[];
  /** The JSON record of the CLI contract. */
  toJSON(): J;
  /** An R-like printout. */
  summary(): string;
}

/** x when finite, else null (the JSON form of a missing AIC or log-likelihood). */
export function finiteOrNull(x: number | null | undefined): number | null {
  return x !== null && x !== undefined && Number.isFinite(x) ? x : null;
}

/** Point estimates by coefficient name (NaN where aliased). */
export function namedEstimates(rows: readonly CoefficientRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[r.name] = r.estimate ?? Number.NaN;
  return out;
}

/** Observations with non-zero prior weight. */
export function observationCount(problem: GlmProblem): number {
  let n = 0;
  for (const w of problem.weights) if (w > 0) n++;
  return n;
}

/** The first four fields of every JSON record, in the contract's order. */
export function resultHead<M extends FitMethod>(
  method: M,
  problem: GlmProblem,
  context: FitContext,
): { method: M; family: string; link: string; formula: string | null } {
  return { method, family: problem.family.name, link: problem.family.link.name, formula: context.formula };
}

/** The data's warnings followed by a fit's own. */
export function withContextWarnings(context: FitContext, own: readonly string[]): string[] {
  return [...context.warnings, ...own];
}

/**
 * The DuckDB engine of the API: `await glm({ formula, data: { duckdb: "big.parquet" }, family }).fitAsync()`.
 * The rows stay in DuckDB (a Parquet or CSV file, or a query); each IRLS iteration
 * is one aggregate query (src/sql/sql-fit.ts). This module is loaded by dynamic
 * import only, so the root entry stays free of Node-only modules.
 */
import { ArgumentError, DataError } from "../src/errors.js";
import type { Family } from "../src/types.js";
import { makeFamily } from "../src/families/index.js";
import { sourceOf } from "../src/sql/dialect.js";
import { fitSql, type SqlFitOptions, type SqlMlFit } from "../src/sql/sql-fit.js";
import type { DuckdbOptions } from "../src/engines/duckdb/driver.js";
import type { CoefficientRow } from "../src/fit/inference.js";
import type { GlmSpec } from "./spec.js";
import type { GlmProblem } from "../src/fit/ml-fit.js";
import type { PriorDescription } from "./result.js";
import type { GlmFitJson } from "./fit-result.js";
import { resolvePriors } from "./model-priors.js";
import { laplaceSql, type ColumnStats, type SqlLaplaceFit as SqlLaplaceEstimate } from "../src/sql/sql-laplace.js";
import { normal } from "../src/priors/index.js";
import qnorm from "@stdlib/stats-base-dists-normal-quantile";
import { isSqlData, type SqlData } from "./sql-data.js";
import type { SqlNegbinFit } from "../src/sql/sql-negbin.js";

export { isSqlData, type SqlData };

/** The JSON record of a SQL-engine fit: the CLI contract's fields of an ML fit, plus engine and queries. */
export interface SqlFitJson extends Pick<GlmFitJson,
  "boundary" | "deviance" | "null_deviance" | "df_residual" | "df_null" | "aic" | "log_likelihood" | "dispersion" | "dispersion_estimated"> {
  method: "mle";
  engine: "duckdb";
  family: string;
  link: string;
  formula: string;
  n: number;
  na_dropped: number;
  converged: boolean;
  iterations: number;
  warnings: string[];
  coefficients: CoefficientRow[];
  /** θ of the negative binomial when estimated (MASS::glm.nb), else null. */
  theta: number | null;
  se_theta: number | null;
  separation: SqlMlFit["separation"];
  queries: number;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** An ML fit computed in DuckDB: the numbers of summary.glm as data (no rows are kept). */
export class SqlGlmFit {
  readonly method = "mle" as const;
  constructor(readonly ml: SqlMlFit | SqlNegbinFit) {}
  /** θ estimated by the alternation of MASS::glm.nb, or null. */
  get theta(): number | null { return "theta" in this.ml ? this.ml.theta : null; }
  get seTheta(): number | null { return "seTheta" in this.ml ? this.ml.seTheta : null; }
  get coefficients(): CoefficientRow[] { return this.ml.coefficients; }
  get coef(): Record<string, number> { return Object.fromEntries(this.ml.columnNames.map((n, j) => [n, this.ml.coef[j]!])); }
  get converged(): boolean { return this.ml.converged; }
  get iterations(): number { return this.ml.iterations; }
  get warnings(): string[] { return this.ml.warnings; }
  get deviance(): number { return this.ml.deviance; }
  get nullDeviance(): number { return this.ml.nullDeviance; }
  get aic(): number { return this.ml.aic; }
  get logLik(): number { return this.ml.logLik; }
  get dispersion(): number { return this.ml.dispersion; }
  get dfResidual(): number { return this.ml.dfResidual; }
  /** The covariance matrix of the estimates, dispersion × (XᵀWX)⁻¹, p×p row-major. */
  vcov(): Float64Array { return this.ml.covUnscaled.map((v) => v * this.ml.dispersion); }
  toJSON(): SqlFitJson {
    const m = this.ml;
    return {
      method: "mle", engine: "duckdb", family: m.family, link: m.link, formula: m.formula, n: m.nObs, na_dropped: m.naDropped,
      converged: m.converged, boundary: m.boundary, iterations: m.iterations, warnings: m.warnings, coefficients: m.coefficients,
      deviance: m.deviance, null_deviance: m.nullDeviance, df_residual: m.dfResidual, df_null: m.dfNull,
      aic: finiteOrNull(m.aic), log_likelihood: finiteOrNull(m.logLik), dispersion: m.dispersion,
      dispersion_estimated: m.dispersionEstimated, theta: this.theta, se_theta: this.seTheta !== null ? finiteOrNull(this.seTheta) : null, separation: m.separation, queries: m.queries,
    };
  }
}

/** Whether a spec asks for the negative binomial with θ estimated (no theta given). */
function estimatesTheta(spec: GlmSpec): boolean {
  if (typeof spec.family !== "string" || spec.theta !== undefined) return false;
  const lower = spec.family.trim().toLowerCase();
  return lower === "negative_binomial" || lower === "negbin" || lower === "negative.binomial";
}

/** The family of a spec as makeFamily builds it (θ given; see estimatesTheta). */
function familyOf(spec: GlmSpec): Family {
  if (typeof spec.family === "object" && spec.family !== null) return spec.family;
  const name = (spec.family ?? "gaussian").trim();
  if (estimatesTheta(spec)) throw new ArgumentError("the DuckDB engine's Laplace approximation takes the negative binomial with θ given (--theta)");
  return makeFamily(name, { link: spec.link, theta: spec.theta, power: spec.power });
}

/**
 * What the DuckDB fit takes besides the spec: glm.fit's controls, the engine's settings, a progress callback.
 * `aggregate` defaults to "stream" here (DuckDB scans and builds the design, the sums are
 * done in JavaScript chunk by chunk: ~2× less CPU per iteration than DuckDB's 231 SUMs at
 * p = 20); "sql" is the one-aggregate-query path that other engines (Spark, Trino) run.
 */
export interface DuckdbFitOptions extends Pick<SqlFitOptions, "epsilon" | "maxit" | "start" | "onIteration" | "aggregate">, DuckdbOptions {
  /**
   * A Parquet path: after the fit, DuckDB writes there one row per row of the model frame
   * (the source's rows less na.omit's, in order) with eta, mu and resid_response,
   * resid_working, resid_pearson, resid_deviance (R's residuals.glm). No row reaches JS.
   */
  fittedTo?: string;
}

/** Fits a spec whose data are `{ duckdb: source }` by maximum likelihood in an embedded DuckDB. */
export async function fitDuckdb(spec: GlmSpec, options: DuckdbFitOptions = {}): Promise<SqlGlmFit> {
  if (!isSqlData(spec.data)) throw new ArgumentError("fitDuckdb needs data: { duckdb: \"file.parquet\" | \"file.csv\" | \"SELECT …\" }");
  if (!spec.formula) throw new ArgumentError("the DuckDB engine needs a formula");
  if (spec.design) throw new ArgumentError("the DuckDB engine takes a formula and data, not a design matrix");
  if (spec.columns !== undefined || spec.contrasts !== undefined)
    throw new ArgumentError("columns and contrasts are not supported by the DuckDB engine yet (factors use treatment contrasts over sorted levels)");
  if ((spec.weights !== undefined && typeof spec.weights !== "string") || (spec.offset !== undefined && typeof spec.offset !== "string"))
    throw new ArgumentError("with the DuckDB engine, weights and offset name columns of the data");
  const negbin = estimatesTheta(spec);
  const family = negbin ? null : familyOf(spec);
  const { DuckdbRunner } = await import("../src/engines/duckdb/driver.js");
  const runner = await DuckdbRunner.open({ threads: options.threads, memoryLimit: options.memoryLimit });
  try {
    const from = await runner.prepare(sourceOf(spec.data.duckdb));
    const opts: SqlFitOptions = {
      epsilon: options.epsilon, maxit: options.maxit, start: options.start, onIteration: options.onIteration, aggregate: options.aggregate ?? "stream",
      weights: (spec.weights as string | undefined) ?? null, offset: (spec.offset as string | undefined) ?? null,
    };
    let ml: SqlMlFit;
    if (negbin) {
      const { fitSqlNegbin } = await import("../src/sql/sql-negbin.js");
      ml = await fitSqlNegbin(runner, from, spec.formula, spec.link ?? "log", opts);
    } else {
      ml = await fitSql(runner, from, spec.formula, family!, opts);
    }
    if (options.fittedTo !== undefined) {
      try {
        await runner.run(`COPY (${ml.fittedQuery}) TO ${runner.dialect.str(options.fittedTo)} (FORMAT parquet)`);
      } catch (e) {
        throw new DataError(`DuckDB cannot write the fitted values to ${options.fittedTo}: ${(e as Error).message.split("\n")[0]}`);
      }
    }
    return new SqlGlmFit(ml);
  } finally {
    runner.close();
  }
}

/** A Laplace approximation computed from DuckDB aggregates: mode, posterior SDs, intervals mode ± z·sd. */
export class SqlLaplaceFit {
  readonly method = "laplace" as const;
  constructor(readonly estimate: SqlLaplaceEstimate, readonly prior: PriorDescription) {}
  get coefficients(): CoefficientRow[] { return this.estimate.coefficients; }
  get coef(): Record<string, number> { return Object.fromEntries(this.estimate.columnNames.map((n, j) => [n, this.estimate.mode[j]!])); }
  get converged(): boolean { return this.estimate.converged; }
  get iterations(): number { return this.estimate.iterations; }
  get warnings(): string[] { return this.estimate.warnings; }
  /** The Laplace intervals mode ± z_{(1+level)/2}·sd. */
  intervals(level = 0.95): Array<{ name: string; lower: number; upper: number }> {
    const z = qnorm((1 + level) / 2, 0, 1);
    return this.estimate.coefficients.map((c) => ({ name: c.name, lower: c.estimate! - z * c.se!, upper: c.estimate! + z * c.se! }));
  }
  toJSON() {
    const e = this.estimate;
    return {
      method: "laplace" as const, engine: "duckdb" as const, family: e.family, link: e.link, formula: e.formula, n: e.nObs, na_dropped: e.naDropped,
      converged: e.converged, iterations: e.iterations, warnings: e.warnings, coefficients: e.coefficients, prior: this.prior,
      log_posterior: e.logPosterior, deviance: e.deviance, queries: e.queries,
    };
  }
}

/** The Laplace approximation of a spec whose data are `{ duckdb: source }` (canonical links, fixed dispersion). */
export async function laplaceDuckdb(spec: GlmSpec, options: DuckdbFitOptions & { tol?: number } = {}): Promise<SqlLaplaceFit> {
  if (!isSqlData(spec.data)) throw new ArgumentError("laplaceDuckdb needs data: { duckdb: … }");
  if (!spec.formula) throw new ArgumentError("the DuckDB engine needs a formula");
  if (spec.priors?.autoscale) throw new ArgumentError("autoscale is not supported by the DuckDB engine yet: give the prior scales");
  if (spec.priors?.aux !== undefined) throw new ArgumentError("the SQL Laplace approximation has no auxiliary parameter (binomial and Poisson): drop the aux prior");
  const pr = spec.priors ?? {};
  const family = familyOf(spec);
  const defaults = pr.coefficients === undefined && pr.intercept === undefined;
  let description: PriorDescription | null = null;
  let centered = pr.interceptOn === "centered";
  const priorsFor = async (columnNames: string[], hasIntercept: boolean, stats: () => Promise<ColumnStats>) => {
    if (!defaults) {
      const r = resolvePriors(pr, { columnNames, hasIntercept, family, p: columnNames.length } as GlmProblem);
      description = r.description;
      return r.priors.coefficients;
    }
    // rstanarm's defaults (src/priors/defaults.ts) from the engine's column SDs: normal(0, 2.5) autoscaled by
    // 1/sd(x_j) (no sd(y): binomial and Poisson), the intercept's normal(0, 2.5) on the centred intercept.
    const st = await stats();
    if (st.n < 2) throw new DataError(`rstanarm's default priors need at least 2 observations (sd(y), sd(x)), got ${st.n}`);
    const k = hasIntercept ? Math.max(0, columnNames.indexOf("(Intercept)")) : -1;
    centered = k >= 0 && pr.interceptOn !== "raw";
    const priors = columnNames.map((_, j) => (st.constant[j] ? normal(0, 2.5) : normal(0, Math.max(1e-12, 2.5 / st.sd[j]!))));
    const text = (q: { params: { location: number; scale: number } }) => `normal(${q.params.location}, ${q.params.scale})`;
    description = {
      coefficients: "normal(0, 2.5)", intercept: k >= 0 ? "normal(0, 2.5)" : null, aux: null, defaults: true,
      intercept_on: centered ? "centered" : "raw", autoscale: true,
      adjusted: {
        coefficients: Object.fromEntries(columnNames.flatMap((c, j) => (j === k ? [] : [[c, text(priors[j]!)]]))),
        intercept: k >= 0 ? text(priors[k]!) : null, aux: null,
      },
    } as PriorDescription;
    return priors;
  };
  const { DuckdbRunner } = await import("../src/engines/duckdb/driver.js");
  const runner = await DuckdbRunner.open({ threads: options.threads, memoryLimit: options.memoryLimit });
  try {
    const from = await runner.prepare(sourceOf(spec.data.duckdb));
    const est = await laplaceSql(runner, from, spec.formula, family, priorsFor, {
      maxit: options.maxit, tol: options.tol, onIteration: options.onIteration,
      weights: (spec.weights as string | undefined) ?? null, offset: (spec.offset as string | undefined) ?? null,
      centered: () => centered,
    });
    return new SqlLaplaceFit(est, description!);
  } finally {
    runner.close();
  }
}

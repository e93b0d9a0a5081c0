/**
 * After the fit, for maximum-likelihood results: named covariance matrices (model-based,
 * sandwich HC0–HC3, clustered), coefficient tables under another covariance (as
 * lmtest::coeftest: z tests), and the cluster column of a formula model. The numerics
 * live in src/diagnostics; this module names and shapes them for GlmFit.
 */
import { ArgumentError, DataError } from "../src/errors.js";
import { coefficientTable, type CoefficientRow } from "../src/fit/inference.js";
import type { MlFit } from "../src/fit/ml-fit.js";
import type { HcType } from "../src/diagnostics/sandwich.js";
import type { FitContext } from "./result.js";

/** Which covariance a matrix or a coefficient table uses: the model's φ(XᵀWX)⁻¹ or a sandwich type. */
export type CovarianceType = "model" | HcType;

/**
 * A covariance matrix: the flat row-major Float64Array (what `vcov()` returned before
 * it was named, still indexable as v[i·p + j]) carrying its row/column `names`, the same
 * numbers as rows (`matrix`), its `type` and whether it is `clustered` (non-enumerable
 * properties, so the array compares and serialises as before).
 */
export type NamedCovariance = Float64Array & {
  readonly names: string[];
  readonly matrix: number[][];
  readonly type: CovarianceType;
  readonly clustered: boolean;
};

/** Attaches names, rows, type and clustering to a k×k row-major array. */
export function namedCovariance(values: Float64Array, names: readonly string[], type: CovarianceType, clustered = false): NamedCovariance {
  const k = names.length;
  if (values.length !== k * k) throw new ArgumentError(`a covariance of ${k} names needs ${k * k} entries, got ${values.length}`);
  const out = Float64Array.from(values);
  const rows = (): number[][] => Array.from({ length: k }, (_, i) => Array.from(out.subarray(i * k, (i + 1) * k)));
  Object.defineProperties(out, {
    names: { value: [...names], enumerable: false },
    matrix: { get: rows, enumerable: false },
    type: { value: type, enumerable: false },
    clustered: { value: clustered, enumerable: false },
  });
  return out as NamedCovariance;
}

/** The valid --vcov / vcovHC types. */
export const COVARIANCE_TYPES: readonly CovarianceType[] = ["model", "HC0", "HC1", "HC2", "HC3"];

/**
 * The coefficient table of `fit` with standard errors from `cov` (over the non-aliased
 * coefficients, by name): z statistics and normal p-values, as lmtest::coeftest(fit, vcov)
 * for glm objects; a "model" covariance keeps summary.glm's table (t tests when φ is estimated).
 * @example coefficientsWith(fit.ml, fit.vcovHC("HC3"))[1].se // = sqrt(diag(sandwich::vcovHC(fit)))[2]
 */
export function coefficientsWith(fit: MlFit, cov: NamedCovariance): CoefficientRow[] {
  if (cov.type === "model" && !cov.clustered) return fit.coefficients;
  const { columnNames, p } = fit.problem;
  const full = new Float64Array(p * p).fill(Number.NaN);
  const index = columnNames.map((nm) => cov.names.indexOf(nm));
  const k = cov.names.length;
  for (let a = 0; a < p; a++) {
    if (index[a]! < 0) continue;
    for (let b = 0; b < p; b++) if (index[b]! >= 0) full[a * p + b] = cov[index[a]! * k + index[b]!]!;
  }
  return coefficientTable(columnNames, fit.coef, fit.irls.aliased, full, false, fit.dfResidual);
}

/**
 * A column of a formula model's data at the rows the fit used (a cluster variable);
 * `flag` names the argument in errors.
 */
export function dataColumn(context: FitContext, name: string, flag = "cluster"): (number | string)[] {
  if (!context.frame || !context.rows) throw new ArgumentError(`${flag} "${name}": a column name needs a formula model with data; pass one label per observation instead`);
  let column;
  try {
    column = context.frame.column(name);
  } catch (e) {
    if (e instanceof DataError) throw new ArgumentError(`${flag} "${name}" is not a column of the data (columns: ${context.frame.dataNames.join(", ")})`);
    throw e;
  }
  return Array.from(context.rows, (i) => {
    const v = column[i];
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v)))
      throw new DataError(`${flag} "${name}" is missing at data row ${i + 1}, which the fit uses`, { column: name, row: i + 1 });
    return typeof v === "boolean" ? String(v) : v;
  });
}

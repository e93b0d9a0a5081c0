/**
 * R's `model.frame` + `model.matrix` as `glm()` calls them
 * (`drop.unused.levels = TRUE`, `na.action = na.omit`, `contrasts = list(...)`):
 * evaluates every variable of the formula over all rows of the data (so that
 * transforms such as scale(), ns() and factor() see the data as R's model.frame
 * does), drops the rows with a missing value in any variable used (response,
 * predictors, weights, offset), drops factor levels no longer present, chooses
 * each factor's contrasts (the `contrasts` option, else C()'s, else
 * contr.treatment / contr.poly for ordered factors, R's default
 * `options(contrasts)`), and builds X, the response, the prior weights and the
 * offset. The returned `design` rebuilds X for new data with the training
 * levels, contrasts and transform states.
 *
 * References: R's model.frame.default and model.matrix.default (stats, R 4.2);
 * Chambers & Hastie (1992), Statistical Models in S, ch. 2.
 */
import { ArgumentError, DataError, FormulaError } from "../errors.js";
import { toDataTable } from "../data/table.js";
import type { DataInput, DataTable } from "../data/types.js";
import type { CallNode, Node } from "./ast.js";
import { withColumnTypes, type ColumnTypes } from "./column-types.js";
import { contrastAttrOf, resolveContrast, type ContrastAttr, type ContrastMatrix, type ContrastSpec } from "./contrasts.js";
import { deparse } from "./deparse.js";
import { makeDesign, type DesignSpec } from "./design.js";
import { Evaluator } from "./evaluate.js";
import {
  checkFiniteValues, keptRows, markFactorNA, markMissing, markNaN, numericOf, optionValues, shapeOf, subsetF64, trainingVariable,
} from "./frame-variables.js";
import { columnLayout, fillDesign, type FrameVariable } from "./model-matrix.js";
import { fitDesignStorage } from "../linalg/kernels/index.js";
import { parseFormula } from "./parse.js";
import { termsOf, type Terms } from "./terms.js";
import type { TransformState } from "./transform-calls.js";
import type { Value } from "./values.js";

export type { DesignSpec, NewDesign } from "./design.js";

/** The response of a model frame. */
export type ModelResponse =
  | { readonly kind: "numeric"; readonly name: string; readonly values: Float64Array }
  /** A factor response: 0 for the first level, 1 for any other (as R's binomial family codes it). */
  | { readonly kind: "factor"; readonly name: string; readonly values: Float64Array; readonly levels: string[] }
  /** `cbind(successes, failures)`. */
  | { readonly kind: "cbind"; readonly name: string; readonly successes: Float64Array; readonly failures: Float64Array };

/** Options of {@link modelFrame}: R's glm() arguments `weights`, `offset`, `contrasts`, plus declared column types. */
export interface ModelFrameOptions {
  /** Prior weights: a column name or one value per data row (NaN = missing). */
  readonly weights?: string | ArrayLike<number>;
  /** An offset added to any offset() terms: a column name or one value per data row. */
  readonly offset?: string | ArrayLike<number>;
  /**
   * Contrasts by factor variable (its name as in the formula: `a`, `factor(k)`),
   * as R's `glm(..., contrasts = list(a = "contr.sum"))`: a contrast function's
   * name ("contr.sum" or "sum", …), `{ type: "contr.treatment", base: 2 }`, or a
   * k × m matrix. Overrides C() and the defaults.
   */
  readonly contrasts?: Readonly<Record<string, ContrastSpec>>;
  /** Declared column types, applied to the data (and to new data) before anything else. */
  readonly columns?: ColumnTypes;
}

/** A model frame with its design matrix, lined up with R's `model.matrix` column by column. */
export interface ModelFrame {
  readonly response: ModelResponse;
  /** n × p, row-major. */
  readonly X: Float64Array;
  readonly n: number;
  readonly p: number;
  /** Exactly R's colnames(model.matrix(...)). */
  readonly columnNames: string[];
  /** R's attr(X, "assign"): term index per column (0 = intercept). */
  readonly assign: Int32Array;
  /** R's attr(terms, "term.labels"). */
  readonly termLabels: string[];
  readonly hasIntercept: boolean;
  /** Prior weights (from the `weights` option), rows as X. */
  readonly weights: Float64Array | null;
  /** Sum of all offset(...) terms and of the `offset` option; null if none. */
  readonly offset: Float64Array | null;
  /** 0-based indices into the data of the rows kept. */
  readonly rows: Int32Array;
  /** Rows removed for a missing value in any variable used. */
  readonly naDropped: number;
  /** Builds X for new data. */
  readonly design: DesignSpec;
  /** Levels of each factor predictor, by variable name (R's `xlevels`). */
  readonly xlevels: Record<string, string[]>;
  /** The contrasts of each factor predictor (R's `attr(X, "contrasts")`): a function name, or the matrix used. */
  readonly contrasts: Record<string, string | ContrastMatrix>;
  /** R's warnings while building the frame (df too small for a spline, contrasts dropped with levels, …). */
  readonly warnings: string[];
  /** The expanded terms. */
  readonly terms: Terms;
}

function isCbind(node: Node): node is CallNode {
  return node.type === "call" && node.fn === "cbind";
}

/** Every variable evaluated over all rows (cbind's two parts separately), and the per-row options. */
interface Evaluated {
  readonly values: Array<Value | null>;
  readonly cbindParts: [Value, Value] | null;
  readonly weights: Float64Array | null;
  readonly offsetOption: Float64Array | null;
}

function evaluateAll(ev: Evaluator, terms: Terms, opts: ModelFrameOptions, nrow: number): Evaluated {
  let cbindParts: [Value, Value] | null = null;
  const values = terms.variables.map((node, v) => {
    if (v === 0 && isCbind(node)) {
      cbindParts = [ev.evaluate(node.args[0].value, deparse(node.args[0].value)), ev.evaluate(node.args[1].value, deparse(node.args[1].value))];
      return null;
    }
    return ev.evaluate(node, terms.variableNames[v]);
  });
  const has = (o: unknown): boolean => o !== undefined && o !== null;
  return {
    values,
    cbindParts,
    weights: has(opts.weights) ? optionValues(opts.weights as string | ArrayLike<number>, "weights", ev, nrow) : null,
    offsetOption: has(opts.offset) ? optionValues(opts.offset as string | ArrayLike<number>, "offset", ev, nrow) : null,
  };
}

/**
 * Marks the rows where a computed variable is NaN although its inputs are not missing
 * (sqrt(x − 2) at x < 2): R's model frame counts NaN as NA and na.omit drops the row,
 * after R's own warning "NaNs produced"; the warning here names the term and the rows.
 */
function markProducedNaN(ev: Evaluator, v: Value | null, name: string, mask: Uint8Array, warnings: string[]): void {
  if (!v) return;
  const columns = v.kind === "numeric" && !v.logical && !ev.isRaw(v.values) ? [v.values] : v.kind === "matrix" ? v.columns : [];
  const produced: number[] = [];
  for (const x of columns) for (let i = 0; i < x.length; i++) if (!mask[i] && x[i] !== x[i]) { mask[i] = 1; produced.push(i); }
  if (produced.length === 0) return;
  produced.sort((a, b) => a - b);
  const shown = produced.slice(0, 5).map((i) => i + 1).join(", ") + (produced.length > 5 ? ", …" : "");
  warnings.push(`"${name}": NaNs produced at ${produced.length} row(s) (${shown}); dropped as missing, as R's model frame does`);
}

/** na.omit: the rows without a missing value in anything used. */
function rowsKept(ev: Evaluator, e: Evaluated, opts: ModelFrameOptions, nrow: number, names: readonly string[], warnings: string[]): Int32Array {
  const mask = new Uint8Array(nrow);
  markMissing(ev, mask);
  for (const v of e.values) markFactorNA(v, mask);
  e.values.forEach((v, k) => markProducedNaN(ev, v, names[k]!, mask, warnings));
  if (e.weights && typeof opts.weights !== "string") markNaN(e.weights, mask);
  if (e.offsetOption && typeof opts.offset !== "string") markNaN(e.offsetOption, mask);
  const rows = keptRows(mask);
  if (rows.length === 0) {
    throw new DataError(`no rows left: each of the ${nrow} rows has a missing value in ${Array.from(ev.columnsUsed).map((c) => `"${c}"`).join(", ")}`);
  }
  return rows;
}

/** cbind(successes, failures): non-negative finite counts. */
function cbindResponse(parts: [Value, Value], lhs: CallNode, name: string, rows: Int32Array, all: boolean): ModelResponse {
  const [sv, fv] = parts;
  const sName = deparse(lhs.args[0].value), fName = deparse(lhs.args[1].value);
  const successes = Float64Array.from(subsetF64(numericOf(sv, sName, "cbind() successes"), rows, all));
  const failures = Float64Array.from(subsetF64(numericOf(fv, fName, "cbind() failures"), rows, all));
  checkFiniteValues(sName, successes, rows, "cbind() successes");
  checkFiniteValues(fName, failures, rows, "cbind() failures");
  for (const [vals, nm, what] of [[successes, sName, "successes"], [failures, fName, "failures"]] as const) {
    for (let k = 0; k < vals.length; k++) {
      if (vals[k] < 0) throw new DataError(`${name}: ${what} "${nm}" is ${vals[k]} at row ${rows[k] + 1}; counts must be non-negative`, { column: nm, row: rows[k] + 1 });
    }
  }
  return { kind: "cbind", name, successes, failures };
}

function buildResponse(ev: Evaluator, terms: Terms, e: Evaluated, rows: Int32Array, all: boolean): ModelResponse {
  const name = terms.variableNames[0];
  if (e.cbindParts) return cbindResponse(e.cbindParts, terms.variables[0] as CallNode, name, rows, all);
  const v = e.values[0] as Value;
  if (v.kind === "factor") {
    const fv = trainingVariable(ev, v, name, rows, all, []).variable as FrameVariable & { kind: "factor" };
    const y = new Float64Array(fv.codes.length);
    for (let k = 0; k < y.length; k++) y[k] = fv.codes[k] > 0 ? 1 : 0;
    return { kind: "factor", name, values: y, levels: [...fv.levels] };
  }
  const y = Float64Array.from(subsetF64(numericOf(v, name, "response"), rows, all));
  checkFiniteValues(name, y, rows, "response");
  return { kind: "numeric", name, values: y };
}

/** The predictors as frame variables (with C()'s contrasts), and the sum of the offset(...) terms. */
function buildPredictors(ev: Evaluator, terms: Terms, e: Evaluated, rows: Int32Array, all: boolean, warnings: string[]) {
  const nvar = terms.variables.length;
  const offsetSet = new Set(terms.offsets);
  const frameVars: Array<FrameVariable | null> = new Array(nvar).fill(null);
  const attrs: Array<ContrastAttr | null> = new Array(nvar).fill(null);
  let offset: Float64Array | null = null;
  for (let v = 1; v < nvar; v++) {
    const name = terms.variableNames[v];
    const val = e.values[v] as Value;
    if (offsetSet.has(v)) {
      const x = subsetF64(numericOf(val, name, "offset"), rows, all);
      checkFiniteValues(name, x, rows, "offset");
      offset = offset ? offset.map((o, k) => o + x[k]) : Float64Array.from(x);
      continue;
    }
    const tv = trainingVariable(ev, val, name, rows, all, warnings);
    const fv = tv.variable;
    if (fv.kind === "factor" && !fv.logical && fv.levels.length < 2) {
      throw new DataError(`factor "${name}" has a single level ("${fv.levels[0]}") in the ${rows.length} rows used: contrasts can be applied only to factors with 2 or more levels`, { column: name });
    }
    frameVars[v] = fv;
    attrs[v] = tv.contrasts;
  }
  return { frameVars, attrs, offset };
}

/**
 * Each factor's contrasts, in R's order of precedence: the `contrasts` option
 * (model.matrix's contrasts.arg), C()'s attribute, the default. Unknown or
 * numeric names in the option → ArgumentError.
 */
function chooseContrasts(terms: Terms, frameVars: ReadonlyArray<FrameVariable | null>, attrs: ReadonlyArray<ContrastAttr | null>, spec: ModelFrameOptions["contrasts"]): ContrastAttr[] {
  const index = new Map(terms.variableNames.map((nm, v) => [nm, v]));
  const factorNames = frameVars.flatMap((fv) => (fv && fv.kind === "factor" ? [fv.name] : []));
  const chosen: ContrastAttr[] = frameVars.map((fv, v) =>
    attrs[v] ?? { kind: "name", name: fv && fv.kind === "factor" && fv.ordered ? "contr.poly" : "contr.treatment" });
  if (spec === undefined || spec === null) return chosen;
  if (typeof spec !== "object" || Array.isArray(spec)) throw new ArgumentError('contrasts must be an object by factor name, as { a: "contr.sum" }');
  for (const [name, s] of Object.entries(spec)) {
    const v = index.get(name);
    const fv = v === undefined ? null : frameVars[v];
    if (!fv || fv.kind !== "factor") {
      const why = fv ? `"${name}" is ${fv.kind === "numeric" ? "numeric" : "a matrix"}; contrasts apply only to factors` : `no variable "${name}" in the formula`;
      throw new ArgumentError(`contrasts: ${why} (factors of the model: ${factorNames.join(", ") || "none"})`);
    }
    chosen[v as number] = contrastAttrOf(s, name);
  }
  return chosen;
}

/** R's `attr(X, "contrasts")`: a name where the attribute is a name, else the matrix used. */
function contrastRecord(frameVars: ReadonlyArray<FrameVariable | null>, chosen: readonly ContrastAttr[], used: ReadonlyMap<number, ContrastMatrix>): Record<string, string | ContrastMatrix> {
  const out: Record<string, string | ContrastMatrix> = {};
  frameVars.forEach((fv, v) => {
    if (!fv || fv.kind !== "factor") return;
    const a = chosen[v];
    if (a.kind === "name" && !a.args) out[fv.name] = a.name;
    else out[fv.name] = used.get(v) ?? (a.kind === "matrix" ? a.matrix : resolveContrast(a, fv.logical ? ["FALSE", "TRUE"] : fv.levels, fv.name));
  });
  return out;
}

function checkOptions(opts: ModelFrameOptions): void {
  if (opts === null || typeof opts !== "object") throw new ArgumentError("modelFrame options must be an object");
}

/**
 * Builds the model frame and design matrix of `formula` over `data`, as R's
 * `glm(formula, data, weights, offset, contrasts)` does before fitting. Column
 * names, column order and values match R's `model.matrix`.
 *
 * Errors: unknown column (FormulaError with a nearest-name hint), empty data,
 * no response, a non-finite value (data or transform; DataError naming term and
 * row), a factor with a single level, negative cbind counts, no rows left,
 * contrasts for a variable that is not a factor.
 *
 * @example modelFrame("y ~ a*x", rows).columnNames // ["(Intercept)", "ab", "x", "ab:x"]
 * @example modelFrame("y ~ a", rows, { contrasts: { a: "contr.sum" } }).columnNames // ["(Intercept)", "a1"]
 */
export function modelFrame(formula: string, data: DataInput | DataTable, opts: ModelFrameOptions = {}): ModelFrame {
  checkOptions(opts);
  const f = parseFormula(formula);
  if (!f.lhs) throw new FormulaError(`the formula "${formula}" has no response (left-hand side): expected "y ~ ${deparse(f.rhs)}"`);
  const table = withColumnTypes(toDataTable(data), opts.columns);
  if (table.nrow === 0) throw new DataError("the data has no rows");
  const terms = termsOf(f, table.names);
  const warnings: string[] = [];
  const states = new Map<Node, TransformState>();
  const ev = new Evaluator(table, { states, warnings });
  const e = evaluateAll(ev, terms, opts, table.nrow);
  const rows = rowsKept(ev, e, opts, table.nrow, terms.variableNames, warnings);
  const naDropped = table.nrow - rows.length;
  const all = naDropped === 0;
  const response = buildResponse(ev, terms, e, rows, all);
  const { frameVars, attrs, offset: termOffset } = buildPredictors(ev, terms, e, rows, all, warnings);
  let offset = termOffset;
  if (e.offsetOption) {
    const x = subsetF64(e.offsetOption, rows, all);
    offset = offset ? offset.map((o, k) => o + x[k]) : Float64Array.from(x);
  }
  const weights = e.weights ? Float64Array.from(subsetF64(e.weights, rows, all)) : null;
  if (weights && typeof opts.weights === "string") checkFiniteValues(opts.weights, weights, rows, "weights");

  const chosen = chooseContrasts(terms, frameVars, attrs, opts.contrasts);
  const shapes = frameVars.map(shapeOf);
  const layout = columnLayout(terms, shapes, (v) => {
    const fv = frameVars[v] as FrameVariable & { kind: "factor" };
    return resolveContrast(chosen[v], fv.logical ? ["FALSE", "TRUE"] : fv.levels, fv.name);
  });
  // A model's design goes straight into the SIMD kernels' memory when the fit will use them (no copy per fit).
  const X = fillDesign(layout, frameVars, rows.length, fitDesignStorage);
  const xlevels: Record<string, string[]> = {};
  frameVars.forEach((fv) => { if (fv && fv.kind === "factor" && !fv.logical) xlevels[fv.name] = [...fv.levels]; });
  return {
    response, X, n: rows.length, p: layout.columnNames.length,
    columnNames: layout.columnNames, assign: layout.assign, termLabels: [...terms.termLabels], hasIntercept: terms.intercept,
    weights, offset, rows, naDropped,
    design: makeDesign({ terms, layout, shapes, offsetOption: opts.offset, states, columns: opts.columns, dataNames: table.names }),
    xlevels, contrasts: contrastRecord(frameVars, chosen, layout.contrasts), warnings, terms,
  };
}

/**
 * R's `model.frame` + `model.matrix` as `glm()` calls them
 * (`drop.unused.levels = TRUE`, `na.action = na.omit`, treatment contrasts):
 * evaluates every variable of the formula over the data, drops the rows with a
 * missing cell in any column used (response, predictors, weights, offset),
 * drops factor levels no longer present, and builds X, the response, the prior
 * weights and the offset. The returned `design` rebuilds X for new data with
 * the training levels.
 */
import { ArgumentError, DataError, FormulaError } from "../errors.js";
import { toDataTable } from "../data/table.js";
import type { DataInput, DataTable } from "../data/types.js";
import type { CallNode, Node } from "./ast.js";
import { deparse } from "./deparse.js";
import { Evaluator, relevel, type Value } from "./evaluate.js";
import { columnLayout, fillDesign, type ColumnLayout, type FrameVariable, type VariableShape } from "./model-matrix.js";
import { parseFormula } from "./parse.js";
import { formatRNumber } from "./r-format.js";
import { termsOf, type Terms } from "./terms.js";

/** The response of a model frame. */
export type ModelResponse =
  | { readonly kind: "numeric"; readonly name: string; readonly values: Float64Array }
  /** A factor response: 0 for the first level, 1 for any other (as R's binomial family codes it). */
  | { readonly kind: "factor"; readonly name: string; readonly values: Float64Array; readonly levels: string[] }
  /** `cbind(successes, failures)`. */
  | { readonly kind: "cbind"; readonly name: string; readonly successes: Float64Array; readonly failures: Float64Array };

/** Optional prior weights and offset: a column name or one value per data row (NaN = missing). */
export interface ModelFrameOptions {
  readonly weights?: string | ArrayLike<number>;
  readonly offset?: string | ArrayLike<number>;
}

/** X (and the offset) for new data. */
export interface NewDesign {
  /** n × p, row-major. */
  readonly X: Float64Array;
  readonly n: number;
  readonly p: number;
  /** Sum of the offset(...) terms (and of the `offset` option given as a column name); null if none. */
  readonly offset: Float64Array | null;
  /** 0-based rows of the new data kept. */
  readonly rows: Int32Array;
  /** Rows of the new data dropped for a missing value. */
  readonly naDropped: number;
}

/** What is needed to build X for new data. */
export interface DesignSpec {
  /**
   * X for `newdata` with the training factor levels. The response need not be
   * present. A level not seen in training → DataError naming column and level.
   */
  modelMatrix(newdata: DataInput | DataTable): NewDesign;
  readonly columnNames: string[];
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
  /** The expanded terms. */
  readonly terms: Terms;
}

// ---------------------------------------------------------------------------
// Helpers

/** Marks in `mask` the rows where any column read by `ev` is missing. */
function markMissing(ev: Evaluator, mask: Uint8Array): void {
  for (const rows of ev.missingRows.values()) for (let k = 0; k < rows.length; k++) mask[rows[k]] = 1;
}

function keptRows(mask: Uint8Array): Int32Array {
  let count = 0;
  for (let i = 0; i < mask.length; i++) if (!mask[i]) count++;
  const rows = new Int32Array(count);
  for (let i = 0, k = 0; i < mask.length; i++) if (!mask[i]) rows[k++] = i;
  return rows;
}

function subsetF64(x: Float64Array, rows: Int32Array, all: boolean): Float64Array {
  if (all) return x;
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = x[rows[k]];
  return out;
}

function subsetI32(x: Int32Array, rows: Int32Array, all: boolean): Int32Array {
  if (all) return x;
  const out = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = x[rows[k]];
  return out;
}

/** Throws when a computed value is not finite at a kept row (R would fail in glm.fit). */
function checkFiniteValues(name: string, values: Float64Array, rows: Int32Array, what: string): void {
  for (let k = 0; k < values.length; k++) {
    const x = values[k];
    if (x - x !== 0) {
      throw new DataError(`${what} "${name}" is ${Number.isNaN(x) ? "NaN" : x} at row ${rows[k] + 1}; the model needs finite values`, { column: name, row: rows[k] + 1 });
    }
  }
}

/** Numeric vector from a Value (logicals as 0/1); factors, strings and constants are rejected. */
function numericOf(v: Value, name: string, what: string): Float64Array {
  if (v.kind === "numeric") return v.values;
  if (v.kind === "factor") throw new DataError(`${what} "${name}" must be numeric, but it is a factor (strings)`, { column: name });
  throw new FormulaError(`${what} "${name}" is a constant, not a column of the data`);
}

/** A per-row option (weights, offset): a column name or an array, as a full-length Float64Array (NaN = missing). */
function optionValues(opt: string | ArrayLike<number>, label: string, ev: Evaluator, nrow: number): Float64Array {
  if (typeof opt === "string") {
    const v = ev.column(opt, label, label);
    if (v.kind !== "numeric" || v.logical) throw new DataError(`${label}: column "${opt}" must be numeric`, { column: opt });
    return v.values;
  }
  if (opt === null || typeof opt !== "object" || typeof opt.length !== "number") {
    throw new ArgumentError(`${label} must be a column name or an array of numbers`);
  }
  if (opt.length !== nrow) throw new ArgumentError(`${label} has ${opt.length} values but the data has ${nrow} rows`);
  const out = new Float64Array(nrow);
  for (let i = 0; i < nrow; i++) {
    const x = opt[i] as number | null | undefined;
    if (x === null || x === undefined || Number.isNaN(x)) { out[i] = NaN; continue; }
    if (typeof x !== "number") throw new ArgumentError(`${label}[${i}] is not a number: ${String(x)}`);
    if (!Number.isFinite(x)) throw new DataError(`${label} is ${x} at row ${i + 1}; values must be finite`, { row: i + 1 });
    out[i] = x;
  }
  return out;
}

function markNaN(x: Float64Array, mask: Uint8Array): void {
  for (let i = 0; i < x.length; i++) if (x[i] !== x[i]) mask[i] = 1;
}

function isCbind(node: Node): node is CallNode {
  return node.type === "call" && node.fn === "cbind";
}

/** The frame variable for a predictor of the training data (levels dropped to those present). */
function trainingVariable(ev: Evaluator, v: Value, name: string, rows: Int32Array, all: boolean): FrameVariable {
  if (v.kind === "numeric") {
    const values = subsetF64(v.values, rows, all);
    if (v.logical) {
      const codes = new Int32Array(values.length);
      for (let k = 0; k < values.length; k++) codes[k] = values[k] ? 1 : 0;
      return { kind: "factor", name, codes, levels: ["FALSE", "TRUE"], logical: true };
    }
    if (!ev.isRaw(v.values)) checkFiniteValues(name, values, rows, "formula term");
    return { kind: "numeric", name, values };
  }
  if (v.kind === "factor") {
    const codes = subsetI32(v.codes, rows, all);
    const used = new Uint8Array(v.levels.length);
    for (const c of codes) used[c] = 1;
    const f = relevel(codes, v.levels, used, v.character);
    return { kind: "factor", name, codes: f.codes, levels: f.levels, logical: false };
  }
  throw new FormulaError(`formula term "${name}" is a constant, not a column of the data`);
}

// ---------------------------------------------------------------------------

/**
 * Builds the model frame and design matrix of `formula` over `data`, as R's
 * `glm(formula, data, weights, offset)` does before fitting. Column names,
 * column order and values match R's `model.matrix`.
 *
 * Errors: unknown column (FormulaError with a nearest-name hint), empty data,
 * no response, a non-finite value (data or transform; DataError naming term and
 * row), a factor with a single level, negative cbind counts, no rows left.
 *
 * @example modelFrame("y ~ a*x", rows).columnNames // ["(Intercept)", "ab", "x", "ab:x"]
 */
export function modelFrame(formula: string, data: DataInput | DataTable, opts: ModelFrameOptions = {}): ModelFrame {
  const f = parseFormula(formula);
  if (!f.lhs) throw new FormulaError(`the formula "${formula}" has no response (left-hand side): expected "y ~ ${deparse(f.rhs)}"`);
  const table = toDataTable(data);
  if (table.nrow === 0) throw new DataError("the data has no rows");
  const terms = termsOf(f, table.names);
  const ev = new Evaluator(table);

  // 1. Evaluate every variable over all rows.
  const lhs = f.lhs;
  let cbindParts: [Value, Value] | null = null;
  const values: Array<Value | null> = terms.variables.map((node, v) => {
    if (v === 0 && isCbind(node)) {
      cbindParts = [ev.evaluate(node.args[0].value, deparse(node.args[0].value)), ev.evaluate(node.args[1].value, deparse(node.args[1].value))];
      return null;
    }
    return ev.evaluate(node, terms.variableNames[v]);
  });
  const weightsAll = opts.weights !== undefined && opts.weights !== null ? optionValues(opts.weights, "weights", ev, table.nrow) : null;
  const offsetOptAll = opts.offset !== undefined && opts.offset !== null ? optionValues(opts.offset, "offset", ev, table.nrow) : null;

  // 2. Rows with a missing cell in any column used are dropped (na.omit).
  const mask = new Uint8Array(table.nrow);
  markMissing(ev, mask);
  if (weightsAll && typeof opts.weights !== "string") markNaN(weightsAll, mask);
  if (offsetOptAll && typeof opts.offset !== "string") markNaN(offsetOptAll, mask);
  const rows = keptRows(mask);
  const naDropped = table.nrow - rows.length;
  if (rows.length === 0) {
    throw new DataError(`no rows left: each of the ${table.nrow} rows has a missing value in ${Array.from(ev.columnsUsed).map((c) => `"${c}"`).join(", ")}`);
  }
  const all = naDropped === 0;

  // 3. Response.
  const response = frameResponse(ev, terms.variableNames[0], lhs, cbindParts, values[0] ?? null, rows, all);

  // 4. Predictors and offsets.
  const { frameVars, offset: termOffset } = frameVariables(terms, values, rows, all, 1, (_v, val, name) => {
    const fv = trainingVariable(ev, val, name, rows, all);
    if (fv.kind === "factor" && !fv.logical && fv.levels.length < 2) {
      throw new DataError(`factor "${name}" has a single level ("${fv.levels[0]}") in the ${rows.length} rows used: contrasts can be applied only to factors with 2 or more levels`, { column: name });
    }
    return fv;
  });
  const offset = offsetOptAll ? addOffset(termOffset, subsetF64(offsetOptAll, rows, all)) : termOffset;
  const weights = weightsAll ? Float64Array.from(subsetF64(weightsAll, rows, all)) : null;
  if (weights && typeof opts.weights === "string") checkFiniteValues(opts.weights, weights, rows, "weights");

  // 5. Design matrix.
  const shapes: VariableShape[] = frameVars.map((fv) =>
    fv && fv.kind === "factor" ? { kind: "factor", levels: fv.levels, logical: fv.logical } : { kind: "numeric" });
  const layout = columnLayout(terms, shapes);
  const X = fillDesign(layout, frameVars, rows.length);
  const xlevels: Record<string, string[]> = {};
  frameVars.forEach((fv) => { if (fv && fv.kind === "factor" && !fv.logical) xlevels[fv.name] = [...fv.levels]; });

  return {
    response,
    X,
    n: rows.length,
    p: layout.columnNames.length,
    columnNames: layout.columnNames,
    assign: layout.assign,
    termLabels: [...terms.termLabels],
    hasIntercept: terms.intercept,
    weights,
    offset,
    rows,
    naDropped,
    design: makeDesign(terms, layout, shapes, opts.offset),
    xlevels,
    terms,
  };
}

/** The response of the frame over the rows kept: cbind(successes, failures), a factor (first level = failure) or numeric. */
function frameResponse(
  ev: Evaluator, responseName: string, lhs: Node, cbindParts: [Value, Value] | null, v: Value | null, rows: Int32Array, all: boolean,
): ModelResponse {
  if (cbindParts) {
    const [sv, fv] = cbindParts;
    const call = lhs as CallNode;
    const sName = deparse(call.args[0].value), fName = deparse(call.args[1].value);
    const successes = Float64Array.from(subsetF64(numericOf(sv, sName, "cbind() successes"), rows, all));
    const failures = Float64Array.from(subsetF64(numericOf(fv, fName, "cbind() failures"), rows, all));
    checkFiniteValues(sName, successes, rows, "cbind() successes");
    checkFiniteValues(fName, failures, rows, "cbind() failures");
    for (const [vals, nm, what] of [[successes, sName, "successes"], [failures, fName, "failures"]] as const) {
      for (let k = 0; k < vals.length; k++) {
        if (vals[k] < 0) throw new DataError(`${responseName}: ${what} "${nm}" is ${vals[k]} at row ${rows[k] + 1}; counts must be non-negative`, { column: nm, row: rows[k] + 1 });
      }
    }
    return { kind: "cbind", name: responseName, successes, failures };
  }
  const value = v as Value;
  if (value.kind === "factor") {
    const fv = trainingVariable(ev, value, responseName, rows, all) as FrameVariable & { kind: "factor" };
    const y = new Float64Array(fv.codes.length);
    for (let k = 0; k < y.length; k++) y[k] = fv.codes[k] > 0 ? 1 : 0;
    return { kind: "factor", name: responseName, values: y, levels: [...fv.levels] };
  }
  const y = Float64Array.from(subsetF64(numericOf(value, responseName, "response"), rows, all));
  checkFiniteValues(responseName, y, rows, "response");
  return { kind: "numeric", name: responseName, values: y };
}

/** sum + x, in place (a copy of x when there is no sum yet). */
function addOffset(sum: Float64Array | null, x: Float64Array): Float64Array {
  if (!sum) return Float64Array.from(x);
  for (let k = 0; k < x.length; k++) sum[k] += x[k];
  return sum;
}

/**
 * The frame variables of variables `first` … over the rows kept, made by `build`
 * (null for the response, the offset() terms and what `build` leaves out), and the
 * sum of the offset() terms.
 */
function frameVariables(
  terms: Terms, values: ReadonlyArray<Value | null>, rows: Int32Array, all: boolean, first: number,
  build: (v: number, value: Value, name: string) => FrameVariable | null,
): { frameVars: Array<FrameVariable | null>; offset: Float64Array | null } {
  const nvar = terms.variables.length;
  const offsetSet = new Set(terms.offsets);
  const frameVars: Array<FrameVariable | null> = new Array(nvar).fill(null);
  let offset: Float64Array | null = null;
  for (let v = first; v < nvar; v++) {
    const name = terms.variableNames[v];
    const val = values[v] as Value;
    if (offsetSet.has(v)) {
      const x = subsetF64(numericOf(val, name, "offset"), rows, all);
      checkFiniteValues(name, x, rows, "offset");
      offset = addOffset(offset, x);
      continue;
    }
    frameVars[v] = build(v, val, name);
  }
  return { frameVars, offset };
}

/** The frame variable for new data, coded with the training shape. */
function newDataVariable(ev: Evaluator, v: Value, name: string, shape: VariableShape, rows: Int32Array, all: boolean): FrameVariable {
  if (shape.kind === "numeric") {
    if (v.kind !== "numeric" || v.logical) {
      throw new DataError(`variable "${name}" was numeric when the model was fitted but is ${v.kind === "numeric" ? "logical" : v.kind === "factor" ? "a factor (strings)" : "a constant"} in the new data`, { column: name });
    }
    const values = subsetF64(v.values, rows, all);
    if (!ev.isRaw(v.values)) checkFiniteValues(name, values, rows, "formula term");
    return { kind: "numeric", name, values };
  }
  const levels = shape.logical ? ["FALSE", "TRUE"] : shape.levels;
  const index = new Map(levels.map((l, k) => [l, k]));
  // Labels of the new values: factor labels, or numbers/logicals printed as R's as.character.
  let labelOf: (i: number) => string;
  if (v.kind === "factor") labelOf = (i) => v.levels[v.codes[i]];
  else if (v.kind === "numeric") labelOf = v.logical ? (i) => (v.values[i] ? "TRUE" : "FALSE") : (i) => formatRNumber(v.values[i]);
  else throw new DataError(`variable "${name}" is a constant in the new data`, { column: name });
  const codes = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const label = labelOf(rows[k]);
    const c = index.get(label);
    if (c === undefined) {
      throw new DataError(`variable "${name}" has the level "${label}" at row ${rows[k] + 1} of the new data, which was not seen when the model was fitted (levels: ${levels.map((l) => `"${l}"`).join(", ")})`, { column: name, row: rows[k] + 1 });
    }
    codes[k] = c;
  }
  return { kind: "factor", name, codes, levels, logical: shape.logical };
}

function makeDesign(terms: Terms, layout: ColumnLayout, shapes: VariableShape[], offsetOpt: string | ArrayLike<number> | undefined): DesignSpec {
  const used = new Set<number>();
  for (const vars of terms.terms) for (const v of vars) used.add(v);
  return {
    columnNames: layout.columnNames,
    modelMatrix(newdata: DataInput | DataTable): NewDesign {
      const table = toDataTable(newdata);
      const ev = new Evaluator(table);
      const nvar = terms.variables.length;
      const first = terms.response ? 1 : 0;
      const values: Array<Value | null> = new Array(nvar).fill(null);
      for (let v = first; v < nvar; v++) values[v] = ev.evaluate(terms.variables[v], terms.variableNames[v]);
      let offsetOptAll: Float64Array | null = null;
      if (offsetOpt !== undefined && offsetOpt !== null) {
        if (typeof offsetOpt !== "string" && offsetOpt.length !== table.nrow) {
          throw new ArgumentError(`the model's offset was given as ${offsetOpt.length} values, which cannot apply to new data with ${table.nrow} rows; give the offset as a column name to predict on new data`);
        }
        offsetOptAll = optionValues(offsetOpt, "offset", ev, table.nrow);
      }
      const mask = new Uint8Array(table.nrow);
      markMissing(ev, mask);
      if (offsetOptAll && typeof offsetOpt !== "string") markNaN(offsetOptAll, mask);
      const rows = keptRows(mask);
      const all = rows.length === table.nrow;
      const { frameVars, offset: termOffset } = frameVariables(terms, values, rows, all, first, (v, val, name) =>
        used.has(v) ? newDataVariable(ev, val, name, shapes[v], rows, all) : null);
      const offset = offsetOptAll ? addOffset(termOffset, subsetF64(offsetOptAll, rows, all)) : termOffset;
      const X = fillDesign(layout, frameVars, rows.length);
      return { X, n: rows.length, p: layout.columnNames.length, offset, rows, naDropped: table.nrow - rows.length };
    },
  };
}

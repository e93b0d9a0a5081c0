/**
 * From evaluated values to model-frame variables: rows with a missing value
 * dropped (na.omit), unused factor levels dropped (drop.unused.levels = TRUE),
 * logicals as factors with levels FALSE, TRUE, finiteness checked. For new data,
 * each variable is coded with the training shape (R's `xlev`).
 */
import { ArgumentError, DataError, FormulaError } from "../errors.js";
import type { ContrastAttr } from "./contrasts.js";
import { dropUnusedLevels, type Evaluator } from "./evaluate.js";
import type { FrameVariable, VariableShape } from "./model-matrix.js";
import { formatRNumber } from "./r-format.js";
import type { Value } from "./values.js";

/** Marks in `mask` the rows where any column read by `ev` is missing. */
export function markMissing(ev: Evaluator, mask: Uint8Array): void {
  for (const rows of ev.missingRows.values()) for (let k = 0; k < rows.length; k++) mask[rows[k]] = 1;
}

/** Marks the rows where a factor value is NA (a value outside declared levels, as factor(x, levels) gives). */
export function markFactorNA(v: Value | null, mask: Uint8Array): void {
  if (!v || v.kind !== "factor") return;
  for (let i = 0; i < v.codes.length; i++) if (v.codes[i] < 0) mask[i] = 1;
}

export function markNaN(x: Float64Array, mask: Uint8Array): void {
  for (let i = 0; i < x.length; i++) if (x[i] !== x[i]) mask[i] = 1;
}

/** The 0-based rows not marked. */
export function keptRows(mask: Uint8Array): Int32Array {
  let count = 0;
  for (let i = 0; i < mask.length; i++) if (!mask[i]) count++;
  const rows = new Int32Array(count);
  for (let i = 0, k = 0; i < mask.length; i++) if (!mask[i]) rows[k++] = i;
  return rows;
}

export function subsetF64(x: Float64Array, rows: Int32Array, all: boolean): Float64Array {
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
export function checkFiniteValues(name: string, values: Float64Array, rows: Int32Array, what: string): void {
  for (let k = 0; k < values.length; k++) {
    const x = values[k];
    if (x - x !== 0) {
      throw new DataError(`${what} "${name}" is ${Number.isNaN(x) ? "NaN" : x} at row ${rows[k] + 1}; the model needs finite values`, { column: name, row: rows[k] + 1 });
    }
  }
}

/** Numeric vector from a Value (logicals as 0/1, a one-column matrix as its column); factors, strings and constants are rejected. */
export function numericOf(v: Value, name: string, what: string): Float64Array {
  if (v.kind === "numeric") return v.values;
  if (v.kind === "matrix" && v.columns.length === 1) return v.columns[0];
  if (v.kind === "factor") throw new DataError(`${what} "${name}" must be numeric, but it is a factor (strings)`, { column: name });
  if (v.kind === "matrix") throw new DataError(`${what} "${name}" must be one numeric column, not a matrix of ${v.columns.length}`, { column: name });
  throw new FormulaError(`${what} "${name}" is a constant, not a column of the data`);
}

/** A per-row option (weights, offset): a column name or an array, as a full-length Float64Array (NaN = missing). */
export function optionValues(opt: string | ArrayLike<number>, label: string, ev: Evaluator, nrow: number): Float64Array {
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

/** A training variable, with the contrasts C() attached to it (null: none, or dropped with its levels, as R drops them). */
export interface TrainingVariable {
  readonly variable: FrameVariable;
  readonly contrasts: ContrastAttr | null;
}

/**
 * The frame variable for a predictor of the training data (levels dropped to
 * those present). R drops C()'s contrasts from a factor that loses levels,
 * with a warning pushed to `warnings`.
 */
export function trainingVariable(ev: Evaluator, v: Value, name: string, rows: Int32Array, all: boolean, warnings: string[]): TrainingVariable {
  if (v.kind === "numeric") {
    const values = subsetF64(v.values, rows, all);
    if (v.logical) {
      const codes = new Int32Array(values.length);
      for (let k = 0; k < values.length; k++) codes[k] = values[k] ? 1 : 0;
      return { variable: { kind: "factor", name, codes, levels: ["FALSE", "TRUE"], logical: true }, contrasts: null };
    }
    if (!ev.isRaw(v.values)) checkFiniteValues(name, values, rows, "formula term");
    return { variable: { kind: "numeric", name, values }, contrasts: null };
  }
  if (v.kind === "matrix") {
    const columns = v.columns.map((c) => subsetF64(c, rows, all));
    columns.forEach((c) => checkFiniteValues(name, c, rows, "formula term"));
    return { variable: { kind: "matrix", name, columns, columnNames: v.columnNames }, contrasts: null };
  }
  if (v.kind === "factor") {
    const codes = subsetI32(v.codes, rows, all);
    const used = new Uint8Array(v.levels.length);
    for (const c of codes) used[c] = 1;
    const f = dropUnusedLevels({ ...v, codes }, used);
    let contrasts = v.contrasts ?? null;
    if (contrasts && f.levels.length < v.levels.length) {
      warnings.push(`contrasts dropped from factor ${name} due to missing levels`);
      contrasts = null;
    }
    return { variable: { kind: "factor", name, codes: f.codes, levels: f.levels, logical: false, ordered: v.ordered === true }, contrasts };
  }
  throw new FormulaError(`formula term "${name}" is a constant, not a column of the data`);
}

function describeKind(v: Value): string {
  switch (v.kind) {
    case "numeric": return v.logical ? "logical" : "numeric";
    case "factor": return "a factor (strings)";
    case "matrix": return `a matrix of ${v.columns.length} columns`;
    default: return "a constant";
  }
}

/** The frame variable for new data, coded with the training shape. */
export function newDataVariable(ev: Evaluator, v: Value, name: string, shape: VariableShape, rows: Int32Array, all: boolean): FrameVariable {
  if (shape.kind === "numeric") {
    if (v.kind !== "numeric" || v.logical) {
      throw new DataError(`variable "${name}" was numeric when the model was fitted but is ${describeKind(v)} in the new data`, { column: name });
    }
    const values = subsetF64(v.values, rows, all);
    if (!ev.isRaw(v.values)) checkFiniteValues(name, values, rows, "formula term");
    return { kind: "numeric", name, values };
  }
  if (shape.kind === "matrix") {
    if (v.kind !== "matrix" || v.columns.length !== shape.ncol) {
      throw new DataError(`variable "${name}" had ${shape.ncol} columns when the model was fitted but is ${describeKind(v)} in the new data`, { column: name });
    }
    const columns = v.columns.map((c) => subsetF64(c, rows, all));
    columns.forEach((c) => checkFiniteValues(name, c, rows, "formula term"));
    return { kind: "matrix", name, columns, columnNames: shape.columnNames };
  }
  const levels = shape.logical ? ["FALSE", "TRUE"] : shape.levels;
  const index = new Map(levels.map((l, k) => [l, k]));
  // Labels of the new values: factor labels, or numbers/logicals printed as R's as.character.
  let labelOf: (i: number) => string;
  if (v.kind === "factor") labelOf = (i) => v.levels[v.codes[i]];
  else if (v.kind === "numeric") labelOf = v.logical ? (i) => (v.values[i] ? "TRUE" : "FALSE") : (i) => formatRNumber(v.values[i]);
  else throw new DataError(`variable "${name}" is ${describeKind(v)} in the new data but was a factor when the model was fitted`, { column: name });
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

/** The shape of a training variable (what new data must match). */
export function shapeOf(fv: FrameVariable | null): VariableShape {
  if (!fv || fv.kind === "numeric") return { kind: "numeric" };
  if (fv.kind === "matrix") return { kind: "matrix", ncol: fv.columns.length, columnNames: fv.columnNames };
  return { kind: "factor", levels: fv.levels, logical: fv.logical, ordered: fv.ordered };
}

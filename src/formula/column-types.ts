/**
 * Declared column types: which columns are factors (with which levels, in which
 * order), ordered factors, or numbers, whatever the data's cells look like. A
 * district coded 1–4 is a category, not a quantity: R users write
 * `factor(District)` or convert the column before fitting; glmkit takes the
 * declaration `{ District: { type: "factor", levels: ["1", "2", "3", "4"] } }`
 * (the CLI's `--factor District:1,2,3,4`, read by {@link parseFactorFlag}).
 *
 * A numeric column declared a factor gets R's labels (as.character: 15
 * significant digits) and, without declared levels, R's order for factor() of a
 * number (numeric). Declared levels fix the order (the first is the baseline of
 * treatment contrasts); a value outside them is an error naming column, value
 * and row.
 */
import { ArgumentError, DataError } from "../errors.js";
import { parseRNumber } from "../data/csv.js";
import { tableOf } from "../data/table.js";
import type { Column, DataTable } from "../data/types.js";
import { nearestName } from "./evaluate.js";
import { formatRNumber } from "./r-format.js";

/** The declared type of one column. */
export type ColumnType =
  | { readonly type: "factor" | "ordered"; readonly levels?: ReadonlyArray<string | number | boolean> }
  | { readonly type: "numeric" };

/** Declared types by column name. */
export type ColumnTypes = Readonly<Record<string, ColumnType>>;

/** The labels of a column's cells (null = missing) and the default level order. */
function labelsOf(col: Column): { labels: Array<string | null>; defaults: string[]; numeric: Float64Array | null } {
  if (col.kind === "factor") return { labels: [...col.values], defaults: [...col.levels], numeric: null };
  if (col.kind === "logical") {
    const labels: Array<string | null> = col.values.map((b) => (b === null || b === undefined ? null : b ? "TRUE" : "FALSE"));
    return { labels, defaults: ["FALSE", "TRUE"].filter((l) => labels.includes(l)), numeric: null };
  }
  const labels = Array.from(col.values, (x) => (Number.isNaN(x) ? null : formatRNumber(x)));
  const distinct = Array.from(new Set(Array.from(col.values).filter((x) => !Number.isNaN(x)))).sort((a, b) => a - b);
  return { labels, defaults: Array.from(new Set(distinct.map((x) => formatRNumber(x)))), numeric: col.values };
}

/** A column declared a factor (ordered or not), with its levels checked. */
function asFactor(col: Column, spec: ColumnType & { type: "factor" | "ordered" }): Column {
  if (col.kind === "numeric" && col.nonFiniteRows && col.nonFiniteRows.length) {
    const r = col.nonFiniteRows[0];
    throw new DataError(`column "${col.name}" has the value ${col.values[r]} at row ${r + 1}, which cannot be a factor level`, { column: col.name, row: r + 1 });
  }
  const { labels, defaults, numeric } = labelsOf(col);
  let levels = defaults;
  let values = labels;
  if (spec.levels !== undefined) {
    if (!Array.isArray(spec.levels) || spec.levels.length === 0) throw new ArgumentError(`columns.${col.name}.levels must be a non-empty array`);
    levels = spec.levels.map((l) => (typeof l === "number" ? formatRNumber(l) : String(l)));
    const dup = levels.find((l, k) => levels.indexOf(l) !== k);
    if (dup !== undefined) throw new ArgumentError(`columns.${col.name}.levels has the level "${dup}" twice`);
    const index = new Set(levels);
    // A numeric cell matches a level written differently but equal as a number ("1.0" for 1).
    const byNumber = new Map<number, string>();
    for (const l of levels) { const x = parseRNumber(l); if (x !== undefined && !byNumber.has(x)) byNumber.set(x, l); }
    values = labels.map((l, i) => {
      if (l === null || index.has(l)) return l;
      const alt = numeric ? byNumber.get(numeric[i]) : undefined;
      if (alt !== undefined) return alt;
      throw new DataError(`column "${col.name}" has the value ${JSON.stringify(l)} at row ${i + 1}, which is not among its declared levels ${levels.join(", ")}`, { column: col.name, row: i + 1 });
    });
  }
  return { name: col.name, kind: "factor", values, levels, ordered: spec.type === "ordered" };
}

/** A column declared numeric: strings parsed as R reads numbers, logicals as 0/1. */
function asNumeric(col: Column): Column {
  if (col.kind === "numeric") return col;
  const values = new Float64Array(col.values.length);
  for (let i = 0; i < values.length; i++) {
    const c = col.values[i];
    if (c === null || c === undefined) { values[i] = NaN; continue; }
    if (typeof c === "boolean") { values[i] = c ? 1 : 0; continue; }
    const x = parseRNumber(c);
    if (x === undefined || !Number.isFinite(x)) throw new DataError(`column "${col.name}" has the value ${JSON.stringify(c)} at row ${i + 1}, which is not a finite number`, { column: col.name, row: i + 1 });
    values[i] = x;
  }
  return { name: col.name, kind: "numeric", values };
}

/**
 * The table with the declared column types applied. A declared column absent
 * from the table is an error unless `allowAbsent` (new data need not hold every
 * column, the response for one).
 * @example withColumnTypes(t, { District: { type: "factor" } }).column("District").kind // "factor"
 */
export function withColumnTypes(table: DataTable, columns: ColumnTypes | undefined, allowAbsent = false): DataTable {
  if (!columns) return table;
  if (typeof columns !== "object") throw new ArgumentError("columns must be an object of column types, as { District: { type: \"factor\" } }");
  const names = Object.keys(columns);
  if (names.length === 0) return table;
  for (const nm of names) {
    const spec = columns[nm];
    if (!spec || !["factor", "ordered", "numeric"].includes((spec as { type: string }).type)) {
      throw new ArgumentError(`columns.${nm}: the type must be "factor", "ordered" or "numeric"`);
    }
    if (!table.names.includes(nm) && !allowAbsent) {
      const hint = nearestName(nm, table.names);
      throw new ArgumentError(`columns: no column "${nm}" in the data${hint ? `; did you mean "${hint}"?` : ` (columns: ${table.names.join(", ")})`}`);
    }
  }
  const cols = table.names.map((nm) => {
    const col = table.column(nm);
    const spec = columns[nm];
    if (!spec) return col;
    return spec.type === "numeric" ? asNumeric(col) : asFactor(col, spec);
  });
  return tableOf(table.nrow, cols);
}

/** Splits `s` at unescaped `sep` characters, undoing `\` escapes. */
function splitEscaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\" && i + 1 < s.length) { cur += s[++i]; continue; }
    if (c === sep) { out.push(cur); cur = ""; continue; }
    cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * Reads the value of the CLI flag `--factor COL[:l1,l2,…]` (or `--ordered`,
 * with `type = "ordered"`): the column, and its levels in order when given. A
 * name with a ":" is written in backquotes (`` `a:b`:x,y ``); a "," or ":"
 * inside a level is escaped with a backslash.
 * @example parseFactorFlag("District:1,2,3,4") // { column: "District", type: { type: "factor", levels: ["1", "2", "3", "4"] } }
 */
export function parseFactorFlag(value: string, type: "factor" | "ordered" = "factor"): { column: string; type: ColumnType } {
  const flag = type === "ordered" ? "--ordered" : "--factor";
  if (typeof value !== "string" || value.trim() === "") throw new ArgumentError(`${flag} needs a column name, as ${flag} District or ${flag} District:1,2,3,4`);
  let column: string;
  let rest: string | null;
  if (value.startsWith("`")) {
    const end = value.indexOf("`", 1);
    if (end < 0) throw new ArgumentError(`${flag} ${value}: unterminated backquoted column name`);
    column = value.slice(1, end);
    const after = value.slice(end + 1);
    if (after !== "" && !after.startsWith(":")) throw new ArgumentError(`${flag} ${value}: expected ":" after the column name`);
    rest = after === "" ? null : after.slice(1);
  } else {
    let k = -1;
    for (let i = 0; i < value.length; i++) { if (value[i] === "\\") { i++; continue; } if (value[i] === ":") { k = i; break; } }
    column = k < 0 ? value : value.slice(0, k);
    rest = k < 0 ? null : value.slice(k + 1);
    column = splitEscaped(column, "\u0000")[0];
  }
  if (column === "") throw new ArgumentError(`${flag} ${value}: the column name is empty`);
  if (rest === null) return { column, type: { type } };
  const levels = splitEscaped(rest, ",");
  if (levels.some((l) => l === "")) throw new ArgumentError(`${flag} ${value}: empty level name (levels are separated by ",", as ${flag} ${column}:a,b,c)`);
  if (new Set(levels).size !== levels.length) throw new ArgumentError(`${flag} ${value}: a level is given twice`);
  return { column, type: { type, levels } };
}

/** Reads several `--factor` / `--ordered` values into one declaration; a column given twice is an error. */
export function parseColumnFlags(factor: readonly string[] = [], ordered: readonly string[] = []): Record<string, ColumnType> {
  const out: Record<string, ColumnType> = {};
  const add = (v: string, type: "factor" | "ordered"): void => {
    const { column, type: t } = parseFactorFlag(v, type);
    if (out[column]) throw new ArgumentError(`column "${column}" is declared twice (--factor/--ordered)`);
    out[column] = t;
  };
  factor.forEach((v) => add(v, "factor"));
  ordered.forEach((v) => add(v, "ordered"));
  return out;
}

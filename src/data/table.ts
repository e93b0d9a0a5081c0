/**
 * Building a {@link DataTable} from user data, inferring each column's kind as
 * R's data.frame would hold it: numbers → numeric, strings → factor (R's
 * character), booleans → logical; a column with no value at all → logical, as
 * R's `type.convert` makes an all-NA column.
 */
import { DataError } from "../errors.js";
import { sortedLevels } from "./collate.js";
import type { Cell, Column, DataInput, DataTable } from "./types.js";
import { arrowColumns, isArrowTable } from "./arrow.js";

/** Whether a cell is missing: null, undefined, "NA" or "". */
export function isMissingCell(c: Cell): boolean {
  return c === null || c === undefined || c === "NA" || c === "";
}

/** A DataTable over a fixed list of columns. */
class ColumnTable implements DataTable {
  readonly nrow: number;
  readonly names: string[];
  readonly warnings: readonly string[];
  private readonly byName: Map<string, Column>;
  constructor(nrow: number, columns: Column[], warnings: readonly string[] = []) {
    this.nrow = nrow;
    this.names = columns.map((c) => c.name);
    this.byName = new Map(columns.map((c) => [c.name, c]));
    this.warnings = Object.freeze([...warnings]);
  }
  column(name: string): Column {
    const c = this.byName.get(name);
    if (!c) {
      const one = this.names.length === 1 ? this.names[0]! : null;
      const hint = one !== null && /[;\t]/.test(one)
        ? `; the only column's name contains ${one.includes(";") ? "semicolons" : "tabs"}: is the file ${one.includes(";") ? "semicolon" : "tab"}-separated? (parseCsv/readCsv with sep: "${one.includes(";") ? ";" : "\\t"}")`
        : "";
      throw new DataError(`no column "${name}" in the data (columns: ${this.names.join(", ")})${hint}`, { column: name });
    }
    return c;
  }
}

/** Builds a DataTable from already typed columns (all of length `nrow`, distinct names), with reading `warnings`. */
export function tableOf(nrow: number, columns: Column[], warnings: readonly string[] = []): DataTable {
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw new DataError(`duplicated column name "${c.name}"`, { column: c.name });
    seen.add(c.name);
    if (c.values.length !== nrow) {
      throw new DataError(`column "${c.name}" has ${c.values.length} values, expected ${nrow}`, { column: c.name });
    }
  }
  return new ColumnTable(nrow, columns, warnings);
}

/** Whether `x` already is a DataTable (duck-typed). */
export function isDataTable(x: unknown): x is DataTable {
  return typeof x === "object" && x !== null && !Array.isArray(x)
    && typeof (x as DataTable).nrow === "number" && Array.isArray((x as DataTable).names)
    && typeof (x as DataTable).column === "function";
}

const describe = (c: Cell): string => (typeof c === "string" ? JSON.stringify(c) : String(c));

/** Numeric column from a Float64Array (shared, not copied), recording ±Infinity values (NaN is missing, as R's is.na(NaN)). */
function numericFromFloat64(name: string, values: Float64Array): Column {
  let bad: number[] | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === Infinity || v === -Infinity) (bad ??= []).push(i);
  }
  return bad ? { name, kind: "numeric", values, nonFiniteRows: Int32Array.from(bad) } : { name, kind: "numeric", values };
}

/**
 * Infers the kind of one column from its cells.
 * Throws a DataError naming the column and rows when numbers, strings and booleans are mixed.
 */
export function inferColumn(name: string, cells: ArrayLike<Cell>): Column {
  if (cells instanceof Float64Array) return numericFromFloat64(name, cells);
  if (ArrayBuffer.isView(cells)) return numericFromFloat64(name, Float64Array.from(cells as unknown as ArrayLike<number>));
  const n = cells.length;
  let firstNumber = -1, firstString = -1, firstBoolean = -1;
  for (let i = 0; i < n; i++) {
    const c = cells[i];
    if (isMissingCell(c)) continue;
    switch (typeof c) {
      case "number": if (firstNumber < 0) firstNumber = i; break;
      case "string": if (firstString < 0) firstString = i; break;
      case "boolean": if (firstBoolean < 0) firstBoolean = i; break;
      default:
        throw new DataError(`column "${name}", row ${i + 1}: cannot use a value of type ${typeof c} (${String(c)}); cells must be numbers, strings, booleans or null`, { column: name, row: i + 1 });
    }
  }
  const kinds = [
    ["numbers", firstNumber], ["strings", firstString], ["booleans", firstBoolean],
  ].filter(([, r]) => (r as number) >= 0) as Array<[string, number]>;
  if (kinds.length > 1) {
    const what = kinds.map(([k, r]) => `${k} (row ${r + 1}: ${describe(cells[r])})`).join(" and ");
    throw new DataError(`column "${name}" mixes ${what}; a column must hold one kind of value`, { column: name, row: Math.max(...kinds.map(([, r]) => r)) + 1 });
  }
  if (firstNumber >= 0) {
    const values = new Float64Array(n);
    let bad: number[] | null = null;
    for (let i = 0; i < n; i++) {
      const c = cells[i];
      if (typeof c === "number") {
        values[i] = c; // NaN is missing (R's is.na(NaN) is TRUE: na.omit drops the row)
        if (c === Infinity || c === -Infinity) (bad ??= []).push(i);
      } else values[i] = NaN;
    }
    return bad ? { name, kind: "numeric", values, nonFiniteRows: Int32Array.from(bad) } : { name, kind: "numeric", values };
  }
  if (firstString >= 0) {
    const values: Array<string | null> = new Array(n);
    for (let i = 0; i < n; i++) {
      const c = cells[i];
      values[i] = typeof c === "string" && !isMissingCell(c) ? c : null;
    }
    return { name, kind: "factor", values, levels: sortedLevels(values) };
  }
  const values: Array<boolean | null> = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = cells[i];
    values[i] = typeof c === "boolean" ? c : null;
  }
  return { name, kind: "logical", values };
}

/**
 * Turns user data into a {@link DataTable}: an array of row objects (columns are
 * the union of their keys, in order of first appearance; an absent key is a
 * missing cell) or an object of columns (arrays or typed arrays, all of the same
 * length), or an Apache Arrow table (src/data/arrow.ts). A DataTable is returned as is. Float64Array columns are shared, not copied.
 *
 * A numeric NaN is a missing cell, as in R (is.na(NaN) is TRUE, so na.omit drops
 * the row); a ±Infinity *value* is kept and reported (column and row) by any model
 * that uses the column: it is bad input, not a missing cell (R's glm fails on it:
 * "NA/NaN/Inf in 'x'").
 *
 * @example toDataTable([{ y: 1, g: "a" }, { y: 2, g: null }]).column("g") // factor, levels ["a"]
 */
export function toDataTable(input: DataInput | DataTable): DataTable {
  if (isDataTable(input)) return input;
  if (isArrowTable(input)) return toDataTable(arrowColumns(input));
  if (input === null || typeof input !== "object") {
    throw new DataError(`data must be an array of row objects or an object of columns, not ${input === null ? "null" : typeof input}`);
  }
  if (Array.isArray(input)) {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < input.length; i++) {
      const row = input[i];
      if (row === null || typeof row !== "object" || Array.isArray(row)) {
        throw new DataError(`data row ${i + 1} is not an object of named cells`, { row: i + 1 });
      }
      for (const k of Object.keys(row)) if (!seen.has(k)) { seen.add(k); names.push(k); }
    }
    const columns = names.map((name) => inferColumn(name, input.map((row) => row[name])));
    return new ColumnTable(input.length, columns);
  }
  const names = Object.keys(input);
  let nrow = -1;
  let firstName = "";
  const columns: Column[] = [];
  for (const name of names) {
    const cells = input[name];
    if (cells === null || typeof cells !== "object" || typeof cells.length !== "number") {
      throw new DataError(`column "${name}" is not an array`, { column: name });
    }
    if (nrow < 0) { nrow = cells.length; firstName = name; }
    else if (cells.length !== nrow) {
      throw new DataError(`column "${name}" has ${cells.length} values but column "${firstName}" has ${nrow}; columns must have equal lengths`, { column: name });
    }
    columns.push(inferColumn(name, cells));
  }
  return new ColumnTable(Math.max(nrow, 0), columns);
}

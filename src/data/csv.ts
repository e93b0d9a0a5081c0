/**
 * Reading CSV text into a {@link DataTable} with R's `read.csv` type conversion
 * (`utils::type.convert`, R 4.2):
 * - "NA" and blank cells are missing;
 * - a column whose other cells all parse as numbers (R_strtod syntax: decimal,
 *   exponent, hexadecimal, Inf/Infinity/NaN, surrounding blanks allowed) is numeric;
 * - a column whose other cells are all T, F, TRUE or FALSE is logical (R 4.2 does
 *   not accept "true"/"false": such a column stays a factor, as in R);
 * - otherwise a factor whose levels are the strings kept verbatim.
 * "Inf", "-Inf" and "NaN" cells are numbers, reported by a model that uses them.
 * Header names are kept verbatim (R's check.names would make them syntactic).
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { DataError } from "../errors.js";
import { sortedLevels } from "./collate.js";
import { tableOf } from "./table.js";
import type { Column, DataTable } from "./types.js";

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d*)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]+)$/;
const INFINITE = /^([+-]?)inf(?:inity)?$/i;
const NOT_A_NUMBER = /^[+-]?nan$/i;

/** Whether a CSV cell is missing: "NA", empty, or blanks only. */
function isMissingText(s: string): boolean {
  return s === "NA" || s.trim() === "";
}

/**
 * Parses one cell as R's `type.convert` parses a number; undefined when it is not one.
 * @example parseRNumber(" 1e3 ") // 1000
 * @example parseRNumber("-Inf") // -Infinity
 */
export function parseRNumber(text: string): number | undefined {
  const s = text.trim();
  if (DECIMAL.test(s)) return Number(s.replace(/[eE][+-]?$/, ""));
  const hex = HEX.exec(s);
  if (hex) return (hex[1] === "-" ? -1 : 1) * parseInt(hex[2], 16);
  const inf = INFINITE.exec(s);
  if (inf) return inf[1] === "-" ? -Infinity : Infinity;
  // R reads a leading "NA" as NA and then fails on the rest, so "NAN" is not a number.
  if (NOT_A_NUMBER.test(s) && !/^[+-]?NA/.test(s)) return NaN;
  return undefined;
}

const LOGICAL: Record<string, boolean> = { T: true, TRUE: true, F: false, FALSE: false };

/** Converts one column of CSV strings as `type.convert(x, as.is = TRUE)` does. */
function convertColumn(name: string, cells: string[]): Column {
  const n = cells.length;
  let numeric = true, logical = true;
  for (let i = 0; i < n && (numeric || logical); i++) {
    const s = cells[i];
    if (isMissingText(s)) continue;
    if (numeric && parseRNumber(s) === undefined) numeric = false;
    if (logical && !(s in LOGICAL)) logical = false;
  }
  if (logical) {
    // Includes the all-missing column, which R makes logical.
    return { name, kind: "logical", values: cells.map((s) => (isMissingText(s) ? null : LOGICAL[s])) };
  }
  if (numeric) {
    const values = new Float64Array(n);
    const bad: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = cells[i];
      if (isMissingText(s)) { values[i] = NaN; continue; }
      const v = parseRNumber(s) as number;
      values[i] = v;
      if (v - v !== 0) bad.push(i);
    }
    return bad.length ? { name, kind: "numeric", values, nonFiniteRows: Int32Array.from(bad) } : { name, kind: "numeric", values };
  }
  const values = cells.map((s) => (isMissingText(s) ? null : s));
  return { name, kind: "factor", values, levels: sortedLevels(values) };
}

/**
 * Parses CSV text (header row, comma separator, RFC 4180 quoting) into a DataTable
 * with R's read.csv type conversion. Malformed CSV (unclosed quote, a row with the
 * wrong number of fields), an empty or duplicated header name → DataError naming the line or column.
 * @example parseCsv("y,g\n1,a\n2,NA\n").column("g") // factor with levels ["a"]
 */
export function parseCsv(text: string): DataTable {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    throw new DataError(`malformed CSV${err.lines ? ` at line ${err.lines}` : ""}: ${err.message ?? String(e)}`,
      err.lines ? { row: err.lines } : {});
  }
  if (records.length === 0) throw new DataError("the CSV text is empty: expected a header row");
  const header = records[0];
  const seen = new Set<string>();
  header.forEach((h, j) => {
    if (h.trim() === "") throw new DataError(`CSV header: column ${j + 1} has no name`);
    if (seen.has(h)) throw new DataError(`CSV header: duplicated column name "${h}"`, { column: h });
    seen.add(h);
  });
  const nrow = records.length - 1;
  const columns = header.map((name, j) => {
    const cells = new Array<string>(nrow);
    for (let i = 0; i < nrow; i++) cells[i] = records[i + 1][j];
    return convertColumn(name, cells);
  });
  return tableOf(nrow, columns);
}

/**
 * Reads a CSV file (UTF-8) into a DataTable; see {@link parseCsv}.
 * A file that cannot be read → DataError naming the path.
 */
export function readCsv(path: string): DataTable {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new DataError(`cannot read CSV file "${path}": ${(e as Error).message}`);
  }
  return parseCsv(text);
}

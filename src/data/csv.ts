/**
 * Reading CSV text into a {@link DataTable} with R's `read.csv` type conversion
 * (`utils::type.convert`, R 4.2):
 * - "NA" and blank cells are missing;
 * - a column whose other cells all parse as numbers (R_strtod syntax: decimal,
 *   exponent, hexadecimal, Inf/Infinity/NaN, surrounding blanks allowed) is numeric;
 * - a column whose other cells are all T, F, TRUE or FALSE is logical (R 4.2 does
 *   not accept "true"/"false": such a column stays a factor, as in R);
 * - otherwise a factor whose levels are the strings kept verbatim.
 * "Inf" and "-Inf" cells are numbers, reported by a model that uses them; "NaN" is a
 * number that is missing (R's is.na(NaN)), so a model drops its row.
 * Header names are kept verbatim (R's check.names would make them syntactic).
 *
 * Two things R does silently are reported in the table's `warnings`:
 * - a column whose values are mostly numbers but that has a few cells which are not
 *   ("abc", "TRUE", a NUL byte) is a factor, as in R, with a warning naming the column
 *   and the first offending cells and rows (one such cell makes a 99-level factor);
 * - the separator: by default (`sep: "auto"`) a header with no comma but semicolons is
 *   read as R's read.csv2 (sep = ";", dec = ","), one with tabs as read.delim (sep =
 *   "\t"), with a warning saying so (read.csv would make one column named "y;x").
 */
// The browser build of csv-parse: plain ESM without Node's Buffer, the same parser in Node.
import { parse } from "csv-parse/browser/esm/sync";
import { nodeBuiltin } from "../util/platform.js";
import { DataError } from "../errors.js";
import { sortedLevels } from "./collate.js";
import { tableOf } from "./table.js";
import { splitCsvColumns } from "./csv-split.js";
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
export function parseRNumber(text: string, dec: "." | "," = "."): number | undefined {
  let s = text.trim();
  if (dec === ",") {
    // R's type.convert(dec = ","): the comma is the decimal mark and a point is not a number.
    if (s.includes(".")) return undefined;
    s = s.replace(",", ".");
  }
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

/** How many cells to name in a warning. */
const SHOWN_CELLS = 3;

/**
 * The warning for a column R makes a factor although most of its values are numbers,
 * naming the first cells that are not (JSON-quoted, so a NUL byte shows as \u0000); null otherwise.
 */
function mostlyNumericWarning(name: string, cells: string[], dec: "." | ","): string | null {
  let numbers = 0;
  const bad: number[] = [];
  for (let i = 0; i < cells.length; i++) {
    const s = cells[i];
    if (isMissingText(s)) continue;
    if (parseRNumber(s, dec) !== undefined) numbers++;
    else bad.push(i);
  }
  if (numbers === 0 || bad.length > numbers) return null;
  const shown = bad.slice(0, SHOWN_CELLS).map((i) => `${JSON.stringify(cells[i])} (row ${i + 1})`).join(", ");
  const more = bad.length > SHOWN_CELLS ? `, and ${bad.length - SHOWN_CELLS} more` : "";
  return `column "${name}" is read as a factor (as R's read.csv does) although ${numbers} of its ${numbers + bad.length} values are numbers: ${bad.length === 1 ? "one cell is" : `${bad.length} cells are`} not: ${shown}${more}. Correct ${bad.length === 1 ? "it" : "them"}, or make ${bad.length === 1 ? "it" : "them"} NA, to read the column as numeric`;
}

/**
 * A cell of the form [-]digits[.digits] (no blanks, no exponent): its number by
 * Number(), which is what parseRNumber gives for it; undefined for any other text.
 */
function plainDecimal(s: string): number | undefined {
  const n = s.length;
  if (n === 0 || n > 30) return undefined;
  let k = s.charCodeAt(0) === 45 ? 1 : 0;
  let digits = 0, dots = 0;
  for (; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && dots === 0) dots++;
    else return undefined;
  }
  return digits > 0 ? Number(s) : undefined;
}

/** Converts one column of CSV strings as `type.convert(x, as.is = TRUE, dec)` does. */
function convertColumn(name: string, cells: string[], dec: "." | "," = "."): Column {
  const n = cells.length;
  // One pass reads the numbers while checking that the column is numeric (plain decimals first: no trim, no regex).
  let numeric = true, logical = true;
  const values = new Float64Array(n);
  const bad: number[] = [];
  for (let i = 0; i < n && (numeric || logical); i++) {
    const s = cells[i];
    const fast = dec === "." ? plainDecimal(s) : undefined;
    if (fast !== undefined) { values[i] = fast; logical = false; continue; }
    if (isMissingText(s)) { values[i] = NaN; continue; }
    if (numeric) {
      const v = parseRNumber(s, dec);
      if (v === undefined) numeric = false;
      else { values[i] = v; if (v === Infinity || v === -Infinity) bad.push(i); } // "NaN" is missing, as R's is.na(NaN)
    }
    if (logical && !(s in LOGICAL)) logical = false;
  }
  if (logical) {
    // Includes the all-missing column, which R makes logical.
    return { name, kind: "logical", values: cells.map((s) => (isMissingText(s) ? null : LOGICAL[s])) };
  }
  if (numeric) {
    return bad.length ? { name, kind: "numeric", values, nonFiniteRows: Int32Array.from(bad) } : { name, kind: "numeric", values };
  }
  const strings = cells.map((s) => (isMissingText(s) ? null : s));
  return { name, kind: "factor", values: strings, levels: sortedLevels(strings) };
}

/** Options of {@link parseCsv} and {@link readCsv}. */
export interface CsvOptions {
  /**
   * Field separator: "," (read.csv), ";" (read.csv2: the decimal mark is then ","),
   * "\t" (read.delim), or "auto" (default): "," unless the header has no comma, then
   * ";" or "\t" if it has those, with a warning.
   */
  sep?: "," | ";" | "\t" | "auto";
}

/** The separator of `text` for `sep`, and the warning when it was detected as other than a comma. */
function separatorOf(text: string, sep: CsvOptions["sep"]): { sep: "," | ";" | "\t"; warning: string | null } {
  if (sep === "," || sep === ";" || sep === "\t") return { sep, warning: null };
  if (sep !== undefined && sep !== "auto") throw new DataError(`sep must be ",", ";", "\\t" or "auto", got ${JSON.stringify(sep)}`);
  const header = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0]!.replace(/"[^"]*"/g, "");
  if (header.includes(",")) return { sep: ",", warning: null };
  if (header.includes(";"))
    return { sep: ";", warning: 'the file looks semicolon-separated (its header has semicolons and no comma): read as R\'s read.csv2 (sep = ";", dec = ","); give sep: "," to read it as read.csv would' };
  if (header.includes("\t"))
    return { sep: "\t", warning: 'the file looks tab-separated (its header has tabs and no comma): read as R\'s read.delim (sep = "\\t"); give sep: "," to read it as read.csv would' };
  return { sep: ",", warning: null };
}

/**
 * Parses CSV text (header row, RFC 4180 quoting; the separator as `options.sep`) into
 * a DataTable with R's read.csv type conversion; `table.warnings` lists what R would
 * do silently (see the module comment). Malformed CSV (unclosed quote, a row with the
 * wrong number of fields), an empty or duplicated header name → DataError naming the line or column.
 * @example parseCsv("y,g\n1,a\n2,NA\n").column("g") // factor with levels ["a"]
 */
export function parseCsv(text: string, options: CsvOptions = {}): DataTable {
  const { sep, warning } = separatorOf(text, options.sep);
  const dec = sep === ";" ? "," : ".";
  const warnings = warning === null ? [] : [warning];
  // The fast splitter for the common file; csv-parse for anything else (and its error messages).
  const fast = splitCsvColumns(text, sep);
  let header: string[];
  let cellsOf: (j: number) => string[];
  let nrow: number;
  if (fast !== null) {
    header = fast.header;
    nrow = fast.columns.length > 0 ? fast.columns[0]!.length : 0;
    cellsOf = (j) => fast.columns[j]!;
  } else {
    let records: string[][];
    try {
      records = parse(text, { bom: true, skip_empty_lines: true, delimiter: sep }) as string[][];
    } catch (e) {
      const err = e as { message?: string; lines?: number };
      throw new DataError(`malformed CSV${err.lines ? ` at line ${err.lines}` : ""}: ${err.message ?? String(e)}`,
        err.lines ? { row: err.lines } : {});
    }
    if (records.length === 0) throw new DataError("the CSV text is empty: expected a header row");
    header = records[0];
    nrow = records.length - 1;
    cellsOf = (j) => {
      const cells = new Array<string>(nrow);
      for (let i = 0; i < nrow; i++) cells[i] = records[i + 1][j];
      return cells;
    };
  }
  const seen = new Set<string>();
  header.forEach((h, j) => {
    if (h.trim() === "") throw new DataError(`CSV header: column ${j + 1} has no name`);
    if (seen.has(h)) throw new DataError(`CSV header: duplicated column name "${h}"`, { column: h });
    seen.add(h);
  });
  const columns = header.map((name, j) => {
    const cells = cellsOf(j);
    const col = convertColumn(name, cells, dec);
    const w = col.kind === "factor" ? mostlyNumericWarning(name, cells, dec) : null;
    if (w !== null) warnings.push(w);
    return col;
  });
  return tableOf(nrow, columns, warnings);
}

/**
 * Reads a CSV file (UTF-8) into a DataTable; see {@link parseCsv} (options, warnings).
 * A file that cannot be read → DataError naming the path. Needs Node (a file path);
 * in a browser, read the file's text and call {@link parseCsv}.
 */
export function readCsv(path: string, options: CsvOptions = {}): DataTable {
  const fs = nodeBuiltin<typeof import("node:fs")>("node:fs");
  if (fs === null) throw new DataError(`cannot read CSV file "${path}": reading a path needs Node; in a browser pass the file's text to parseCsv(text)`);
  let text: string;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (e) {
    throw new DataError(`cannot read CSV file "${path}": ${(e as Error).message}`);
  }
  return parseCsv(text, options);
}

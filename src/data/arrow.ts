/**
 * Apache Arrow tables as data, read by their interface (no import of apache-arrow,
 * so the root entry stays free of it): a table with `schema.fields`, `numRows` and
 * `getChild(name)`, as apache-arrow's Table. Each column becomes a column of glmkit's
 * data: numeric types (Int*, Uint*, Float*, Decimal; 64-bit integers through Number)
 * as numbers, Utf8 and dictionary-encoded strings as factors, Bool as logical; a null
 * is a missing cell (R's NA). A numeric column without nulls is copied once into a
 * Float64Array (its buffer is shared when it is one already).
 *
 * Reference: Apache Arrow columnar format, https://arrow.apache.org/docs/format/Columnar.html
 * (type ids of the JavaScript implementation's `Type` enum).
 */
import { DataError } from "../errors.js";
import type { ArrowTableLike, Cell } from "./types.js";

export type { ArrowTableLike, ArrowVectorLike } from "./types.js";

/** apache-arrow's Type ids: Int 2, Float 3, Bool 6, Decimal 7, Utf8 5, LargeUtf8 20, Dictionary −1. */
const NUMERIC = new Set([2, 3, 7]);
const STRING = new Set([5, 20, -1]);
const BOOL = 6;

/** Whether `x` is an Arrow table (by its interface). */
export function isArrowTable(x: unknown): x is ArrowTableLike {
  if (x === null || typeof x !== "object") return false;
  const t = x as Partial<ArrowTableLike>;
  return typeof t.numRows === "number" && typeof t.getChild === "function" && Array.isArray(t.schema?.fields);
}

/** The columns of an Arrow table as glmkit's object of columns. */
export function arrowColumns(table: ArrowTableLike): Record<string, ArrayLike<Cell>> {
  const out: Record<string, ArrayLike<Cell>> = {};
  for (const field of table.schema.fields) {
    const v = table.getChild(field.name);
    if (v === null) continue;
    const id = field.type.typeId;
    const n = v.length;
    if (NUMERIC.has(id)) {
      if (v.nullCount === 0) {
        const a = v.toArray();
        out[field.name] = a instanceof Float64Array ? a : Float64Array.from(a as ArrayLike<number | bigint>, Number);
      } else {
        const a = new Array<Cell>(n);
        for (let i = 0; i < n; i++) { const c = v.get(i); a[i] = c === null || c === undefined ? null : Number(c); }
        out[field.name] = a;
      }
    } else if (STRING.has(id) || id === BOOL) {
      const a = new Array<Cell>(n);
      for (let i = 0; i < n; i++) { const c = v.get(i); a[i] = c === null || c === undefined ? null : id === BOOL ? Boolean(c) : String(c); }
      out[field.name] = a;
    } else {
      throw new DataError(`Arrow column "${field.name}" has type ${field.type.toString()}, which glmkit does not read (numbers, strings, dictionaries of strings and booleans)`, { column: field.name });
    }
  }
  return out;
}

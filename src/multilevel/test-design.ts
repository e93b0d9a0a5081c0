/**
 * A small constructor of the shared `MultilevelDesign` record from a data table and an explicit
 * spec (no formula parsing: src/multilevel/design.ts does that from lme4 formulas). It lets the
 * posterior be built and tested on its own. Conventions as lme4 / R:
 * - grouping levels sorted as R's factor() sorts them (numerically when every level is a number);
 * - a factor among the fixed columns gets treatment contrasts (first level dropped), columns named
 *   as R names them ("period2"); an interaction "a:b" is the product of two numeric columns;
 * - binomial `cbind(successes, failures)`: y = s/(s+f), weights = s + f (the trials).
 */
import { DataError } from "../errors.js";
import type { DataTable } from "../data/types.js";
import type { GroupTerm, MultilevelDesign } from "./types.js";

export interface TestGroupSpec {
  factor: string;
  /** "(Intercept)" or numeric columns of the data. */
  columns: readonly string[];
  correlated?: boolean;
}

export interface TestDesignSpec {
  response: string;
  /** With `failures`, the response is cbind(response, failures) (binomial with trials). */
  failures?: string;
  /** Population-level columns after the intercept: numeric columns, factors (treatment contrasts) or "a:b" products. */
  fixed: readonly string[];
  /** Fixed columns to treat as factors even when their values are numbers (cbpp's period). */
  factors?: readonly string[];
  intercept?: boolean;
  /** offset(log(column)) or offset(column). */
  offset?: { column: string; log?: boolean };
  groups: readonly TestGroupSpec[];
}

function stringsOf(data: DataTable, name: string): string[] {
  const c = data.column(name);
  if (c.kind === "numeric") return Array.from(c.values, (v) => String(v));
  if (c.kind === "factor") return c.values.map((v, i) => {
    if (v === null) throw new DataError(`column "${name}" has a missing value`, { column: name, row: i + 1 });
    return v;
  });
  return c.values.map((v) => String(v));
}

function numbersOf(data: DataTable, name: string): Float64Array {
  const c = data.column(name);
  if (c.kind === "numeric") return c.values;
  if (c.kind === "logical") return Float64Array.from(c.values, (v) => (v ? 1 : 0));
  const out = Float64Array.from(c.values, (v) => Number(v));
  const bad = out.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new DataError(`column "${name}" is not numeric (row ${bad + 1})`, { column: name, row: bad + 1 });
  return out;
}

/** R's factor() level order: numeric when every level is a number, else by code point. */
export function rLevels(values: readonly string[]): string[] {
  const u = [...new Set(values)];
  if (u.every((v) => v.trim() !== "" && Number.isFinite(Number(v)))) return u.sort((a, b) => Number(a) - Number(b));
  return u.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function isFactor(data: DataTable, name: string): boolean {
  return data.column(name).kind === "factor";
}

/** One grouping term of the shared record. */
export function groupTerm(factor: string, labels: readonly string[], columns: readonly string[], values: Float64Array, correlated: boolean): GroupTerm {
  const n = labels.length;
  const levels = rLevels(labels);
  const index = new Map(levels.map((l, j) => [l, j]));
  const group = Int32Array.from(labels, (l) => index.get(l)!);
  const J = levels.length;
  const groupStart = new Int32Array(J + 1);
  for (let i = 0; i < n; i++) groupStart[group[i]! + 1]++;
  for (let j = 0; j < J; j++) groupStart[j + 1] += groupStart[j]!;
  const fill = groupStart.slice(0, J);
  const rowsOfGroup = new Int32Array(n);
  for (let i = 0; i < n; i++) rowsOfGroup[fill[group[i]!]!++] = i;
  return { factor, levels, columns: [...columns], correlated, k: columns.length, group, values, groupStart, rowsOfGroup };
}

/**
 * The design of `spec` over `data`.
 * @example testDesign(readCsv("test/data/multilevel/sleepstudy.csv"), { response: "Reaction", fixed: ["Days"], groups: [{ factor: "Subject", columns: ["(Intercept)", "Days"] }] }).terms[0].levels.length // 18
 */
export function testDesign(data: DataTable, spec: TestDesignSpec): MultilevelDesign {
  const n = data.nrow;
  const cols: Float64Array[] = [];
  const names: string[] = [];
  if (spec.intercept ?? true) { cols.push(new Float64Array(n).fill(1)); names.push("(Intercept)"); }
  for (const f of spec.fixed) {
    if (f.includes(":")) {
      const [a, b] = f.split(":");
      const x = numbersOf(data, a!);
      const z = numbersOf(data, b!);
      cols.push(Float64Array.from(x, (v, i) => v * z[i]!));
      names.push(f);
    } else if (isFactor(data, f) || (spec.factors ?? []).includes(f)) {
      const s = stringsOf(data, f);
      const lv = rLevels(s);
      for (const l of lv.slice(1)) { cols.push(Float64Array.from(s, (v) => (v === l ? 1 : 0))); names.push(`${f}${l}`); }
    } else {
      cols.push(numbersOf(data, f));
      names.push(f);
    }
  }
  const p = cols.length;
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) X[i * p + j] = cols[j]![i]!;
  let y = numbersOf(data, spec.response);
  let weights = new Float64Array(n).fill(1);
  if (spec.failures !== undefined) {
    const s = y;
    const f = numbersOf(data, spec.failures);
    weights = Float64Array.from(s, (v, i) => v + f[i]!);
    y = Float64Array.from(s, (v, i) => (weights[i]! > 0 ? v / weights[i]! : 0));
  }
  const offset = new Float64Array(n);
  if (spec.offset) {
    const o = numbersOf(data, spec.offset.column);
    for (let i = 0; i < n; i++) offset[i] = spec.offset.log ? Math.log(o[i]!) : o[i]!;
  }
  const terms = spec.groups.map((g) => {
    const k = g.columns.length;
    const values = new Float64Array(n * k);
    g.columns.forEach((c, m) => {
      const v = c === "(Intercept)" ? null : numbersOf(data, c);
      for (let i = 0; i < n; i++) values[i * k + m] = v ? v[i]! : 1;
    });
    return groupTerm(g.factor, stringsOf(data, g.factor), g.columns, values, g.correlated ?? true);
  });
  return { n, X, p, columnNames: names, y: Float64Array.from(y), weights, offset, terms };
}

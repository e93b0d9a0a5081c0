/**
 * The design of a multilevel model, as lme4's `lFormula` / `mkReTrms` build it: the
 * population-level model frame of the formula without bars (glmkit's modelFrame: R's
 * model.frame + model.matrix), and one {@link GroupTerm} per expanded bar term with
 * its grouping factor (levels in R's order, unused levels dropped) and the columns of
 * `model.matrix(~ lhs)`. Rows with a missing value in any variable (population- or
 * group-level) are dropped first, as lme4's model frame does.
 *
 * Terms are ordered as mkReTrms orders them: by decreasing number of levels when the
 * counts are not already non-increasing (`rev(order(nl))`), else as written.
 */
import { DataError, FormulaError } from "../errors.js";
import { toDataTable } from "../data/table.js";
import type { Column, DataInput, DataTable } from "../data/types.js";
import { withColumnTypes, type ColumnTypes } from "../formula/column-types.js";
import { modelFrame, type ModelFrame, type ModelFrameOptions } from "../formula/model-frame.js";
import { formatRNumber } from "../formula/r-format.js";
import { parseFormula } from "../formula/parse.js";
import { termsOf } from "../formula/terms.js";
import { splitBars, type BarTerm, type SplitFormula } from "./bars.js";
import type { GroupTerm } from "./types.js";

/** The model frame of a multilevel formula. */
export interface MultilevelFrame {
  readonly split: SplitFormula;
  /** The population-level frame (X, response, weights, offset), over the rows kept. */
  readonly frame: ModelFrame;
  /** 0-based rows of the data used. */
  readonly rows: Int32Array;
  /** Rows dropped for a missing value. */
  readonly naDropped: number;
  /** The group-level terms in lme4's order. */
  readonly terms: readonly GroupTerm[];
}

function isMissing(c: Column, i: number): boolean {
  if (c.kind === "numeric") return c.values[i] !== c.values[i];
  return c.values[i] === null;
}

/** The rows `rows` of a table (columns copied lazily). */
export function subsetTable(table: DataTable, rows: Int32Array): DataTable {
  if (rows.length === table.nrow) return table;
  const cache = new Map<string, Column>();
  return {
    nrow: rows.length,
    names: table.names,
    warnings: table.warnings,
    column(name: string): Column {
      const hit = cache.get(name);
      if (hit) return hit;
      const c = table.column(name);
      let out: Column;
      if (c.kind === "numeric") {
        const values = new Float64Array(rows.length);
        const bad: number[] = [];
        for (let k = 0; k < rows.length; k++) {
          const v = c.values[rows[k]!]!;
          values[k] = v;
          if (v === Infinity || v === -Infinity) bad.push(k);
        }
        out = bad.length ? { name: c.name, kind: "numeric", values, nonFiniteRows: Int32Array.from(bad) } : { name: c.name, kind: "numeric", values };
      } else if (c.kind === "factor") {
        out = { name: c.name, kind: "factor", values: Array.from(rows, (r) => c.values[r]!), levels: c.levels, ordered: c.ordered };
      } else {
        out = { name: c.name, kind: "logical", values: Array.from(rows, (r) => c.values[r]!) };
      }
      cache.set(name, out);
      return out;
    },
  };
}

/** Level index per row and the level names of one column read as R's factor(): numbers sorted numerically, strings as declared. */
function factorCodes(c: Column): { codes: Int32Array; levels: string[] } {
  const n = c.values.length;
  const codes = new Int32Array(n);
  if (c.kind === "factor") {
    const index = new Map(c.levels.map((l, j) => [l, j]));
    for (let i = 0; i < n; i++) codes[i] = index.get(c.values[i] as string) ?? -1;
    return { codes, levels: [...c.levels] };
  }
  if (c.kind === "logical") {
    for (let i = 0; i < n; i++) codes[i] = c.values[i] ? 1 : 0;
    return { codes, levels: ["FALSE", "TRUE"] };
  }
  const distinct = Array.from(new Set(c.values)).sort((a, b) => a - b);
  const index = new Map(distinct.map((v, j) => [v, j]));
  for (let i = 0; i < n; i++) codes[i] = index.get(c.values[i]!)!;
  return { codes, levels: distinct.map((v) => formatRNumber(v)) };
}

/**
 * The grouping factor of variables v1:v2:…, levels ordered with v1 varying slowest
 * (R's `:` on factors), levels absent from the rows dropped (lme4's factor(ff)).
 */
export function groupingFactor(table: DataTable, variables: readonly string[]): { group: Int32Array; levels: string[] } {
  const n = table.nrow;
  const parts = variables.map((v) => {
    const c = table.column(v);
    if (c.kind === "numeric" && c.nonFiniteRows && c.nonFiniteRows.length > 0) {
      throw new DataError(`grouping factor "${v}" is ${c.values[c.nonFiniteRows[0]!]} at row ${c.nonFiniteRows[0]! + 1}`, { column: v, row: c.nonFiniteRows[0]! + 1 });
    }
    return factorCodes(c);
  });
  const combined = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let code = 0;
    for (const p of parts) code = code * p.levels.length + p.codes[i]!;
    combined[i] = code;
  }
  const present = Array.from(new Set(combined)).sort((a, b) => a - b);
  const index = new Map(present.map((c, j) => [c, j]));
  const group = new Int32Array(n);
  for (let i = 0; i < n; i++) group[i] = index.get(combined[i]!)!;
  const levels = present.map((code) => {
    const names: string[] = new Array(parts.length);
    let rest = code;
    for (let v = parts.length - 1; v >= 0; v--) {
      const m = parts[v]!.levels.length;
      names[v] = parts[v]!.levels[rest % m]!;
      rest = Math.floor(rest / m);
    }
    return names.join(":");
  });
  return { group, levels };
}

/** CSR over groups: the rows of each level. */
function rowsByGroup(group: Int32Array, nl: number): { groupStart: Int32Array; rowsOfGroup: Int32Array } {
  const groupStart = new Int32Array(nl + 1);
  for (let i = 0; i < group.length; i++) groupStart[group[i]! + 1]++;
  for (let j = 0; j < nl; j++) groupStart[j + 1] += groupStart[j]!;
  const fill = groupStart.slice(0, nl);
  const rowsOfGroup = new Int32Array(group.length);
  for (let i = 0; i < group.length; i++) rowsOfGroup[fill[group[i]!]!++] = i;
  return { groupStart, rowsOfGroup };
}

function groupTerm(bar: BarTerm, response: string, table: DataTable, n: number, opts: ModelFrameOptions): GroupTerm {
  // Only the contrasts of the left side's own factors (modelFrame rejects contrasts for variables it does not have).
  const vars = new Set(termsOf(parseFormula(`~ ${bar.lhs}`), table.names).variableNames);
  const contrasts = opts.contrasts ? Object.fromEntries(Object.entries(opts.contrasts).filter(([k]) => vars.has(k))) : undefined;
  const mm = modelFrame(`${response} ~ ${bar.lhs}`, table, { columns: opts.columns, contrasts });
  if (mm.n !== n) {
    throw new DataError(`the left side of (${bar.lhs} | ${bar.factor}) is missing or not finite at ${n - mm.n} row(s) the population-level terms keep`);
  }
  if (mm.p === 0) throw new FormulaError(`the group-level term (${bar.lhs} | ${bar.factor}) has no columns`);
  const { group, levels } = groupingFactor(table, bar.variables);
  if (levels.length < 2) {
    throw new DataError(`grouping factor "${bar.factor}" has a single level ("${levels[0]}"): grouping factors must have more than one sampled level (lme4 stops here too)`, { column: bar.variables[0] });
  }
  return {
    factor: bar.factor, levels, columns: [...mm.columnNames], correlated: bar.correlated, k: mm.p,
    group, values: mm.X, ...rowsByGroup(group, levels.length),
  };
}

/** mkReTrms's order: `rev(order(nl))` when some term has more levels than the one before it. */
export function lme4TermOrder(nl: readonly number[]): number[] {
  const idx = nl.map((_, i) => i);
  let increases = false;
  for (let i = 1; i < nl.length; i++) if (nl[i]! > nl[i - 1]!) increases = true;
  if (!increases) return idx;
  return idx.sort((a, b) => nl[a]! - nl[b]! || a - b).reverse();
}

/** Options: the model frame's (weights, offset, contrasts, column types). */
export interface MultilevelFrameOptions extends ModelFrameOptions {
  readonly columns?: ColumnTypes;
}

/**
 * The design of `formula` (with lme4 bar terms) over `data`.
 * @example multilevelFrame("Reaction ~ Days + (Days | Subject)", sleepstudy).terms[0].columns // ["(Intercept)", "Days"]
 */
export function multilevelFrame(formula: string, data: DataInput | DataTable, opts: MultilevelFrameOptions = {}): MultilevelFrame {
  const table0 = withColumnTypes(toDataTable(data), opts.columns);
  if (table0.nrow === 0) throw new DataError("the data has no rows");
  const split = splitBars(formula, table0.names);
  for (const v of split.variables) {
    if (!table0.names.includes(v)) throw new FormulaError(`the group-level terms of "${formula}" use "${v}", which is not a column of the data (columns: ${table0.names.join(", ")})`);
  }
  // Rows with a missing group-level variable go first; the population-level frame drops the rest.
  const cols = split.variables.map((v) => table0.column(v));
  const keep: number[] = [];
  for (let i = 0; i < table0.nrow; i++) if (!cols.some((c) => isMissing(c, i))) keep.push(i);
  if (keep.length === 0) throw new DataError(`no rows left: every row has a missing value in ${split.variables.map((v) => `"${v}"`).join(", ")}`);
  const first = Int32Array.from(keep);
  const table1 = subsetTable(table0, first);
  const frameOpts: ModelFrameOptions = { ...opts, columns: undefined };
  const frame = modelFrame(split.fixed, table1, {
    ...frameOpts,
    weights: subsetOption(opts.weights, first, table0.nrow, "weights"),
    offset: subsetOption(opts.offset, first, table0.nrow, "offset"),
  });
  const rows = Int32Array.from(frame.rows, (r) => first[r]!);
  const table = subsetTable(table1, frame.rows);
  const built = split.bars.map((b) => groupTerm(b, split.response, table, frame.n, { ...opts, columns: undefined }));
  const order = lme4TermOrder(built.map((t) => t.levels.length));
  return { split, frame, rows, naDropped: table0.nrow - rows.length, terms: order.map((j) => built[j]!) };
}

function subsetOption(o: string | ArrayLike<number> | undefined, rows: Int32Array, nrow: number, what: string): string | ArrayLike<number> | undefined {
  if (o === undefined || o === null || typeof o === "string") return o;
  if (o.length !== nrow) throw new DataError(`${what} has ${o.length} values for ${nrow} rows of data`);
  return Float64Array.from(rows, (r) => o[r]!);
}

/**
 * The design matrix X of R's `model.matrix` (src/library/stats/src/model.c,
 * modelmatrix): an intercept column, then for each term the products of its
 * variables' columns, the first variable varying fastest. A numeric variable
 * gives one column; a factor coded by contrasts gives treatment contrasts
 * (one indicator per level but the first), a factor coded by indicators one
 * indicator per level; a logical is a factor with levels FALSE, TRUE. Without
 * an intercept, the first factor of the first term that has one is coded by
 * indicators. Column names are variable name + level, joined by ":" within a term.
 */
import type { Terms } from "./terms.js";

/** A model-frame variable over the rows kept (no missing values left). */
export type FrameVariable =
  | { readonly kind: "numeric"; readonly name: string; readonly values: Float64Array }
  | { readonly kind: "factor"; readonly name: string; readonly codes: Int32Array; readonly levels: readonly string[]; readonly logical: boolean };

/** The shape of a variable, all that the column layout depends on. */
export type VariableShape =
  | { readonly kind: "numeric" }
  | { readonly kind: "factor"; readonly levels: readonly string[]; readonly logical: boolean };

/** One factor of a column's product: variable index and level index (-1 for a numeric variable). */
export interface ColumnPart { readonly variable: number; readonly level: number }

/** Which columns X has and how each is computed. */
export interface ColumnLayout {
  readonly columnNames: string[];
  /** R's attr(X, "assign"): 0 for the intercept, else the 1-based term index. */
  readonly assign: Int32Array;
  /** For each non-intercept column, the parts whose product it is. */
  readonly parts: ReadonlyArray<readonly ColumnPart[]>;
  readonly intercept: boolean;
  /** The factors coding actually used (after the no-intercept adjustment), `coding[t][v]`. */
  readonly coding: ReadonlyArray<readonly number[]>;
}

/**
 * R's column layout of model.matrix for `terms` given each variable's shape
 * (`shapes[v]`, the response's ignored).
 */
export function columnLayout(terms: Terms, shapes: readonly VariableShape[]): ColumnLayout {
  const coding = terms.factors.map((row) => row.slice());
  const nlevels = (v: number): number => {
    const s = shapes[v];
    return s.kind === "factor" ? (s.logical ? 2 : s.levels.length) : 0;
  };
  if (!terms.intercept) {
    const first = terms.response ? 1 : 0;
    outer: for (const row of coding) {
      for (let v = first; v < row.length; v++) {
        if (nlevels(v) > 1 && row[v] > 0) { row[v] = 2; break outer; }
      }
    }
  }
  const columnNames: string[] = [];
  const assign: number[] = [];
  const parts: ColumnPart[][] = [];
  if (terms.intercept) { columnNames.push("(Intercept)"); assign.push(0); }
  terms.terms.forEach((vars, t) => {
    // For each variable of the term: its column labels and level indices.
    const perVar = vars.map((v) => {
      const s = shapes[v];
      const name = terms.variableNames[v];
      if (s.kind === "numeric") return { v, labels: [name], levels: [-1] };
      const all = s.logical ? ["FALSE", "TRUE"] : s.levels;
      const start = coding[t][v] === 1 ? 1 : 0;
      const levels: number[] = [];
      for (let k = start; k < all.length; k++) levels.push(k);
      return { v, labels: levels.map((k) => name + all[k]), levels };
    });
    const count = perVar.reduce((a, p) => a * p.labels.length, 1);
    for (let idx = 0; idx < count; idx++) {
      let rest = idx;
      const names: string[] = [];
      const ps: ColumnPart[] = [];
      for (const p of perVar) {
        const k = rest % p.labels.length;
        rest = Math.floor(rest / p.labels.length);
        names.push(p.labels[k]);
        ps.push({ variable: p.v, level: p.levels[k] });
      }
      columnNames.push(names.join(":"));
      assign.push(t + 1);
      parts.push(ps);
    }
  });
  return { columnNames, assign: Int32Array.from(assign), parts, intercept: terms.intercept, coding };
}

const BLOCK = 1024;

/**
 * Fills the n × p row-major design matrix for `layout` from the frame variables
 * (indexed as the terms' variables), in row blocks so that writes stay in cache.
 */
export function fillDesign(layout: ColumnLayout, variables: ReadonlyArray<FrameVariable | null>, n: number): Float64Array {
  const p = layout.columnNames.length;
  const X = new Float64Array(n * p);
  const off = layout.intercept ? 1 : 0;
  const ncol = layout.parts.length;
  // Per column: a numeric source (single numeric part), or a factor source and level, or a general product.
  const numeric: Array<Float64Array | null> = new Array(ncol).fill(null);
  const codes: Array<Int32Array | null> = new Array(ncol).fill(null);
  const level = new Int32Array(ncol);
  const general: Array<Array<{ values: Float64Array | null; codes: Int32Array | null; level: number }> | null> = new Array(ncol).fill(null);
  for (let c = 0; c < ncol; c++) {
    const ps = layout.parts[c];
    const sources = ps.map((part) => {
      const v = variables[part.variable] as FrameVariable;
      return v.kind === "numeric" ? { values: v.values, codes: null, level: -1 } : { values: null, codes: v.codes, level: part.level };
    });
    if (sources.length === 1) {
      numeric[c] = sources[0].values;
      codes[c] = sources[0].codes;
      level[c] = sources[0].level;
    } else general[c] = sources;
  }
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    if (off) for (let i = i0; i < i1; i++) X[i * p] = 1;
    for (let c = 0; c < ncol; c++) {
      const col = c + off;
      const xs = numeric[c];
      if (xs) {
        for (let i = i0, k = i0 * p + col; i < i1; i++, k += p) X[k] = xs[i];
        continue;
      }
      const cs = codes[c];
      if (cs) {
        const lv = level[c];
        for (let i = i0, k = i0 * p + col; i < i1; i++, k += p) X[k] = cs[i] === lv ? 1 : 0;
        continue;
      }
      const srcs = general[c] as Array<{ values: Float64Array | null; codes: Int32Array | null; level: number }>;
      for (let i = i0; i < i1; i++) {
        let prod = 1;
        for (let m = 0; m < srcs.length; m++) {
          const s = srcs[m];
          if (s.values) prod *= s.values[i];
          else if ((s.codes as Int32Array)[i] !== s.level) { prod = 0; break; }
        }
        X[i * p + col] = prod;
      }
    }
  }
  return X;
}

/**
 * The design matrix X of R's `model.matrix` (src/library/stats/src/model.c,
 * modelmatrix): an intercept column, then for each term the products of its
 * variables' columns, the first variable varying fastest.
 *
 * - A numeric variable gives one column; a numeric matrix (poly, ns, bs, scale)
 *   one per column, named variable + colname (1, 2, … without colnames), or just
 *   the variable's name when it has a single column.
 * - A factor coded by contrasts (code 1 of terms' factors) gives the columns of
 *   its contrast matrix C: row i of X holds C[level(i), ·], named variable +
 *   colnames(C) (treatment, SAS, poly: level names or .L .Q …) or + 1, 2, …
 *   (sum, helmert). A factor coded by indicators (code 2) gives one indicator per
 *   level, named variable + level. A logical is a factor with levels FALSE, TRUE.
 * - Without an intercept, the first factor of the first term that has one is
 *   coded by indicators, so that the columns span the same space as with one.
 * (Chambers & Hastie 1992, Statistical Models in S, §2.4.1, for the rule that
 * decides code 1 or 2; R's ?model.matrix and ?contrasts.)
 */
import type { ContrastMatrix } from "./contrasts.js";
import type { Terms } from "./terms.js";

/** A model-frame variable over the rows kept (no missing values left). */
export type FrameVariable =
  | { readonly kind: "numeric"; readonly name: string; readonly values: Float64Array }
  | { readonly kind: "matrix"; readonly name: string; readonly columns: readonly Float64Array[]; readonly columnNames: readonly string[] | null }
  | { readonly kind: "factor"; readonly name: string; readonly codes: Int32Array; readonly levels: readonly string[]; readonly logical: boolean; readonly ordered?: boolean };

/** The shape of a variable, all that the column layout depends on. */
export type VariableShape =
  | { readonly kind: "numeric" }
  | { readonly kind: "matrix"; readonly ncol: number; readonly columnNames: readonly string[] | null }
  | { readonly kind: "factor"; readonly levels: readonly string[]; readonly logical: boolean; readonly ordered?: boolean };

/**
 * One factor of a column's product: a numeric value (`column` of a matrix, 0
 * for a vector), the indicator of a level, or a contrast column (the weight of
 * each level).
 */
export type ColumnPart =
  | { readonly variable: number; readonly kind: "value"; readonly column: number }
  | { readonly variable: number; readonly kind: "level"; readonly level: number }
  | { readonly variable: number; readonly kind: "contrast"; readonly weights: Float64Array };

/** Which columns X has and how each is computed. */
export interface ColumnLayout {
  readonly columnNames: string[];
  /** R's attr(X, "assign"): 0 for the intercept, else the 1-based term index. */
  readonly assign: Int32Array;
  /** For each non-intercept column, the parts whose product it is. */
  readonly parts: ReadonlyArray<readonly ColumnPart[]>;
  readonly intercept: boolean;
  /** The factors code actually used (after the no-intercept adjustment), `coding[t][k]` for variable `terms.terms[t][k]`. */
  readonly coding: ReadonlyArray<readonly number[]>;
  /** The contrast matrix used for each variable coded by contrasts somewhere. */
  readonly contrasts: ReadonlyMap<number, ContrastMatrix>;
}

/** The variable's level names (a logical's are FALSE, TRUE). */
function levelsOf(s: VariableShape & { kind: "factor" }): readonly string[] {
  return s.logical ? ["FALSE", "TRUE"] : s.levels;
}

/** The codes after R's no-intercept rule: the first factor (≥ 2 levels) of the first term that has one is coded by indicators. */
function adjustedCoding(terms: Terms, shapes: readonly VariableShape[]): number[][] {
  const coding = terms.codes.map((row) => row.slice());
  if (terms.intercept) return coding;
  for (let t = 0; t < coding.length; t++) {
    const vars = terms.terms[t];
    // Variables in a term are in variable order, as R scans the factors matrix.
    for (let k = 0; k < vars.length; k++) {
      const s = shapes[vars[k]];
      if (s.kind === "factor" && levelsOf(s).length > 1 && coding[t][k] > 0) { coding[t][k] = 2; return coding; }
    }
  }
  return coding;
}

/** A contrast column as a level indicator when it is one (treatment, SAS): the fast path of fillDesign. */
function contrastPart(variable: number, C: ContrastMatrix, j: number): ColumnPart {
  const weights = new Float64Array(C.nrow);
  let ones = 0, one = -1, zeros = 0;
  for (let i = 0; i < C.nrow; i++) {
    weights[i] = C.values[i * C.ncol + j];
    if (weights[i] === 1) { ones++; one = i; } else if (weights[i] === 0) zeros++;
  }
  return ones === 1 && zeros === C.nrow - 1 ? { variable, kind: "level", level: one } : { variable, kind: "contrast", weights };
}

/** The labels and parts of one variable within a term. */
function variableColumns(v: number, name: string, s: VariableShape, code: number, contrastOf: (v: number) => ContrastMatrix): { labels: string[]; parts: ColumnPart[] } {
  if (s.kind === "numeric") return { labels: [name], parts: [{ variable: v, kind: "value", column: 0 }] };
  if (s.kind === "matrix") {
    const labels = s.ncol === 1 ? [name] : Array.from({ length: s.ncol }, (_, j) => name + (s.columnNames ? s.columnNames[j] : String(j + 1)));
    return { labels, parts: labels.map((_, j) => ({ variable: v, kind: "value", column: j })) };
  }
  const levels = levelsOf(s);
  if (code === 2) return { labels: levels.map((l) => name + l), parts: levels.map((_, k) => ({ variable: v, kind: "level", level: k })) };
  const C = contrastOf(v);
  const labels = Array.from({ length: C.ncol }, (_, j) => name + (C.columnNames ? C.columnNames[j] : String(j + 1)));
  return { labels, parts: labels.map((_, j) => contrastPart(v, C, j)) };
}

/**
 * R's column layout of model.matrix for `terms` given each variable's shape
 * (`shapes[v]`, the response's ignored). `contrastOf(v)` gives the contrast
 * matrix of factor v; it is asked only for factors coded by contrasts.
 */
export function columnLayout(terms: Terms, shapes: readonly VariableShape[], contrastOf: (v: number) => ContrastMatrix): ColumnLayout {
  const coding = adjustedCoding(terms, shapes);
  const contrasts = new Map<number, ContrastMatrix>();
  const memo = (v: number): ContrastMatrix => {
    let C = contrasts.get(v);
    if (!C) { C = contrastOf(v); contrasts.set(v, C); }
    return C;
  };
  const columnNames: string[] = [];
  const assign: number[] = [];
  const parts: ColumnPart[][] = [];
  if (terms.intercept) { columnNames.push("(Intercept)"); assign.push(0); }
  terms.terms.forEach((vars, t) => {
    const perVar = vars.map((v, k) => variableColumns(v, terms.variableNames[v], shapes[v], coding[t][k], memo));
    const count = perVar.reduce((a, p) => a * p.labels.length, 1);
    for (let idx = 0; idx < count; idx++) {
      let rest = idx;
      const names: string[] = [];
      const ps: ColumnPart[] = [];
      for (const p of perVar) {
        const k = rest % p.labels.length;
        rest = Math.floor(rest / p.labels.length);
        names.push(p.labels[k]);
        ps.push(p.parts[k]);
      }
      columnNames.push(names.join(":"));
      assign.push(t + 1);
      parts.push(ps);
    }
  });
  return { columnNames, assign: Int32Array.from(assign), parts, intercept: terms.intercept, coding, contrasts };
}

const BLOCK = 1024;

/** Where a part's values come from: a numeric array, a level indicator, or per-level weights. */
interface Source { readonly values: Float64Array | null; readonly codes: Int32Array | null; readonly level: number; readonly weights: Float64Array | null }

function sourceOf(part: ColumnPart, variables: ReadonlyArray<FrameVariable | null>): Source {
  const v = variables[part.variable] as FrameVariable;
  if (part.kind === "value") {
    const values = v.kind === "numeric" ? v.values : (v as FrameVariable & { kind: "matrix" }).columns[part.column];
    return { values, codes: null, level: -1, weights: null };
  }
  const codes = (v as FrameVariable & { kind: "factor" }).codes;
  return part.kind === "level" ? { values: null, codes, level: part.level, weights: null } : { values: null, codes, level: -1, weights: part.weights };
}

/** Column c of rows [i0, i1): one source copied, or the product of several. */
function fillColumn(X: Float64Array, p: number, col: number, srcs: readonly Source[], i0: number, i1: number): void {
  if (srcs.length === 1) {
    const s = srcs[0];
    if (s.values) { const xs = s.values; for (let i = i0, k = i0 * p + col; i < i1; i++, k += p) X[k] = xs[i]; return; }
    const cs = s.codes as Int32Array;
    if (s.weights) { const w = s.weights; for (let i = i0, k = i0 * p + col; i < i1; i++, k += p) X[k] = w[cs[i]]; return; }
    const lv = s.level;
    for (let i = i0, k = i0 * p + col; i < i1; i++, k += p) X[k] = cs[i] === lv ? 1 : 0;
    return;
  }
  for (let i = i0; i < i1; i++) {
    let prod = 1;
    for (let m = 0; m < srcs.length; m++) {
      const s = srcs[m];
      if (s.values) prod *= s.values[i];
      else if (s.weights) prod *= s.weights[(s.codes as Int32Array)[i]];
      else if ((s.codes as Int32Array)[i] !== s.level) { prod = 0; break; }
    }
    X[i * p + col] = prod;
  }
}

/**
 * Fills the n × p row-major design matrix for `layout` from the frame variables
 * (indexed as the terms' variables), in row blocks so that writes stay in cache;
 * `storage` gives the zero-filled array to fill (a model's design: a design buffer).
 */
export function fillDesign(
  layout: ColumnLayout, variables: ReadonlyArray<FrameVariable | null>, n: number,
  storage: (n: number, p: number) => Float64Array = (n, p) => new Float64Array(n * p),
): Float64Array {
  const p = layout.columnNames.length;
  const X = storage(n, p);
  const off = layout.intercept ? 1 : 0;
  const sources = layout.parts.map((ps) => ps.map((part) => sourceOf(part, variables)));
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    if (off) for (let i = i0; i < i1; i++) X[i * p] = 1;
    for (let c = 0; c < sources.length; c++) fillColumn(X, p, c + off, sources[c], i0, i1);
  }
  return X;
}

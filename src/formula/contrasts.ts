/**
 * Contrast matrices as R's `stats` builds them (`contr.treatment`, `contr.sum`,
 * `contr.helmert`, `contr.poly`, `contr.SAS`) and R's `contrasts<-` rule for
 * attaching one to a factor. A factor with k levels coded by contrasts enters
 * the model matrix through the k × m matrix C: the row of a level is copied into
 * the factor's m columns, so X = [1, C[g(i), ·]] spans the same space as the
 * k indicators whenever [1, C] has full rank k (Chambers & Hastie 1992,
 * Statistical Models in S, §2.3.2; R's ?contrasts).
 *
 * Column names follow R's model.matrix: the variable name followed by the
 * contrast matrix's column name, or by 1, 2, … when it has none (contr.sum,
 * contr.helmert, a bare matrix).
 */
import { ArgumentError, DataError } from "../errors.js";
import { dqrdc2, qrQy } from "./linpack.js";

/** A k × m contrast matrix, rows in level order. */
export interface ContrastMatrix {
  readonly nrow: number;
  readonly ncol: number;
  /** Row-major: `values[level * ncol + j]`. */
  readonly values: Float64Array;
  /** R's colnames; null when R has none (columns are then named 1..m). */
  readonly columnNames: readonly string[] | null;
}

/**
 * R's `attr(x, "contrasts")`: a contrast function's name, applied to the levels
 * left after unused ones are dropped, or a matrix already fixed.
 */
export type ContrastAttr =
  | { readonly kind: "name"; readonly name: ContrastName; readonly args?: ContrastArgs }
  | { readonly kind: "matrix"; readonly matrix: ContrastMatrix };

/** The contrast functions of R's stats package. */
export type ContrastName = "contr.treatment" | "contr.sum" | "contr.helmert" | "contr.poly" | "contr.SAS";
export const CONTRAST_NAMES: readonly ContrastName[] = ["contr.treatment", "contr.sum", "contr.helmert", "contr.poly", "contr.SAS"];

/** R's C()'s short names: `C(x, sum)` is `C(x, "contr.sum")`. */
const SHORT: Record<string, ContrastName> = {
  treatment: "contr.treatment", sum: "contr.sum", helmert: "contr.helmert", poly: "contr.poly", SAS: "contr.SAS",
};

/** The full contrast name of `s` ("sum" or "contr.sum"), or null when it is none. */
export function contrastName(s: string): ContrastName | null {
  if ((CONTRAST_NAMES as readonly string[]).includes(s)) return s as ContrastName;
  return SHORT[s] ?? null;
}

/** Extra arguments of a contrast function: `base` (treatment), `scores` (poly). */
export interface ContrastArgs {
  readonly base?: number;
  readonly scores?: readonly number[];
}

function matrixOf(nrow: number, ncol: number, fill: (i: number, j: number) => number, columnNames: readonly string[] | null): ContrastMatrix {
  const values = new Float64Array(nrow * ncol);
  for (let i = 0; i < nrow; i++) for (let j = 0; j < ncol; j++) values[i * ncol + j] = fill(i, j);
  return { nrow, ncol, values, columnNames };
}

/** R's `contr.treatment(n, base)`: the indicators of every level but `base` (1-based); colnames the other levels. */
function treatment(levels: readonly string[], base: number): ContrastMatrix {
  const k = levels.length;
  if (!Number.isInteger(base) || base < 1 || base > k) throw new ArgumentError(`contr.treatment: base = ${base} is out of range 1..${k} (baseline group number out of range)`);
  const keep = levels.map((_, i) => i).filter((i) => i !== base - 1);
  return matrixOf(k, k - 1, (i, j) => (i === keep[j] ? 1 : 0), keep.map((i) => levels[i]));
}

/**
 * The orthonormal polynomial basis of R's `make.poly` inside `contr.poly`:
 * y = s − mean(s); X = [y⁰ … y^(n−1)]; QR = qr(X); Z = Q·diag(R) with each column
 * scaled to unit length. Column 1 is constant; columns 2… are the linear,
 * quadratic, … contrasts. Returns Z (n × (degree + 1), column-major), the rank, y and the mean.
 */
export function orthogonalPolynomials(scores: readonly number[], degree: number): { readonly Z: Float64Array; readonly rank: number; readonly centred: Float64Array; readonly mean: number } {
  const n = scores.length, p = degree + 1;
  let mean = 0;
  for (const s of scores) mean += s;
  mean /= n;
  let t = 0;
  for (const s of scores) t += s - mean;
  mean += t / n; // two passes, as R's mean()
  const y = Float64Array.from(scores, (s) => s - mean);
  const X = new Float64Array(n * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) X[i + j * n] = j === 0 ? 1 : j === 1 ? y[i] : j === 2 ? y[i] * y[i] : Math.pow(y[i], j);
  const qr = dqrdc2(X, n, p);
  const diag = new Float64Array(n * p);
  for (let j = 0; j < Math.min(n, p); j++) diag[j + j * n] = qr.qr[j + j * n];
  return { Z: qrQy(qr, diag, p), rank: qr.rank, centred: y, mean };
}

/** R's `contr.poly(n, scores)`: orthonormal polynomial contrasts, named .L, .Q, .C, ^4, … */
function poly(levels: readonly string[], scores?: readonly number[]): ContrastMatrix {
  const n = levels.length;
  if (n > 95) throw new ArgumentError(`contr.poly: orthogonal polynomials cannot be represented accurately enough for ${n - 1} degrees of freedom`);
  const s = scores ?? levels.map((_, i) => i + 1);
  if (s.length !== n) throw new ArgumentError(`contr.poly: 'scores' has ${s.length} values for ${n} levels`);
  if (new Set(s).size !== n) throw new ArgumentError("contr.poly: 'scores' must all be different numbers");
  const { Z } = orthogonalPolynomials(s, n - 1);
  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += Z[i + j * n] * Z[i + j * n];
    norms[j] = Math.sqrt(ss);
  }
  const names = Array.from({ length: n - 1 }, (_, j) => (j < 3 ? [".L", ".Q", ".C"][j] : `^${j + 1}`));
  return matrixOf(n, n - 1, (i, j) => Z[i + (j + 1) * n] / norms[j + 1], names);
}

/**
 * The contrast matrix R's `name(levels)` returns, e.g. `contr.sum(c("p", "q", "r"))`.
 * With `levels` a number n, R's `name(n)` (levels "1".."n", as C(x, contr.treatment) uses).
 * @example contrastMatrix("contr.sum", ["a", "b", "c"]).values // [1, 0, 0, 1, -1, -1]
 */
export function contrastMatrix(name: ContrastName, levels: readonly string[] | number, args: ContrastArgs = {}): ContrastMatrix {
  const levs = typeof levels === "number" ? Array.from({ length: levels }, (_, i) => String(i + 1)) : levels;
  const k = levs.length;
  if (k < 2) throw new ArgumentError(`${name}: contrasts not defined for ${k - 1} degrees of freedom`);
  switch (name) {
    case "contr.treatment": return treatment(levs, args.base ?? 1);
    case "contr.SAS": return treatment(levs, k);
    case "contr.sum": return matrixOf(k, k - 1, (i, j) => (i === k - 1 ? -1 : i === j ? 1 : 0), null);
    case "contr.helmert": return matrixOf(k, k - 1, (i, j) => (i <= j ? -1 : i === j + 1 ? j + 1 : 0), null);
    case "contr.poly": return poly(levs, args.scores);
  }
}

/**
 * R's `contrasts(x, how.many) <- value` for a numeric matrix: keeps its first
 * `howMany` columns (default k − 1) or, when it has fewer, completes it with
 * the columns of Q from `qr(cbind(1, value))` (R's rule; unnamed completions).
 * Throws for a wrong number of rows or a singular matrix, naming `label`.
 */
export function attachContrastMatrix(value: ContrastMatrix, nlevels: number, label: string, howMany?: number): ContrastMatrix {
  if (value.nrow !== nlevels) throw new ArgumentError(`contrasts for ${label}: the matrix has ${value.nrow} rows but ${label} has ${nlevels} levels (wrong number of contrast matrix rows)`);
  const n1 = howMany ?? nlevels - 1;
  const nc = value.ncol;
  if (nc >= n1) {
    return matrixOf(nlevels, n1, (i, j) => value.values[i * nc + j], value.columnNames ? value.columnNames.slice(0, n1) : null);
  }
  const X = new Float64Array(nlevels * (nc + 1));
  for (let i = 0; i < nlevels; i++) {
    X[i] = 1;
    for (let j = 0; j < nc; j++) X[i + (j + 1) * nlevels] = value.values[i * nc + j];
  }
  const qr = dqrdc2(X, nlevels, nc + 1);
  if (qr.rank !== nc + 1) throw new ArgumentError(`contrasts for ${label}: singular contrast matrix`);
  const eye = new Float64Array(nlevels * nlevels);
  for (let i = 0; i < nlevels; i++) eye[i + i * nlevels] = 1;
  const Q = qrQy(qr, eye, nlevels);
  const names = value.columnNames ? [...value.columnNames, ...new Array<string>(n1 - nc).fill("")] : null;
  return matrixOf(nlevels, n1, (i, j) => (j < nc ? value.values[i * nc + j] : Q[i + (j + 1) * nlevels]), names);
}

/** The contrast matrix an attribute gives for these levels (R's `contrasts(x)`). */
export function resolveContrast(attr: ContrastAttr, levels: readonly string[], label: string): ContrastMatrix {
  if (attr.kind === "name") return contrastMatrix(attr.name, levels, attr.args);
  if (attr.matrix.nrow !== levels.length) {
    throw new DataError(`contrasts for ${label}: the contrast matrix has ${attr.matrix.nrow} rows but ${label} has ${levels.length} levels`, { column: label });
  }
  return attr.matrix;
}

/**
 * A user's contrast choice: a function name ("contr.sum" or "sum"); a function
 * with arguments, `{ type: "contr.treatment", base: 2 }` (R's
 * `contr.treatment(levels(x), base = 2)`) or `{ type: "poly", scores: [...] }`;
 * or a k × m matrix as rows (optionally with column names).
 */
export type ContrastSpec =
  | string
  | { readonly type: string; readonly base?: number; readonly scores?: readonly number[] }
  | ReadonlyArray<ReadonlyArray<number>>
  | { readonly matrix: ReadonlyArray<ReadonlyArray<number>>; readonly columnNames?: readonly string[] };

/**
 * A user's contrast choice as R's `contrasts.arg` of model.matrix takes it: a
 * name stays a name; a matrix is attached with how.many = its column count.
 */
export function contrastAttrOf(spec: ContrastSpec, label: string): ContrastAttr {
  if (typeof spec === "string") {
    const name = contrastName(spec);
    if (!name) throw new ArgumentError(`contrasts for ${label}: unknown contrast "${spec}" (use ${CONTRAST_NAMES.join(", ")}, or a matrix)`);
    return { kind: "name", name };
  }
  if (spec !== null && typeof spec === "object" && !Array.isArray(spec) && "type" in spec) {
    const name = contrastName(String(spec.type));
    if (!name) throw new ArgumentError(`contrasts for ${label}: unknown contrast "${String(spec.type)}" (use ${CONTRAST_NAMES.join(", ")}, or a matrix)`);
    if (spec.base !== undefined && name !== "contr.treatment") throw new ArgumentError(`contrasts for ${label}: base applies only to contr.treatment`);
    if (spec.scores !== undefined && name !== "contr.poly") throw new ArgumentError(`contrasts for ${label}: scores apply only to contr.poly`);
    return { kind: "name", name, args: { base: spec.base, scores: spec.scores } };
  }
  if (spec === null || typeof spec !== "object") throw new ArgumentError(`contrasts for ${label}: expected a contrast name, { type, base | scores } or a matrix`);
  const rows = Array.isArray(spec) ? (spec as ReadonlyArray<ReadonlyArray<number>>) : (spec as { matrix: ReadonlyArray<ReadonlyArray<number>> }).matrix;
  const names = Array.isArray(spec) ? null : ((spec as { columnNames?: readonly string[] }).columnNames ?? null);
  if (!Array.isArray(rows) || rows.length === 0 || !rows.every((r) => Array.isArray(r) && r.length === rows[0].length && r.length > 0)) {
    throw new ArgumentError(`contrasts for ${label}: a contrast matrix must be a non-empty array of equally long rows of numbers`);
  }
  const ncol = rows[0].length;
  if (names && names.length !== ncol) throw new ArgumentError(`contrasts for ${label}: ${names.length} column names for ${ncol} columns`);
  const m = matrixOf(rows.length, ncol, (i, j) => rows[i][j], names);
  if (m.values.some((v) => !Number.isFinite(v))) throw new ArgumentError(`contrasts for ${label}: the contrast matrix must hold finite numbers`);
  return { kind: "matrix", matrix: m };
}

/**
 * R's `poly()` and `scale()` over one numeric variable, with the state that
 * prediction reuses.
 *
 * Orthogonal polynomials (R's stats::poly, Kennedy & Gentle 1980, §8.7): with
 * x̄ = mean(x), the columns of Z = Q·diag(R) from the QR of [1, x−x̄, …, (x−x̄)^d]
 * are the residuals of each power on the lower ones; then
 *   norm2_j = Σᵢ Z_ij²,  α_j = Σᵢ xᵢ Z_ij² / norm2_j  (x uncentred, j = 0..d−1),
 * and the basis is Z_j / √norm2_j, j = 1..d. For new x, the three-term recurrence
 *   P_0 = 1, P_1 = x − α_0, P_{j+1} = (x − α_j) P_j − (norm2_{j+1}/norm2_j) P_{j−1}
 * rebuilds the same columns (R's `predict` via makepredictcall.poly). `raw = TRUE`
 * gives the plain powers x, x², …, x^d.
 *
 * `scale(x, center, scale)`: (x − c)/s with c the mean and s the standard
 * deviation √(Σ(x−c)²/(n−1)) of the non-missing values unless given (s is the
 * root mean square √(Σx²/(n−1)) when center = FALSE). R 4.2 has no
 * makepredictcall method for scale(), so its `predict()` would centre and scale
 * new data by the new data's own statistics; glmkit keeps the training c and s
 * ("safe prediction", as for poly, ns and bs).
 */
import { DataError } from "../errors.js";
import { orthogonalPolynomials } from "./contrasts.js";

/** The coefficients of an orthogonal polynomial basis (R's `attr(poly(x, d), "coefs")`). */
export interface PolyState {
  readonly alpha: readonly number[];
  /** norm2[0] = 1, norm2[1] = n, norm2[j+1] = ‖P_j‖² (R's layout). */
  readonly norm2: readonly number[];
}

/** Columns of a transform's result (column-major n × ncol). */
export interface Columns {
  readonly n: number;
  readonly ncol: number;
  readonly values: Float64Array;
}

/**
 * R's `poly(x, degree)` on training data. Missing values are an error, as in R.
 * @example polyFit([1, 2, 3, 4], 1, "poly(x, 1)").columns.values // [-0.6708…, -0.2236…, 0.2236…, 0.6708…]
 */
export function polyFit(x: ArrayLike<number>, degree: number, label: string): { columns: Columns; state: PolyState } {
  const n = x.length;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(x[i])) throw new DataError(`formula term "${label}": missing values are not allowed in poly() (row ${i + 1})`, { row: i + 1 });
  }
  const distinct = new Set(Array.from(x)).size;
  if (degree >= distinct) throw new DataError(`formula term "${label}": 'degree' (${degree}) must be less than the number of unique points (${distinct})`);
  const xs = Array.from(x);
  const { Z, rank, centred, mean: xbar } = orthogonalPolynomials(xs, degree);
  if (rank < degree) throw new DataError(`formula term "${label}": 'degree' must be less than number of unique points`);
  const p = degree + 1;
  const norm2 = new Array<number>(p + 1);
  const alpha = new Array<number>(degree);
  norm2[0] = 1;
  for (let j = 0; j < p; j++) {
    let s2 = 0, sx = 0;
    for (let i = 0; i < n; i++) { const z2 = Z[i + j * n] * Z[i + j * n]; s2 += z2; sx += centred[i] * z2; }
    norm2[j + 1] = s2;
    if (j < degree) alpha[j] = sx / s2 + xbar;
  }
  const values = new Float64Array(n * degree);
  for (let j = 1; j < p; j++) {
    const s = Math.sqrt(norm2[j + 1]);
    for (let i = 0; i < n; i++) values[i + (j - 1) * n] = Z[i + j * n] / s;
  }
  return { columns: { n, ncol: degree, values }, state: { alpha, norm2 } };
}

/** R's `poly(x, degree, coefs = state)`: the training basis at new x (NaN stays NaN). */
export function polyPredict(x: ArrayLike<number>, degree: number, state: PolyState): Columns {
  const n = x.length;
  const { alpha, norm2 } = state;
  const Z = new Float64Array(n * (degree + 1));
  for (let i = 0; i < n; i++) { Z[i] = 1; Z[i + n] = x[i] - alpha[0]; }
  for (let j = 2; j <= degree; j++) {
    const r = norm2[j] / norm2[j - 1];
    for (let i = 0; i < n; i++) Z[i + j * n] = (x[i] - alpha[j - 1]) * Z[i + (j - 1) * n] - r * Z[i + (j - 2) * n];
  }
  const values = new Float64Array(n * degree);
  for (let j = 1; j <= degree; j++) {
    const s = Math.sqrt(norm2[j + 1]);
    for (let i = 0; i < n; i++) values[i + (j - 1) * n] = Z[i + j * n] / s;
  }
  return { n, ncol: degree, values };
}

/** R's `poly(x, degree, raw = TRUE)`: x, x², …, x^degree. */
export function polyRaw(x: ArrayLike<number>, degree: number): Columns {
  const n = x.length;
  const values = new Float64Array(n * degree);
  for (let j = 1; j <= degree; j++) {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      values[i + (j - 1) * n] = j === 1 ? v : j === 2 ? v * v : Math.pow(v, j);
    }
  }
  return { n, ncol: degree, values };
}

/** The centre and scale of `scale()` (R's "scaled:center" and "scaled:scale"; null when not applied). */
export interface ScaleState {
  readonly center: number | null;
  readonly scale: number | null;
}

/** `center`/`scale` as written: TRUE (estimate), FALSE (skip) or a number. */
export type ScaleArg = boolean | number;

/** R's `scale(x, center, scale)` statistics over the non-missing values of x. */
export function scaleFit(x: ArrayLike<number>, center: ScaleArg, scale: ScaleArg): ScaleState {
  const vals: number[] = [];
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) vals.push(x[i]);
  let c: number | null = null;
  if (center === true) {
    let s = 0;
    for (const v of vals) s += v;
    c = vals.length ? s / vals.length : NaN;
  } else if (typeof center === "number") c = center;
  let s: number | null = null;
  if (scale === true) {
    let ss = 0;
    for (const v of vals) { const d = c === null ? v : v - c; ss += d * d; }
    s = Math.sqrt(ss / Math.max(1, vals.length - 1));
  } else if (typeof scale === "number") s = scale;
  return { center: c, scale: s };
}

/** (x − center)/scale with the stored statistics. */
export function scaleApply(x: ArrayLike<number>, state: ScaleState): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    let v = x[i];
    if (state.center !== null) v -= state.center;
    if (state.scale !== null) v /= state.scale;
    out[i] = v;
  }
  return out;
}

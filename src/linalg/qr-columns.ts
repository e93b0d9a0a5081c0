/**
 * Which columns of a design R's `qr(X)` keeps: the rank and pivot of LINPACK's
 * limited-pivoting Householder QR (dqrdc2) with R's default tolerance 1e-7, as
 * brglm2 and detectseparation check aliasing before they fit.
 *
 * Reference: [1] R, src/appl/dqrdc2.f; src/library/base/R/qr.R (tol = 1e-07).
 */
import { qrLimitedPivot } from "./householder-qr.js";

/** R's default `qr(x, tol = 1e-07)`. */
export const R_QR_TOLERANCE = 1e-7;

/** The columns a QR keeps: `kept` in column order, `aliased[j]` = 1 for a dropped column. */
export interface KeptColumns {
  kept: Int32Array;
  aliased: Uint8Array;
}

/**
 * Kept and aliased columns of the n×p row-major `X` restricted to `rows` (indices
 * of the rows, or a count n for rows 0 … n − 1), by R's limited-pivoting QR.
 * @example qrKeptColumns(Float64Array.of(1, 2, 1, 2), 2, 2).kept // Int32Array [0] (column 2 = 2 × column 1)
 */
export function qrKeptColumns(X: ArrayLike<number>, p: number, rows: number | readonly number[], tol = R_QR_TOLERANCE): KeptColumns {
  const n = typeof rows === "number" ? rows : rows.length;
  const colMajor = new Float64Array(n * p);
  for (let r = 0; r < n; r++) {
    const i = typeof rows === "number" ? r : rows[r]!;
    for (let j = 0; j < p; j++) colMajor[j * n + r] = X[i * p + j]!;
  }
  const qr = qrLimitedPivot(colMajor, n, p, tol);
  const aliased = new Uint8Array(p);
  for (let j = qr.rank; j < p; j++) aliased[qr.pivot[j]!] = 1;
  const kept = new Int32Array(qr.rank);
  for (let j = 0, k = 0; j < p; j++) if (!aliased[j]) kept[k++] = j;
  return { kept, aliased };
}

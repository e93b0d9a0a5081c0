/**
 * Cholesky factorization A = RᵀR of a symmetric p×p row-major matrix, written
 * for the IRLS normal equations. It reports a column as `nearlyAliased` when
 * its Schur-complement diagonal falls below `relTol` × its original diagonal
 * (the squared residual-norm ratio of that column against the ones before it);
 * the caller then decides aliasing exactly as R does with a pivoted QR.
 */

export interface CholeskyResult {
  /** True when every pivot was comfortably positive. */
  ok: boolean;
  /** First column (0-based) whose relative Schur diagonal fell below relTol, or -1. */
  nearlyAliased: number;
}

/** Factors A in place into R (upper triangle, row-major); the strict lower triangle is zeroed. */
export function choleskyInPlace(A: Float64Array, p: number, relTol: number): CholeskyResult {
  for (let j = 0; j < p; j++) {
    const orig = A[j * p + j]!;
    let d = orig;
    for (let m = 0; m < j; m++) d -= A[m * p + j]! * A[m * p + j]!;
    if (!(orig > 0) || !(d > relTol * orig)) return { ok: false, nearlyAliased: j };
    const rjj = Math.sqrt(d);
    A[j * p + j] = rjj;
    for (let k = j + 1; k < p; k++) {
      let s = A[j * p + k]!;
      for (let m = 0; m < j; m++) s -= A[m * p + j]! * A[m * p + k]!;
      A[j * p + k] = s / rjj;
    }
    for (let k = 0; k < j; k++) A[j * p + k] = 0;
  }
  return { ok: true, nearlyAliased: -1 };
}

/** Solves RᵀR x = b in place (b becomes x) for upper-triangular R from choleskyInPlace. */
export function choleskySolveInPlace(R: Float64Array, p: number, b: Float64Array): void {
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let m = 0; m < i; m++) s -= R[m * p + i]! * b[m]!;
    b[i] = s / R[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let m = i + 1; m < p; m++) s -= R[i * p + m]! * b[m]!;
    b[i] = s / R[i * p + i]!;
  }
}

/** log|A| = 2 Σ log R_jj from the factor. */
export function choleskyLogDet(R: Float64Array, p: number): number {
  let s = 0;
  for (let j = 0; j < p; j++) s += Math.log(R[j * p + j]!);
  return 2 * s;
}

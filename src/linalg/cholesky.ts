/**
 * Cholesky factorization A = RᵀR of a symmetric p×p row-major matrix, written
 * for the IRLS normal equations. It fails when a column's Schur-complement
 * diagonal falls below `relTol` × its original diagonal (the squared
 * residual-norm ratio of that column against the ones before it); the caller
 * then decides aliasing exactly as R does with a pivoted QR. With the factor:
 * solves, log-determinant, and (RᵀR)⁻¹ scattered back to the full column set
 * (the covariance of every fitter, NaN for aliased columns).
 */

export interface CholeskyResult {
  /** True when every pivot was comfortably positive. */
  ok: boolean;
  /** The first column whose pivot was not (−1 when ok): named in error messages. */
  pivot: number;
}

/** Factors A in place into R (upper triangle, row-major); the strict lower triangle is zeroed. */
export function choleskyInPlace(A: Float64Array, p: number, relTol: number): CholeskyResult {
  for (let j = 0; j < p; j++) {
    const orig = A[j * p + j]!;
    let d = orig;
    for (let m = 0; m < j; m++) d -= A[m * p + j]! * A[m * p + j]!;
    if (!(orig > 0) || !(d > relTol * orig)) return { ok: false, pivot: j };
    const rjj = Math.sqrt(d);
    A[j * p + j] = rjj;
    for (let k = j + 1; k < p; k++) {
      let s = A[j * p + k]!;
      for (let m = 0; m < j; m++) s -= A[m * p + j]! * A[m * p + k]!;
      A[j * p + k] = s / rjj;
    }
    for (let k = 0; k < j; k++) A[j * p + k] = 0;
  }
  return { ok: true, pivot: -1 };
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

/** Given upper-triangular R (k×k, row-major), returns (RᵀR)⁻¹ = R⁻¹R⁻ᵀ (R's chol2inv). */
export function upperTriangularGramInverse(R: Float64Array, k: number): Float64Array {
  const Rinv = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    Rinv[j * k + j] = 1 / R[j * k + j]!;
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let m = i + 1; m <= j; m++) s += R[i * k + m]! * Rinv[m * k + j]!;
      Rinv[i * k + j] = -s / R[i * k + i]!;
    }
  }
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = i; j < k; j++) {
      let s = 0;
      for (let m = j; m < k; m++) s += Rinv[i * k + m]! * Rinv[j * k + m]!;
      out[i * k + j] = s;
      out[j * k + i] = s;
    }
  return out;
}

/**
 * scale·(RᵀR)⁻¹ for the factor R (k×k) of the kept columns `kept` (k original
 * indices), scattered into a p×p row-major matrix in column order, with NaN in
 * the rows and columns of the other (aliased) columns: R's summary.glm
 * cov.unscaled/cov.scaled and brglm2's vcov. One scatter for every fitter.
 */
export function scatteredInverse(R: Float64Array, kept: Int32Array, p: number, scale = 1): Float64Array {
  const k = kept.length;
  const inv = upperTriangularGramInverse(R, k);
  const out = new Float64Array(p * p).fill(Number.NaN);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) out[kept[a]! * p + kept[b]!] = scale * inv[a * k + b]!;
  return out;
}

/**
 * Hot loops over contiguous, row-major Float64Arrays. Nothing here allocates:
 * every output is a caller-owned buffer.
 */

/**
 * η = Xβ + offset for an n×p row-major X.
 * @example linearPredictorInto(X, n, p, beta, offset, eta)
 */
export function linearPredictorInto(
  X: Float64Array,
  n: number,
  p: number,
  beta: Float64Array,
  offset: Float64Array | null,
  out: Float64Array,
): void {
  for (let i = 0, row = 0; i < n; i++, row += p) {
    let s = offset === null ? 0 : offset[i]!;
    for (let j = 0; j < p; j++) s += X[row + j]! * beta[j]!;
    out[i] = s;
  }
}

/**
 * Weighted cross products: A = XᵀWX (upper triangle filled, then mirrored) and
 * b = XᵀWz, accumulated row by row in one pass over X. Rows with w = 0 are skipped.
 * A is p×p row-major, b has length p; both are overwritten.
 */
export function weightedCrossprodInto(
  X: Float64Array,
  n: number,
  p: number,
  w: Float64Array,
  z: Float64Array,
  A: Float64Array,
  b: Float64Array,
): void {
  A.fill(0);
  b.fill(0);
  for (let i = 0, row = 0; i < n; i++, row += p) {
    const wi = w[i]!;
    if (wi === 0) continue;
    const wz = wi * z[i]!;
    for (let j = 0; j < p; j++) {
      const wxj = wi * X[row + j]!;
      b[j] += wz * X[row + j]!;
      const aRow = j * p;
      for (let k = j; k < p; k++) A[aRow + k] += wxj * X[row + k]!;
    }
  }
  for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) A[k * p + j] = A[j * p + k]!;
}

/** Row-wise quadratic forms: out[i] = x_iᵀ C x_i for an n×p row-major X and symmetric p×p C. */
export function rowQuadraticFormsInto(X: Float64Array, n: number, p: number, C: Float64Array, out: Float64Array): void {
  for (let i = 0, row = 0; i < n; i++, row += p) {
    let s = 0;
    for (let j = 0; j < p; j++) {
      const xj = X[row + j]!;
      if (xj === 0) continue;
      let t = 0;
      for (let k = 0; k < p; k++) t += C[j * p + k]! * X[row + k]!;
      s += xj * t;
    }
    out[i] = s;
  }
}

/**
 * The p×p solve of IRLS from the cross-products XᵀWX and XᵀWz that the engine
 * aggregates: a Cholesky factorisation that takes the columns in order and drops
 * (aliases) a column whose part orthogonal to the columns kept before it is below
 * `tol` of its own norm — the test of R's dqrdc2 (LINPACK with limited pivoting),
 * ‖x_j − P x_j‖ < tol·‖x_j‖, which in cross-product terms is d_j < tol²·A_jj with
 * d_j the Schur-complement diagonal. Cross-products know d_j only to about
 * ε·A_jj (a residual norm to √ε of the column's), so the test is
 * d_j < max(tol², 100ε)·A_jj: R's for exactly collinear columns, and a column
 * whose part outside the others is below ~1.5e-7 of its norm is aliased here
 * where R's QR (tol = 1e-11) would still give it a coefficient with a huge SE.
 * Aliased coefficients are NaN, the unscaled covariance (XᵀWX)⁻¹ has NaN rows
 * and columns for them.
 *
 * Reference: Golub, G. H. and Van Loan, C. F. (2013), Matrix Computations, 4th ed., §4.2.
 */

export interface CrossprodSolution {
  coef: Float64Array;
  aliased: Uint8Array;
  rank: number;
  /** (XᵀWX)⁻¹ over the kept columns, p×p row-major, NaN where aliased. */
  covUnscaled: Float64Array;
}

/** The smallest d_j/A_jj cross-products resolve: 100ε (see the header). */
const ALIAS_FLOOR = 100 * Number.EPSILON;

/** Solves A β = b for symmetric positive semi-definite A (p×p row-major), aliasing as R's QR does. */
export function solveCrossprod(A: Float64Array, b: Float64Array, p: number, tol: number): CrossprodSolution {
  const L = new Float64Array(p * p);
  const kept: number[] = [];
  const aliased = new Uint8Array(p);
  const rel = Math.max(tol * tol, ALIAS_FLOOR);
  for (let j = 0; j < p; j++) {
    const ajj = A[j * p + j]!;
    let d = ajj;
    for (const k of kept) d -= L[j * p + k]! * L[j * p + k]!;
    if (!(ajj > 0) || !(d > rel * ajj)) { aliased[j] = 1; continue; }
    const ljj = Math.sqrt(d);
    L[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = A[i * p + j]!;
      for (const k of kept) s -= L[i * p + k]! * L[j * p + k]!;
      L[i * p + j] = s / ljj;
    }
    kept.push(j);
  }
  const r = kept.length;
  // Forward and back substitution over the kept columns: L y = b, Lᵀ β = y.
  const solve = (rhs: Float64Array): Float64Array => {
    const y = new Float64Array(r);
    for (let a = 0; a < r; a++) {
      const i = kept[a]!;
      let s = rhs[a]!;
      for (let c = 0; c < a; c++) s -= L[i * p + kept[c]!]! * y[c]!;
      y[a] = s / L[i * p + i]!;
    }
    for (let a = r - 1; a >= 0; a--) {
      const i = kept[a]!;
      let s = y[a]!;
      for (let c = a + 1; c < r; c++) s -= L[kept[c]! * p + i]! * y[c]!;
      y[a] = s / L[i * p + i]!;
    }
    return y;
  };
  const coef = new Float64Array(p).fill(Number.NaN);
  const sol = solve(Float64Array.from(kept, (j) => b[j]!));
  kept.forEach((j, a) => { coef[j] = sol[a]!; });
  const covUnscaled = new Float64Array(p * p).fill(Number.NaN);
  const e = new Float64Array(r);
  for (let a = 0; a < r; a++) {
    e.fill(0);
    e[a] = 1;
    const col = solve(e);
    for (let c = 0; c < r; c++) covUnscaled[kept[c]! * p + kept[a]!] = col[c]!;
  }
  return { coef, aliased, rank: r, covUnscaled };
}

/**
 * One weighted least-squares solve, the inner step of IRLS:
 * minimise Σ Wᵢ (zᵢ − xᵢᵀβ)². The fast route accumulates XᵀWX in one pass and
 * factors it by Cholesky; when a column is nearly collinear with the ones before
 * it, the step is redone by R's limited-pivoting Householder QR on √W·X so that
 * aliased columns are decided exactly as glm.fit decides them (tol 1e-11).
 */
import { weightedCrossprodAuto } from "./parallel-crossprod.js";
import { choleskyInPlace, choleskySolveInPlace, scatteredInverse } from "./cholesky.js";
import { qrCoefficients, qrLimitedPivot } from "./householder-qr.js";

/** Squared residual-norm ratio below which the Cholesky route hands over to the pivoted QR. */
const CHOLESKY_SUSPECT_RATIO = 1e-9;

export interface WlsSolution {
  /** Coefficients in the original column order; aliased columns are 0 (as R's dqrls leaves them). */
  coef: Float64Array;
  rank: number;
  /** aliased[j] = 1 when column j was dropped as linearly dependent. */
  aliased: Uint8Array;
  /** R-factor of the non-aliased columns (rank×rank, row-major, in `kept` order). */
  R: Float64Array;
  /** Original indices of the non-aliased columns, in order. */
  kept: Int32Array;
}

/** Buffers reused across IRLS iterations (allocation-free in the Cholesky route). */
export class WlsWorkspace {
  readonly A: Float64Array;
  readonly b: Float64Array;
  constructor(readonly p: number) {
    this.A = new Float64Array(p * p);
    this.b = new Float64Array(p);
  }
}

export function weightedLeastSquares(
  X: Float64Array,
  n: number,
  p: number,
  W: Float64Array,
  z: Float64Array,
  ws: WlsWorkspace,
  qrTol: number,
): WlsSolution {
  weightedCrossprodAuto(X, n, p, W, z, ws.A, ws.b);
  return solveNormalEquations(X, n, p, W, z, ws, qrTol);
}

/**
 * The solve of weightedLeastSquares once ws.A = XᵀWX and ws.b = XᵀWz are filled
 * (by whichever engine computed them); ws.A is overwritten by its factor.
 */
export function solveNormalEquations(
  X: Float64Array,
  n: number,
  p: number,
  W: Float64Array,
  z: Float64Array,
  ws: WlsWorkspace,
  qrTol: number,
): WlsSolution {
  const chol = choleskyInPlace(ws.A, p, CHOLESKY_SUSPECT_RATIO);
  if (chol.ok) {
    const coef = new Float64Array(ws.b);
    choleskySolveInPlace(ws.A, p, coef);
    const kept = new Int32Array(p);
    for (let j = 0; j < p; j++) kept[j] = j;
    return { coef, rank: p, aliased: new Uint8Array(p), R: new Float64Array(ws.A), kept };
  }
  return pivotedQrSolve(X, n, p, W, z, qrTol);
}

/** The exact-R route: dqrdc2 on √W·X restricted to rows with W > 0. */
export function pivotedQrSolve(
  X: Float64Array,
  n: number,
  p: number,
  W: Float64Array,
  z: Float64Array,
  qrTol: number,
): WlsSolution {
  let ng = 0;
  for (let i = 0; i < n; i++) if (W[i]! > 0) ng++;
  const a = new Float64Array(ng * p);
  const y = new Float64Array(ng);
  for (let i = 0, g = 0; i < n; i++) {
    const wi = W[i]!;
    if (!(wi > 0)) continue;
    const s = Math.sqrt(wi);
    for (let j = 0; j < p; j++) a[j * ng + g] = s * X[i * p + j]!;
    y[g] = s * z[i]!;
    g++;
  }
  const d = qrLimitedPivot(a, ng, p, qrTol);
  const bPiv = qrCoefficients(d, y);
  const coef = new Float64Array(p);
  const aliased = new Uint8Array(p);
  for (let j = 0; j < p; j++) {
    const orig = d.pivot[j]!;
    if (j < d.rank) coef[orig] = bPiv[j]!;
    else aliased[orig] = 1;
  }
  const k = d.rank;
  const R = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) R[i * k + j] = d.qr[j * ng + i]!;
  // Keep R in original column order of the kept columns: dqrdc2 never reorders kept columns.
  const kept = new Int32Array(k);
  for (let j = 0; j < k; j++) kept[j] = d.pivot[j]!;
  return { coef, rank: k, aliased, R, kept };
}

/**
 * Unscaled covariance (XᵀWX)⁻¹ of the non-aliased columns, expanded to p×p in the
 * original order with NaN in aliased rows/columns (R's summary.glm cov.unscaled).
 */
export function unscaledCovariance(sol: WlsSolution, p: number): Float64Array {
  return scatteredInverse(sol.R, sol.kept, p);
}

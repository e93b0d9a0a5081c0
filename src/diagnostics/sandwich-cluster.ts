/**
 * The bias-adjusted estimating functions of sandwich's clustered HC2/HC3 (meatCL,
 * sandwich 3.0.2; Bell & McCaffrey 2002): for the rows of cluster g,
 *   HC3  ψᵢ ← [(I − H_gg)⁻¹ u_g]ᵢ xᵢ,      HC2  ψᵢ ← [(I − H_gg)^{-1/2} u_g]ᵢ xᵢ,
 * H_gg = X_g (XᵀWX)⁻¹ X_gᵀ W_g, then every ψᵢ is scaled by √((G − 1)/G). When each
 * cluster is a single row this is ψᵢ/(1 − hᵢ) or ψᵢ/√(1 − hᵢ).
 *
 * sandwich takes the matrix power by an eigen decomposition of I − H_gg (eigenvalues
 * below ε^{1/1.3} set to 0, whose power −1/2 is infinite: the covariance is then NaN).
 * H_gg is similar to the symmetric S = W_g^{1/2} X_g C X_gᵀ W_g^{1/2}, so here
 * (I − H_gg)^{-1/2} = W_g^{-1/2} (I − S)^{-1/2} W_g^{1/2} with a Jacobi eigen
 * decomposition of I − S (the same matrix function; it needs W > 0 in the cluster).
 * HC3 solves with LU (partial pivoting); like R's solve() it stops on a numerically
 * singular I − H_gg (a cluster that alone determines a coefficient).
 */
import type { MlFit } from "../fit/ml-fit.js";
import { ArgumentError, NumericalError } from "../errors.js";
import { keptColumns, type EstimatingFunctions } from "./fit-parts.js";

/** sandwich's matrixpower tolerance: eigenvalues below ε^{1/1.3} count as 0. */
const EIGEN_TOL = Math.pow(Number.EPSILON, 1 / 1.3);

/** Eigen decomposition of a symmetric m×m row-major matrix by cyclic Jacobi rotations (A is destroyed). */
export function symmetricEigen(A: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const V = new Float64Array(m * m);
  for (let i = 0; i < m; i++) V[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += A[p * m + q]! * A[p * m + q]!;
    if (off < 1e-300) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = A[p * m + q]!;
        if (apq === 0) continue;
        const theta = (A[q * m + q]! - A[p * m + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < m; r++) {
          const arp = A[r * m + p]!;
          const arq = A[r * m + q]!;
          A[r * m + p] = c * arp - s * arq;
          A[r * m + q] = s * arp + c * arq;
        }
        for (let r = 0; r < m; r++) {
          const apr = A[p * m + r]!;
          const aqr = A[q * m + r]!;
          A[p * m + r] = c * apr - s * aqr;
          A[q * m + r] = s * apr + c * aqr;
          const vrp = V[r * m + p]!;
          const vrq = V[r * m + q]!;
          V[r * m + p] = c * vrp - s * vrq;
          V[r * m + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(m);
  for (let i = 0; i < m; i++) values[i] = A[i * m + i]!;
  return { values, vectors: V };
}

/** LU factorization with partial pivoting in place (row-major m×m); returns the row permutation. */
function luInPlace(A: Float64Array, m: number): Int32Array {
  const perm = Int32Array.from({ length: m }, (_, i) => i);
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r * m + c]!) > Math.abs(A[piv * m + c]!)) piv = r;
    if (piv !== c) {
      for (let j = 0; j < m; j++) [A[c * m + j], A[piv * m + j]] = [A[piv * m + j]!, A[c * m + j]!];
      [perm[c], perm[piv]] = [perm[piv]!, perm[c]!];
    }
    const d = A[c * m + c]!;
    if (d === 0) continue;
    for (let r = c + 1; r < m; r++) {
      const f = (A[r * m + c] = A[r * m + c]! / d);
      if (f !== 0) for (let j = c + 1; j < m; j++) A[r * m + j] -= f * A[c * m + j]!;
    }
  }
  return perm;
}

/** Solves LU x = P b in place of a copy of b. */
function luSolve(LU: Float64Array, perm: Int32Array, b: Float64Array, m: number): Float64Array {
  const x = Float64Array.from(perm, (i) => b[i]!);
  for (let r = 0; r < m; r++) for (let j = 0; j < r; j++) x[r] -= LU[r * m + j]! * x[j]!;
  for (let r = m - 1; r >= 0; r--) {
    for (let j = r + 1; j < m; j++) x[r] -= LU[r * m + j]! * x[j]!;
    x[r] = x[r]! / LU[r * m + r]!;
  }
  return x;
}

/**
 * Solves A x = b (m×m row-major; A is destroyed) by LU with partial pivoting. Like R's
 * solve() (LAPACK dgesv + dgecon) it stops when the reciprocal 1-norm condition number
 * 1/(‖A‖₁‖A⁻¹‖₁) is below ε; here ‖A⁻¹‖₁ is computed exactly rather than estimated.
 */
export function solveLinear(A: Float64Array, b: Float64Array, m: number): Float64Array {
  let normA = 0;
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let r = 0; r < m; r++) s += Math.abs(A[r * m + j]!);
    normA = Math.max(normA, s);
  }
  const perm = luInPlace(A, m);
  let normInv = 0;
  const e = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    e.fill(0);
    e[j] = 1;
    const col = luSolve(A, perm, e, m);
    let s = 0;
    for (let r = 0; r < m; r++) s += Math.abs(col[r]!);
    normInv = Math.max(normInv, s);
  }
  const rcond = 1 / (normA * normInv);
  if (!(rcond >= Number.EPSILON)) {
    throw new NumericalError(`I - H of a cluster is numerically singular (reciprocal condition number ${rcond.toExponential(2)}): clustered HC3 is undefined, as R's solve() stops`);
  }
  return luSolve(A, perm, b, m);
}

/** Rows of each cluster. */
function clusterRows(codes: Int32Array, G: number): number[][] {
  const rows: number[][] = Array.from({ length: G }, () => []);
  for (let i = 0; i < codes.length; i++) rows[codes[i]!]!.push(i);
  return rows;
}

/** v = (I − H_gg)^{-1/2} u_g or (I − H_gg)⁻¹ u_g for one cluster. */
function adjustCluster(ef: EstimatingFunctions, C: Float64Array, idx: number[], type: "HC2" | "HC3"): Float64Array {
  const { X, W, res, k } = ef;
  const m = idx.length;
  const xCx = (a: number, b: number): number => {
    let s = 0;
    for (let r = 0; r < k; r++) {
      let t = 0;
      for (let c = 0; c < k; c++) t += C[r * k + c]! * X[idx[b]! * k + c]!;
      s += X[idx[a]! * k + r]! * t;
    }
    return s;
  };
  const u = Float64Array.from(idx, (i) => res[i]!);
  if (type === "HC3") {
    const A = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) A[a * m + b] = (a === b ? 1 : 0) - xCx(a, b) * W[idx[b]!]!;
    return solveLinear(A, u, m);
  }
  const sw = Float64Array.from(idx, (i) => Math.sqrt(W[i]!));
  if (sw.some((v) => !(v > 0))) throw new ArgumentError("clustered HC2 needs positive working weights in every cluster (a cluster has a zero-weight row)");
  const S = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) S[a * m + b] = (a === b ? 1 : 0) - sw[a]! * xCx(a, b) * sw[b]!;
  const { values, vectors } = symmetricEigen(S, m);
  const pw = values.map((l) => Math.pow(l < EIGEN_TOL ? 0 : l, -0.5));
  // (I − H)^{-1/2} u = W^{-1/2} V diag(λ^{-1/2}) Vᵀ W^{1/2} u
  const t = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let a = 0; a < m; a++) s += vectors[a * m + j]! * sw[a]! * u[a]!;
    t[j] = s * pw[j]!;
  }
  const v = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += vectors[a * m + j]! * t[j]!;
    v[a] = s / sw[a]!;
  }
  return v;
}

/**
 * The HC2/HC3-adjusted estimating functions of meatCL (n × k row-major), scaled by
 * √((G − 1)/G). `hat` gives the hat values over all rows (used when G = n).
 */
export function clusterAdjusted(
  fit: MlFit, ef: EstimatingFunctions, codes: Int32Array, G: number, type: "HC2" | "HC3", hat: () => Float64Array,
): Float64Array {
  const { n, k, X, values } = ef;
  const out = new Float64Array(n * k);
  const scale = Math.sqrt((G - 1) / G);
  if (G === n) {
    const h = hat();
    for (let i = 0; i < n; i++) {
      const f = (type === "HC2" ? 1 / Math.sqrt(1 - h[i]!) : 1 / (1 - h[i]!)) * scale;
      for (let a = 0; a < k; a++) out[i * k + a] = values[i * k + a]! * f;
    }
    return out;
  }
  const { C } = keptColumns(fit);
  for (const idx of clusterRows(codes, G)) {
    if (idx.length === 0) continue;
    const v = adjustCluster(ef, C, idx, type);
    idx.forEach((i, a) => {
      for (let c = 0; c < k; c++) out[i * k + c] = v[a]! * X[i * k + c]! * scale;
    });
  }
  return out;
}

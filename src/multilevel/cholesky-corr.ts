/**
 * The Cholesky factor L of a K×K correlation matrix Ω = LLᵀ on unconstrained space ℝ^{K(K−1)/2},
 * by Stan's transform (canonical partial correlations through tanh, Stan Reference Manual
 * "Cholesky factors of correlation matrices"; Lewandowski, Kurowicka & Joe 2009, §2):
 *
 *   z = tanh(y) ∈ (−1, 1), one per strictly lower entry, taken row by row;
 *   row i (0-based):  s₀ = 0;  L_ij = z_ij √(1 − s_j),  s_{j+1} = s_j + L_ij²  (j < i);  L_ii = √(1 − s_i).
 *
 * log |J| = Σ log(1 − z²)   (dz/dy of tanh)
 *         + Σ_{i} Σ_{0<j<i} ½ log(1 − s_j)   (∂L_ij/∂z_ij = √(1 − s_j), triangular in each row).
 *
 * `corrCholeskyForward` fills L (row-major K×K, upper part zero) and returns log|J|;
 * `corrCholeskyBackward` takes ∂f/∂L (lower part) and adds ∂(f + log|J|)/∂y — a hand-written
 * reverse pass over the same recursion, allocation-free (the caller owns every buffer).
 *
 * LKJ(η) on the factor (Stan's lkj_corr_cholesky): log p(L) = Σ_{i≥1} (K − i − 1 + 2η − 2) log L_ii + const
 * (0-based i; the 1-based form is (K − i + 2η − 2)).
 */
import log1p from "@stdlib/math-base-special-log1p";

/** Number of unconstrained coordinates of a K×K correlation Cholesky factor. */
export function corrDim(K: number): number {
  return (K * (K - 1)) / 2;
}

/**
 * y (length K(K−1)/2, read from `y[offset..]`) → L (row-major K×K). Writes z = tanh(y) into `z`
 * and s_j per entry into `s` (both length K(K−1)/2, kept for the backward pass). Returns log|J|.
 * @example const L = new Float64Array(4); corrCholeskyForward(2, Float64Array.of(0), 0, L, new Float64Array(1), new Float64Array(1)); L[2] // 0 (tanh 0), L[3] // 1
 */
export function corrCholeskyForward(K: number, y: ArrayLike<number>, offset: number, L: Float64Array, z: Float64Array, s: Float64Array): number {
  L.fill(0, 0, K * K);
  L[0] = 1;
  let k = 0;
  let lj = 0;
  for (let i = 1; i < K; i++) {
    let ss = 0;
    for (let j = 0; j < i; j++) {
      const zk = Math.tanh(y[offset + k]!);
      z[k] = zk;
      s[k] = ss;
      // log(1 − tanh²y) = 2 log(2) − 2|y| − 2 log1p(e^{−2|y|}), stable for large |y|
      const ay = Math.abs(y[offset + k]!);
      lj += 2 * (Math.LN2 - ay - log1p(Math.exp(-2 * ay)));
      if (j > 0) lj += 0.5 * log1p(-ss);
      const v = zk * Math.sqrt(Math.max(0, 1 - ss));
      L[i * K + j] = v;
      ss += v * v;
      k++;
    }
    L[i * K + i] = Math.sqrt(Math.max(0, 1 - ss));
  }
  return lj;
}

/**
 * Reverse pass: given gL = ∂f/∂L (row-major K×K, lower part read) at the point of the last
 * `corrCholeskyForward` (its L, z, s), adds ∂(f + log|J|)/∂y into `gy[offset..]`. `gL` is not changed.
 */
export function corrCholeskyBackward(K: number, L: Float64Array, z: Float64Array, s: Float64Array, gL: Float64Array, gy: Float64Array, offset: number): void {
  let rowStart = 0; // index k of L_{i,0}
  for (let i = 1; i < K; i++) {
    const lii = L[i * K + i]!;
    // s̄ after the row: L_ii = √(1 − s_i) ⇒ ∂/∂s_i = −1/(2 L_ii)
    let sbar = lii > 0 ? -gL[i * K + i]! / (2 * lii) : 0;
    for (let j = i - 1; j >= 0; j--) {
      const k = rowStart + j;
      const lij = L[i * K + j]!;
      // s_{j+1} = s_j + L_ij²
      const lbar = gL[i * K + j]! + 2 * lij * sbar;
      const sj = s[k]!;
      const w = Math.sqrt(Math.max(0, 1 - sj));
      const zk = z[k]!;
      // L_ij = z √(1 − s_j): z̄ = L̄ w; s̄_j += −L̄ z /(2w); log|J| term ½ log(1 − s_j) for j > 0
      const zbar = lbar * w;
      if (j > 0) {
        sbar += w > 0 ? (-lbar * zk) / (2 * w) : 0;
        sbar += -0.5 / (1 - sj);
      }
      // dz/dy = 1 − z²; d log(1 − z²)/dy = −2z
      gy[offset + k] += zbar * (1 - zk * zk) - 2 * zk;
    }
    rowStart += i;
  }
}

/**
 * LKJ(η) log density of the Cholesky factor (without its normalising constant) and its
 * gradient with respect to the diagonal of L, added into gL.
 * @example lkjCholeskyLogDensity(2, 1, Float64Array.of(1, 0, 0.6, 0.8), null) // 0 (η = 1, K = 2: exponent 0)
 */
export function lkjCholeskyLogDensity(K: number, eta: number, L: Float64Array, gL: Float64Array | null): number {
  let lp = 0;
  for (let i = 1; i < K; i++) {
    const c = K - i - 1 + 2 * eta - 2;
    if (c === 0) continue;
    const d = L[i * K + i]!;
    lp += c * Math.log(d);
    if (gL) gL[i * K + i] += c / d;
  }
  return lp;
}

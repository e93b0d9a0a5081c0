/**
 * The multinomial (softmax, "baseline-category logit") likelihood for K categories
 * against a reference category r:
 *
 *   η_ik = x_iᵀβ_k (k ≠ r),  η_ir = 0,   π_ik = exp(η_ik) / Σ_l exp(η_il),
 *   ℓ(β) = Σ_i Σ_k y_ik log π_ik (+ the multinomial coefficients for count rows),
 *   ∂ℓ/∂β_kj = Σ_i x_ij (y_ik − m_i π_ik),                                   m_i = Σ_k y_ik
 *   −∂²ℓ/∂β_kj∂β_lh = Σ_i m_i x_ij x_ih π_ik (δ_kl − π_il)                    (block Fisher information)
 *
 * The information is also the observed one (canonical link), so Newton = Fisher scoring
 * (McCullagh & Nelder 1989, §6.4; Agresti 2013, §8.1). Coefficients are stored
 * category-major: index q·p + j for the q-th non-reference category and column j
 * (nnet's `vcov(multinom)` order). log π uses log-sum-exp with the maximum removed,
 * so no exp overflows.
 */

/** A multinomial problem: design, counts per category (prior weights folded in), reference category. */
export interface MultinomialProblem {
  /** n×p design, row-major. */
  readonly X: Float64Array;
  readonly n: number;
  readonly p: number;
  /** n×K counts, row-major (a factor response: w_i in the column of the observed level). */
  readonly Y: Float64Array;
  readonly K: number;
  /** 0-based index of the reference category. */
  readonly ref: number;
  /** Optional n×(K−1) offsets on the non-reference linear predictors (row-major); null for none. */
  readonly offset: Float64Array | null;
}

/** Buffers owned by one evaluator: nothing is allocated per evaluation. */
export interface MultinomialWorkspace {
  /** n×K fitted probabilities. */
  readonly P: Float64Array;
  /** n row totals m_i. */
  readonly m: Float64Array;
  /** (K−1)·p gradient of ℓ. */
  readonly grad: Float64Array;
  /** D×D information (row-major), D = (K−1)p. */
  readonly info: Float64Array;
  /** Scratch of length K. */
  readonly eta: Float64Array;
  /** Scratch: the packed upper triangle of x xᵀ (p(p+1)/2), and the packed blocks q ≤ s of the information. */
  readonly xx: Float64Array;
  readonly packed: Float64Array;
  /** Σ_ik y_ik log(y_ik/m_i): the saturated log-likelihood (without the multinomial coefficients). */
  readonly saturated: number;
}

/** Allocates the workspace of a problem (row totals and the saturated term computed once). */
export function multinomialWorkspace(problem: MultinomialProblem): MultinomialWorkspace {
  const { n, p, K, Y } = problem;
  const D = (K - 1) * p;
  const m = new Float64Array(n);
  let saturated = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += Y[i * K + k]!;
    m[i] = s;
    for (let k = 0; k < K; k++) {
      const y = Y[i * K + k]!;
      if (y > 0) saturated += y * Math.log(y / s); // 0·log 0 = 0
    }
  }
  const tri = (p * (p + 1)) / 2, blocks = ((K - 1) * K) / 2;
  return {
    P: new Float64Array(n * K), m, grad: new Float64Array(D), info: new Float64Array(D * D), eta: new Float64Array(K),
    xx: new Float64Array(tri), packed: new Float64Array(blocks * tri), saturated,
  };
}

/**
 * Fills ws.P with π(β) and returns Σ y log π (the log-likelihood without multinomial
 * coefficients); −Infinity when some observed category has π = 0 in floating point.
 * @example multinomialLogLik(problem, new Float64Array((K - 1) * p), ws) // Σ_i m_i log(1/K) at β = 0
 */
export function multinomialLogLik(problem: MultinomialProblem, beta: Float64Array, ws: MultinomialWorkspace): number {
  const { X, n, p, K, ref, Y, offset } = problem;
  const { P, eta } = ws;
  const K1 = K - 1;
  let ll = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * p;
    let max = 0;
    for (let k = 0, q = 0; k < K; k++) {
      if (k === ref) { eta[k] = 0; continue; }
      let s = offset === null ? 0 : offset[i * K1 + q]!;
      const bo = q * p;
      for (let j = 0; j < p; j++) s += X[xo + j]! * beta[bo + j]!;
      eta[k] = s;
      if (s > max) max = s;
      q++;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(eta[k]! - max);
    const lse = max + Math.log(sum); // log Σ exp η, stable
    for (let k = 0; k < K; k++) {
      const lp = eta[k]! - lse;
      P[i * K + k] = Math.exp(lp);
      const y = Y[i * K + k]!;
      if (y > 0) ll += y * lp;
    }
  }
  return ll;
}

/**
 * Gradient and block information at the probabilities in ws.P (call multinomialLogLik first).
 * Each block Σ_i w_i x_i x_iᵀ is symmetric: per row, x xᵀ is formed once (packed upper
 * triangle) and added with weight w to the packed blocks q ≤ r, then unpacked and mirrored:
 * n·K(K−1)/2·p(p+1)/2 multiply-adds in contiguous loops.
 */
export function multinomialScoreInfo(problem: MultinomialProblem, ws: MultinomialWorkspace): void {
  const { X, n, p, K, ref, Y } = problem;
  const { P, m, grad, info, xx, packed } = ws;
  const K1 = K - 1;
  const D = K1 * p;
  const tri = xx.length;
  grad.fill(0);
  packed.fill(0);
  for (let i = 0; i < n; i++) {
    const xo = i * p;
    const mi = m[i]!;
    if (mi === 0) continue;
    // x xᵀ once per row, packed upper triangle (row j: h = j … p−1)
    for (let j = 0, t = 0; j < p; j++) {
      const xj = X[xo + j]!;
      for (let h = j; h < p; h++) xx[t++] = xj * X[xo + h]!;
    }
    let bo = 0; // packed block (q, s), q ≤ s, in row-major order of the upper block triangle
    for (let k = 0, q = 0; k < K; k++) {
      if (k === ref) continue;
      const pik = P[i * K + k]!;
      const r = Y[i * K + k]! - mi * pik; // y_ik − m_i π_ik
      const go = q * p;
      for (let j = 0; j < p; j++) grad[go + j] += X[xo + j]! * r;
      for (let l = k; l < K; l++) {
        if (l === ref) continue;
        const w = mi * pik * ((l === k ? 1 : 0) - P[i * K + l]!); // m π_k (δ_kl − π_l)
        for (let t = 0; t < tri; t++) packed[bo + t] += w * xx[t]!;
        bo += tri;
      }
      q++;
    }
  }
  // unpack: block (a, b) from its packed upper triangle, symmetric within and across blocks
  for (let a = 0, bo = 0; a < K1; a++)
    for (let b = a; b < K1; b++, bo += tri)
      for (let j = 0, t = bo; j < p; j++)
        for (let h = j; h < p; h++, t++) {
          const v = packed[t]!;
          info[(a * p + j) * D + b * p + h] = v;
          info[(a * p + h) * D + b * p + j] = v;
          info[(b * p + h) * D + a * p + j] = v;
          info[(b * p + j) * D + a * p + h] = v;
        }
}

/** The score alone, ∂ℓ/∂β_kj = Σ_i x_ij (y_ik − m_i π_ik), at the probabilities in ws.P (for samplers). */
export function multinomialScore(problem: MultinomialProblem, ws: MultinomialWorkspace): void {
  const { X, n, p, K, ref, Y } = problem;
  const { P, m, grad } = ws;
  grad.fill(0);
  for (let i = 0; i < n; i++) {
    const xo = i * p;
    const mi = m[i]!;
    if (mi === 0) continue;
    for (let k = 0, q = 0; k < K; k++) {
      if (k === ref) continue;
      const r = Y[i * K + k]! - mi * P[i * K + k]!;
      const go = q * p;
      for (let j = 0; j < p; j++) grad[go + j] += X[xo + j]! * r;
      q++;
    }
  }
}

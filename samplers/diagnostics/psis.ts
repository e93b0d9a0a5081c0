/**
 * Pareto-smoothed importance sampling (PSIS) as the R package loo 2.5.1 computes it
 * (R/psis.R, R/gpdfit.R, R/importance_sampling.R), for an S × n matrix of log
 * importance ratios (draws-major: values[s·n + i]).
 *
 * Per column (observation) i, with log ratios rₛ and r_max = maxₛ rₛ:
 *   1. the tail length M = ⌈min(0.2 S, 3√(S/r_eff))⌉ (n_pareto); with M < 5 nothing is smoothed (k̂ = ∞);
 *   2. the M largest ratios w = exp(r − r_max) above the cutoff c (the (S − M)-th smallest) are
 *      replaced by the expected order statistics of the generalized Pareto fitted to w − e^c:
 *      log(F⁻¹((j − ½)/M) + e^c), j = 1..M (psis_smooth_tail);
 *   3. smoothed log weights above 0 are set to 0, i.e. no weight exceeds the largest raw
 *      weight (loo 2.5's truncation; the S^{3/4}·w̄ truncation belongs to loo < 2.0 and to TIS);
 *   4. k̂ is the shape of the fit, NaN → ∞.
 * The generalized Pareto fit is Zhang & Stephens (2009): the posterior mean of
 * θ = −k/σ over the grid θⱼ = 1/x₍N₎ + (1 − √(m/(j − ½)))/(3 x*), j = 1..m,
 * m = min_grid_pts + ⌊√N⌋, x* the ⌊N/4 + ½⌋-th order statistic, weighted by the profile
 * likelihood N·(log(−θ/k(θ)) − k(θ) − 1), k(θ) = mean log(1 − θx); then k̂ = mean log(1 − θ̂x),
 * σ̂ = −k̂/θ̂, and with `wip` the weakly informative prior of Vehtari et al. (2024, app. C):
 * k̂ ← (N k̂ + 10 · ½)/(N + 10).
 *
 * R accumulates sums and means in long double; the sums here are compensated (Neumaier),
 * which keeps them within a few ulps of R's. Sorting is stable (R's radix sort), so tied
 * ratios are smoothed in the same order.
 *
 * References: [1] Vehtari, Gelman & Gabry (2017), Practical Bayesian model evaluation using
 * leave-one-out cross-validation and WAIC, Statistics and Computing 27, 1413–1432;
 * [2] Vehtari, Simpson, Gelman, Yao & Gabry (2024), Pareto smoothed importance sampling,
 * JMLR 25(72); [3] Zhang & Stephens (2009), A new and efficient estimation method for the
 * generalized Pareto distribution, Technometrics 51, 316–325.
 */
import { ArgumentError } from "../../src/errors.js";

/** Σx with Neumaier's compensation (R sums in long double). */
export function compensatedSum(x: ArrayLike<number>, start = 0, end = x.length): number {
  let s = 0;
  let c = 0;
  for (let i = start; i < end; i++) {
    const v = x[i];
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

/** matrixStats' logSumExp: x_max + log1p(Σ_{i≠argmax} exp(xᵢ − x_max)); NaN if any xᵢ is NaN. */
export function logSumExp(x: ArrayLike<number>, start = 0, end = x.length): number {
  let iMax = start;
  for (let i = start; i < end; i++) {
    if (Number.isNaN(x[i])) return Number.NaN;
    if (x[i] > x[iMax]) iMax = i;
  }
  const xMax = x[iMax];
  if (xMax === Infinity) return Infinity;
  if (xMax === -Infinity) return -Infinity;
  let s = 0;
  for (let i = start; i < end; i++) if (i !== iMax) s += Math.exp(x[i] - xMax);
  return xMax + Math.log1p(s);
}

/** Generalized Pareto fit: shape k and scale σ. */
export interface GpdFit {
  k: number;
  sigma: number;
}

/** Options of gpdFit (loo's gpdfit defaults). */
export interface GpdFitOptions {
  /** Weakly informative prior on k (loo's adjust_k_wip). Default true. */
  wip?: boolean;
  /** m = minGridPts + ⌊√N⌋ grid points. Default 30. */
  minGridPts?: number;
  /** Sort x first; false when it is already ascending. Default true. */
  sortX?: boolean;
}

/**
 * Zhang & Stephens (2009) estimate of the generalized Pareto shape k and scale σ of
 * non-negative exceedances x, exactly as loo's gpdfit (see the module comment) [2, 3].
 * @example gpdFit(Float64Array.from([0.1, 0.3, 0.5, 0.9, 1.4, 2.2, 4.0])) // { k, sigma }
 */
export function gpdFit(x: Float64Array, options: GpdFitOptions = {}): GpdFit {
  const xs = options.sortX ?? true ? Float64Array.from(x).sort() : x;
  const N = xs.length;
  if (N === 0) throw new ArgumentError("gpdFit needs at least one value");
  const prior = 3;
  const M = (options.minGridPts ?? 30) + Math.floor(Math.sqrt(N));
  const xstar = xs[Math.floor(N / 4 + 0.5) - 1];
  const theta = new Float64Array(M);
  const lTheta = new Float64Array(M);
  const terms = new Float64Array(N);
  for (let j = 0; j < M; j++) {
    theta[j] = 1 / xs[N - 1] + (1 - Math.sqrt(M / (j + 1 - 0.5))) / prior / xstar;
    const a = -theta[j];
    for (let i = 0; i < N; i++) terms[i] = Math.log1p(a * xs[i]);
    const kj = compensatedSum(terms) / N;
    lTheta[j] = N * (Math.log(a / kj) - kj - 1);
  }
  const lse = logSumExp(lTheta);
  const tw = new Float64Array(M);
  for (let j = 0; j < M; j++) tw[j] = theta[j] * Math.exp(lTheta[j] - lse);
  const thetaHat = compensatedSum(tw);
  for (let i = 0; i < N; i++) terms[i] = Math.log1p(-thetaHat * xs[i]);
  let k = compensatedSum(terms) / N;
  const sigma = -k / thetaHat;
  if (options.wip ?? true) k = (k * N) / (N + 10) + (10 * 0.5) / (N + 10);
  if (Number.isNaN(k)) k = Infinity;
  return { k, sigma };
}

/** loo's qgpd: σ·expm1(−k·log1p(−p))/k (NaN unless σ > 0). */
export function qgpd(p: number, k: number, sigma: number): number {
  if (Number.isNaN(sigma) || sigma <= 0) return Number.NaN;
  return (sigma * Math.expm1(-k * Math.log1p(-p))) / k;
}

/** loo's n_pareto: the tail length ⌈min(0.2 S, 3√(S/r_eff))⌉. */
export function tailLength(rEff: number, S: number): number {
  return Math.ceil(Math.min(0.2 * S, 3 * Math.sqrt(S / rEff)));
}

/** Minimum tail length for smoothing (loo's enough_tail_samples). */
export const MIN_TAIL_LENGTH = 5;

/**
 * Smooths one column in place: `lw` holds the log ratios of observation i on entry and
 * its unnormalised PSIS log weights on return (loo's do_psis_i). `order` is scratch of
 * length S. Returns k̂ (∞ when the tail is too short or constant) and whether the tail was constant.
 */
export function psisColumn(lw: Float64Array, tailLen: number, order: Int32Array): { k: number; constantTail: boolean } {
  const S = lw.length;
  let rMax = -Infinity;
  for (let s = 0; s < S; s++) if (lw[s] > rMax) rMax = lw[s];
  for (let s = 0; s < S; s++) lw[s] -= rMax;
  let k = Infinity;
  let constantTail = false;
  if (tailLen >= MIN_TAIL_LENGTH) {
    for (let s = 0; s < S; s++) order[s] = s;
    order.sort((a, b) => lw[a] - lw[b] || a - b);
    const first = S - tailLen;
    const tail = new Float64Array(tailLen);
    for (let j = 0; j < tailLen; j++) tail[j] = lw[order[first + j]];
    if (Math.abs(tail[tailLen - 1] - tail[0]) < Number.EPSILON / 100) {
      constantTail = true;
    } else {
      const cutoff = lw[order[first - 1]];
      const expCutoff = Math.exp(cutoff);
      const exceed = tail.map((v) => Math.exp(v) - expCutoff);
      const fit = gpdFit(exceed, { sortX: false });
      k = fit.k;
      if (Number.isFinite(k)) {
        for (let j = 0; j < tailLen; j++) lw[order[first + j]] = Math.log(qgpd((j + 1 - 0.5) / tailLen, k, fit.sigma) + expCutoff);
      }
    }
  }
  for (let s = 0; s < S; s++) {
    if (lw[s] > 0) lw[s] = 0;
    lw[s] += rMax;
  }
  return { k, constantTail };
}

/** The result of psis(). */
export interface PsisResult {
  S: number;
  n: number;
  /** Normalised log weights (each column log-sums to 0), S × n draws-major. */
  logWeights: Float64Array;
  paretoK: Float64Array;
  tailLen: Float64Array;
  rEff: Float64Array;
  /** PSIS effective sample size r_eff/Σₛ wₛ² (normalised weights; loo's psis_n_eff). */
  nEff: Float64Array;
  warnings: string[];
}

/**
 * PSIS of an S × n draws-major matrix of log importance ratios (loo's psis with r_eff
 * per column; see the module comment) [1, 2].
 * @example psis(negLogLik, S, n, rEff).paretoK
 */
export function psis(logRatios: Float64Array, S: number, n: number, rEff: ArrayLike<number>): PsisResult {
  if (logRatios.length !== S * n) throw new ArgumentError(`log ratios have ${logRatios.length} entries, expected S × n = ${S} × ${n}`);
  if (rEff.length !== n) throw new ArgumentError(`rEff has length ${rEff.length}, expected one value per observation (${n})`);
  const logWeights = new Float64Array(S * n);
  const paretoK = new Float64Array(n);
  const tailLen = new Float64Array(n);
  const nEff = new Float64Array(n);
  const col = new Float64Array(S);
  const order = new Int32Array(S);
  const shortTails: number[] = [];
  const constant: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < S; s++) col[s] = logRatios[s * n + i];
    tailLen[i] = tailLength(rEff[i], S);
    if (!(tailLen[i] >= MIN_TAIL_LENGTH)) shortTails.push(i + 1);
    const r = psisColumn(col, tailLen[i], order);
    if (r.constantTail) constant.push(i + 1);
    paretoK[i] = r.k;
    const norm = logSumExp(col);
    for (let s = 0; s < S; s++) {
      const v = col[s] - norm;
      logWeights[s * n + i] = v;
      const w = Math.exp(v);
      col[s] = w * w;
    }
    nEff[i] = (1 / compensatedSum(col)) * rEff[i];
  }
  const warnings: string[] = [];
  if (shortTails.length) warnings.push(`Not enough tail samples to fit the generalized Pareto distribution in observations ${shortTails.join(", ")}`);
  if (constant.length) warnings.push(`Can't fit generalized Pareto distribution because all tail values are the same (observations ${constant.join(", ")})`);
  const kMax = paretoK.reduce((a, b) => Math.max(a, b), -Infinity);
  if (kMax > 0.7) warnings.push("Some Pareto k diagnostic values are too high.");
  else if (kMax > 0.5) warnings.push("Some Pareto k diagnostic values are slightly high.");
  return { S, n, logWeights, paretoK, tailLen, rEff: Float64Array.from(rEff), nEff, warnings };
}

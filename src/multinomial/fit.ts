/**
 * The multinomial-logit ML fit as data: coefficients named `category:term` (the
 * row names of nnet's `vcov(multinom(...))`, category-major), Wald SEs from the inverse
 * block information, z and two-sided normal p-values, deviance, null deviance, AIC,
 * residual df (VGAM's n·(K−1) − #coefficients over rows with a positive total),
 * fitted probabilities. Columns of X that R's QR (tol 1e-7) finds aliased are dropped
 * from every category and reported with NaN estimates (`aliased: true`).
 *
 * Deviance: 2 Σ y log(y / (m π)), the deviance against the saturated model (VGAM's;
 * for a factor response it is −2 Σ w log π, which is also nnet's). The log-likelihood
 * is Σ y log π plus Σ_i log(m_i! / Π_k y_ik!) for a count-matrix response (the
 * multinomial coefficients, as dmultinom and R's binomial aic()); for a factor response
 * with frequency weights there is no such term (as glm's binomial aic() and nnet).
 * AIC = −2ℓ + 2·#coefficients.
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import gammaln from "@stdlib/math-base-special-gammaln";
import { choleskyInPlace, upperTriangularGramInverse } from "../linalg/cholesky.js";
import { qrKeptColumns } from "../linalg/qr-columns.js";
import { ArgumentError, DataError } from "../errors.js";
import { multinomialLogLik, multinomialScoreInfo, multinomialWorkspace, type MultinomialProblem, type MultinomialWorkspace } from "./likelihood.js";
import { multinomialNewton, type MultinomialNewtonOptions } from "./newton.js";

/** A named multinomial problem: what the model layer resolves. */
export interface NamedMultinomialProblem extends MultinomialProblem {
  readonly columnNames: readonly string[];
  /** Category labels, in order (the factor's levels or the cbind columns). */
  readonly levels: readonly string[];
  readonly hasIntercept: boolean;
  /** True for a count-matrix response (cbind), false for a factor. */
  readonly counts: boolean;
}

export interface MultinomialCoefficient {
  name: string;
  /** The non-reference category and the design column. */
  category: string;
  term: string;
  estimate: number;
  se: number;
  statistic: number;
  p_value: number;
  aliased: boolean;
}

export interface MultinomialFitRecord {
  problem: NamedMultinomialProblem;
  coefficients: MultinomialCoefficient[];
  /** Full (K−1)p coefficient vector (NaN for aliased). */
  beta: Float64Array;
  /** D×D covariance, NaN rows/columns for aliased coefficients. */
  vcov: Float64Array;
  /** The problem restricted to the kept columns (what profile refits use) and the kept columns. */
  reduced: MultinomialProblem;
  keptColumns: Int32Array;
  /** The reduced coefficient vector at the MLE. */
  betaReduced: Float64Array;
  /** n×K fitted probabilities. */
  fitted: Float64Array;
  deviance: number;
  nullDeviance: number | null;
  logLik: number;
  aic: number;
  /** Number of estimated (non-aliased) coefficients. */
  rank: number;
  dfResidual: number;
  dfNull: number | null;
  nObs: number;
  iterations: number;
  converged: boolean;
  warnings: string[];
}

/** Nonreference categories in order. */
export function nonReference(levels: readonly string[], ref: number): string[] {
  return levels.filter((_, k) => k !== ref);
}

/** Coefficient names `category:term`, category-major (nnet's vcov row names). */
export function multinomialNames(levels: readonly string[], ref: number, columnNames: readonly string[]): string[] {
  return nonReference(levels, ref).flatMap((c) => columnNames.map((t) => `${c}:${t}`));
}

/** Checks the counts (finite, ≥ 0) and the shapes. */
export function checkMultinomialProblem(problem: NamedMultinomialProblem): void {
  const { n, p, K, Y, X, ref, levels, columnNames } = problem;
  if (!(K >= 2)) throw new DataError(`a multinomial response needs at least 2 categories, got ${K}${K === 1 ? ` ("${levels[0]}")` : ""}`);
  if (levels.length !== K) throw new ArgumentError(`levels has ${levels.length} labels for K = ${K} categories`);
  if (!(Number.isInteger(ref) && ref >= 0 && ref < K)) throw new ArgumentError(`ref must be a category index in 0…${K - 1}, got ${ref}`);
  if (X.length !== n * p) throw new ArgumentError(`X has ${X.length} entries, expected n × p = ${n * p}`);
  if (Y.length !== n * K) throw new ArgumentError(`Y has ${Y.length} entries, expected n × K = ${n * K}`);
  if (columnNames.length !== p) throw new ArgumentError(`columnNames has ${columnNames.length} names for p = ${p} columns`);
  for (let i = 0; i < n * K; i++) {
    const y = Y[i]!;
    if (!(y >= 0) || !Number.isFinite(y)) {
      const row = Math.floor(i / K) + 1;
      throw new DataError(`the count of category "${levels[i % K]}" at row ${row} is ${y}; counts (and weights) must be finite and non-negative`, { column: levels[i % K], row });
    }
  }
  for (let i = 0; i < n * p; i++)
    if (!Number.isFinite(X[i]!)) throw new DataError(`the design column "${columnNames[i % p]}" is ${X[i]} at row ${Math.floor(i / p) + 1}`, { column: columnNames[i % p], row: Math.floor(i / p) + 1 });
}

/** The design restricted to the columns R's QR keeps (over rows with a positive total). */
export function reduceColumns(problem: MultinomialProblem, used: readonly number[]): { reduced: MultinomialProblem; kept: Int32Array } {
  const { X, n, p } = problem;
  const { kept } = qrKeptColumns(X, p, used);
  if (kept.length === p) return { reduced: problem, kept };
  const pr = kept.length;
  const Xr = new Float64Array(n * pr);
  for (let i = 0; i < n; i++) for (let a = 0; a < pr; a++) Xr[i * pr + a] = X[i * p + kept[a]!]!;
  return { reduced: { ...problem, X: Xr, p: pr }, kept };
}

/** The inverse of the information over the reduced coefficients (throws if not positive definite). */
export function inverseInformation(info: Float64Array, D: number): Float64Array {
  const A = Float64Array.from(info);
  if (!choleskyInPlace(A, D, 1e-13).ok) return new Float64Array(D * D).fill(NaN);
  return upperTriangularGramInverse(A, D);
}

/** Σ_i log(m_i!/Π y_ik!) for count rows. */
function multinomialConstant(Y: Float64Array, n: number, K: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let k = 0; k < K; k++) {
      const y = Y[i * K + k]!;
      m += y;
      c -= gammaln(y + 1);
    }
    c += gammaln(m + 1);
  }
  return c;
}

/** The intercept-only deviance (closed form: π_k = Σ y_·k / Σ m), or null without an intercept or with an offset. */
function nullDevianceOf(problem: NamedMultinomialProblem, saturated: number): number | null {
  if (!problem.hasIntercept || problem.offset !== null) return null;
  const { Y, n, K } = problem;
  const tot = new Float64Array(K);
  let all = 0;
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) { tot[k] += Y[i * K + k]!; all += Y[i * K + k]!; }
  let ll = 0;
  for (let k = 0; k < K; k++) if (tot[k]! > 0) ll += tot[k]! * Math.log(tot[k]! / all);
  return 2 * (saturated - ll);
}

/**
 * The ML fit of a multinomial logit (Newton with glm.fit's stopping rule).
 * @example fitMultinomial(problem).coefficients[0].name // "versicolor:(Intercept)"
 */
export function fitMultinomial(problem: NamedMultinomialProblem, control: MultinomialNewtonOptions = {}): MultinomialFitRecord {
  const { reduced, kept, used } = prepareMultinomial(problem);
  const Dr = (problem.K - 1) * reduced.p;
  const ws = multinomialWorkspace(reduced);
  const res = multinomialNewton(reduced, control, ws);
  multinomialLogLik(reduced, res.beta, ws);
  multinomialScoreInfo(reduced, ws);
  const covR = inverseInformation(ws.info, Dr);
  return assembleRecord(problem, reduced, kept, ws, res.beta, covR, res.deviance, res.logLikKernel, used.length,
    { iterations: res.iterations, converged: res.converged, warnings: [...res.warnings] });
}

/** Resolves the rows used and the kept columns of a problem (the start of every fitter). */
export function prepareMultinomial(problem: NamedMultinomialProblem): { reduced: MultinomialProblem; kept: Int32Array; used: number[] } {
  checkMultinomialProblem(problem);
  const ws0 = multinomialWorkspace(problem);
  const used: number[] = [];
  for (let i = 0; i < problem.n; i++) if (ws0.m[i]! > 0) used.push(i);
  if (used.length === 0) throw new DataError("no row has a positive total (every count or weight is 0)");
  const { reduced, kept } = reduceColumns(problem, used);
  return { reduced, kept, used };
}

/**
 * The fit record from reduced coefficients and their covariance (ws.P at the estimate):
 * scattered back to all columns, named, with z, p, deviance, AIC and df.
 */
export function assembleRecord(
  problem: NamedMultinomialProblem, reduced: MultinomialProblem, kept: Int32Array, ws: MultinomialWorkspace,
  betaR: Float64Array, covR: Float64Array, deviance: number, logLikKernel: number, nUsed: number,
  status: { iterations: number; converged: boolean; warnings: string[] },
): MultinomialFitRecord {
  const { n, p, K, ref, Y, levels, columnNames } = problem;
  const pr = reduced.p;
  const Dr = (K - 1) * pr;
  const D = (K - 1) * p;
  const beta = new Float64Array(D).fill(NaN);
  const vcov = new Float64Array(D * D).fill(NaN);
  const full = (q: number, a: number) => q * p + kept[a]!;
  for (let q = 0; q < K - 1; q++)
    for (let a = 0; a < pr; a++) {
      beta[full(q, a)] = betaR[q * pr + a]!;
      for (let s = 0; s < K - 1; s++)
        for (let b = 0; b < pr; b++) vcov[full(q, a) * D + full(s, b)] = covR[(q * pr + a) * Dr + s * pr + b]!;
    }
  const names = multinomialNames(levels, ref, columnNames);
  const cats = nonReference(levels, ref);
  const coefficients: MultinomialCoefficient[] = names.map((name, c) => {
    const est = beta[c]!;
    const aliased = Number.isNaN(est);
    const se = Math.sqrt(vcov[c * D + c]!);
    const z = est / se;
    return {
      name, category: cats[Math.floor(c / p)]!, term: columnNames[c % p]!,
      estimate: est, se, statistic: z, p_value: aliased ? NaN : 2 * normalCdf(-Math.abs(z), 0, 1), aliased,
    };
  });
  const constant = problem.counts ? multinomialConstant(Y, n, K) : 0;
  const logLik = logLikKernel + constant;
  const rank = Dr;
  const warnings = status.warnings;
  let tiny = false;
  for (let i = 0; i < ws.P.length && !tiny; i++) if (ws.P[i]! < 1e-10 && ws.m[Math.floor(i / K)]! > 0) tiny = true;
  if (tiny) warnings.push("fitted probabilities numerically 0 occurred");
  const nullDeviance = nullDevianceOf(problem, ws.saturated);
  return {
    problem, coefficients, beta, vcov, reduced, keptColumns: kept, betaReduced: betaR,
    fitted: Float64Array.from(ws.P), deviance, nullDeviance, logLik, aic: -2 * logLik + 2 * rank, rank,
    dfResidual: nUsed * (K - 1) - rank, dfNull: nullDeviance === null ? null : nUsed * (K - 1) - (K - 1),
    nObs: nUsed, iterations: status.iterations, converged: status.converged, warnings,
  };
}

/**
 * Iteratively reweighted least squares for maximum likelihood, the same
 * algorithm and stopping rule as R's `glm.fit` (R 4.2, src/library/stats/R/glm.R):
 * working response z = η − offset + (y − μ)/μ′(η), working weights
 * W = w·μ′(η)²/V(μ), a weighted least-squares step, step halving when the
 * deviance is non-finite or η/μ leave their domain, and convergence when
 * |D − D_old| / (|D| + 0.1) < ε (ε = 1e-8, at most 25 iterations by default).
 * Status (converged, boundary, warnings) is returned as data, never thrown.
 */
import type { Family } from "../types.js";
import { NumericalError, DataError } from "../errors.js";
import { linearPredictorInto } from "../linalg/kernels.js";
import { WlsWorkspace, solveNormalEquations, type WlsSolution } from "../linalg/weighted-least-squares.js";
import { makeRowEngine } from "./irls-engine.js";

export interface IrlsProblem {
  /** n×p row-major design. */
  X: Float64Array;
  n: number;
  p: number;
  /** Response (binomial: proportion of successes). */
  y: Float64Array;
  /** Prior weights (binomial: number of trials times any case weight). */
  weights: Float64Array;
  offset: Float64Array | null;
  family: Family;
}

export interface IrlsOptions {
  /** Relative deviance tolerance (R's control$epsilon). */
  epsilon?: number;
  /** Maximum number of iterations (R's control$maxit). */
  maxit?: number;
  /** Starting coefficients (R's `start`). */
  start?: Float64Array | null;
  /** Starting linear predictor (R's `etastart`). */
  etastart?: Float64Array | null;
  /** Starting means (R's `mustart`); defaults to the family's startMu. */
  mustart?: Float64Array | null;
}

export interface IrlsResult {
  /** Coefficients in column order; NaN where aliased. */
  coef: Float64Array;
  aliased: Uint8Array;
  rank: number;
  eta: Float64Array;
  mu: Float64Array;
  /** Working weights of the last iteration (R's fit$weights; 0 where not informative). */
  workingWeights: Float64Array;
  deviance: number;
  iterations: number;
  converged: boolean;
  boundary: boolean;
  warnings: string[];
  /** The last weighted least-squares solve (its R factor gives the covariance, as R's fit$qr). */
  solution: WlsSolution | null;
}

/** R's QR tolerance in glm.fit: min(1e-7, epsilon/1000). */
export function qrTolerance(epsilon: number): number {
  return Math.min(1e-7, epsilon / 1000);
}

function totalDeviance(fam: Family, y: Float64Array, mu: Float64Array, w: Float64Array): number {
  let dev = 0;
  for (let i = 0; i < y.length; i++) dev += fam.devResid(y[i]!, mu[i]!, w[i]!);
  return dev;
}

function allValid(fam: Family, eta: Float64Array, mu: Float64Array): boolean {
  const link = fam.link;
  for (let i = 0; i < eta.length; i++) if (!link.validEta(eta[i]!) || !fam.validMu(mu[i]!)) return false;
  return true;
}

/** Maximum-likelihood IRLS. Throws only where R's glm.fit stops with an error. */
export function irls(problem: IrlsProblem, options: IrlsOptions = {}): IrlsResult {
  const { X, n, p, y, weights, offset, family } = problem;
  const link = family.link;
  const epsilon = options.epsilon ?? 1e-8;
  const maxit = options.maxit ?? 25;
  const tol = qrTolerance(epsilon);
  const warnings: string[] = [];

  // The rows are computed by an engine: on this thread, or split over worker threads
  // when the design is on a SharedArrayBuffer (see irls-engine.ts).
  const engine = makeRowEngine(X, n, p, y, weights, offset, family);
  const { eta, mu, W, z } = engine.bufs;
  const beta = new Float64Array(p);
  let coefold: Float64Array | null = null;

  if (options.etastart) {
    eta.set(options.etastart);
  } else if (options.start) {
    if (options.start.length !== p)
      throw new DataError(`start has length ${options.start.length}, but the design has ${p} columns`);
    beta.set(options.start);
    coefold = Float64Array.from(options.start);
    linearPredictorInto(X, n, p, beta, offset, eta);
  } else {
    const mustart = options.mustart ?? family.startMu(y, weights);
    for (let i = 0; i < n; i++) eta[i] = link.linkfun(mustart[i]!);
  }
  for (let i = 0; i < n; i++) mu[i] = link.linkinv(eta[i]!);
  if (!allValid(family, eta, mu))
    throw new NumericalError("cannot find valid starting values: please specify some (start, etastart or mustart)");

  let devold = totalDeviance(family, y, mu, weights);
  let dev = devold;
  let boundary = false;
  let converged = false;
  let iterations = 0;
  let solution: WlsSolution | null = null;
  const ws = new WlsWorkspace(p);

  if (p === 0) {
    // Empty model: η = offset, nothing to estimate (R's EMPTY branch).
    eta.fill(0);
    if (offset) eta.set(offset);
    for (let i = 0; i < n; i++) mu[i] = link.linkinv(eta[i]!);
    if (!allValid(family, eta, mu)) throw new NumericalError("invalid linear predictor values in empty model");
    dev = totalDeviance(family, y, mu, weights);
    for (let i = 0; i < n; i++) {
      const me = link.muEta(eta[i]!);
      W[i] = (weights[i]! * me * me) / family.variance(mu[i]!);
    }
    return {
      coef: new Float64Array(0), aliased: new Uint8Array(0), rank: 0, eta, mu, workingWeights: W,
      deviance: dev, iterations: 0, converged: true, boundary: false, warnings, solution: null,
    };
  }

  for (let iter = 1; iter <= maxit; iter++) {
    iterations = iter;
    const nGood = engine.weights(ws.A, ws.b);
    if (nGood === 0) {
      converged = false;
      warnings.push(`no observations informative at iteration ${iter}`);
      break;
    }
    const sol = solveNormalEquations(X, n, p, W, z, ws, tol);
    let finite = true;
    for (let j = 0; j < p; j++) if (!Number.isFinite(sol.coef[j]!)) finite = false;
    if (!finite) {
      converged = false;
      warnings.push(`non-finite coefficients at iteration ${iter}`);
      break;
    }
    if (nGood < sol.rank)
      throw new DataError(`X matrix has rank ${sol.rank}, but only ${nGood} observations`);
    solution = sol;
    beta.set(sol.coef);
    let upd = engine.update(beta);
    dev = upd.deviance;
    boundary = false;
    if (!Number.isFinite(dev)) {
      if (coefold === null)
        throw new NumericalError("no valid set of coefficients has been found: please supply starting values");
      warnings.push("step size truncated due to divergence");
      let ii = 1;
      while (!Number.isFinite(dev)) {
        if (ii > maxit) throw new NumericalError("inner loop 1; cannot correct step size");
        ii++;
        for (let j = 0; j < p; j++) beta[j] = (beta[j]! + coefold[j]!) / 2;
        upd = engine.update(beta);
        dev = upd.deviance;
      }
      boundary = true;
    }
    if (!upd.valid) {
      if (coefold === null)
        throw new NumericalError("no valid set of coefficients has been found: please supply starting values");
      warnings.push("step size truncated: out of bounds");
      let ii = 1;
      while (!upd.valid) {
        if (ii > maxit) throw new NumericalError("inner loop 2; cannot correct step size");
        ii++;
        for (let j = 0; j < p; j++) beta[j] = (beta[j]! + coefold[j]!) / 2;
        upd = engine.update(beta);
      }
      boundary = true;
      dev = upd.deviance;
    }
    if (Math.abs(dev - devold) / (Math.abs(dev) + 0.1) < epsilon) {
      converged = true;
      break;
    }
    devold = dev;
    coefold = Float64Array.from(beta);
  }

  if (!converged) warnings.push("algorithm did not converge");
  if (boundary) warnings.push("algorithm stopped at boundary value");
  const fitted = family.fittedWarning(mu);
  if (fitted !== null) warnings.push(fitted);
  const coef = Float64Array.from(beta);
  const aliased = solution ? solution.aliased : new Uint8Array(p);
  for (let j = 0; j < p; j++) if (aliased[j]) coef[j] = Number.NaN;
  return {
    coef, aliased, rank: solution ? solution.rank : 0, eta, mu, workingWeights: W,
    deviance: dev, iterations, converged, boundary, warnings, solution,
  };
}

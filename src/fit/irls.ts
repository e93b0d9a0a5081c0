/**
 * Iteratively reweighted least squares for maximum likelihood, the same
 * algorithm and stopping rule as R's `glm.fit` (R 4.2, src/library/stats/R/glm.R):
 * working response z = η − offset + (y − μ)/μ′(η), working weights
 * W = w·μ′(η)²/V(μ), a weighted least-squares step, step halving when the
 * deviance is non-finite or η/μ leave their domain, and convergence when
 * |D − D_old| / (|D| + 0.1) < ε (ε = 1e-8, at most 25 iterations by default).
 * The loop, the halving and the status are those of the shared pipeline
 * (newton.ts); this file is glm.fit's configuration of it: the WLS direction,
 * glm.fit's two halving stages with their warnings and errors, and its test.
 * Status (converged, boundary, warnings) is returned as data, never thrown.
 */
import type { Family } from "../types.js";
import { NumericalError, DataError } from "../errors.js";
import { WlsWorkspace, solveNormalEquations, type WlsSolution } from "../linalg/weighted-least-squares.js";
import { makeRowEngine, type RowEngine } from "./irls-engine.js";
import { newton, statusWarnings, type IterationRecord, type NewtonMethod, type StepControl } from "./newton.js";

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
  /**
   * Also the null deviance Σ wt·d(y, μ₀) on the fit's rows (and threads): μ₀ a constant
   * (R's weighted mean of y) or "offset" (μ₀ = g⁻¹(offset), g⁻¹(0) without one); see
   * IrlsResult.nullDeviance.
   */
  nullMu?: number | "offset" | null;
  /**
   * Also the family's aic (R's family$aic, via Family.aicRows) and the Pearson sum at the
   * fit, on the fit's threads: computed only by the parallel engine (IrlsResult.familyAic,
   * pearsonSum; absent otherwise). `trials` is R's binomial n (null: the weights).
   */
  finish?: { aic: boolean; trials: Float64Array | null; pearson: boolean } | null;
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
  /** Per iteration: step halvings and the relative deviance change |D − D_old|/(|D| + 0.1). */
  history: IterationRecord[];
  /** The null deviance asked for by IrlsOptions.nullMu (absent when not asked, or for the empty model). */
  nullDeviance?: number;
  /** R's family$aic(y, n, μ, wt, dev) at the fit, summed on the worker threads (IrlsOptions.finish). */
  familyAic?: number;
  /** Σ W·((y − μ)/μ′(η))² over W > 0 at the fit, summed on the worker threads (IrlsOptions.finish). */
  pearsonSum?: number;
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

/**
 * glm.fit's starting η and μ (etastart, else start, else the family's or the
 * caller's μ), written into the engine's buffers, with the starting deviance: μ,
 * validity and deviance come from the engine's rows (on its threads, the deviance
 * summed in thread order as every later one; serially, in row order as R). Returns
 * whether `start` was used (then R's coefold is `start`, and a first step can be
 * halved back to it) and the deviance.
 */
function startingValues(problem: IrlsProblem, options: IrlsOptions, engine: RowEngine, beta: Float64Array): { fromStart: boolean; deviance: number } {
  const { n, p, y, weights, family } = problem;
  const { eta } = engine.bufs;
  const link = family.link;
  let fromStart = false;
  let rows;
  if (options.etastart) {
    eta.set(options.etastart);
    rows = engine.refresh();
  } else if (options.start) {
    if (options.start.length !== p)
      throw new DataError(`start has length ${options.start.length}, but the design has ${p} columns`);
    beta.set(options.start);
    fromStart = true;
    rows = engine.update(beta);
  } else if (!options.mustart && engine.bufs.rows !== null) {
    rows = engine.start(); // the family's μ on the engine's rows (and threads)
  } else {
    const mustart = options.mustart ?? family.startMu(y, weights);
    for (let i = 0; i < n; i++) eta[i] = link.linkfun(mustart[i]!);
    rows = engine.refresh();
  }
  if (!rows.valid)
    throw new NumericalError("cannot find valid starting values: please specify some (start, etastart or mustart)");
  return { fromStart, deviance: rows.deviance };
}

/** R's EMPTY branch: no columns, η = offset, nothing to estimate. */
function emptyModel(problem: IrlsProblem, eta: Float64Array, mu: Float64Array, W: Float64Array): IrlsResult {
  const { n, y, weights, offset, family } = problem;
  const link = family.link;
  eta.fill(0);
  if (offset) eta.set(offset);
  for (let i = 0; i < n; i++) mu[i] = link.linkinv(eta[i]!);
  if (!allValid(family, eta, mu)) throw new NumericalError("invalid linear predictor values in empty model");
  const deviance = totalDeviance(family, y, mu, weights);
  for (let i = 0; i < n; i++) {
    const me = link.muEta(eta[i]!);
    W[i] = (weights[i]! * me * me) / family.variance(mu[i]!);
  }
  return {
    coef: new Float64Array(0), aliased: new Uint8Array(0), rank: 0, eta, mu, workingWeights: W,
    deviance, iterations: 0, converged: true, boundary: false, warnings: [], solution: null, history: [],
  };
}

/** glm.fit's iteration state: β, R's coefold and devold, and the deviance and validity at β. */
interface GlmFitState {
  beta: Float64Array;
  /** R's coefold: where a step is halved back to (valid once `hasOld`). */
  coefold: Float64Array;
  hasOld: boolean;
  dev: number;
  devold: number;
  valid: boolean;
  solution: WlsSolution | null;
}

/** One of glm.fit's two halving loops: halve back towards coefold while `passes` fails (at most maxit times). */
function halvingStage(
  s: GlmFitState, engine: RowEngine, maxit: number, passes: () => boolean, warning: string, error: string,
): StepControl {
  const p = s.beta.length;
  return {
    maxHalvings: maxit,
    accepts: passes,
    onFirstRejection() {
      if (!s.hasOld) throw new NumericalError("no valid set of coefficients has been found: please supply starting values");
      return warning;
    },
    shorten() {
      for (let j = 0; j < p; j++) s.beta[j] = (s.beta[j]! + s.coefold[j]!) / 2;
      const upd = engine.update(s.beta);
      s.dev = upd.deviance;
      s.valid = upd.valid;
    },
    exhausted() {
      throw new NumericalError(error);
    },
  };
}

/** glm.fit as a configuration of the pipeline: the WLS direction, the two halving stages, the relative-deviance test. */
function glmFitMethod(problem: IrlsProblem, engine: RowEngine, s: GlmFitState, epsilon: number, maxit: number): NewtonMethod {
  const { X, n, p } = problem;
  const { W, z } = engine.bufs;
  const ws = new WlsWorkspace(p);
  const tol = qrTolerance(epsilon);
  return {
    maxit,
    propose(iter) {
      s.devold = s.dev;
      if (iter > 1 || s.hasOld) {
        s.coefold.set(s.beta);
        s.hasOld = true;
      }
      const nGood = engine.weights(ws.A, ws.b);
      if (nGood === 0) return `no observations informative at iteration ${iter}`;
      const sol = solveNormalEquations(X, n, p, W, z, ws, tol);
      for (let j = 0; j < p; j++) if (!Number.isFinite(sol.coef[j]!)) return `non-finite coefficients at iteration ${iter}`;
      if (nGood < sol.rank)
        throw new DataError(`X matrix has rank ${sol.rank}, but only ${nGood} observations: the design has more estimable coefficients than rows with a positive weight (and working weight); drop terms or add data (R's glm.fit stops here too)`);
      s.solution = sol;
      s.beta.set(sol.coef);
      const upd = engine.update(s.beta);
      s.dev = upd.deviance;
      s.valid = upd.valid;
      return null;
    },
    stepControl: [
      halvingStage(s, engine, maxit, () => Number.isFinite(s.dev), "step size truncated due to divergence", "inner loop 1; cannot correct step size: the deviance stayed non-finite however far the step was halved (give start, etastart or mustart, try another link, or check the response and the predictors for extreme values)"),
      halvingStage(s, engine, maxit, () => s.valid, "step size truncated: out of bounds", "inner loop 2; cannot correct step size: the linear predictor or mean stayed outside the family's domain however far the step was halved (give start, etastart or mustart, or try another link)"),
    ],
    converged() {
      const criterion = Math.abs(s.dev - s.devold) / (Math.abs(s.dev) + 0.1);
      return { converged: criterion < epsilon, criterion };
    },
  };
}

/** The finishing sums IrlsOptions.finish asks for, from the engine's threads (none on the serial engine). */
function finishOnRows(problem: IrlsProblem, engine: RowEngine, f: NonNullable<IrlsOptions["finish"]>, dev: number): Pick<IrlsResult, "familyAic" | "pearsonSum"> {
  const out: Pick<IrlsResult, "familyAic" | "pearsonSum"> = {};
  const ar = problem.family.aicRows;
  if (f.aic && ar) {
    const { y, weights, n } = problem;
    const c = ar.context?.(y, f.trials ?? weights, weights, dev) ?? 0;
    const sums = engine.aicSums(f.trials, c);
    if (sums !== null) out.familyAic = ar.finish(sums, dev, n, c);
  }
  if (f.pearson) {
    const s = engine.pearsonSum();
    if (s !== null) out.pearsonSum = s;
  }
  return out;
}

/** Maximum-likelihood IRLS. Throws only where R's glm.fit stops with an error. */
export function irls(problem: IrlsProblem, options: IrlsOptions = {}): IrlsResult {
  const { X, n, p, y, weights, offset, family } = problem;
  const epsilon = options.epsilon ?? 1e-8;
  const maxit = options.maxit ?? 25;
  // The rows are computed by an engine: on this thread, or split over worker threads
  // when the design is on a SharedArrayBuffer (see irls-engine.ts).
  const engine = makeRowEngine(X, n, p, y, weights, offset, family);
  const { eta, mu, W } = engine.bufs;
  const beta = new Float64Array(p);
  const { fromStart: hasOld, deviance: dev } = startingValues(problem, options, engine, beta);
  if (p === 0) {
    const empty = emptyModel(problem, Float64Array.from(eta), Float64Array.from(mu), Float64Array.from(W));
    engine.release();
    return empty;
  }

  const s: GlmFitState = { beta, coefold: new Float64Array(p), hasOld, dev, devold: dev, valid: true, solution: null };
  if (hasOld) s.coefold.set(beta);
  const run = newton(glmFitMethod(problem, engine, s, epsilon, maxit));
  const warnings = statusWarnings(run, () => "algorithm did not converge", "algorithm stopped at boundary value", family.fittedWarning(mu));
  const { solution } = s;
  // Vectors in the SIMD kernels' memory are copied out, so the result does not keep that memory (and its copy of X) alive.
  const own = (a: Float64Array) => (engine.bufs.k.kind === "wasm" ? a.slice() : a); // slice: one memcpy (Float64Array.from iterates)
  const nullDeviance = options.nullMu != null ? { nullDeviance: engine.nullDeviance(options.nullMu) } : {};
  const finish = options.finish && engine.splits ? finishOnRows(problem, engine, options.finish, s.dev) : {};
  const coef = Float64Array.from(beta);
  const aliased = solution ? solution.aliased : new Uint8Array(p);
  for (let j = 0; j < p; j++) if (aliased[j]) coef[j] = Number.NaN;
  const result: IrlsResult = {
    coef, aliased, rank: solution ? solution.rank : 0, eta: own(eta), mu: own(mu), workingWeights: own(W), deviance: s.dev,
    iterations: run.iterations, converged: run.converged, boundary: run.boundary, warnings, solution, history: run.history,
    ...nullDeviance, ...finish,
  };
  // The vectors are copied out: a design buffer's room is free for the next run (after a throw, once the set is collected).
  engine.release();
  return result;
}

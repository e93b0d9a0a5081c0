/**
 * Maximum likelihood of the multinomial logit by Newton's method on the full
 * (K−1)·p coefficient vector (= Fisher scoring: the softmax link is canonical),
 * shaped as R's glm.fit: step halving when the deviance is not finite or rises,
 * stop when |dev − dev_old| / (|dev| + 0.1) < ε (default 1e-8, 25 iterations), and the
 * status (`converged`, `iterations`) returned as data rather than thrown.
 *
 * A subset of coefficients can be held fixed (`fixed`: index → value): profile
 * likelihood refits the others with Newton on the free block of the information.
 */
import { choleskyInPlace, choleskySolveInPlace } from "../linalg/cholesky.js";
import { multinomialLogLik, multinomialScoreInfo, multinomialWorkspace, type MultinomialProblem, type MultinomialWorkspace } from "./likelihood.js";

export interface MultinomialNewtonOptions {
  /** glm.fit's relative-deviance tolerance (default 1e-8). */
  epsilon?: number;
  /** Maximum Newton iterations (default 25, as glm.control). */
  maxit?: number;
  /** Starting coefficients (default 0: equal probabilities). */
  start?: Float64Array;
  /** Coefficients held at given values (profile likelihood): indices into β. */
  fixedIndex?: number;
  fixedValue?: number;
}

export interface MultinomialNewtonResult {
  beta: Float64Array;
  /** Σ y log π at beta. */
  logLikKernel: number;
  /** 2·(saturated − Σ y log π). */
  deviance: number;
  iterations: number;
  converged: boolean;
  /** Whether the information was not positive definite at some iterate (the step was stopped there). */
  singular: boolean;
  warnings: string[];
}

/** Relative pivot tolerance of the Cholesky factor of the information. */
const CHOLESKY_TOLERANCE = 1e-13;
/** Step halvings before giving up on a Newton direction. */
const MAX_HALVINGS = 40;

/**
 * Newton/IRLS for the multinomial logit. `ws` may be passed to reuse buffers (profile refits).
 * @example multinomialNewton(problem).converged // true
 */
export function multinomialNewton(problem: MultinomialProblem, options: MultinomialNewtonOptions = {}, ws: MultinomialWorkspace = multinomialWorkspace(problem)): MultinomialNewtonResult {
  const epsilon = options.epsilon ?? 1e-8;
  const maxit = options.maxit ?? 25;
  const D = (problem.K - 1) * problem.p;
  const fixed = options.fixedIndex ?? -1;
  const free = fixed >= 0 ? D - 1 : D;
  const beta = options.start ? Float64Array.from(options.start) : new Float64Array(D);
  if (fixed >= 0) beta[fixed] = options.fixedValue!;
  const trial = new Float64Array(D);
  const step = new Float64Array(free);
  const A = new Float64Array(free * free);
  const warnings: string[] = [];
  const devOf = (ll: number) => 2 * (ws.saturated - ll);
  let ll = multinomialLogLik(problem, beta, ws);
  let dev = devOf(ll);
  if (!Number.isFinite(dev)) {
    beta.fill(0);
    if (fixed >= 0) beta[fixed] = options.fixedValue!;
    ll = multinomialLogLik(problem, beta, ws);
    dev = devOf(ll);
  }
  let converged = false;
  let singular = false;
  let iter = 0;
  for (iter = 1; iter <= maxit; iter++) {
    multinomialScoreInfo(problem, ws);
    // the free block of the information and score
    for (let a = 0, fa = 0; a < D; a++) {
      if (a === fixed) continue;
      step[fa] = ws.grad[a]!;
      for (let b = 0, fb = 0; b < D; b++) {
        if (b === fixed) continue;
        A[fa * free + fb] = ws.info[a * D + b]!;
        fb++;
      }
      fa++;
    }
    if (!choleskyInPlace(A, free, CHOLESKY_TOLERANCE).ok) {
      singular = true;
      warnings.push("the information matrix is numerically singular (fitted probabilities 0 or 1: see separation); Newton stopped");
      break;
    }
    choleskySolveInPlace(A, free, step);
    let t = 1;
    let newLl = NaN, newDev = NaN;
    for (let h = 0; h <= MAX_HALVINGS; h++) {
      for (let a = 0, fa = 0; a < D; a++) {
        if (a === fixed) { trial[a] = beta[a]!; continue; }
        trial[a] = beta[a]! + t * step[fa]!;
        fa++;
      }
      newLl = multinomialLogLik(problem, trial, ws);
      newDev = devOf(newLl);
      // glm.fit halves on a non-finite deviance; Newton on a concave ℓ also halves on a rise.
      if (Number.isFinite(newDev) && newDev <= dev + 1e-12 * Math.abs(dev)) break;
      t /= 2;
    }
    if (!(Number.isFinite(newDev) && newDev <= dev + 1e-12 * Math.abs(dev))) {
      multinomialLogLik(problem, beta, ws); // restore ws.P at beta
      warnings.push("step halving could not reduce the deviance; Newton stopped");
      break;
    }
    beta.set(trial);
    const change = Math.abs(newDev - dev) / (Math.abs(newDev) + 0.1);
    ll = newLl;
    dev = newDev;
    if (change < epsilon) {
      converged = true;
      break;
    }
  }
  if (iter > maxit) iter = maxit;
  if (!converged && !singular && warnings.length === 0) warnings.push(`Newton did not converge in ${maxit} iterations`);
  return { beta, logLikKernel: ll, deviance: dev, iterations: iter, converged, singular, warnings };
}

/**
 * The multinomial-logit log posterior under coefficient priors, for MAP, Laplace and NUTS:
 *
 *   log p(β | y) = ℓ(β) + Σ_c log p_c(β_c)        (scalar priors, one per coefficient), or
 *   log p(β | y) = ℓ(β) + ½ log|I(β)|              (the Jeffreys prior, Firth 1993; samplable),
 *
 * with the gradient U(β) + ∇log p (src/multinomial/bias-reduction.ts gives ∇½ log|I|).
 * MAP: penalised Newton β ← β + t·(I − diag ∂²log p)⁻¹ ∇log p(β | y) with step halving on the
 * log posterior, stopping when the relative change of the log posterior is < 1e-12 and
 * max|step| < 1e-8. Laplace: N(β̂, (I(β̂) − diag ∂²log p(β̂))⁻¹).
 * The target implements samplers/'s LogDensity (dim, logDensityGrad, names).
 */
import { choleskyInPlace, choleskySolveInPlace } from "../linalg/cholesky.js";
import { NoModeError, NumericalError } from "../errors.js";
import type { CoefficientPrior, CoefficientScalarPrior } from "../priors/index.js";
import type { LogDensity } from "../../samplers/types.js";
import { multinomialLogLik, multinomialScore, multinomialScoreInfo, multinomialWorkspace, type MultinomialProblem } from "./likelihood.js";
import { jeffreysAdjustment } from "./bias-reduction.js";
import { inverseInformation } from "./fit.js";

/** One prior per coefficient, or the Jeffreys prior on all of them. */
export type MultinomialPriors = { kind: "scalar"; priors: readonly CoefficientScalarPrior[] } | { kind: "jeffreys" };

/** The log posterior and its gradient (allocation-free per call; owns its buffers, not re-entrant). */
export function multinomialLogPosterior(problem: MultinomialProblem, priors: MultinomialPriors, names?: readonly string[]): LogDensity {
  const K1 = problem.K - 1, D = K1 * problem.p;
  const ws = multinomialWorkspace(problem);
  const adj = new Float64Array(D), A = new Float64Array(K1 * K1), pi = new Float64Array(K1), c = new Float64Array(K1);
  const R = new Float64Array(D * D);
  return {
    dim: D,
    ...(names ? { names } : {}),
    logDensityGrad(theta: Float64Array, grad: Float64Array): number {
      const ll = multinomialLogLik(problem, theta, ws);
      if (!Number.isFinite(ll)) { grad.fill(0); return -Infinity; }
      if (priors.kind === "scalar") {
        multinomialScore(problem, ws);
        let lp = ll;
        for (let a = 0; a < D; a++) {
          const pr = priors.priors[a]!;
          lp += pr.logDensity(theta[a]!);
          grad[a] = ws.grad[a]! + pr.gradient(theta[a]!);
        }
        return lp;
      }
      multinomialScoreInfo(problem, ws);
      R.set(ws.info);
      if (!choleskyInPlace(R, D, 1e-14).ok) { grad.fill(0); return -Infinity; }
      let logDet = 0;
      for (let a = 0; a < D; a++) logDet += 2 * Math.log(R[a * D + a]!);
      const V = inverseInformation(ws.info, D);
      jeffreysAdjustment(problem, ws, V, adj, A, pi, c);
      for (let a = 0; a < D; a++) grad[a] = ws.grad[a]! + adj[a]!;
      return ll + 0.5 * logDet;
    },
  };
}

export interface MultinomialMapResult {
  beta: Float64Array;
  /** (I − diag ∂²log p)⁻¹ at the mode: the Laplace covariance. */
  vcov: Float64Array;
  logPosterior: number;
  logLikKernel: number;
  iterations: number;
  converged: boolean;
}

/**
 * The posterior mode under scalar priors by penalised Newton (see the module comment).
 * Throws NoModeError when the log posterior keeps increasing along flat-prior coefficients
 * (separation with flat priors): detected as coefficients passing 1e6 in absolute value.
 */
export function multinomialMap(problem: MultinomialProblem, priors: readonly CoefficientScalarPrior[], names: readonly string[], options: { maxit?: number } = {}): MultinomialMapResult {
  const maxit = options.maxit ?? 200;
  const D = (problem.K - 1) * problem.p;
  const ws = multinomialWorkspace(problem);
  const beta = new Float64Array(D), trial = new Float64Array(D), step = new Float64Array(D), H = new Float64Array(D * D);
  const objective = (b: Float64Array): number => {
    let v = multinomialLogLik(problem, b, ws);
    for (let a = 0; a < D; a++) v += priors[a]!.logDensity(b[a]!);
    return v;
  };
  let lp = objective(beta);
  let converged = false, iter = 0;
  for (iter = 1; iter <= maxit; iter++) {
    multinomialLogLik(problem, beta, ws);
    multinomialScoreInfo(problem, ws);
    H.set(ws.info);
    for (let a = 0; a < D; a++) {
      step[a] = ws.grad[a]! + priors[a]!.gradient(beta[a]!);
      // −∂²log p ≥ 0 for log-concave priors; Student-t/Cauchy tails may be negative: floored at 0 (a quasi-Newton metric)
      H[a * D + a] += Math.max(0, -priors[a]!.hessianDiag(beta[a]!));
    }
    if (!choleskyInPlace(H, D, 1e-14).ok) throw new NumericalError("the penalised information of the multinomial MAP is singular");
    choleskySolveInPlace(H, D, step);
    let t = 1, next = -Infinity;
    for (let h = 0; h < 50; h++) {
      for (let a = 0; a < D; a++) trial[a] = beta[a]! + t * step[a]!;
      next = objective(trial);
      if (Number.isFinite(next) && next >= lp - 1e-12 * Math.abs(lp)) break;
      t /= 2;
    }
    let maxStep = 0;
    for (let a = 0; a < D; a++) maxStep = Math.max(maxStep, Math.abs(trial[a]! - beta[a]!));
    beta.set(trial);
    const change = Math.abs(next - lp) / (Math.abs(next) + 0.1);
    lp = next;
    const runaway: Record<string, "+Inf" | "-Inf"> = {};
    for (let a = 0; a < D; a++) if (Math.abs(beta[a]!) > 1e6) runaway[names[a]!] = beta[a]! > 0 ? "+Inf" : "-Inf";
    if (Object.keys(runaway).length > 0)
      throw new NoModeError(`the posterior mode does not exist: ${Object.keys(runaway).join(", ")} diverge (separation with flat priors); give them proper priors`, runaway, Object.keys(runaway));
    if (change < 1e-12 && maxStep < 1e-8) { converged = true; break; }
  }
  if (iter > maxit) iter = maxit;
  const ll = multinomialLogLik(problem, beta, ws);
  multinomialScoreInfo(problem, ws);
  H.set(ws.info);
  for (let a = 0; a < D; a++) H[a * D + a] -= priors[a]!.hessianDiag(beta[a]!);
  return { beta, vcov: inverseInformation(H, D), logPosterior: lp, logLikKernel: ll, iterations: iter, converged };
}

/** The priors per coefficient `category:term`: the intercept prior on "(Intercept)" terms, the coefficient prior on the others. */
export function priorsPerCoefficient(terms: readonly string[], K1: number, coefficient: CoefficientPrior, intercept: CoefficientPrior): MultinomialPriors {
  if (coefficient.kind === "jeffreys" || intercept.kind === "jeffreys") return { kind: "jeffreys" };
  const out: CoefficientScalarPrior[] = [];
  for (let q = 0; q < K1; q++) for (const t of terms) out.push((t === "(Intercept)" ? intercept : coefficient) as CoefficientScalarPrior);
  return { kind: "scalar", priors: out };
}

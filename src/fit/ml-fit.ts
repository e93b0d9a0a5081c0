/**
 * Maximum-likelihood GLM fit: IRLS plus everything R's glm() and summary.glm
 * report (null deviance, degrees of freedom, AIC, log-likelihood, dispersion,
 * coefficient table, covariance, residuals of the four types).
 */
import type { Family } from "../types.js";
import { irls, type IrlsOptions, type IrlsResult } from "./irls.js";
import { unscaledCovariance } from "../linalg/weighted-least-squares.js";
import { coefficientTable, type CoefficientRow } from "./inference.js";

/** A design with its response, as the fitters consume it (binomial y already a proportion). */
export interface GlmProblem {
  X: Float64Array;
  n: number;
  p: number;
  columnNames: string[];
  hasIntercept: boolean;
  y: Float64Array;
  /** Prior weights (binomial: trials × case weights). */
  weights: Float64Array;
  offset: Float64Array | null;
  /** Binomial number of trials per row (R's `n` in family$aic); null for other families and 0/1 responses (then the weights serve, as in R). */
  trials: Float64Array | null;
  /** Starting means when they differ from family.startMu (R's binomial cbind initialize). */
  mustart?: Float64Array | null;
  family: Family;
}

export type ResidualType = "response" | "working" | "pearson" | "deviance";


export interface MlFit {
  problem: GlmProblem;
  irls: IrlsResult;
  coefficients: CoefficientRow[];
  coef: Float64Array;
  /** Unscaled covariance (XᵀWX)⁻¹, p×p row-major, NaN rows/cols for aliased columns. */
  covUnscaled: Float64Array;
  dispersion: number;
  dispersionEstimated: boolean;
  deviance: number;
  nullDeviance: number;
  dfResidual: number;
  dfNull: number;
  aic: number;
  logLik: number;
  /** Observations with non-zero weight. */
  nObs: number;
  warnings: string[];
}

/** Working residuals (y − μ)/μ′(η) at the final η. */
export function workingResiduals(fam: Family, y: Float64Array, mu: Float64Array, eta: Float64Array): Float64Array {
  const r = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) r[i] = (y[i]! - mu[i]!) / fam.link.muEta(eta[i]!);
  return r;
}

/** Residuals of R's four types (residuals.glm). */
export function residuals(fit: { problem: GlmProblem; irls: IrlsResult }, type: ResidualType): Float64Array {
  const { y, weights, family } = fit.problem;
  const { mu, eta } = fit.irls;
  const n = y.length;
  const r = new Float64Array(n);
  switch (type) {
    case "response":
      for (let i = 0; i < n; i++) r[i] = y[i]! - mu[i]!;
      return r;
    case "working":
      return workingResiduals(family, y, mu, eta);
    case "pearson":
      for (let i = 0; i < n; i++) r[i] = ((y[i]! - mu[i]!) * Math.sqrt(weights[i]!)) / Math.sqrt(family.variance(mu[i]!));
      return r;
    case "deviance":
      for (let i = 0; i < n; i++) {
        const d = Math.max(family.devResid(y[i]!, mu[i]!, weights[i]!), 0);
        r[i] = Math.sign(y[i]! - mu[i]!) * Math.sqrt(d);
      }
      return r;
  }
}

/** Null deviance as R's glm.fit (and glm's refit of the intercept-only model with the offset). */
function nullDeviance(problem: GlmProblem, fit: IrlsResult, control: IrlsOptions): { value: number; warning?: string } {
  const { y, weights, offset, family, n, hasIntercept } = problem;
  if (hasIntercept && offset !== null) {
    const ones = new Float64Array(n).fill(1);
    const fit2 = irls(
      { X: ones, n, p: 1, y, weights, offset, family },
      { epsilon: control.epsilon, maxit: control.maxit, mustart: fit.mu },
    );
    return fit2.converged
      ? { value: fit2.deviance }
      : { value: fit2.deviance, warning: "fitting to calculate the null deviance did not converge -- increase maxit?" };
  }
  let dev = 0;
  if (hasIntercept) {
    let sw = 0;
    let swy = 0;
    for (let i = 0; i < n; i++) {
      sw += weights[i]!;
      swy += weights[i]! * y[i]!;
    }
    const wtdmu = swy / sw;
    for (let i = 0; i < n; i++) dev += family.devResid(y[i]!, wtdmu, weights[i]!);
  } else {
    for (let i = 0; i < n; i++) dev += family.devResid(y[i]!, family.link.linkinv(offset ? offset[i]! : 0), weights[i]!);
  }
  return { value: dev };
}

/** Pearson estimate of the dispersion: Σ W·r²_working / df.residual over W > 0 (summary.glm). */
export function pearsonDispersion(fit: IrlsResult, workingResid: Float64Array, dfResidual: number): number {
  if (dfResidual <= 0) return Number.NaN;
  let s = 0;
  const W = fit.workingWeights;
  for (let i = 0; i < W.length; i++) if (W[i]! > 0) s += W[i]! * workingResid[i]! * workingResid[i]!;
  return s / dfResidual;
}

/** Fits by maximum likelihood and assembles what summary.glm reports. */
export function fitMl(problem: GlmProblem, control: IrlsOptions = {}): MlFit {
  const { family, y, weights, n, p } = problem;
  const fit = irls(
    { X: problem.X, n, p, y, weights, offset: problem.offset, family },
    { ...control, mustart: control.mustart ?? problem.mustart ?? null },
  );
  const warnings = [...fit.warnings];
  let zeroW = 0;
  for (let i = 0; i < n; i++) if (weights[i] === 0) zeroW++;
  const nObs = n - zeroW;
  const dfResidual = nObs - fit.rank;
  const dfNull = nObs - (problem.hasIntercept ? 1 : 0);
  const nd = nullDeviance(problem, fit, control);
  if (nd.warning) warnings.push(nd.warning);

  // R's binomial aic takes m = n if any n > 1 else the weights: with one trial per row, passing the weights as n is the same.
  const trials = problem.trials ?? weights;
  const aic = family.quasi ? Number.NaN : family.aic(y, trials, fit.mu, weights, fit.deviance) + 2 * fit.rank;
  const k = fit.rank + (family.dispersionModel !== null ? 1 : 0) /* R's logLik.glm counts φ of gaussian, Gamma, inverse.gaussian */;
  const logLik = k - aic / 2;

  const dispersionEstimated = family.dispersion === "estimated";
  const dispersion = dispersionEstimated ? pearsonDispersion(fit, workingResiduals(family, y, fit.mu, fit.eta), dfResidual) : 1;
  if (dispersionEstimated && zeroW > 0) warnings.push("observations with zero weight not used for calculating dispersion");
  if (dispersionEstimated && dfResidual <= 0)
    warnings.push("no residual degrees of freedom: the dispersion cannot be estimated, so standard errors, statistics and p-values are NaN (as in R)");

  const covUnscaled = fit.solution ? unscaledCovariance(fit.solution, p) : new Float64Array(0);
  const cov = covUnscaled.map((v) => v * dispersion);
  const coefficients = coefficientTable(problem.columnNames, fit.coef, fit.aliased, cov, dispersionEstimated, dfResidual);
  return {
    problem, irls: fit, coefficients, coef: fit.coef, covUnscaled, dispersion, dispersionEstimated,
    deviance: fit.deviance, nullDeviance: nd.value, dfResidual, dfNull, aic, logLik, nObs, warnings,
  };
}

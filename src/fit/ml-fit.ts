/**
 * Maximum-likelihood GLM fit: IRLS plus everything R's glm() and summary.glm
 * report (null deviance, degrees of freedom, AIC, log-likelihood, dispersion,
 * coefficient table, covariance, residuals of the four types).
 */
import type { Family } from "../types.js";
import { NumericalError } from "../errors.js";
import { irls, type IrlsOptions, type IrlsResult } from "./irls.js";
import { unscaledCovariance } from "../linalg/weighted-least-squares.js";
import { coefficientTable, type CoefficientRow } from "./inference.js";
import { columnExponents, ldexp, scaleDesign, scaleVector, unscaleCovariance } from "./design-scaling.js";

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
  /** Rows the fit counts (positive prior weight; = nObs): n of the degrees of freedom and the dispersion, as R. */
  rowsUsed: number;
  /** Rows given a (case) weight of 0: in the data but not counted (R-compatible). */
  rowsZeroWeight: number;
  /** Binomial rows with no trials, cbind(0, 0): prior weight 0 after R's initialize, not counted. */
  rowsZeroTrials: number;
  /** Informational notes (not warnings), e.g. which rows were not counted and why; [] when none. */
  notes: string[];
  warnings: string[];
}

/** The rows the fit counts, those it does not (zero weight, cbind(0, 0)), and a note when there are any. */
export function rowCounts(problem: GlmProblem): Pick<MlFit, "rowsUsed" | "rowsZeroWeight" | "rowsZeroTrials" | "notes"> {
  const { weights, trials, n } = problem;
  let zeroWeight = 0;
  let zeroTrials = 0;
  for (let i = 0; i < n; i++) {
    if (trials !== null && trials[i] === 0) zeroTrials++;
    else if (weights[i] === 0) zeroWeight++;
  }
  const rowsUsed = n - zeroWeight - zeroTrials;
  const why = [
    ...(zeroWeight > 0 ? [`${zeroWeight} ${zeroWeight === 1 ? "has" : "have"} weight 0`] : []),
    ...(zeroTrials > 0 ? [`${zeroTrials} ${zeroTrials === 1 ? "is" : "are"} cbind(0, 0) (no trials)`] : []),
  ];
  const notes = why.length === 0 ? [] : [
    `${rowsUsed} of ${n} rows are counted: ${why.join(" and ")}, so they are not counted in n, the degrees of freedom or the dispersion (as R's glm)`,
  ];
  return { rowsUsed, rowsZeroWeight: zeroWeight, rowsZeroTrials: zeroTrials, notes };
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

/**
 * The μ₀ of the null deviance R's glm.fit computes without a refit: the weighted mean
 * of y for a model with an intercept (and no offset), g⁻¹(offset) (g⁻¹(0) without an
 * offset) for one without; null when R refits the intercept-only model with the offset.
 */
function nullMean(problem: GlmProblem): number | "offset" | null {
  const { y, weights, offset, n, hasIntercept } = problem;
  if (!hasIntercept) return "offset";
  if (offset !== null) return null;
  let sw = 0;
  let swy = 0;
  for (let i = 0; i < n; i++) {
    sw += weights[i]!;
    swy += weights[i]! * y[i]!;
  }
  return swy / sw;
}

/**
 * Null deviance as R's glm.fit (and glm's refit of the intercept-only model with the
 * offset): the fit's own (computed on its rows and threads, IrlsOptions.nullMu) when it
 * has one, else Σ wt·d(y, μ₀) here, in row order.
 */
function nullDeviance(problem: GlmProblem, fit: IrlsResult, control: IrlsOptions, mu0: number | "offset" | null): { value: number; warning?: string } {
  const { y, weights, offset, family, n } = problem;
  if (mu0 === null) {
    const ones = new Float64Array(n).fill(1);
    const fit2 = irls(
      { X: ones, n, p: 1, y, weights, offset, family },
      { epsilon: control.epsilon, maxit: control.maxit, mustart: fit.mu },
    );
    return fit2.converged
      ? { value: fit2.deviance }
      : { value: fit2.deviance, warning: "fitting to calculate the null deviance did not converge -- increase maxit?" };
  }
  if (fit.nullDeviance !== undefined) return { value: fit.nullDeviance };
  let dev = 0;
  if (mu0 !== "offset") {
    for (let i = 0; i < n; i++) dev += family.devResid(y[i]!, mu0, weights[i]!);
  } else {
    for (let i = 0; i < n; i++) dev += family.devResid(y[i]!, family.link.linkinv(offset ? offset[i]! : 0), weights[i]!);
  }
  return { value: dev };
}

/** Why the null deviance is not finite (R's glm reports the same NaN or Inf without a word). */
function nullDevianceWarning(problem: GlmProblem, value: number): string {
  const { family, hasIntercept, offset } = problem;
  const model = hasIntercept
    ? "the intercept-only model's fitted mean"
    : offset === null
      ? `the null model without an intercept (η = 0, so μ = ${family.link.linkinv(0)} under the ${family.link.name} link)`
      : "the null model without an intercept (η = the offset)";
  return `the null deviance is not finite (${value}): ${model} is outside the ${family.name} family's range or gives deviance terms beyond double precision, so there is no null deviance to report${hasIntercept ? "" : " (R's glm has no finite value either)"}`;
}

/** Pearson estimate of the dispersion: Σ W·r²_working / df.residual over W > 0 (summary.glm). */
export function pearsonDispersion(fit: IrlsResult, workingResid: Float64Array, dfResidual: number): number {
  if (dfResidual <= 0) return Number.NaN;
  let s = 0;
  const W = fit.workingWeights;
  for (let i = 0; i < W.length; i++) if (W[i]! > 0) s += W[i]! * workingResid[i]! * workingResid[i]!;
  return s / dfResidual;
}

/**
 * IRLS on the design with its badly scaled columns rescaled by powers of two (exact;
 * see design-scaling.ts), so coef and solution are on the scaled columns; `e` holds
 * the exponents (null: nothing rescaled, the plain fit).
 */
function scaledIrls(problem: GlmProblem, control: IrlsOptions): { fit: IrlsResult; e: Int32Array | null } {
  const { family, y, weights, n, p } = problem;
  const e = columnExponents(problem.X, n, p);
  const X = e ? scaleDesign(problem.X, n, p, e) : problem.X;
  const start = e && control.start ? scaleVector(control.start, e, 1) : control.start;
  const fit = irls({ X, n, p, y, weights, offset: problem.offset, family }, { ...control, start, mustart: control.mustart ?? problem.mustart ?? null });
  return { fit, e };
}

/** The IRLS record on the original columns: β = D⁻¹β̃ and R = R̃D (entries may overflow: the covariance is taken from R̃). */
function unscaledIrls(fit: IrlsResult, e: Int32Array): IrlsResult {
  const coef = scaleVector(fit.coef, e, -1);
  const sol = fit.solution;
  if (sol === null) return { ...fit, coef };
  const k = sol.rank;
  const R = Float64Array.from(sol.R, (v, idx) => ldexp(v, e[sol.kept[idx % k]!]!));
  return { ...fit, coef, solution: { ...sol, coef: scaleVector(sol.coef, e, -1), R } };
}

/** The coefficient table on the original columns: estimates and SEs by D⁻¹ (exact), statistics and p-values unchanged. */
function unscaledTable(rows: CoefficientRow[], e: Int32Array): CoefficientRow[] {
  return rows.map((r, j) =>
    r.aliased ? r : { ...r, estimate: ldexp(r.estimate!, -e[j]!), se: r.se === null ? null : ldexp(r.se, -e[j]!) });
}

/** "1e200" for 2^664: the decimal order of a power of two. */
const decimalOrder = (e: number): string => `1e${Math.round(e * Math.LOG10E * Math.LN2)}`;

/**
 * Makes every estimate and SE of a non-aliased coefficient a usable number or NaN,
 * never 0 or ±Infinity (double precision gives those for designs too badly scaled even
 * for the internal rescaling: the statistic and p-value, computed on the rescaled
 * columns, are kept when they are finite there), and warns when the covariance matrix
 * holds variances outside the double range. `scaled` is the table before unscaling.
 * Returns the warnings.
 */
function checkInference(
  rows: CoefficientRow[], scaled: CoefficientRow[], covUnscaled: Float64Array, dispersion: number, e: Int32Array | null,
): string[] {
  const usable = (v: number | null): boolean => v !== null && v !== 0 && Number.isFinite(v);
  const warnings: string[] = [];
  const bad: string[] = [];
  const outOfRange: string[] = [];
  const p = rows.length;
  if (Number.isNaN(dispersion)) return overflowingEstimates(rows); // no residual df: SEs NaN with their own warning
  if (!Number.isFinite(dispersion)) {
    rows.forEach((r, j) => { if (!r.aliased) rows[j] = { ...r, se: NaN, statistic: NaN, p_value: NaN }; });
    return [`the estimated dispersion is ${dispersion}: the Pearson residuals at the fitted means overflow (did the fit converge?), so the standard errors, statistics and p-values are NaN`];
  }
  rows.forEach((r, j) => {
    if (r.aliased) return;
    const okScaled = usable(scaled[j]!.se) && Number.isFinite(scaled[j]!.estimate!);
    if (usable(r.se) && Number.isFinite(r.estimate!)) {
      const v = covUnscaled.length === p * p ? covUnscaled[j * p + j]! : NaN;
      if (e !== null && !(v >= 2.2250738585072014e-308 && Number.isFinite(v))) outOfRange.push(`"${r.name}" (values of order ${decimalOrder(e[j]!)})`);
      return;
    }
    bad.push(`${r.name} (estimate ${r.estimate}, SE ${r.se})`);
    rows[j] = okScaled ? { ...r, estimate: NaN, se: NaN } : { ...r, estimate: Number.isFinite(r.estimate!) ? r.estimate : NaN, se: NaN, statistic: NaN, p_value: NaN };
  });
  if (bad.length > 0 && dispersion === 0)
    warnings.push(`essentially perfect fit: the estimated dispersion is 0, so the standard errors of ${rows.filter((r) => !r.aliased).map((r) => r.name).join(", ")} would be 0 and their statistics 0/0 or infinite: the standard errors, statistics and p-values are NaN (R's summary.lm: "essentially perfect fit: summary may be unreliable")`);
  else if (bad.length > 0)
    warnings.push(`the design is too badly scaled for double precision: ${bad.join(", ")} cannot be represented, so they are reported as NaN (statistics and p-values are kept where they could be computed on rescaled columns). Rescale the predictors`);
  if (outOfRange.length > 0)
    warnings.push(`badly scaled columns: ${outOfRange.join(", ")}; the estimates, standard errors, statistics and p-values are exact (computed on internally rescaled columns), but the variances lie outside the double range, so the covariance matrix holds 0 or Infinity for them. Rescale the predictors`);
  return warnings;
}

/** Estimates beyond double precision (±Infinity) made NaN, with the warning (for fits whose SEs are NaN anyway). */
function overflowingEstimates(rows: CoefficientRow[]): string[] {
  const bad: string[] = [];
  rows.forEach((r, j) => {
    if (r.aliased || Number.isFinite(r.estimate!) || Number.isNaN(r.estimate!)) return;
    bad.push(`${r.name} (estimate ${r.estimate})`);
    rows[j] = { ...r, estimate: NaN };
  });
  return bad.length === 0 ? [] : [
    `the design is too badly scaled for double precision: ${bad.join(", ")} cannot be represented, so they are reported as NaN. Rescale the predictors or the response`,
  ];
}

/** A residual below this share of the responses' scale is rounding: the fit is exact. */
const EXACT_FIT = 1e3 * Number.EPSILON;

/**
 * Whether the fitted means reproduce y to rounding on every row of positive weight:
 * |yᵢ − μᵢ| ≤ 1e3·ε·max(|yᵢ|, |μᵢ|, mean |y|).
 */
export function exactFit(y: Float64Array, mu: Float64Array, weights: Float64Array): boolean {
  let scale = 0;
  let m = 0;
  for (let i = 0; i < y.length; i++) if (weights[i]! > 0) { scale += Math.abs(y[i]!); m++; }
  scale = m > 0 ? scale / m : 0;
  for (let i = 0; i < y.length; i++) {
    if (!(weights[i]! > 0)) continue;
    if (Math.abs(y[i]! - mu[i]!) > EXACT_FIT * Math.max(Math.abs(y[i]!), Math.abs(mu[i]!), scale)) return false;
  }
  return true;
}

/**
 * AIC and log-likelihood as R's glm and logLik.glm compute them, with a warning
 * whenever they are not finite (R's own warnings from family$aic first), and one
 * deliberate difference: a family with an estimated dispersion (gaussian, Gamma,
 * inverse.gaussian: `dispersionModel`) fitted exactly (every |y − μ| at rounding
 * level) has a dispersion MLE of 0 and an unbounded likelihood, so AIC = −Inf and
 * logLik = +Inf; R reports a finite value computed from the rounding noise of the
 * deviance (e.g. −463.1 for Gamma with y constant), which no other computation
 * reproduces. Quasi families (and Tweedie) have no likelihood: NaN, as R's NA, silently.
 */
function likelihoodSummary(problem: GlmProblem, fit: IrlsResult): { aic: number; logLik: number; warnings: string[] } {
  const { family, y, weights } = problem;
  if (family.quasi) return { aic: Number.NaN, logLik: Number.NaN, warnings: [] };
  // R's binomial aic takes m = n if any n > 1 else the weights: with one trial per row, passing the weights as n is the same.
  const trials = problem.trials ?? weights;
  const k = fit.rank + (family.dispersionModel !== null ? 1 : 0) /* R's logLik.glm counts φ of gaussian, Gamma, inverse.gaussian */;
  if (family.dispersionModel !== null && exactFit(y, fit.mu, weights)) {
    return {
      aic: -Infinity, logLik: Infinity,
      warnings: [`the fit is exact (every residual is at rounding level, deviance ${fit.deviance === 0 ? 0 : fit.deviance.toPrecision(3)}): the dispersion's maximum-likelihood estimate is 0 and the likelihood is unbounded, so the AIC is -Inf and the log-likelihood +Inf (R reports a finite AIC computed from the rounding noise of the deviance)`],
    };
  }
  // Summed on the fit's worker threads when it ran on them (IrlsResult.familyAic), else here.
  const aic = (fit.familyAic ?? family.aic(y, trials, fit.mu, weights, fit.deviance)) + 2 * fit.rank;
  const logLik = k - aic / 2;
  const warnings = family.aicWarnings(y, weights);
  if (!Number.isFinite(aic) && warnings.length === 0 && family.likelihood !== null)
    warnings.push(`the AIC is ${aic} and the log-likelihood ${logLik}: the ${family.name} log-likelihood is not finite at the fitted means (a response on the edge of the family's support, or a fitted mean that reached it?)`);
  return { aic, logLik, warnings };
}

/**
 * The fit stopped before its first weighted least-squares solve (non-finite
 * coefficients or no informative rows at iteration 1): there is no estimate, and no
 * covariance, to report (R's glm.fit ends in an error here too).
 */
function noEstimate(fit: IrlsResult): NumericalError {
  const why = fit.warnings.find((w) => /at iteration 1$/.test(w)) ?? "the first iteration failed";
  const remedy = /^no observations informative/.test(why)
    ? "no row has both a positive prior weight (weights, or trials of a cbind(successes, failures) response) and a usable working weight at the start: check the weights and the response"
    : "give start values (start, etastart or mustart), rescale the response, the offset or the predictors (values beyond about 1e±150 overflow), or try another link";
  return new NumericalError(
    `no estimate: the fit stopped at its first iteration (${why}), so there are no coefficients and no covariance to report; ${remedy}`,
  );
}

/** Fits by maximum likelihood and assembles what summary.glm reports. */
export function fitMl(problem: GlmProblem, control: IrlsOptions = {}): MlFit {
  const { family, y, weights, n, p } = problem;
  const mu0 = nullMean(problem);
  const finish = { aic: !family.quasi && family.aicRows != null, trials: problem.trials, pearson: family.dispersion === "estimated" };
  const { fit: scaledFit, e } = scaledIrls(problem, { ...control, nullMu: mu0, finish });
  if (scaledFit.solution === null && p > 0) throw noEstimate(scaledFit);
  const fit = e ? unscaledIrls(scaledFit, e) : scaledFit;
  const warnings = [...fit.warnings];
  let zeroW = 0;
  for (let i = 0; i < n; i++) if (weights[i] === 0) zeroW++;
  const nObs = n - zeroW;
  const dfResidual = nObs - fit.rank;
  const dfNull = nObs - (problem.hasIntercept ? 1 : 0);
  const nd = nullDeviance(problem, fit, control, mu0);
  if (nd.warning) warnings.push(nd.warning);
  if (!Number.isFinite(nd.value)) warnings.push(nullDevianceWarning(problem, nd.value));
  if (!Number.isFinite(fit.deviance))
    warnings.push(`the residual deviance is not finite (${fit.deviance}): the deviance terms overflow double precision at the fitted means (responses, offsets or fitted means beyond about 1e154?), so there is no deviance to report`);

  const { aic, logLik, warnings: aicWarnings } = likelihoodSummary(problem, fit);
  warnings.push(...aicWarnings);

  const dispersionEstimated = family.dispersion === "estimated";
  const dispersion = !dispersionEstimated ? 1
    : fit.pearsonSum !== undefined ? (dfResidual <= 0 ? Number.NaN : fit.pearsonSum / dfResidual) // summed on the fit's threads
    : pearsonDispersion(fit, workingResiduals(family, y, fit.mu, fit.eta), dfResidual);
  if (dispersionEstimated && zeroW > 0) warnings.push("observations with zero weight not used for calculating dispersion");
  if (dispersionEstimated && dfResidual <= 0)
    warnings.push("no residual degrees of freedom: the dispersion cannot be estimated, so standard errors, statistics and p-values are NaN (as in R)");

  const covScaled = scaledFit.solution ? unscaledCovariance(scaledFit.solution, p) : new Float64Array(0); // p = 0: the empty model
  const cov = covScaled.map((v) => v * dispersion);
  const table = coefficientTable(problem.columnNames, scaledFit.coef, fit.aliased, cov, dispersionEstimated, dfResidual);
  const coefficients = e ? unscaledTable(table, e) : table;
  const covUnscaled = e && covScaled.length > 0 ? unscaleCovariance(covScaled, e) : covScaled;
  warnings.push(...checkInference(coefficients, table, covUnscaled, dispersion, e));
  return {
    problem, irls: fit, coefficients, coef: fit.coef, covUnscaled, dispersion, dispersionEstimated,
    deviance: fit.deviance, nullDeviance: nd.value, dfResidual, dfNull, aic, logLik, nObs, ...rowCounts(problem), warnings,
  };
}

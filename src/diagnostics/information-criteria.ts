/**
 * The Bayesian information criterion of an ML fit as R computes it:
 *   BIC = −2 log L + log(nobs) · df
 * with R's logLik: df = rank, + 1 for the families whose dispersion R counts as a
 * parameter (gaussian, Gamma, inverse.gaussian; logLik.glm), + 1 for θ of a negative
 * binomial fitted by MASS::glm.nb (logLik.negbin); a fixed-θ negative binomial counts
 * only the rank, as R's glm() with negative.binomial(θ). Quasi families have no
 * likelihood: NaN, as R's NA.
 *
 * nobs: R 4.2's logLik.glm/logLik.negbin set nobs = sum(!is.na(fit$residuals)), which
 * counts rows with zero prior weight too (their working residuals are not NA), so
 * R's BIC uses every row; nobs(fit) counts only the rows with non-zero weight. The
 * default follows BIC(fit); `nobs: "positiveWeights"` uses nobs(fit) instead. The two
 * differ only when some prior weight is 0.
 *
 * References: [1] Schwarz (1978), Estimating the dimension of a model, Annals of
 * Statistics 6, 461–464; [2] R 4.2 src/library/stats/R/glm.R (logLik.glm), AIC.R (BIC).
 */
import type { MlFit } from "../fit/ml-fit.js";
import { workingResiduals } from "../fit/ml-fit.js";
import { ArgumentError } from "../errors.js";
import { checkFit } from "./fit-parts.js";


export interface InformationCriterion {
  /** −2 log L + log(nobs)·df (NaN for quasi families). */
  bic: number;
  logLik: number;
  /** Parameters counted, as attr(logLik(fit), "df"). */
  df: number;
  /** Observations counted. */
  nobs: number;
}

/** True for a MASS::glm.nb-style fit with θ estimated (src/fit/negbin.ts's NegbinFit). */
function thetaEstimated(fit: MlFit): boolean {
  const f = fit as MlFit & { seTheta?: unknown; twoLogLik?: unknown };
  return typeof f.seTheta === "number" && typeof f.twoLogLik === "number";
}

/** R's attr(logLik(fit), "nobs"): rows whose working residual is not NaN (zero weights included). */
function logLikNobs(fit: MlFit): number {
  const { family, y } = fit.problem;
  const r = workingResiduals(family, y, fit.irls.mu, fit.irls.eta);
  let n = 0;
  for (let i = 0; i < r.length; i++) if (!Number.isNaN(r[i]!)) n++;
  return n;
}

/**
 * R's BIC(fit) for a glm or glm.nb fit (see the module comment for df and nobs).
 * @example bic(fit).bic // birthwt logit: 248.6027 (R: BIC(fit))
 */
export function bic(fit: MlFit, options: { nobs?: "logLik" | "positiveWeights" } = {}): InformationCriterion {
  checkFit(fit);
  const how = options.nobs ?? "logLik";
  if (how !== "logLik" && how !== "positiveWeights") throw new ArgumentError(`nobs must be "logLik" or "positiveWeights", got ${String(how)}`);
  const family = fit.problem.family;
  const df = fit.irls.rank + (family.dispersionModel !== null ? 1 : 0) /* gaussian, Gamma, inverse.gaussian: logLik.glm counts φ */ + (thetaEstimated(fit) ? 1 : 0);
  const nobs = how === "logLik" ? logLikNobs(fit) : fit.nObs;
  const logLik = family.quasi ? Number.NaN : fit.logLik;
  return { bic: -2 * logLik + Math.log(nobs) * df, logLik, df, nobs };
}

/**
 * Negative binomial regression with θ estimated, as MASS::glm.nb (MASS 7.3):
 * a Poisson fit to start, then alternation between IRLS at fixed θ and the
 * Newton–Raphson ML estimate of θ given μ (MASS::theta.ml), stopping when
 * |ΔL|/d₁ + |Δθ|/d₂ < ε. The same sequence of computations as MASS so the
 * numbers agree to R's precision (θ, its SE, 2·logLik, AIC).
 * Reference: Venables & Ripley (2002) Modern Applied Statistics with S, §7.4.
 */
import digamma from "@stdlib/math-base-special-digamma";
import trigamma from "@stdlib/math-base-special-trigamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import type { Family, Link } from "../types.js";
import { makeFamily } from "../families/index.js";
import { irls, type IrlsOptions } from "./irls.js";
import { fitMl, type GlmProblem, type MlFit } from "./ml-fit.js";

/** Families through makeFamily, so that they carry the recipe worker threads rebuild them from. */
const poisson = (link: Link | string): Family => makeFamily("poisson", { link });
const negativeBinomial = (theta: number, link: Link | string): Family => makeFamily("negative_binomial", { theta, link });

export interface ThetaEstimate {
  theta: number;
  se: number;
  iterations: number;
  warnings: string[];
}

/** MASS::theta.ml: Newton–Raphson on the profile score of θ given μ (tolerance ε^¼). */
export function thetaMl(y: Float64Array, mu: Float64Array, w: Float64Array, limit = 10): ThetaEstimate {
  const n = y.length;
  const eps = Math.pow(Number.EPSILON, 0.25);
  let sw = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    sw += w[i]!;
    const r = y[i]! / mu[i]! - 1;
    s += w[i]! * r * r;
  }
  let t0 = sw / s;
  let it = 0;
  let del = 1;
  let info = Number.NaN;
  const warnings: string[] = [];
  while (++it < limit && Math.abs(del) > eps) {
    t0 = Math.abs(t0);
    let score = 0;
    info = 0;
    const dg = digamma(t0);
    const tg = trigamma(t0);
    const lt = Math.log(t0);
    for (let i = 0; i < n; i++) {
      const yi = y[i]!;
      const mi = mu[i]!;
      const wi = w[i]!;
      score += wi * (digamma(t0 + yi) - dg + lt + 1 - Math.log(t0 + mi) - (yi + t0) / (mi + t0));
      info += wi * (-trigamma(t0 + yi) + tg - 1 / t0 + 2 / (mi + t0) - (yi + t0) / ((mi + t0) * (mi + t0)));
    }
    del = score / info;
    t0 += del;
  }
  if (t0 < 0) {
    t0 = 0;
    warnings.push("theta estimate truncated at zero");
  }
  if (it === limit) warnings.push("theta iteration limit reached");
  return { theta: t0, se: Math.sqrt(1 / info), iterations: it, warnings };
}

/** The negative binomial log-likelihood Σ w·log f(y; μ, θ) as MASS's glm.nb computes it. */
export function negbinLogLik(th: number, mu: Float64Array, y: Float64Array, w: Float64Array): number {
  let s = 0;
  const lgt = gammaln(th);
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    s +=
      w[i]! *
      (gammaln(th + yi) - lgt - gammaln(yi + 1) + th * Math.log(th) + yi * Math.log(mu[i]! + (yi === 0 ? 1 : 0)) -
        (th + yi) * Math.log(th + mu[i]!));
  }
  return s;
}

export interface NegbinFit extends MlFit {
  theta: number;
  seTheta: number;
  twoLogLik: number;
  /** Outer alternations between IRLS and θ. */
  alternations: number;
}

/**
 * Fits a negative binomial GLM with θ estimated by alternating ML (MASS::glm.nb).
 * `problem.family` is ignored except for its link; `initTheta` starts from a
 * negative binomial instead of a Poisson fit, as glm.nb's init.theta.
 */
export function fitNegbin(
  problem: Omit<GlmProblem, "family"> & { link: Link | string },
  control: IrlsOptions & { initTheta?: number } = {},
): NegbinFit {
  const maxit = control.maxit ?? 25;
  const epsilon = control.epsilon ?? 1e-8;
  const inner: IrlsOptions = { maxit, epsilon };
  const { y, weights: w, n } = problem;
  const fam0 = control.initTheta === undefined ? poisson(problem.link) : negativeBinomial(control.initTheta, problem.link);
  let fit = fitMl({ ...problem, family: fam0 }, inner);
  let mu = fit.irls.mu;
  const warnings: string[] = [];
  let est = thetaMl(y, mu, w, maxit);
  let th = est.theta;
  let fam = negativeBinomial(th, problem.link);
  let iter = 0;
  const d1 = Math.sqrt(2 * Math.max(1, fit.dfResidual));
  const d2 = 1;
  let del = 1;
  let Lm = negbinLogLik(th, mu, y, w);
  let Lm0 = Lm + 2 * d1;
  while (++iter <= maxit && Math.abs(Lm0 - Lm) / d1 + Math.abs(del) / d2 > epsilon) {
    const eta = new Float64Array(n);
    for (let i = 0; i < n; i++) eta[i] = fam.link.linkfun(mu[i]!);
    fit = fitMl({ ...problem, family: fam }, { ...inner, etastart: eta });
    const t0 = th;
    est = thetaMl(y, mu, w, maxit);
    th = est.theta;
    fam = negativeBinomial(th, problem.link);
    mu = fit.irls.mu;
    del = t0 - th;
    Lm0 = Lm;
    Lm = negbinLogLik(th, mu, y, w);
  }
  warnings.push(...est.warnings);
  if (iter > maxit) warnings.push("alternation limit reached");
  if (!(est.se > 0 && Number.isFinite(est.se)))
    warnings.push(`the standard error of theta is ${est.se}: the information of theta at its estimate is not positive and finite, so the SE does not exist (MASS::theta.ml: "NaNs produced" in sqrt(1/i))`);
  let nullDeviance = fit.nullDeviance;
  if (problem.offset !== null && problem.hasIntercept) {
    const ones = new Float64Array(n).fill(1);
    nullDeviance = irls({ X: ones, n, p: 1, y, weights: w, offset: problem.offset, family: fam }, inner).deviance;
  }
  const twoLogLik = 2 * Lm;
  return {
    ...fit,
    nullDeviance,
    warnings: [...fit.warnings, ...warnings],
    aic: -twoLogLik + 2 * fit.irls.rank + 2,
    logLik: Lm,
    theta: th,
    seTheta: est.se,
    twoLogLik,
    alternations: iter,
  };
}

/**
 * The two records at the heart of glmkit, in the spirit of R's `family` objects:
 * a `Link` (η = g(μ) and its inverse) and a `Family` (variance function, deviance,
 * log-likelihood, support of y) that carries its link. Both are plain frozen
 * objects of scalar functions; fitting code takes the functions off the record
 * and never branches on family names.
 */

/** A link function g with μ = g⁻¹(η). All clamping lives here, as in R's C code. */
export interface Link {
  /** R's name of the link: "identity", "log", "logit", "probit", "cloglog", "cauchit", "inverse", "1/mu^2", "sqrt", or "mu^λ" for power(λ). */
  readonly name: string;
  /** η = g(μ). */
  linkfun(mu: number): number;
  /** μ = g⁻¹(η), clamped inside the family's support as R does. */
  linkinv(eta: number): number;
  /** dμ/dη at η, floored at machine epsilon where R floors it. */
  muEta(eta: number): number;
  /** d²μ/dη² at η (needed by the Jeffreys prior and mean-bias reduction for non-canonical links). */
  muEta2(eta: number): number;
  /** Whether η is a valid linear predictor for this link (R's `valideta`). */
  validEta(eta: number): boolean;
}

/** Dispersion of a family: fixed at 1 (binomial, Poisson, negative binomial) or estimated. */
export type DispersionKind = "fixed" | "estimated";

/** The makeFamily arguments that rebuild a family (in a worker thread, for instance). */
export interface FamilyRecipe {
  name: string;
  link: string;
  theta?: number;
  power?: number;
}

/** An exponential-family (or quasi) distribution together with its link. */
export interface Family {
  /** How makeFamily rebuilds this family; absent for families built around a custom Link record. */
  readonly recipe?: FamilyRecipe;
  /** R's name of the family: "gaussian", "binomial", "poisson", "Gamma", "inverse.gaussian", "quasibinomial", "quasipoisson", "Negative Binomial(θ)", "Tweedie". */
  readonly name: string;
  readonly link: Link;
  /** Name of the canonical link of this family, if it has one ("logit" for binomial). */
  readonly canonicalLink: string | null;
  /** Whether the dispersion is fixed at 1 or estimated (Pearson χ²/df, as summary.glm). */
  readonly dispersion: DispersionKind;
  /** True for quasi families, which have no likelihood (AIC and log-likelihood are NaN as in R). */
  readonly quasi: boolean;
  /** Variance function V(μ). */
  variance(mu: number): number;
  /** V'(μ). */
  varianceDeriv(mu: number): number;
  /** Weighted unit deviance wt·d(y, μ) of one observation (R's `dev.resids`). */
  devResid(y: number, mu: number, wt: number): number;
  /**
   * R's `family$aic(y, n, mu, wt, dev)`: −2 × log-likelihood at the fit (with the
   * dispersion MLE plugged in where R plugs it in), before the 2·rank term.
   * `n` is the binomial number of trials (ones for other families). NaN for quasi families.
   */
  aic(y: Float64Array, n: Float64Array, mu: Float64Array, wt: Float64Array, dev: number): number;
  /**
   * Full log density of one observation with prior weight `wt` given the dispersion φ
   * (binomial: y is the proportion and wt the number of trials, binomial coefficient
   * included; gaussian σ² = φ/wt; Gamma shape 1/φ and inverse.gaussian λ = 1/φ with the
   * log density multiplied by wt, as R's aic; binomial, Poisson and negative binomial
   * ignore φ). NaN for quasi families and Tweedie. Summed with R's plug-in φ it equals
   * R's logLik: −aic/2 for binomial/Poisson/NB, −aic/2 + 1 for gaussian/Gamma/IG
   * (whose R aic carries +2 for the dispersion).
   */
  logLikObs(y: number, mu: number, wt: number, dispersion: number): number;
  /** Whether μ is valid (R's `validmu`). */
  validMu(mu: number): boolean;
  /** Starting values of μ, as R's `family$initialize` computes `mustart` (pure: never mutates y or weights). */
  startMu(y: Float64Array, wt: Float64Array): Float64Array;
  /** Throws a DataError naming the row (1-based) when y is outside the family's support. */
  checkY(y: Float64Array, wt: Float64Array): void;
  /**
   * R's glm.fit warning about fitted values on the boundary of the family's support
   * ("fitted probabilities numerically 0 or 1 occurred", "fitted rates numerically 0
   * occurred"), or null when μ is clear of it (or the family has no such warning).
   */
  fittedWarning(mu: Float64Array): string | null;
  /**
   * brglm2's starting response: y and the prior weights moved off the boundary of the
   * support by a = rank/n (binomial y → (wy + a/2)/(w + a), w → w + a; Poisson y → y + a/2),
   * so that separated data still give finite starting values. Families without a
   * boundary return their inputs unchanged. Never mutates its inputs.
   */
  nudgeResponse(y: Float64Array, wt: Float64Array, a: number): { y: Float64Array; weights: Float64Array };
}

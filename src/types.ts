/**
 * The two records at the heart of glmkit, in the spirit of R's `family` objects:
 * a `Link` (η = g(μ), its inverse and three derivatives) and a `Family` that carries
 * its link and everything else the family knows: variance function, deviance, AIC,
 * support of y, R's `initialize` (response preparation and starting values), the
 * auxiliary parameter and the log-likelihood in (η, log aux), the dispersion
 * functions of bias reduction, and simulation of responses. Both are plain frozen
 * objects of functions; fitting code takes the functions off the record and never
 * branches on family names. See docs/adding-a-family.md.
 */
import type { FamilyRowKernels } from "./linalg/kernels/rows.js";

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
  /** d³μ/dη³ at η (the Hessian of the Jeffreys penalty ½ log|XᵀWX| needs it). */
  muEta3(eta: number): number;
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

/**
 * A family's aic (R's family$aic, before the 2·rank term) written as sums over rows, so
 * that row blocks can be summed on different threads: aic = finish(S, dev, n, c), where
 * S[k] = Σ_i term_k(i), each block summed by `add` in row order and the blocks' sums added
 * in block order, and c = context(y, n, wt, dev) is a scalar computed first over all rows
 * (binomial: whether any trial count exceeds 1; Gamma: the dispersion dev/Σw; else 0).
 * `aic` itself is `add` over [0, n) then `finish`, so one block gives its bits exactly.
 */
export interface AicRows {
  /** How many sums (1 to 4). */
  readonly sums: number;
  context?(y: Float64Array, n: Float64Array, wt: Float64Array, dev: number): number;
  /** Adds the terms of rows [start, end), in row order, to out[0 .. sums). */
  add(y: Float64Array, n: Float64Array, mu: Float64Array, wt: Float64Array, c: number, start: number, end: number, out: Float64Array): void;
  /** The aic from the sums over all rows. */
  finish(s: Float64Array, dev: number, nobs: number, c: number): number;
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
   * The warnings R gives while computing `aic` (dpois's "non-integer x = 1.500000"), and
   * why the aic is not finite when the family knows (a zero weight in the gaussian
   * Σ log wᵢ); [] when there is nothing to say.
   */
  aicWarnings(y: Float64Array, wt: Float64Array): string[];
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
  /** Whether the link is the family's canonical link (the Fisher and observed information agree). */
  readonly canonical: boolean;
  /** The IRLS row loops of this (family, link) pair, the same bits as the generic loop (src/families/row-kernels.ts); null or absent: the generic loop. */
  readonly rows?: FamilyRowKernels | null;
  /** R's aic as sums over rows, for row blocks on the IRLS worker threads ({@link AicRows}); null or absent: only `aic`. */
  readonly aicRows?: AicRows | null;
  /** The family's own parameters as data: θ of the negative binomial, the variance power of Tweedie; {} otherwise. */
  readonly parameters: FamilyParameters;
  /**
   * Whether y is a count (or a proportion of counts) and the likelihood a probability mass
   * function, so that the log-likelihood is at most 0 (binomial, Poisson, negative binomial).
   * False for quasi families, which have no likelihood.
   */
  readonly discrete: boolean;
  /**
   * Whether rstanarm's autoscaling multiplies prior scales by sd(y) (its `family$family ==
   * "gaussian"` test: the response is on the data's own scale); false for every other family.
   */
  readonly autoscaleBySdY: boolean;
  /** Whether y is a proportion of trials and the prior weights count the trials (binomial, quasibinomial). */
  readonly proportionResponse: boolean;
  /** The auxiliary parameter of the likelihood (σ, shape, θ, λ), or null (binomial, Poisson, quasi, Tweedie). */
  readonly aux: AuxParameter | null;
  /** The log-likelihood in (η, log aux) with its derivatives; null for families without one (quasi, Tweedie). */
  readonly likelihood: FamilyLikelihood | null;
  /** The dispersion functions bias reduction needs (gaussian, Gamma, inverse.gaussian); null otherwise. */
  readonly dispersionModel: DispersionModel | null;
  /** Which linear-programming check finds infinite MLEs of this family and link (see models/separation-check.ts); null for none. */
  readonly infiniteEstimateCheck: InfiniteEstimateCheck | null;
  /**
   * R's `initialize`, without mutating anything: from a model frame's response and case
   * weights to (y, prior weights, trials, mustart) and R's warnings. Throws a DataError
   * naming the row (of the data as given, through `rowsUsed`) for a response the family
   * cannot take. `alloc` allocates the weights vector (a SharedArrayBuffer one lets IRLS
   * share it with worker threads).
   */
  prepareResponse(
    response: Response,
    caseWeights: Float64Array | null,
    rowsUsed?: Int32Array,
    alloc?: (n: number) => Float64Array,
    /** The row checks already run over every row (on the IRLS workers, models/response.ts): all passed; the serial ones are skipped. */
    checked?: ResponseRowsCheck | null,
  ): PreparedResponse;
  /**
   * R's `family$simulate` for one observation: a response with mean μ and prior weight w,
   * given the auxiliary parameter `aux` (σ, shape, θ, λ; Tweedie: the dispersion φ;
   * ignored by binomial and Poisson). Null for families without a generative model (quasi).
   * Draws only from `rng`, so a seeded stream gives the same responses on every run.
   */
  readonly simulate: ((rng: Variates, mu: number, aux: number, w: number) => number) | null;
  /** Throws a DataError naming the row when responses cannot be simulated at these prior weights (binomial: whole numbers of trials, as R's simulate). */
  checkSimulationWeights(w: Float64Array): void;
}

/** The parameters a family is built with besides its link (see FamilyRecipe). */
export interface FamilyParameters {
  /** θ of the negative binomial (variance μ + μ²/θ). */
  readonly theta?: number;
  /** Variance power p of the Tweedie family (V(μ) = μᵖ). */
  readonly power?: number;
}

/** Name of the auxiliary parameter of each family with one. */
export type AuxName = "sigma" | "shape" | "theta" | "lambda";

/** The auxiliary parameter a of a likelihood, sampled and optimised on the log scale u = log a. */
export interface AuxParameter {
  readonly name: AuxName;
  /**
   * d log φ/du for families with a dispersion φ (gaussian 2, as φ = σ²; Gamma and
   * inverse.gaussian −1, as φ = 1/a); null for the negative binomial (φ = 1, θ enters V).
   */
  readonly logDispersionSlope: number | null;
}

/** The kinds of infinite-MLE check: binomial separation, or zero counts fitted by rates tending to 0 (log-link counts). */
export type InfiniteEstimateCheck = "binomial" | "logCount";

/** The log-likelihood side of a family record. */
export interface FamilyLikelihood {
  /** The μ-space pieces of the likelihood of data (y, w, trials), driven through any link by the generic kernel. */
  observationModel(y: Float64Array, w: Float64Array, trials: Float64Array | null): ObservationModel;
  /** An η-space kernel for the canonical link (binomial–logit, Poisson–log), used instead of the generic one when present. */
  canonicalKernel?(y: Float64Array, w: Float64Array, trials: Float64Array | null): RowLikelihoodKernel;
}

/**
 * Per-observation pieces of a family's log-likelihood ℓᵢ(μ, u), u = log aux, for the
 * generic-link kernel (src/likelihood/glm-likelihood.ts). Rows are indexed into the
 * y and w it was built from; aux-dependent values hold after `setAux`.
 * Families without an auxiliary parameter return 0 (or false) from the aux members.
 */
export interface ObservationModel {
  /** Sets the auxiliary parameter to e^u and returns 1/φ at it (1 without a dispersion). */
  setAux(u: number): number;
  /** V(μ), V′(μ), V″(μ) (of the current θ for the negative binomial). */
  variance(mu: number): number;
  varianceDeriv(mu: number): number;
  varianceDeriv2(mu: number): number;
  /** ℓᵢ for weight w > 0 (−∞ outside the support). */
  logDensity(i: number, mu: number): number;
  /** ∂ℓᵢ/∂u, ∂²ℓᵢ/∂u², and ∂²ℓᵢ/∂μ∂u (0 without aux). */
  dU(i: number, mu: number): number;
  dUU(i: number, mu: number): number;
  dMuU(i: number, mu: number): number;
  /** E[−∂²ℓ/∂u²] over all rows (NaN if unavailable). */
  expectedAuxInfo(): number;
  /** Jeffreys: ∂ log ωᵢ/∂u, ∂²/∂u², and ∂ log ωᵢ/∂μ∂u (so ∂²/∂η∂u = μ′ times it). */
  logOmegaU(mu: number): number;
  logOmegaUU(mu: number): number;
  logOmegaMuU(mu: number): number;
  /** ½ log I_uu(u) and its first two derivatives into out[0..2]; false where there is no closed form. */
  auxInfoHalfLog(u: number, out: Float64Array): boolean;
  /** A starting u from the data and the means μ (a moment estimate, or the family's θ). */
  startAux(y: Float64Array, w: Float64Array, mu: Float64Array): number;
}

/**
 * Per-observation likelihood with derivatives in (η, u). Arrays are length n and
 * caller-owned; `u` is ignored by families without an auxiliary parameter.
 * A value of −∞ means η is outside the link's or the family's domain.
 */
export interface LikelihoodKernel {
  readonly auxName: AuxName | null;
  /**
   * d log φ/du for families with a dispersion φ (gaussian 2, Gamma −1,
   * inverse.gaussian −1); null without aux, and for the negative binomial (φ = 1, V depends on θ).
   */
  readonly logDispersionSlope: number | null;
  /** ℓ = Σᵢ ℓᵢ(ηᵢ, u). */
  logLik(eta: Float64Array, u: number): number;
  /** ℓ; writes ∂ℓᵢ/∂ηᵢ into `score` and ∂ℓ/∂u into auxGrad[0]. */
  logLikGrad(eta: Float64Array, u: number, score: Float64Array, auxGrad: Float64Array): number;
  /** Writes ∂²ℓᵢ/∂ηᵢ² into hEta and ∂²ℓᵢ/∂ηᵢ∂u into hEtaU; returns ∂²ℓ/∂u². */
  hessianParts(eta: Float64Array, u: number, hEta: Float64Array, hEtaU: Float64Array): number;
  /**
   * Writes the Fisher (IRLS working) weights ωᵢ = E[−∂²ℓᵢ/∂ηᵢ²] = wμ′²/(φV) into omega
   * and returns the expected information of u, E[−∂²ℓ/∂u²] (NaN where it has no closed form: negative binomial).
   */
  fisher(eta: Float64Array, u: number, omega: Float64Array): number;
  /**
   * For the Jeffreys penalty: ωᵢ and the derivatives of log ωᵢ: aᵢ = ∂/∂η, aaᵢ = ∂²/∂η²,
   * auᵢ = ∂²/∂η∂u, bᵢ = ∂/∂u, bbᵢ = ∂²/∂u².
   */
  fisherLogDerivatives(
    eta: Float64Array, u: number, omega: Float64Array, a: Float64Array, aa: Float64Array,
    au: Float64Array, b: Float64Array, bb: Float64Array,
  ): void;
  /**
   * ½ log of the expected information of u, I_uu(u), with its first and second
   * derivatives in u, written into out[0..2]; false where there is no closed form (negative binomial).
   */
  auxInfoHalfLog(u: number, out: Float64Array): boolean;
  /** A starting u from the residuals at η (moment estimate), or the family's θ for the negative binomial. */
  startAux(eta: Float64Array): number;
}

/** Length of the running-sum state a {@link RangeLikelihoodGradient} keeps between row ranges. */
export const GRAD_STATE_LENGTH = 20;

/**
 * `logLikGrad` split into row ranges taken in order, for the fused one-pass gradient of
 * the log posterior (src/likelihood/log-posterior.ts: η, the family step and Xᵀ∂ℓ/∂η per
 * block of rows). gradBegin, gradRows over [0, b₁), [b₁, b₂), …, [b_k, n), then gradEnd give
 * the same ℓ, score and ∂ℓ/∂u as `logLikGrad`, bit for bit: a kernel's `logLikGrad` is these
 * three calls over [0, n). `state` (length GRAD_STATE_LENGTH, caller-owned) carries the running sums.
 */
export interface RangeLikelihoodGradient {
  /** Starts a gradient over n rows at u (state ← the initial sums). */
  gradBegin(n: number, u: number, state: Float64Array): void;
  /** Rows [start, end) of η into score and the sums; false when ℓ is −∞ (the caller stops). */
  gradRows(eta: Float64Array, u: number, score: Float64Array, start: number, end: number, state: Float64Array): boolean;
  /** ℓ from the sums (−∞ for a NaN), ∂ℓ/∂u into auxGrad[0]. */
  gradEnd(state: Float64Array, auxGrad: Float64Array): number;
  /**
   * The kernel's rows as data for the one-call SIMD gradient (assembly/gradient.ts, which repeats
   * gradRows's operations in its order); the arrays are the kernel's own (dl, dg filled by gradBegin).
   */
  rowData?(): FusedRowData;
}

/** What the SIMD fused gradient reads of an η-space kernel (RangeLikelihoodGradient.rowData). */
export type FusedRowData =
  | { family: "logit" | "poisson" | "gaussian"; y: Float64Array; w: Float64Array }
  | {
      family: "negbin"; y: Float64Array; w: Float64Array;
      /** lgamma(yᵢ + 1), the row's slot among the distinct y (−1 for weight 0), and per slot lgamma(y+θ) − lgamma(θ), ψ(y+θ) − ψ(θ) at the last gradBegin's u. */
      lgy: Float64Array; slot: Int32Array; dl: Float64Array; dg: Float64Array;
    };

/** A kernel that also gives each row's ℓᵢ, the terms whose sum is `logLik` (the pointwise log-likelihood of LOO/WAIC). */
export interface RowLikelihoodKernel extends LikelihoodKernel {
  /** Writes ℓᵢ(ηᵢ, u) into out (0 for rows of weight 0, −∞ outside the domain). */
  logLikRows(eta: Float64Array, u: number, out: Float64Array): void;
}

/**
 * The dispersion side of an exponential dispersion family, as bias reduction needs it
 * (src/fit/firth.ts): with prior weight w and dispersion φ, k = w/φ is the precision of
 * one observation, and the cumulant a(ζ) of the dispersion part at ζ = −k gives
 * E[w·d(y, μ)] = w·a′(ζ) and I_φφ = ½ Σ w² a″(ζ)/φ⁴ (Kosmidis & Firth 2009).
 */
export interface DispersionModel {
  /** Family name (R's). */
  readonly name: string;
  /** E[w·d(y, μ)] for an observation of prior weight w at dispersion φ. */
  expectedDeviance(w: number, phi: number): number;
  /** a″(ζ) at ζ = −k. */
  a2(k: number): number;
  /** a‴(ζ) at ζ = −k. */
  a3(k: number): number;
  /** Exact log density of y with mean μ, prior weight w and dispersion φ (precision k = w/φ). */
  logDensity(y: number, mu: number, w: number, phi: number): number;
}

/** A model frame's response as the formula front end gives it. */
export type Response =
  | { kind: "numeric"; name: string; values: Float64Array }
  | { kind: "factor"; name: string; values: Float64Array; levels: string[] }
  | { kind: "cbind"; name: string; successes: Float64Array; failures: Float64Array };

/**
 * A numeric response's row checks (responseRowFlags over every row), all passed: the
 * prior weights they ran on, and what they found (binomial: rows of weight 0 with y ≠ 0,
 * to be zeroed; w·y more than 1e-3 from an integer).
 */
export interface ResponseRowsCheck {
  weights: Float64Array;
  zeroWeightNonzeroY: boolean;
  nonInteger: boolean;
}

/** What the fitters consume, from `Family.prepareResponse`. */
export interface PreparedResponse {
  y: Float64Array;
  weights: Float64Array;
  /** Binomial trials per row (R's `n`), null for other families. */
  trials: Float64Array | null;
  /** Starting means where they differ from family.startMu (cbind with case weights). */
  mustart: Float64Array | null;
  warnings: string[];
}

/** The random variates a family's `simulate` draws from, all from one seeded stream (glmkit/testing's SimulationRng is one). */
export interface Variates {
  /** U(0, 1). */
  uniform(): number;
  /** N(mean, sd²). */
  normal(mean: number, sd: number): number;
  /** Number of successes in `trials` Bernoulli(prob) trials. */
  binomial(trials: number, prob: number): number;
  /** Poisson(mean). */
  poisson(mean: number): number;
  /** Gamma with shape α and rate β (mean α/β). */
  gamma(shape: number, rate: number): number;
  /** Negative binomial with mean μ and size θ (variance μ + μ²/θ). */
  negativeBinomial(mean: number, theta: number): number;
  /** Inverse Gaussian IG(μ, λ) (variance μ³/λ). */
  inverseGaussian(mean: number, lambda: number): number;
}

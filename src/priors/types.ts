/**
 * Prior records. A scalar prior is a frozen object of small functions of one
 * coordinate (log density, its first and second derivatives, one random draw),
 * in the spirit of R's `family` objects: the MAP fitter (penalised IRLS), the
 * Laplace approximation and the HMC samplers take the functions off the record
 * and never branch on the prior's name. Names and conventions follow rstanarm
 * (Goodrich, Gabry, Ali & Brilleman 2020, rstanarm 2.21 `?priors`).
 *
 * The Jeffreys prior (Firth's correction) is a joint prior, ½ log|I(β)|, with no
 * per-coordinate density: it is a separate marker kind that the model
 * recognises.
 */

/** Where a prior puts its mass: the real line (coefficients) or (0, ∞) (σ, shape, θ, λ). */
export type PriorSupport = "real" | "positive";

/**
 * A source of uniform variates on [0, 1): the `prng` contract of every
 * `@stdlib/random-base-*` factory, e.g. `mt19937.factory({ seed }).normalized`.
 * See {@link uniformSource}.
 */
export type UniformSource = () => number;

/**
 * What `sample` accepts: a uniform source, or any object with a `uniform()`
 * method on [0, 1) (such as the samplers' `Rng` from `samplers/rng.ts`), whose
 * stream then drives the stdlib generators.
 */
export type RandomSource = UniformSource | { uniform(): number };

/** Kinds of scalar prior, named as in rstanarm's spec strings. */
export type ScalarPriorKind =
  | "flat"
  | "normal"
  | "student_t"
  | "cauchy"
  | "laplace"
  | "logistic"
  | "exponential"
  | "half_normal"
  | "half_student_t"
  | "gamma";

/** Parameters of each kind of scalar prior. */
export interface PriorParams {
  flat: Record<string, never>;
  normal: { location: number; scale: number };
  student_t: { df: number; location: number; scale: number };
  cauchy: { location: number; scale: number };
  laplace: { location: number; scale: number };
  logistic: { location: number; scale: number };
  exponential: { rate: number };
  half_normal: { scale: number };
  half_student_t: { df: number; scale: number };
  gamma: { shape: number; rate: number };
}

/**
 * A prior on one coordinate. Every function is pure; `logDensity` is
 * normalised (constants included). Edge-case contract (as stdlib's
 * distribution functions): NaN in → NaN out; outside the support
 * (x < 0 for a positive prior) the log density is −∞ and both derivatives are 0.
 */
export interface ScalarPrior<K extends ScalarPriorKind = ScalarPriorKind> {
  readonly kind: K;
  readonly params: Readonly<PriorParams[K]>;
  readonly support: PriorSupport;
  /** False for `flat()`, whose density does not integrate. */
  readonly proper: boolean;
  /** rstanarm-style spec that {@link parsePrior} reads back exactly, e.g. "student_t(3, 0, 2.5)". */
  describe(): string;
  /** log p(x). */
  logDensity(x: number): number;
  /** d log p / dx. */
  gradient(x: number): number;
  /** d² log p / dx² (the diagonal of the prior's Hessian). */
  hessianDiag(x: number): number;
  /** One draw driven by `rng`. Throws PriorError for improper priors. */
  sample(rng: RandomSource): number;
}

export type FlatPrior = ScalarPrior<"flat">;
export type NormalPrior = ScalarPrior<"normal">;
export type StudentTPrior = ScalarPrior<"student_t">;
export type CauchyPrior = ScalarPrior<"cauchy">;
export type LaplacePrior = ScalarPrior<"laplace">;
export type LogisticPrior = ScalarPrior<"logistic">;
export type ExponentialPrior = ScalarPrior<"exponential">;
export type HalfNormalPrior = ScalarPrior<"half_normal">;
export type HalfStudentTPrior = ScalarPrior<"half_student_t">;
export type GammaPrior = ScalarPrior<"gamma">;

/** The Jeffreys-prior marker: penalty ½ log|I(β)| computed by the model (Firth 1993). */
export interface JeffreysPrior {
  readonly kind: "jeffreys";
  readonly params: Readonly<Record<string, never>>;
  readonly support: "real";
  readonly proper: false;
  /** Always true: the prior is a function of the whole coefficient vector. */
  readonly joint: true;
  describe(): string;
}

/** A scalar prior on a coefficient (support: the real line). */
export type CoefficientScalarPrior = FlatPrior | NormalPrior | StudentTPrior | CauchyPrior | LaplacePrior | LogisticPrior;

/** Anything that may be put on a regression coefficient. */
export type CoefficientPrior = CoefficientScalarPrior | JeffreysPrior;

/** A prior on an auxiliary parameter (σ, Gamma shape, NB θ, IG λ); flat() is allowed (improper). */
export type AuxPrior = FlatPrior | ExponentialPrior | HalfNormalPrior | HalfStudentTPrior | GammaPrior;

/** Any prior glmkit knows. */
export type Prior = CoefficientPrior | AuxPrior;

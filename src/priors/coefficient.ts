/**
 * Priors on regression coefficients (support: the real line), rstanarm's
 * conventions: location–scale families with z = (x − location)/scale.
 * Defaults where arguments are omitted are rstanarm's for coefficients
 * (location 0, scale 2.5, student_t df 1); `logistic` has no rstanarm
 * counterpart and takes the same defaults as the others.
 *
 * References: [1] rstanarm 2.21 `?priors`; [2] Johnson, Kotz & Balakrishnan
 * (1995) Continuous Univariate Distributions, vol. 2 (t, Cauchy, Laplace,
 * logistic); [3] Firth (1993) Biometrika 80:27–38 (Jeffreys penalty).
 */
import betaln from "@stdlib/math-base-special-betaln";
import log1p from "@stdlib/math-base-special-log1p";
import { PriorError } from "../errors.js";
import { callText, formatNumber, requireFinite, requirePositive } from "./args.js";
import { variates } from "./variates.js";
import type {
  CauchyPrior,
  FlatPrior,
  JeffreysPrior,
  LaplacePrior,
  LogisticPrior,
  NormalPrior,
  StudentTPrior,
  RandomSource,
} from "./types.js";

/** log √(2π). */
const LN_SQRT_TWO_PI = 0.9189385332046728;
/** log π. */
const LN_PI = 1.1447298858494002;
/** Past this |z|/√ν, log1p(z²/ν) is evaluated as 2 log(|z|/√ν) + log1p(ν/z²) so z² cannot overflow. */
const BIG_RATIO = 1e100;

/** Defaults used when arguments are omitted (constructors and {@link parsePrior}). */
export const COEFFICIENT_DEFAULTS = Object.freeze({ location: 0, scale: 2.5, df: 1 });

function freezePrior<T extends object>(record: T): T {
  return Object.freeze(record);
}

/**
 * Improper flat prior: log p(x) = 0 on the whole line (maximum likelihood when
 * used on every coefficient). Also allowed on auxiliary parameters. It has no sampler.
 * @example flat().logDensity(3) // 0
 */
export function flat(): FlatPrior {
  return freezePrior({
    kind: "flat" as const,
    params: Object.freeze({}) as Readonly<Record<string, never>>,
    support: "real" as const,
    proper: false,
    describe: () => "flat()",
    logDensity: (x: number) => (Number.isNaN(x) ? NaN : 0),
    gradient: (x: number) => (Number.isNaN(x) ? NaN : 0),
    hessianDiag: (x: number) => (Number.isNaN(x) ? NaN : 0),
    sample: (): number => {
      throw new PriorError("flat() is improper: it has no sampler");
    },
  });
}

/**
 * Normal prior: log p(x) = −log √(2π) − log σ − z²/2, z = (x − μ)/σ.
 * Gradient −z/σ, Hessian −1/σ².
 * @example normal(0, 1).logDensity(0) // ≈ -0.9189385332046728
 */
export function normal(location: number = COEFFICIENT_DEFAULTS.location, scale: number = COEFFICIENT_DEFAULTS.scale): NormalPrior {
  const call = callText("normal", [location, scale]);
  const mu = requireFinite(call, "location", location);
  const sigma = requirePositive(call, "scale", scale);
  const c = -LN_SQRT_TWO_PI - Math.log(sigma);
  const invVar = 1 / (sigma * sigma);
  return freezePrior({
    kind: "normal" as const,
    params: Object.freeze({ location: mu, scale: sigma }),
    support: "real" as const,
    proper: true,
    describe: () => `normal(${formatNumber(mu)}, ${formatNumber(sigma)})`,
    logDensity: (x: number) => {
      const z = (x - mu) / sigma;
      return c - 0.5 * z * z;
    },
    gradient: (x: number) => -(x - mu) * invVar,
    hessianDiag: (x: number) => (Number.isNaN(x) ? NaN : -invVar),
    sample: (rng: RandomSource) => variates(rng).normal(mu, sigma),
  });
}

/**
 * log(1 + a²) without overflow of a².
 * @internal
 */
function log1pSquare(a: number): number {
  const abs = Math.abs(a);
  if (abs > BIG_RATIO) return 2 * Math.log(abs) + log1p(1 / (abs * abs));
  return log1p(abs * abs);
}

/**
 * Kernel of the scaled t density in w = z/√ν: derivatives of
 * −(ν+1)/2 · log(1 + w²) with respect to x = μ + σ z.
 * d/dx = −(ν+1) z / (σ(ν + z²)); d²/dx² = −(ν+1)(ν − z²) / (σ²(ν + z²)²),
 * evaluated through 1/z when |z| > 1 so that nothing overflows.
 * @internal
 */
function tGradient(nu: number, sigma: number, z: number): number {
  if (Math.abs(z) <= 1) return (-(nu + 1) * z) / (sigma * (nu + z * z));
  const w = 1 / z;
  return (-(nu + 1) * w) / (sigma * (nu * w * w + 1));
}

/** @internal see {@link tGradient}. */
function tHessian(nu: number, sigma: number, z: number): number {
  if (Math.abs(z) <= 1) {
    const d = nu + z * z;
    return (-(nu + 1) * (nu - z * z)) / (sigma * sigma * d * d);
  }
  const w2 = 1 / (z * z);
  const d = nu * w2 + 1;
  return (-(nu + 1) * w2 * (nu * w2 - 1)) / (sigma * sigma * d * d);
}

/**
 * Student t prior with ν degrees of freedom, location μ and scale σ:
 * log p(x) = −½ log ν − log B(ν/2, ½) − log σ − (ν+1)/2 · log(1 + z²/ν)  [2, ch. 28].
 * @example studentT(3, 0, 2.5).logDensity(0) // ≈ -1.9171795814976647
 */
export function studentT(
  df: number = COEFFICIENT_DEFAULTS.df,
  location: number = COEFFICIENT_DEFAULTS.location,
  scale: number = COEFFICIENT_DEFAULTS.scale,
): StudentTPrior {
  const call = callText("student_t", [df, location, scale]);
  const nu = requirePositive(call, "df", df);
  const mu = requireFinite(call, "location", location);
  const sigma = requirePositive(call, "scale", scale);
  const c = -0.5 * Math.log(nu) - betaln(0.5 * nu, 0.5) - Math.log(sigma);
  const half = 0.5 * (nu + 1);
  const rootNu = Math.sqrt(nu);
  return freezePrior({
    kind: "student_t" as const,
    params: Object.freeze({ df: nu, location: mu, scale: sigma }),
    support: "real" as const,
    proper: true,
    describe: () => `student_t(${formatNumber(nu)}, ${formatNumber(mu)}, ${formatNumber(sigma)})`,
    logDensity: (x: number) => c - half * log1pSquare((x - mu) / sigma / rootNu),
    gradient: (x: number) => tGradient(nu, sigma, (x - mu) / sigma),
    hessianDiag: (x: number) => tHessian(nu, sigma, (x - mu) / sigma),
    sample: (rng: RandomSource) => mu + sigma * variates(rng).t(nu),
  });
}

/**
 * Cauchy prior (Student t with ν = 1): log p(x) = −log(πσ) − log(1 + z²).
 * @example cauchy(0, 1).logDensity(0) // ≈ -1.1447298858494002
 */
export function cauchy(location: number = COEFFICIENT_DEFAULTS.location, scale: number = COEFFICIENT_DEFAULTS.scale): CauchyPrior {
  const call = callText("cauchy", [location, scale]);
  const mu = requireFinite(call, "location", location);
  const sigma = requirePositive(call, "scale", scale);
  const c = -LN_PI - Math.log(sigma);
  return freezePrior({
    kind: "cauchy" as const,
    params: Object.freeze({ location: mu, scale: sigma }),
    support: "real" as const,
    proper: true,
    describe: () => `cauchy(${formatNumber(mu)}, ${formatNumber(sigma)})`,
    logDensity: (x: number) => c - log1pSquare((x - mu) / sigma),
    gradient: (x: number) => tGradient(1, sigma, (x - mu) / sigma),
    hessianDiag: (x: number) => tHessian(1, sigma, (x - mu) / sigma),
    sample: (rng: RandomSource) => variates(rng).cauchy(mu, sigma),
  });
}

/**
 * Laplace (double-exponential) prior: log p(x) = −log(2σ) − |x − μ|/σ.
 * The gradient −sign(x − μ)/σ is not defined at the location; there we return
 * the subgradient 0. The Hessian is 0 everywhere away from the location (the
 * log density is piecewise linear), so it gives Newton no curvature: a MAP
 * fitter must line-search (or use a proximal step) with this prior.
 * @example laplace(0, 1).logDensity(1) // ≈ -1.6931471805599454
 */
export function laplace(location: number = COEFFICIENT_DEFAULTS.location, scale: number = COEFFICIENT_DEFAULTS.scale): LaplacePrior {
  const call = callText("laplace", [location, scale]);
  const mu = requireFinite(call, "location", location);
  const sigma = requirePositive(call, "scale", scale);
  const c = -Math.log(2 * sigma);
  const invScale = 1 / sigma;
  return freezePrior({
    kind: "laplace" as const,
    params: Object.freeze({ location: mu, scale: sigma }),
    support: "real" as const,
    proper: true,
    describe: () => `laplace(${formatNumber(mu)}, ${formatNumber(sigma)})`,
    logDensity: (x: number) => c - Math.abs(x - mu) * invScale,
    gradient: (x: number) => (x > mu ? -invScale : x < mu ? invScale : x === mu ? 0 : NaN),
    hessianDiag: (x: number) => (Number.isNaN(x) ? NaN : 0),
    sample: (rng: RandomSource) => variates(rng).laplace(mu, sigma),
  });
}

/**
 * Logistic prior: log p(x) = −log σ − |z| − 2 log(1 + e^{−|z|}) (symmetric form,
 * no overflow). Gradient −tanh(z/2)/σ, Hessian −2 p(1 − p)/σ² with p = 1/(1 + e^{−z}).
 * @example logistic(0, 1).logDensity(0) // ≈ -1.3862943611198906
 */
export function logistic(location: number = COEFFICIENT_DEFAULTS.location, scale: number = COEFFICIENT_DEFAULTS.scale): LogisticPrior {
  const call = callText("logistic", [location, scale]);
  const mu = requireFinite(call, "location", location);
  const sigma = requirePositive(call, "scale", scale);
  const logSigma = Math.log(sigma);
  return freezePrior({
    kind: "logistic" as const,
    params: Object.freeze({ location: mu, scale: sigma }),
    support: "real" as const,
    proper: true,
    describe: () => `logistic(${formatNumber(mu)}, ${formatNumber(sigma)})`,
    logDensity: (x: number) => {
      const a = Math.abs((x - mu) / sigma);
      return -logSigma - a - 2 * log1p(Math.exp(-a));
    },
    gradient: (x: number) => -Math.tanh(0.5 * ((x - mu) / sigma)) / sigma,
    hessianDiag: (x: number) => {
      const e = Math.exp(-Math.abs((x - mu) / sigma));
      const d = 1 + e;
      return (-2 * e) / (d * d * sigma * sigma);
    },
    sample: (rng: RandomSource) => variates(rng).logistic(mu, sigma),
  });
}

/**
 * The Jeffreys-prior marker (Firth's bias-reducing penalty ½ log|I(β)| [3]).
 * It has no per-coordinate density and no sampler: the model recognises the
 * kind "jeffreys" and adds the penalty itself.
 * @example jeffreys().describe() // "jeffreys()"
 */
export function jeffreys(): JeffreysPrior {
  return freezePrior({
    kind: "jeffreys" as const,
    params: Object.freeze({}) as Readonly<Record<string, never>>,
    support: "real" as const,
    proper: false as const,
    joint: true as const,
    describe: () => "jeffreys()",
  });
}

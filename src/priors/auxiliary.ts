/**
 * Priors on auxiliary parameters (support (0, ∞): σ, Gamma shape, NB θ,
 * inverse-Gaussian λ), with the log-scale densities the samplers use.
 * Defaults where arguments are omitted follow rstanarm's for `prior_aux`
 * (exponential rate 1; scale 1; df 1); gamma(shape, rate) has no default.
 *
 * References: [1] rstanarm 2.21 `?priors`; [2] Stan Reference Manual,
 * "Lower bounded scalar" change of variables (log transform, Jacobian e^u).
 */
import betaln from "@stdlib/math-base-special-betaln";
import gammaln from "@stdlib/math-base-special-gammaln";
import log1p from "@stdlib/math-base-special-log1p";
import { PriorError } from "../errors.js";
import { callText, formatNumber, requirePositive } from "./args.js";
import { variates } from "./variates.js";
import type {
  AuxPrior,
  ExponentialPrior,
  GammaPrior,
  HalfNormalPrior,
  HalfStudentTPrior,
  Prior,
  RandomSource,
} from "./types.js";

/** log 2 − log √(2π) = log √(2/π). */
const LN_SQRT_TWO_OVER_PI = -0.22579135264472744;
const LN_TWO = 0.6931471805599453;
/** Past this x/(σ√ν), log(1 + r²) is evaluated without forming r². */
const BIG_RATIO = 1e100;

/** Defaults used when arguments are omitted (constructors and {@link parsePrior}). */
export const AUX_DEFAULTS = Object.freeze({ rate: 1, scale: 1, df: 1 });

/**
 * Exponential prior with rate λ: log p(x) = log λ − λx on x ≥ 0.
 * Gradient −λ, Hessian 0.
 * @example exponential(2).logDensity(1) // ≈ -1.3068528194400546
 */
export function exponential(rate: number = AUX_DEFAULTS.rate): ExponentialPrior {
  const call = callText("exponential", [rate]);
  const lambda = requirePositive(call, "rate", rate);
  const logRate = Math.log(lambda);
  return Object.freeze({
    kind: "exponential" as const,
    params: Object.freeze({ rate: lambda }),
    support: "positive" as const,
    proper: true,
    describe: () => `exponential(${formatNumber(lambda)})`,
    logDensity: (x: number) => (x >= 0 ? logRate - lambda * x : x < 0 ? -Infinity : NaN),
    gradient: (x: number) => (x >= 0 ? -lambda : x < 0 ? 0 : NaN),
    hessianDiag: (x: number) => (Number.isNaN(x) ? NaN : 0),
    sample: (rng: RandomSource) => variates(rng).exponential(lambda),
  });
}

/**
 * Half-normal prior with scale σ: twice the N(0, σ²) density on x ≥ 0,
 * log p(x) = log √(2/π) − log σ − x²/(2σ²). Gradient −x/σ², Hessian −1/σ².
 * @example halfNormal(1).logDensity(0) // ≈ -0.22579135264472744
 */
export function halfNormal(scale: number = AUX_DEFAULTS.scale): HalfNormalPrior {
  const call = callText("half_normal", [scale]);
  const sigma = requirePositive(call, "scale", scale);
  const c = LN_SQRT_TWO_OVER_PI - Math.log(sigma);
  const invVar = 1 / (sigma * sigma);
  return Object.freeze({
    kind: "half_normal" as const,
    params: Object.freeze({ scale: sigma }),
    support: "positive" as const,
    proper: true,
    describe: () => `half_normal(${formatNumber(sigma)})`,
    logDensity: (x: number) => {
      if (!(x >= 0)) return x < 0 ? -Infinity : NaN;
      const z = x / sigma;
      return c - 0.5 * z * z;
    },
    gradient: (x: number) => (x >= 0 ? -x * invVar : x < 0 ? 0 : NaN),
    hessianDiag: (x: number) => (x >= 0 ? -invVar : x < 0 ? 0 : NaN),
    sample: (rng: RandomSource) => Math.abs(variates(rng).normal(0, sigma)),
  });
}

/**
 * Half-Student-t prior with ν degrees of freedom and scale σ: twice the t
 * density on x ≥ 0, log p(x) = log 2 − ½ log ν − log B(ν/2, ½) − log σ − (ν+1)/2 · log(1 + x²/(νσ²)).
 * @example halfStudentT(3, 1).logDensity(0) // ≈ -0.30774166906356415
 */
export function halfStudentT(df: number = AUX_DEFAULTS.df, scale: number = AUX_DEFAULTS.scale): HalfStudentTPrior {
  const call = callText("half_student_t", [df, scale]);
  const nu = requirePositive(call, "df", df);
  const sigma = requirePositive(call, "scale", scale);
  const c = LN_TWO - 0.5 * Math.log(nu) - betaln(0.5 * nu, 0.5) - Math.log(sigma);
  const half = 0.5 * (nu + 1);
  const s = sigma * Math.sqrt(nu);
  const nuSigma2 = nu * sigma * sigma;
  return Object.freeze({
    kind: "half_student_t" as const,
    params: Object.freeze({ df: nu, scale: sigma }),
    support: "positive" as const,
    proper: true,
    describe: () => `half_student_t(${formatNumber(nu)}, ${formatNumber(sigma)})`,
    logDensity: (x: number) => {
      if (!(x >= 0)) return x < 0 ? -Infinity : NaN;
      const r = x / s;
      return c - half * (r > BIG_RATIO ? 2 * Math.log(r) + log1p(1 / (r * r)) : log1p(r * r));
    },
    // d/dx = −(ν+1) x / (νσ² + x²); through 1/x for large x.
    gradient: (x: number) => {
      if (!(x >= 0)) return x < 0 ? 0 : NaN;
      if (x <= s) return (-(nu + 1) * x) / (nuSigma2 + x * x);
      const w = 1 / x;
      return (-(nu + 1) * w) / (nuSigma2 * w * w + 1);
    },
    // d²/dx² = −(ν+1)(νσ² − x²) / (νσ² + x²)².
    hessianDiag: (x: number) => {
      if (!(x >= 0)) return x < 0 ? 0 : NaN;
      if (x <= s) {
        const d = nuSigma2 + x * x;
        return (-(nu + 1) * (nuSigma2 - x * x)) / (d * d);
      }
      const w2 = 1 / (x * x);
      const d = nuSigma2 * w2 + 1;
      return (-(nu + 1) * w2 * (nuSigma2 * w2 - 1)) / (d * d);
    },
    sample: (rng: RandomSource) => sigma * Math.abs(variates(rng).t(nu)),
  });
}

/**
 * Gamma prior with shape α and rate β (R's dgamma(x, shape, rate)):
 * log p(x) = α log β − log Γ(α) + (α − 1) log x − βx on x > 0.
 * Gradient (α − 1)/x − β, Hessian −(α − 1)/x². The log density is evaluated
 * term by term (stdlib's gamma logpdf takes the log of the density and
 * underflows to −∞ in the tails); at x = 0 it is +∞, log β or −∞ as α <, =, > 1.
 * @example gamma(2, 0.1).logDensity(1) // ≈ -4.7051701859880914
 */
export function gamma(shape: number, rate: number): GammaPrior {
  const call = callText("gamma", [shape, rate]);
  const alpha = requirePositive(call, "shape", shape);
  const beta = requirePositive(call, "rate", rate);
  const am1 = alpha - 1;
  const c = alpha * Math.log(beta) - gammaln(alpha);
  return Object.freeze({
    kind: "gamma" as const,
    params: Object.freeze({ shape: alpha, rate: beta }),
    support: "positive" as const,
    proper: true,
    describe: () => `gamma(${formatNumber(alpha)}, ${formatNumber(beta)})`,
    logDensity: (x: number) => {
      if (!(x >= 0)) return x < 0 ? -Infinity : NaN;
      if (x === 0) return am1 === 0 ? c : am1 < 0 ? Infinity : -Infinity;
      return c + am1 * Math.log(x) - beta * x;
    },
    gradient: (x: number) => {
      if (!(x >= 0)) return x < 0 ? 0 : NaN;
      return am1 === 0 ? -beta : am1 / x - beta;
    },
    hessianDiag: (x: number) => {
      if (!(x >= 0)) return x < 0 ? 0 : NaN;
      return am1 === 0 ? 0 : -am1 / (x * x);
    },
    sample: (rng: RandomSource) => variates(rng).gamma(alpha, beta),
  });
}

/** Throws PriorError unless `prior` may sit on an auxiliary parameter. */
function requireAux(prior: Prior, where: string): AuxPrior {
  if (prior.kind === "flat" || prior.support === "positive") return prior as AuxPrior;
  throw new PriorError(
    `${where}: ${prior.describe()} has support on the whole real line; an auxiliary parameter needs ` +
      `flat, exponential, half_normal, half_student_t or gamma (asAuxPrior() converts normal/student_t/cauchy at location 0)`,
  );
}

/**
 * Log density of u = log x when x has the auxiliary prior `prior`, including
 * the Jacobian: log p_u(u) = log p_x(eᵘ) + u [2]. Closed forms per kind, so
 * nothing overflows for large |u|.
 * @example auxLogDensityOnLogScale(exponential(1), 0) // = -1  (log 1 − e⁰ + 0)
 */
export function auxLogDensityOnLogScale(prior: AuxPrior, logx: number): number {
  const p = requireAux(prior, "auxLogDensityOnLogScale");
  const u = logx;
  switch (p.kind) {
    case "flat":
      return u;
    case "exponential":
      return Math.log(p.params.rate) - p.params.rate * Math.exp(u) + u;
    case "half_normal": {
      const s = p.params.scale;
      const r = Math.exp(u - Math.log(s));
      return LN_SQRT_TWO_OVER_PI - Math.log(s) - 0.5 * r * r + u;
    }
    case "half_student_t": {
      const { df: nu, scale: sigma } = p.params;
      // log(1 + r²) with log r = u − log(σ√ν).
      const logR = u - Math.log(sigma) - 0.5 * Math.log(nu);
      const log1pR2 = logR > 0 ? 2 * logR + log1p(Math.exp(-2 * logR)) : log1p(Math.exp(2 * logR));
      return LN_TWO - 0.5 * Math.log(nu) - betaln(0.5 * nu, 0.5) - Math.log(sigma) - 0.5 * (nu + 1) * log1pR2 + u;
    }
    case "gamma": {
      const { shape: a, rate: b } = p.params;
      return a * Math.log(b) - gammaln(a) + a * u - b * Math.exp(u);
    }
  }
}

/**
 * Share q = r²/(1 + r²) of the half-t log-scale kernel, r = eᵘ/(σ√ν), without overflow.
 * @internal
 */
function halfTShare(nu: number, sigma: number, u: number): number {
  const logR2 = 2 * (u - Math.log(sigma) - 0.5 * Math.log(nu));
  return logR2 > 0 ? 1 / (1 + Math.exp(-logR2)) : Math.exp(logR2) / (1 + Math.exp(logR2));
}

/**
 * d/du of {@link auxLogDensityOnLogScale}: x·p′(x)/p(x) + 1 with x = eᵘ.
 * exponential: 1 − λx; half_normal: 1 − x²/σ²; half_student_t: 1 − (ν+1) q;
 * gamma: α − βx; flat: 1.
 * @example auxLogDensityOnLogScaleGradient(exponential(1), 0) // = 0
 */
export function auxLogDensityOnLogScaleGradient(prior: AuxPrior, logx: number): number {
  const p = requireAux(prior, "auxLogDensityOnLogScaleGradient");
  const u = logx;
  switch (p.kind) {
    case "flat":
      return Number.isNaN(u) ? NaN : 1;
    case "exponential":
      return 1 - p.params.rate * Math.exp(u);
    case "half_normal": {
      const r = Math.exp(u - Math.log(p.params.scale));
      return 1 - r * r;
    }
    case "half_student_t":
      return 1 - (p.params.df + 1) * halfTShare(p.params.df, p.params.scale, u);
    case "gamma":
      return p.params.shape - p.params.rate * Math.exp(u);
  }
}

/**
 * d²/du² of {@link auxLogDensityOnLogScale}.
 * exponential: −λx; half_normal: −2x²/σ²; half_student_t: −2(ν+1) q(1 − q);
 * gamma: −βx; flat: 0.
 * @example auxLogDensityOnLogScaleHessian(exponential(1), 0) // = -1
 */
export function auxLogDensityOnLogScaleHessian(prior: AuxPrior, logx: number): number {
  const p = requireAux(prior, "auxLogDensityOnLogScaleHessian");
  const u = logx;
  switch (p.kind) {
    case "flat":
      return Number.isNaN(u) ? NaN : 0;
    case "exponential":
      return -p.params.rate * Math.exp(u);
    case "half_normal": {
      const r = Math.exp(u - Math.log(p.params.scale));
      return -2 * r * r;
    }
    case "half_student_t": {
      const q = halfTShare(p.params.df, p.params.scale, u);
      return -2 * (p.params.df + 1) * q * (1 - q);
    }
    case "gamma":
      return -p.params.rate * Math.exp(u);
  }
}

/**
 * rstanarm's reading of a real-line prior given for an auxiliary parameter:
 * normal(0, s) → half_normal(s), student_t(ν, 0, s) → half_student_t(ν, s),
 * cauchy(0, s) → half_student_t(1, s) (truncation at 0, as rstanarm's
 * `prior_aux`). Auxiliary priors and flat() pass through. Any other prior, or a
 * non-zero location, → PriorError.
 * @example asAuxPrior(normal(0, 2)).describe() // "half_normal(2)"
 */
export function asAuxPrior(prior: Prior): AuxPrior {
  switch (prior.kind) {
    case "flat":
    case "exponential":
    case "half_normal":
    case "half_student_t":
    case "gamma":
      return prior;
    case "normal":
    case "student_t":
    case "cauchy": {
      if (prior.params.location !== 0) {
        throw new PriorError(
          `${prior.describe()}: an auxiliary prior must be centred at 0 (it is truncated to x > 0), got location ${prior.params.location}`,
        );
      }
      if (prior.kind === "normal") return halfNormal(prior.params.scale);
      if (prior.kind === "cauchy") return halfStudentT(1, prior.params.scale);
      return halfStudentT(prior.params.df, prior.params.scale);
    }
    default:
      throw new PriorError(
        `${prior.describe()} cannot be used for an auxiliary parameter: use flat, exponential, half_normal, half_student_t or gamma`,
      );
  }
}

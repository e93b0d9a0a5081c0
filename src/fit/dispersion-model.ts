/**
 * The dispersion side of an exponential dispersion family, as bias reduction
 * needs it: with prior weight w and dispersion φ, write k = w/φ (the precision
 * of one observation) and ζ = −k. The family's cumulant of the dispersion part,
 * a(ζ), gives
 *   E[w·d(y, μ)] = w·a′(ζ),  I_φφ = ½ Σ w² a″(ζ) / φ⁴,
 * and a‴ enters the dispersion's bias adjustment. Kosmidis & Firth (2009) write
 * the adjustments in these terms; brglm2 takes a′, a″, a‴ from enrichwith [2].
 *
 *   Gamma:                 w a′ = 2w(log k − ψ(k)),  a″ = 2ψ′(k) − 2/k,  a‴ = −2ψ″(k) − 2/k²
 *   gaussian, inv.gaussian: w a′ = φ,                 a″ = 1/k²,          a‴ = 2/k³
 *
 * (enrichwith's Gamma a′ carries a constant +2 that brglm2 removes; it is left
 * out here.) Also the exact log density with precision k, so that the Jeffreys
 * penalised likelihood is the function whose gradient is brglm2's adjusted score
 * even under non-unit prior weights (R's logLik for Gamma and inverse Gaussian
 * multiplies a shape-1/φ density by w instead).
 *
 * The Family record carries no such functions, so they are looked up here by the
 * family's name; binomial, Poisson and negative binomial (fixed θ) have φ = 1.
 *
 * References:
 * [1] Kosmidis, I. and Firth, D. (2009). Bias reduction in exponential family
 *     nonlinear models. Biometrika 96, 793–804.
 * [2] Kosmidis, I. brglm2 0.9, R/brglmFit.R; enrichwith 0.3, R/family.R.
 */
import digamma from "@stdlib/math-base-special-digamma";
import trigamma from "@stdlib/math-base-special-trigamma";
import polygamma from "@stdlib/math-base-special-polygamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import { FamilyError } from "../errors.js";
import type { Family } from "../types.js";

const LOG_2PI = Math.log(2 * Math.PI);

/** The dispersion functions of one exponential dispersion family (k = w/φ). */
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

const gammaModel: DispersionModel = Object.freeze({
  name: "Gamma",
  expectedDeviance: (w: number, phi: number) => {
    const k = w / phi;
    return 2 * w * (Math.log(k) - digamma(k));
  },
  a2: (k: number) => 2 * trigamma(k) - 2 / k,
  a3: (k: number) => -2 * polygamma(2, k) - 2 / (k * k),
  logDensity: (y: number, mu: number, w: number, phi: number) => {
    const k = w / phi;
    return k * Math.log(k / mu) + (k - 1) * Math.log(y) - (k * y) / mu - gammaln(k);
  },
});

/** The normal and inverse Gaussian share a′, a″, a‴ (d(y, μ)/φ is χ²₁ in both). */
function chiSquareModel(name: string, logDensity: DispersionModel["logDensity"]): DispersionModel {
  return Object.freeze({
    name,
    expectedDeviance: (_w: number, phi: number) => phi,
    a2: (k: number) => 1 / (k * k),
    a3: (k: number) => 2 / (k * k * k),
    logDensity,
  });
}

const gaussianModel = chiSquareModel("gaussian", (y, mu, w, phi) => {
  const r = y - mu;
  return -0.5 * (LOG_2PI + Math.log(phi / w)) - (w * r * r) / (2 * phi);
});

const inverseGaussianModel = chiSquareModel("inverse.gaussian", (y, mu, w, phi) => {
  const lambda = w / phi;
  const r = y - mu;
  return 0.5 * (Math.log(lambda) - LOG_2PI - 3 * Math.log(y)) - (lambda * r * r) / (2 * mu * mu * y);
});

const MODELS: ReadonlyMap<string, DispersionModel> = new Map([
  ["Gamma", gammaModel],
  ["gaussian", gaussianModel],
  ["inverse.gaussian", inverseGaussianModel],
]);

/**
 * The dispersion model of a family: null when φ is fixed at 1 (binomial, Poisson,
 * negative binomial with θ given); throws a FamilyError for families without a
 * likelihood (quasi families, Tweedie), which bias reduction cannot handle.
 * @example dispersionModelOf(Gamma("log"))!.a2(1) // 2ψ′(1) − 2 ≈ 1.2899
 */
export function dispersionModelOf(family: Family): DispersionModel | null {
  if (family.quasi) {
    throw new FamilyError(
      `family "${family.name}" is a quasi-likelihood family: bias reduction (Firth, AS_mean, MPL_Jeffreys) needs a likelihood`,
    );
  }
  if (family.dispersion === "fixed") return null;
  const model = MODELS.get(family.name);
  if (model === undefined) {
    throw new FamilyError(
      `family "${family.name}": bias reduction of the dispersion is implemented for gaussian, Gamma and inverse.gaussian only`,
    );
  }
  return model;
}

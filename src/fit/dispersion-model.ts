/**
 * The dispersion side of an exponential dispersion family, as bias reduction
 * needs it: with prior weight w and dispersion φ, write k = w/φ (the precision
 * of one observation) and ζ = −k. The family's cumulant of the dispersion part,
 * a(ζ), gives
 *   E[w·d(y, μ)] = w·a′(ζ),  I_φφ = ½ Σ w² a″(ζ) / φ⁴,
 * and a‴ enters the dispersion's bias adjustment. Kosmidis & Firth (2009) write
 * the adjustments in these terms; brglm2 takes a′, a″, a‴ from enrichwith [2].
 *
 * The family record owns these functions (`family.dispersionModel`: gaussian,
 * Gamma and inverse.gaussian, with their formulas in src/families/); this module
 * only reads the record. Binomial, Poisson and negative binomial (fixed θ) have φ = 1.
 *
 * References:
 * [1] Kosmidis, I. and Firth, D. (2009). Bias reduction in exponential family
 *     nonlinear models. Biometrika 96, 793–804.
 * [2] Kosmidis, I. brglm2 0.9, R/brglmFit.R; enrichwith 0.3, R/family.R.
 */
import { FamilyError } from "../errors.js";
import type { DispersionModel, Family } from "../types.js";

export type { DispersionModel };

/**
 * The dispersion model of a family: null when φ is fixed at 1 (binomial, Poisson,
 * negative binomial with θ given); throws a FamilyError for families without a
 * likelihood (quasi families, Tweedie), which bias reduction cannot handle, and for
 * estimated-dispersion families whose record has no dispersion model.
 * @example dispersionModelOf(Gamma("log"))!.a2(1) // 2ψ′(1) − 2 ≈ 1.2899
 */
export function dispersionModelOf(family: Family): DispersionModel | null {
  if (family.quasi) {
    throw new FamilyError(
      `family "${family.name}" is a quasi-likelihood family: bias reduction (Firth, AS_mean, MPL_Jeffreys) needs a likelihood`,
    );
  }
  if (family.dispersion === "fixed") return null;
  if (family.dispersionModel === null) {
    throw new FamilyError(
      `family "${family.name}": bias reduction of the dispersion is implemented for gaussian, Gamma and inverse.gaussian only`,
    );
  }
  return family.dispersionModel;
}

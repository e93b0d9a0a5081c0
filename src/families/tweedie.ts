/**
 * The Tweedie family of statmod 1.5's `tweedie(var.power = p)` [1], with our link
 * (log by default, or any power(λ)): V(μ) = μᵖ, and the deviance
 * d(y, μ) = 2{y·(y₁^(1−p) − μ^(1−p))/(1−p) − (y^(2−p) − μ^(2−p))/(2−p)}, y₁ = y + 0.1·[y = 0],
 * with the log forms at p = 1 and p = 2. Fitting is quasi-likelihood: aic and logLikObs are NaN.
 * Responses are simulated for 1 < p < 2 as the compound Poisson–gamma distribution [1]:
 * N ~ Poisson(μ^{2−p}/(φ(2−p))), y = Σ_{k≤N} Gamma(shape (2−p)/(p−1), scale φ(p−1)μ^{p−1}).
 *
 * [1] Smyth, G. K. statmod `R/tweedie.R`; Jørgensen, B. (1987). Exponential dispersion
 *     models. JRSS B 49, 127–162.
 */
import { ArgumentError, FamilyError } from "../errors.js";
import type { Family, Variates } from "../types.js";
import { formatR, roundR } from "./rmath.js";
import { buildFamily, checkSupport, mapStart, noLikelihood, resolveLink, type LinkSpec } from "./shared.js";
import type { FamilyEntry } from "./registry.js";

const OK_LINKS = ["log", "identity", "sqrt", "inverse", "1/mu^2"] as const;

/** Name of the canonical link μ^(1−p) (log at p = 1). */
function tweedieCanonicalLink(p: number): string {
  if (p === 0) return "identity";
  if (p === 1) return "log";
  if (p === 2) return "inverse";
  if (p === 3) return "1/mu^2";
  return `mu^${formatR(roundR(1 - p, 3), 15)}`;
}

/**
 * One Tweedie response with mean μ, dispersion φ/w and power p ∈ (1, 2) (the sum of the
 * N gamma variates is one gamma variate of shape N·(2−p)/(p−1)).
 */
function simulateTweedie(rng: Variates, mu: number, phi: number, w: number, p: number): number {
  if (!(p > 1 && p < 2)) throw new ArgumentError(`tweedie power must be in (1, 2) to simulate, got ${p}`);
  const dispersion = phi / w;
  const count = rng.poisson(Math.pow(mu, 2 - p) / (dispersion * (2 - p)));
  if (count === 0) return 0;
  const shape = (2 - p) / (p - 1);
  const scale = dispersion * (p - 1) * Math.pow(mu, p - 1);
  return rng.gamma(count * shape, 1 / scale);
}

/**
 * tweedie(power, link = "log"): variance power p = 0 or p ≥ 1 (p in (0, 1) has no
 * Tweedie distribution). y is finite for p = 0, ≥ 0 for 1 ≤ p < 2, and > 0 for p ≥ 2
 * (the support of those distributions; statmod does not check). Starting μ = y + 0.1·[y = 0].
 * @example tweedie(1.5).variance(4) // 8
 */
export function tweedie(power: number, link: LinkSpec = "log"): Family {
  if (typeof power !== "number" || !Number.isFinite(power) || (power !== 0 && power < 1)) {
    throw new ArgumentError(`power (the Tweedie variance power) must be 0 or >= 1; got ${String(power)}`);
  }
  const p = power;
  const lk = resolveLink("Tweedie", link, OK_LINKS);
  const support =
    p === 0 ? { text: "finite", test: (_v: number) => true } :
    p < 2 ? { text: ">= 0", test: (v: number) => v >= 0 } :
    { text: "> 0", test: (v: number) => v > 0 };
  return buildFamily(
    {
      name: "Tweedie",
      canonicalLink: tweedieCanonicalLink(p),
      dispersion: "estimated",
      quasi: true,
      variance: (mu) => Math.pow(mu, p),
      varianceDeriv: (mu) => (p === 0 ? 0 : p * Math.pow(mu, p - 1)),
      devResid: (y, mu, wt) => {
        const y1 = y + (y === 0 ? 0.1 : 0);
        const theta = p === 1 ? Math.log(y1 / mu) : (Math.pow(y1, 1 - p) - Math.pow(mu, 1 - p)) / (1 - p);
        const kappa = p === 2 ? Math.log(y1 / mu) : (Math.pow(y, 2 - p) - Math.pow(mu, 2 - p)) / (2 - p);
        return 2 * wt * (y * theta - kappa);
      },
      ...noLikelihood,
      validMu: p === 0 ? (mu) => !Number.isNaN(mu) : (mu) => mu >= 0,
      startMu: (y, wt) => mapStart(y, wt, (v) => v + (v === 0 ? 0.1 : 0)),
      checkY: (y, wt) => checkSupport(y, wt, "Tweedie", support.text, support.test),
      parameters: { power: p },
      simulate: (rng, mu, phi, w) => simulateTweedie(rng, mu, phi, w, p),
    },
    lk,
  );
}

/** makeFamily's entry: "tweedie"; the variance power is required. */
export const tweedieEntry: FamilyEntry = Object.freeze<FamilyEntry>({
  names: ["tweedie"],
  takes: "power",
  build: (o) => {
    if (o.power === undefined) {
      throw new FamilyError("power (the variance power p) is required for the tweedie family: pass { power }");
    }
    return tweedie(o.power, o.link);
  },
});

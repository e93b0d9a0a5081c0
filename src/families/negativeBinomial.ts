/**
 * The negative binomial family with fixed θ, transcribing MASS 7.3's
 * `negative.binomial(theta)` [1]: V(μ) = μ + μ²/θ,
 * d(y, μ) = 2{y log(max(1, y)/μ) − (y + θ) log((y + θ)/(μ + θ))},
 * aic = 2 Σ wᵢ{(yᵢ+θ) log(μᵢ+θ) − yᵢ log μᵢ + lgamma(yᵢ+1) − θ log θ + lgamma(θ) − lgamma(θ+yᵢ)}.
 * θ is fixed here; estimating it (glm.nb) belongs to the fitting code.
 *
 * [1] Venables, W. N. and Ripley, B. D. (2002). Modern Applied Statistics with S, 4th ed., §7.4;
 *     MASS `R/negbin.R`.
 */
import gammaln from "@stdlib/math-base-special-gammaln";
import type { Family } from "../types.js";
import { formatR, roundR } from "./rmath.js";
import {
  buildFamily,
  checkSupport,
  mapStart,
  requirePositive,
  resolveLink,
  type LinkSpec,
} from "./shared.js";

const OK_LINKS = ["log", "sqrt", "identity"] as const;

/**
 * MASS's name of the family: "Negative Binomial(" + format(round(θ, 4)) + ")".
 * @example negativeBinomialName(1.52727) // "Negative Binomial(1.5273)"
 */
export function negativeBinomialName(theta: number): string {
  return `Negative Binomial(${formatR(roundR(theta, 4), 7)})`;
}

/**
 * negativeBinomial(theta, link = "log"): links log, sqrt, identity (or power(λ)); y ≥ 0;
 * starting μ = y + (y == 0)/6. θ must be finite and > 0.
 * @example negativeBinomial(2).variance(2) // 4
 */
export function negativeBinomial(theta: number, link: LinkSpec = "log"): Family {
  const th = requirePositive(theta, "theta (θ) of the negative binomial family");
  const name = negativeBinomialName(th);
  const lk = resolveLink("negative binomial", link, OK_LINKS);
  const thetaLogTheta = th * Math.log(th);
  const lgammaTheta = gammaln(th);
  /** MASS's aic term of one observation (per unit weight): −log f(y; μ, θ). */
  const term = (y: number, mu: number): number =>
    (y + th) * Math.log(mu + th) - y * Math.log(mu) + gammaln(y + 1) - thetaLogTheta + lgammaTheta - gammaln(th + y);
  return buildFamily(
    {
      name,
      canonicalLink: null,
      dispersion: "fixed",
      quasi: false,
      variance: (mu) => mu + (mu * mu) / th,
      varianceDeriv: (mu) => 1 + (2 * mu) / th,
      devResid: (y, mu, wt) =>
        2 * wt * (y * Math.log(Math.max(1, y) / mu) - (y + th) * Math.log((y + th) / (mu + th))),
      aic: (y, _n, mu, wt, _dev) => {
        let s = 0;
        for (let i = 0; i < y.length; i++) s += term(y[i]!, mu[i]!) * wt[i]!;
        return 2 * s;
      },
      logLikObs: (y, mu, wt, _dispersion) => (wt === 0 ? 0 : -wt * term(y, mu)),
      validMu: (mu) => mu > 0,
      startMu: (y, wt) => mapStart(y, wt, (v) => v + (v === 0 ? 1 / 6 : 0)),
      checkY: (y, wt) => checkSupport(y, wt, name, ">= 0", (v) => v >= 0),
    },
    lk,
  );
}

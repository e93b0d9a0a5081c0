/**
 * The Gamma family, transcribing R 4.2's `Gamma()` [1]: V(μ) = μ²,
 * d(y, μ) = −2{log(y/μ) − (y − μ)/μ}, aic = −2 Σ wᵢ log dgamma(yᵢ; 1/φ, scale μᵢφ) + 2
 * with φ = dev/Σwᵢ.
 *
 * [1] R Core Team. R 4.2 `src/library/stats/R/family.R`.
 */
import logpdfGamma from "@stdlib/stats-base-dists-gamma-logpdf";
import type { Family } from "../types.js";
import { buildFamily, checkSupport, mapStart, resolveLink, type LinkSpec } from "./shared.js";

const OK_LINKS = ["inverse", "identity", "log"] as const;

/** log dgamma(y; shape 1/φ, scale μφ), parametrised by the rate 1/(μφ) as stdlib takes it. */
function logDgamma(y: number, mu: number, dispersion: number): number {
  return logpdfGamma(y, 1 / dispersion, 1 / (mu * dispersion));
}

/**
 * Gamma(link = "inverse"): links inverse, identity, log (or power(λ)); y > 0.
 * @example Gamma().devResid(2, 1, 1) // −2(log 2 − 1) ≈ 0.6137056388801094
 */
export function Gamma(link: LinkSpec = "inverse"): Family {
  const lk = resolveLink("Gamma", link, OK_LINKS);
  return buildFamily(
    {
      name: "Gamma",
      canonicalLink: "inverse",
      dispersion: "estimated",
      quasi: false,
      variance: (mu) => mu * mu,
      varianceDeriv: (mu) => 2 * mu,
      devResid: (y, mu, wt) => -2 * wt * (Math.log(y === 0 ? 1 : y / mu) - (y - mu) / mu),
      aic: (y, _n, mu, wt, dev) => {
        let sw = 0;
        for (let i = 0; i < wt.length; i++) sw += wt[i]!;
        const disp = dev / sw;
        let s = 0;
        for (let i = 0; i < y.length; i++) s += logDgamma(y[i]!, mu[i]!, disp) * wt[i]!;
        return -2 * s + 2;
      },
      // wt · log dgamma(y; 1/φ, scale μφ): R's aic weights the log density, not the shape.
      logLikObs: (y, mu, wt, dispersion) => (wt === 0 ? 0 : wt * logDgamma(y, mu, dispersion)),
      validMu: (mu) => Number.isFinite(mu) && mu > 0,
      startMu: (y, wt) => mapStart(y, wt, (v) => v),
      checkY: (y, wt) => checkSupport(y, wt, "Gamma", "> 0", (v) => v > 0),
    },
    lk,
  );
}

/**
 * The inverse Gaussian family, transcribing R 4.2's `inverse.gaussian()` [1]:
 * V(μ) = μ³, d(y, μ) = (y − μ)²/(yμ²),
 * aic = Σwᵢ(1 + log(2π·dev/Σwᵢ)) + 3 Σ wᵢ log yᵢ + 2.
 *
 * [1] R Core Team. R 4.2 `src/library/stats/R/family.R`.
 */
import type { Family } from "../types.js";
import { buildFamily, checkSupport, mapStart, resolveLink, type LinkSpec } from "./shared.js";

const OK_LINKS = ["1/mu^2", "inverse", "identity", "log"] as const;
const LN_2PI = Math.log(2 * Math.PI);

/**
 * inverseGaussian(link = "1/mu^2"): links 1/mu^2, inverse, identity, log (or power(λ)); y > 0.
 * logLikObs = wt·{−½ log(2πφ) − (3/2) log y − (y − μ)²/(2φμ²y)} (λ = 1/φ, weighted as R's aic).
 * @example inverseGaussian().devResid(2, 1, 1) // 0.5
 */
export function inverseGaussian(link: LinkSpec = "1/mu^2"): Family {
  const lk = resolveLink("inverse.gaussian", link, OK_LINKS);
  return buildFamily(
    {
      name: "inverse.gaussian",
      canonicalLink: "1/mu^2",
      dispersion: "estimated",
      quasi: false,
      variance: (mu) => mu * mu * mu,
      varianceDeriv: (mu) => 3 * mu * mu,
      devResid: (y, mu, wt) => (wt * ((y - mu) * (y - mu))) / (y * (mu * mu)),
      aic: (y, _n, _mu, wt, dev) => {
        let sw = 0;
        let swLogY = 0;
        for (let i = 0; i < y.length; i++) {
          sw += wt[i]!;
          swLogY += Math.log(y[i]!) * wt[i]!;
        }
        return sw * (1 + Math.log((dev / sw) * 2 * Math.PI)) + 3 * swLogY + 2;
      },
      logLikObs: (y, mu, wt, dispersion) => {
        if (wt === 0) return 0;
        const r = y - mu;
        return wt * (-0.5 * (LN_2PI + Math.log(dispersion)) - 1.5 * Math.log(y) - (r * r) / (2 * dispersion * mu * mu * y));
      },
      validMu: (mu) => !Number.isNaN(mu),
      startMu: (y, wt) => mapStart(y, wt, (v) => v),
      checkY: (y, wt) => checkSupport(y, wt, "inverse.gaussian", "> 0", (v) => v > 0),
    },
    lk,
  );
}

/**
 * The gaussian family, transcribing R 4.2's `gaussian()` [1]: V(μ) = 1,
 * d(y, μ) = (y − μ)², aic = n(log(2π·dev/n) + 1) + 2 − Σ log wᵢ.
 *
 * [1] R Core Team. R 4.2 `src/library/stats/R/family.R`.
 */
import { DataError } from "../errors.js";
import type { Family } from "../types.js";
import { buildFamily, checkSupport, mapStart, resolveLink, type LinkSpec } from "./shared.js";

const OK_LINKS = ["identity", "log", "inverse"] as const;
const LN_2PI = Math.log(2 * Math.PI);

/**
 * gaussian(link = "identity"): links identity, log, inverse (or power(λ)).
 * Starting μ = y, but with the log link every y must be > 0 and with the inverse link
 * no y may be 0 (R's "cannot find valid starting values"), else a DataError names the row.
 * @example gaussian().devResid(3, 1, 2) // 8
 */
export function gaussian(link: LinkSpec = "identity"): Family {
  const lk = resolveLink("gaussian", link, OK_LINKS);
  return buildFamily(
    {
      name: "gaussian",
      canonicalLink: "identity",
      dispersion: "estimated",
      quasi: false,
      variance: (_mu) => 1,
      varianceDeriv: (_mu) => 0,
      devResid: (y, mu, wt) => wt * ((y - mu) * (y - mu)),
      aic: (y, _n, _mu, wt, dev) => {
        // R 4.2: nobs·(log(dev/nobs·2π) + 1) + 2 − Σ log(wt); a zero weight makes it +Inf as in R.
        const nobs = y.length;
        let sumLogWt = 0;
        for (let i = 0; i < wt.length; i++) sumLogWt += Math.log(wt[i]!);
        return nobs * (Math.log((dev / nobs) * 2 * Math.PI) + 1) + 2 - sumLogWt;
      },
      logLikObs: (y, mu, wt, dispersion) => {
        // y ~ N(μ, φ/wt): −½(log(2πφ/wt) + wt(y − μ)²/φ); a zero-weight row contributes nothing.
        if (wt === 0) return 0;
        const r = y - mu;
        return -0.5 * (LN_2PI + Math.log(dispersion / wt) + (wt * r * r) / dispersion);
      },
      validMu: (mu) => !Number.isNaN(mu),
      startMu: (y, wt) => {
        const needs =
          lk.name === "log" ? { test: (v: number) => v > 0, text: "y > 0" } :
          lk.name === "inverse" ? { test: (v: number) => v !== 0, text: "y != 0" } : null;
        if (needs !== null) {
          for (let i = 0; i < y.length; i++) {
            if (!needs.test(y[i]!)) {
              throw new DataError(
                `cannot find valid starting values: please specify some (the gaussian family with the ${lk.name} link needs ${needs.text}; row ${i + 1} has y = ${y[i]})`,
                { column: "y", row: i + 1 },
              );
            }
          }
        }
        return mapStart(y, wt, (v) => v);
      },
      checkY: (y, wt) => checkSupport(y, wt, "gaussian", "finite", () => true),
    },
    lk,
  );
}

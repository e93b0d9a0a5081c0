/**
 * The gaussian family, transcribing R 4.2's `gaussian()` [1]: V(μ) = 1,
 * d(y, μ) = (y − μ)², aic = n(log(2π·dev/n) + 1) + 2 − Σ log wᵢ. The auxiliary
 * parameter is σ (φ = σ², u = log σ); y ~ N(μ, σ²/w) with precision weights.
 *
 * [1] R Core Team. R 4.2 `src/library/stats/R/family.R`.
 */
import { DataError } from "../errors.js";
import type { Family, FamilyLikelihood, ObservationModel, Variates } from "../types.js";
import {
  buildFamily, checkSupport, chiSquareDispersion, LN_2PI, mapStart, positiveWeights, resolveLink, type LinkSpec,
} from "./shared.js";
import type { FamilyEntry } from "./registry.js";
import { GaussianIdentityKernel } from "./gaussian-likelihood.js";
import { identityLink } from "../links.js";
import { gaussianIdentityRows } from "./row-kernels.js";

const OK_LINKS = ["identity", "log", "inverse"] as const;

/** Gaussian with u = log σ: ℓᵢ = −½ log 2π + ½ log w − u − w r²/(2σ²). */
function gaussianModel(y: Float64Array, w: Float64Array): ObservationModel {
  const { count } = positiveWeights(w);
  let invPhi = 1;
  return {
    setAux(u) { invPhi = Math.exp(-2 * u); return invPhi; },
    variance: () => 1,
    varianceDeriv: () => 0,
    varianceDeriv2: () => 0,
    logDensity(i, mu) {
      const r = y[i]! - mu;
      const wi = w[i]!;
      return -0.5 * LN_2PI + 0.5 * Math.log(wi * invPhi) - 0.5 * wi * r * r * invPhi;
    },
    dU(i, mu) { const r = y[i]! - mu; return -1 + w[i]! * r * r * invPhi; },
    dUU(i, mu) { const r = y[i]! - mu; return -2 * w[i]! * r * r * invPhi; },
    dMuU(i, mu) { return -2 * w[i]! * (y[i]! - mu) * invPhi; },
    expectedAuxInfo: () => 2 * count,
    logOmegaU: () => -2, logOmegaUU: () => 0, logOmegaMuU: () => 0,
    auxInfoHalfLog(_u, out) {
      // I_uu = Σ_{w>0} 2, constant in u.
      out[0] = 0.5 * Math.log(2 * count); out[1] = 0; out[2] = 0;
      return true;
    },
    startAux(yy, ww, mu) {
      let s = 0;
      for (let i = 0; i < yy.length; i++) if (ww[i]! > 0) { const r = yy[i]! - mu[i]!; s += ww[i]! * r * r; }
      return 0.5 * Math.log(Math.max(s / Math.max(count, 1), 1e-300));
    },
  };
}

const gaussianLikelihood: FamilyLikelihood = Object.freeze({ observationModel: gaussianModel });
/** With the identity link, the η-space kernel (bit-identical to the generic one, without its per-row closure calls). */
const gaussianIdentityLikelihood: FamilyLikelihood = Object.freeze({
  observationModel: gaussianModel,
  canonicalKernel: (y: Float64Array, w: Float64Array) => new GaussianIdentityKernel(y, w),
});

/** Bias reduction's dispersion model, with the exact log density of N(μ, φ/w). */
const gaussianDispersion = chiSquareDispersion("gaussian", (y, mu, w, phi) => {
  const r = y - mu;
  return -0.5 * (LN_2PI + Math.log(phi / w)) - (w * r * r) / (2 * phi);
});

/** R's gaussian()$simulate: y ~ N(μ, σ²/w). */
const simulate = (rng: Variates, mu: number, sigma: number, w: number): number => rng.normal(mu, sigma / Math.sqrt(w));

/** R's "cannot find valid starting values" with the log (y > 0) and inverse (y ≠ 0) links; null for other links. */
function startRequirement(link: string): { test: (v: number) => boolean; text: string } | null {
  if (link === "log") return { test: (v) => v > 0, text: "y > 0" };
  if (link === "inverse") return { test: (v) => v !== 0, text: "y != 0" };
  return null;
}

/**
 * gaussian(link = "identity"): links identity, log, inverse (or power(λ)).
 * Starting μ = y, but with the log link every y must be > 0 and with the inverse link
 * no y may be 0 (R's "cannot find valid starting values"), else a DataError names the row.
 * @example gaussian().devResid(3, 1, 2) // 8
 */
export function gaussian(link: LinkSpec = "identity"): Family {
  const lk = resolveLink("gaussian", link, OK_LINKS);
  const needs = startRequirement(lk.name);
  return buildFamily(
    {
      name: "gaussian",
      canonicalLink: "identity",
      dispersion: "estimated",
      quasi: false,
      autoscaleBySdY: true,
      variance: (_mu) => 1,
      varianceDeriv: (_mu) => 0,
      devResid: (y, mu, wt) => wt * ((y - mu) * (y - mu)),
      aicRows: {
        // R 4.2: nobs·(log(dev/nobs·2π) + 1) + 2 − Σ log(wt); a zero weight makes it +Inf as in R.
        sums: 1,
        add: (_y, _n, _mu, wt, _c, start, end, out) => {
          let sumLogWt = out[0]!;
          for (let i = start; i < end; i++) sumLogWt += Math.log(wt[i]!);
          out[0] = sumLogWt;
        },
        finish: (s, dev, nobs) => nobs * (Math.log((dev / nobs) * 2 * Math.PI) + 1) + 2 - s[0]!,
      },
      aicWarnings: (_y, wt) => {
        let zero = 0;
        for (let i = 0; i < wt.length; i++) if (wt[i] === 0) zero++;
        return zero === 0 ? [] : [
          `the AIC is Inf and the log-likelihood -Inf, as in R: gaussian()$aic subtracts Σ log(weights) over every row, and ${zero} row${zero === 1 ? " has" : "s have"} weight 0 (R's logLik of the same lm() leaves them out)`,
        ];
      },
      logLikObs: (y, mu, wt, dispersion) => {
        // y ~ N(μ, φ/wt): −½(log(2πφ/wt) + wt(y − μ)²/φ); a zero-weight row contributes nothing.
        if (wt === 0) return 0;
        const r = y - mu;
        return -0.5 * (LN_2PI + Math.log(dispersion / wt) + (wt * r * r) / dispersion);
      },
      validMu: (mu) => !Number.isNaN(mu),
      rowKernels: (l) => (l === identityLink ? gaussianIdentityRows : null),
      startMu: (y, wt) => {
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
      aux: { name: "sigma", logDispersionSlope: 2 },
      likelihood: lk.name === "identity" ? gaussianIdentityLikelihood : gaussianLikelihood,
      dispersionModel: gaussianDispersion,
      simulate,
    },
    lk,
  );
}

/** makeFamily's entry: "gaussian". */
export const gaussianEntry: FamilyEntry = Object.freeze<FamilyEntry>({ names: ["gaussian"], build: (o) => gaussian(o.link) });

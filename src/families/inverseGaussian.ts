/**
 * The inverse Gaussian family, transcribing R 4.2's `inverse.gaussian()` [1]:
 * V(μ) = μ³, d(y, μ) = (y − μ)²/(yμ²),
 * aic = Σwᵢ(1 + log(2π·dev/Σwᵢ)) + 3 Σ wᵢ log yᵢ + 2.
 * The auxiliary parameter is λ (φ = 1/λ, u = log λ).
 *
 * [1] R Core Team. R 4.2 `src/library/stats/R/family.R`.
 * [2] Michael, J. R., Schucany, W. R. and Haas, R. W. (1976). Generating random variates
 *     using transformations with multiple roots. The American Statistician 30, 88–90.
 */
import type { Family, FamilyLikelihood, ObservationModel, Variates } from "../types.js";
import {
  buildFamily, checkSupport, chiSquareDispersion, LN_2PI, mapStart, positiveWeights, resolveLink, type LinkSpec,
} from "./shared.js";
import type { FamilyEntry } from "./registry.js";

const OK_LINKS = ["1/mu^2", "inverse", "identity", "log"] as const;

/** Inverse Gaussian with u = log λ: ℓᵢ = w{½ log λ − ½ log 2π − (3/2) log y − λ(y−μ)²/(2μ²y)}. */
function inverseGaussianModel(y: Float64Array, w: Float64Array): ObservationModel {
  const { sum: sw } = positiveWeights(w);
  const c = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) c[i] = -0.5 * LN_2PI - 1.5 * Math.log(y[i]!);
  let lambda = 1;
  let halfU = 0;
  const dev = (i: number, mu: number): number => { const r = y[i]! - mu; return (r * r) / (mu * mu * y[i]!); };
  return {
    setAux(u) { lambda = Math.exp(u); halfU = 0.5 * u; return lambda; },
    variance: (mu) => mu * mu * mu,
    varianceDeriv: (mu) => 3 * mu * mu,
    varianceDeriv2: (mu) => 6 * mu,
    logDensity(i, mu) { return w[i]! * (halfU + c[i]! - 0.5 * lambda * dev(i, mu)); },
    dU(i, mu) { return w[i]! * (0.5 - 0.5 * lambda * dev(i, mu)); },
    dUU(i, mu) { return -0.5 * w[i]! * lambda * dev(i, mu); },
    dMuU(i, mu) { return (w[i]! * lambda * (y[i]! - mu)) / (mu * mu * mu); },
    expectedAuxInfo: () => 0.5 * sw,
    logOmegaU: () => 1, logOmegaUU: () => 0, logOmegaMuU: () => 0,
    auxInfoHalfLog(_u, out) {
      out[0] = 0.5 * Math.log(0.5 * sw); out[1] = 0; out[2] = 0;
      return true;
    },
    startAux(yy, ww, mu) {
      let s = 0;
      let k = 0;
      for (let i = 0; i < yy.length; i++) if (ww[i]! > 0) { s += ww[i]! * dev(i, mu[i]!); k++; }
      return -Math.log(Math.max(s / Math.max(k, 1), 1e-300));
    },
  };
}

const inverseGaussianLikelihood: FamilyLikelihood = Object.freeze({ observationModel: inverseGaussianModel });

/** Bias reduction's dispersion model, with the exact log density of IG(μ, λ = w/φ). */
const inverseGaussianDispersion = chiSquareDispersion("inverse.gaussian", (y, mu, w, phi) => {
  const lambda = w / phi;
  const r = y - mu;
  return 0.5 * (Math.log(lambda) - LN_2PI - 3 * Math.log(y)) - (lambda * r * r) / (2 * mu * mu * y);
});

/** R's inverse.gaussian()$simulate with prior weights: y ~ IG(μ, λw), drawn as [2]. */
const simulate = (rng: Variates, mu: number, lambda: number, w: number): number => rng.inverseGaussian(mu, lambda * w);

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
      aicRows: {
        sums: 2,
        add: (y, _n, _mu, wt, _c, start, end, out) => {
          let sw = out[0]!;
          let swLogY = out[1]!;
          for (let i = start; i < end; i++) {
            sw += wt[i]!;
            swLogY += Math.log(y[i]!) * wt[i]!;
          }
          out[0] = sw;
          out[1] = swLogY;
        },
        finish: (s, dev) => s[0]! * (1 + Math.log((dev / s[0]!) * 2 * Math.PI)) + 3 * s[1]! + 2,
      },
      logLikObs: (y, mu, wt, dispersion) => {
        if (wt === 0) return 0;
        const r = y - mu;
        return wt * (-0.5 * (LN_2PI + Math.log(dispersion)) - 1.5 * Math.log(y) - (r * r) / (2 * dispersion * mu * mu * y));
      },
      validMu: (mu) => !Number.isNaN(mu),
      startMu: (y, wt) => mapStart(y, wt, (v) => v),
      checkY: (y, wt) => checkSupport(y, wt, "inverse.gaussian", "> 0", (v) => v > 0),
      aux: { name: "lambda", logDispersionSlope: -1 },
      likelihood: inverseGaussianLikelihood,
      dispersionModel: inverseGaussianDispersion,
      simulate,
    },
    lk,
  );
}

/** makeFamily's entry: "inverse.gaussian" (also "inverse_gaussian"). */
export const inverseGaussianEntry: FamilyEntry = Object.freeze<FamilyEntry>({
  names: ["inverse.gaussian"],
  aliases: ["inverse_gaussian"],
  build: (o) => inverseGaussian(o.link),
});

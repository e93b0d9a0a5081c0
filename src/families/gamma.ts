/**
 * The Gamma family, transcribing R 4.2's `Gamma()` [1]: V(μ) = μ²,
 * d(y, μ) = −2{log(y/μ) − (y − μ)/μ}, aic = −2 Σ wᵢ log dgamma(yᵢ; 1/φ, scale μᵢφ) + 2
 * with φ = dev/Σwᵢ. The auxiliary parameter is the shape α (φ = 1/α, u = log α).
 *
 * [1] R Core Team. R 4.2 `src/library/stats/R/family.R`.
 * [2] Kosmidis, I. and Firth, D. (2009). Bias reduction in exponential family nonlinear
 *     models. Biometrika 96, 793–804; brglm2 0.9 R/brglmFit.R, enrichwith 0.3 R/family.R.
 */
import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import polygamma from "@stdlib/math-base-special-polygamma";
import trigamma from "@stdlib/math-base-special-trigamma";
import logpdfGamma from "@stdlib/stats-base-dists-gamma-logpdf";
import type { DispersionModel, Family, FamilyLikelihood, ObservationModel, Variates } from "../types.js";
import { buildFamily, checkSupport, mapStart, positiveWeights, resolveLink, type LinkSpec } from "./shared.js";
import type { FamilyEntry } from "./registry.js";
import { logLink } from "../links.js";
import { gammaLogRows } from "./row-kernels.js";

const OK_LINKS = ["inverse", "identity", "log"] as const;

/** log dgamma(y; shape 1/φ, scale μφ), parametrised by the rate 1/(μφ) as stdlib takes it. */
function logDgamma(y: number, mu: number, dispersion: number): number {
  return logpdfGamma(y, 1 / dispersion, 1 / (mu * dispersion));
}

/** ½ log I_uu(u) and its derivatives: I_uu = Σw·f(α), f = α²ψ′(α) − α. */
function gammaAuxInfoHalfLog(sw: number, u: number, out: Float64Array): boolean {
  // d/du ½ log f = ½αf′/f, with f′ = 2αψ′ + α²ψ″ − 1, f″ = 2ψ′ + 4αψ″ + α²ψ‴.
  const a = Math.exp(u);
  const p1 = trigamma(a);
  const p2 = polygamma(2, a);
  const p3 = polygamma(3, a);
  const f = a * a * p1 - a;
  const f1 = 2 * a * p1 + a * a * p2 - 1;
  const f2 = 2 * p1 + 4 * a * p2 + a * a * p3;
  out[0] = 0.5 * (Math.log(sw) + Math.log(f));
  out[1] = (0.5 * a * f1) / f;
  out[2] = 0.5 * ((a * f1) / f + (a * a * f2) / f - (a * a * f1 * f1) / (f * f));
  return true;
}

/** Gamma with u = log α: ℓᵢ = w{α log α − lgamma(α) − α log μ + (α−1) log y − αy/μ}. */
function gammaModel(y: Float64Array, w: Float64Array): ObservationModel {
  const { sum: sw } = positiveWeights(w);
  const logy = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) logy[i] = Math.log(y[i]!);
  let alpha = 1;
  let alphaLogAlphaMinusLgamma = 0;
  let logAlpha1MinusDigamma = 1; // log α + 1 − ψ(α)
  let invAlphaMinusTrigamma = 0; // 1/α − ψ′(α)
  const m: ObservationModel = {
    setAux(u) {
      alpha = Math.exp(u);
      alphaLogAlphaMinusLgamma = alpha * u - gammaln(alpha);
      logAlpha1MinusDigamma = u + 1 - digamma(alpha);
      invAlphaMinusTrigamma = 1 / alpha - trigamma(alpha);
      return alpha;
    },
    variance: (mu) => mu * mu,
    varianceDeriv: (mu) => 2 * mu,
    varianceDeriv2: () => 2,
    logDensity(i, mu) {
      const yi = y[i]!;
      if (!(mu > 0)) return -Infinity;
      return w[i]! * (alphaLogAlphaMinusLgamma - alpha * Math.log(mu) + (alpha - 1) * logy[i]! - (alpha * yi) / mu);
    },
    dU(i, mu) {
      // α ∂ℓ/∂α, ∂ℓ/∂α = w{log α + 1 − ψ(α) − log μ + log y − y/μ}
      return alpha * w[i]! * (logAlpha1MinusDigamma - Math.log(mu) + logy[i]! - y[i]! / mu);
    },
    dUU(i, mu) {
      return m.dU(i, mu) + alpha * alpha * w[i]! * invAlphaMinusTrigamma;
    },
    dMuU(i, mu) { return (w[i]! * alpha * (y[i]! - mu)) / (mu * mu); },
    expectedAuxInfo: () => -alpha * alpha * sw * invAlphaMinusTrigamma,
    logOmegaU: () => 1, logOmegaUU: () => 0, logOmegaMuU: () => 0,
    auxInfoHalfLog: (u, out) => gammaAuxInfoHalfLog(sw, u, out),
    startAux(yy, ww, mu) {
      // 1/α from the Pearson statistic Σ w (y−μ)²/μ² / n.
      let s = 0;
      let k = 0;
      for (let i = 0; i < yy.length; i++) if (ww[i]! > 0) { const r = (yy[i]! - mu[i]!) / mu[i]!; s += ww[i]! * r * r; k++; }
      const phi = s / Math.max(k, 1);
      return -Math.log(Math.max(phi, 1e-300));
    },
  };
  return m;
}

const gammaLikelihood: FamilyLikelihood = Object.freeze({ observationModel: gammaModel });

/**
 * Bias reduction's dispersion model [2], k = w/φ: w a′ = 2w(log k − ψ(k)), a″ = 2ψ′(k) − 2/k,
 * a‴ = −2ψ″(k) − 2/k² (enrichwith's a′ carries a constant +2 that brglm2 removes; it is left
 * out here), and the exact log density with shape k, so that the Jeffreys-penalised likelihood
 * is the function whose gradient is brglm2's adjusted score even under non-unit prior weights
 * (R's logLik multiplies a shape-1/φ density by w instead).
 */
const gammaDispersion: DispersionModel = Object.freeze({
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

/** R's Gamma()$simulate with prior weights: y ~ Gamma(shape αw, rate αw/μ). */
const simulate = (rng: Variates, mu: number, shape: number, w: number): number => rng.gamma(shape * w, (shape * w) / mu);

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
      aicRows: {
        sums: 1,
        // c = the dispersion dev/Σw (Σw over all rows in row order, first).
        context: (_y, _n, wt, dev) => {
          let sw = 0;
          for (let i = 0; i < wt.length; i++) sw += wt[i]!;
          return dev / sw;
        },
        add: (y, _n, mu, wt, disp, start, end, out) => {
          let s = out[0]!;
          for (let i = start; i < end; i++) s += logDgamma(y[i]!, mu[i]!, disp) * wt[i]!;
          out[0] = s;
        },
        finish: (s) => -2 * s[0]! + 2,
      },
      // wt · log dgamma(y; 1/φ, scale μφ): R's aic weights the log density, not the shape.
      logLikObs: (y, mu, wt, dispersion) => (wt === 0 ? 0 : wt * logDgamma(y, mu, dispersion)),
      validMu: (mu) => Number.isFinite(mu) && mu > 0,
      startMu: (y, wt) => mapStart(y, wt, (v) => v),
      rowKernels: (l) => (l === logLink ? gammaLogRows : null),
      checkY: (y, wt) => checkSupport(y, wt, "Gamma", "> 0", (v) => v > 0),
      aux: { name: "shape", logDispersionSlope: -1 },
      likelihood: gammaLikelihood,
      dispersionModel: gammaDispersion,
      simulate,
    },
    lk,
  );
}

/** makeFamily's entry: "Gamma" (any case). */
export const GammaEntry: FamilyEntry = Object.freeze<FamilyEntry>({ names: ["Gamma"], build: (o) => Gamma(o.link) });

/**
 * The negative binomial family with fixed θ, transcribing MASS 7.3's
 * `negative.binomial(theta)` [1]: V(μ) = μ + μ²/θ,
 * d(y, μ) = 2{y log(max(1, y)/μ) − (y + θ) log((y + θ)/(μ + θ))},
 * aic = 2 Σ wᵢ{(yᵢ+θ) log(μᵢ+θ) − yᵢ log μᵢ + lgamma(yᵢ+1) − θ log θ + lgamma(θ) − lgamma(θ+yᵢ)}.
 * θ is fixed in the record (and kept as data in `parameters.theta`); estimating it (glm.nb)
 * belongs to the fitting code. The log-likelihood takes θ as its auxiliary parameter, free,
 * starting from the record's θ.
 *
 * [1] Venables, W. N. and Ripley, B. D. (2002). Modern Applied Statistics with S, 4th ed., §7.4;
 *     MASS `R/negbin.R`.
 */
import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import log1p from "@stdlib/math-base-special-log1p";
import trigamma from "@stdlib/math-base-special-trigamma";
import { FamilyError } from "../errors.js";
import type { Family, FamilyLikelihood, ObservationModel, Variates } from "../types.js";
import { formatR, roundR } from "./rmath.js";
import {
  buildFamily,
  checkSupport,
  mapStart,
  requirePositive,
  resolveLink,
  type LinkSpec,
} from "./shared.js";
import type { FamilyEntry } from "./registry.js";
import { logLink } from "../links.js";
import { NegbinLogKernel } from "./negbin-likelihood.js";
import { negbinLogRows } from "./row-kernels.js";

const OK_LINKS = ["log", "sqrt", "identity"] as const;

/**
 * MASS's name of the family: "Negative Binomial(" + format(round(θ, 4)) + ")".
 * @example negativeBinomialName(1.52727) // "Negative Binomial(1.5273)"
 */
export function negativeBinomialName(theta: number): string {
  return `Negative Binomial(${formatR(roundR(theta, 4), 7)})`;
}

/**
 * Negative binomial with u = log θ (θ free; `theta0` is the start):
 * ℓᵢ = w{lgamma(y+θ) − lgamma(θ) − lgamma(y+1) − θ log(1 + μ/θ) + y log(μ/(μ+θ))}.
 */
function negbinModel(y: Float64Array, w: Float64Array, theta0: number): ObservationModel {
  const lgy = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) lgy[i] = gammaln(y[i]! + 1);
  let theta = 1;
  let lgTheta = 0;
  let psiTheta = 0;
  let psi1Theta = 0;
  const m: ObservationModel = {
    setAux(u) {
      theta = Math.exp(u);
      lgTheta = gammaln(theta);
      psiTheta = digamma(theta);
      psi1Theta = trigamma(theta);
      return 1;
    },
    variance: (mu) => mu + (mu * mu) / theta,
    varianceDeriv: (mu) => 1 + (2 * mu) / theta,
    varianceDeriv2: () => 2 / theta,
    logDensity(i, mu) {
      if (!(mu > 0)) return -Infinity;
      const yi = y[i]!;
      const s = gammaln(yi + theta) - lgTheta - lgy[i]! - theta * log1p(mu / theta) + (yi > 0 ? yi * Math.log(mu / (mu + theta)) : 0);
      return w[i]! * s;
    },
    dU(i, mu) {
      const yi = y[i]!;
      const dTheta = digamma(yi + theta) - psiTheta - log1p(mu / theta) + (mu - yi) / (mu + theta);
      return theta * w[i]! * dTheta;
    },
    dUU(i, mu) {
      const yi = y[i]!;
      const mt = mu + theta;
      const d2 = trigamma(yi + theta) - psi1Theta + 1 / theta - 2 / mt + (yi + theta) / (mt * mt);
      return m.dU(i, mu) + theta * theta * w[i]! * d2;
    },
    dMuU(i, mu) { const mt = mu + theta; return (theta * w[i]! * (y[i]! - mu)) / (mt * mt); },
    expectedAuxInfo: () => NaN,
    // log ω = log w + 2 log μ′ − log V, V = μ + μ²/θ: ∂/∂u = μ/(μ+θ) =: q, ∂²/∂u² = −q(1−q), ∂²/∂μ∂u = θ/(μ+θ)².
    logOmegaU: (mu) => mu / (mu + theta),
    logOmegaUU: (mu) => { const q = mu / (mu + theta); return -q * (1 - q); },
    logOmegaMuU: (mu) => theta / ((mu + theta) * (mu + theta)),
    auxInfoHalfLog: () => false,
    startAux: () => Math.log(theta0),
  };
  return m;
}

/** MASS's simulate for negative.binomial: y ~ NB(mean μ, size θ), prior weights ignored (as MASS does). */
const simulate = (rng: Variates, mu: number, theta: number, _w: number): number => rng.negativeBinomial(mu, theta);

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
  const observationModel: FamilyLikelihood["observationModel"] = (y, w) => negbinModel(y, w, th);
  // With R's log link, the η-space kernel (bit-identical to the generic one, lgamma/ψ per distinct y).
  const likelihood: FamilyLikelihood = lk === logLink
    ? { observationModel, canonicalKernel: (y, w) => new NegbinLogKernel(y, w, th) }
    : { observationModel };
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
      aicRows: {
        sums: 1,
        add: (y, _n, mu, wt, _c, start, end, out) => {
          let s = out[0]!;
          for (let i = start; i < end; i++) s += term(y[i]!, mu[i]!) * wt[i]!;
          out[0] = s;
        },
        finish: (s) => 2 * s[0]!,
      },
      logLikObs: (y, mu, wt, _dispersion) => (wt === 0 ? 0 : -wt * term(y, mu)),
      validMu: (mu) => mu > 0,
      startMu: (y, wt) => mapStart(y, wt, (v) => v + (v === 0 ? 1 / 6 : 0)),
      checkY: (y, wt) => checkSupport(y, wt, name, ">= 0", (v) => v >= 0),
      parameters: { theta: th },
      discrete: true,
      aux: { name: "theta", logDispersionSlope: null },
      likelihood,
      // Zero counts fitted by rates tending to 0 give infinite log-link MLEs (models/separation-check.ts).
      infiniteEstimateCheck: lk.name === "log" ? "logCount" : null,
      simulate,
      rowKernels: (l) => (l === logLink ? negbinLogRows(th) : null),
    },
    lk,
  );
}

/** makeFamily's entry: "negative_binomial" (also "negbin", "negative.binomial"); θ is required. */
export const negativeBinomialEntry: FamilyEntry = Object.freeze<FamilyEntry>({
  names: ["negative_binomial", "negbin"],
  aliases: ["negative.binomial"],
  takes: "theta",
  build: (o) => {
    if (o.theta === undefined) {
      throw new FamilyError(
        "theta (θ) is required for the negative binomial family with fixed θ: pass { theta }, or use the fit that estimates θ",
      );
    }
    return negativeBinomial(o.theta, o.link);
  },
});

/**
 * The GLM log-likelihood as a function of the linear predictor η and of the
 * log of the auxiliary parameter u = log a, with its derivatives, observation
 * by observation. This is what the log posterior, the MAP fitter and the
 * samplers differentiate; it never allocates after construction.
 *
 * Densities (prior weight w, the same conventions as R's logLik.glm and the
 * family records' logLikObs):
 * - binomial: (w/m)·log dbinom(m·y; m, μ) with m the trials (R's aic: m = trials
 *   when any trial count exceeds 1, else w); no aux.
 * - poisson: w·log dpois(y; μ), with lgamma(y+1) for non-integer y; no aux.
 * - gaussian: log N(y; μ, σ²/w) (precision weights); aux σ, φ = σ².
 * - Gamma: w·log dgamma(y; shape α, scale μ/α); aux the shape α, φ = 1/α.
 * - inverse.gaussian: w·log IG(y; μ, λ); aux λ, φ = 1/λ.
 * - negative binomial: w·log dnbinom(y; size θ, mean μ); aux θ (free; the family's θ is only a start).
 * For every family ∂ℓᵢ/∂μ = w(y−μ)/(φV(μ)) (V depends on θ for the negative binomial), so
 * ∂ℓᵢ/∂η = w(y−μ)μ′/(φV) and ∂²ℓᵢ/∂η² = −wμ′²/(φV) + w(y−μ)/(φV)·(μ″ − μ′²V′/V).
 * Binomial-logit and Poisson-log are evaluated in η space (canonical links:
 * ℓ = w(yη − b(η)), no clamping), as in scikit-learn's losses.
 *
 * Reference: McCullagh & Nelder (1989), Generalized Linear Models, 2nd ed., §2.2, §2.5, §11.
 */
import gammaln from "@stdlib/math-base-special-gammaln";
import digamma from "@stdlib/math-base-special-digamma";
import trigamma from "@stdlib/math-base-special-trigamma";
import polygamma from "@stdlib/math-base-special-polygamma";
import log1p from "@stdlib/math-base-special-log1p";
import type { Family, Link } from "../types.js";
import { FamilyError } from "../errors.js";
import { muEta3For } from "./link-third-derivative.js";

const LN_2PI = 1.8378770664093453;

/** Name of the auxiliary parameter of each family with one. */
export type AuxName = "sigma" | "shape" | "theta" | "lambda";

/** Data a likelihood needs besides η. */
export interface LikelihoodData {
  y: Float64Array;
  weights: Float64Array;
  trials: Float64Array | null;
  family: Family;
}

/**
 * Per-observation likelihood with derivatives in (η, u). Arrays are length n and
 * caller-owned; `u` is ignored by families without an auxiliary parameter.
 * A value of −∞ means η is outside the link's or the family's domain.
 */
export interface LikelihoodKernel {
  readonly auxName: AuxName | null;
  /**
   * d log φ/du for families with a dispersion φ (gaussian 2, Gamma −1,
   * inverse.gaussian −1); null without aux, and for the negative binomial (φ = 1, V depends on θ).
   */
  readonly logDispersionSlope: number | null;
  /** ℓ = Σᵢ ℓᵢ(ηᵢ, u). */
  logLik(eta: Float64Array, u: number): number;
  /** ℓ; writes ∂ℓᵢ/∂ηᵢ into `score` and ∂ℓ/∂u into auxGrad[0]. */
  logLikGrad(eta: Float64Array, u: number, score: Float64Array, auxGrad: Float64Array): number;
  /** Writes ∂²ℓᵢ/∂ηᵢ² into hEta and ∂²ℓᵢ/∂ηᵢ∂u into hEtaU; returns ∂²ℓ/∂u². */
  hessianParts(eta: Float64Array, u: number, hEta: Float64Array, hEtaU: Float64Array): number;
  /**
   * Writes the Fisher (IRLS working) weights ωᵢ = E[−∂²ℓᵢ/∂ηᵢ²] = wμ′²/(φV) into omega
   * and returns the expected information of u, E[−∂²ℓ/∂u²] (NaN where it has no closed form: negative binomial).
   */
  fisher(eta: Float64Array, u: number, omega: Float64Array): number;
  /**
   * For the Jeffreys penalty: ωᵢ and the derivatives of log ωᵢ: aᵢ = ∂/∂η, aaᵢ = ∂²/∂η²,
   * auᵢ = ∂²/∂η∂u, bᵢ = ∂/∂u, bbᵢ = ∂²/∂u².
   */
  fisherLogDerivatives(
    eta: Float64Array, u: number, omega: Float64Array, a: Float64Array, aa: Float64Array,
    au: Float64Array, b: Float64Array, bb: Float64Array,
  ): void;
  /**
   * ½ log of the expected information of u, I_uu(u), with its first and second
   * derivatives in u, written into out[0..2]; false where there is no closed form (negative binomial).
   */
  auxInfoHalfLog(u: number, out: Float64Array): boolean;
  /** A starting u from the residuals at η (moment estimate), or the family's θ for the negative binomial. */
  startAux(eta: Float64Array): number;
}

/** Per-family pieces of the generic-link kernel (aux-dependent values after `setAux`). */
interface ObsModel {
  readonly auxName: AuxName | null;
  readonly logDispersionSlope: number | null;
  setAux(u: number): void;
  /** 1/φ at the current aux (1 without dispersion). */
  invPhi: number;
  variance(mu: number): number;
  varianceDeriv(mu: number): number;
  varianceDeriv2(mu: number): number;
  /** ℓᵢ for weight w > 0 (−∞ outside the support). */
  logDensity(i: number, mu: number): number;
  /** ∂ℓᵢ/∂u, ∂²ℓᵢ/∂u², and ∂²ℓᵢ/∂μ∂u (0 without aux). */
  dU(i: number, mu: number): number;
  dUU(i: number, mu: number): number;
  dMuU(i: number, mu: number): number;
  /** E[−∂²ℓ/∂u²] over all rows (NaN if unavailable). */
  expectedAuxInfo(): number;
  /** Jeffreys: ∂ log ωᵢ/∂u, ∂²/∂u², and ∂ log ωᵢ/∂μ∂u (so ∂²/∂η∂u = μ′ times it). */
  logOmegaU(mu: number): number;
  logOmegaUU(mu: number): number;
  logOmegaMuU(mu: number): number;
  auxInfoHalfLog(u: number, out: Float64Array): boolean;
  startAux(y: Float64Array, w: Float64Array, mu: Float64Array): number;
}

/** log C(m, k) by log-gamma, 0 for m = 0. */
function lchoose(m: number, k: number): number {
  if (m === 0) return 0;
  return gammaln(m + 1) - gammaln(k + 1) - gammaln(m - k + 1);
}

/** R's round(): halves to even (as the binomial aic rounds m·y and m). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Σ over rows of (w/m)·log C(m, m·y): the binomial constant, as R's aic computes it. */
function binomialConstants(y: Float64Array, w: Float64Array, trials: Float64Array | null): Float64Array {
  const n = y.length;
  let anyTrials = false;
  if (trials) for (let i = 0; i < n; i++) if (trials[i]! > 1) { anyTrials = true; break; }
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    const m = anyTrials ? trials![i]! : wi;
    if (wi === 0 || m <= 0) continue;
    c[i] = (wi / m) * lchoose(roundHalfEven(m), roundHalfEven(m * y[i]!));
  }
  return c;
}

function familyKey(family: Family): string {
  if (family.quasi) {
    throw new FamilyError(`the ${family.name} family is a quasi-likelihood: it has no log density, so it has no log posterior (use binomial or poisson)`);
  }
  if (family.name.startsWith("Negative Binomial")) return "negbin";
  if (["binomial", "poisson", "gaussian", "Gamma", "inverse.gaussian"].includes(family.name)) return family.name;
  throw new FamilyError(
    `the ${family.name} family has no likelihood glmkit can differentiate (a log posterior needs binomial, poisson, gaussian, Gamma, inverse.gaussian or negative binomial)`,
  );
}

/** θ of a negative binomial family record, from V(1) = 1 + 1/θ. */
function negbinTheta(family: Family): number {
  return 1 / (family.variance(1) - 1);
}

/* ---------------- per-family observation models ---------------- */

function binomialModel(y: Float64Array, w: Float64Array, trials: Float64Array | null): ObsModel {
  const c = binomialConstants(y, w, trials);
  return {
    auxName: null, logDispersionSlope: null, invPhi: 1,
    setAux() {},
    variance: (mu) => mu * (1 - mu),
    varianceDeriv: (mu) => 1 - 2 * mu,
    varianceDeriv2: () => -2,
    logDensity(i, mu) {
      const yi = y[i]!;
      let s = 0;
      if (yi > 0) s += yi * Math.log(mu);
      if (yi < 1) s += (1 - yi) * log1p(-mu);
      return c[i]! + w[i]! * s;
    },
    dU: () => 0, dUU: () => 0, dMuU: () => 0,
    expectedAuxInfo: () => 0,
    logOmegaU: () => 0, logOmegaUU: () => 0, logOmegaMuU: () => 0,
    auxInfoHalfLog: () => false,
    startAux: () => 0,
  };
}

function poissonModel(y: Float64Array, w: Float64Array): ObsModel {
  const lgy = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) lgy[i] = gammaln(y[i]! + 1);
  return {
    auxName: null, logDispersionSlope: null, invPhi: 1,
    setAux() {},
    variance: (mu) => mu,
    varianceDeriv: () => 1,
    varianceDeriv2: () => 0,
    logDensity(i, mu) {
      const yi = y[i]!;
      return w[i]! * ((yi > 0 ? yi * Math.log(mu) : 0) - mu - lgy[i]!);
    },
    dU: () => 0, dUU: () => 0, dMuU: () => 0,
    expectedAuxInfo: () => 0,
    logOmegaU: () => 0, logOmegaUU: () => 0, logOmegaMuU: () => 0,
    auxInfoHalfLog: () => false,
    startAux: () => 0,
  };
}

/** Number of rows with positive weight and Σ w over them. */
function positiveWeights(w: Float64Array): { count: number; sum: number } {
  let count = 0;
  let sum = 0;
  for (let i = 0; i < w.length; i++) if (w[i]! > 0) { count++; sum += w[i]!; }
  return { count, sum };
}

/** Gaussian with u = log σ: ℓᵢ = −½ log 2π + ½ log w − u − w r²/(2σ²). */
function gaussianModel(y: Float64Array, w: Float64Array): ObsModel {
  const { count } = positiveWeights(w);
  const m: ObsModel = {
    auxName: "sigma", logDispersionSlope: 2, invPhi: 1,
    setAux(u) { m.invPhi = Math.exp(-2 * u); },
    variance: () => 1,
    varianceDeriv: () => 0,
    varianceDeriv2: () => 0,
    logDensity(i, mu) {
      const r = y[i]! - mu;
      const wi = w[i]!;
      return -0.5 * LN_2PI + 0.5 * Math.log(wi * m.invPhi) - 0.5 * wi * r * r * m.invPhi;
    },
    dU(i, mu) { const r = y[i]! - mu; return -1 + w[i]! * r * r * m.invPhi; },
    dUU(i, mu) { const r = y[i]! - mu; return -2 * w[i]! * r * r * m.invPhi; },
    dMuU(i, mu) { return -2 * w[i]! * (y[i]! - mu) * m.invPhi; },
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
  return m;
}

/** Gamma with u = log α: ℓᵢ = w{α log α − lgamma(α) − α log μ + (α−1) log y − αy/μ}. */
function gammaModel(y: Float64Array, w: Float64Array): ObsModel {
  const { sum: sw } = positiveWeights(w);
  const logy = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) logy[i] = Math.log(y[i]!);
  let alpha = 1;
  let alphaLogAlphaMinusLgamma = 0;
  let logAlpha1MinusDigamma = 1; // log α + 1 − ψ(α)
  let invAlphaMinusTrigamma = 0; // 1/α − ψ′(α)
  const m: ObsModel = {
    auxName: "shape", logDispersionSlope: -1, invPhi: 1,
    setAux(u) {
      alpha = Math.exp(u);
      m.invPhi = alpha;
      alphaLogAlphaMinusLgamma = alpha * u - gammaln(alpha);
      logAlpha1MinusDigamma = u + 1 - digamma(alpha);
      invAlphaMinusTrigamma = 1 / alpha - trigamma(alpha);
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
    auxInfoHalfLog(u, out) {
      // I_uu = Σw·f(α), f = α²ψ′(α) − α; d/du ½ log f = ½αf′/f, with f′ = 2αψ′ + α²ψ″ − 1, f″ = 2ψ′ + 4αψ″ + α²ψ‴.
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
    },
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

/** Inverse Gaussian with u = log λ: ℓᵢ = w{½ log λ − ½ log 2π − (3/2) log y − λ(y−μ)²/(2μ²y)}. */
function inverseGaussianModel(y: Float64Array, w: Float64Array): ObsModel {
  const { sum: sw } = positiveWeights(w);
  const c = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) c[i] = -0.5 * LN_2PI - 1.5 * Math.log(y[i]!);
  let lambda = 1;
  let halfU = 0;
  const dev = (i: number, mu: number): number => { const r = y[i]! - mu; return (r * r) / (mu * mu * y[i]!); };
  const m: ObsModel = {
    auxName: "lambda", logDispersionSlope: -1, invPhi: 1,
    setAux(u) { lambda = Math.exp(u); m.invPhi = lambda; halfU = 0.5 * u; },
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
  return m;
}

/**
 * Negative binomial with u = log θ:
 * ℓᵢ = w{lgamma(y+θ) − lgamma(θ) − lgamma(y+1) − θ log(1 + μ/θ) + y log(μ/(μ+θ))}.
 */
function negbinModel(y: Float64Array, w: Float64Array, theta0: number): ObsModel {
  const lgy = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) lgy[i] = gammaln(y[i]! + 1);
  let theta = 1;
  let lgTheta = 0;
  let psiTheta = 0;
  let psi1Theta = 0;
  const m: ObsModel = {
    auxName: "theta", logDispersionSlope: null, invPhi: 1,
    setAux(u) {
      theta = Math.exp(u);
      lgTheta = gammaln(theta);
      psiTheta = digamma(theta);
      psi1Theta = trigamma(theta);
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

/* ---------------- drivers ---------------- */

/**
 * The generic-link kernel: μ = g⁻¹(η), μ′, μ″ from the link record (with R's clamps),
 * the family pieces from an ObsModel.
 */
class GenericKernel implements LikelihoodKernel {
  readonly auxName: AuxName | null;
  readonly logDispersionSlope: number | null;
  private readonly muEta3: (eta: number) => number;
  private readonly mu: Float64Array;
  constructor(
    private readonly model: ObsModel,
    private readonly link: Link,
    private readonly family: Family,
    private readonly y: Float64Array,
    private readonly w: Float64Array,
  ) {
    this.auxName = model.auxName;
    this.logDispersionSlope = model.logDispersionSlope;
    this.muEta3 = muEta3For(link);
    this.mu = new Float64Array(y.length);
  }

  private valid(eta: number, mu: number): boolean {
    return this.link.validEta(eta) && this.family.validMu(mu);
  }

  logLik(eta: Float64Array, u: number): number {
    const { model, link, w } = this;
    model.setAux(u);
    let ll = 0;
    for (let i = 0; i < eta.length; i++) {
      if (w[i] === 0) continue;
      const e = eta[i]!;
      const mu = link.linkinv(e);
      if (!this.valid(e, mu)) return -Infinity;
      ll += model.logDensity(i, mu);
    }
    return ll;
  }

  logLikGrad(eta: Float64Array, u: number, score: Float64Array, auxGrad: Float64Array): number {
    const { model, link, w, y } = this;
    model.setAux(u);
    const invPhi = model.invPhi;
    const hasAux = model.auxName !== null;
    let ll = 0;
    let gu = 0;
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) { score[i] = 0; continue; }
      const e = eta[i]!;
      const mu = link.linkinv(e);
      if (!this.valid(e, mu)) { score.fill(0); auxGrad[0] = 0; return -Infinity; }
      ll += model.logDensity(i, mu);
      score[i] = (wi * (y[i]! - mu) * link.muEta(e) * invPhi) / model.variance(mu);
      if (hasAux) gu += model.dU(i, mu);
    }
    auxGrad[0] = gu;
    return ll;
  }

  hessianParts(eta: Float64Array, u: number, hEta: Float64Array, hEtaU: Float64Array): number {
    const { model, link, w, y } = this;
    model.setAux(u);
    const invPhi = model.invPhi;
    const hasAux = model.auxName !== null;
    let huu = 0;
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) { hEta[i] = 0; hEtaU[i] = 0; continue; }
      const e = eta[i]!;
      const mu = link.linkinv(e);
      const d1 = link.muEta(e);
      const d2 = link.muEta2(e);
      const v = model.variance(mu);
      const vp = model.varianceDeriv(mu);
      const r = y[i]! - mu;
      hEta[i] = ((wi * invPhi) / v) * (-d1 * d1 + r * (d2 - (d1 * d1 * vp) / v));
      if (hasAux) {
        hEtaU[i] = model.dMuU(i, mu) * d1;
        huu += model.dUU(i, mu);
      } else {
        hEtaU[i] = 0;
      }
    }
    return huu;
  }

  fisher(eta: Float64Array, u: number, omega: Float64Array): number {
    const { model, link, w } = this;
    model.setAux(u);
    const invPhi = model.invPhi;
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) { omega[i] = 0; continue; }
      const e = eta[i]!;
      const mu = link.linkinv(e);
      const d1 = link.muEta(e);
      omega[i] = (wi * d1 * d1 * invPhi) / model.variance(mu);
    }
    return model.auxName === null ? 0 : model.expectedAuxInfo();
  }

  fisherLogDerivatives(
    eta: Float64Array, u: number, omega: Float64Array, a: Float64Array, aa: Float64Array,
    au: Float64Array, b: Float64Array, bb: Float64Array,
  ): void {
    const { model, link, w } = this;
    model.setAux(u);
    const invPhi = model.invPhi;
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) { omega[i] = 0; a[i] = 0; aa[i] = 0; au[i] = 0; b[i] = 0; bb[i] = 0; continue; }
      const e = eta[i]!;
      const mu = link.linkinv(e);
      const d1 = link.muEta(e);
      const d2 = link.muEta2(e);
      const d3 = this.muEta3(e);
      const v = model.variance(mu);
      const vp = model.varianceDeriv(mu);
      const vpp = model.varianceDeriv2(mu);
      omega[i] = (wi * d1 * d1 * invPhi) / v;
      // log ω = log w + 2 log μ′ − log V(μ) − log φ
      const r2 = d2 / d1;
      const vr = vp / v;
      a[i] = 2 * r2 - d1 * vr;
      aa[i] = 2 * (d3 / d1 - r2 * r2) - (d2 * vr + (d1 * d1 * vpp) / v - d1 * d1 * vr * vr);
      au[i] = model.logOmegaMuU(mu) * d1;
      b[i] = model.logOmegaU(mu);
      bb[i] = model.logOmegaUU(mu);
    }
  }

  auxInfoHalfLog(u: number, out: Float64Array): boolean {
    return this.model.auxInfoHalfLog(u, out);
  }

  startAux(eta: Float64Array): number {
    const mu = this.mu;
    for (let i = 0; i < eta.length; i++) mu[i] = this.link.linkinv(eta[i]!);
    return this.model.startAux(this.y, this.w, mu);
  }
}

/** Rows from which the logit kernel's gradient sums log(1 + e^{−|η|}) by block products (see logLikGrad). */
const BLOCKED_LOG_MIN_ROWS = 1024;

/** Binomial with the logit link in η space: ℓᵢ = cᵢ + w(yη − log(1 + e^η)). */
class LogitKernel implements LikelihoodKernel {
  readonly auxName = null;
  readonly logDispersionSlope = null;
  private readonly c: Float64Array;
  private readonly constant: number;
  constructor(private readonly y: Float64Array, private readonly w: Float64Array, trials: Float64Array | null) {
    this.c = binomialConstants(y, w, trials);
    let s = 0;
    for (let i = 0; i < this.c.length; i++) s += this.c[i]!;
    this.constant = s;
  }
  logLik(eta: Float64Array): number {
    const { y, w } = this;
    let ll = this.constant;
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) continue;
      const e = eta[i]!;
      // log(1 + e^η) = max(η, 0) + log1p(e^{−|η|}): exact for every η.
      ll += wi * (y[i]! * e - (Math.max(e, 0) + Math.log1p(Math.exp(-Math.abs(e)))));
    }
    return Number.isNaN(ll) ? -Infinity : ll;
  }
  logLikGrad(eta: Float64Array, _u: number, score: Float64Array, auxGrad: Float64Array): number {
    const { y, w } = this;
    let ll = this.constant;
    // The samplers' hot path. log(1 + e^η) = max(η, 0) + log(1 + t), t = e^{−|η|} ∈ (0, 1]. For
    // unit-weight rows the log(1 + t) terms are summed as the log of products of 64 factors
    // (each in (1, 2], so a product stays below 2^64): one logarithm per 64 rows instead of a
    // log1p per row, which halves the cost of this loop. Each factor 1 + t is rounded once
    // (absolute error ≤ ε/2 in its log) and each product adds ≤ 64 roundings, so the sum is
    // within ~n·ε of the log1p sum (3e-15 relative for n = 10⁴); `logLik` keeps log1p.
    // Below BLOCKED_LOG_MIN_ROWS rows the saving is immaterial and every row keeps its log1p.
    if (eta.length < BLOCKED_LOG_MIN_ROWS) return this.logLikGradPerRow(eta, score, auxGrad);
    let product = 1;
    let factors = 0;
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      const e = eta[i]!;
      // One exponential serves μ = 1/(1 + e^{−η}) and log(1 + e^η), both through t (no overflow).
      const t = Math.exp(-Math.abs(e));
      const onePlusT = 1 + t;
      const mu = (e >= 0 ? 1 : t) / onePlusT;
      score[i] = wi * (y[i]! - mu);
      if (wi === 0) continue;
      ll += wi * (y[i]! * e - Math.max(e, 0));
      if (wi === 1) {
        product *= onePlusT;
        if (++factors === 64) {
          ll -= Math.log(product);
          product = 1;
          factors = 0;
        }
      } else {
        ll -= wi * Math.log1p(t);
      }
    }
    ll -= Math.log(product);
    auxGrad[0] = 0;
    return Number.isNaN(ll) ? -Infinity : ll;
  }
  /** logLikGrad with one log1p per row. */
  private logLikGradPerRow(eta: Float64Array, score: Float64Array, auxGrad: Float64Array): number {
    const { y, w } = this;
    let ll = this.constant;
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      const e = eta[i]!;
      // One exponential serves μ = 1/(1 + e^{−η}) and log(1 + e^η), both through t = e^{−|η|} (no overflow).
      const t = Math.exp(-Math.abs(e));
      const mu = e >= 0 ? 1 / (1 + t) : t / (1 + t);
      if (wi !== 0) ll += wi * (y[i]! * e - (Math.max(e, 0) + Math.log1p(t)));
      score[i] = wi * (y[i]! - mu);
    }
    auxGrad[0] = 0;
    return Number.isNaN(ll) ? -Infinity : ll;
  }
  hessianParts(eta: Float64Array, _u: number, hEta: Float64Array, hEtaU: Float64Array): number {
    const w = this.w;
    for (let i = 0; i < eta.length; i++) {
      const t = Math.exp(-Math.abs(eta[i]!));
      hEta[i] = (-w[i]! * t) / ((1 + t) * (1 + t));
      hEtaU[i] = 0;
    }
    return 0;
  }
  fisher(eta: Float64Array, _u: number, omega: Float64Array): number {
    const w = this.w;
    for (let i = 0; i < eta.length; i++) {
      const t = Math.exp(-Math.abs(eta[i]!));
      omega[i] = (w[i]! * t) / ((1 + t) * (1 + t));
    }
    return 0;
  }
  fisherLogDerivatives(
    eta: Float64Array, _u: number, omega: Float64Array, a: Float64Array, aa: Float64Array,
    au: Float64Array, b: Float64Array, bb: Float64Array,
  ): void {
    const w = this.w;
    for (let i = 0; i < eta.length; i++) {
      const e = eta[i]!;
      const t = Math.exp(-Math.abs(e));
      const v = t / ((1 + t) * (1 + t)); // μ(1−μ)
      omega[i] = w[i]! * v;
      a[i] = -Math.tanh(e / 2); // 1 − 2μ
      aa[i] = -2 * v;
      au[i] = 0; b[i] = 0; bb[i] = 0;
    }
  }
  auxInfoHalfLog(): boolean { return false; }
  startAux(): number { return 0; }
}

/** Poisson with the log link in η space: ℓᵢ = w(yη − e^η − lgamma(y+1)). */
class LogPoissonKernel implements LikelihoodKernel {
  readonly auxName = null;
  readonly logDispersionSlope = null;
  private readonly constant: number;
  constructor(private readonly y: Float64Array, private readonly w: Float64Array) {
    let s = 0;
    for (let i = 0; i < y.length; i++) if (w[i]! !== 0) s -= w[i]! * gammaln(y[i]! + 1);
    this.constant = s;
  }
  logLik(eta: Float64Array): number {
    const { y, w } = this;
    let ll = this.constant;
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) continue;
      const e = eta[i]!;
      ll += wi * (y[i]! * e - Math.exp(e));
    }
    return Number.isNaN(ll) ? -Infinity : ll;
  }
  logLikGrad(eta: Float64Array, _u: number, score: Float64Array, auxGrad: Float64Array): number {
    const { y, w } = this;
    let ll = this.constant;
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      const e = eta[i]!;
      if (wi === 0) { score[i] = 0; continue; }
      const mu = Math.exp(e);
      ll += wi * (y[i]! * e - mu);
      score[i] = wi * (y[i]! - mu);
    }
    auxGrad[0] = 0;
    return Number.isNaN(ll) ? -Infinity : ll;
  }
  hessianParts(eta: Float64Array, _u: number, hEta: Float64Array, hEtaU: Float64Array): number {
    const w = this.w;
    for (let i = 0; i < eta.length; i++) { hEta[i] = w[i] === 0 ? 0 : -w[i]! * Math.exp(eta[i]!); hEtaU[i] = 0; }
    return 0;
  }
  fisher(eta: Float64Array, _u: number, omega: Float64Array): number {
    const w = this.w;
    for (let i = 0; i < eta.length; i++) omega[i] = w[i] === 0 ? 0 : w[i]! * Math.exp(eta[i]!);
    return 0;
  }
  fisherLogDerivatives(
    eta: Float64Array, _u: number, omega: Float64Array, a: Float64Array, aa: Float64Array,
    au: Float64Array, b: Float64Array, bb: Float64Array,
  ): void {
    const w = this.w;
    for (let i = 0; i < eta.length; i++) {
      omega[i] = w[i] === 0 ? 0 : w[i]! * Math.exp(eta[i]!);
      a[i] = 1; aa[i] = 0; au[i] = 0; b[i] = 0; bb[i] = 0;
    }
  }
  auxInfoHalfLog(): boolean { return false; }
  startAux(): number { return 0; }
}

/**
 * Builds the likelihood kernel of a problem's family and link. Quasi families and
 * Tweedie have no likelihood: FamilyError.
 * @example likelihoodKernel({ y, weights, trials: null, family: poisson() }).auxName // null
 */
export function likelihoodKernel(data: LikelihoodData): LikelihoodKernel {
  const { y, weights: w, trials, family } = data;
  const key = familyKey(family);
  const link = family.link;
  switch (key) {
    case "binomial":
      return link.name === "logit" ? new LogitKernel(y, w, trials) : new GenericKernel(binomialModel(y, w, trials), link, family, y, w);
    case "poisson":
      return link.name === "log" ? new LogPoissonKernel(y, w) : new GenericKernel(poissonModel(y, w), link, family, y, w);
    case "gaussian":
      return new GenericKernel(gaussianModel(y, w), link, family, y, w);
    case "Gamma":
      return new GenericKernel(gammaModel(y, w), link, family, y, w);
    case "inverse.gaussian":
      return new GenericKernel(inverseGaussianModel(y, w), link, family, y, w);
    default:
      return new GenericKernel(negbinModel(y, w, negbinTheta(family)), link, family, y, w);
  }
}

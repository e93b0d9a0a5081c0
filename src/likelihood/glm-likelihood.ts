/**
 * The GLM log-likelihood as a function of the linear predictor η and of the
 * log of the auxiliary parameter u = log a, with its derivatives, observation
 * by observation. This is what the log posterior, the MAP fitter and the
 * samplers differentiate; it never allocates after construction.
 *
 * The family record owns its likelihood (`family.likelihood`, src/families/*.ts):
 * an observation model ℓᵢ(μ, u) for any link, and for binomial–logit and Poisson–log
 * an η-space kernel (canonical links: ℓ = w(yη − b(η)), no clamping, as in
 * scikit-learn's losses). This file drives the observation model through the link.
 * Densities (prior weight w, the same conventions as R's logLik.glm and the family
 * records' logLikObs):
 * - binomial: (w/m)·log dbinom(m·y; m, μ) with m the trials (R's aic: m = trials
 *   when any trial count exceeds 1, else w); no aux.
 * - poisson: w·log dpois(y; μ), with lgamma(y+1) for non-integer y; no aux.
 * - gaussian: log N(y; μ, σ²/w) (precision weights); aux σ, φ = σ².
 * - Gamma: w·log dgamma(y; shape α, scale μ/α); aux the shape α, φ = 1/α.
 * - inverse.gaussian: w·log IG(y; μ, λ); aux λ, φ = 1/λ.
 * - negative binomial: w·log dnbinom(y; size θ, mean μ); aux θ (free; the family's θ is only a start).
 * For every family ∂ℓᵢ/∂μ = w(y−μ)/(φV(μ)) (V depends on θ for the negative binomial), so
 * ∂ℓᵢ/∂η = w(y−μ)μ′/(φV) and ∂²ℓᵢ/∂η² = −wμ′²/(φV) + w(y−μ)/(φV)·(μ″ − μ′²V′/V).
 *
 * Reference: McCullagh & Nelder (1989), Generalized Linear Models, 2nd ed., §2.2, §2.5, §11.
 */
import type { AuxName, Family, FamilyLikelihood, LikelihoodKernel, Link, ObservationModel, RowLikelihoodKernel } from "../types.js";
import { FamilyError } from "../errors.js";

export type { AuxName, LikelihoodKernel, RowLikelihoodKernel };

/** Data a likelihood needs besides η. */
export interface LikelihoodData {
  y: Float64Array;
  weights: Float64Array;
  trials: Float64Array | null;
  family: Family;
}

/** The family's likelihood; FamilyError for quasi families and for families without one. */
function familyLikelihood(family: Family): FamilyLikelihood {
  if (family.quasi) {
    throw new FamilyError(`the ${family.name} family is a quasi-likelihood: it has no log density, so it has no log posterior (use binomial or poisson)`);
  }
  if (family.likelihood === null) {
    throw new FamilyError(
      `the ${family.name} family has no likelihood glmkit can differentiate (a log posterior needs binomial, poisson, gaussian, Gamma, inverse.gaussian or negative binomial)`,
    );
  }
  return family.likelihood;
}

/**
 * The generic-link kernel: μ = g⁻¹(η), μ′, μ″, μ‴ from the link record (with R's clamps),
 * the family pieces from the family's observation model.
 */
class GenericKernel implements RowLikelihoodKernel {
  readonly auxName: AuxName | null;
  readonly logDispersionSlope: number | null;
  private readonly link: Link;
  private readonly mu: Float64Array;
  constructor(
    private readonly model: ObservationModel,
    private readonly family: Family,
    private readonly y: Float64Array,
    private readonly w: Float64Array,
  ) {
    this.auxName = family.aux?.name ?? null;
    this.logDispersionSlope = family.aux?.logDispersionSlope ?? null;
    this.link = family.link;
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

  logLikRows(eta: Float64Array, u: number, out: Float64Array): void {
    const { model, link, w } = this;
    model.setAux(u);
    for (let i = 0; i < eta.length; i++) {
      if (w[i] === 0) { out[i] = 0; continue; }
      const e = eta[i]!;
      const mu = link.linkinv(e);
      out[i] = this.valid(e, mu) ? model.logDensity(i, mu) : -Infinity;
    }
  }

  logLikGrad(eta: Float64Array, u: number, score: Float64Array, auxGrad: Float64Array): number {
    const { model, link, w, y } = this;
    const invPhi = model.setAux(u);
    const hasAux = this.auxName !== null;
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
    const invPhi = model.setAux(u);
    const hasAux = this.auxName !== null;
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
    const invPhi = model.setAux(u);
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) { omega[i] = 0; continue; }
      const e = eta[i]!;
      const mu = link.linkinv(e);
      const d1 = link.muEta(e);
      omega[i] = (wi * d1 * d1 * invPhi) / model.variance(mu);
    }
    return this.auxName === null ? 0 : model.expectedAuxInfo();
  }

  fisherLogDerivatives(
    eta: Float64Array, u: number, omega: Float64Array, a: Float64Array, aa: Float64Array,
    au: Float64Array, b: Float64Array, bb: Float64Array,
  ): void {
    const { model, link, w } = this;
    const invPhi = model.setAux(u);
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) { omega[i] = 0; a[i] = 0; aa[i] = 0; au[i] = 0; b[i] = 0; bb[i] = 0; continue; }
      const e = eta[i]!;
      const mu = link.linkinv(e);
      const d1 = link.muEta(e);
      const d2 = link.muEta2(e);
      const d3 = link.muEta3(e);
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


function buildKernel(data: LikelihoodData): RowLikelihoodKernel {
  const { y, weights: w, trials, family } = data;
  const likelihood = familyLikelihood(family);
  if (likelihood.canonicalKernel !== undefined) return likelihood.canonicalKernel(y, w, trials);
  return new GenericKernel(likelihood.observationModel(y, w, trials), family, y, w);
}

/**
 * Builds the likelihood kernel of a problem's family and link. Quasi families and
 * Tweedie have no likelihood: FamilyError.
 * @example likelihoodKernel({ y, weights, trials: null, family: poisson() }).auxName // null
 */
export function likelihoodKernel(data: LikelihoodData): LikelihoodKernel {
  return buildKernel(data);
}

/**
 * The likelihood kernel with `logLikRows`, the per-observation ℓᵢ whose sum is `logLik`
 * (for the pointwise log-likelihood matrix of LOO/WAIC). Same errors as likelihoodKernel.
 * @example const k = rowLikelihoodKernel({ y, weights, trials: null, family: poisson() }); k.logLikRows(eta, 0, out)
 */
export function rowLikelihoodKernel(data: LikelihoodData): RowLikelihoodKernel {
  return buildKernel(data);
}

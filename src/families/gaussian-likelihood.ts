/**
 * The gaussian log-likelihood with the identity link in η space (μ = η), u = log σ:
 * ℓᵢ = −½ log 2π + ½ log(w/σ²) − w(y − η)²/(2σ²), ∂ℓᵢ/∂η = w(y − η)/σ²,
 * ∂ℓ/∂u = Σ(−1 + w r²/σ²). The samplers' hot path for gaussian models: the generic
 * kernel (src/likelihood/glm-likelihood.ts) reaches the same numbers through seven
 * closure calls per row; this one does the same floating-point operations in the same
 * order inline, so every result is bit-identical to the generic kernel's (only
 * ½ log(w/σ²) is computed once per call for the rows of weight 1, the same value).
 *
 * Reference: McCullagh & Nelder (1989), Generalized Linear Models, 2nd ed., §8.
 */
import { GRAD_STATE_LENGTH, type FusedRowData, type RangeLikelihoodGradient, type RowLikelihoodKernel } from "../types.js";
import { LN_2PI } from "./shared.js";

/** Gaussian–identity in η space (see the module comment). */
export class GaussianIdentityKernel implements RowLikelihoodKernel, RangeLikelihoodGradient {
  readonly auxName = "sigma" as const;
  private readonly state = new Float64Array(GRAD_STATE_LENGTH);
  readonly logDispersionSlope = 2;
  private readonly count: number;
  constructor(private readonly y: Float64Array, private readonly w: Float64Array) {
    let c = 0;
    for (let i = 0; i < w.length; i++) if (w[i]! > 0) c++;
    this.count = c;
  }

  logLik(eta: Float64Array, u: number): number {
    const { y, w } = this;
    const invPhi = Math.exp(-2 * u);
    const halfLogUnit = 0.5 * Math.log(invPhi);
    let ll = 0;
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) continue;
      const e = eta[i]!;
      if (Number.isNaN(e)) return -Infinity;
      const r = y[i]! - e;
      ll += -0.5 * LN_2PI + (wi === 1 ? halfLogUnit : 0.5 * Math.log(wi * invPhi)) - 0.5 * wi * r * r * invPhi;
    }
    return ll;
  }

  logLikRows(eta: Float64Array, u: number, out: Float64Array): void {
    const { y, w } = this;
    const invPhi = Math.exp(-2 * u);
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) { out[i] = 0; continue; }
      const e = eta[i]!;
      const r = y[i]! - e;
      out[i] = Number.isNaN(e) ? -Infinity : -0.5 * LN_2PI + 0.5 * Math.log(wi * invPhi) - 0.5 * wi * r * r * invPhi;
    }
  }

  logLikGrad(eta: Float64Array, u: number, score: Float64Array, auxGrad: Float64Array): number {
    const state = this.state;
    this.gradBegin(eta.length, u, state);
    if (!this.gradRows(eta, u, score, 0, eta.length, state)) {
      score.fill(0);
      auxGrad[0] = 0;
      return -Infinity;
    }
    return this.gradEnd(state, auxGrad);
  }
  /** state: [ℓ so far, ∂ℓ/∂u so far, 1/σ², ½ log(1/σ²)]. */
  gradBegin(_n: number, u: number, state: Float64Array): void {
    const invPhi = Math.exp(-2 * u);
    state[0] = 0;
    state[1] = 0;
    state[2] = invPhi;
    state[3] = 0.5 * Math.log(invPhi);
  }
  gradRows(eta: Float64Array, _u: number, score: Float64Array, start: number, end: number, state: Float64Array): boolean {
    const { y, w } = this;
    const invPhi = state[2]!;
    const halfLogUnit = state[3]!;
    let ll = state[0]!;
    let gu = state[1]!;
    for (let i = start; i < end; i++) {
      const wi = w[i]!;
      if (wi === 0) { score[i] = 0; continue; }
      const e = eta[i]!;
      if (Number.isNaN(e)) return false;
      const r = y[i]! - e;
      ll += -0.5 * LN_2PI + (wi === 1 ? halfLogUnit : 0.5 * Math.log(wi * invPhi)) - 0.5 * wi * r * r * invPhi;
      score[i] = wi * r * invPhi;
      gu += -1 + wi * r * r * invPhi;
    }
    state[0] = ll;
    state[1] = gu;
    return true;
  }
  gradEnd(state: Float64Array, auxGrad: Float64Array): number {
    auxGrad[0] = state[1]!;
    return state[0]!;
  }
  rowData(): FusedRowData {
    return { family: "gaussian", y: this.y, w: this.w };
  }
  hessianParts(eta: Float64Array, u: number, hEta: Float64Array, hEtaU: Float64Array): number {
    const { y, w } = this;
    const invPhi = Math.exp(-2 * u);
    let huu = 0;
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) { hEta[i] = 0; hEtaU[i] = 0; continue; }
      const r = y[i]! - eta[i]!;
      hEta[i] = wi * invPhi * (-1 + r * 0);
      hEtaU[i] = -2 * wi * r * invPhi;
      huu += -2 * wi * r * r * invPhi;
    }
    return huu;
  }

  fisher(_eta: Float64Array, u: number, omega: Float64Array): number {
    const w = this.w;
    const invPhi = Math.exp(-2 * u);
    for (let i = 0; i < omega.length; i++) omega[i] = w[i] === 0 ? 0 : w[i]! * invPhi;
    return 2 * this.count;
  }

  fisherLogDerivatives(
    _eta: Float64Array, u: number, omega: Float64Array, a: Float64Array, aa: Float64Array,
    au: Float64Array, b: Float64Array, bb: Float64Array,
  ): void {
    const w = this.w;
    const invPhi = Math.exp(-2 * u);
    for (let i = 0; i < omega.length; i++) {
      if (w[i] === 0) { omega[i] = 0; a[i] = 0; aa[i] = 0; au[i] = 0; b[i] = 0; bb[i] = 0; continue; }
      // log ω = log w − 2u: no η dependence.
      omega[i] = w[i]! * invPhi;
      a[i] = 0; aa[i] = 0; au[i] = 0; b[i] = -2; bb[i] = 0;
    }
  }

  auxInfoHalfLog(_u: number, out: Float64Array): boolean {
    // I_uu = Σ_{w>0} 2, constant in u.
    out[0] = 0.5 * Math.log(2 * this.count); out[1] = 0; out[2] = 0;
    return true;
  }

  startAux(eta: Float64Array): number {
    const { y, w } = this;
    let s = 0;
    for (let i = 0; i < y.length; i++) if (w[i]! > 0) { const r = y[i]! - eta[i]!; s += w[i]! * r * r; }
    return 0.5 * Math.log(Math.max(s / Math.max(this.count, 1), 1e-300));
  }
}

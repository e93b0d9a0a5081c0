/**
 * The Poisson log-likelihood, owned by the family record: ℓᵢ = w·log dpois(y; μ) =
 * w(y log μ − μ − lgamma(y+1)), with lgamma(y+1) for non-integer y; no aux. With the
 * canonical log link the kernel works in η space (ℓ = w(yη − e^η − lgamma(y+1))).
 *
 * Reference: McCullagh & Nelder (1989), Generalized Linear Models, 2nd ed., §6.2.
 */
import gammaln from "@stdlib/math-base-special-gammaln";
import { GRAD_STATE_LENGTH, type FamilyLikelihood, type FusedRowData, type ObservationModel, type RangeLikelihoodGradient, type RowLikelihoodKernel } from "../types.js";
import { NO_AUX } from "./shared.js";
import { fastExp } from "../likelihood/fast-exp.js";

/** The μ-space Poisson model for any link: V = μ, V′ = 1, V″ = 0. */
function poissonModel(y: Float64Array, w: Float64Array): ObservationModel {
  const lgy = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) lgy[i] = gammaln(y[i]! + 1);
  return {
    ...NO_AUX,
    variance: (mu) => mu,
    varianceDeriv: () => 1,
    varianceDeriv2: () => 0,
    logDensity(i, mu) {
      const yi = y[i]!;
      return w[i]! * ((yi > 0 ? yi * Math.log(mu) : 0) - mu - lgy[i]!);
    },
  };
}

/** Poisson with the log link in η space: ℓᵢ = w(yη − e^η − lgamma(y+1)). */
class LogPoissonKernel implements RowLikelihoodKernel, RangeLikelihoodGradient {
  readonly auxName = null;
  private readonly state = new Float64Array(GRAD_STATE_LENGTH);
  readonly logDispersionSlope = null;
  /** −wᵢ·lgamma(yᵢ + 1) per row, and their sum. */
  private readonly c: Float64Array;
  private readonly constant: number;
  constructor(private readonly y: Float64Array, private readonly w: Float64Array) {
    this.c = new Float64Array(y.length);
    let s = 0;
    for (let i = 0; i < y.length; i++) {
      if (w[i]! === 0) continue;
      const wl = w[i]! * gammaln(y[i]! + 1);
      this.c[i] = -wl;
      s -= wl;
    }
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
  logLikRows(eta: Float64Array, _u: number, out: Float64Array): void {
    const { y, w, c } = this;
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) { out[i] = 0; continue; }
      const e = eta[i]!;
      const l = c[i]! + wi * (y[i]! * e - Math.exp(e));
      out[i] = Number.isNaN(l) ? -Infinity : l;
    }
  }
  logLikGrad(eta: Float64Array, u: number, score: Float64Array, auxGrad: Float64Array): number {
    const state = this.state;
    this.gradBegin(eta.length, u, state);
    this.gradRows(eta, u, score, 0, eta.length, state);
    return this.gradEnd(state, auxGrad);
  }
  /**
   * state: [the constant, ℓ_c of the rows of class c = i mod 8 at 1 + c]. The gradient's rows
   * (docs/glm-gradient.md): w = 0 → r = 0 and nothing added; μ = fastExp(η) (division-free,
   * ≤ 1 ulp from Math.exp), ℓ_c += w(yη − μ), r = w(y − μ); gradEnd adds the eight sums in a
   * fixed tree. Eight independent chains let the SIMD kernel keep them as four f64x2 sums.
   */
  gradBegin(_n: number, _u: number, state: Float64Array): void {
    state[0] = this.constant;
    for (let c = 1; c <= 8; c++) state[c] = 0;
  }
  gradRows(eta: Float64Array, _u: number, score: Float64Array, start: number, end: number, state: Float64Array): boolean {
    const { y, w } = this;
    for (let i = start; i < end; i++) {
      const wi = w[i]!;
      const e = eta[i]!;
      if (wi === 0) { score[i] = 0; continue; }
      const mu = fastExp(e);
      state[1 + (i & 7)] += wi * (y[i]! * e - mu);
      score[i] = wi * (y[i]! - mu);
    }
    return true;
  }
  gradEnd(state: Float64Array, auxGrad: Float64Array): number {
    const ll = state[0]! + (((state[1]! + state[2]!) + (state[3]! + state[4]!)) + ((state[5]! + state[6]!) + (state[7]! + state[8]!)));
    auxGrad[0] = 0;
    return Number.isNaN(ll) ? -Infinity : ll;
  }
  rowData(): FusedRowData {
    return { family: "poisson", y: this.y, w: this.w };
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

/** The Poisson family's likelihood; `log` says whether the link is the canonical log, which gets the η-space kernel. */
export function poissonLikelihood(log: boolean): FamilyLikelihood {
  const observationModel: FamilyLikelihood["observationModel"] = (y, w) => poissonModel(y, w);
  if (!log) return { observationModel };
  return { observationModel, canonicalKernel: (y, w) => new LogPoissonKernel(y, w) };
}

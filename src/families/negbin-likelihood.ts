/**
 * The negative binomial log-likelihood with the log link in η space, u = log θ:
 * ℓᵢ = w{lgamma(y+θ) − lgamma(θ) − lgamma(y+1) − θ log1p(μ/θ) + y log(μ/(μ+θ))},
 * μ = max(e^η, ε) (R's log link clamp), ∂ℓᵢ/∂η = w(y − μ)μ/V, V = μ + μ²/θ,
 * ∂ℓᵢ/∂u = θw{ψ(y+θ) − ψ(θ) − log1p(μ/θ) + (μ − y)/(μ + θ)}.
 * The samplers' hot path for negbin–log models: the generic kernel
 * (src/likelihood/glm-likelihood.ts) calls lgamma(y+θ) and ψ(y+θ) for every row at every
 * gradient; this one computes lgamma(y+θ) − lgamma(θ), ψ(y+θ) − ψ(θ) and ψ′(y+θ) − ψ′(θ)
 * once per distinct y among the rows of weight > 0 (when u changes) and looks them up
 * per row. Every other operation is the generic kernel's, in the same order, so every
 * result is bit-identical to it (the same values are summed in the same order). For y = 0
 * the generic lgamma(0+θ) − lgamma(θ) is x − x (0, or NaN where lgamma(θ) is ±∞), which
 * this kernel computes as such without calling lgamma(y+θ) (and likewise ψ, ψ′).
 * log1p is the engine's Math.log1p (V8's fdlibm log1p, a native call), which equals
 * @stdlib's log1p (the generic model's, a port of the same FreeBSD code) bit for bit: 0
 * differences on 3·10⁶ random and 8,415 edge arguments (test/likelihood/fused-gradient.test.ts
 * checks a sample); it is about 1.7× faster, and log1p is the largest single cost of this loop.
 *
 * Reference: Venables & Ripley (2002), Modern Applied Statistics with S, 4th ed., §7.4.
 */
import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import trigamma from "@stdlib/math-base-special-trigamma";
import { GRAD_STATE_LENGTH, type FusedRowData, type RangeLikelihoodGradient, type RowLikelihoodKernel } from "../types.js";

const DBL_EPSILON = 2.220446049250313e-16;

/** Negative binomial–log in η space (see the module comment); `theta0` is the starting θ. */
export class NegbinLogKernel implements RowLikelihoodKernel, RangeLikelihoodGradient {
  readonly auxName = "theta" as const;
  private readonly state = new Float64Array(GRAD_STATE_LENGTH);
  readonly logDispersionSlope = null;
  /** lgamma(yᵢ + 1) per row (as the generic model). */
  private readonly lgy: Float64Array;
  /** Index of row i's y among the distinct values (−1 for rows of weight 0). */
  private readonly slot: Int32Array;
  /** The distinct y of the rows of weight > 0. */
  private readonly values: Float64Array;
  /** Per distinct y at the u they were computed for: lgamma(y+θ) − lgamma(θ), ψ(y+θ) − ψ(θ), ψ′(y+θ) − ψ′(θ). */
  private readonly dLgamma: Float64Array;
  private readonly dDigamma: Float64Array;
  private readonly dTrigamma: Float64Array;
  private lgammaU = NaN;
  private digammaU = NaN;
  private trigammaU = NaN;

  constructor(private readonly y: Float64Array, private readonly w: Float64Array, private readonly theta0: number) {
    const n = y.length;
    this.lgy = new Float64Array(n);
    for (let i = 0; i < n; i++) this.lgy[i] = gammaln(y[i]! + 1);
    this.slot = new Int32Array(n).fill(-1);
    const index = new Map<number, number>();
    const values: number[] = [];
    for (let i = 0; i < n; i++) {
      if (w[i] === 0) continue;
      const yi = y[i]!;
      let k = index.get(yi);
      if (k === undefined) { k = values.length; index.set(yi, k); values.push(yi); }
      this.slot[i] = k;
    }
    this.values = Float64Array.from(values);
    this.dLgamma = new Float64Array(values.length);
    this.dDigamma = new Float64Array(values.length);
    this.dTrigamma = new Float64Array(values.length);
  }

  /** lgamma(y+θ) − lgamma(θ) per distinct y at θ = e^u (recomputed only when u changes). */
  private lgammaAt(u: number, theta: number): Float64Array {
    if (u !== this.lgammaU) {
      const { values, dLgamma } = this;
      const lgTheta = gammaln(theta);
      for (let k = 0; k < values.length; k++) dLgamma[k] = values[k] === 0 ? lgTheta - lgTheta : gammaln(values[k]! + theta) - lgTheta;
      this.lgammaU = u;
    }
    return this.dLgamma;
  }

  /** ψ(y+θ) − ψ(θ) per distinct y at θ = e^u. */
  private digammaAt(u: number, theta: number): Float64Array {
    if (u !== this.digammaU) {
      const { values, dDigamma } = this;
      const psiTheta = digamma(theta);
      for (let k = 0; k < values.length; k++) dDigamma[k] = values[k] === 0 ? psiTheta - psiTheta : digamma(values[k]! + theta) - psiTheta;
      this.digammaU = u;
    }
    return this.dDigamma;
  }

  /** ψ′(y+θ) − ψ′(θ) per distinct y at θ = e^u. */
  private trigammaAt(u: number, theta: number): Float64Array {
    if (u !== this.trigammaU) {
      const { values, dTrigamma } = this;
      const psi1Theta = trigamma(theta);
      for (let k = 0; k < values.length; k++) dTrigamma[k] = values[k] === 0 ? psi1Theta - psi1Theta : trigamma(values[k]! + theta) - psi1Theta;
      this.trigammaU = u;
    }
    return this.dTrigamma;
  }

  logLik(eta: Float64Array, u: number): number {
    const { y, w, lgy, slot } = this;
    const theta = Math.exp(u);
    const dl = this.lgammaAt(u, theta);
    let ll = 0;
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) continue;
      const e = eta[i]!;
      if (Number.isNaN(e)) return -Infinity;
      const mu = Math.max(Math.exp(e), DBL_EPSILON);
      const yi = y[i]!;
      ll += wi * (dl[slot[i]!]! - lgy[i]! - theta * Math.log1p(mu / theta) + (yi > 0 ? yi * Math.log(mu / (mu + theta)) : 0));
    }
    return ll;
  }

  logLikRows(eta: Float64Array, u: number, out: Float64Array): void {
    const { y, w, lgy, slot } = this;
    const theta = Math.exp(u);
    const dl = this.lgammaAt(u, theta);
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) { out[i] = 0; continue; }
      const e = eta[i]!;
      if (Number.isNaN(e)) { out[i] = -Infinity; continue; }
      const mu = Math.max(Math.exp(e), DBL_EPSILON);
      const yi = y[i]!;
      out[i] = wi * (dl[slot[i]!]! - lgy[i]! - theta * Math.log1p(mu / theta) + (yi > 0 ? yi * Math.log(mu / (mu + theta)) : 0));
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

  /** state: [ℓ so far, ∂ℓ/∂u so far, θ = e^u]; the per-y tables are filled for u. */
  gradBegin(_n: number, u: number, state: Float64Array): void {
    const theta = Math.exp(u);
    this.lgammaAt(u, theta);
    this.digammaAt(u, theta);
    state[0] = 0;
    state[1] = 0;
    state[2] = theta;
  }

  gradRows(eta: Float64Array, u: number, score: Float64Array, start: number, end: number, state: Float64Array): boolean {
    const { y, w, lgy, slot } = this;
    const theta = state[2]!;
    const dl = this.lgammaAt(u, theta);
    const dg = this.digammaAt(u, theta);
    let ll = state[0]!;
    let gu = state[1]!;
    for (let i = start; i < end; i++) {
      const wi = w[i]!;
      if (wi === 0) { score[i] = 0; continue; }
      const e = eta[i]!;
      if (Number.isNaN(e)) return false;
      const mu = Math.max(Math.exp(e), DBL_EPSILON);
      const yi = y[i]!;
      const k = slot[i]!;
      const l1p = Math.log1p(mu / theta);
      ll += wi * (dl[k]! - lgy[i]! - theta * l1p + (yi > 0 ? yi * Math.log(mu / (mu + theta)) : 0));
      score[i] = (wi * (yi - mu) * mu) / (mu + (mu * mu) / theta);
      gu += theta * wi * (dg[k]! - l1p + (mu - yi) / (mu + theta));
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
    return { family: "negbin", y: this.y, w: this.w, lgy: this.lgy, slot: this.slot, dl: this.dLgamma, dg: this.dDigamma };
  }

  hessianParts(eta: Float64Array, u: number, hEta: Float64Array, hEtaU: Float64Array): number {
    const { y, w, slot } = this;
    const theta = Math.exp(u);
    const dg = this.digammaAt(u, theta);
    const tg = this.trigammaAt(u, theta);
    let huu = 0;
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) { hEta[i] = 0; hEtaU[i] = 0; continue; }
      const e = eta[i]!;
      const d2 = Math.exp(e);
      const mu = Math.max(d2, DBL_EPSILON);
      const v = mu + (mu * mu) / theta;
      const vp = 1 + (2 * mu) / theta;
      const yi = y[i]!;
      const r = yi - mu;
      const k = slot[i]!;
      hEta[i] = (wi / v) * (-mu * mu + r * (d2 - (mu * mu * vp) / v));
      const mt = mu + theta;
      hEtaU[i] = ((theta * wi * r) / (mt * mt)) * mu;
      const dU = theta * wi * (dg[k]! - Math.log1p(mu / theta) + (mu - yi) / mt);
      huu += dU + theta * theta * wi * (tg[k]! + 1 / theta - 2 / mt + (yi + theta) / (mt * mt));
    }
    return huu;
  }

  fisher(eta: Float64Array, u: number, omega: Float64Array): number {
    const w = this.w;
    const theta = Math.exp(u);
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) { omega[i] = 0; continue; }
      const mu = Math.max(Math.exp(eta[i]!), DBL_EPSILON);
      omega[i] = (wi * mu * mu) / (mu + (mu * mu) / theta);
    }
    return NaN;
  }

  fisherLogDerivatives(
    eta: Float64Array, u: number, omega: Float64Array, a: Float64Array, aa: Float64Array,
    au: Float64Array, b: Float64Array, bb: Float64Array,
  ): void {
    const w = this.w;
    const theta = Math.exp(u);
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) { omega[i] = 0; a[i] = 0; aa[i] = 0; au[i] = 0; b[i] = 0; bb[i] = 0; continue; }
      const ex = Math.exp(eta[i]!);
      const mu = Math.max(ex, DBL_EPSILON);
      const d1 = mu;
      const d2 = ex;
      const d3 = ex;
      const v = mu + (mu * mu) / theta;
      const vp = 1 + (2 * mu) / theta;
      const vpp = 2 / theta;
      omega[i] = (wi * d1 * d1) / v;
      // log ω = log w + 2 log μ′ − log V(μ), V = μ + μ²/θ (as the generic kernel, in the same order).
      const r2 = d2 / d1;
      const vr = vp / v;
      a[i] = 2 * r2 - d1 * vr;
      aa[i] = 2 * (d3 / d1 - r2 * r2) - (d2 * vr + (d1 * d1 * vpp) / v - d1 * d1 * vr * vr);
      const mt = mu + theta;
      au[i] = (theta / (mt * mt)) * d1;
      const q = mu / mt;
      b[i] = q;
      bb[i] = -q * (1 - q);
    }
  }

  auxInfoHalfLog(): boolean {
    return false;
  }

  startAux(): number {
    return Math.log(this.theta0);
  }
}

/**
 * The binomial log-likelihood, moved here from the likelihood layer so that the
 * family record owns it: ℓᵢ = (w/m)·log C(m, m·y) + w{y log μ + (1−y) log(1−μ)}, with m
 * the trials (R's aic: m = trials when any trial count exceeds 1, else w); no aux.
 * With the canonical logit link the kernel works in η space (ℓ = c + w(yη − log(1 + e^η)),
 * no clamping), as scikit-learn's losses do.
 *
 * Reference: McCullagh & Nelder (1989), Generalized Linear Models, 2nd ed., §4.2;
 * R 4.2 `binomial()$aic` (src/library/stats/R/family.R).
 */
import log1p from "@stdlib/math-base-special-log1p";
import { GRAD_STATE_LENGTH, type FamilyLikelihood, type FusedRowData, type ObservationModel, type RangeLikelihoodGradient, type RowLikelihoodKernel } from "../types.js";
import { lchooseRounded } from "../util/round.js";
import { fastExp } from "../likelihood/fast-exp.js";
import { NO_AUX } from "./shared.js";

/** Per row, (w/m)·log C(m, m·y): the binomial constant, as R's aic computes it. */
function binomialConstants(y: Float64Array, w: Float64Array, trials: Float64Array | null): Float64Array {
  const n = y.length;
  let anyTrials = false;
  if (trials) for (let i = 0; i < n; i++) if (trials[i]! > 1) { anyTrials = true; break; }
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    const m = anyTrials ? trials![i]! : wi;
    if (wi === 0 || m <= 0) continue;
    c[i] = (wi / m) * lchooseRounded(m, m * y[i]!);
  }
  return c;
}

/** The μ-space binomial model for any link: V = μ(1−μ), V′ = 1 − 2μ, V″ = −2. */
function binomialModel(y: Float64Array, w: Float64Array, trials: Float64Array | null): ObservationModel {
  const c = binomialConstants(y, w, trials);
  return {
    ...NO_AUX,
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
  };
}

/** Rows from which the logit kernel's gradient sums log(1 + e^{−|η|}) by block products (see logLikGrad). */
const BLOCKED_LOG_MIN_ROWS = 1024;

/** blockedUnitRows's row classes (i mod 8) and where their sums sit in the gradient state. */
const UNIT_CLASSES = 8;
const UNIT_LL = 4;
const UNIT_PRODUCT = 12;

/** Σ_c (ℓ_c − log P_c) of blockedUnitRows's classes: s_c = ℓ_c − log P_c, ((s0+s1)+(s2+s3)) + ((s4+s5)+(s6+s7)). */
function unitClassSum(state: Float64Array): number {
  const s = (c: number): number => state[UNIT_LL + c]! - Math.log(state[UNIT_PRODUCT + c]!);
  return ((s(0) + s(1)) + (s(2) + s(3))) + ((s(4) + s(5)) + (s(6) + s(7)));
}

/** Binomial with the logit link in η space: ℓᵢ = cᵢ + w(yη − log(1 + e^η)). */
class LogitKernel implements RowLikelihoodKernel, RangeLikelihoodGradient {
  readonly auxName = null;
  readonly logDispersionSlope = null;
  private readonly c: Float64Array;
  private readonly state = new Float64Array(GRAD_STATE_LENGTH);
  /** Every prior weight is 1 (blockedRows then skips the multiplications by w, which are exact). */
  private readonly unitWeights: boolean;
  private readonly constant: number;
  constructor(private readonly y: Float64Array, private readonly w: Float64Array, trials: Float64Array | null) {
    this.c = binomialConstants(y, w, trials);
    let s = 0;
    for (let i = 0; i < this.c.length; i++) s += this.c[i]!;
    this.constant = s;
    this.unitWeights = w.every((v) => v === 1);
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
  logLikRows(eta: Float64Array, _u: number, out: Float64Array): void {
    const { y, w, c } = this;
    for (let i = 0; i < eta.length; i++) {
      const wi = w[i]!;
      if (wi === 0) { out[i] = 0; continue; }
      const e = eta[i]!;
      const l = c[i]! + wi * (y[i]! * e - (Math.max(e, 0) + Math.log1p(Math.exp(-Math.abs(e)))));
      out[i] = Number.isNaN(l) ? -Infinity : l;
    }
  }
  logLikGrad(eta: Float64Array, u: number, score: Float64Array, auxGrad: Float64Array): number {
    const state = this.state;
    this.gradBegin(eta.length, u, state);
    this.gradRows(eta, u, score, 0, eta.length, state);
    return this.gradEnd(state, auxGrad);
  }
  /** state: [ℓ so far, the open product of 1 + t, its number of factors, 1 when blocked]. */
  gradBegin(n: number, _u: number, state: Float64Array): void {
    state[0] = this.constant;
    state[1] = 1;
    state[2] = 0;
    state[3] = n >= BLOCKED_LOG_MIN_ROWS ? 1 : 0;
    // blockedUnitRows: ℓ of the rows of class c = i mod 8 at 4 + c, their open product at 12 + c.
    for (let c = 0; c < UNIT_CLASSES; c++) {
      state[UNIT_LL + c] = 0;
      state[UNIT_PRODUCT + c] = 1;
    }
  }
  gradRows(eta: Float64Array, _u: number, score: Float64Array, start: number, end: number, state: Float64Array): boolean {
    if (state[3] === 1) this.blockedRows(eta, score, start, end, state);
    else this.perRow(eta, score, start, end, state);
    return true;
  }
  gradEnd(state: Float64Array, auxGrad: Float64Array): number {
    const ll = state[3] !== 1 ? state[0]!
      : this.unitWeights ? state[0]! + unitClassSum(state)
      : state[0]! - Math.log(state[1]!);
    auxGrad[0] = 0;
    return Number.isNaN(ll) ? -Infinity : ll;
  }
  /**
   * The samplers' hot path. log(1 + e^η) = max(η, 0) + log(1 + t), t = e^{−|η|} ∈ (0, 1]. For
   * unit-weight rows the log(1 + t) terms are summed as the log of products of 64 factors
   * (each in (1, 2], so a product stays below 2^64): one logarithm per 64 rows instead of a
   * log1p per row, which halves the cost of this loop. Each factor 1 + t is rounded once
   * (absolute error ≤ ε/2 in its log) and each product adds ≤ 64 roundings, so the sum is
   * within ~n·ε of the log1p sum (3e-15 relative for n = 10⁴); `logLik` keeps log1p.
   * Below BLOCKED_LOG_MIN_ROWS rows the saving is immaterial and every row keeps its log1p (perRow).
   */
  private blockedRows(eta: Float64Array, score: Float64Array, start: number, end: number, state: Float64Array): void {
    if (this.unitWeights) {
      this.blockedUnitRows(eta, score, start, end, state);
      return;
    }
    const { y, w } = this;
    let ll = state[0]!;
    let product = state[1]!;
    let factors = state[2]!;
    for (let i = start; i < end; i++) {
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
    state[0] = ll;
    state[1] = product;
    state[2] = factors;
  }
  /**
   * blockedRows when every weight is 1, with the sums split by row class c = i mod 8 (i the
   * row's index in [0, n), so any split of the rows into ranges gives the same bits): eight
   * independent running sums ℓ_c += yη − max(η, 0) and eight products P_c *= 1 + t, each
   * closed by ℓ_c −= log(P_c) at its 64th factor (the rows with i mod 512 ≥ 504); gradEnd adds
   * ℓ_c − log(P_c) of the open products in a fixed tree (unitClassSum). Eight chains instead of
   * one let the SIMD kernel (assembly/gradient.ts) keep them as four f64x2 accumulators.
   * t = e^{−|η|} by fastExp (division-free, ≤ 1 ulp from Math.exp; src/likelihood/fast-exp.ts).
   * The multiplications by w = 1 and the tests of w are left out (1·x = x).
   */
  private blockedUnitRows(eta: Float64Array, score: Float64Array, start: number, end: number, state: Float64Array): void {
    const y = this.y;
    for (let i = start; i < end; i++) {
      const e = eta[i]!;
      const yi = y[i]!;
      const t = fastExp(-Math.abs(e));
      const onePlusT = 1 + t;
      score[i] = yi - (e >= 0 ? 1 : t) / onePlusT;
      const c = i & 7;
      state[UNIT_LL + c] += yi * e - Math.max(e, 0);
      state[UNIT_PRODUCT + c] *= onePlusT;
      if ((i & 511) >= 504) {
        state[UNIT_LL + c] -= Math.log(state[UNIT_PRODUCT + c]!);
        state[UNIT_PRODUCT + c] = 1;
      }
    }
  }
  /** The gradient rows with one log1p per row. */
  private perRow(eta: Float64Array, score: Float64Array, start: number, end: number, state: Float64Array): void {
    const { y, w } = this;
    let ll = state[0]!;
    for (let i = start; i < end; i++) {
      const wi = w[i]!;
      const e = eta[i]!;
      // One exponential serves μ = 1/(1 + e^{−η}) and log(1 + e^η), both through t = e^{−|η|} (no overflow).
      const t = Math.exp(-Math.abs(e));
      const mu = e >= 0 ? 1 / (1 + t) : t / (1 + t);
      if (wi !== 0) ll += wi * (y[i]! * e - (Math.max(e, 0) + Math.log1p(t)));
      score[i] = wi * (y[i]! - mu);
    }
    state[0] = ll;
  }
  rowData(): FusedRowData {
    return { family: "logit", y: this.y, w: this.w };
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

/**
 * The binomial family's likelihood; `logit` says whether the link is the canonical
 * logit, which gets the η-space kernel.
 */
export function binomialLikelihood(logit: boolean): FamilyLikelihood {
  const observationModel = binomialModel;
  if (!logit) return { observationModel };
  return { observationModel, canonicalKernel: (y, w, trials) => new LogitKernel(y, w, trials) };
}

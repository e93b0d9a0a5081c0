/**
 * The score adjustment of the bias-reduced fits (firth.ts has the formulas and
 * references): one evaluation at (β, φ) gives η, μ, W, the Cholesky factor of
 * XᵀWX, the hat values, the adjusted score U*(β) = U(β) + A(β) (AS_mean or
 * MPL_Jeffreys) and brglm2's quasi-Fisher step φ(XᵀWX)⁻¹U*; with an estimated
 * dispersion also U*_φ, I_φφ and the φ step. Plus the dispersion's starting values
 * (its ML equation in brglm2's bracket, or the moment estimate).
 *
 * The dense passes run on the reduced design's kernels (src/linalg/kernels/: the
 * SIMD kernels or the plain loops, the same bits): η = Xβ + offset, XᵀWX with
 * XᵀW(y − μ)/μ′, and the hat values with the adjustment Σ ½φhᵢ·ratioᵢ·xᵢ in one
 * pass (`DesignKernels.hat`). On a shared design large enough for helper threads,
 * XᵀWX is split over them as before (parallel-crossprod.ts, on the kernels' copy).
 */
import type { Family } from "../types.js";
import type { DispersionModel } from "./dispersion-model.js";
import { weightedCrossprodAuto, PARALLEL_MIN_ENTRIES } from "../linalg/parallel-crossprod.js";
import { designKernelSet, type DesignKernels, type DesignKernelSet } from "../linalg/kernels/index.js";
import { helperThreads, isShared } from "../util/worker-pool.js";
import { choleskyInPlace, choleskySolveInPlace } from "../linalg/cholesky.js";

/** Relative pivot below which XᵀWX counts as singular during the iteration. */
const SINGULAR_PIVOT = 1e-13;

/** Why an evaluation point was refused. */
export type EvalStatus = "ok" | "invalid" | "singular";

/**
 * The kernels of a reduced design X (n×r) for one bias-reduced fit, with the vectors
 * they read (the offset copied into one): built once per fit. `parallel` when X is on
 * a SharedArrayBuffer, large, and helper threads exist: the vectors are then shared
 * and XᵀWX is split over the threads (parallel-crossprod.ts), as it was before kernels.
 */
export interface FitKernels {
  k: DesignKernels;
  set: DesignKernelSet;
  offset: Float64Array | null;
  parallel: boolean;
  /** Two n-vectors of the set: the screen's 1 and 0 weights, then the Workspace's W and working residual. */
  spare: readonly [Float64Array, Float64Array];
}

/** Vectors taken from the set: η, W, working residual, ratio, hat values (the Workspace; W and the residual lend themselves to {@link fullRankScreen} first), and the offset. */
const SET_VECTORS = 5;

export function fitKernels(X: Float64Array, n: number, r: number, offset: Float64Array | null): FitKernels {
  const parallel = isShared(X) && n * r >= PARALLEL_MIN_ENTRIES && helperThreads() > 0;
  const set = designKernelSet(X, n, r, {
    vectors: Array.from({ length: SET_VECTORS + (offset ? 1 : 0) }, () => n), helpers: 0, shared: parallel,
  });
  let off: Float64Array | null = null;
  if (offset) {
    off = set.vector(n);
    off.set(offset);
  }
  return { k: set.main, set, offset: off, parallel, spare: [set.vector(n), set.vector(n)] };
}

/**
 * The relative residual norm ‖x_j − P_{<j} x_j‖/‖x_j‖ (x_j's distance from the span of
 * the columns before it) above which R's qr(X, tol = 1e-7) certainly keeps column j:
 * 10⁴ times its tolerance, far beyond the rounding of either computation.
 */
export const FULL_RANK_SCREEN = 1e-3;
/** The range of ‖x_j‖² the screen trusts. */
const SCREEN_MIN_SQUARES = 1e-270;
const SCREEN_MAX_SQUARES = 1e270;

/**
 * A screen for R's aliasing check (qr-columns.ts, LINPACK's limited-pivoting QR, n·p²
 * work in plain loops): XᵀX on the kernels and its Cholesky factor, whose pivots are the
 * squared residual norms d_j = ‖x_j − P_{<j} x_j‖². True when every d_j/‖x_j‖² exceeds
 * FULL_RANK_SCREEN² (and every ‖x_j‖² is within 1e±270): then the QR pivots no column and keeps
 * them all, so the QR can be skipped. False means only "not sure": the caller runs the QR.
 * Uses the set's two spare vectors (call it before the Workspace is made).
 */
export function fullRankScreen(kernels: FitKernels, n: number, p: number): boolean {
  const [ones, zeros] = kernels.spare;
  ones.fill(1);
  zeros.fill(0);
  const A = new Float64Array(p * p);
  kernels.k.crossprod(ones, zeros, A, new Float64Array(p), 0, n);
  for (let k = 0; k < A.length; k++) if (!Number.isFinite(A[k]!)) return false;
  // Far from the subnormal and overflow ranges, where the sums of squares lose their digits.
  for (let j = 0; j < p; j++) if (!(A[j * p + j]! >= SCREEN_MIN_SQUARES && A[j * p + j]! <= SCREEN_MAX_SQUARES)) return false;
  return choleskyInPlace(A, p, FULL_RANK_SCREEN * FULL_RANK_SCREEN).ok;
}

/**
 * Buffers and quantities of one evaluation point (β, φ). All n-vectors and p×p
 * matrices are allocated once per fit and overwritten at each evaluation; the
 * n-vectors the kernels read are vectors of the fit's kernel set.
 */
export class Workspace {
  readonly eta: Float64Array;
  readonly mu: Float64Array;
  readonly W: Float64Array;
  /** Working residual (y − μ)/μ′. */
  readonly wres: Float64Array;
  /** hᵢ/2 times the link/variance ratio of the adjustment. */
  readonly ratio: Float64Array;
  readonly hat: Float64Array;
  /** Cholesky factor R of XᵀWX (upper triangle, row-major). */
  readonly R: Float64Array;
  /** φ·U*(β) = XᵀW(y − μ)/μ′ + φ·A(β). */
  readonly b: Float64Array;
  readonly stepBeta: Float64Array;
  stepPhi = 0;
  scorePhi = Number.NaN;
  infoPhi = Number.NaN;
  stepLength = Number.NaN;
  stepAbsSum = Number.NaN;

  constructor(n: number, r: number, kernels: FitKernels) {
    const vec = (len: number) => kernels.set.vector(len);
    this.eta = vec(n);
    this.mu = new Float64Array(n);
    // Every evaluation writes W and the working residual on every row, so the screen's use of them does not matter.
    this.W = kernels.spare[0];
    this.wres = kernels.spare[1];
    this.ratio = vec(n);
    this.hat = vec(n);
    this.R = new Float64Array(r * r);
    this.b = new Float64Array(r);
    this.stepBeta = new Float64Array(r);
  }
}

/** The fixed parts of a fit: reduced design, data, family functions, type. */
export interface Setup {
  X: Float64Array;
  n: number;
  r: number;
  y: Float64Array;
  weights: Float64Array;
  /** The offset (a vector of the kernel set). */
  offset: Float64Array | null;
  /** The reduced design's kernels. */
  kernels: FitKernels;
  family: Family;
  model: DispersionModel | null;
  /** Whether φ is iterated (dispersion family with df.residual > 0). */
  updatePhi: boolean;
  jeffreys: boolean;
  /** Distinct positive prior weights and how many rows have each: the dispersion sums depend on w only. */
  weightValues: Float64Array;
  weightCounts: Float64Array;
}

/** Distinct positive prior weights with their multiplicities. */
export function weightGroups(weights: Float64Array): { values: Float64Array; counts: Float64Array } {
  const counts = new Map<number, number>();
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w > 0) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return { values: Float64Array.from(counts.keys()), counts: Float64Array.from(counts.values()) };
}

/**
 * Σᵢ E[wᵢdᵢ] over rows with wᵢ > 0 at dispersion φ, summed over distinct weights
 * (so the special functions run once per distinct weight, not once per row).
 */
function expectedDevianceSum(s: Setup, model: DispersionModel, phi: number): number {
  const { weightValues, weightCounts } = s;
  let sum = 0;
  for (let g = 0; g < weightValues.length; g++) sum += weightCounts[g]! * model.expectedDeviance(weightValues[g]!, phi);
  return sum;
}

/** s₁ = Σ w³ a‴(−w/φ) and s₂ = Σ w² a″(−w/φ) over rows with w > 0, by distinct weight. */
function cumulantSums(s: Setup, model: DispersionModel, phi: number): { s1: number; s2: number } {
  const { weightValues, weightCounts } = s;
  let s1 = 0;
  let s2 = 0;
  for (let g = 0; g < weightValues.length; g++) {
    const w = weightValues[g]!;
    const c = weightCounts[g]!;
    const k = w / phi;
    s1 += c * w * w * w * model.a3(k);
    s2 += c * w * w * model.a2(k);
  }
  return { s1, s2 };
}

/**
 * η, μ, W = wμ′²/V, the working residual (y − μ)/μ′ and the adjustment ratio at β;
 * false when a point leaves the family's or link's domain.
 */
function evaluateRows(s: Setup, ws: Workspace, beta: Float64Array): boolean {
  const { n, y, weights, offset, family } = s;
  const link = family.link;
  const { eta, mu, W, wres, ratio } = ws;
  s.kernels.k.xbeta(beta, offset, eta, 0, n);
  for (let i = 0; i < n; i++) {
    const e = eta[i]!;
    if (!link.validEta(e)) return false;
    const m = link.linkinv(e);
    if (!family.validMu(m)) return false;
    mu[i] = m;
    const wi = weights[i]!;
    if (wi > 0) {
      const d1 = link.muEta(e);
      const v = family.variance(m);
      const wt = (wi * d1 * d1) / v;
      if (!(wt > 0) || !Number.isFinite(wt)) return false;
      W[i] = wt;
      wres[i] = (y[i]! - m) / d1;
      const d2ratio = link.muEta2(e) / d1;
      // A_j = Σ ½ hᵢ ratioᵢ x_ij with ratio = μ″/μ′ (AS_mean) or 2μ″/μ′ − V′μ′/V (Jeffreys).
      ratio[i] = s.jeffreys ? 2 * d2ratio - (family.varianceDeriv(m) * d1) / v : d2ratio;
    } else {
      W[i] = 0;
      wres[i] = 0;
      ratio[i] = 0;
    }
  }
  return true;
}

/**
 * The β part of the step (the Firth score adjustment and the quasi-Fisher solve):
 * R = chol(XᵀWX), hᵢ = Wᵢ x_iᵀ(XᵀWX)⁻¹x_i, b = φ·U*(β) = XᵀW(y − μ)/μ′ + φ·A(β) and
 * stepBeta = (XᵀWX)⁻¹b; stepLength and stepAbsSum hold its Fisher quadratic form and Σ|step|.
 */
function adjustedScoreStep(s: Setup, ws: Workspace, phi: number): EvalStatus {
  const { n, r } = s;
  const { k, parallel } = s.kernels;
  const { W, wres, ratio, hat, R, b, stepBeta } = ws;
  if (parallel) weightedCrossprodAuto(k.X, n, r, W, wres, R, b);
  else k.crossprod(W, wres, R, b, 0, n);
  if (!choleskyInPlace(R, r, SINGULAR_PIVOT).ok) return "singular";
  // Rᵀu = xᵢ, hᵢ = Wᵢ |u|², b += (½φ·hᵢ·ratioᵢ)·xᵢ row by row (the A(β) of firth.ts, times φ).
  k.hat(R, W, ratio, 0.5 * phi, hat, b, 0, n);
  for (let k = 0; k < r; k++) if (!Number.isFinite(b[k]!)) return "invalid";
  stepBeta.set(b);
  choleskySolveInPlace(R, r, stepBeta);
  let quad = 0;
  let absSum = 0;
  for (let k = 0; k < r; k++) {
    quad += stepBeta[k]! * b[k]!;
    absSum += Math.abs(stepBeta[k]!);
  }
  ws.stepLength = quad / phi;
  ws.stepAbsSum = absSum;
  return "ok";
}

/** The φ part: U*_φ = (D − E D)/(2φ²) + A_φ, I_φφ = s₂/(2φ⁴) and the step U*_φ/I_φφ, added to the step's length. */
function dispersionStep(s: Setup, model: DispersionModel, ws: Workspace, phi: number): EvalStatus {
  const { n, r, y, weights, family } = s;
  let dev = 0;
  for (let i = 0; i < n; i++) {
    const wi = weights[i]!;
    if (wi > 0) dev += family.devResid(y[i]!, ws.mu[i]!, wi);
  }
  const expDev = expectedDevianceSum(s, model, phi);
  const { s1, s2 } = cumulantSums(s, model, phi);
  const phi2 = phi * phi;
  const grad = (0.5 * (dev - expDev)) / phi2;
  const info = (0.5 * s2) / (phi2 * phi2);
  const adj = (s.jeffreys ? -(r + 4) : r - 2) / (2 * phi) + s1 / (2 * phi2 * s2);
  const score = grad + adj;
  if (!Number.isFinite(score) || !(info > 0)) return "invalid";
  ws.scorePhi = score;
  ws.infoPhi = info;
  ws.stepPhi = score / info;
  ws.stepLength += ws.stepPhi * score;
  ws.stepAbsSum += Math.abs(ws.stepPhi);
  return "ok";
}

/**
 * Evaluates everything the step needs at (β, φ): η, μ, W, the Cholesky factor of
 * XᵀWX, hat values, the adjusted score (times φ) and the step φ(XᵀWX)⁻¹U*; for an
 * estimated dispersion also U*_φ, I_φφ and its step. ws.stepLength ends as the
 * Fisher length √(stepᵀ I step).
 */
export function evaluate(s: Setup, ws: Workspace, beta: Float64Array, phi: number): EvalStatus {
  if (!(phi > 0) || !Number.isFinite(phi)) return "invalid";
  if (!evaluateRows(s, ws, beta)) return "invalid";
  const status = adjustedScoreStep(s, ws, phi);
  if (status !== "ok") return status;
  ws.stepPhi = 0;
  ws.scorePhi = Number.NaN;
  ws.infoPhi = Number.NaN;
  if (s.model !== null && s.updatePhi) {
    const phiStatus = dispersionStep(s, s.model, ws, phi);
    if (phiStatus !== "ok") return phiStatus;
  }
  ws.stepLength = Math.sqrt(Math.max(ws.stepLength, 0));
  return "ok";
}

/** brglm2's bracket for the ML dispersion: uniroot(lower = .Machine$double.eps, upper = 10000). */
const DISPERSION_BRACKET: readonly [number, number] = [Number.EPSILON, 10000];

/** ML estimate of the dispersion given μ: the root of Σ (dᵢ − E dᵢ) in brglm2's bracket, by bisection on log φ. */
export function mlDispersion(s: Setup, mu: Float64Array): number | null {
  const { n, y, weights, family, model } = s;
  if (model === null) return null;
  let dev = 0;
  for (let i = 0; i < n; i++) if (weights[i]! > 0) dev += family.devResid(y[i]!, mu[i]!, weights[i]!);
  const gap = (phi: number): number => dev - expectedDevianceSum(s, model, phi);
  let lo = Math.log(DISPERSION_BRACKET[0]);
  let hi = Math.log(DISPERSION_BRACKET[1]);
  let glo = gap(Math.exp(lo));
  const ghi = gap(Math.exp(hi));
  if (!Number.isFinite(glo) || !Number.isFinite(ghi) || glo * ghi > 0) return null;
  // A starting value only (the scoring iteration refines φ): relative precision 1e-8 is plenty.
  for (let it = 0; it < 200 && hi - lo > 1e-8; it++) {
    const mid = 0.5 * (lo + hi);
    const g = gap(Math.exp(mid));
    if (g === 0) return Math.exp(mid);
    if ((g > 0) === (glo > 0)) {
      lo = mid;
      glo = g;
    } else hi = mid;
  }
  return Math.exp(0.5 * (lo + hi));
}

/** brglm2's fallback dispersion start: var(y)/V(Σwy/Σw). */
export function momentDispersion(s: Setup): number {
  const { n, y, weights, family } = s;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (y[i]! - mean) * (y[i]! - mean);
  let sw = 0;
  let swy = 0;
  for (let i = 0; i < n; i++) {
    sw += weights[i]!;
    swy += weights[i]! * y[i]!;
  }
  const phi = ss / (n - 1) / family.variance(swy / sw);
  return phi > 0 && Number.isFinite(phi) ? phi : 1;
}


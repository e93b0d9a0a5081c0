/**
 * The refits of a likelihood profile by chord (simplified Newton) steps: the
 * reduced model (the design without the profiled column, βⱼ·xⱼ in the offset) is
 * refitted by Fisher scoring whose matrix M is not recomputed at every iterate:
 *   γ ← γ + t·M⁻¹g,  g = X_rᵀ[w(y − μ)μ′/V]  (half the deviance gradient),
 * with step halving on the deviance. M⁻¹ starts as the reduced information of the
 * ML fit, obtained without any n·q² work from the fit's covariance C = (XᵀWX)⁻¹ by
 * the block-inverse identity (A_rr)⁻¹ = C_rr − C_rj C_jr / C_jj [1, §0.7.3]; when the
 * iteration contracts slowly (the deviance decrement gᵀM⁻¹g falls by less than a factor
 * 4 per step, i.e. M is far from the information at the iterate, as far out along a
 * separated direction), M is refreshed to the exact X_rᵀWX_r there (Cholesky) and kept
 * for the following points. The fixed point is the same optimum as Fisher scoring's, so
 * the profile deviance, its slope and the roots are unchanged; an iteration costs
 * O(n·q) instead of O(n·q²) (n = 2000, q = 299: ~1 ms against ~100 ms).
 *
 * Convergence is the Newton-decrement test of profile.ts with the chord matrix:
 * gᵀM⁻¹g ≤ 1e-13(1 + D), ten times tighter on a first iterate (before any contraction
 * has been observed), which bounds the true decrement gᵀA⁻¹g for any M within a factor
 * 10 of A; a slower contraction triggers the refresh instead.
 *
 * The dense passes run on the reduced design's kernels (src/linalg/kernels/: the SIMD
 * kernels or the plain loops, the same bits), by blocks of rows so that a block of X_r
 * is read from cache by the second pass: η = offset + X_rγ (or X_r d), the family's row
 * terms, then g += X_rᵀ(W·r); and the refreshed M = X_rᵀWX_r.
 *
 * References: [1] Horn & Johnson (2013), Matrix Analysis, 2nd ed. (partitioned
 * inverse); [2] Kelley C.T. (1995), Iterative Methods for Linear and Nonlinear
 * Equations, SIAM, §5.4 (the chord method, its linear convergence), §8.1 (line search).
 */
import type { Family } from "../types.js";
import { designKernelSet, type DesignKernelSet, type DesignKernels } from "../linalg/kernels/index.js";
import { choleskyInPlace, choleskySolveInPlace } from "../linalg/cholesky.js";

/** A refit: coefficients of the other columns, η, μ, deviance. */
export interface Refit {
  coef: Float64Array;
  eta: Float64Array;
  mu: Float64Array;
  deviance: number;
  converged: boolean;
}

/** The reduced model of one profile; `offset` is rewritten by the caller for each b. */
export interface ReducedModel {
  Xr: Float64Array;
  n: number;
  q: number;
  y: Float64Array;
  weights: Float64Array;
  family: Family;
  offset: Float64Array;
}

/** The decrement test: gᵀM⁻¹g ≤ DECREMENT·(1 + |D|). */
const DECREMENT = 1e-13;
/** A decrement that falls by less than this factor in one step is slow contraction: refresh M. */
const SLOW = 0.25;
const MAXIT = 200;
/** A step shortened below this fraction counts as stalled. */
const STALLED_STEP = 2 ** -20;
/** Rows per block of a sweep (a multiple of 4, so g sums in the order of one Xᵀr pass). */
const BLOCK = 512;
/** The n-vectors a ChordRefit takes from a kernel set it is given (W, r, W·r, X_r d, two η). */
export const CHORD_VECTORS = 6;

/**
 * (A_rr)⁻¹ = C_rr − C_rj C_jr / C_jj from the full covariance C (p×p, row-major) of the
 * kept columns `kept`, the profiled column `j` and the others `others` (all original
 * indices); null when an entry used is not finite (then the first iterate refreshes).
 */
export function reducedInverse(C: Float64Array, p: number, j: number, others: readonly number[]): Float64Array | null {
  const q = others.length;
  const cjj = C[j * p + j]!;
  if (!(cjj > 0) || !Number.isFinite(cjj) || C.length !== p * p) return null;
  const out = new Float64Array(q * q);
  for (let a = 0; a < q; a++) {
    const ra = others[a]!;
    const caj = C[ra * p + j]!;
    for (let b = 0; b < q; b++) {
      const v = C[ra * p + others[b]!]! - (caj * C[j * p + others[b]!]!) / cjj;
      if (!Number.isFinite(v)) return null;
      out[a * q + b] = v;
    }
  }
  return out;
}

/** Chord-method refits of one reduced model (see the module comment). */
export class ChordRefit {
  /** Times M was recomputed exactly (an n·q² cross product each). */
  refreshes = 0;
  private inverse: Float64Array | null;
  private factor: Float64Array | null = null;
  private readonly k: DesignKernels;
  /** The offset the kernels read: m.offset itself when the set was given, else a copy refreshed by each solve. */
  private readonly offset: Float64Array;
  private readonly ownOffset: boolean;
  private readonly W: Float64Array;
  private readonly r: Float64Array;
  /** W·r, the row terms of g. */
  private readonly v: Float64Array;
  private readonly g: Float64Array;
  private readonly d: Float64Array;
  private readonly xd: Float64Array;
  private readonly etaA: Float64Array;
  private readonly etaB: Float64Array;
  /** μ at etaA and at etaB, written by the sweeps (every accepted η comes from a sweep). */
  private readonly muA: Float64Array;
  private readonly muB: Float64Array;
  private readonly A: Float64Array;

  /**
   * `set`: the kernel set of m.Xr to run on, with {@link CHORD_VECTORS} vectors of
   * length n left and m.offset one of its vectors (profile.ts shares its set); without
   * it the refits build their own (one copy of X_r for SIMD).
   */
  constructor(private readonly m: ReducedModel, initialInverse: Float64Array | null, set?: DesignKernelSet) {
    const { n, q } = m;
    this.inverse = initialInverse;
    this.ownOffset = set === undefined;
    const ks = set ?? designKernelSet(m.Xr, n, q, { vectors: Array.from({ length: CHORD_VECTORS + 1 }, () => n), helpers: 0, shared: false });
    this.k = ks.main;
    this.offset = this.ownOffset ? ks.vector(n) : m.offset;
    this.W = ks.vector(n);
    this.r = ks.vector(n);
    this.v = ks.vector(n);
    this.xd = ks.vector(n);
    this.etaA = ks.vector(n);
    this.etaB = ks.vector(n);
    this.muA = new Float64Array(n);
    this.muB = new Float64Array(n);
    this.g = new Float64Array(q);
    this.d = new Float64Array(q);
    this.A = new Float64Array(q * q);
  }

  /**
   * One pass over the rows: η = offset + X_rγ (`gamma` given) or η = base + X_r d (the
   * full chord step from `base`, with X_r d kept in xd for step halving); then, while η
   * and μ stay in the family's domain, the deviance, the Fisher weights W, the working
   * residuals r = (y − μ)/μ′ and g = X_rᵀ(W·r) at η — one read of each row of X_r for all
   * of it. Returns the deviance (+Infinity outside the domain; W, r, g are then unusable).
   */
  private sweep(eta: Float64Array, gamma: Float64Array | null, base: Float64Array | null): number {
    const { family, y, weights, n, q } = this.m;
    const link = family.link;
    const { k, offset, W, r, v, g, d, xd } = this;
    const muOut = eta === this.etaA ? this.muA : this.muB;
    if (n === 0) g.fill(0);
    let dev = 0;
    let valid = true;
    for (let s = 0; s < n; s += BLOCK) {
      const e = Math.min(n, s + BLOCK);
      if (gamma !== null) k.xbeta(gamma, offset, eta, s, e);
      else {
        k.xbeta(d, null, xd, s, e);
        for (let i = s; i < e; i++) eta[i] = base![i]! + xd[i]!;
      }
      if (!valid) continue; // η (and X_r d) are still needed on every row: step halving reads them
      for (let i = s; i < e; i++) {
        const et = eta[i]!;
        const mu = link.linkinv(et);
        muOut[i] = mu;
        if (!link.validEta(et) || !family.validMu(mu)) { valid = false; break; }
        const w = weights[i]!;
        dev += family.devResid(y[i]!, mu, w);
        const me = link.muEta(et);
        const Wi = (w * me * me) / family.variance(mu);
        const ok = w > 0 && Wi > 0 && Number.isFinite(Wi);
        W[i] = ok ? Wi : 0;
        r[i] = ok ? (y[i]! - mu) / me : 0;
        v[i] = W[i]! * r[i]!;
      }
      if (valid && q > 0) k.xtr(v, g, s, e, s !== 0);
    }
    return valid && !Number.isNaN(dev) ? dev : Number.POSITIVE_INFINITY;
  }

  /** Deviance at η = base + t·xd, written into `eta` (+Infinity outside the domain); no gradient. */
  private devianceAlong(eta: Float64Array, base: Float64Array, t: number): number {
    const { family, y, weights, n } = this.m;
    let dev = 0;
    for (let i = 0; i < n; i++) {
      const e = base[i]! + t * this.xd[i]!;
      eta[i] = e;
      if (!family.link.validEta(e)) return Number.POSITIVE_INFINITY;
      const mu = family.link.linkinv(e);
      if (!family.validMu(mu)) return Number.POSITIVE_INFINITY;
      dev += family.devResid(y[i]!, mu, weights[i]!);
    }
    return Number.isNaN(dev) ? Number.POSITIVE_INFINITY : dev;
  }

  /** M = X_rᵀWX_r at the current W, factored; false when it is not positive definite. */
  private refresh(): boolean {
    const { n, q } = this.m;
    this.refreshes++;
    this.k.crossprod(this.W, this.r, this.A, this.d, 0, n);
    if (!choleskyInPlace(this.A, q, 0).ok) return false;
    this.factor = Float64Array.from(this.A);
    this.inverse = null;
    return true;
  }

  /** d = M⁻¹g; returns the decrement gᵀd (NaN when there is no M yet). */
  private direction(): number {
    const q = this.m.q;
    if (this.factor !== null) {
      this.d.set(this.g);
      choleskySolveInPlace(this.factor, q, this.d);
    } else if (this.inverse !== null) {
      const M = this.inverse;
      for (let a = 0; a < q; a++) {
        let s = 0;
        for (let b = 0, row = a * q; b < q; b++) s += M[row + b]! * this.g[b]!;
        this.d[a] = s;
      }
    } else return Number.NaN;
    let dec = 0;
    for (let k = 0; k < q; k++) dec += this.g[k]! * this.d[k]!;
    return dec;
  }

  /** Refits from `start` (the other coefficients); null when the deviance is not finite there or M cannot be formed. */
  solve(start: Float64Array): Refit | null {
    const { q } = this.m;
    if (this.ownOffset) this.offset.set(this.m.offset);
    const gamma = Float64Array.from(start);
    let eta = this.etaA;
    let trial = this.etaB;
    let dev = this.sweep(eta, gamma, null);
    if (!Number.isFinite(dev)) return null;
    let converged = q === 0;
    let prevDec = Number.NaN;
    let freshAt = -1;
    for (let it = 0; it < MAXIT && !converged; it++) {
      // Here W, r and g are those at η.
      let dec = this.direction();
      const slow = Number.isFinite(prevDec) && dec > SLOW * prevDec;
      if (!Number.isFinite(dec) || dec < 0 || slow) {
        if (!this.refresh()) return null;
        freshAt = it;
        dec = this.direction();
      }
      const fresh = freshAt === it;
      const bound = DECREMENT * (1 + Math.abs(dev)) * (Number.isFinite(prevDec) || fresh ? 1 : 0.1);
      if (!(dec > bound)) { converged = true; break; }
      const full = this.sweep(trial, null, eta);
      const tolerated = (d: number): boolean => d <= dev + 1e-15 * Math.abs(dev);
      let t = 1;
      let devT = full;
      if (!tolerated(full)) {
        // Step halving along X_r d (O(n) per trial), then the gradient at the accepted point.
        for (t = 0.5, devT = Infinity; t >= STALLED_STEP; t *= 0.5) if (tolerated((devT = this.devianceAlong(trial, eta, t)))) break;
        if (t < STALLED_STEP) {
          // No step along the chord direction lowers the deviance: retry with the exact matrix
          // here; if that stalls too, the point is the optimum to rounding when the decrement is small.
          this.sweep(trial, gamma, null);
          [eta, trial] = [trial, eta];
          if (!fresh && this.refresh()) { freshAt = it; prevDec = Number.NaN; it--; continue; }
          converged = dec <= 1e-8 * (1 + Math.abs(dev));
          break;
        }
      }
      for (let k = 0; k < q; k++) gamma[k] += t * this.d[k]!;
      if (t !== 1) devT = this.sweep(trial, gamma, null);
      [eta, trial] = [trial, eta];
      dev = devT;
      prevDec = t === 1 ? dec : Number.NaN;
    }
    // η is copied out of the kernels' vectors: the next solve reuses them.
    const etaOut = Float64Array.from(eta);
    const mu = Float64Array.from(eta === this.etaA ? this.muA : this.muB);
    return { coef: gamma, eta: etaOut, mu, deviance: dev, converged };
  }
}

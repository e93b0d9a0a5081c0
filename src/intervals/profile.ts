/**
 * Profile-likelihood intervals for maximum-likelihood GLM fits, solved exactly.
 *
 * For coefficient j the profile deviance is D(b) = min over the other
 * coefficients of the deviance with βⱼ held at b: a refit of the design without
 * column j and with b·xⱼ added to the offset (IRLS steps; see below). The signed
 * root
 *   z(b) = sign(b − β̂ⱼ) √((D(b) − D̂)/φ)
 * (φ = 1 for binomial, Poisson and negative binomial; the Pearson estimate of
 * summary.glm for estimated-dispersion families, as MASS::profile.glm scales
 * deviance differences) is set equal to ∓c, c = Φ⁻¹((1 + level)/2) as
 * MASS::confint.profile.glm uses (also for estimated-dispersion families; the
 * option `cutoff: "t"` uses the t quantile on df.residual instead, which for the
 * gaussian identity link gives exactly confint.lm). The root is found by
 * safeguarded Newton steps (root.ts) on a bracket, with the exact slope
 *   dz/db = D′(b)/(2φz),  D′(b) = −2 Σᵢ wᵢ (yᵢ − μᵢ) μ′(ηᵢ)/V(μᵢ) xᵢⱼ
 * at the refit (the other coefficients' score is zero there, so the partial
 * derivative is the total one), to ~1e-12 in b — not by interpolating a grid as
 * MASS::confint does (which is off the roots by up to ~1e-4 SE).
 *
 * D̂ is the smaller of the fit's deviance and that of the fit polished with a
 * tight tolerance (they differ only when the fit stopped early, e.g. under
 * separation). Each refit is Fisher scoring (the IRLS step) with step halving on the
 * deviance, started from the nearest profile point already solved (continuation) moved
 * along the path (the tangent C_rj/C_jj of the path at the MLE for the first refit, the
 * secant through the two nearest refits after), and converged when the Newton
 * decrement gᵀ(XᵀWX)⁻¹g is negligible. The scoring matrix is held fixed between
 * refreshes (chord steps, profile-refit.ts): it starts as the reduced information of the
 * fit, so a refit costs O(n·q) per iteration instead of O(n·q²) (n = 2000, p = 300: all
 * 300 intervals in ~11 s instead of ~5 min; bench/profile-budget.ts). Plain IRLS from a
 * distant start can stall at a spurious point (fitted means clamped on the wrong side),
 * which the step control prevents and the decrement exposes. Fallbacks: see `at`.
 *
 * Unbounded ends (profile-bound.ts): stepping out from β̂ in doubling steps, when
 * the profile deviance stops growing (separation: it levels off at an asymptote
 * below the cutoff, or keeps falling because the MLE is infinite) the bound is
 * ±Infinity. A refit that leaves the family's domain counts as beyond the cutoff; a
 * bound that then lands on the edge of the domain is reported with a warning. Where
 * no refit can be trusted (far out along a separated direction of a fit that did not
 * converge), the search steps back, and reports the end as unbounded, with a
 * warning, if the profile stays below the cutoff as far as it can be followed.
 *
 * References: [1] Venables & Ripley (2002), Modern Applied Statistics with S, 4th ed.,
 * §7.2 and MASS's profile.glm/confint.glm; [2] Venzon & Moolgavkar (1988), A method for
 * computing profile-likelihood-based confidence intervals, Appl. Statist. 37, 87–94.
 */
import type { MlFit, GlmProblem } from "../fit/ml-fit.js";
import { irls, type IrlsResult } from "../fit/irls.js";
import { designKernelSet, type DesignKernels } from "../linalg/kernels/index.js";
import { choleskyInPlace, choleskySolveInPlace } from "../linalg/cholesky.js";
import { ArgumentError, GlmkitError } from "../errors.js";
import { checkLevel, twoSidedCutoff } from "./level.js";
import { findProfileBound, type BoundResult } from "./profile-bound.js";
import { CHORD_VECTORS, ChordRefit, reducedInverse, type Refit } from "./profile-refit.js";
import type { MonotoneTransform } from "./transform.js";
import type { IntervalRow, IntervalSet } from "./types.js";


/** Damped scoring stops when the Newton decrement is below this share of (1 + deviance). */
const SCORING_DECREMENT = 1e-13;
const SCORING_MAXIT = 200;
/** A step shortened below this fraction counts as stalled. */
const STALLED_STEP = 2 ** -20;
/** IRLS tolerance of the refits (R's relative deviance criterion). */
const REFIT_EPSILON = 1e-12;
const REFIT_MAXIT = 100;
/** A refit is trusted when its Newton decrement is below this share of (1 + deviance). */
const TRUST_DECREMENT = 1e-6;

export interface ProfileOptions {
  /** Confidence level, default 0.95. */
  level?: number;
  /** Coefficients to profile (names or 0-based indices); default all. */
  which?: readonly (string | number)[];
  /** "normal" (default, as MASS::confint) or "t" (t quantile on df.residual). */
  cutoff?: "normal" | "t";
  /** Relative tolerance of the roots in b (default 1e-12). */
  xtol?: number;
  /**
   * Report, and root-find, on the scale ψ = g(β) of an increasing transform (e.g.
   * EXP_TRANSFORM for odds ratios). Profile bounds are invariant: the result is g of
   * the β bounds.
   */
  transform?: MonotoneTransform;
  /**
   * Called with (0, total) before the first coefficient and (k, total) after the k-th,
   * total = the number of coefficients profiled (the CLI prints it on stderr). An
   * exception it throws stops the profiling and propagates.
   */
  onProgress?: (done: number, total: number) => void;
}

/** One point of a profile. */
export interface ProfilePoint {
  /** The value βⱼ is held at. */
  b: number;
  /** Profile deviance D(b) (+Infinity where the refit leaves the family's domain). */
  deviance: number;
  /** Signed root z(b). */
  z: number;
  /** dz/db (NaN where not defined). */
  slope: number;
  /** Coefficients of the other columns at the refit (in the order of `otherColumns`). */
  others: Float64Array;
  /** Linear predictor at the refit. */
  eta: Float64Array;
  /** The refit converged to a point with a negligible Newton decrement. */
  converged: boolean;
}

/** Resolves coefficient names or indices to 0-based indices, with errors naming the bad entry. */
export function resolveWhich(names: readonly string[], which: readonly (string | number)[] | undefined, argName = "which"): number[] {
  if (which === undefined) return names.map((_, j) => j);
  if (!Array.isArray(which)) throw new ArgumentError(`${argName} must be an array of coefficient names or 0-based indices`);
  return which.map((w) => {
    if (typeof w === "number") {
      if (!Number.isInteger(w) || w < 0 || w >= names.length)
        throw new ArgumentError(`${argName} has index ${w}, but there are ${names.length} coefficients (0-based)`);
      return w;
    }
    const j = names.indexOf(w);
    if (j < 0) throw new ArgumentError(`${argName} names "${w}", which is not a coefficient (${names.join(", ")})`);
    return j;
  });
}

/** D̂ for profiling: the smaller of the fit's deviance and the deviance of the fit polished to a tight tolerance. */
export function referenceDeviance(fit: MlFit): number {
  const { problem } = fit;
  const keep = keptColumns(fit);
  const X = subDesign(problem, keep);
  const start = Float64Array.from(keep, (j) => fit.coef[j]!);
  try {
    const polished = irls(
      { X, n: problem.n, p: keep.length, y: problem.y, weights: problem.weights, offset: problem.offset, family: problem.family },
      { start, epsilon: REFIT_EPSILON, maxit: REFIT_MAXIT },
    );
    if (Number.isFinite(polished.deviance) && polished.deviance < fit.deviance) return polished.deviance;
  } catch (e) {
    if (!(e instanceof GlmkitError)) throw e;
  }
  return fit.deviance;
}

function keptColumns(fit: MlFit): number[] {
  const keep: number[] = [];
  for (let j = 0; j < fit.problem.p; j++) if (!fit.irls.aliased[j]) keep.push(j);
  return keep;
}

function subDesign(problem: GlmProblem, cols: readonly number[]): Float64Array {
  const { X, n, p } = problem;
  const q = cols.length;
  const out = new Float64Array(n * q);
  for (let i = 0; i < n; i++) {
    const row = i * p;
    for (let k = 0; k < q; k++) out[i * q + k] = X[row + cols[k]!]!;
  }
  return out;
}

/**
 * The profile of one coefficient of an ML fit: `at(b)` refits with βⱼ = b and
 * returns D(b), z(b) and dz/db. Points are cached for continuation.
 */
export class CoefficientProfile {
  /** 0-based index of the profiled coefficient. */
  readonly j: number;
  readonly name: string;
  /** β̂ⱼ. */
  readonly estimate: number;
  /** Its Wald standard error (used only to size the first step). */
  readonly se: number;
  /** D̂. */
  readonly deviance0: number;
  /** φ used to scale deviance differences. */
  readonly dispersion: number;
  /** Indices of the columns refitted (non-aliased, without j). */
  readonly otherColumns: number[];
  private readonly Xr: Float64Array;
  private readonly xj: Float64Array;
  private readonly offset: Float64Array;
  private readonly baseOffset: Float64Array | null;
  private readonly fullOthers: Float64Array;
  private readonly W: Float64Array;
  private readonly z: Float64Array;
  private readonly A: Float64Array;
  private readonly g: Float64Array;
  private readonly gSolved: Float64Array;
  private readonly step: Float64Array;
  private readonly kernels: DesignKernels;
  private readonly etaA: Float64Array;
  private readonly etaB: Float64Array;
  private readonly points: ProfilePoint[] = [];
  /** Chord-method refits (profile-refit.ts), started from the fit's reduced information. */
  private readonly chord: ChordRefit;
  /** dγ̂/db at the MLE, C_rj/C_jj (the first refit's predictor); null when C is not usable. */
  private readonly tangent: Float64Array | null;

  constructor(readonly fit: MlFit, which: string | number, deviance0?: number) {
    const [j] = resolveWhich(fit.problem.columnNames, [which]);
    const { problem } = fit;
    if (fit.irls.aliased[j!]) throw new ArgumentError(`coefficient "${problem.columnNames[j!]}" is aliased: it has no profile`);
    this.j = j!;
    this.name = problem.columnNames[this.j]!;
    this.estimate = fit.coef[this.j]!;
    const se = fit.coefficients[this.j]!.se;
    this.se = se !== null && Number.isFinite(se) && se > 0 ? se : Math.max(1, Math.abs(this.estimate)) * 0.1;
    this.deviance0 = deviance0 ?? referenceDeviance(fit);
    this.dispersion = fit.dispersionEstimated ? fit.dispersion : 1;
    if (!(this.dispersion > 0) || !Number.isFinite(this.dispersion))
      throw new ArgumentError(`the fit's dispersion is ${fit.dispersion}: deviance differences cannot be scaled (df.residual = ${fit.dfResidual})`);
    this.otherColumns = keptColumns(fit).filter((k) => k !== this.j);
    this.Xr = subDesign(problem, this.otherColumns);
    const { n, p, X } = problem;
    this.xj = new Float64Array(n);
    for (let i = 0; i < n; i++) this.xj[i] = X[i * p + this.j]!;
    const q = this.otherColumns.length;
    // The reduced design's dense kernels (SIMD or plain loops, the same bits), built once per profiled
    // coefficient and shared with the chord refits; offset, W, z and η are their vectors.
    const kset = designKernelSet(this.Xr, n, q, { vectors: Array.from({ length: 5 + CHORD_VECTORS }, () => n), helpers: 0, shared: false });
    this.kernels = kset.main;
    this.offset = kset.vector(n);
    this.baseOffset = problem.offset;
    this.fullOthers = Float64Array.from(this.otherColumns, (k) => fit.coef[k]!);
    this.W = kset.vector(n);
    this.z = kset.vector(n);
    this.A = new Float64Array(q * q);
    this.g = new Float64Array(q);
    this.gSolved = new Float64Array(q);
    this.step = new Float64Array(q);
    this.etaA = kset.vector(n);
    this.etaB = kset.vector(n);
    const C = fit.covUnscaled;
    const cjj = C.length === p * p ? C[this.j * p + this.j]! : NaN;
    this.tangent = cjj > 0 && Number.isFinite(cjj) ? Float64Array.from(this.otherColumns, (k) => C[k * p + this.j]! / cjj) : null;
    if (this.tangent !== null && !this.tangent.every(Number.isFinite)) this.tangent = null;
    this.chord = new ChordRefit(
      { Xr: this.Xr, n, q, y: problem.y, weights: problem.weights, family: problem.family, offset: this.offset },
      reducedInverse(C, p, this.j, this.otherColumns),
      kset,
    );
  }

  /**
   * Warm start of the refit at b: the tangent of the path at the MLE, γ̂ + (b − β̂ⱼ)·C_rj/C_jj,
   * when the MLE is the nearest solved point; else the secant through the two nearest
   * solved points (the previous refits along the path).
   */
  private predict(b: number, near: { b: number; others: Float64Array }): Float64Array {
    if (near.b === this.estimate) {
      if (this.tangent === null) return near.others;
      return Float64Array.from(near.others, (v, k) => v + (b - this.estimate) * this.tangent![k]!);
    }
    let second: { b: number; others: Float64Array } = { b: this.estimate, others: this.fullOthers };
    for (const pt of this.points)
      if (pt.converged && pt.b !== near.b && Math.abs(pt.b - b) < Math.abs(second.b - b)) second = pt;
    const slope = (b - near.b) / (near.b - second.b);
    return Float64Array.from(near.others, (v, k) => v + slope * (v - second.others[k]!));
  }

  /**
   * Newton decrement gᵀ(XᵀWX)⁻¹g at a refit, g = Xᵀ[w(y − μ)μ′/V] (half the deviance
   * gradient): the deviance a further scoring step would gain. Near 0 at a genuine
   * optimum (also a separated one, where the residuals vanish with the weights); huge
   * at the spurious points IRLS can stall at from a distant start (μ clamped on the
   * wrong side: residuals ±1, weights ~ε). +Infinity when XᵀWX is singular.
   */
  private decrement(r: IrlsResult): number {
    const { family, y, weights, n } = this.fit.problem;
    const q = this.otherColumns.length;
    if (q === 0) return 0;
    for (let i = 0; i < n; i++) {
      const me = family.link.muEta(r.eta[i]!);
      const mu = r.mu[i]!;
      const v = family.variance(mu);
      const w = weights[i]!;
      const W = (w * me * me) / v;
      const ok = w > 0 && W > 0 && Number.isFinite(W);
      this.W[i] = ok ? W : 0;
      this.z[i] = ok ? (y[i]! - mu) / me : 0;
    }
    this.kernels.crossprod(this.W, this.z, this.A, this.g, 0, n);
    this.gSolved.set(this.g);
    if (!choleskyInPlace(this.A, q, 0).ok) return Number.POSITIVE_INFINITY;
    choleskySolveInPlace(this.A, q, this.gSolved);
    let d = 0;
    for (let k = 0; k < q; k++) d += this.g[k]! * this.gSolved[k]!;
    return d;
  }

  /** Deviance at η (+Infinity when η or μ leaves the family's domain). */
  private devianceOfEta(eta: Float64Array): number {
    const { family, y, weights, n } = this.fit.problem;
    let dev = 0;
    for (let i = 0; i < n; i++) {
      const e = eta[i]!;
      if (!family.link.validEta(e)) return Number.POSITIVE_INFINITY;
      const mu = family.link.linkinv(e);
      if (!family.validMu(mu)) return Number.POSITIVE_INFINITY;
      dev += family.devResid(y[i]!, mu, weights[i]!);
    }
    return Number.isNaN(dev) ? Number.POSITIVE_INFINITY : dev;
  }

  /**
   * Fisher scoring on the reduced design with step halving on the deviance: the IRLS
   * step, shortened until the deviance does not increase, so it cannot run away to the
   * spurious points plain IRLS reaches from a distant start. Converged when the Newton
   * decrement gᵀ(XᵀWX)⁻¹g is below SCORING_DECREMENT·(1 + D). Null when it cannot start
   * (invalid start or singular information).
   */
  private dampedScoring(start: Float64Array): Refit | null {
    const { family, y, weights, n } = this.fit.problem;
    const q = this.otherColumns.length;
    const gamma = Float64Array.from(start);
    let eta = this.etaA;
    let trial = this.etaB;
    this.kernels.xbeta(gamma, this.offset, eta, 0, n);
    let dev = this.devianceOfEta(eta);
    if (!Number.isFinite(dev)) return null;
    let converged = q === 0;
    for (let it = 0; it < SCORING_MAXIT && !converged; it++) {
      for (let i = 0; i < n; i++) {
        const e = eta[i]!;
        const me = family.link.muEta(e);
        const mu = family.link.linkinv(e);
        const w = weights[i]!;
        const W = (w * me * me) / family.variance(mu);
        const ok = w > 0 && W > 0 && Number.isFinite(W);
        this.W[i] = ok ? W : 0;
        this.z[i] = ok ? (y[i]! - mu) / me : 0;
      }
      this.kernels.crossprod(this.W, this.z, this.A, this.g, 0, n);
      this.step.set(this.g);
      if (!choleskyInPlace(this.A, q, 0).ok) return null;
      choleskySolveInPlace(this.A, q, this.step);
      let dec = 0;
      for (let k = 0; k < q; k++) dec += this.g[k]! * this.step[k]!;
      if (!(dec > SCORING_DECREMENT * (1 + Math.abs(dev)))) {
        converged = true;
        break;
      }
      let t = 1;
      let accepted = false;
      for (let h = 0; h < 60; h++, t *= 0.5) {
        for (let k = 0; k < q; k++) this.gSolved[k] = gamma[k]! + t * this.step[k]!;
        this.kernels.xbeta(this.gSolved, this.offset, trial, 0, n);
        const d = this.devianceOfEta(trial);
        if (d <= dev + 1e-15 * Math.abs(dev)) {
          gamma.set(this.gSolved);
          [eta, trial] = [trial, eta];
          dev = d;
          accepted = true;
          break;
        }
      }
      if (!accepted || t < STALLED_STEP) {
        // No usable step lowers the deviance: at the optimum to rounding if the decrement
        // is small; otherwise stalled (e.g. rows whose fitted means are clamped at 0 or 1).
        converged = dec <= 1e-8 * (1 + Math.abs(dev));
        break;
      }
    }
    const etaOut = Float64Array.from(eta);
    const mu = Float64Array.from(etaOut, (e) => family.link.linkinv(e));
    return { coef: gamma, eta: etaOut, mu, deviance: dev, converged };
  }

  private refit(start: { etastart?: Float64Array; start?: Float64Array } | null): IrlsResult | null {
    const { problem } = this.fit;
    try {
      return irls(
        { X: this.Xr, n: problem.n, p: this.otherColumns.length, y: problem.y, weights: problem.weights, offset: this.offset, family: problem.family },
        { ...(start ?? { mustart: problem.mustart ?? null }), epsilon: REFIT_EPSILON, maxit: REFIT_MAXIT },
      );
    } catch (e) {
      if (e instanceof GlmkitError) return null;
      throw e;
    }
  }

  /** A refit is trusted when it converged to a finite deviance with a negligible Newton decrement. */
  private trusted(r: IrlsResult | null): boolean {
    if (r === null || !r.converged || !Number.isFinite(r.deviance)) return false;
    return this.decrement(r) <= TRUST_DECREMENT * (1 + Math.abs(r.deviance));
  }

  /** The trusted point nearest to b (the full fit when none is nearer). */
  private nearest(b: number): { b: number; others: Float64Array; eta: Float64Array } {
    let best: ProfilePoint | null = null;
    for (const pt of this.points)
      if (pt.converged && (best === null || Math.abs(pt.b - b) < Math.abs(best.b - b))) best = pt;
    if (best === null || Math.abs(best.b - b) >= Math.abs(this.estimate - b)) return { b: this.estimate, others: this.fullOthers, eta: this.fit.irls.eta };
    return { b: best.b, others: best.others, eta: best.eta };
  }

  /**
   * Refits with βⱼ = b and returns the profile point (cached). Attempts, in order until
   * one is trusted: chord scoring from the predicted start (`predict`), then from the
   * nearest trusted point's coefficients; damped Fisher scoring from those coefficients;
   * when moving outward, from those coefficients scaled by b/b_near (far out along a
   * separated direction the solution grows in proportion to b); IRLS from that point's
   * linear predictor (MASS's etastart); IRLS from the family's starting means. If none
   * is trusted, the lowest deviance found is kept and the point marked unreliable.
   */
  at(b: number): ProfilePoint {
    const { problem } = this.fit;
    const n = problem.n;
    for (let i = 0; i < n; i++) this.offset[i] = (this.baseOffset ? this.baseOffset[i]! : 0) + b * this.xj[i]!;
    const near = this.nearest(b);
    let best: Refit | null = null;
    let trusted = false;
    const consider = (r: Refit | null, ok: boolean): boolean => {
      if (r && ok) {
        best = r;
        trusted = true;
        return true;
      }
      if (r && Number.isFinite(r.deviance) && (best === null || r.deviance < best.deviance)) best = r;
      return false;
    };
    const ratio = b / near.b;
    const chordFrom = (start: Float64Array): boolean => { const r = this.chord.solve(start); return consider(r, r !== null && r.converged); };
    const attempts: (() => boolean)[] = [
      () => chordFrom(this.predict(b, near)),
      () => chordFrom(near.others),
      () => { const r = this.dampedScoring(near.others); return consider(r, r !== null && r.converged); },
      () => {
        if (!(ratio > 1 && Number.isFinite(ratio))) return false;
        const r = this.dampedScoring(near.others.map((v) => v * ratio));
        return consider(r, r !== null && r.converged);
      },
      () => { const r = this.refit({ etastart: near.eta }); return consider(r, this.trusted(r)); },
      () => { const r = this.refit(null); return consider(r, this.trusted(r)); },
    ];
    for (const attempt of attempts) if (attempt()) break;
    const point = this.pointFrom(b, best, trusted);
    this.points.push(point);
    return point;
  }

  private pointFrom(b: number, r: Refit | null, trusted: boolean): ProfilePoint {
    const sgn = Math.sign(b - this.estimate);
    if (r === null) {
      return { b, deviance: Number.POSITIVE_INFINITY, z: sgn * Number.POSITIVE_INFINITY, slope: Number.NaN, others: this.fullOthers, eta: this.fit.irls.eta, converged: false };
    }
    const { family, y, weights, n } = this.fit.problem;
    let dD = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      if (w === 0) continue;
      const mu = r.mu[i]!;
      dD += (w * (y[i]! - mu) * family.link.muEta(r.eta[i]!) * this.xj[i]!) / family.variance(mu);
    }
    dD *= -2;
    const diff = Math.max(0, (r.deviance - this.deviance0) / this.dispersion);
    const z = sgn * Math.sqrt(diff);
    const slope = z === 0 ? Number.NaN : dD / (2 * this.dispersion * z);
    return { b, deviance: r.deviance, z, slope, others: Float64Array.from(r.coef), eta: Float64Array.from(r.eta), converged: trusted };
  }

  /**
   * The bound on side s (−1: lower, +1: upper) where z(b) = s·c; ±Infinity (on the β
   * scale) when the profile levels off below c. With a transform, the root is found
   * and returned on the ψ = g(b) scale.
   */
  bound(side: -1 | 1, c: number, options: { xtol?: number; transform?: MonotoneTransform } = {}): BoundResult {
    return findProfileBound(
      { at: (b) => { const pt = this.at(b); return { z: pt.z, slope: pt.slope, reliable: pt.converged }; }, estimate: this.estimate, step: c * this.se, name: this.name, xtol: options.xtol, transform: options.transform },
      side,
      c,
    );
  }

  /** Number of refits done so far. */
  get evaluations(): number {
    return this.points.length;
  }

  /** Times the chord refits recomputed the scoring matrix X_rᵀWX_r (an n·q² cross product each). */
  get matrixRefreshes(): number {
    return this.chord.refreshes;
  }
}

/**
 * Profile-likelihood intervals of an ML fit (see the module comment).
 * Aliased coefficients get NaN bounds and `aliased: true`; unbounded ends are ±Infinity.
 * @example profileIntervals(fit, { level: 0.95 }) // bounds within 1e-9 of the exact roots; MASS::confint(fit) within ~1e-4 SE
 */
export function profileIntervals(fit: MlFit, options: ProfileOptions = {}): IntervalSet {
  const level = checkLevel(options.level ?? 0.95);
  const kind = options.cutoff ?? "normal";
  if (kind !== "normal" && kind !== "t") throw new ArgumentError(`cutoff must be "normal" or "t", got ${String(kind)}`);
  const cutoff = twoSidedCutoff(level, kind === "t" ? fit.dfResidual : null);
  const names = fit.problem.columnNames;
  const which = resolveWhich(names, options.which);
  const warnings: string[] = [];
  if (!fit.irls.converged) warnings.push("the fit did not converge: profiling from it may be unreliable");
  const deviance0 = referenceDeviance(fit);
  const progress = options.onProgress;
  if (progress !== undefined && typeof progress !== "function") throw new ArgumentError("onProgress must be a function (done, total) => void");
  progress?.(0, which.length);
  const rows: IntervalRow[] = which.map((j, k) => {
    const row = profileRow(fit, j, deviance0, cutoff.value, options, warnings);
    progress?.(k + 1, which.length);
    return row;
  });
  return { method: "profile", level, rows, cutoff, warnings };
}

/** The interval row of coefficient j (its warnings appended to `warnings`). */
function profileRow(fit: MlFit, j: number, deviance0: number, c: number, options: ProfileOptions, warnings: string[]): IntervalRow {
  const name = fit.problem.columnNames[j]!;
  const tr = options.transform ?? null;
  if (fit.irls.aliased[j]) return { name, estimate: Number.NaN, lower: Number.NaN, upper: Number.NaN, aliased: true };
  const prof = new CoefficientProfile(fit, j, deviance0);
  const lo = prof.bound(-1, c, { xtol: options.xtol, transform: tr ?? undefined });
  const hi = prof.bound(1, c, { xtol: options.xtol, transform: tr ?? undefined });
  if (lo.warning) warnings.push(lo.warning);
  if (hi.warning) warnings.push(hi.warning);
  // Finite bounds are already on the ψ scale (solved there); unbounded ends map through g.
  const onScale = (b: number) => (tr !== null && !Number.isFinite(b) ? tr.forward(b) : b);
  return { name, estimate: tr ? tr.forward(prof.estimate) : prof.estimate, lower: onScale(lo.bound), upper: onScale(hi.bound) };
}

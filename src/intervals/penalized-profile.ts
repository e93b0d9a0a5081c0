/**
 * Penalised profile-likelihood intervals for Firth-type fits, as logistf
 * computes them: the profile of the Jeffreys-penalised log-likelihood
 *   ℓ_J(β) = ℓ(β) + ½ log|I(β)|
 * (and, for families with a dispersion, the dispersion's block too — brglm2's
 * MPL_Jeffreys objective; models/log-posterior.ts with jeffreys() priors and no
 * Jacobian). For coefficient j,
 *   ℓ_Jⱼ(b) = max over the other parameters of ℓ_J with βⱼ = b,
 * and the bounds solve 2(ℓ_J(β̃) − ℓ_Jⱼ(b)) = χ²₁(level), i.e. the signed root
 *   z(b) = sign(b − β̃ⱼ) √(2(ℓ_J(β̃) − ℓ_Jⱼ(b))) = ±Φ⁻¹((1 + level)/2),
 * found by safeguarded Newton steps with dz/db = −gⱼ/z (gⱼ = ∂ℓ_J/∂βⱼ at the
 * constrained maximum; the other components of the gradient vanish there). Each
 * constrained maximum is found by Newton steps on the free coordinates with the
 * analytic Hessian, step halving on ℓ_J, from the nearest point already solved.
 *
 * Unlike the ML profile, ℓ_J has a finite maximum under separation (the penalty
 * goes to −∞ as |β| → ∞), so the bounds are finite (e.g. endometrial's NV). In
 * floating point the penalty stops falling once fitted means are clamped at the edge
 * of their range (|η| ≳ 36 for the logit); on extreme data (complete separation at
 * n ≈ 20) the profile can level off below the cutoff there, and that end is then
 * reported as unbounded with a warning saying so.
 *
 * References: [1] Heinze & Schemper (2002), A solution to the problem of separation
 * in logistic regression, Statist. Med. 21, 2409–2419 (profile penalised likelihood
 * intervals); [2] Heinze, Ploner & Jiricka, logistf (R package), `logistf(..., pl = TRUE)`;
 * [3] Kosmidis & Firth (2021), Jeffreys-prior penalty, finiteness and shrinkage in
 * binomial-response generalized linear models, Biometrika 108, 71–82.
 */
import type { BiasReducedFit } from "../fit/firth.js";
import type { GlmProblem } from "../fit/ml-fit.js";
import { choleskyInPlace, choleskySolveInPlace } from "../linalg/cholesky.js";
import { jeffreys } from "../priors/index.js";
import { glmLogPosterior, type GlmLogPosterior } from "../likelihood/log-posterior.js";
import { ArgumentError, NumericalError } from "../errors.js";
import { checkLevel, twoSidedCutoff } from "./level.js";
import { resolveWhich } from "./profile.js";
import { findProfileBound } from "./profile-bound.js";
import type { MonotoneTransform } from "./transform.js";
import type { IntervalRow, IntervalSet } from "./types.js";

const MAX_NEWTON = 100;
const MAX_HALVINGS = 50;

export interface PenalizedProfileOptions {
  /** Confidence level, default 0.95. */
  level?: number;
  /** Coefficients to profile (names or 0-based indices); default all. */
  which?: readonly (string | number)[];
  /** Relative tolerance of the roots (default 1e-10). */
  xtol?: number;
  /** Report and solve on ψ = g(β) (e.g. EXP_TRANSFORM for odds ratios). */
  transform?: MonotoneTransform;
  /** Called with (0, total) before the first coefficient and (k, total) after the k-th (as profileIntervals' onProgress). */
  onProgress?: (done: number, total: number) => void;
}

/** Result of maximising ℓ_J with some coordinates held. */
interface ConstrainedMax {
  theta: Float64Array;
  value: number;
  grad: Float64Array;
  converged: boolean;
}

/**
 * Maximises lp over the coordinates `free` of θ (the others held), by Newton steps
 * with the analytic Hessian (Fisher scoring on the free block when −H is not positive
 * definite there) and step halving. Stops when the Newton step, in standard-error
 * units, is below 1e-10 and the predicted gain below 1e-13(|f| + 1).
 */
function maximiseOver(lp: GlmLogPosterior, start: Float64Array, free: readonly number[]): ConstrainedMax {
  const dim = lp.dim;
  const m = free.length;
  let theta = Float64Array.from(start);
  let grad = new Float64Array(dim);
  let f = lp.logDensityGrad(theta, grad);
  if (!Number.isFinite(f)) return { theta, value: Number.NEGATIVE_INFINITY, grad, converged: false };
  const A = new Float64Array(m * m);
  const d = new Float64Array(m);
  const trial = new Float64Array(dim);
  const gTrial = new Float64Array(dim);
  for (let it = 0; it < MAX_NEWTON; it++) {
    if (m === 0) return { theta, value: f, grad, converged: true };
    const H = lp.hessian(theta);
    for (let a = 0; a < m; a++) for (let c = 0; c < m; c++) A[a * m + c] = -H[free[a]! * dim + free[c]!]!;
    let ok = choleskyInPlace(A, m, 0).ok;
    if (!ok) {
      const S = lp.scoringMatrix(theta);
      for (let a = 0; a < m; a++) for (let c = 0; c < m; c++) A[a * m + c] = S[free[a]! * dim + free[c]!]!;
      ok = choleskyInPlace(A, m, 0).ok;
      if (!ok) throw new NumericalError("the penalised information is singular at a profile point");
    }
    for (let a = 0; a < m; a++) d[a] = grad[free[a]!]!;
    choleskySolveInPlace(A, m, d);
    let gain = 0;
    for (let a = 0; a < m; a++) gain += grad[free[a]!]! * d[a]!;
    gain *= 0.5;
    if (!(gain > 1e-13 * (Math.abs(f) + 1))) return { theta, value: f, grad, converged: true };
    let t = 1;
    let accepted = false;
    for (let h = 0; h <= MAX_HALVINGS; h++, t *= 0.5) {
      trial.set(theta);
      for (let a = 0; a < m; a++) trial[free[a]!] = theta[free[a]!]! + t * d[a]!;
      const fNew = lp.logDensityGrad(trial, gTrial);
      if (Number.isFinite(fNew) && fNew >= f - 16 * Number.EPSILON * (Math.abs(f) + 1)) {
        theta = Float64Array.from(trial);
        grad = Float64Array.from(gTrial);
        f = fNew;
        accepted = true;
        break;
      }
    }
    if (!accepted) return { theta, value: f, grad, converged: gain < 1e-9 * (Math.abs(f) + 1) };
  }
  return { theta, value: f, grad, converged: false };
}

/**
 * The penalised profile of one coefficient: `at(b)` maximises ℓ_J with βⱼ = b and
 * returns the signed root and its slope.
 */
export class PenalizedProfile {
  readonly j: number;
  readonly name: string;
  /** β̃ⱼ at the maximum of ℓ_J. */
  readonly estimate: number;
  /** √((−∇²ℓ_J)⁻¹)ⱼⱼ at the maximum (sizes the first step). */
  readonly se: number;
  private readonly free: number[];
  private readonly points: { b: number; theta: Float64Array }[] = [];

  constructor(
    private readonly lp: GlmLogPosterior,
    private readonly top: ConstrainedMax,
    which: number,
  ) {
    this.j = which;
    this.name = lp.names[which]!;
    this.estimate = top.theta[which]!;
    this.free = [];
    for (let k = 0; k < lp.dim; k++) if (k !== which) this.free.push(k);
    this.se = standardError(lp, top.theta, which);
  }

  /** Signed root z(b) and dz/db. */
  at(b: number): { z: number; slope: number; value: number; reliable: boolean } {
    let start = this.top.theta;
    let dist = Math.abs(b - this.estimate);
    for (const pt of this.points)
      if (Math.abs(pt.b - b) < dist) {
        dist = Math.abs(pt.b - b);
        start = pt.theta;
      }
    const s = Float64Array.from(start);
    s[this.j] = b;
    const r = maximiseOver(this.lp, s, this.free);
    const sgn = Math.sign(b - this.estimate);
    if (!Number.isFinite(r.value)) return { z: sgn * Infinity, slope: Number.NaN, value: r.value, reliable: true };
    this.points.push({ b, theta: r.theta });
    const z = sgn * Math.sqrt(Math.max(0, 2 * (this.top.value - r.value)));
    return { z, slope: z === 0 ? Number.NaN : -r.grad[this.j]! / z, value: r.value, reliable: r.converged };
  }
}

function standardError(lp: GlmLogPosterior, theta: Float64Array, j: number): number {
  const dim = lp.dim;
  const A = lp.hessian(theta).map((v) => -v);
  const e = new Float64Array(dim);
  e[j] = 1;
  if (!choleskyInPlace(A, dim, 0).ok) return Math.max(1, Math.abs(theta[j]!)) * 0.1;
  choleskySolveInPlace(A, dim, e);
  const v = e[j]!;
  return v > 0 && Number.isFinite(v) ? Math.sqrt(v) : Math.max(1, Math.abs(theta[j]!)) * 0.1;
}

/** The Jeffreys-penalised log-likelihood of a problem (no Jacobian) and its maximum from `start` (β, or θ = (β, log a)). */
export function penalizedMaximum(problem: GlmProblem, start: ArrayLike<number>): { lp: GlmLogPosterior; theta: Float64Array; value: number; converged: boolean } {
  const lp = glmLogPosterior(problem, { coefficients: problem.columnNames.map(() => jeffreys()) }, { jacobian: false });
  let theta: Float64Array;
  if (start.length === lp.dim) theta = Float64Array.from(start);
  else if (start.length === problem.p) {
    const beta = Float64Array.from(start);
    theta = lp.dim > problem.p ? Float64Array.from([...beta, lp.startAux(beta)]) : beta;
  } else throw new ArgumentError(`start has length ${start.length}, expected ${problem.p} or ${lp.dim}`);
  const all = Array.from({ length: lp.dim }, (_, k) => k);
  const top = maximiseOver(lp, theta, all);
  return { lp, theta: top.theta, value: top.value, converged: top.converged };
}

/**
 * Penalised profile-likelihood intervals (logistf's profile CIs) of a Firth fit.
 * The profile is centred at the maximum of ℓ_J (MPL_Jeffreys), found from the fit's
 * estimate; for an AS_mean fit that is not the same estimator (unless the link is
 * canonical and φ fixed), which is noted in `warnings`. Families without a
 * likelihood throw a FamilyError; the negative binomial throws a PriorError (its
 * Jeffreys penalty needs θ's information, which has no closed form).
 * @example penalizedProfileIntervals(firthFit).rows[1] // endometrial NV: finite bounds ≈ [0.6097, 7.8546]
 */
export function penalizedProfileIntervals(fit: BiasReducedFit, options: PenalizedProfileOptions = {}): IntervalSet {
  const level = checkLevel(options.level ?? 0.95);
  const cutoff = twoSidedCutoff(level, null);
  const problem = fit.problem;
  const warnings: string[] = [];
  if (fit.rank < problem.p) throw new ArgumentError("the design is rank deficient: drop the aliased columns before profiling the penalised likelihood");
  if (fit.type === "AS_mean" && !fit.canonical)
    warnings.push("this AS_mean fit is not the maximum of the penalised likelihood: the intervals are centred at the MPL_Jeffreys estimate");
  const start = fit.coef;
  const { lp, theta, value, converged } = penalizedMaximum(problem, start);
  if (!converged) warnings.push("the maximum of the penalised likelihood was not found to full precision");
  const top: ConstrainedMax = { theta, value, grad: new Float64Array(lp.dim), converged };
  const which = resolveWhich(problem.columnNames, options.which);
  const tr = options.transform ?? null;
  const progress = options.onProgress;
  if (progress !== undefined && typeof progress !== "function") throw new ArgumentError("onProgress must be a function (done, total) => void");
  progress?.(0, which.length);
  const rows: IntervalRow[] = which.map((j, k) => {
    const prof = new PenalizedProfile(lp, top, j);
    const search = {
      at: (b: number) => prof.at(b), estimate: prof.estimate, step: cutoff.value * prof.se, name: prof.name,
      xtol: options.xtol ?? 1e-10, transform: tr ?? undefined,
      // The penalised profile falls to −∞ in theory; it levels off only numerically, once the
      // fitted means are clamped at the edge of their range and the penalty stops falling.
      levelsOffWarning: (which: "lower" | "upper") =>
        `the ${which} penalised-profile bound of ${prof.name} lies beyond the range where the fitted means can be resolved (the profile levels off below the cutoff once they are clamped): reported as unbounded`,
    };
    const lo = findProfileBound(search, -1, cutoff.value);
    const hi = findProfileBound(search, 1, cutoff.value);
    if (lo.warning) warnings.push(lo.warning);
    if (hi.warning) warnings.push(hi.warning);
    const onScale = (b: number) => (tr !== null && !Number.isFinite(b) ? tr.forward(b) : b);
    const row = { name: prof.name, estimate: tr ? tr.forward(prof.estimate) : prof.estimate, lower: onScale(lo.bound), upper: onScale(hi.bound) };
    progress?.(k + 1, which.length);
    return row;
  });
  return { method: "firth-profile", level, rows, cutoff, warnings };
}

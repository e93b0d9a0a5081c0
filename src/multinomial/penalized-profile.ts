/**
 * Penalised-profile intervals of the multinomial bias-reduced (Jeffreys) and MAP fits.
 *
 * For the penalised log-likelihood (log posterior) f(β) = ℓ(β) + ½ log|I(β)| (Jeffreys,
 * = brmultinom AS_mean for the softmax link) or ℓ(β) + Σ_j log p_j(β_j) (scalar priors), the
 * penalised profile of coefficient c is f_c(b) = max_{β: β_c = b} f(β), and the bounds solve
 *   r(b) = sign(b − β̂_c)·√(2 (f(β̂) − f_c(b))) = ±z_{(1+level)/2}
 * (the penalised likelihood-ratio interval of Heinze & Schemper 2002, logistf's profile
 * intervals; for a prior, the profile of the log posterior). Each constrained maximum is
 * found by Newton/quasi-Fisher steps on the free block, β_f ← β_f + t·M_ff⁻¹ ∇_f f with
 * M = I(β) − diag ∂²log p (Jeffreys: M = I, brglm2's quasi-Fisher metric) and step halving
 * on f, warm-started from the previous point; roots by Brent's method as the ML profile.
 */
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { ArgumentError } from "../errors.js";
import { choleskyInPlace, choleskySolveInPlace } from "../linalg/cholesky.js";
import { multinomialLogLik, multinomialScoreInfo, multinomialWorkspace, type MultinomialProblem } from "./likelihood.js";
import { multinomialLogPosterior, type MultinomialPriors } from "./posterior.js";
import { brentRoot, type ProfileBound } from "./inference.js";

/** How far (in SEs) a bound's bracket is searched before it is called infinite (as the ML profile). */
const SEARCH_SES = 1e3;

export interface PenalizedProfileInput {
  /** The (reduced, non-aliased) problem and the penalised maximum β̂ on it. */
  problem: MultinomialProblem;
  priors: MultinomialPriors;
  mode: Float64Array;
  /** Per reduced coefficient: the name and the SE used to size the first bracket. */
  names: readonly string[];
  se: ArrayLike<number>;
}

/**
 * The constrained penalised maximum f_c(b) and its maximiser (for checks and plots).
 * @example penalizedProfileAt(input, 1, 2.5).value
 */
export function penalizedProfileAt(input: PenalizedProfileInput, c: number, b: number): { value: number; beta: Float64Array; mode: number } {
  let out = { value: NaN, beta: new Float64Array(0), mode: NaN };
  penalizedProfile(input, 0.95, [], (f, f0, theta) => {
    theta.set(input.mode);
    const b0 = input.mode[c]!, steps = 64; // continuation from the mode: far points are reached through near ones (warm starts)
    let value = f0;
    for (let k = 1; k <= steps; k++) value = f(c, b0 + ((b - b0) * k) / steps);
    out = { value, beta: Float64Array.from(theta), mode: f0 };
  });
  return out;
}

/**
 * Penalised-profile bounds for the coefficients at the given reduced indices.
 * @example penalizedProfile({ problem, priors: { kind: "jeffreys" }, mode, names, se }, 0.95, [0, 1])
 */
export function penalizedProfile(input: PenalizedProfileInput, level: number, indices: readonly number[],
  probe?: (constrainedMax: (c: number, b: number) => number, f0: number, theta: Float64Array) => void): ProfileBound[] {
  if (!(level > 0 && level < 1)) throw new ArgumentError(`level must be in (0, 1), got ${level}`);
  const { problem, priors, mode, names, se } = input;
  const D = (problem.K - 1) * problem.p;
  const z = normalQuantile((1 + level) / 2, 0, 1);
  const target = multinomialLogPosterior(problem, priors);
  const ws = multinomialWorkspace(problem);
  const g = new Float64Array(D), gt = new Float64Array(D);
  const theta = new Float64Array(D), trial = new Float64Array(D);
  const M = new Float64Array((D - 1) * (D - 1)), step = new Float64Array(D - 1);
  const f0 = target.logDensityGrad(mode, g);

  /** max f over β with β_c = b, from `theta` (updated in place to the maximiser). */
  const constrainedMax = (c: number, b: number, depth = 0): number => {
    const prev = theta[c]!;
    theta[c] = b;
    let f = target.logDensityGrad(theta, g);
    if (!Number.isFinite(f) && depth < 30 && prev !== b) {
      // too far a jump from the warm start (the information numerically singular): get there through the midpoint
      theta[c] = prev;
      constrainedMax(c, (prev + b) / 2, depth + 1);
      return constrainedMax(c, b, depth + 1);
    }
    for (let it = 0; it < 500; it++) {
      if (!Number.isFinite(f)) return -Infinity;
      multinomialLogLik(problem, theta, ws);
      multinomialScoreInfo(problem, ws);
      for (let a = 0, r = 0; a < D; a++) {
        if (a === c) continue;
        for (let e = 0, s = 0; e < D; e++) {
          if (e === c) continue;
          let v = ws.info[a * D + e]!;
          if (a === e && priors.kind === "scalar") v += Math.max(0, -priors.priors[a]!.hessianDiag(theta[a]!));
          M[r * (D - 1) + s] = v;
          s++;
        }
        step[r] = g[a]!;
        r++;
      }
      if (!choleskyInPlace(M, D - 1, 1e-14).ok) return -Infinity;
      choleskySolveInPlace(M, D - 1, step);
      let t = 1, next = -Infinity;
      for (let h = 0; h < 60; h++) {
        for (let a = 0, r = 0; a < D; a++) trial[a] = a === c ? b : theta[a]! + t * step[r++]!;
        next = target.logDensityGrad(trial, gt);
        if (Number.isFinite(next) && next >= f - 1e-13 * Math.abs(f)) break;
        t /= 2;
      }
      if (!(Number.isFinite(next) && next >= f - 1e-13 * Math.abs(f))) return f;
      let maxStep = 0;
      for (let r = 0; r < D - 1; r++) maxStep = Math.max(maxStep, Math.abs(t * step[r]!));
      theta.set(trial); g.set(gt);
      const change = next - f;
      f = next;
      if (maxStep < 1e-11 && change < 1e-13 * (Math.abs(f) + 1)) break;
    }
    return f;
  };

  if (probe) probe(constrainedMax, f0, theta);
  const out: ProfileBound[] = [];
  for (const c of indices) {
    const bhat = mode[c]!;
    const s = Number.isFinite(se[c]!) && se[c]! > 0 ? se[c]! : 1;
    const signedRoot = (b: number): number => Math.sign(b - bhat) * Math.sqrt(Math.max(0, 2 * (f0 - constrainedMax(c, b))));
    const bound = (dir: 1 | -1): number => {
      theta.set(mode);
      const want = dir * z;
      let lo = bhat, flo = -want, width = z * s;
      let hi = bhat + dir * width, fhi = signedRoot(hi) - want;
      while (dir * fhi < 0) {
        if (width > SEARCH_SES * s) return dir * Infinity;
        lo = hi; flo = fhi; width *= 2;
        hi = bhat + dir * width; fhi = signedRoot(hi) - want;
      }
      return brentRoot((b) => signedRoot(b) - want, lo, hi, flo, fhi, 1e-10 * (1 + Math.abs(bhat)));
    };
    out.push({ name: names[c]!, lower: bound(-1), upper: bound(1) });
  }
  return out;
}

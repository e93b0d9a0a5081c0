/**
 * Inference after a multinomial ML fit: profile-likelihood intervals, likelihood-ratio
 * tests between nested fits, and predictions (probabilities, classes, linear predictors)
 * with delta-method standard errors.
 *
 * Profile: for coefficient c, r(b) = sign(b − β̂_c)·√(D(b) − D(β̂)), D(b) the deviance
 * maximised over the others with β_c = b (Newton on the free block, warm-started). The
 * bounds solve r(b) = ±z_{(1+level)/2} (Venables & Ripley 2002, §8.4; MASS's profile.glm
 * interpolates r, here the root is found by Brent's method to 1e-10·(1 + |b|)). When D(b) − D(β̂)
 * stays below z² however far b goes (an infinite estimate), the bound is ±Infinity.
 */
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { chisqUpper } from "../stats/tails.js";
import { ArgumentError } from "../errors.js";
import { multinomialWorkspace } from "./likelihood.js";
import { multinomialNewton } from "./newton.js";
import type { MultinomialFitRecord } from "./fit.js";

export interface ProfileBound {
  name: string;
  lower: number;
  upper: number;
}

/** Brent's root finder on [a, b] with f(a)·f(b) ≤ 0 (Brent 1973, ch. 4; as R's uniroot/zeroin). */
export function brentRoot(f: (x: number) => number, a: number, b: number, fa: number, fb: number, tol: number, maxit = 200): number {
  let c = a, fc = fa, d = b - a, e = d;
  for (let it = 0; it < maxit; it++) {
    if (Math.abs(fc) < Math.abs(fb)) { a = b; b = c; c = a; fa = fb; fb = fc; fc = fa; }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol;
    const xm = 0.5 * (c - b);
    if (Math.abs(xm) <= tol1 || fb === 0) return b;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      let p: number, q: number;
      const s = fb / fa;
      if (a === c) { p = 2 * xm * s; q = 1 - s; }
      else {
        const qq = fa / fc, r = fb / fc;
        p = s * (2 * xm * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q; else p = -p;
      if (2 * p < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(e * q))) { e = d; d = p / q; }
      else { d = xm; e = d; }
    } else { d = xm; e = d; }
    a = b; fa = fb;
    b += Math.abs(d) > tol1 ? d : (xm > 0 ? tol1 : -tol1);
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) { c = a; fc = fa; d = b - a; e = d; }
  }
  return b;
}

/** How far (in SEs) the bracket of a profile bound is searched before the bound is called infinite. */
const PROFILE_SEARCH_SES = 1e3;

/**
 * Profile-likelihood intervals for the named coefficients (default all, aliased ones as NaN).
 * @example multinomialProfile(fit, 0.95)[0] // { name: "versicolor:(Intercept)", lower: …, upper: … }
 */
export function multinomialProfile(fit: MultinomialFitRecord, level = 0.95, which?: readonly string[]): ProfileBound[] {
  if (!(level > 0 && level < 1)) throw new ArgumentError(`level must be in (0, 1), got ${level}`);
  const z = normalQuantile((1 + level) / 2, 0, 1);
  const problem = fit.reduced;
  const ws = multinomialWorkspace(problem);
  const pr = problem.p, p = fit.problem.p;
  const names = fit.coefficients.map((c) => c.name);
  const wanted = which ?? names;
  for (const w of wanted) if (!names.includes(w)) throw new ArgumentError(`no coefficient "${w}" (coefficients: ${names.join(", ")})`);
  const dev0 = fit.deviance;
  const out: ProfileBound[] = [];
  for (const name of wanted) {
    const c = names.indexOf(name);
    const coef = fit.coefficients[c]!;
    if (coef.aliased) { out.push({ name, lower: NaN, upper: NaN }); continue; }
    const q = Math.floor(c / p);
    const a = Array.from(fit.keptColumns).indexOf(c % p);
    const idx = q * pr + a;
    const bhat = fit.betaReduced[idx]!;
    const se = Number.isFinite(coef.se) && coef.se > 0 ? coef.se : 1;
    let start = fit.betaReduced;
    const signedRoot = (b: number): number => {
      const r = multinomialNewton(problem, { fixedIndex: idx, fixedValue: b, start, epsilon: 1e-12, maxit: 100 }, ws);
      if (r.converged) start = r.beta;
      const d = Math.max(0, r.deviance - dev0);
      return Math.sign(b - bhat) * Math.sqrt(d);
    };
    const bound = (dir: 1 | -1): number => {
      start = fit.betaReduced;
      const target = dir * z;
      let lo = bhat, flo = -target;
      let step = z * se;
      let hi = bhat + dir * step;
      let fhi = signedRoot(hi) - target;
      while (dir * fhi < 0) {
        if (step > PROFILE_SEARCH_SES * se) return dir * Infinity;
        lo = hi; flo = fhi;
        step *= 2;
        hi = bhat + dir * step;
        fhi = signedRoot(hi) - target;
      }
      return brentRoot((b) => signedRoot(b) - target, lo, hi, flo, fhi, 1e-10 * (1 + Math.abs(bhat)));
    };
    out.push({ name, lower: bound(-1), upper: bound(1) });
  }
  return out;
}

export interface LrTestRow {
  /** Residual df and deviance of each fit, in order; df, LR statistic and p-value against the previous row. */
  resid_df: number;
  resid_dev: number;
  df: number | null;
  lr_stat: number | null;
  p_value: number | null;
}

/**
 * Likelihood-ratio tests between nested multinomial fits (nnet's `anova.multinom`, VGAM's `lrtest`):
 * χ² = D_small − D_big on the difference in residual df, fits taken in the order given.
 */
export function multinomialLrTest(fits: readonly MultinomialFitRecord[]): LrTestRow[] {
  if (fits.length < 2) throw new ArgumentError("a likelihood-ratio test needs at least two fits");
  const K = fits[0]!.problem.K, n = fits[0]!.nObs;
  for (const f of fits) {
    if (f.problem.K !== K || f.nObs !== n || f.problem.levels.join("\u0000") !== fits[0]!.problem.levels.join("\u0000"))
      throw new ArgumentError("the fits are not of the same response (categories and rows must agree)");
  }
  return fits.map((f, k) => {
    if (k === 0) return { resid_df: f.dfResidual, resid_dev: f.deviance, df: null, lr_stat: null, p_value: null };
    const prev = fits[k - 1]!;
    const df = prev.dfResidual - f.dfResidual;
    const stat = prev.deviance - f.deviance;
    const sign = Math.sign(df);
    return { resid_df: f.dfResidual, resid_dev: f.deviance, df, lr_stat: stat, p_value: df === 0 ? NaN : chisqUpper(sign * stat, Math.abs(df)) };
  });
}

export interface MultinomialPrediction {
  /** m×K probabilities (row-major), and their delta-method SEs. */
  probabilities: Float64Array;
  seProbabilities: Float64Array;
  /** m×(K−1) linear predictors log(π_k/π_ref), and their SEs √(xᵀV_kk x). */
  link: Float64Array;
  seLink: Float64Array;
  /** Index of the most probable category per row (first on ties, as nnet's max.col ties = "first"… by index). */
  classes: Int32Array;
}

/**
 * Predictions for a new design X (m×p, the fit's columns): π = softmax(η), with
 * ∂π_k/∂β_l = π_k(δ_kl − π_l)x, so Var π_k = Σ_{l,l'} g_l V_{ll'} g_l' (the delta method).
 */
export function multinomialPredict(fit: { problem: { p: number; K: number; ref: number }; beta: Float64Array; vcov: Float64Array }, X: Float64Array, m: number): MultinomialPrediction {
  const { p, K, ref } = fit.problem;
  if (X.length !== m * p) throw new ArgumentError(`the new design has ${X.length} entries, expected ${m} × ${p}`);
  const K1 = K - 1, D = K1 * p;
  const { beta, vcov } = fit;
  const probabilities = new Float64Array(m * K), seProbabilities = new Float64Array(m * K);
  const link = new Float64Array(m * K1), seLink = new Float64Array(m * K1);
  const classes = new Int32Array(m);
  const eta = new Float64Array(K), g = new Float64Array(D);
  const b0 = beta.map((v) => (Number.isNaN(v) ? 0 : v));
  const V = vcov.map((v) => (Number.isNaN(v) ? 0 : v));
  for (let i = 0; i < m; i++) {
    let max = 0;
    for (let k = 0, q = 0; k < K; k++) {
      if (k === ref) { eta[k] = 0; continue; }
      let s = 0;
      for (let j = 0; j < p; j++) s += X[i * p + j]! * b0[q * p + j]!;
      eta[k] = s; link[i * K1 + q] = s;
      let vv = 0;
      for (let j = 0; j < p; j++) for (let h = 0; h < p; h++) vv += X[i * p + j]! * V[(q * p + j) * D + q * p + h]! * X[i * p + h]!;
      seLink[i * K1 + q] = Math.sqrt(vv);
      if (s > max) max = s;
      q++;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(eta[k]! - max);
    let best = 0;
    for (let k = 0; k < K; k++) {
      probabilities[i * K + k] = Math.exp(eta[k]! - max) / sum;
      if (probabilities[i * K + k]! > probabilities[i * K + best]!) best = k;
    }
    classes[i] = best;
    for (let k = 0; k < K; k++) {
      const pk = probabilities[i * K + k]!;
      for (let l = 0, q = 0; l < K; l++) {
        if (l === ref) continue;
        const c = pk * ((k === l ? 1 : 0) - probabilities[i * K + l]!);
        for (let j = 0; j < p; j++) g[q * p + j] = c * X[i * p + j]!;
        q++;
      }
      let vv = 0;
      for (let a = 0; a < D; a++) {
        if (g[a] === 0) continue;
        let s = 0;
        for (let b = 0; b < D; b++) s += V[a * D + b]! * g[b]!;
        vv += g[a]! * s;
      }
      seProbabilities[i * K + k] = Math.sqrt(Math.max(0, vv));
    }
  }
  return { probabilities, seProbabilities, link, seLink, classes };
}

/**
 * Randomized quantile residuals (Dunn & Smyth 1996) of an ML fit, as statmod's
 * `qresid`: rᵢ = Φ⁻¹(uᵢ) where uᵢ = F(yᵢ; μ̂ᵢ, φ̂) for a continuous family and
 * uᵢ ~ U(F(yᵢ⁻; μ̂ᵢ), F(yᵢ; μ̂ᵢ)) for a discrete one (the uniform from a seeded
 * MT19937 stream). Under the fitted model they are exactly N(0, 1), whatever the family.
 *
 *   binomial  yᵢ mᵢ successes of mᵢ trials: F(k) = pbinom(k, m, μ) = I_{1−μ}(m − k, k + 1)
 *   poisson   F(k) = ppois(k, μ) = Q(k + 1, μ) (upper regularized incomplete gamma)
 *   negbin    F(k) = pnbinom(k, size θ, prob θ/(θ+μ)) = I_{θ/(θ+μ)}(θ, k + 1)
 *   gaussian  r = (y − μ)√w / √φ̂ (statmod's qres.gauss; φ̂ the Pearson statistic at μ̂ over the residual df)
 *   Gamma     F = pgamma(w y /(μ φ̂), shape w/φ̂) (statmod's qres.gamma), r = Φ⁻¹(F) via log F
 *
 * Reference: [1] Dunn, P. K. & Smyth, G. K. (1996). Randomized quantile residuals.
 * Journal of Computational and Graphical Statistics 5, 236–244.
 */
import betainc from "@stdlib/math-base-special-betainc";
import gammainc from "@stdlib/math-base-special-gammainc";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import type { MlFit } from "../fit/ml-fit.js";
import { ArgumentError, DataError } from "../errors.js";
import { uniformStream } from "../util/rng.js";

/** Tolerance for a count y·m to be taken as a whole number. */
const COUNT_TOL = 1e-7;

/** pbinom(k, m, p) for whole k, m. */
export function pbinom(k: number, m: number, p: number): number {
  if (k < 0) return 0;
  if (k >= m) return 1;
  return betainc(1 - p, m - k, k + 1, true, false); // P(X ≤ k) = I_{1−p}(m − k, k + 1)
}

/** ppois(k, λ) for whole k. */
export function ppois(k: number, lambda: number): number {
  if (k < 0) return 0;
  return gammainc(lambda, k + 1, true, true); // P(X ≤ k) = Q(k + 1, λ)
}

/** pnbinom(k, size θ, mu μ) for whole k. */
export function pnbinom(k: number, theta: number, mu: number): number {
  if (k < 0) return 0;
  return betainc(theta / (theta + mu), theta, k + 1, true, false); // P(X ≤ k) = I_p(θ, k + 1), p = θ/(θ+μ)
}

/** The CDF bounds [F(y⁻), F(y)] of each row of a discrete fit (equal for a continuous family), and whether the family is discrete. */
export interface QuantileBounds {
  lower: Float64Array;
  upper: Float64Array;
  discrete: boolean;
}

function wholeCount(x: number, row: number, what: string): number {
  const k = Math.round(x);
  if (!(Math.abs(x - k) <= COUNT_TOL * Math.max(1, Math.abs(x)))) throw new DataError(`quantile residuals need whole ${what}; row ${row + 1} has ${x}`, { row: row + 1 });
  return k;
}

function thetaOf(fit: MlFit): number {
  const th = fit.problem.family.parameters?.theta;
  if (typeof th !== "number" || !(th > 0)) throw new ArgumentError("quantile residuals of a negative binomial fit need its θ");
  return th;
}

/**
 * φ̂ = Σ wᵢ(yᵢ − μ̂ᵢ)²/V(μ̂ᵢ) / df_residual at the final μ̂, as statmod computes it (R's
 * summary.glm uses the working weights of the last IRLS iteration, which differ in the ~6th digit).
 */
function pearsonDispersion(fit: MlFit): number {
  const { y, weights, n, family } = fit.problem;
  const mu = fit.irls.mu;
  let s = 0;
  for (let i = 0; i < n; i++) if (weights[i]! > 0) s += (weights[i]! * (y[i]! - mu[i]!) ** 2) / family.variance(mu[i]!);
  if (!(fit.dfResidual > 0)) throw new ArgumentError("quantile residuals of a gaussian or Gamma fit need a residual degree of freedom to estimate φ");
  return s / fit.dfResidual;
}

/**
 * The CDF bounds of every row with positive weight (rows of weight 0 get NaN, as R drops them).
 * @example quantileBounds(poissonFit).lower[0] // ppois(y₁ − 1, μ̂₁)
 */
export function quantileBounds(fit: MlFit): QuantileBounds {
  const { y, weights, trials, n, family } = fit.problem;
  const mu = fit.irls.mu;
  const lower = new Float64Array(n).fill(Number.NaN);
  const upper = new Float64Array(n).fill(Number.NaN);
  const name = family.name;
  const negbin = name.startsWith("Negative Binomial");
  const discrete = name === "binomial" || name === "poisson" || negbin;
  const theta = negbin ? thetaOf(fit) : 0;
  if (!discrete && name !== "gaussian" && name !== "Gamma")
    throw new ArgumentError(`quantile residuals are defined for the binomial, poisson, negative binomial, gaussian and Gamma families, not ${name}`);
  const phi = discrete ? 1 : pearsonDispersion(fit);
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (!(w > 0)) continue;
    const m = mu[i]!;
    if (name === "binomial") {
      const size = wholeCount(trials ? trials[i]! : w, i, "numbers of trials");
      const k = wholeCount(y[i]! * size, i, "numbers of successes");
      lower[i] = pbinom(k - 1, size, m);
      upper[i] = pbinom(k, size, m);
    } else if (name === "poisson") {
      const k = wholeCount(y[i]!, i, "counts");
      lower[i] = ppois(k - 1, m);
      upper[i] = ppois(k, m);
    } else if (negbin) {
      const k = wholeCount(y[i]!, i, "counts");
      lower[i] = pnbinom(k - 1, theta, m);
      upper[i] = pnbinom(k, theta, m);
    } else if (name === "gaussian") {
      const z = ((y[i]! - m) * Math.sqrt(w)) / Math.sqrt(phi); // statmod qres.gauss
      lower[i] = upper[i] = z; // stored as the residual itself; see quantileResiduals
    } else {
      const shape = w / phi;
      const F = gammainc((w * y[i]!) / (m * phi), shape, true, false); // pgamma(w y/(μ φ), shape w/φ)
      lower[i] = upper[i] = F;
    }
  }
  return { lower, upper, discrete };
}

/** Options of {@link quantileResiduals}. */
export interface QuantileResidualOptions {
  /** Seed of the uniform stream (discrete families); default 1. */
  seed?: number;
}

/**
 * Randomized quantile residuals of every row (NaN for rows of weight 0). One uniform is
 * drawn per row with positive weight, in row order, for discrete families only.
 * @example quantileResiduals(fit, { seed: 1 }) // ≈ N(0, 1) under the fitted model
 */
export function quantileResiduals(fit: MlFit, options: QuantileResidualOptions = {}): Float64Array {
  const { lower, upper, discrete } = quantileBounds(fit);
  const n = lower.length;
  const r = new Float64Array(n).fill(Number.NaN);
  const gaussian = fit.problem.family.name === "gaussian";
  const unif = discrete ? uniformStream(options.seed ?? 1) : null;
  for (let i = 0; i < n; i++) {
    const a = lower[i]!;
    if (Number.isNaN(a)) continue;
    if (gaussian) r[i] = a;
    else if (unif) r[i] = normalQuantile(a + (upper[i]! - a) * unif(), 0, 1); // u ~ U(F(y⁻), F(y))
    else r[i] = normalQuantile(a, 0, 1);
  }
  return r;
}

/**
 * The Laplace approximation at the MAP: θ | y ≈ N(θ̂, Σ), Σ = (−∇² log p(θ̂ | y))⁻¹,
 * on the unconstrained scale θ = (β, log a) that src/fit/map.ts fits (the Hessian of
 * the objective it maximised: with its default `jacobian: false`, the penalised
 * log-likelihood, as rstanarm's `optimizing` draws from).
 *
 * From it:
 * - coefficient intervals θ̂ⱼ ± z·√Σⱼⱼ, z = Φ⁻¹((1 + level)/2); the auxiliary
 *   parameter's interval is exp of its log-scale interval;
 * - transformed quantities ψ = exp(βⱼ) (odds ratios, rate ratios): "quantile"
 *   (default) = exp of the bounds, the exact quantiles of the log-normal the
 *   approximation implies; "delta" = e^β̂ ± z·e^β̂·SE, the delta method;
 * - predictions η = xᵀβ + offset with se = √(xᵀΣ_ββx): on the link scale
 *   η̂ ± z·se; on the response scale "transform" = g⁻¹ of the link bounds (exact
 *   quantiles of μ under the approximation, the link being monotone), "delta" =
 *   μ̂ ± z·|dμ/dη|·se, or "draws" = empirical quantiles of g⁻¹(η) over draws;
 * - draws θ = θ̂ + Rᵀε, ε ~ N(0, I), RᵀR = Σ (Cholesky), from a seeded MT19937.
 *
 * Reference: [1] Tierney & Kadane (1986), Accurate approximations for posterior
 * moments and marginal densities, JASA 81, 82–86; [2] Gelman et al. (2013), Bayesian
 * Data Analysis, 3rd ed., §4.1 and §13.3.
 */
import type { MapFit } from "../fit/map.js";
import { choleskyInPlace } from "../linalg/cholesky.js";
import { linearPredictorInto, rowQuadraticFormsInto } from "../linalg/kernels.js";
import { ArgumentError, NumericalError } from "../errors.js";
import { quantileSorted } from "../util/quantile.js";
import { standardNormalStream } from "../util/rng.js";
import { checkLevel, twoSidedCutoff } from "./level.js";
import type { IntervalRow, IntervalSet } from "./types.js";

/** The Gaussian approximation at the mode, on θ = (β, log a). */
export interface LaplaceApproximation {
  /** Names of θ: the coefficients, then `log(<aux>)` when there is an aux parameter. */
  names: string[];
  /** Number of coefficients p (θ has p or p + 1 entries). */
  p: number;
  dim: number;
  /** The mode θ̂. */
  mean: Float64Array;
  /** Σ = (−H)⁻¹, dim×dim row-major. */
  covariance: Float64Array;
  /** Upper-triangular R with RᵀR = Σ (row-major). */
  factor: Float64Array;
  /** Name of the aux parameter (sigma, shape, theta, lambda) or null. */
  auxName: string | null;
}

/**
 * The Laplace approximation of a MAP fit. Throws a NumericalError when the Hessian is
 * not negative definite at the mode (the MAP fit then reports NaN covariances).
 */
export function laplaceApproximation(fit: MapFit): LaplaceApproximation {
  const dim = fit.theta.length;
  const p = fit.problem.p;
  const covariance = Float64Array.from(fit.covariance);
  for (let k = 0; k < covariance.length; k++)
    if (!Number.isFinite(covariance[k]!))
      throw new NumericalError("the MAP fit has no covariance (its Hessian is not negative definite): no Laplace approximation");
  const factor = Float64Array.from(covariance);
  if (!choleskyInPlace(factor, dim, 0).ok) throw new NumericalError("the Laplace covariance is not positive definite");
  const auxName = fit.aux ? fit.aux.name : null;
  const names = [...fit.problem.columnNames, ...(auxName ? [`log(${auxName})`] : [])];
  return { names, p, dim, mean: Float64Array.from(fit.theta), covariance, factor, auxName };
}

/** A seeded standard-normal stream (MT19937; seed an integer in [1, 2³² − 1]), from src/util/rng.ts. */
export { standardNormalStream };

/**
 * `count` draws from the approximation, count×dim row-major on θ = (β, log a):
 * θ = θ̂ + Rᵀε. With `constrained: true` the aux column is exponentiated (a = e^u).
 * @example laplaceDraws(approx, 4000, { seed: 1 }) // Float64Array of 4000·dim numbers
 */
export function laplaceDraws(approx: LaplaceApproximation, count: number, options: { seed?: number; constrained?: boolean } = {}): Float64Array {
  if (!Number.isInteger(count) || count < 1) throw new ArgumentError(`count must be a positive integer, got ${count}`);
  const { dim, mean, factor: R } = approx;
  const next = standardNormalStream(options.seed ?? 1);
  const out = new Float64Array(count * dim);
  const eps = new Float64Array(dim);
  for (let s = 0; s < count; s++) {
    for (let k = 0; k < dim; k++) eps[k] = next();
    const row = s * dim;
    for (let k = 0; k < dim; k++) {
      // (Rᵀε)_k = Σ_{m ≤ k} R[m, k] ε_m
      let v = mean[k]!;
      for (let m = 0; m <= k; m++) v += R[m * dim + k]! * eps[m]!;
      out[row + k] = v;
    }
    if (options.constrained && dim > approx.p) out[row + dim - 1] = Math.exp(out[row + dim - 1]!);
  }
  return out;
}

export interface LaplaceIntervalOptions {
  /** Confidence level, default 0.95. */
  level?: number;
  /** Report exp(β) (odds or rate ratios) instead of β. Default false. */
  exponentiate?: boolean;
  /** With `exponentiate`: "quantile" (exp of the bounds, default) or "delta" (e^β̂ ± z e^β̂ SE). */
  method?: "quantile" | "delta";
}

/**
 * Laplace intervals of the coefficients (θ̂ⱼ ± z·√Σⱼⱼ, or their exponentials) and of
 * the aux parameter (exp of the log-scale interval, estimate a = e^û).
 * @example laplaceIntervals(mapFit, { level: 0.9 }).rows[0] // { name: "(Intercept)", estimate, lower, upper }
 */
export function laplaceIntervals(fit: MapFit, options: LaplaceIntervalOptions = {}): IntervalSet {
  const level = checkLevel(options.level ?? 0.95);
  const method = options.method ?? "quantile";
  if (method !== "quantile" && method !== "delta") throw new ArgumentError(`method must be "quantile" or "delta", got ${String(method)}`);
  const approx = laplaceApproximation(fit);
  const cutoff = twoSidedCutoff(level, null);
  const z = cutoff.value;
  const { p, dim, mean, covariance } = approx;
  const rows: IntervalRow[] = [];
  for (let j = 0; j < p; j++) {
    const b = mean[j]!;
    const se = Math.sqrt(covariance[j * dim + j]!);
    const name = approx.names[j]!;
    if (!options.exponentiate) rows.push({ name, estimate: b, lower: b - z * se, upper: b + z * se });
    else if (method === "quantile") rows.push({ name, estimate: Math.exp(b), lower: Math.exp(b - z * se), upper: Math.exp(b + z * se) });
    else {
      const e = Math.exp(b);
      rows.push({ name, estimate: e, lower: e - z * e * se, upper: e + z * e * se });
    }
  }
  if (dim > p) {
    const u = mean[p]!;
    const se = Math.sqrt(covariance[p * dim + p]!);
    rows.push({ name: approx.auxName!, estimate: Math.exp(u), lower: Math.exp(u - z * se), upper: Math.exp(u + z * se) });
  }
  const warnings = fit.converged ? [] : ["the MAP fit did not converge: the Laplace approximation is centred at its last iterate"];
  return { method: "laplace", level, rows, cutoff, warnings };
}

/** New rows for prediction: X (n×p row-major) and an optional offset. */
export interface PredictionRows {
  X: Float64Array;
  n: number;
  offset?: Float64Array | null;
}

export interface LaplacePredictionOptions {
  level?: number;
  /** "link" (η) or "response" (μ = g⁻¹(η)); default "response". */
  type?: "link" | "response";
  /** Response scale: "transform" (g⁻¹ of the link bounds, default), "delta", or "draws". */
  method?: "transform" | "delta" | "draws";
  /** Number of draws for method "draws" (default 4000). */
  draws?: number;
  seed?: number;
}

export interface LaplacePredictions {
  /** η̂ or μ̂ = g⁻¹(η̂) at the mode. */
  fit: Float64Array;
  /** se of η (link) or |dμ/dη|·se (response, delta method). */
  se: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  level: number;
  type: "link" | "response";
  method: "transform" | "delta" | "draws";
}

/**
 * Pointwise intervals for the linear predictor or the mean at new rows under the
 * Laplace approximation (see the module comment for the three response-scale methods).
 * Defaults to the fitted rows when `rows` is omitted.
 */
export function laplacePredictions(fit: MapFit, rows: PredictionRows | null = null, options: LaplacePredictionOptions = {}): LaplacePredictions {
  const level = checkLevel(options.level ?? 0.95);
  const type = options.type ?? "response";
  const method = options.method ?? "transform";
  if (type !== "link" && type !== "response") throw new ArgumentError(`type must be "link" or "response", got ${String(type)}`);
  if (method !== "transform" && method !== "delta" && method !== "draws")
    throw new ArgumentError(`method must be "transform", "delta" or "draws", got ${String(method)}`);
  const approx = laplaceApproximation(fit);
  const { p, dim, mean, covariance } = approx;
  const problem = fit.problem;
  const X = rows ? rows.X : problem.X;
  const n = rows ? rows.n : problem.n;
  const offset = rows ? (rows.offset ?? null) : problem.offset;
  if (X.length !== n * p) throw new ArgumentError(`rows.X has ${X.length} entries, expected n·p = ${n}·${p}`);
  if (offset && offset.length !== n) throw new ArgumentError(`rows.offset has length ${offset.length}, expected ${n}`);
  const z = twoSidedCutoff(level, null).value;
  const link = problem.family.link;
  const eta = new Float64Array(n);
  linearPredictorInto(X, n, p, mean, offset, eta);
  const se = new Float64Array(n);
  rowQuadraticFormsInto(X, n, p, covariance, se, dim);
  for (let i = 0; i < n; i++) se[i] = Math.sqrt(Math.max(se[i]!, 0));
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  if (type === "link") {
    for (let i = 0; i < n; i++) {
      lower[i] = eta[i]! - z * se[i]!;
      upper[i] = eta[i]! + z * se[i]!;
    }
    return { fit: eta, se, lower, upper, level, type, method: "transform" };
  }
  const mu = Float64Array.from(eta, (e) => link.linkinv(e));
  const seMu = Float64Array.from(eta, (e, i) => Math.abs(link.muEta(e)) * se[i]!);
  if (method === "delta") {
    for (let i = 0; i < n; i++) {
      lower[i] = mu[i]! - z * seMu[i]!;
      upper[i] = mu[i]! + z * seMu[i]!;
    }
  } else if (method === "transform") {
    for (let i = 0; i < n; i++) {
      const a = link.linkinv(eta[i]! - z * se[i]!);
      const b = link.linkinv(eta[i]! + z * se[i]!);
      lower[i] = Math.min(a, b);
      upper[i] = Math.max(a, b);
    }
  } else {
    const count = options.draws ?? 4000;
    const draws = laplaceDraws(approx, count, { seed: options.seed });
    const vals = new Float64Array(count);
    const alpha = (1 - level) / 2;
    for (let i = 0; i < n; i++) {
      const r = i * p;
      for (let s = 0; s < count; s++) {
        let e = offset ? offset[i]! : 0;
        for (let j = 0; j < p; j++) e += X[r + j]! * draws[s * dim + j]!;
        vals[s] = link.linkinv(e);
      }
      vals.sort();
      lower[i] = quantileSorted(vals, alpha);
      upper[i] = quantileSorted(vals, 1 - alpha);
    }
  }
  return { fit: mu, se: seMu, lower, upper, level, type, method };
}

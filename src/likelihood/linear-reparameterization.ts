/**
 * The linear change of variables NUTS samples a GLM posterior in: θ = m + L z, where
 * θ = (β, log a) is the user's unconstrained parameter (or β alone when the aux is
 * held) and z the sampler's. The priors and the likelihood are still evaluated at θ
 * (the target of `affineTarget`), so draws mapped back are exactly draws of θ and
 * lp__ is the log density at θ (the Jacobian |det L| is a constant and is dropped).
 *
 * The kinds, best conditioned first:
 * - "laplace": whitening by the Laplace approximation at the mode of the sampled
 *   density (the MAP with the log-Jacobian of a = eᵘ, `fitMap(…, { jacobian: true })`):
 *   m = θ̂, L = Rᵀ with RᵀR = Σ = (−∇² log p(θ̂))⁻¹, so z ≈ N(0, I). With the aux held
 *   fixed, Σ is the inverse of the β block of −∇² at (β̂, log a_fixed).
 * - "qr": rstanarm's `QR = TRUE` [1]: the non-intercept columns centred, X_c = Q*R* with
 *   R* = R/√(n − 1), and β_c = R*⁻¹ z (R from the Cholesky factor of X_cᵀX_c, i.e. QR's R
 *   with a positive diagonal); the intercept is that of the centred predictors.
 * - "center": rstanarm's default: only the intercept is moved to that of the centred
 *   predictors, β₀ = α − x̄ᵀβ_{−0}.
 * - "none": L = I, m = 0: today's sampler, bit for bit.
 * A kind that cannot be built falls back to the next one (laplace → qr → center →
 * none), with the reason recorded in the choice.
 *
 * References: [1] Stan User's Guide, "The QR reparameterization"; rstanarm's
 * `stan_glm(QR = TRUE)`; [2] Stan Reference Manual, "Change of variables".
 */
import { ArgumentError } from "../errors.js";
import { choleskyInPlace } from "../linalg/cholesky.js";
import type { GlmProblem } from "../fit/ml-fit.js";
import { fitMap } from "../fit/map.js";
import type { GlmTarget } from "./posterior-target.js";

/** How NUTS reparameterizes a GLM posterior (see the module comment). */
export type Reparameterization = "laplace" | "qr" | "center" | "none";

/** The kinds, in fallback order. */
export const REPARAMETERIZATIONS: readonly Reparameterization[] = ["laplace", "qr", "center", "none"];

/** The map that was built, and why it is not the one asked for (when it is not). */
export interface ReparameterizationChoice {
  requested: Reparameterization;
  used: Reparameterization;
  /** Why `used` differs from `requested` (null when they agree). */
  reason: string | null;
  dim: number;
  /** θ = shift + factor · z (factor dim×dim, row-major). */
  shift: Float64Array;
  factor: Float64Array;
}

function identity(dim: number): Float64Array {
  const L = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) L[i * dim + i] = 1;
  return L;
}

/** Index of the intercept column (all ones) or −1. */
function interceptColumn(problem: GlmProblem): number {
  if (!problem.hasIntercept) return -1;
  const j = problem.columnNames.indexOf("(Intercept)");
  if (j < 0) return -1;
  for (let i = 0; i < problem.n; i++) if (problem.X[i * problem.p + j] !== 1) return -1;
  return j;
}

/** Column means of X (unweighted, as rstanarm's centring). */
function columnMeans(problem: GlmProblem): Float64Array {
  const { X, n, p } = problem;
  const m = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) m[j] += X[i * p + j]!;
  for (let j = 0; j < p; j++) m[j] /= n;
  return m;
}

/** Centring: β₀ = α − Σ_{j≠0} x̄ⱼ βⱼ (row 0 of L), identity elsewhere. */
function centerMap(problem: GlmProblem, dim: number): { factor: Float64Array } | string {
  const j0 = interceptColumn(problem);
  if (j0 < 0) return "the model has no intercept column, so there is nothing to centre";
  const xbar = columnMeans(problem);
  const L = identity(dim);
  for (let j = 0; j < problem.p; j++) if (j !== j0) L[j0 * dim + j] = -xbar[j]!;
  return { factor: L };
}

/**
 * QR: the centred non-intercept columns X_c (or X itself without an intercept) with
 * X_cᵀX_c = RᵀR; βₛ = √(n − 1) R⁻¹ zₛ on those columns, β₀ = z₀ − x̄ᵀβₛ.
 */
function qrMap(problem: GlmProblem, dim: number): { factor: Float64Array } | string {
  const { X, n, p } = problem;
  const j0 = interceptColumn(problem);
  const cols = Array.from({ length: p }, (_, j) => j).filter((j) => j !== j0);
  const k = cols.length;
  if (k === 0) return "the model has no predictor besides the intercept";
  if (n < 2) return "QR needs at least two observations";
  const xbar = j0 >= 0 ? columnMeans(problem) : new Float64Array(p);
  const G = new Float64Array(k * k);
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < k; a++) row[a] = X[i * p + cols[a]!]! - xbar[cols[a]!]!;
    for (let a = 0; a < k; a++) {
      const ra = row[a]!;
      for (let b = a; b < k; b++) G[a * k + b] += ra * row[b]!;
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) G[a * k + b] = G[b * k + a]!;
  if (!choleskyInPlace(G, k, 1e-10).ok) return "the (centred) predictors are collinear, so they have no QR factor of full rank";
  // Rinv = R⁻¹ (upper triangular), by back substitution on the unit vectors.
  const Rinv = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    for (let i = c; i >= 0; i--) {
      let s = i === c ? 1 : 0;
      for (let m = i + 1; m <= c; m++) s -= G[i * k + m]! * Rinv[m * k + c]!;
      Rinv[i * k + c] = s / G[i * k + i]!;
    }
  }
  const scale = Math.sqrt(n - 1);
  const L = identity(dim);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) L[cols[a]! * dim + cols[b]!] = scale * Rinv[a * k + b]!;
  if (j0 >= 0) {
    // β₀ = z₀ − x̄ᵀ βₛ = z₀ − Σ_a x̄_a Σ_b L[a][b] z_b.
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += xbar[cols[a]!]! * L[cols[a]! * dim + cols[b]!]!;
      L[j0 * dim + cols[b]!] = -s;
    }
  }
  return { factor: L };
}

/** Whitening by the Laplace covariance at the mode of the sampled density. */
function laplaceMap(target: GlmTarget): { shift: Float64Array; factor: Float64Array } | string {
  const lp = target.logPosterior;
  const problem = lp.problem;
  const dim = target.dim;
  let theta: Float64Array;
  try {
    const fit = fitMap(problem, lp.priors, { jacobian: true });
    if (!fit.converged) return `the MAP did not converge (${fit.warnings.join("; ") || "no warnings"})`;
    theta = Float64Array.from(fit.theta);
  } catch (err) {
    return `no MAP: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (!theta.every(Number.isFinite)) return "the MAP is not finite";
  const position = target.fixedAux === null ? theta : theta.slice(0, problem.p);
  const full = target.fullTheta(position);
  let H: Float64Array;
  try {
    H = lp.hessian(full);
  } catch (err) {
    return `no Hessian at the MAP: ${err instanceof Error ? err.message : String(err)}`;
  }
  // −H restricted to the sampled coordinates (all of θ, or β when the aux is held).
  const P = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) P[i * dim + j] = -H[i * lp.dim + j]!;
  if (!P.every(Number.isFinite) || !choleskyInPlace(P, dim, 1e-12).ok) return "the Hessian at the MAP is not negative definite";
  // −H = RᵀR ⇒ Σ = R⁻¹R⁻ᵀ; L = R⁻¹ (upper triangular) gives Cov(m + Lz) = Σ for z ~ N(0, I).
  const L = new Float64Array(dim * dim);
  for (let c = 0; c < dim; c++) {
    for (let i = c; i >= 0; i--) {
      let s = i === c ? 1 : 0;
      for (let m = i + 1; m <= c; m++) s -= P[i * dim + m]! * L[m * dim + c]!;
      L[i * dim + c] = s / P[i * dim + i]!;
    }
  }
  if (!L.every(Number.isFinite)) return "the Laplace covariance is not finite";
  return { shift: position, factor: L };
}

/**
 * Builds the change of variables `requested` for `target` (falling back in the order
 * laplace → qr → center → none when a kind cannot be built; the reasons are joined).
 * @example chooseReparameterization(glmPosteriorTarget(problem, priors), "qr").factor // dim×dim
 */
export function chooseReparameterization(target: GlmTarget, requested: Reparameterization): ReparameterizationChoice {
  if (!REPARAMETERIZATIONS.includes(requested)) {
    throw new ArgumentError(`reparameterize must be one of ${REPARAMETERIZATIONS.map((k) => `"${k}"`).join(", ")}, got ${String(requested)}`);
  }
  const dim = target.dim;
  const problem = target.logPosterior.problem;
  const reasons: string[] = [];
  for (const kind of REPARAMETERIZATIONS.slice(REPARAMETERIZATIONS.indexOf(requested))) {
    const built: { shift?: Float64Array; factor: Float64Array } | string =
      kind === "laplace" ? laplaceMap(target) : kind === "qr" ? qrMap(problem, dim) : kind === "center" ? centerMap(problem, dim) : { factor: identity(dim) };
    if (typeof built === "string") {
      reasons.push(`${kind}: ${built}`);
      continue;
    }
    const shift = built.shift ?? new Float64Array(dim);
    return { requested, used: kind, reason: reasons.length > 0 ? reasons.join("; ") : null, dim, shift, factor: built.factor };
  }
  throw new ArgumentError("unreachable: the identity map always exists");
}

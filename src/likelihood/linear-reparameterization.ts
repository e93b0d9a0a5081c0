/**
 * The linear change of variables NUTS samples a GLM posterior in: θ = m + L z, where
 * θ = (β, log a) is the user's unconstrained parameter (or β alone when the aux is
 * held) and z the sampler's. The priors and the likelihood are still evaluated at θ
 * (the target of `affineTarget`), so draws mapped back are exactly draws of θ and
 * lp__ is the log density at θ (the Jacobian |det L| is a constant and is dropped).
 *
 * The kinds, best conditioned first:
 * - "laplace": whitening by the Laplace approximation at the mode of the sampled
 *   density (the MAP with the log-Jacobian of a = eᵘ; with the aux held fixed, the
 *   conditional mode of β): m = θ̂ and L = R⁻¹ with RᵀR = −∇² log p(θ̂), so that
 *   Cov(m + Lz) = (−∇²)⁻¹ = Σ for z ~ N(0, I), i.e. z ≈ N(0, I). The mode is found by
 *   Newton from β = 0, else by `fitMap` (src/fit/map.ts) with its robust starts.
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
import { ArgumentError, NumericalError } from "../errors.js";
import { choleskyInPlace, choleskySolveInPlace } from "../linalg/cholesky.js";
import type { GlmProblem } from "../fit/ml-fit.js";
import { checkModeExists, fitMap } from "../fit/map.js";
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

/** −H restricted to the sampled coordinates at a sampler position, or null when not finite. */
function negativeHessian(target: GlmTarget, position: Float64Array): Float64Array | null {
  const lp = target.logPosterior;
  const dim = target.dim;
  const H = lp.hessian(target.fullTheta(position));
  const P = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) P[i * dim + j] = -H[i * lp.dim + j]!;
  return P.every(Number.isFinite) ? P : null;
}

const NEWTON_MAXIT = 50;
/** Convergence: max_j |g_j|·√((−H)⁻¹)_jj below this (the gradient in posterior-sd units). */
const NEWTON_TOL = 1e-8;

/**
 * Newton's method with Armijo backtracking on the sampled density itself (Jacobian of
 * a = eᵘ included; the conditional mode of β when the aux is held) from β = 0 and the
 * aux's moment start. Cheap (no ML fit, no separation LP), but it gives up (null) on
 * anything unusual: a non-finite value, an indefinite Hessian, no convergence.
 */
function newtonMode(target: GlmTarget): Float64Array | null {
  const dim = target.dim;
  const lp = target.logPosterior;
  const p = lp.problem.p;
  const x = new Float64Array(dim);
  if (dim > p) x[p] = lp.startAux(new Float64Array(p));
  const g = new Float64Array(dim);
  const trial = new Float64Array(dim);
  const gTrial = new Float64Array(dim);
  let f = target.logDensityGrad(x, g);
  if (!Number.isFinite(f)) return null;
  for (let it = 0; it < NEWTON_MAXIT; it++) {
    const P = negativeHessian(target, x);
    if (P === null || !choleskyInPlace(P, dim, 1e-12).ok) return null;
    const d = Float64Array.from(g);
    choleskySolveInPlace(P, dim, d);
    // Scaled gradient: |g_j|·√(Σ_jj) with Σ = (RᵀR)⁻¹; Σ_jj from R⁻ᵀe_j.
    let scaled = 0;
    for (let j = 0; j < dim; j++) {
      const e = new Float64Array(dim);
      e[j] = 1;
      choleskySolveInPlace(P, dim, e);
      scaled = Math.max(scaled, Math.abs(g[j]!) * Math.sqrt(e[j]!));
    }
    if (scaled < NEWTON_TOL) return x;
    let slope = 0;
    for (let j = 0; j < dim; j++) slope += g[j]! * d[j]!;
    let t = 1;
    let accepted = false;
    for (let h = 0; h < 40; h++, t *= 0.5) {
      for (let j = 0; j < dim; j++) trial[j] = x[j]! + t * d[j]!;
      const fNew = target.logDensityGrad(trial, gTrial);
      if (Number.isFinite(fNew) && fNew >= f + 1e-4 * t * slope) {
        x.set(trial);
        g.set(gTrial);
        f = fNew;
        accepted = true;
        break;
      }
    }
    if (!accepted) return null;
  }
  return null;
}

/**
 * The mode of the sampled density: after `checkModeExists` (NoModeError for improper
 * priors on coefficients whose ML estimates are infinite), Newton from β = 0
 * (`newtonMode`), else `fitMap`'s robust starts (with the Jacobian, so the same density).
 * Throws NoModeError, or NumericalError when no mode is found.
 */
function samplerMode(target: GlmTarget): Float64Array {
  const lp = target.logPosterior;
  // Improper priors on coefficients with infinite ML estimates: no mode (Newton would
  // stop far out on the flat ridge, where the gradient is tiny). Only runs with improper priors.
  checkModeExists(lp.problem, lp.priors);
  const fast = newtonMode(target);
  if (fast !== null) return fast;
  const fit = fitMap(lp.problem, lp.priors, { jacobian: true });
  if (!fit.converged) throw new NumericalError(`the MAP did not converge (${fit.warnings.join("; ") || "no warnings"})`);
  return target.fixedAux === null ? Float64Array.from(fit.theta) : fit.theta.slice(0, lp.problem.p);
}

/** Whitening by the Laplace covariance at the mode of the sampled density. */
function laplaceMap(target: GlmTarget): { shift: Float64Array; factor: Float64Array } | string {
  const dim = target.dim;
  let position: Float64Array;
  try {
    position = samplerMode(target);
  } catch (err) {
    return `no MAP: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (!position.every(Number.isFinite)) return "the MAP is not finite";
  let P: Float64Array | null;
  try {
    P = negativeHessian(target, position);
  } catch (err) {
    return `no Hessian at the MAP: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (P === null || !choleskyInPlace(P, dim, 1e-12).ok) return "the Hessian at the MAP is not negative definite";
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

/**
 * One view of any fitted GLM the property helpers accept: the ML fit from
 * `glm(...).fit()` (GlmFit), the raw `fitMl` record (MlFit), the Firth fit
 * (`fitBiasReduced`, BiasReducedFit), or any record with a problem and
 * coefficients (the MAP fit and others: `{ problem, coef, covariance?, converged? }`).
 */
import { ArgumentError } from "../src/errors.js";
import type { GlmProblem } from "../src/fit/ml-fit.js";

/** What the helpers read off a fit. */
export interface FitView {
  problem: GlmProblem;
  /** Estimates in column order (NaN where aliased). */
  coef: Float64Array;
  /** 1 where the column is aliased. */
  aliased: Uint8Array;
  /** Covariance of the estimates (p×p row-major), when the fit has one. */
  covariance: Float64Array | null;
  /** Standard errors √diag(covariance), when available. */
  se: Float64Array | null;
  /** Whether the fitter reported convergence (null when it does not say). */
  converged: boolean | null;
  /** Dispersion φ the fit uses (1 when fixed). */
  dispersion: number;
  /** "mle", "AS_mean", "MPL_Jeffreys", "map", … */
  method: string;
}

/** Structural shapes accepted as fits. */
export interface GenericFit {
  problem: GlmProblem;
  coef: Float64Array | ArrayLike<number>;
  /** Covariance of (β, …): its leading p×p block is taken (a MAP fit's covariance also covers log a). */
  covariance?: Float64Array | ArrayLike<number> | null;
  aliased?: Uint8Array | ArrayLike<number> | null;
  converged?: boolean;
  dispersion?: number;
  method?: string;
  type?: string;
}

/** A GlmFit (from models/fit-result.ts) as seen structurally. */
interface GlmFitLike {
  ml: MlFitLike;
  vcov(): Float64Array;
  method?: string;
}

interface MlFitLike {
  problem: GlmProblem;
  coef: Float64Array;
  covUnscaled: Float64Array;
  dispersion: number;
  irls: { aliased: Uint8Array; converged: boolean };
}

/** Anything the helpers accept as a fit. */
export type FitLike = GlmFitLike | MlFitLike | GenericFit;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null;
}

function seOf(cov: Float64Array | null, p: number): Float64Array | null {
  if (cov === null || cov.length !== p * p) return null;
  return Float64Array.from({ length: p }, (_, j) => Math.sqrt(cov[j * p + j]!));
}

/** The leading p×p block of a d×d row-major matrix (d ≥ p: the coefficients before any auxiliary parameter), or null. */
function leadingBlock(A: ArrayLike<number>, p: number): Float64Array | null {
  const d = Math.round(Math.sqrt(A.length));
  if (d * d !== A.length || d < p) return null;
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) out[i * p + j] = A[i * d + j]!;
  return out;
}

/** Normalises any accepted fit into a {@link FitView}; throws an ArgumentError naming `what` otherwise. */
export function viewOf(fit: FitLike, what = "fit"): FitView {
  if (!isObject(fit)) throw new ArgumentError(`${what} must be a fitted model (GlmFit, MlFit, BiasReducedFit or { problem, coef }), got ${String(fit)}`);
  if (isObject(fit.ml) && typeof (fit as GlmFitLike).vcov === "function") {
    const g = fit as GlmFitLike;
    const ml = g.ml;
    const cov = ml.covUnscaled.length === ml.problem.p * ml.problem.p ? g.vcov() : null;
    return {
      problem: ml.problem, coef: ml.coef, aliased: ml.irls.aliased, covariance: cov, se: seOf(cov, ml.problem.p),
      converged: ml.irls.converged, dispersion: ml.dispersion, method: g.method ?? "mle",
    };
  }
  if (isObject(fit.irls) && fit.covUnscaled instanceof Float64Array) {
    const ml = fit as MlFitLike;
    const p = ml.problem.p;
    const cov = ml.covUnscaled.length === p * p ? ml.covUnscaled.map((v) => v * ml.dispersion) : null;
    return { problem: ml.problem, coef: ml.coef, aliased: ml.irls.aliased, covariance: cov, se: seOf(cov, p), converged: ml.irls.converged, dispersion: ml.dispersion, method: "mle" };
  }
  if (isObject(fit.problem) && fit.coef !== undefined) {
    const g = fit as GenericFit;
    const p = g.problem.p;
    if (g.coef.length !== p) throw new ArgumentError(`${what}.coef has length ${g.coef.length}, but the problem has ${p} columns`);
    const coef = Float64Array.from(g.coef);
    const aliased = g.aliased ? Uint8Array.from(g.aliased) : Uint8Array.from(coef, (b) => (Number.isNaN(b) ? 1 : 0));
    const cov = g.covariance ? leadingBlock(g.covariance, p) : null;
    return {
      problem: g.problem, coef, aliased, covariance: cov, se: seOf(cov, p),
      converged: typeof g.converged === "boolean" ? g.converged : null,
      dispersion: typeof g.dispersion === "number" ? g.dispersion : 1,
      method: g.method ?? g.type ?? "fit",
    };
  }
  throw new ArgumentError(`${what} must be a fitted model (GlmFit, MlFit, BiasReducedFit or { problem, coef }); it has neither .ml, .irls nor .problem with .coef`);
}

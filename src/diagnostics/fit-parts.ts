/**
 * The pieces of an ML fit that the after-the-fit diagnostics share: the
 * non-aliased ("kept") columns and their unscaled covariance (XᵀWX)⁻¹, the rows R
 * reports (non-zero prior weight), and a Neumaier-compensated sum (R accumulates
 * `sum`/`mean` in long double; compensation keeps our sums as close).
 */
import type { MlFit } from "../fit/ml-fit.js";
import { ArgumentError } from "../errors.js";

/** The non-aliased columns of a fit and (XᵀWX)⁻¹ restricted to them. */
export interface KeptColumns {
  /** Original (0-based) indices of the non-aliased columns, in order (R keeps their order). */
  kept: Int32Array;
  /** Their names (R: names(coef(fit))[!is.na(coef(fit))]). */
  names: string[];
  /** k×k row-major unscaled covariance of the kept columns (R: summary(fit)$cov.unscaled). */
  C: Float64Array;
}

/** sandwich's estimating functions of a glm and what its meat needs. */
export interface EstimatingFunctions {
  names: string[];
  /** n × k row-major ψᵢ = wresᵢxᵢ/d over all n rows. */
  values: Float64Array;
  /** The non-aliased columns of X (n × k row-major). */
  X: Float64Array;
  n: number;
  k: number;
  /** uᵢ = wresᵢ/d (sandwich's rowMeans(ef/X), 0 where every |ψᵢⱼ| < ε). */
  res: Float64Array;
  /** Working weights Wᵢ. */
  W: Float64Array;
  /** d of estfun.glm. */
  dispersion: number;
}

/** Throws unless `fit` looks like an MlFit (problem, irls, covUnscaled). */
export function checkFit(fit: MlFit, what = "fit"): void {
  if (fit === null || typeof fit !== "object" || !fit.problem || !fit.irls || !(fit.covUnscaled instanceof Float64Array)) {
    throw new ArgumentError(`${what} must be a maximum-likelihood fit (an MlFit with problem, irls and covUnscaled)`);
  }
}

/** Kept columns and their unscaled covariance. */
export function keptColumns(fit: MlFit): KeptColumns {
  checkFit(fit);
  const p = fit.problem.p;
  const aliased = fit.irls.aliased;
  const idx: number[] = [];
  for (let j = 0; j < p; j++) if (!aliased[j]) idx.push(j);
  const k = idx.length;
  const C = new Float64Array(k * k);
  if (k > 0 && fit.covUnscaled.length !== p * p) throw new ArgumentError(`fit.covUnscaled has length ${fit.covUnscaled.length}, expected ${p * p}`);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) C[a * k + b] = fit.covUnscaled[idx[a]! * p + idx[b]!]!;
  return { kept: Int32Array.from(idx), names: idx.map((j) => fit.problem.columnNames[j]!), C };
}

/** 0-based indices of the rows with non-zero prior weight (the cases R's influence measures report). */
export function reportedRows(fit: MlFit): Int32Array {
  const w = fit.problem.weights;
  const rows: number[] = [];
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) rows.push(i);
  return Int32Array.from(rows);
}

/** Row i of X restricted to the kept columns, written into `out` (length k). */
export function keptRow(fit: MlFit, kept: Int32Array, i: number, out: Float64Array): Float64Array {
  const { X, p } = fit.problem;
  const base = i * p;
  for (let a = 0; a < kept.length; a++) out[a] = X[base + kept[a]!]!;
  return out;
}

/** Σ xᵢ with Neumaier's compensation. */
export function compensatedSum(x: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

/** Quadratic form xᵀCx for a k-vector and a symmetric k×k row-major C. */
export function quadraticForm(x: Float64Array, C: Float64Array, k: number): number {
  let s = 0;
  for (let a = 0; a < k; a++) {
    const xa = x[a]!;
    if (xa === 0) continue;
    let t = 0;
    for (let b = 0; b < k; b++) t += C[a * k + b]! * x[b]!;
    s += xa * t;
  }
  return s;
}

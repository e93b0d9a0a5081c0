/**
 * Heteroskedasticity-consistent (sandwich) covariances of a GLM ML fit, exactly as
 * the R package sandwich (3.0.2) computes them for glm objects: `vcovHC` (HC0–HC3)
 * and `vcovCL` (one-way clustering).
 *
 * sandwich's pieces for a glm, over the n rows of the model matrix X (aliased
 * columns dropped, rank k; zero-weight rows included, as in R):
 *   working residuals rᵢ and weights Wᵢ of the last IRLS step, wresᵢ = rᵢWᵢ,
 *   d = 1 for binomial, poisson and negative binomial, else Σ wres²/Σ W   (estfun.glm)
 *   estfun  ψᵢ = wresᵢ xᵢ / d
 *   bread   B = (XᵀWX)⁻¹ · m · d, m = rank + df.residual (the positive-weight cases) (bread.glm)
 *   meat    M = Σ ωᵢ xᵢxᵢᵀ / n, ωᵢ from uᵢ = wresᵢ/d:
 *           HC0 uᵢ², HC1 uᵢ² n/(n − k), HC2 uᵢ²/(1 − hᵢ), HC3 uᵢ²/(1 − hᵢ)²     (meatHC)
 *   V = B M B / n                                                               (sandwich)
 * d cancels in V; it matters only for the scale of B and M separately. With zero prior
 * weights sandwich keeps those rows in n while B counts m: its HC0 is then (m/n)² times
 * the positive-weight one, and this module reproduces that. (For HC2/HC3 sandwich recycles
 * hatvalues(), which drops those rows, against n rows; here their hᵢ is taken as 0,
 * which leaves ωᵢ = 0 as for the other types.)
 *
 * vcovCL (meatCL): with G clusters, the cluster sums ψ_g = Σ_{i∈g} ψᵢ,
 *   M = adj · Σ_g ψ_g ψ_gᵀ / n, adj = G/(G − 1) when cadjust (default) else 1,
 *   times (n − 1)/(n − k) for HC1. HC2/HC3 first replace ψᵢ for the rows of cluster g by
 *   [(I − H_gg)^{-1/2} u_g]ᵢ xᵢ or [(I − H_gg)⁻¹ u_g]ᵢ xᵢ with H_gg = X_g (XᵀWX)⁻¹ X_gᵀ W_g
 *   (the row itself when every cluster is one row: ψᵢ/√(1 − hᵢ), ψᵢ/(1 − hᵢ)), scaled by
 *   √((G − 1)/G) (Bell & McCaffrey 2002). sandwich's default type for glm objects is HC0
 *   (HC1 is its default only for lm objects).
 *
 * References: [1] Zeileis (2006), Object-oriented computation of sandwich estimators,
 * Journal of Statistical Software 16(9); [2] Zeileis, Köll & Graham (2020), Various
 * versatile variances, JSS 95(1); [3] White (1980), Econometrica 48, 817–838;
 * [4] MacKinnon & White (1985), J. Econometrics 29, 305–325; [5] Bell & McCaffrey (2002),
 * Survey Methodology 28, 169–181.
 */
import type { MlFit } from "../fit/ml-fit.js";
import { workingResiduals } from "../fit/ml-fit.js";
import { ArgumentError } from "../errors.js";
import { compensatedSum, keptColumns, keptRow, reportedRows } from "./fit-parts.js";
import { glmInfluence } from "./influence.js";
import { clusterAdjusted } from "./sandwich-cluster.js";
import type { EstimatingFunctions } from "./fit-parts.js";

export type { EstimatingFunctions } from "./fit-parts.js";

/** Heteroskedasticity-consistent types of vcovHC. */
export type HcType = "HC0" | "HC1" | "HC2" | "HC3";
const HC_TYPES: readonly HcType[] = ["HC0", "HC1", "HC2", "HC3"];

/** A k×k covariance over the non-aliased coefficients. */
export interface CovarianceMatrix {
  names: string[];
  /** k×k row-major. */
  values: Float64Array;
}

/** d = 1 for binomial, poisson and negative binomial (R: substr(family, 1, 17) in those names). */
function fixedDispersion(name: string): boolean {
  const s = name.slice(0, 17);
  return s === "poisson" || s === "binomial" || s === "Negative Binomial";
}

/**
 * sandwich's estfun.glm: ψᵢ = rᵢWᵢxᵢ/d with working residuals rᵢ and weights Wᵢ, over all
 * n rows and the non-aliased columns ([1], §3).
 * @example estimatingFunctions(fit).values // n × k
 */
export function estimatingFunctions(fit: MlFit): EstimatingFunctions {
  const { kept, names } = keptColumns(fit);
  const { n, y, family } = fit.problem;
  const k = kept.length;
  const W = fit.irls.workingWeights;
  const r = workingResiduals(family, y, fit.irls.mu, fit.irls.eta);
  const wres = new Float64Array(n);
  for (let i = 0; i < n; i++) wres[i] = W[i]! === 0 ? 0 : r[i]! * W[i]!;
  const d = fixedDispersion(family.name) ? 1 : compensatedSum(wres.map((v) => v * v)) / compensatedSum(W);
  const X = new Float64Array(n * k);
  const values = new Float64Array(n * k);
  const res = new Float64Array(n);
  const x = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    keptRow(fit, kept, i, x);
    X.set(x, i * k);
    let all0 = true;
    for (let a = 0; a < k; a++) {
      const v = (wres[i]! * x[a]!) / d;
      values[i * k + a] = v;
      if (!(Math.abs(v) < Number.EPSILON)) all0 = false;
    }
    res[i] = all0 ? 0 : wres[i]! / d;
  }
  return { names, values, X, n, k, res, W, dispersion: d };
}

/**
 * sandwich's bread.glm: (XᵀWX)⁻¹ · m · d with m = rank + df.residual.
 * @example bread(fit).values // k×k
 */
export function bread(fit: MlFit, ef: EstimatingFunctions = estimatingFunctions(fit)): CovarianceMatrix {
  const { C, names } = keptColumns(fit);
  const m = fit.irls.rank + fit.dfResidual;
  return { names, values: C.map((v) => v * m * ef.dispersion) };
}

/** Hat values over all n rows (0 for zero-weight rows, which R's hatvalues drops). */
function hatAllRows(fit: MlFit): Float64Array {
  const infl = glmInfluence(fit, { doCoef: false });
  const h = new Float64Array(fit.problem.n);
  const rows = reportedRows(fit);
  for (let c = 0; c < rows.length; c++) h[rows[c]!] = infl.hat[c]!;
  return h;
}

/** crossprod(√ω X)/n. */
function meatFromWeights(ef: EstimatingFunctions, omega: Float64Array): Float64Array {
  const { X, n, k } = ef;
  const M = new Float64Array(k * k);
  for (let i = 0; i < n; i++) {
    const o = omega[i]!;
    if (o === 0) continue;
    for (let a = 0; a < k; a++) {
      const xa = o * X[i * k + a]!;
      for (let b = a; b < k; b++) M[a * k + b] += xa * X[i * k + b]!;
    }
  }
  for (let a = 0; a < k; a++) for (let b = a; b < k; b++) M[b * k + a] = M[a * k + b] = M[a * k + b]! / n;
  return M;
}

/** B M B / n. */
export function sandwichProduct(B: Float64Array, M: Float64Array, k: number, n: number): Float64Array {
  const BM = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += B[a * k + b]! * M[b * k + c]!;
      BM[a * k + c] = s;
    }
  const V = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += BM[a * k + b]! * B[b * k + c]!;
      V[a * k + c] = s / n;
    }
  return V;
}

function checkType(type: string, allowed: readonly string[], what: string): void {
  if (!allowed.includes(type)) throw new ArgumentError(`${what} must be one of ${allowed.join(", ")}; got ${String(type)}`);
}

/**
 * sandwich::vcovHC for a glm: V = B M B/n with the HC meat of the module comment
 * (White 1980 [3] for HC0; MacKinnon & White 1985 [4] for HC1–HC3). The default type is
 * sandwich's, "HC3".
 * @example vcovHC(fit, "HC0").values // k×k, row-major
 */
export function vcovHC(fit: MlFit, type: HcType = "HC3"): CovarianceMatrix {
  checkType(type, HC_TYPES, "type");
  const ef = estimatingFunctions(fit);
  const { n, k, res } = ef;
  const df = n - k;
  const omega = new Float64Array(n);
  const h = type === "HC2" || type === "HC3" ? hatAllRows(fit) : null;
  for (let i = 0; i < n; i++) {
    const u2 = res[i]! * res[i]!;
    if (type === "HC0") omega[i] = u2;
    else if (type === "HC1") omega[i] = (u2 * n) / df;
    else if (type === "HC2") omega[i] = u2 / (1 - h![i]!);
    else omega[i] = u2 / ((1 - h![i]!) * (1 - h![i]!));
  }
  const M = meatFromWeights(ef, omega);
  return { names: ef.names, values: sandwichProduct(bread(fit, ef).values, M, k, n) };
}

/** Options of vcovCL. */
export interface VcovClOptions {
  /** One cluster label per row of the data (n); default: each row its own cluster. */
  cluster?: ArrayLike<number | string>;
  /** Default "HC0" (sandwich's default for glm objects). */
  type?: HcType;
  /** Multiply by G/(G − 1). Default true. */
  cadjust?: boolean;
}

/** 0-based cluster codes in order of first appearance, and the number of clusters G. */
function clusterCodes(cluster: ArrayLike<number | string> | undefined, n: number): { codes: Int32Array; G: number } {
  const codes = new Int32Array(n);
  if (cluster === undefined) {
    for (let i = 0; i < n; i++) codes[i] = i;
    return { codes, G: n };
  }
  if (cluster === null || typeof cluster !== "object" || typeof cluster.length !== "number")
    throw new ArgumentError("cluster must be an array with one label per observation");
  if (cluster.length !== n)
    throw new ArgumentError(`cluster has length ${cluster.length}, but the fit has ${n} observations (sandwich: "number of observations in 'cluster' and 'estfun()' do not match")`);
  const ids = new Map<number | string, number>();
  for (let i = 0; i < n; i++) {
    const v = cluster[i]!;
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v)))
      throw new ArgumentError(`cluster has a missing value at row ${i + 1} (sandwich cannot handle NAs in 'cluster')`);
    let c = ids.get(v);
    if (c === undefined) ids.set(v, (c = ids.size));
    codes[i] = c;
  }
  return { codes, G: ids.size };
}

/**
 * sandwich::vcovCL for a glm with one-way clustering ([2], §2): the cluster sums of the
 * estimating functions (HC2/HC3: of the bias-adjusted ones) give the meat, times G/(G − 1)
 * when `cadjust`, times (n − 1)/(n − k) for HC1. Defaults as sandwich for glm objects:
 * type "HC0", cadjust true, every observation its own cluster.
 * @example vcovCL(fit, { cluster: schoolIds, type: "HC1" }).values
 */
export function vcovCL(fit: MlFit, options: VcovClOptions = {}): CovarianceMatrix {
  const type = options.type ?? "HC0";
  checkType(type, HC_TYPES, "type");
  const ef = estimatingFunctions(fit);
  const { n, k } = ef;
  const { codes, G } = clusterCodes(options.cluster, n);
  const psi = type === "HC2" || type === "HC3" ? clusterAdjusted(fit, ef, codes, G, type, () => hatAllRows(fit)) : ef.values;
  const sums = new Float64Array(G * k);
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) sums[codes[i]! * k + a] += psi[i * k + a]!;
  const adj = (options.cadjust ?? true) ? G / (G - 1) : 1;
  const M = new Float64Array(k * k);
  for (let g = 0; g < G; g++)
    for (let a = 0; a < k; a++) {
      const sa = sums[g * k + a]!;
      for (let b = 0; b < k; b++) M[a * k + b] += sa * sums[g * k + b]!;
    }
  const hc1 = type === "HC1" ? (n - 1) / (n - k) : 1;
  for (let j = 0; j < k * k; j++) M[j] = (M[j]! * adj * hc1) / n;
  return { names: ef.names, values: sandwichProduct(bread(fit, ef).values, M, k, n) };
}

/**
 * Wald intervals: estimate ± c·SE, with c the normal quantile Φ⁻¹((1 + level)/2)
 * or, for estimated-dispersion families, optionally the t quantile on the
 * residual degrees of freedom.
 *
 * R: `confint.default(fit)` always uses the normal quantile; `summary.glm` tests
 * estimated-dispersion coefficients with t on df.residual (and `confint.lm` gives
 * estimate ± t·SE for the gaussian). `quantile: "auto"` (the default) follows
 * summary: t when the dispersion is estimated, z otherwise; `"normal"` reproduces
 * confint.default exactly.
 */
import type { CoefficientRow } from "../fit/inference.js";
import type { MlFit } from "../fit/ml-fit.js";
import type { MapFit } from "../fit/map.js";
import type { BiasReducedFit } from "../fit/firth.js";
import { ArgumentError } from "../errors.js";
import { checkLevel, twoSidedCutoff } from "./level.js";
import type { IntervalMethod, IntervalRow, IntervalSet } from "./types.js";

/** Which quantile multiplies the SE. */
export type WaldQuantile = "auto" | "normal" | "t";

export interface WaldOptions {
  /** Confidence level, default 0.95. */
  level?: number;
  /** "auto" (default): t on df.residual when the dispersion is estimated, else normal; "normal": confint.default; "t": t whenever a df exists. */
  quantile?: WaldQuantile;
}

/**
 * Wald intervals from a coefficient table: estimate ± c·SE with c the normal
 * quantile (df = null) or the t quantile on df. Aliased rows get NaN bounds and
 * `aliased: true`.
 * @example waldFromTable([{ name: "x", estimate: 1, se: 0.5, statistic: 2, p_value: 0.05, aliased: false }], 0.95, null, "wald").rows[0].upper // 1.979981992270027
 */
export function waldFromTable(rows: readonly CoefficientRow[], level: number, df: number | null, method: IntervalMethod): IntervalSet {
  checkLevel(level);
  const cutoff = twoSidedCutoff(level, df);
  const c = cutoff.value;
  const out: IntervalRow[] = rows.map((r) => {
    if (r.aliased || r.estimate === null || r.se === null)
      return { name: r.name, estimate: Number.NaN, lower: Number.NaN, upper: Number.NaN, aliased: true };
    return { name: r.name, estimate: r.estimate, lower: r.estimate - c * r.se, upper: r.estimate + c * r.se };
  });
  const warnings: string[] = [];
  for (const r of out)
    if (!r.aliased && !(Number.isFinite(r.lower) && Number.isFinite(r.upper)))
      warnings.push(`the Wald interval of ${r.name} is not finite (its standard error is ${Number.isNaN(r.lower) ? "undefined" : "infinite"})`);
  return { method, level, rows: out, cutoff, warnings };
}

function dfFor(quantile: WaldQuantile, estimated: boolean, dfResidual: number): number | null {
  if (quantile !== "auto" && quantile !== "normal" && quantile !== "t")
    throw new ArgumentError(`quantile must be "auto", "normal" or "t", got ${String(quantile)}`);
  const useT = quantile === "t" || (quantile === "auto" && estimated);
  if (!useT) return null;
  if (!(dfResidual > 0)) throw new ArgumentError(`a t quantile needs df.residual > 0; this fit has ${dfResidual}`);
  return dfResidual;
}

/**
 * Wald intervals of a maximum-likelihood fit: β̂ ± c·√(φ̂ (XᵀWX)⁻¹)ⱼⱼ.
 * @example waldIntervals(fit, { level: 0.95, quantile: "normal" }) // = confint.default(fit)
 */
export function waldIntervals(fit: MlFit, options: WaldOptions = {}): IntervalSet {
  const level = checkLevel(options.level ?? 0.95);
  const df = dfFor(options.quantile ?? "auto", fit.dispersionEstimated, fit.dfResidual);
  const set = waldFromTable(fit.coefficients, level, df, "wald");
  if (!fit.irls.converged) set.warnings.push("the fit did not converge: its Wald intervals are not reliable");
  return set;
}

/**
 * Wald intervals of a bias-reduced (Firth) fit: β̃ ± c·SE with brglm2's SEs
 * (z for every family, as summary.brglmFit; `quantile: "t"` uses df.residual).
 */
export function firthWaldIntervals(fit: BiasReducedFit, options: WaldOptions = {}): IntervalSet {
  const level = checkLevel(options.level ?? 0.95);
  const q = options.quantile ?? "auto";
  const df = q === "t" ? dfFor("t", true, fit.dfResidual) : dfFor(q === "auto" ? "normal" : q, false, fit.dfResidual);
  const set = waldFromTable(fit.coefficients, level, df, "firth-wald");
  if (!fit.converged) set.warnings.push("the bias-reduced fit did not converge");
  return set;
}

/**
 * Wald intervals at the MAP: θ̂ ± z·√((−H)⁻¹)ⱼⱼ for the coefficients (normal quantile
 * always: there is no residual-df correction for a posterior mode). For the coefficients
 * this is the Laplace interval; see laplace.ts for the aux parameter and transformations.
 */
export function mapWaldIntervals(fit: MapFit, options: Omit<WaldOptions, "quantile"> = {}): IntervalSet {
  const level = checkLevel(options.level ?? 0.95);
  const set = waldFromTable(fit.coefficients, level, null, "map-wald");
  if (!fit.converged) set.warnings.push("the MAP fit did not converge");
  return set;
}

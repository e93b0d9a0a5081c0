/**
 * Checking a confidence level and turning it into a two-sided cutoff.
 */
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { ArgumentError } from "../errors.js";
import type { Cutoff } from "./types.js";

/** Throws an ArgumentError naming `name` unless 0 < level < 1. */
export function checkLevel(level: number, name = "level"): number {
  if (typeof level !== "number" || !(level > 0 && level < 1))
    throw new ArgumentError(`${name} must be a number strictly between 0 and 1, got ${String(level)}`);
  return level;
}

/**
 * Two-sided cutoff: z = Φ⁻¹((1 + level)/2), or the t quantile on `df` degrees of
 * freedom when df is a number (df must be > 0).
 * @example twoSidedCutoff(0.95, null).value // 1.959963984540054
 */
export function twoSidedCutoff(level: number, df: number | null): Cutoff {
  checkLevel(level);
  const prob = (1 + level) / 2;
  if (df === null) return { distribution: "normal", df: null, value: normalQuantile(prob, 0, 1) };
  if (!(df > 0)) throw new ArgumentError(`a t cutoff needs positive residual degrees of freedom, got ${df}`);
  return { distribution: "t", df, value: tQuantile(prob, df) };
}

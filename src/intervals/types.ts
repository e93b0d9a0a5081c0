/**
 * Records shared by the interval modules: one interval per coefficient (or other
 * named quantity) and a set of them computed by one method at one level.
 * Unbounded ends are ±Infinity, never a number from a failed search.
 */

/** Interval methods glmkit computes (the CLI's `--intervals` names are the first four). */
export type IntervalMethod =
  | "wald"
  | "profile"
  | "laplace"
  | "posterior"
  | "posterior-hdi"
  | "firth-wald"
  | "firth-profile"
  | "map-wald";

/** One interval. */
export interface IntervalRow {
  name: string;
  /** The point estimate the method is centred on (ML, MAP, Firth estimate, posterior median). */
  estimate: number;
  /** Lower bound; −Infinity when it does not exist (e.g. separation). NaN only when `aliased`. */
  lower: number;
  /** Upper bound; +Infinity when it does not exist. NaN only when `aliased`. */
  upper: number;
  /** True for an aliased (linearly dependent) coefficient, which has no interval (R: NA). */
  aliased?: boolean;
}

/** The cutoff a method compares its statistic with. */
export interface Cutoff {
  /** "normal": z = Φ⁻¹((1+level)/2); "t": the t quantile on `df` degrees of freedom; "quantile": posterior quantiles; "hdi": highest-density. */
  distribution: "normal" | "t" | "quantile" | "hdi";
  /** Degrees of freedom of the t cutoff, else null. */
  df: number | null;
  /** The cutoff value (NaN for the posterior kinds). */
  value: number;
}

/** Intervals of one method at one level. */
export interface IntervalSet {
  method: IntervalMethod;
  level: number;
  rows: IntervalRow[];
  cutoff: Cutoff;
  /** Plain-language notes (unbounded ends, edges of the parameter space, non-convergence). */
  warnings: string[];
}

/**
 * Posterior intervals from draws: equal-tailed (the (1 − level)/2 and
 * (1 + level)/2 quantiles, R's type-7 quantile as rstanarm's posterior_interval
 * and posterior::quantile2 use) and highest-density (the shortest interval that
 * contains ⌊level·n⌋ + 1 of the n sorted draws, as ArviZ's `hdi` for unimodal
 * posteriors). Pure functions over arrays of draws.
 *
 * References: [1] Hyndman & Fan (1996), Sample quantiles in statistical packages,
 * Am. Statist. 50, 361–365 (type 7); [2] Chen & Shao (1999), Monte Carlo estimation
 * of Bayesian credible and HPD intervals, J. Comput. Graph. Statist. 8, 69–92;
 * ArviZ `arviz.hdi` (the same shortest-window estimator).
 */
import { ArgumentError, DataError } from "../errors.js";
import { quantileSorted } from "../util/quantile.js";
import { checkLevel } from "./level.js";
import type { IntervalRow, IntervalSet } from "./types.js";

export { quantileSorted };

function sortedCopy(draws: ArrayLike<number>, what: string): Float64Array {
  if (draws.length === 0) throw new ArgumentError(`${what}: no draws`);
  const s = Float64Array.from(draws);
  for (let k = 0; k < s.length; k++)
    if (!Number.isFinite(s[k]!)) throw new DataError(`${what}: draw ${k + 1} is ${s[k]}; intervals need finite draws`, { row: k + 1 });
  s.sort();
  return s;
}

/**
 * Equal-tailed interval [q_{(1−level)/2}, q_{(1+level)/2}] (type-7 quantiles).
 * @example equalTailedInterval([1, 2, 3, 4, 5], 0.5) // [2, 4]
 */
export function equalTailedInterval(draws: ArrayLike<number>, level: number): [number, number] {
  checkLevel(level);
  const s = sortedCopy(draws, "equalTailedInterval");
  const a = (1 - level) / 2;
  return [quantileSorted(s, a), quantileSorted(s, 1 - a)];
}

/**
 * Highest-density interval: with the draws sorted and k = ⌊level·n⌋, the window
 * [x_i, x_{i+k}] of least width (the first on ties), as ArviZ's hdi.
 * @example highestDensityInterval([0, 1, 1.1, 1.2, 5], 0.5) // [1, 1.2]
 */
export function highestDensityInterval(draws: ArrayLike<number>, level: number): [number, number] {
  checkLevel(level);
  const s = sortedCopy(draws, "highestDensityInterval");
  const n = s.length;
  const k = Math.floor(level * n);
  if (k >= n) return [s[0]!, s[n - 1]!];
  let best = 0;
  let width = Infinity;
  for (let i = 0; i + k < n; i++) {
    const w = s[i + k]! - s[i]!;
    if (w < width) {
      width = w;
      best = i;
    }
  }
  return [s[best]!, s[best + k]!];
}

/** Draws of several named quantities, draws×names.length row-major (as {@link pooledDraws} makes them). */
export interface NamedDraws {
  names: readonly string[];
  values: Float64Array;
}

/**
 * Per-chain draws of named quantities, one draws×names.length row-major array per
 * chain, with the warnings of the run that made them (a GlmPosterior is one).
 */
export interface ChainDraws {
  names: readonly string[];
  draws: readonly Float64Array[];
  warnings: readonly string[];
}

/**
 * The chains' draws stacked in chain order: `draws` × `dim` row-major.
 * @example pooledDraws({ names: ["a"], draws: [Float64Array.of(1, 2), Float64Array.of(3)] }).values // Float64Array [1, 2, 3]
 */
export function pooledDraws(chains: Pick<ChainDraws, "names" | "draws">): { draws: number; dim: number; values: Float64Array } {
  const dim = chains.names.length;
  const total = chains.draws.reduce((s, d) => s + d.length, 0);
  const values = new Float64Array(total);
  let at = 0;
  for (const d of chains.draws) {
    values.set(d, at);
    at += d.length;
  }
  return { draws: total / dim, dim, values };
}

/**
 * Posterior intervals of every named quantity, centred (for display) on the
 * posterior median: "equal-tailed" (method "posterior") or "hdi" ("posterior-hdi").
 */
export function posteriorIntervals(draws: NamedDraws, options: { level?: number; kind?: "equal-tailed" | "hdi" } = {}): IntervalSet {
  const level = checkLevel(options.level ?? 0.95);
  const kind = options.kind ?? "equal-tailed";
  if (kind !== "equal-tailed" && kind !== "hdi") throw new ArgumentError(`kind must be "equal-tailed" or "hdi", got ${String(kind)}`);
  const dim = draws.names.length;
  if (dim === 0 || draws.values.length % dim !== 0)
    throw new ArgumentError(`draws.values has ${draws.values.length} numbers, not a multiple of ${dim} names`);
  const count = draws.values.length / dim;
  const col = new Float64Array(count);
  const rows: IntervalRow[] = draws.names.map((name, k) => {
    for (let s = 0; s < count; s++) col[s] = draws.values[s * dim + k]!;
    const [lower, upper] = kind === "hdi" ? highestDensityInterval(col, level) : equalTailedInterval(col, level);
    col.sort();
    return { name, estimate: quantileSorted(col, 0.5), lower, upper };
  });
  return {
    method: kind === "hdi" ? "posterior-hdi" : "posterior",
    level,
    rows,
    cutoff: { distribution: kind === "hdi" ? "hdi" : "quantile", df: null, value: Number.NaN },
    warnings: [],
  };
}

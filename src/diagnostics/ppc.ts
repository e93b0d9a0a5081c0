/**
 * Posterior predictive checks over a matrix of replicated data y_rep (draws × n,
 * row-major: values[s·n + i], the shape posteriorPredict returns): test statistics
 * T(y_rep,ₛ) against T(y) with posterior predictive p-values, and rstanarm's mean_PPD.
 *
 *   p = (1/S) Σₛ 1[T(y_rep,ₛ) ≥ T(y)]         (ties count as at least as extreme; Gelman,
 *                                               Meng & Stern 1996; BDA3 §6.3)
 *   p_mid = (1/S) Σₛ (1[T(y_rep,ₛ) > T(y)] + ½ 1[T(y_rep,ₛ) = T(y)])   (the mid-p value, for
 *                                               discrete statistics such as max or the share of zeros)
 * Built-in statistics: mean, sd (n − 1 denominator, as R's sd), propZero (share of exact
 * zeros), max; any function of a Float64Array may be added.
 *
 * mean_PPD: rstanarm's generated quantity, the mean over observations of one predictive
 * draw, (1/n) Σᵢ y_rep,ₛᵢ, averaged over draws; prior weights play no part. For the binomial
 * rstanarm draws counts, binomial_rng(trialsᵢ, πᵢ) (rstanarm src/stan_files/binomial.stan),
 * so its mean_PPD is on the count scale: posteriorPredict's binomial draws are proportions,
 * so pass `trials` to multiply each column by its trials first. For 0/1 data (Bernoulli)
 * the two scales agree.
 *
 * References: [1] Gelman, Meng & Stern (1996), Posterior predictive assessment of model
 * fitness via realized discrepancies, Statistica Sinica 6, 733–807; [2] Gelman et al. (2013),
 * Bayesian Data Analysis, 3rd ed., §6.3; [3] rstanarm (Goodrich, Gabry, Ali & Brilleman),
 * mean_PPD in the generated quantities of its Stan programs.
 */
import { ArgumentError, DataError } from "../errors.js";

/** A draws × n matrix, row-major (models/posterior-predict.ts's DrawMatrix). */
export interface ReplicatedData {
  draws: number;
  n: number;
  values: Float64Array;
}

/** A named statistic, built in or a function of one data vector. */
export type PpcStatistic = "mean" | "sd" | "propZero" | "max" | { name: string; fn: (y: Float64Array) => number };

/** Result of one statistic. */
export interface PpcCheck {
  name: string;
  /** T(y). */
  observed: number;
  /** T(y_rep,ₛ) for every draw. */
  replicated: Float64Array;
  /** P(T(y_rep) ≥ T(y)). */
  pValue: number;
  /** P(T(y_rep) > T(y)) + ½ P(T(y_rep) = T(y)). */
  pValueMid: number;
}

function checkReplicated(yRep: ReplicatedData): void {
  if (yRep === null || typeof yRep !== "object" || !(yRep.values instanceof Float64Array))
    throw new ArgumentError("yRep must be { draws, n, values: Float64Array } (draws × n, row-major)");
  const { draws, n, values } = yRep;
  if (!Number.isInteger(draws) || draws < 1 || !Number.isInteger(n) || n < 1)
    throw new ArgumentError(`yRep.draws and yRep.n must be positive integers, got ${draws} and ${n}`);
  if (values.length !== draws * n) throw new ArgumentError(`yRep.values has length ${values.length}, expected draws × n = ${draws} × ${n}`);
  for (let j = 0; j < values.length; j++) {
    if (Number.isNaN(values[j]!)) throw new DataError(`yRep has NaN at draw ${Math.floor(j / n) + 1}, observation ${(j % n) + 1}`, { row: Math.floor(j / n) + 1 });
  }
}

/**
 * Σ x[start..start+n) with Neumaier's compensation: exact for integer data, so that data sets
 * with the same values in another order (0/1 replicates with the same count) give the same
 * statistic and ties with T(y) are seen, as R's long-double sums see them.
 */
function sumAt(x: Float64Array, start: number, n: number, f: (v: number) => number = (v) => v): number {
  let s = 0;
  let c = 0;
  for (let i = start; i < start + n; i++) {
    const v = f(x[i]!);
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

function meanAt(x: Float64Array, start: number, n: number): number {
  return sumAt(x, start, n) / n;
}

function sdAt(x: Float64Array, start: number, n: number): number {
  if (n < 2) return Number.NaN;
  const m = meanAt(x, start, n);
  return Math.sqrt(sumAt(x, start, n, (v) => (v - m) * (v - m)) / (n - 1));
}

function propZeroAt(x: Float64Array, start: number, n: number): number {
  let z = 0;
  for (let i = start; i < start + n; i++) if (x[i] === 0) z++;
  return z / n;
}

function maxAt(x: Float64Array, start: number, n: number): number {
  let m = -Infinity;
  for (let i = start; i < start + n; i++) if (x[i]! > m) m = x[i]!;
  return m;
}

const BUILT_IN = { mean: meanAt, sd: sdAt, propZero: propZeroAt, max: maxAt } as const;

/** The statistic as a function over a slice of a row-major matrix. */
function statisticOf(stat: PpcStatistic): { name: string; at: (x: Float64Array, start: number, n: number) => number } {
  if (typeof stat === "string") {
    const at = BUILT_IN[stat as keyof typeof BUILT_IN];
    if (!at) throw new ArgumentError(`unknown statistic "${stat}"; use mean, sd, propZero, max or { name, fn }`);
    return { name: stat, at };
  }
  if (stat === null || typeof stat !== "object" || typeof stat.fn !== "function" || typeof stat.name !== "string")
    throw new ArgumentError("a custom statistic must be { name: string, fn: (y: Float64Array) => number }");
  return { name: stat.name, at: (x, start, n) => stat.fn(x.subarray(start, start + n)) };
}

/**
 * Posterior predictive checks of the statistics `stats` (default mean, sd, propZero, max):
 * T(y), T(y_rep,ₛ) per draw and the p-values of the module comment ([1], [2]).
 * @example ppcCheck(posteriorPredict(post, { seed: 1 }), post.problem.y)[0].pValue
 */
export function ppcCheck(yRep: ReplicatedData, y: ArrayLike<number>, stats: readonly PpcStatistic[] = ["mean", "sd", "propZero", "max"]): PpcCheck[] {
  checkReplicated(yRep);
  const { draws: S, n, values } = yRep;
  if (y === null || y === undefined || y.length !== n) throw new ArgumentError(`y has length ${y?.length}, but yRep has n = ${n} observations`);
  const yObs = Float64Array.from(y);
  for (let i = 0; i < n; i++) if (Number.isNaN(yObs[i]!)) throw new DataError(`y is NaN in row ${i + 1}`, { column: "y", row: i + 1 });
  return stats.map((st) => {
    const { name, at } = statisticOf(st);
    const observed = at(yObs, 0, n);
    const replicated = new Float64Array(S);
    let ge = 0;
    let eq = 0;
    for (let s = 0; s < S; s++) {
      const t = at(values, s * n, n);
      replicated[s] = t;
      if (t >= observed) ge++;
      if (t === observed) eq++;
    }
    return { name, observed, replicated, pValue: ge / S, pValueMid: (ge - eq + eq / 2) / S };
  });
}

/**
 * rstanarm's mean_PPD: per draw the mean over observations of y_rep (times `trials`, for
 * rstanarm's binomial count scale), and its posterior mean ([3]; see the module comment).
 * @example meanPPD(yRep, { trials: budworm.total }).mean
 */
export function meanPPD(yRep: ReplicatedData, options: { trials?: ArrayLike<number> | null } = {}): { draws: Float64Array; mean: number } {
  checkReplicated(yRep);
  const { draws: S, n, values } = yRep;
  const trials = options.trials ?? null;
  if (trials !== null && trials.length !== n) throw new ArgumentError(`trials has length ${trials.length}, but yRep has n = ${n} observations`);
  const perDraw = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += trials === null ? values[s * n + i]! : values[s * n + i]! * trials[i]!;
    perDraw[s] = sum / n;
  }
  return { draws: perDraw, mean: meanAt(perDraw, 0, S) };
}

/**
 * Calibration of predicted probabilities for binomial data (0/1 responses, or
 * proportions yᵢ of wᵢ trials): the Brier score, the logistic recalibration
 * intercept and slope, a binned reliability table and the Hosmer–Lemeshow test.
 *
 *   Brier  Σ wᵢ[yᵢ(1 − pᵢ)² + (1 − yᵢ)pᵢ²] / Σ wᵢ, the mean squared error over the
 *          individual Bernoulli trials (= mean((y − p)²) for 0/1 data) [1]
 *   calibration intercept  α in logit P(y = 1) = α + logit(p)  (R: glm(y ~ offset(qlogis(p)), binomial))
 *   calibration slope      β in logit P(y = 1) = a + β logit(p) (R: glm(y ~ qlogis(p), binomial)) [2]
 *   both fitted by glmkit's IRLS (R's glm.fit path) with the prior weights w.
 *   Hosmer–Lemeshow  the trials are cut at the distinct type-7 quantiles of p at
 *          0, 1/g, …, 1 (right-closed bins, the lowest including its left end), and
 *          X² = Σ_bins Σ_{outcome 0,1} (O − E)²/E on G − 2 degrees of freedom, G the number of
 *          occupied bins, as ResourceSelection::hoslem.test (0.3-6) computes it [3].
 *          Aggregated data are taken as their wᵢ trials (wᵢ and wᵢyᵢ must be whole numbers).
 *          The p-value is the upper tail computed directly (R's 1 − pchisq agrees to ~1e-16 absolute).
 *   reliability table  the same bins: trials, mean p, observed proportion.
 *
 * References: [1] Brier (1950), Monthly Weather Review 78, 1–3; [2] Cox (1958),
 * Biometrika 45, 562–565; [3] Hosmer & Lemeshow (1980), Communications in Statistics A 9,
 * 1043–1069.
 */
import type { MlFit } from "../fit/ml-fit.js";
import { fitMl } from "../fit/ml-fit.js";
import { makeFamily } from "../families/index.js";
import { ArgumentError, DataError } from "../errors.js";
import { chisqUpper } from "../stats/tails.js";
import { compensatedSum } from "./fit-parts.js";

/** Observed responses (proportions in [0, 1]), predicted probabilities, and optional prior weights (trials). */
export interface CalibrationInput {
  y: ArrayLike<number>;
  p: ArrayLike<number>;
  weights?: ArrayLike<number> | null;
}

interface Checked {
  y: Float64Array;
  p: Float64Array;
  w: Float64Array;
  n: number;
}

function checkInput(input: CalibrationInput, openP: boolean): Checked {
  if (input === null || typeof input !== "object") throw new ArgumentError("calibration input must be { y, p, weights? }");
  const n = input.y?.length;
  if (typeof n !== "number" || n === 0) throw new ArgumentError("y must be a non-empty array");
  if (input.p?.length !== n) throw new ArgumentError(`p has length ${input.p?.length}, but y has ${n}`);
  if (input.weights != null && input.weights.length !== n) throw new ArgumentError(`weights has length ${input.weights.length}, but y has ${n}`);
  const y = Float64Array.from(input.y);
  const p = Float64Array.from(input.p);
  const w = input.weights != null ? Float64Array.from(input.weights) : new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    if (!(y[i]! >= 0 && y[i]! <= 1)) throw new DataError(`y must lie in [0, 1]; row ${i + 1} has ${y[i]}`, { column: "y", row: i + 1 });
    const ok = openP ? p[i]! > 0 && p[i]! < 1 : p[i]! >= 0 && p[i]! <= 1;
    if (!ok) throw new DataError(`p must lie in ${openP ? "(0, 1)" : "[0, 1]"}; row ${i + 1} has ${p[i]}`, { column: "p", row: i + 1 });
    if (!(w[i]! >= 0 && Number.isFinite(w[i]!))) throw new DataError(`weights must be finite and ≥ 0; row ${i + 1} has ${w[i]}`, { column: "weights", row: i + 1 });
  }
  return { y, p, w, n };
}

/**
 * Brier score over the Bernoulli trials: Σ wᵢ[yᵢ(1 − pᵢ)² + (1 − yᵢ)pᵢ²]/Σ wᵢ (Brier 1950).
 * @example brierScore({ y: [0, 1], p: [0.2, 0.6] }) // (0.04 + 0.16)/2 = 0.1
 */
export function brierScore(input: CalibrationInput): number {
  const { y, p, w, n } = checkInput(input, false);
  const terms = new Float64Array(n);
  for (let i = 0; i < n; i++) terms[i] = w[i]! * (y[i]! * (1 - p[i]!) ** 2 + (1 - y[i]!) * p[i]! ** 2);
  return compensatedSum(terms) / compensatedSum(w);
}

/** An estimate with its standard error. */
export interface Estimate {
  estimate: number;
  se: number;
}

function logisticFit(c: Checked, withSlope: boolean): MlFit {
  const { y, p, w, n } = c;
  const lp = p.map((v) => Math.log(v / (1 - v)));
  const X = withSlope ? new Float64Array(2 * n) : new Float64Array(n).fill(1);
  if (withSlope) for (let i = 0; i < n; i++) [X[2 * i], X[2 * i + 1]] = [1, lp[i]!];
  const family = makeFamily("binomial");
  family.checkY(y, w);
  return fitMl({
    X, n, p: withSlope ? 2 : 1, columnNames: withSlope ? ["(Intercept)", "logit(p)"] : ["(Intercept)"], hasIntercept: true,
    y, weights: w, offset: withSlope ? null : lp, trials: null, family,
  });
}

function estimateOf(fit: MlFit, j: number): Estimate {
  const row = fit.coefficients[j]!;
  return { estimate: row.estimate ?? Number.NaN, se: row.se ?? Number.NaN };
}

/**
 * Calibration intercept ("calibration in the large"): α̂ of logit P(y = 1) = α + logit(p),
 * the binomial GLM with logit(p) as offset (Cox 1958; R: glm(y ~ offset(qlogis(p)), binomial, weights = w)).
 * @example calibrationIntercept({ y, p }).estimate // 0 for perfectly calibrated p on average
 */
export function calibrationIntercept(input: CalibrationInput): Estimate {
  return estimateOf(logisticFit(checkInput(input, true), false), 0);
}

/**
 * Calibration slope: β̂ of logit P(y = 1) = a + β logit(p) (Cox 1958; R: glm(y ~ qlogis(p),
 * binomial, weights = w)); β < 1 signals overfitting (predictions too extreme).
 * @example calibrationSlope({ y, p }).slope.estimate
 */
export function calibrationSlope(input: CalibrationInput): { intercept: Estimate; slope: Estimate } {
  const fit = logisticFit(checkInput(input, true), true);
  return { intercept: estimateOf(fit, 0), slope: estimateOf(fit, 1) };
}

/** Trials of each row sorted by p: the expanded 0/1 data in compressed form. */
interface Trials {
  /** Row order by p (stable). */
  order: Int32Array;
  /** Trials and successes per row (whole numbers). */
  m: Float64Array;
  s: Float64Array;
  /** Total number of trials. */
  N: number;
}

function trialsOf(c: Checked): Trials {
  const { y, p, w, n } = c;
  const m = new Float64Array(n);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    m[i] = Math.round(w[i]!);
    s[i] = Math.round(w[i]! * y[i]!);
    if (Math.abs(w[i]! - m[i]!) > 1e-9 * Math.max(1, w[i]!) || Math.abs(w[i]! * y[i]! - s[i]!) > 1e-7 * Math.max(1, w[i]!)) {
      throw new DataError(`Hosmer–Lemeshow bins count trials: weights and weights·y must be whole numbers; row ${i + 1} has ${w[i]} trials and y = ${y[i]}`, { row: i + 1 });
    }
  }
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a]! - p[b]! || a - b);
  return { order, m, s, N: compensatedSum(m) };
}

/** R's quantile(type = 7) of the expanded p at probabilities k/g, k = 0..g (seq(0, 1, 1/g)). */
function trialQuantiles(p: Float64Array, t: Trials, g: number): number[] {
  const { order, m, N } = t;
  const cum: number[] = [];
  let acc = 0;
  for (let r = 0; r < order.length; r++) cum.push((acc += m[order[r]!]!));
  const at = (j: number): number => {
    // the j-th (1-based) smallest expanded value
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! >= j) hi = mid;
      else lo = mid + 1;
    }
    return p[order[lo]!]!;
  };
  const by = 1 / g;
  const out: number[] = [];
  for (let k = 0; k <= g; k++) {
    const prob = Math.max(0, Math.min(1, Math.min(k * by, 1)));
    const index = 1 + Math.max(N - 1, 0) * prob;
    const lo = Math.floor(index);
    const hi = Math.ceil(index);
    let q = at(lo);
    const xh = at(hi);
    if (index > lo && xh !== q) {
      const h = index - lo;
      q = (1 - h) * q + h * xh;
    }
    out.push(q);
  }
  return out;
}

/** Bin (0-based) of x among sorted breaks, right-closed, the first including its left end (R's cut, include.lowest). */
function binOf(x: number, breaks: number[]): number {
  let lo = 0;
  let hi = breaks.length - 1;
  while (hi - lo >= 2) {
    const mid = (hi + lo) >> 1;
    if (x > breaks[mid]!) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Per-bin sums over the trials: trials, successes, Σ m p. */
interface Binned {
  breaks: number[];
  trials: Float64Array;
  successes: Float64Array;
  predicted: Float64Array;
}

function binTrials(input: CalibrationInput, g: number): Binned {
  if (!Number.isInteger(g) || g < 2) throw new ArgumentError(`g must be an integer ≥ 2, got ${g}`);
  const c = checkInput(input, false);
  const t = trialsOf(c);
  if (t.N === 0) throw new DataError("there are no trials (all weights are 0)");
  const breaks = [...new Set(trialQuantiles(c.p, t, g))];
  if (breaks.length < 2) throw new ArgumentError("all predicted probabilities are equal: no bins can be formed (R's cut: invalid number of intervals)");
  const B = breaks.length - 1;
  const trials = new Float64Array(B);
  const successes = new Float64Array(B);
  const predicted = new Float64Array(B);
  for (let i = 0; i < c.n; i++) {
    if (t.m[i] === 0) continue;
    const b = binOf(c.p[i]!, breaks);
    trials[b] += t.m[i]!;
    successes[b] += t.s[i]!;
    predicted[b] += t.m[i]! * c.p[i]!;
  }
  return { breaks, trials, successes, predicted };
}

/** The Hosmer–Lemeshow test. */
export interface HosmerLemeshow {
  statistic: number;
  /** G − 2, G the number of occupied bins. */
  df: number;
  pValue: number;
  /** The distinct quantile breaks (G + 1 when every bin is occupied). */
  breaks: number[];
  /** bins × 2 row-major: counts of outcome 0 and outcome 1 (R's observed table). */
  observed: Float64Array;
  /** bins × 2 row-major: Σ(1 − p) and Σ p (R's expected table). */
  expected: Float64Array;
}

/**
 * Hosmer–Lemeshow goodness-of-fit test with g groups (default 10), exactly as
 * ResourceSelection::hoslem.test(y, p, g) on the trials (see the module comment; [3]).
 * Empty bins give a NaN statistic, as in R.
 * @example hosmerLemeshow({ y: fit.problem.y, p: fit.irls.mu }).pValue
 */
export function hosmerLemeshow(input: CalibrationInput, options: { g?: number } = {}): HosmerLemeshow {
  const { breaks, trials, successes, predicted } = binTrials(input, options.g ?? 10);
  const B = trials.length;
  const observed = new Float64Array(2 * B);
  const expected = new Float64Array(2 * B);
  let stat = 0;
  let G = 0;
  for (let b = 0; b < B; b++) {
    observed[2 * b] = trials[b]! - successes[b]!;
    observed[2 * b + 1] = successes[b]!;
    expected[2 * b] = trials[b]! - predicted[b]!;
    expected[2 * b + 1] = predicted[b]!;
    if (trials[b]! > 0) G++;
    for (let o = 0; o < 2; o++) stat += (observed[2 * b + o]! - expected[2 * b + o]!) ** 2 / expected[2 * b + o]!;
  }
  if (G < 2) throw new ArgumentError("fewer than 2 occupied bins: the Hosmer–Lemeshow df would be negative");
  const df = G - 2;
  const pValue = Number.isNaN(stat) ? Number.NaN : df === 0 ? (stat > 0 ? 0 : 1) : chisqUpper(stat, df);
  return { statistic: stat, df, pValue, breaks, observed, expected };
}

/** One bin of the reliability table. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  /** Number of trials in the bin. */
  count: number;
  /** Mean predicted probability (NaN for an empty bin). */
  meanPredicted: number;
  /** Observed proportion of successes (NaN for an empty bin). */
  observed: number;
}

/**
 * Reliability (calibration) table over g quantile bins of p, the bins of hosmerLemeshow.
 * @example reliabilityTable({ y, p }, { g: 5 }).map((b) => b.observed - b.meanPredicted)
 */
export function reliabilityTable(input: CalibrationInput, options: { g?: number } = {}): ReliabilityBin[] {
  const { breaks, trials, successes, predicted } = binTrials(input, options.g ?? 10);
  return Array.from(trials, (count, b) => ({
    lower: breaks[b]!,
    upper: breaks[b + 1]!,
    count,
    meanPredicted: count > 0 ? predicted[b]! / count : Number.NaN,
    observed: count > 0 ? successes[b]! / count : Number.NaN,
  }));
}

/** Everything this module reports. */
export interface CalibrationReport {
  brier: number;
  intercept: Estimate;
  slope: { intercept: Estimate; slope: Estimate };
  hosmerLemeshow: HosmerLemeshow;
  reliability: ReliabilityBin[];
}

/**
 * Calibration of the fitted probabilities of a binomial or quasibinomial ML fit
 * (y, μ̂ and the prior weights of the fit).
 * @example calibrationOfFit(fit).slope.slope.estimate // 1 for the fitted data of a logit model
 */
export function calibrationOfFit(fit: MlFit, options: { g?: number } = {}): CalibrationReport {
  const name = fit?.problem?.family?.name;
  if (name !== "binomial" && name !== "quasibinomial") throw new ArgumentError(`calibration needs a binomial fit, got the ${String(name)} family`);
  const input = { y: fit.problem.y, p: fit.irls.mu, weights: fit.problem.weights };
  return {
    brier: brierScore(input),
    intercept: calibrationIntercept(input),
    slope: calibrationSlope(input),
    hosmerLemeshow: hosmerLemeshow(input, options),
    reliability: reliabilityTable(input, options),
  };
}

/**
 * Two arbitraries about the response's distribution rather than the design:
 *
 * - `rareEvents`: logistic data with at most 2% events (King & Zeng 2001's rare
 *   events setting). The intercept is logit(π) for a base rate π in [0.2%, 1.5%]
 *   and the slopes are small; y is redrawn (continuing the same seeded stream)
 *   until the number of events is between `minEvents` and ⌊0.02·n⌋, so the data
 *   are a draw from the model conditioned on that event; truth.attempts says how
 *   many draws it took.
 * - `overdispersedCounts`: counts drawn from a negative binomial NB(μ, θ)
 *   (variance μ + μ²/θ) with a log-linear mean, to be fitted as Poisson: the
 *   spec's family is poisson("log"), truth.theta the true θ.
 */
import fc from "fast-check";
import { ArgumentError } from "../src/errors.js";
import { binomial } from "../src/families/binomial.js";
import { poisson } from "../src/families/poisson.js";
import { simulationRng } from "./rng.js";
import { defaultColumnNames, linearPredictor, makeGlmData, type GlmData } from "./data-set.js";
import { checkSeed, intArb, seedArb, unitsArb, type IntRange } from "./arbitrary-helpers.js";
import { simulateDesign } from "./glm-data.js";

/** Largest share of events `rareEvents` produces. */
export const RARE_EVENT_SHARE = 0.02;

/** Ground truth of rare-event data. */
export interface RareEventsTruth {
  /** Base event probability expit(β₀). */
  baseRate: number;
  /** Number of events in y. */
  events: number;
  /** Mean of the true probabilities μᵢ (the expected event share). */
  expectedShare: number;
  /** How many draws of y it took to meet minEvents ≤ events ≤ 0.02·n. */
  attempts: number;
}

export type RareEventsData = GlmData<RareEventsTruth>;

/** Parameters of {@link simulateRareEvents}. */
export interface RareEventsParameters {
  n: number;
  p: number;
  /** Base rate π = expit(β₀), in (0, 0.02]. */
  baseRate: number;
  /** Slopes, length p − 1. */
  slopes: readonly number[];
  minEvents: number;
  seed: number;
}

/** Most redraws before giving up (the conditioning event has probability ≳ 0.5 for the default ranges). */
const MAX_ATTEMPTS = 200;

/** Builds rare-event logistic data from explicit parameters. */
export function simulateRareEvents(q: RareEventsParameters): RareEventsData {
  checkSeed(q.seed);
  const { n, p, baseRate, minEvents } = q;
  if (!Number.isInteger(n) || n < 50) throw new ArgumentError(`n must be an integer ≥ 50 for rare events (2% of n must allow an event), got ${n}`);
  if (!(baseRate > 0 && baseRate <= RARE_EVENT_SHARE)) throw new ArgumentError(`baseRate must be in (0, ${RARE_EVENT_SHARE}], got ${baseRate}`);
  if (q.slopes.length !== p - 1) throw new ArgumentError(`slopes has length ${q.slopes.length}, but p − 1 = ${p - 1}`);
  const maxEvents = Math.floor(RARE_EVENT_SHARE * n);
  if (!Number.isInteger(minEvents) || minEvents < 0 || minEvents > maxEvents)
    throw new ArgumentError(`minEvents must be an integer in 0…${maxEvents} (2% of n = ${n}), got ${minEvents}`);
  const rng = simulationRng(q.seed);
  const X = simulateDesign(rng, n, p, true, "normal");
  const beta = Float64Array.from([Math.log(baseRate / (1 - baseRate)), ...q.slopes]);
  const eta = linearPredictor(X, n, p, beta);
  const family = binomial("logit");
  const mu = eta.map((e) => family.link.linkinv(e));
  const y = new Float64Array(n);
  let events = -1;
  let attempts = 0;
  while (attempts < MAX_ATTEMPTS && (events < minEvents || events > maxEvents)) {
    attempts++;
    events = 0;
    for (let i = 0; i < n; i++) {
      y[i] = rng.binomial(1, mu[i]!);
      events += y[i]!;
    }
  }
  if (events < minEvents || events > maxEvents)
    throw new ArgumentError(`no draw of y had ${minEvents}…${maxEvents} events in ${MAX_ATTEMPTS} attempts (baseRate ${baseRate}, n ${n}): lower the slopes or raise n`);
  let share = 0;
  for (const m of mu) share += m / n;
  return makeGlmData({
    generator: "rareEvents", family, n, p, X, y, weights: null, columnNames: defaultColumnNames(p, true), hasIntercept: true,
    truth: {
      coefficients: beta, eta, mu, dispersion: 1,
      draw: `y ~ Bernoulli(μ) conditioned on ${minEvents} ≤ events ≤ ${maxEvents} (@stdlib/random-base-binomial)`,
      seed: q.seed, baseRate, events, expectedShare: share, attempts,
    },
    summary: `events=${events}`,
  });
}

/** Options of {@link rareEvents}. */
export interface RareEventsOptions {
  /** Rows (default 500…3000). */
  n?: IntRange;
  /** Columns, intercept included (default 1…3). */
  p?: IntRange;
  /** Fewest events (default 1: an all-zero response is separation, not a rare event). */
  minEvents?: number;
}

/**
 * Arbitrary rare-event logistic data (events ≤ 2% of n).
 * @example fc.sample(rareEvents(), 1)[0].truth.events <= 0.02 * 3000 // true
 */
export function rareEvents(options: RareEventsOptions = {}): fc.Arbitrary<RareEventsData> {
  const pRange = options.p ?? { min: 1, max: 3 };
  const pMax = typeof pRange === "number" ? pRange : pRange.max;
  const minEvents = options.minEvents ?? 1;
  return fc
    .record({
      n: intArb("n", options.n ?? { min: 500, max: 3000 }, 50),
      p: intArb("p", pRange, 1),
      // Base rate in tenths of a percent: 0.2% … 1.5%, shrinking to 1%.
      rateTenths: fc.integer({ min: -8, max: 5 }).map((k) => 10 + k),
      slopes: unitsArb(Math.max(0, pMax - 1)),
      seed: seedArb,
    })
    .map(({ n, p, rateTenths, slopes, seed }) =>
      simulateRareEvents({ n, p, baseRate: rateTenths / 1000, slopes: slopes.slice(0, p - 1).map((u) => u / 2), minEvents, seed }),
    );
}

/** Ground truth of overdispersed counts. */
export interface OverdispersedTruth {
  /** True negative binomial θ (variance μ + μ²/θ). */
  theta: number;
}

export type OverdispersedData = GlmData<OverdispersedTruth>;

/** Parameters of {@link simulateOverdispersedCounts}. */
export interface OverdispersedParameters {
  n: number;
  p: number;
  /** True β on the log scale, length p. */
  coefficients: readonly number[];
  theta: number;
  seed: number;
}

/** Builds negative binomial counts, to be fitted as Poisson, from explicit parameters. */
export function simulateOverdispersedCounts(q: OverdispersedParameters): OverdispersedData {
  checkSeed(q.seed);
  const { n, p, theta } = q;
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`n must be a positive integer, got ${n}`);
  if (q.coefficients.length !== p) throw new ArgumentError(`coefficients has length ${q.coefficients.length}, but p = ${p}`);
  if (!(theta > 0) || !Number.isFinite(theta)) throw new ArgumentError(`theta must be a positive number, got ${theta}`);
  const rng = simulationRng(q.seed);
  const X = simulateDesign(rng, n, p, true, "normal");
  const beta = Float64Array.from(q.coefficients);
  const eta = linearPredictor(X, n, p, beta);
  const mu = eta.map(Math.exp);
  const y = mu.map((m) => rng.negativeBinomial(m, theta));
  return makeGlmData({
    generator: "overdispersedCounts", family: poisson("log"), n, p, X, y, weights: null,
    columnNames: defaultColumnNames(p, true), hasIntercept: true,
    truth: {
      coefficients: beta, eta, mu, dispersion: null,
      draw: `y ~ NegativeBinomial(μ, θ = ${theta}) (@stdlib/random-base-negative-binomial); fitted as Poisson`,
      seed: q.seed, theta,
    },
    summary: `θ=${theta}`,
  });
}

/** Options of {@link overdispersedCounts}. */
export interface OverdispersedOptions {
  /** Rows (default 50…300). */
  n?: IntRange;
  /** Columns, intercept included (default 1…3). */
  p?: IntRange;
  /** Values of θ to draw from (default 0.5, 1, 2, 5; shrinks to the first). */
  theta?: readonly number[];
}

/**
 * Arbitrary negative binomial counts for a Poisson fit: log μ = β₀ + …, β₀ ∈ [1, 2.5].
 * @example fc.sample(overdispersedCounts(), 1)[0].spec.family // poisson("log")
 */
export function overdispersedCounts(options: OverdispersedOptions = {}): fc.Arbitrary<OverdispersedData> {
  const thetas = options.theta ?? [0.5, 1, 2, 5];
  if (thetas.length === 0 || thetas.some((t) => !(t > 0) || !Number.isFinite(t))) throw new ArgumentError(`theta must list positive numbers, got ${JSON.stringify(thetas)}`);
  const pRange = options.p ?? { min: 1, max: 3 };
  const pMax = typeof pRange === "number" ? pRange : pRange.max;
  return fc
    .record({
      n: intArb("n", options.n ?? { min: 50, max: 300 }, 1),
      p: intArb("p", pRange, 1),
      thetaIndex: fc.integer({ min: 0, max: thetas.length - 1 }),
      units: unitsArb(pMax),
      seed: seedArb,
    })
    .map(({ n, p, thetaIndex, units, seed }) => {
      const coefficients = units.slice(0, p).map((u, j) => (j === 0 ? 1.75 + 0.75 * u : (0.5 * u) / Math.max(1, p - 1)));
      return simulateOverdispersedCounts({ n, p, coefficients, theta: thetas[thetaIndex]!, seed });
    });
}

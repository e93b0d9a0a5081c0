/**
 * Functions of a sampled GLM posterior, draw by draw: the linear predictor and the
 * mean μ = g⁻¹(Xβ + offset) (`posteriorEpred`), posterior predictive draws of y
 * (`posteriorPredict`), and the pointwise log-likelihood matrix (`logLikMatrix`)
 * for LOO/WAIC.
 *
 * Predictive draws follow R's `simulate.glm` (stats 4.2, family$simulate): the family
 * record's `simulate` (src/families/) draws each y from these seeded @stdlib/random
 * variates (MT19937), never Math.random; the negative binomial as
 * Poisson(Gamma(θ, rate θ/μ)) = NB(mean μ, size θ), the inverse Gaussian by Michael,
 * Schucany & Haas (1976).
 *
 * The log-likelihood matrix uses the same per-observation log densities as the log
 * posterior (src/likelihood/glm-likelihood.ts, constants included), so each row of the
 * matrix sums to `glmLogPosterior(...).logLik(θ)` of that draw.
 *
 * References: [1] Michael, Schucany & Haas (1976), The American Statistician 30:88–90;
 * [2] Vehtari, Gelman & Gabry (2017), Statistics and Computing 27:1413–1432 (LOO).
 */
import binomialFactory from "@stdlib/random-base-binomial";
import gammaFactory from "@stdlib/random-base-gamma";
import normalFactory from "@stdlib/random-base-normal";
import poissonFactory from "@stdlib/random-base-poisson";
import { ArgumentError, DataError } from "../src/errors.js";
import { linearPredictorInto } from "../src/linalg/kernels.js";
import { rowLikelihoodKernel } from "../src/likelihood/glm-likelihood.js";
import type { Variates } from "../src/types.js";
import type { GlmPosterior } from "./posterior.js";
import { checkStreamSeed, uniformStream } from "../src/util/rng.js";

/** Design rows to predict at (e.g. from the model's `newDesign(newdata)`); the fitted data when omitted. */
export interface PredictData {
  /** n × p row-major, the same columns as the fitted design. */
  X: Float64Array;
  n: number;
  offset?: Float64Array | null;
  /** Prior weights (binomial: number of trials); default 1. */
  weights?: Float64Array | null;
}

/** New observations for `logLikMatrix`: a design with its response. */
export interface LogLikData extends PredictData {
  /** Response (binomial: proportion of `trials`/`weights`). */
  y: Float64Array;
  /** Binomial trials per row when they differ from the weights (see GlmProblem.trials). */
  trials?: Float64Array | null;
}

/** A draws × n matrix, row-major: values[s·n + i] belongs to draw s and observation i. */
export interface DrawMatrix {
  draws: number;
  n: number;
  values: Float64Array;
}

/** Options of `posteriorPredict`. */
export interface PredictOptions {
  newdata?: PredictData;
  /** Seed of the MT19937 stream (integer in [1, 2³² − 1]); required for reproducibility. */
  seed: number;
}

interface Design {
  X: Float64Array;
  n: number;
  offset: Float64Array | null;
  weights: Float64Array;
}

function checkArray(name: string, a: Float64Array | null | undefined, n: number): void {
  if (a === null || a === undefined) return;
  if (!(a instanceof Float64Array)) throw new ArgumentError(`newdata.${name} must be a Float64Array`);
  if (a.length !== n) throw new ArgumentError(`newdata.${name} has length ${a.length}, expected n = ${n}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(a[i]!)) throw new DataError(`newdata.${name} is not finite in row ${i + 1} (${a[i]})`, { column: name, row: i + 1 });
  }
}

function designOf(post: GlmPosterior, newdata: PredictData | undefined): Design {
  const prob = post.problem;
  if (newdata === undefined) return { X: prob.X, n: prob.n, offset: prob.offset, weights: prob.weights };
  if (newdata === null || typeof newdata !== "object") throw new ArgumentError("newdata must be an object { X, n, offset?, weights? }");
  const { X, n } = newdata;
  const p = prob.p;
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`newdata.n must be a positive integer, got ${n}`);
  if (!(X instanceof Float64Array)) throw new ArgumentError("newdata.X must be a Float64Array (n × p, row-major)");
  if (X.length !== n * p) throw new ArgumentError(`newdata.X has length ${X.length}, expected n × p = ${n} × ${p} (columns ${prob.columnNames.join(", ")})`);
  for (let k = 0; k < X.length; k++) {
    if (!Number.isFinite(X[k]!)) {
      const col = prob.columnNames[k % p]!;
      throw new DataError(`newdata.X is not finite in row ${Math.floor(k / p) + 1}, column "${col}" (${X[k]})`, { column: col, row: Math.floor(k / p) + 1 });
    }
  }
  checkArray("offset", newdata.offset, n);
  checkArray("weights", newdata.weights, n);
  const weights = newdata.weights ?? new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++) if (weights[i]! < 0) throw new DataError(`newdata.weights is negative in row ${i + 1} (${weights[i]})`, { column: "weights", row: i + 1 });
  return { X, n, offset: newdata.offset ?? null, weights };
}

/** β of draw s (first p columns) into `beta`; returns the aux value of the draw (or the held one, or NaN). */
function drawAt(post: GlmPosterior, chain: Float64Array, row: number, beta: Float64Array): number {
  const dim = post.names.length;
  const p = post.problem.p;
  const base = row * dim;
  for (let j = 0; j < p; j++) beta[j] = chain[base + j]!;
  if (post.auxName === null) return NaN;
  return post.fixedAux !== null ? post.fixedAux : chain[base + p]!;
}

/** Calls `f(s, beta, aux)` for every draw, chain by chain. */
function forEachDraw(post: GlmPosterior, f: (s: number, beta: Float64Array, aux: number) => void): number {
  const dim = post.names.length;
  const beta = new Float64Array(post.problem.p);
  let s = 0;
  for (const chain of post.draws) {
    const rows = chain.length / dim;
    for (let r = 0; r < rows; r++) f(s++, beta, drawAt(post, chain, r, beta));
  }
  return s;
}

function countDraws(post: GlmPosterior): number {
  const dim = post.names.length;
  return post.draws.reduce((s, d) => s + d.length / dim, 0);
}

/**
 * Draws of the linear predictor η = Xβ + offset (`type: "link"`) or of the mean
 * μ = g⁻¹(η) (`type: "response"`, default), one row per posterior draw
 * (rstanarm's posterior_linpred / posterior_epred).
 * @example posteriorEpred(post).values.length // draws × n
 */
export function posteriorEpred(post: GlmPosterior, options: { newdata?: PredictData; type?: "link" | "response" } = {}): DrawMatrix {
  const d = designOf(post, options.newdata);
  const type = options.type ?? "response";
  if (type !== "link" && type !== "response") throw new ArgumentError(`type must be "link" or "response", got ${String(type)}`);
  const S = countDraws(post);
  const values = new Float64Array(S * d.n);
  const eta = new Float64Array(d.n);
  const link = post.problem.family.link;
  const p = post.problem.p;
  forEachDraw(post, (s, beta) => {
    linearPredictorInto(d.X, d.n, p, beta, d.offset, eta);
    const row = s * d.n;
    if (type === "link") values.set(eta, row);
    else for (let i = 0; i < d.n; i++) values[row + i] = link.linkinv(eta[i]!);
  });
  return { draws: S, n: d.n, values };
}

/** Inverse-Gaussian variate with mean μ and shape λ (Michael, Schucany & Haas 1976). */
function inverseGaussianVariate(mu: number, lambda: number, normal: () => number, uniform: () => number): number {
  const v = normal();
  const y = v * v;
  const muY = mu * y;
  const x = mu + (mu * muY) / (2 * lambda) - (mu / (2 * lambda)) * Math.sqrt(4 * lambda * muY + muY * muY);
  return uniform() <= mu / (mu + x) ? x : (mu * mu) / x;
}

/** The seeded variates the family records draw predictive responses from. */
export function predictiveVariates(seed: number): Variates {
  const uniform = uniformStream(seed);
  const opts = { prng: uniform };
  const normal = normalFactory.factory(opts);
  const stdNormal = (): number => normal(0, 1);
  const gamma = gammaFactory.factory(opts);
  const poisson = poissonFactory.factory(opts);
  const binomial = binomialFactory.factory(opts);
  return {
    uniform,
    normal: (mean, sd) => normal(mean, sd),
    binomial: (trials, prob) => binomial(trials, prob),
    poisson: (mean) => poisson(mean),
    gamma: (shape, rate) => gamma(shape, rate),
    negativeBinomial: (mean, theta) => poisson(gamma(theta, theta / mean)),
    inverseGaussian: (mean, lambda) => inverseGaussianVariate(mean, lambda, stdNormal, uniform),
  };
}

/**
 * Posterior predictive draws ỹ ~ p(ỹ | θ_s) at the fitted rows or at `newdata`, one
 * row per posterior draw (R's simulate.glm conventions per family; see the module
 * comment). Binomial draws are proportions of the weights (trials), which must be
 * whole numbers.
 * @example posteriorPredict(post, { seed: 1 }).values // Float64Array(draws × n)
 */
export function posteriorPredict(post: GlmPosterior, options: PredictOptions): DrawMatrix {
  if (options === null || typeof options !== "object" || options.seed === undefined) {
    throw new ArgumentError("posteriorPredict: options.seed is required (an integer in [1, 2^32 - 1]) so that draws are reproducible");
  }
  const seed = options.seed;
  checkStreamSeed(seed);
  const d = designOf(post, options.newdata);
  const family = post.problem.family;
  family.checkSimulationWeights(d.weights);
  const simulate = family.simulate;
  if (simulate === null) throw new ArgumentError(`posteriorPredict: the ${family.name} family has no generative model`);
  const rng = predictiveVariates(seed);
  const mu = posteriorEpred(post, { newdata: options.newdata, type: "response" });
  const S = mu.draws;
  const n = d.n;
  const values = new Float64Array(S * n);
  forEachDraw(post, (s, _beta, aux) => {
    const row = s * n;
    for (let i = 0; i < n; i++) values[row + i] = simulate(rng, mu.values[row + i]!, aux, d.weights[i]!);
  });
  return { draws: S, n, values };
}

/**
 * The pointwise log-likelihood matrix ℓᵢ(θ_s) = log p(yᵢ | θ_s) (full densities,
 * constants included), draws × observations, for the fitted data or for `newdata`
 * (with its response). Row s sums to the log-likelihood of draw s.
 * @example const ll = logLikMatrix(post); ll.values.length === ll.draws * ll.n // true
 */
export function logLikMatrix(post: GlmPosterior, options: { newdata?: LogLikData } = {}): DrawMatrix {
  const prob = post.problem;
  let y: Float64Array;
  let trials: Float64Array | null;
  let d: Design;
  if (options.newdata === undefined) {
    d = designOf(post, undefined);
    y = prob.y;
    trials = prob.trials;
  } else {
    d = designOf(post, options.newdata);
    y = options.newdata.y;
    if (!(y instanceof Float64Array) || y.length !== d.n) throw new ArgumentError(`newdata.y must be a Float64Array of length n = ${d.n}`);
    checkArray("y", y, d.n);
    checkArray("trials", options.newdata.trials, d.n);
    trials = options.newdata.trials ?? null;
    prob.family.checkY(y, d.weights);
  }
  const kernel = rowLikelihoodKernel({ y, weights: d.weights, trials, family: prob.family });
  const n = d.n;
  const S = countDraws(post);
  const values = new Float64Array(S * n);
  const eta = new Float64Array(n);
  const p = prob.p;
  forEachDraw(post, (s, beta, aux) => {
    linearPredictorInto(d.X, n, p, beta, d.offset, eta);
    const u = Number.isNaN(aux) ? 0 : Math.log(aux);
    kernel.logLikRows(eta, u, values.subarray(s * n, (s + 1) * n));
  });
  return { draws: S, n, values };
}

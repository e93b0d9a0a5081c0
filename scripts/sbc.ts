/**
 * Simulation-based calibration (Talts, Betancourt, Simpson, Vehtari & Gelman 2018,
 * arXiv:1804.06788) of glmkit's GLM posteriors sampled with NUTS.
 *
 * Models: a logistic and a Poisson regression, and a gaussian one whose σ is sampled on
 * the log scale (which checks the Jacobian). For each model, `sims` times: draw θ̃ from the prior, simulate y ~ p(y | θ̃) at a fixed
 * design, sample p(θ | y) with one NUTS chain, thin the draws to L = 99, and record the
 * rank of θ̃ₖ among the draws of θₖ (0 … 99). If the sampler draws from the posterior,
 * each rank is uniform on {0, …, 99}. The ranks are binned into 20 bins of 5 and tested
 * with Pearson's χ² (19 degrees of freedom); the script prints the p-values and the
 * histograms (docs/sbc.md records a run).
 *
 *   npm run sbc -- [--sims 1000] [--seed 20250611] [--json results.json]
 *
 * Not part of the test suite (about a minute or two per model).
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import normalFactory from "@stdlib/random-base-normal";
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import { makeFamily } from "../src/families/index.js";
import type { GlmProblem } from "../src/fit/ml-fit.js";
import { exponential, normal, uniformSource, type AuxPrior, type CoefficientScalarPrior } from "../src/priors/index.js";
import { glmPosteriorFromDraws, samplePosteriorSync } from "../models/posterior.js";
import { posteriorPredict } from "../models/posterior-predict.js";

/** Draws kept per fit (L): ranks take L + 1 = 100 values. */
const KEPT = 99;
/** Thinning: every 10th of 990 sampling iterations is kept (Talts et al. §4: thin to reduce autocorrelation). */
const THIN = 10;
const BINS = 20;

interface SbcModel {
  name: string;
  family: string;
  /** One prior per column (intercept first). */
  priors: CoefficientScalarPrior[];
  /** Prior on the family's auxiliary parameter (σ, shape, θ, λ), when it has one. */
  aux?: AuxPrior;
  auxName?: string;
  n: number;
}

const MODELS: SbcModel[] = [
  { name: "logistic: y ~ 1 + x1 + x2, n = 50, β ~ N(0, 1)", family: "binomial", priors: [normal(0, 1), normal(0, 1), normal(0, 1)], n: 50 },
  { name: "Poisson (log): y ~ 1 + x1 + x2, n = 50, β₀ ~ N(1, 0.5), β₁, β₂ ~ N(0, 0.5)", family: "poisson", priors: [normal(1, 0.5), normal(0, 0.5), normal(0, 0.5)], n: 50 },
  {
    name: "gaussian: y ~ 1 + x1 + x2, n = 20, β ~ N(0, 1), σ ~ exponential(1)",
    family: "gaussian", priors: [normal(0, 1), normal(0, 1), normal(0, 1)], aux: exponential(1), auxName: "sigma", n: 20,
  },
];

interface SbcResult {
  model: string;
  sims: number;
  parameters: { name: string; chisq: number; df: number; pValue: number; histogram: number[] }[];
  divergences: number;
  seconds: number;
}

/** The fixed design: an intercept and two standard-normal columns (seeded). */
function design(n: number, seed: number): Float64Array {
  const rnorm = normalFactory.factory(0, 1, { seed });
  const X = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    X[i * 3] = 1;
    X[i * 3 + 1] = rnorm();
    X[i * 3 + 2] = rnorm();
  }
  return X;
}

/** Pearson's χ² of counts against equal expected counts, and its upper-tail p-value. */
function uniformityTest(counts: readonly number[]): { chisq: number; df: number; pValue: number } {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  const chisq = counts.reduce((s, c) => s + ((c - expected) * (c - expected)) / expected, 0);
  const df = counts.length - 1;
  return { chisq, df, pValue: 1 - chisquareCdf(chisq, df) };
}

function runSbc(model: SbcModel, sims: number, seed: number): SbcResult {
  const pBeta = model.priors.length;
  const p = pBeta + (model.aux ? 1 : 0);
  const n = model.n;
  const X = design(n, seed);
  const columns = ["(Intercept)", "x1", "x2"];
  const names = model.aux ? [...columns, model.auxName ?? "aux"] : columns;
  const base: GlmProblem = {
    X, n, p: pBeta, columnNames: columns, hasIntercept: true,
    y: new Float64Array(n), weights: new Float64Array(n).fill(1), offset: null, trials: null,
    family: makeFamily(model.family),
  };
  const priors = model.aux ? { coefficients: model.priors, aux: model.aux } : { coefficients: model.priors };
  const priorRng = uniformSource(seed % 4294967295 || 1);
  const ranks: number[][] = Array.from({ length: p }, () => []);
  let divergences = 0;
  const t0 = performance.now();
  for (let s = 0; s < sims; s++) {
    const truth = Float64Array.from([...model.priors, ...(model.aux ? [model.aux] : [])], (q) => q.sample(priorRng));
    const simulated = posteriorPredict(glmPosteriorFromDraws(base, priors, [truth]), { seed: ((seed + 7919 * (s + 1)) % 4294967295) || 1 });
    const problem: GlmProblem = { ...base, y: simulated.values.slice(0, n) };
    const post = samplePosteriorSync(problem, priors, { seed: seed + s + 1, chains: 1, warmup: 500, draws: KEPT * THIN, thin: THIN });
    divergences += post.divergences;
    const draws = post.draws[0]!;
    for (let j = 0; j < p; j++) {
      let rank = 0;
      for (let k = 0; k < KEPT; k++) if (draws[k * p + j]! < truth[j]!) rank++;
      ranks[j]!.push(rank);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const perBin = (KEPT + 1) / BINS;
  const parameters = names.map((name, j) => {
    const histogram = new Array<number>(BINS).fill(0);
    for (const r of ranks[j]!) histogram[Math.floor(r / perBin)]!++;
    return { name, ...uniformityTest(histogram), histogram };
  });
  return { model: model.name, sims, parameters, divergences, seconds };
}

function bar(count: number, expected: number): string {
  return "#".repeat(Math.round((count / expected) * 20));
}

function main(): void {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { sims: { type: "string" }, seed: { type: "string" }, json: { type: "string" } },
  });
  const sims = Number(values.sims ?? 1000);
  const seed = Number(values.seed ?? 20250611);
  const results: SbcResult[] = [];
  for (const model of MODELS) {
    const r = runSbc(model, sims, seed);
    results.push(r);
    console.log(`\n${r.model}: ${r.sims} simulations, ${r.divergences} divergent transitions, ${r.seconds.toFixed(1)} s`);
    console.log("| parameter | χ² (19 df) | p-value |\n| --- | --- | --- |");
    for (const q of r.parameters) console.log(`| ${q.name} | ${q.chisq.toFixed(2)} | ${q.pValue.toFixed(3)} |`);
    for (const q of r.parameters) {
      const expected = r.sims / BINS;
      console.log(`\n${q.name} ranks (20 bins of 5; expected ${expected} per bin):`);
      q.histogram.forEach((c, b) => console.log(`  ${String(b * 5).padStart(2)}–${String(b * 5 + 4).padStart(2)} ${String(c).padStart(4)} ${bar(c, expected)}`));
    }
  }
  if (values.json) writeFileSync(values.json, JSON.stringify({ seed, sims, results }, null, 2));
}

main();

/**
 * Simulation-based calibration (Talts et al. 2018, arXiv:1804.06788) of `sampleMultilevel` on a
 * varying-intercept logistic model: J = 10 groups × 8 rows, 5 trials per row,
 * logit μ = β₀ + β₁ x + b_g, β ~ N(0, 1), b_g = sd · z_g, z ~ N(0, 1), decov(1, 1, 1, 1) (for K = 1:
 * sd = τ, τ ~ Gamma(1, 1)). For each of `sims` replications: draw the parameters from the prior,
 * simulate y, sample with one NUTS chain (Stan's warmup 300, 990 draws thinned by 10 → L = 99),
 * and record the rank of each true value among the draws (0 … 99). Ranks in 20 bins, Pearson's χ²
 * with 19 degrees of freedom; prints p-values and histograms.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/sbc-multilevel.js [--sims 200] [--seed 1]
 */
import { parseArgs } from "node:util";
import normalFactory from "@stdlib/random-base-normal";
import binomialFactory from "@stdlib/random-base-binomial";
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import { binomial } from "../src/families/index.js";
import { groupTerm } from "../src/multilevel/test-design.js";
import type { MultilevelDesign } from "../src/multilevel/types.js";
import { sampleMultilevel } from "../models/multilevel-posterior.js";
import { uniformStream } from "../src/util/rng.js";

const { values } = parseArgs({ args: process.argv.slice(2), options: { sims: { type: "string" }, seed: { type: "string" } } });
const sims = Number(values.sims ?? 200);
const seed = Number(values.seed ?? 1);
const J = 10, per = 8, n = J * per, trials = 5, BINS = 20, KEPT = 99;
const uniform = uniformStream(seed);
const normal = normalFactory.factory({ prng: uniform });
const binom = binomialFactory.factory({ prng: uniform });
const x = Float64Array.from({ length: n }, () => normal(0, 1));
const xMean = x.reduce((a, b) => a + b, 0) / n;
for (let i = 0; i < n; i++) x[i] -= xMean;
const labels = Array.from({ length: n }, (_, i) => String(Math.floor(i / per) + 1));
const names = ["b_Intercept", "b_x", "sd_g__Intercept", "r_g[1,Intercept]", "r_g[2,Intercept]"];
const ranks = names.map(() => new Array<number>(BINS).fill(0));
let divergences = 0;
const t0 = performance.now();
for (let s = 0; s < sims; s++) {
  const b0 = normal(0, 1), b1 = normal(0, 1), sd = -Math.log(1 - uniform());
  const r = Array.from({ length: J }, () => sd * normal(0, 1));
  const y = new Float64Array(n);
  const X = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    X[2 * i] = 1; X[2 * i + 1] = x[i]!;
    const eta = b0 + b1 * x[i]! + r[Math.floor(i / per)]!;
    y[i] = binom(trials, 1 / (1 + Math.exp(-eta))) / trials;
  }
  const design: MultilevelDesign = {
    n, X, p: 2, columnNames: ["(Intercept)", "x"], y, weights: new Float64Array(n).fill(trials), offset: new Float64Array(n),
    terms: [groupTerm("g", labels, ["(Intercept)"], new Float64Array(n).fill(1), true)],
  };
  // the intercept's prior acts on the centred intercept β₀ + x̄β₁; x is centred above, so it is the prior of β₀.
  const post = sampleMultilevel(design, {
    family: binomial(), seed: s + 1, chains: 1, warmup: 300, draws: KEPT * 10, thin: 10,
    priors: { intercept: "normal(0, 1)", coefficients: "normal(0, 1)", covariance: "decov(1, 1, 1, 1)" },
  });
  divergences += post.divergences;
  const truth = [b0, b1, sd, r[0]!, r[1]!];
  const K = post.names.length;
  const d = post.draws[0]!;
  names.forEach((nm, k) => {
    const j = post.names.indexOf(nm);
    let rank = 0;
    for (let t = 0; t < KEPT; t++) if (d[t * K + j]! < truth[k]!) rank++;
    ranks[k]![Math.min(BINS - 1, Math.floor((rank * BINS) / (KEPT + 1)))]++;
  });
}
console.log(`SBC, varying-intercept logistic (J = ${J}, n = ${n}, ${trials} trials), ${sims} replications, ${divergences} divergences, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
names.forEach((nm, k) => {
  const e = sims / BINS;
  const chisq = ranks[k]!.reduce((a, o) => a + (o - e) ** 2 / e, 0);
  console.log(`${nm.padEnd(20)} χ² = ${chisq.toFixed(2).padStart(6)}  p = ${(1 - chisquareCdf(chisq, BINS - 1)).toFixed(3)}  [${ranks[k]!.join(" ")}]`);
});

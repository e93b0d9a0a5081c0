/**
 * Benchmark: profile-likelihood intervals of every coefficient of a logistic fit
 * with n = 2000 rows and p = 300 columns (intercept + 299 standard-normal
 * predictors, β_j = 0.05·sin j), the case of the hardening issue that ran past
 * 580 s with no output. Prints the fit and profile times, seconds per coefficient,
 * progress on stderr (the `onProgress` callback), and checks three of the bounds
 * against independent tight IRLS refits: z(bound) must be ±Φ⁻¹(0.975) to 1e-6.
 *
 *   npm run bench -- profile [--n 2000] [--p 300] [--seed 20261124]
 */
import { fitMl, type GlmProblem } from "../src/fit/ml-fit.js";
import { irls } from "../src/fit/irls.js";
import { profileIntervals, referenceDeviance } from "../src/intervals/profile.js";
import { binomial } from "../src/families/index.js";
import { standardNormalFrom, uniformStream } from "../src/util/rng.js";

export interface ProfileBenchOptions {
  n: number;
  p: number;
  seed: number;
}

/**
 * The profile and Firth benchmarks' data (seeded): an intercept and p − 1 standard-normal
 * columns, η = −0.3 + Σ slope·sin j·x_j, y ~ Bernoulli(logit⁻¹ η).
 */
export function logisticProblem(o: { n: number; p: number; seed: number }, slope = 0.05): GlmProblem {
  const { n, p } = o;
  const uniform = uniformStream(o.seed);
  const normal = standardNormalFrom(uniform);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let eta = -0.3;
    X[i * p] = 1;
    for (let j = 1; j < p; j++) {
      const v = normal();
      X[i * p + j] = v;
      eta += slope * Math.sin(j) * v;
    }
    y[i] = uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  const columnNames = Array.from({ length: p }, (_, j) => (j === 0 ? "(Intercept)" : `x${j}`));
  return { X, n, p, columnNames, hasIntercept: true, y, weights: new Float64Array(n).fill(1), offset: null, trials: null, family: binomial() };
}

/** z at b for coefficient j by a fresh IRLS refit (ε = 1e-14) with b·xⱼ in the offset. */
function signedRoot(problem: GlmProblem, j: number, b: number, estimate: number, d0: number): number {
  const { X, n, p } = problem;
  const q = p - 1;
  const Xr = new Float64Array(n * q);
  const offset = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = 0, c = 0; k < p; k++) if (k !== j) Xr[i * q + c++] = X[i * p + k]!;
    offset[i] = b * X[i * p + j]!;
  }
  const r = irls({ X: Xr, n, p: q, y: problem.y, weights: problem.weights, offset, family: problem.family }, { epsilon: 1e-14, maxit: 100 });
  return Math.sign(b - estimate) * Math.sqrt(Math.max(0, r.deviance - d0));
}

export function runProfileBench(o: ProfileBenchOptions): void {
  const problem = logisticProblem(o);
  let t0 = performance.now();
  const fit = fitMl(problem);
  const fitSeconds = (performance.now() - t0) / 1000;
  let lastTenth = -1;
  t0 = performance.now();
  const set = profileIntervals(fit, {
    onProgress: (done, total) => {
      const tenth = Math.floor((10 * done) / total);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        process.stderr.write(`profile: ${done}/${total} coefficients, ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      }
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const d0 = referenceDeviance(fit);
  let worst = 0;
  for (const j of [0, 1, o.p - 1]) {
    const row = set.rows[j]!;
    worst = Math.max(worst, Math.abs(signedRoot(problem, j, row.lower, row.estimate, d0) + set.cutoff.value));
    worst = Math.max(worst, Math.abs(signedRoot(problem, j, row.upper, row.estimate, d0) - set.cutoff.value));
  }
  console.log(`profile intervals, logistic n = ${o.n}, p = ${o.p} (${fit.irls.iterations} IRLS iterations, fit ${fitSeconds.toFixed(2)} s)`);
  console.log(`  all ${set.rows.length} intervals: ${seconds.toFixed(2)} s (${((1000 * seconds) / set.rows.length).toFixed(1)} ms per coefficient), ${set.warnings.length} warnings`);
  console.log(`  check: max |z(bound) ∓ ${set.cutoff.value.toFixed(4)}| by fresh IRLS refits (3 coefficients) = ${worst.toExponential(2)}${worst < 1e-6 ? "" : "  (FAILED: above 1e-6)"}`);
  if (worst >= 1e-6) process.exitCode = 1;
}

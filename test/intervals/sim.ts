/**
 * Simulated GLM problems for the interval property tests and the coverage study:
 * an intercept plus standard-normal covariates, responses from a seeded MT19937.
 */
import { simulationRng } from "../../testing/rng.js";
import { binomial, poisson } from "../../src/families/index.js";
import type { GlmProblem } from "../../src/fit/ml-fit.js";

/** Logistic (or Poisson-log) data with η = β₀ + Σ βⱼ xⱼ, xⱼ ~ N(0, 1). */
export function simulateGlm(seed: number, n: number, beta: readonly number[], family: "binomial" | "poisson" = "binomial"): GlmProblem {
  const rng = simulationRng(seed);
  const p = beta.length;
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    X[i * p] = 1;
    let eta = beta[0]!;
    for (let j = 1; j < p; j++) {
      const x = rng.normal(0, 1);
      X[i * p + j] = x;
      eta += beta[j]! * x;
    }
    y[i] = family === "binomial" ? rng.binomial(1, 1 / (1 + Math.exp(-eta))) : rng.poisson(Math.exp(eta));
  }
  return {
    X, n, p, y,
    columnNames: ["(Intercept)", ...Array.from({ length: p - 1 }, (_, j) => `x${j + 1}`)],
    hasIntercept: true,
    weights: new Float64Array(n).fill(1),
    offset: null,
    trials: null,
    family: family === "binomial" ? binomial("logit") : poisson("log"),
  };
}

/**
 * Reading test/reference/map.json (written by test/reference/map.R): the designs
 * as GlmProblems and the prior specs as prior records. Shared by
 * test/likelihood/log-posterior.test.ts, test/fit/map.test.ts and examples/bayesglm-vs-map.test.ts.
 */
import { readFileSync } from "node:fs";
import type { GlmProblem } from "../../src/fit/ml-fit.js";
import type { Family } from "../../src/types.js";
import { binomial, Gamma, gaussian, inverseGaussian, negativeBinomial, poisson } from "../../src/families/index.js";
import { parsePrior, type AuxPrior, type CoefficientPrior } from "../../src/priors/index.js";
import type { GlmPriors } from "../../src/likelihood/log-posterior.js";

export interface DesignJson {
  id: string;
  data: string;
  formula: string;
  family: "binomial" | "poisson" | "gaussian" | "Gamma" | "inverse.gaussian" | "negbin";
  link: string;
  n: number;
  p: number;
  column_names: string[];
  X_row_major: number[];
  y: number[];
  prior_weights: number[];
  offset: number[] | null;
  trials: number[] | null;
  note?: string | null;
}

export interface LoglikCase extends DesignJson {
  points: Array<{ theta: number[]; log_lik: number }>;
}

export interface MapCase extends DesignJson {
  priors: { coefficients: string[]; aux: string | null };
  aux_name: string | null;
  result: {
    theta: number[]; se_theta: number[]; estimate: number[]; se: number[];
    aux: number | null; aux_se: number | null;
    log_lik: number; log_prior: number; log_posterior: number;
    hessian: number[];
    max_abs_grad: number; max_abs_grad_numderiv: number; max_grad_times_se: number;
    ml_coefficients: number[];
  };
}

export interface JeffreysCase extends DesignJson {
  brglm2: { estimate: number[]; dispersion: number | null; aux: number | null; aux_name: string | null; max_abs_grad: number };
}

export interface BayesglmCase extends DesignJson {
  R_call: string;
  x_means: number[];
  priors: { coefficients: string[]; intercept_acts_on: string };
  bayesglm_default: { estimate: number[]; iterations: number; converged: boolean; prior_sd: number[] };
  bayesglm_tight: {
    estimate: number[]; iterations: number; prior_scale: number[]; prior_df: number[]; prior_mean: number[];
    prior_sd: number[]; se: number[]; log_posterior: number; max_abs_grad: number;
  };
  exact: { estimate: number[]; se: number[]; log_posterior: number; max_abs_grad: number; max_grad_times_se: number };
}

export interface MapFixture {
  loglik: LoglikCase[];
  map: MapCase[];
  jeffreys: JeffreysCase[];
  bayesglm: BayesglmCase[];
}

export const mapFixture = JSON.parse(
  readFileSync(new URL("../reference/map.json", import.meta.url), "utf8"),
) as MapFixture;

/** The family of a fixture case (negative binomial: θ = 1, only a start). */
export function familyOf(c: DesignJson): Family {
  switch (c.family) {
    case "binomial": return binomial(c.link);
    case "poisson": return poisson(c.link);
    case "gaussian": return gaussian(c.link);
    case "Gamma": return Gamma(c.link);
    case "inverse.gaussian": return inverseGaussian(c.link);
    case "negbin": return negativeBinomial(1, c.link);
  }
}

/** The GlmProblem of a fixture design; `X` may replace the design matrix (same shape). */
export function problemOf(c: DesignJson, X?: Float64Array): GlmProblem {
  return {
    X: X ?? Float64Array.from(c.X_row_major),
    n: c.n,
    p: c.p,
    columnNames: c.column_names,
    hasIntercept: c.column_names[0] === "(Intercept)",
    y: Float64Array.from(c.y),
    weights: Float64Array.from(c.prior_weights),
    offset: c.offset ? Float64Array.from(c.offset) : null,
    trials: c.trials ? Float64Array.from(c.trials) : null,
    family: familyOf(c),
  };
}

/** Priors from the fixture's rstanarm-style spec strings. */
export function priorsOf(specs: { coefficients: string[]; aux?: string | null }): GlmPriors {
  const coefficients = specs.coefficients.map((s) => parsePrior(s) as CoefficientPrior);
  return specs.aux ? { coefficients, aux: parsePrior(specs.aux) as AuxPrior } : { coefficients };
}

/** The design with every non-intercept column centred at `means` (bayesglm's intercept prior acts on x̄ᵀβ). */
export function centredDesign(c: DesignJson, means: number[]): Float64Array {
  const X = Float64Array.from(c.X_row_major);
  for (let i = 0; i < c.n; i++) for (let j = 1; j < c.p; j++) X[i * c.p + j] = X[i * c.p + j]! - means[j]!;
  return X;
}

/** |a − b| ≤ rel·|b| + abs, elementwise; returns the worst ratio to that bound. */
export function worstRatio(a: ArrayLike<number>, b: ArrayLike<number>, rel: number, abs: number): number {
  let worst = 0;
  for (let k = 0; k < b.length; k++) worst = Math.max(worst, Math.abs(a[k]! - b[k]!) / (rel * Math.abs(b[k]!) + abs));
  return worst;
}

/**
 * What the kernel tests share: run under a kernel choice or a thread count, a fit as
 * numbers, bit-for-bit comparison, and simulated GLM data written into a given X (a plain,
 * shared or design-buffer array), so each test states only what it compares.
 */
import { readFileSync } from "node:fs";
import normalFactory from "@stdlib/random-base-normal";
import uniformFactory from "@stdlib/random-base-uniform";
import { glm } from "../../models/glm.js";
import { readCsv } from "../../src/data/index.js";
import { useKernels, type KernelChoice } from "../../src/linalg/kernels/index.js";

/** f() with the kernel choice `k` (restored after). */
export function withKernels<T>(k: KernelChoice, f: () => T): T {
  const prev = useKernels(k);
  try {
    return f();
  } finally {
    useKernels(prev);
  }
}

/** f() with GLMKIT_THREADS = `threads` (restored after). */
export function withThreads<T>(threads: number, f: () => T): T {
  const prev = process.env.GLMKIT_THREADS;
  process.env.GLMKIT_THREADS = String(threads);
  try {
    return f();
  } finally {
    if (prev === undefined) delete process.env.GLMKIT_THREADS;
    else process.env.GLMKIT_THREADS = prev;
  }
}

/** The fields of an ML fit the kernel tests compare. */
export interface FitLike {
  coefficients: { estimate: number | null; se: number | null }[];
  deviance: number; nullDeviance: number; iterations: number; dispersion: number;
  theta?: number | null; aic?: number | null; fitted: ArrayLike<number>;
}

/** What a fit reports, as numbers: coefficients, SEs, deviances, iterations, dispersion, θ, AIC, fitted values. */
export function fitNumbers(fit: FitLike): number[] {
  return [
    ...fit.coefficients.flatMap((c) => [c.estimate ?? Number.NaN, c.se ?? Number.NaN]),
    fit.deviance, fit.nullDeviance, fit.iterations, fit.dispersion, fit.theta ?? Number.NaN, fit.aic ?? Number.NaN, ...Array.from(fit.fitted),
  ];
}

/** Whether a and b hold the same numbers bit for bit (Object.is: −0 ≠ 0, NaN = NaN). */
export function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));
}

/** "(Intercept)", "x1", …, "x(p−1)". */
export const columnNames = (p: number): string[] => ["(Intercept)", ...Array.from({ length: p - 1 }, (_, j) => `x${j + 1}`)];

export interface SimulateOptions {
  family?: "binomial" | "poisson";
  /** The linear predictor's constant (default −0.3). */
  intercept?: number;
  /** β_j for j ≥ 1 (default 0.5·cos j). */
  slope?: (j: number) => number;
  /** The sd of a normal offset, or 0 for none (default 0.2). */
  offsetSd?: number;
  /** The share of rows given weight 0 (default 0: no weights). */
  zeroWeightShare?: number;
}

/**
 * Data of a GLM with an intercept column, written into X (n×p, row-major, any array):
 * x_ij ~ N(0, 1) for j ≥ 1, η = intercept + Σ slope(j)·x_ij + offset, y ~ Bernoulli(logit⁻¹ η)
 * or Poisson(e^η) (by an exponential-spacing draw), seeded.
 */
export function simulateGlm(X: Float64Array, n: number, p: number, seed: number, o: SimulateOptions = {}): {
  y: Float64Array; offset: Float64Array | undefined; weights: Float64Array | undefined;
} {
  const rnorm = normalFactory.factory(0, 1, { seed });
  const runif = uniformFactory.factory(0, 1, { seed: seed + 1 });
  const slope = o.slope ?? ((j: number) => 0.5 * Math.cos(j));
  const offsetSd = o.offsetSd ?? 0.2;
  const y = new Float64Array(n);
  const offset = offsetSd > 0 ? new Float64Array(n) : undefined;
  const weights = (o.zeroWeightShare ?? 0) > 0 ? new Float64Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    let eta = o.intercept ?? -0.3;
    for (let j = 0; j < p; j++) {
      const x = j === 0 ? 1 : rnorm();
      X[i * p + j] = x;
      if (j > 0) eta += slope(j) * x;
    }
    if (offset) { offset[i] = offsetSd * rnorm(); eta += offset[i]!; }
    if (weights) weights[i] = runif() < o.zeroWeightShare! ? 0 : 1;
    y[i] = o.family === "poisson" ? poissonDraw(Math.exp(eta), runif) : runif() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return { y, offset, weights };
}

/** A Poisson(m) draw by counting unit-rate exponential spacings below m. */
function poissonDraw(m: number, runif: () => number): number {
  let k = 0;
  for (let t = -Math.log(runif()); t < m; t -= Math.log(runif())) k++;
  return k;
}

/** A seeded stream uniform on [−1, 1) (an LCG: cheap, for kernel inputs). */
export function signedLcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

/** A fit of test/reference/glm.json (the R call's formula, data, family, link, weights, offset, θ, power, start, maxit). */
export interface ReferenceGlmFit {
  id: string; data: string; formula: string; family: string; link: string;
  weights: string | null; offset: string | null; theta: number | null; estimate_theta: boolean; power: number | null;
  start: number[] | null; R_call: string;
}

/** The fits of test/reference/glm.json. */
export const referenceGlmFits = (): ReferenceGlmFit[] => JSON.parse(readFileSync("test/reference/glm.json", "utf8"));

/** glmkit's ML fit of a reference case, declared as the R call was. */
export function fitReference(ref: ReferenceGlmFit): ReturnType<ReturnType<typeof glm>["fit"]> {
  const maxit = /maxit = (\d+)/.exec(ref.R_call);
  return glm({
    formula: ref.formula, data: readCsv(ref.data), family: ref.family, link: ref.link,
    weights: ref.weights ?? undefined, offset: ref.offset ?? undefined,
    theta: ref.estimate_theta ? undefined : (ref.theta ?? undefined), power: ref.power ?? undefined,
  }).fit({
    ...(ref.start ? { start: Float64Array.from(ref.start) } : {}),
    ...(maxit ? { maxit: Number(maxit[1]) } : {}),
  });
}

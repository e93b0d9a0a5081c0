/**
 * The fused one-pass gradient of the GLM log posterior (src/likelihood/log-posterior.ts,
 * `fusedGradient`, the default for binomial–logit, Poisson–log, negative binomial–log and
 * gaussian–identity) gives the two-pass gradient's numbers bit for bit (Object.is on the value
 * and every component), on shapes around the block and group boundaries (n from 1 to 2053, so
 * n mod 8 takes every value and the logit kernel's blocked-log path at n ≥ 1024 is reached;
 * p from 1 to 41, so blocks of 8 to 4096 rows), with offsets and zero or fractional weights,
 * and at points where ℓ = −∞. The kernels' row ranges (gradBegin / gradRows / gradEnd over any
 * split) equal their logLikGrad bit for bit. Both paths are checked against a plain
 * row-by-row reference to 1e-12.
 */
import { fastExp } from "../../src/likelihood/fast-exp.js";
import { describe, expect, it } from "vitest";
import { makeFamily } from "../../src/families/index.js";
import type { GlmProblem } from "../../src/fit/ml-fit.js";
import { likelihoodKernel } from "../../src/likelihood/glm-likelihood.js";
import { fusedBlockRows, glmLogPosterior } from "../../src/likelihood/log-posterior.js";
import { exponential, normal, resolveCoefficientPriors } from "../../src/priors/index.js";
import stdlibLog1p from "@stdlib/math-base-special-log1p";
import { GRAD_STATE_LENGTH, type RangeLikelihoodGradient } from "../../src/types.js";

/** A small deterministic generator (LCG), so the shapes and values are the same every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

type FamilyName = "binomial" | "poisson" | "negative_binomial" | "gaussian";

function problemOf(family: FamilyName, n: number, p: number, seed: number, opts: { offset?: boolean; weights?: boolean } = {}): GlmProblem {
  const u = lcg(seed);
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) X[i * p + j] = j === 0 ? 1 : 2 * u() - 1;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = u();
    y[i] = family === "binomial" ? (r < 0.4 ? 1 : 0) : family === "gaussian" ? 3 * r - 1 : Math.floor(6 * r * r);
  }
  const weights = new Float64Array(n).fill(1);
  if (opts.weights) for (let i = 0; i < n; i++) weights[i] = i % 7 === 3 ? 0 : i % 5 === 1 ? 0.5 + u() : 1;
  const offset = opts.offset ? Float64Array.from({ length: n }, () => 0.3 * u() - 0.1) : null;
  return {
    X, n, p, y, weights, offset, trials: null,
    columnNames: Array.from({ length: p }, (_, j) => (j === 0 ? "(Intercept)" : `x${j}`)),
    hasIntercept: true,
    family: family === "negative_binomial" ? makeFamily("negative_binomial", { theta: 1 }) : makeFamily(family),
  };
}

const priorsOf = (problem: GlmProblem, family: FamilyName) => ({
  coefficients: resolveCoefficientPriors({ coefficients: normal(0, 2.5) }, problem.columnNames, true),
  ...(family === "binomial" || family === "poisson" ? {} : { aux: exponential(1) }),
});

/** ℓ and ∇ℓ (β part, then ∂ℓ/∂u) by the plainest loops: the reference both paths must be near. */
function plainLikelihoodGrad(problem: GlmProblem, theta: Float64Array): { ll: number; grad: Float64Array } {
  const { X, n, p } = problem;
  const kernel = likelihoodKernel({ y: problem.y, weights: problem.weights, trials: null, family: problem.family });
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = problem.offset ? problem.offset[i]! : 0;
    for (let j = 0; j < p; j++) s += X[i * p + j]! * theta[j]!;
    eta[i] = s;
  }
  const score = new Float64Array(n);
  const aux = new Float64Array(1);
  const ll = kernel.logLikGrad(eta, theta.length > p ? theta[p]! : 0, score, aux);
  const grad = new Float64Array(theta.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) grad[j] += X[i * p + j]! * score[i]!;
  if (theta.length > p) grad[p] = aux[0]!;
  return { ll, grad };
}

function expectBitIdentical(a: { value: number; grad: Float64Array }, b: { value: number; grad: Float64Array }, what: string): void {
  if (!Object.is(a.value, b.value)) expect(`${what}: value ${a.value}`).toBe(`${what}: value ${b.value}`);
  for (let j = 0; j < a.grad.length; j++) {
    if (!Object.is(a.grad[j], b.grad[j])) expect(`${what}: grad[${j}] = ${a.grad[j]}`).toBe(`${what}: grad[${j}] = ${b.grad[j]}`);
  }
}

const FAMILIES: FamilyName[] = ["binomial", "poisson", "negative_binomial", "gaussian"];
const SHAPES: [number, number][] = [
  [1, 1], [3, 2], [7, 3], [8, 1], [13, 4], [200, 20], [201, 20], [205, 20], [1030, 5], [2053, 21], [517, 41],
];

describe("the fused gradient equals the two-pass gradient bit for bit", () => {
  for (const family of FAMILIES) {
    it(`${family}: every shape, with and without offsets and weights`, () => {
      let seed = 1;
      for (const [n, p] of SHAPES) {
        for (const opts of [{}, { offset: true, weights: true }]) {
          const problem = problemOf(family, n, p, seed++, opts);
          const priors = priorsOf(problem, family);
          const fused = glmLogPosterior(problem, priors);
          const twoPass = glmLogPosterior(problem, priors, { fusedGradient: false });
          const u = lcg(seed * 31);
          for (let rep = 0; rep < 3; rep++) {
            const theta = Float64Array.from({ length: fused.dim }, () => 0.6 * u() - 0.3);
            const g1 = new Float64Array(fused.dim).fill(7);
            const g2 = new Float64Array(fused.dim).fill(-7);
            const what = `${family} n=${n} p=${p} ${JSON.stringify(opts)} rep ${rep}`;
            const v1 = fused.logDensityGrad(theta, g1);
            const v2 = twoPass.logDensityGrad(theta, g2);
            expectBitIdentical({ value: v1, grad: g1 }, { value: v2, grad: g2 }, what);
            expect(Number.isFinite(v1), what).toBe(true);
            // Both near the plain loops (likelihood part: the prior is the same code on both paths).
            const plain = plainLikelihoodGrad(problem, theta);
            const ll = fused.logLik(theta);
            expect(Math.abs(ll - plain.ll)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(plain.ll)));
            const prior = new Float64Array(fused.dim);
            // The prior's gradient: the fused gradient minus the plain likelihood gradient must be the
            // same on the two paths, and the likelihood gradient near the plain one.
            for (let j = 0; j < fused.dim; j++) prior[j] = g1[j]! - plain.grad[j]!;
            const scale = plain.grad.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
            const priorOnly = glmLogPosterior({ ...problem, n: 0, X: new Float64Array(0), y: new Float64Array(0), weights: new Float64Array(0), offset: null }, priors);
            const gp = new Float64Array(fused.dim);
            priorOnly.logDensityGrad(theta, gp);
            for (let j = 0; j < fused.dim; j++) expect(Math.abs(prior[j]! - gp[j]!), `${what} grad[${j}]`).toBeLessThanOrEqual(1e-12 * scale);
          }
        }
      }
    });
  }

  it("uses blocks of about 32 KB of X, a multiple of 8 rows", () => {
    expect(fusedBlockRows(20)).toBe(200);
    expect(fusedBlockRows(1)).toBe(4096);
    expect(fusedBlockRows(5000)).toBe(8);
    for (let p = 1; p < 600; p += 7) expect(fusedBlockRows(p) % 8).toBe(0);
  });

  it("returns −∞ with a zero gradient where ℓ is −∞ or NaN, as the two passes do", () => {
    for (const family of FAMILIES) {
      const problem = problemOf(family, 1030, 3, 99);
      const priors = priorsOf(problem, family);
      const fused = glmLogPosterior(problem, priors);
      const twoPass = glmLogPosterior(problem, priors, { fusedGradient: false });
      for (const bad of [NaN, 1e308, -1e308, Infinity]) {
        const theta = Float64Array.from({ length: fused.dim }, (_, j) => (j === 1 ? bad : 0.1));
        const g1 = new Float64Array(fused.dim).fill(3);
        const g2 = new Float64Array(fused.dim).fill(3);
        const v1 = fused.logDensityGrad(theta, g1);
        const v2 = twoPass.logDensityGrad(theta, g2);
        expectBitIdentical({ value: v1, grad: g1 }, { value: v2, grad: g2 }, `${family} β₁ = ${bad}`);
      }
    }
  });
});

describe("the kernels' row ranges", () => {
  for (const family of FAMILIES) {
    it(`${family}: any split of the rows gives logLikGrad bit for bit`, () => {
      const u = lcg(7);
      for (const n of [5, 300, 1500]) {
        const problem = problemOf(family, n, 1, n, { weights: true });
        const kernel = likelihoodKernel({ y: problem.y, weights: problem.weights, trials: null, family: problem.family });
        const ranges = kernel as unknown as RangeLikelihoodGradient;
        expect(typeof ranges.gradRows).toBe("function");
        const eta = Float64Array.from({ length: n }, () => 4 * u() - 2);
        const aux = family === "binomial" || family === "poisson" ? 0 : 0.4 * u() - 0.2;
        const s1 = new Float64Array(n), s2 = new Float64Array(n), a1 = new Float64Array(1), a2 = new Float64Array(1);
        const whole = kernel.logLikGrad(eta, aux, s1, a1);
        const state = new Float64Array(GRAD_STATE_LENGTH);
        ranges.gradBegin(n, aux, state);
        for (let start = 0; start < n;) {
          const end = Math.min(n, start + 1 + Math.floor(u() * 97));
          expect(ranges.gradRows(eta, aux, s2, start, end, state)).toBe(true);
          start = end;
        }
        const split = ranges.gradEnd(state, a2);
        expectBitIdentical({ value: split, grad: s2 }, { value: whole, grad: s1 }, `${family} n=${n} score`);
        expect(Object.is(a1[0], a2[0])).toBe(true);
      }
    });
  }
});

describe("Math.log1p, which the negative binomial–log kernel uses", () => {
  it("equals @stdlib's log1p (the generic model's) bit for bit", () => {
    const u = lcg(2026);
    const xs: number[] = [0, -0, -1, -1.5, 5e-324, -5e-324, 2 ** -54, 2 ** -53, 2 ** -29, 2 ** -28, 0.41421356237309503, -0.2928932188134524, 2 ** 53, 1e300, Infinity, -Infinity, NaN];
    for (let k = -1074; k < 1024; k += 3) xs.push(2 ** k, 2 ** k * 1.0000000000000002);
    for (let i = 0; i < 100_000; i++) {
      const r = u();
      xs.push(i % 4 === 0 ? r * 1e-6 : i % 4 === 1 ? 10 * r : i % 4 === 2 ? Math.exp(60 * r - 30) : -r);
    }
    let differ = 0;
    for (const x of xs) if (!Object.is(Math.log1p(x), stdlibLog1p(x))) differ++;
    expect(differ).toBe(0);
  });
});

describe("the logit kernel's unit-weight rows", () => {
  it("sum by row class i mod 8 with t = fastExp(−|η|) as documented, and stay within n·ε of logLik's log1p sum (n ≥ 1024)", () => {
    const u = lcg(11);
    for (const n of [1024, 1500, 4099]) {
      const problem = problemOf("binomial", n, 1, n);
      const kernel = likelihoodKernel({ y: problem.y, weights: problem.weights, trials: null, family: problem.family });
      const eta = Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 0 : i % 89 === 0 ? -0 : 12 * u() - 6));
      const score = new Float64Array(n);
      const aux = new Float64Array(1);
      const ll = kernel.logLikGrad(eta, 0, score, aux);
      // docs/glm-gradient.md's order written out: eight class sums and products, each product
      // closed at its 64th factor, then s_c = ℓ_c − log P_c added as ((s0+s1)+(s2+s3)) + ((s4+s5)+(s6+s7)).
      const w = problem.weights, y = problem.y;
      const lc = new Float64Array(8), pc = new Float64Array(8).fill(1), fc = new Float64Array(8);
      const refScore = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const wi = w[i]!, e = eta[i]!, c = i % 8;
        const t = fastExp(-Math.abs(e));
        const onePlusT = 1 + t;
        refScore[i] = wi * (y[i]! - (e >= 0 ? 1 : t) / onePlusT);
        lc[c] += wi * (y[i]! * e - Math.max(e, 0));
        pc[c] *= onePlusT;
        if (++fc[c]! === 64) { lc[c] -= Math.log(pc[c]!); pc[c] = 1; fc[c] = 0; }
      }
      const s = Array.from(lc, (l, c) => l - Math.log(pc[c]!));
      const ref = ((s[0]! + s[1]!) + (s[2]! + s[3]!)) + ((s[4]! + s[5]!) + (s[6]! + s[7]!));
      expectBitIdentical({ value: ll, grad: score }, { value: ref, grad: refScore }, `n=${n}`);
      // Each rounding (a factor, a product, a log, an add) is ≤ ε relative to a partial sum bounded by Σ|ℓ_i|.
      let absSum = 0;
      for (let i = 0; i < n; i++) absSum += Math.abs(y[i]! * eta[i]! - (Math.max(eta[i]!, 0) + Math.log1p(Math.exp(-Math.abs(eta[i]!)))));
      expect(Math.abs(ll - kernel.logLik(eta))).toBeLessThanOrEqual(4 * n * Number.EPSILON * absSum);
    }
  });
});

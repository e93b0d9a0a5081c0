/**
 * The one-call SIMD fused gradient (assembly/gradient.ts through src/likelihood/wasm-gradient.ts)
 * gives the TypeScript fused path's numbers bit for bit (Object.is on ℓ + prior, every gradient
 * component and every η), for each η-space kernel (binomial–logit with and without the blocked
 * log, with trials; Poisson–log; gaussian–identity; negative binomial–log), on random shapes
 * (n from 1 to 2100, so n mod 8 takes every value; p from 1 to 300, odd sizes), with offsets,
 * zero and fractional weights, extreme η (±40, ±800) and points where ℓ is −∞.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { makeFamily } from "../../src/families/index.js";
import type { GlmProblem } from "../../src/fit/ml-fit.js";
import { glmLogPosterior } from "../../src/likelihood/log-posterior.js";
import { wasmGlmGradient } from "../../src/likelihood/wasm-gradient.js";
import { likelihoodKernel } from "../../src/likelihood/glm-likelihood.js";
import { KernelArena, useKernels, wasmKernelsAvailable, type KernelChoice } from "../../src/linalg/kernels/index.js";
import { exponential, normal, resolveCoefficientPriors } from "../../src/priors/index.js";
import type { RangeLikelihoodGradient, LikelihoodKernel } from "../../src/types.js";
import { glmPosteriorTarget } from "../../src/likelihood/posterior-target.js";
import { sampleSync } from "../../samplers/index.js";

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

type FamilyName = "binomial" | "binomial-trials" | "poisson" | "negative_binomial" | "gaussian";
const FAMILIES: FamilyName[] = ["binomial", "binomial-trials", "poisson", "negative_binomial", "gaussian"];

interface Opts { offset: boolean; weights: boolean; scale: number }

function problemOf(family: FamilyName, n: number, p: number, seed: number, o: Opts): GlmProblem {
  const u = lcg(seed);
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) X[i * p + j] = j === 0 ? 1 : o.scale * (2 * u() - 1);
  const y = new Float64Array(n);
  const trials = family === "binomial-trials" ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    const r = u();
    if (family === "binomial") y[i] = r < 0.4 ? 1 : 0;
    else if (trials) { trials[i] = 1 + Math.floor(5 * u()); y[i] = Math.floor(r * (trials[i]! + 1)) / trials[i]!; }
    else if (family === "gaussian") y[i] = 3 * r - 1;
    else y[i] = Math.floor(6 * r * r);
  }
  const weights = trials ? Float64Array.from(trials) : new Float64Array(n).fill(1);
  if (o.weights) for (let i = 0; i < n; i++) weights[i] = i % 7 === 3 ? 0 : i % 5 === 1 ? 0.5 + u() : weights[i]!;
  const offset = o.offset ? Float64Array.from({ length: n }, () => 0.3 * u() - 0.1) : null;
  const name = family === "binomial-trials" ? "binomial" : family;
  return {
    X, n, p, y, weights, offset, trials,
    columnNames: Array.from({ length: p }, (_, j) => (j === 0 ? "(Intercept)" : `x${j}`)),
    hasIntercept: true,
    family: name === "negative_binomial" ? makeFamily("negative_binomial", { theta: 1.5 }) : makeFamily(name),
  };
}

const priorsOf = (problem: GlmProblem, family: FamilyName) => ({
  coefficients: resolveCoefficientPriors({ coefficients: normal(0, 2.5) }, problem.columnNames, true),
  ...(family === "negative_binomial" || family === "gaussian" ? { aux: exponential(1) } : {}),
});

function same(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let j = 0; j < a.length; j++) if (!Object.is(a[j], b[j])) expect(`${what}[${j}] = ${a[j]}`).toBe(`${what}[${j}] = ${b[j]}`);
}

function withKernels<T>(choice: KernelChoice, f: () => T): T {
  const prev = useKernels(choice);
  try {
    return f();
  } finally {
    useKernels(prev);
  }
}

afterEach(() => {
  useKernels("auto");
});

/** Random shapes: n in [1, 2100] (every n mod 8), p in [1, 300], n·p ≤ 1.2·10⁵ (fast). */
function shapes(seed: number, count: number): [number, number][] {
  const u = lcg(seed);
  const out: [number, number][] = [[1, 1], [7, 3], [8, 1], [9, 300], [1024, 2], [1031, 7], [2100, 19]];
  while (out.length < count) {
    const p = 1 + Math.floor(u() * (u() < 0.7 ? 40 : 300));
    const n = 1 + Math.floor(u() * Math.min(2100, 120_000 / p));
    out.push([n, p]);
  }
  return out;
}

describe.runIf(wasmKernelsAvailable())("the one-call SIMD fused gradient equals the TypeScript fused path bit for bit", () => {
  for (const family of FAMILIES) {
    it(`${family}: random shapes, offsets, weights, extreme η`, () => {
      let seed = 11;
      for (const [n, p] of shapes(family.length * 101, 14)) {
        for (const o of [
          { offset: false, weights: false, scale: 1 },
          { offset: true, weights: true, scale: 1 },
          { offset: n % 2 === 0, weights: false, scale: family === "gaussian" ? 1e3 : 40 },
        ]) {
          const problem = problemOf(family, n, p, seed++, o);
          const priors = priorsOf(problem, family);
          const ts = withKernels("ts", () => glmLogPosterior(problem, priors));
          const wasm = withKernels("wasm", () => glmLogPosterior(problem, priors));
          const u = lcg(seed * 7);
          for (let rep = 0; rep < 3; rep++) {
            const theta = Float64Array.from({ length: ts.dim }, () => (rep === 2 ? 3 : 0.6) * u() - (rep === 2 ? 1.5 : 0.3));
            const g1 = new Float64Array(ts.dim).fill(7);
            const g2 = new Float64Array(ts.dim).fill(-7);
            const what = `${family} n=${n} p=${p} ${JSON.stringify(o)} rep ${rep}`;
            const v1 = withKernels("ts", () => ts.logDensityGrad(theta, g1));
            const v2 = withKernels("wasm", () => wasm.logDensityGrad(theta, g2));
            if (!Object.is(v1, v2)) expect(`${what}: value ${v2}`).toBe(`${what}: value ${v1}`);
            same(g2, g1, `${what}: grad`);
          }
        }
      }
    });
  }

  it("the Hessian and the scoring matrix (XᵀWX on the SIMD crossprod) equal the TypeScript ones bit for bit, before and after a gradient", () => {
    const spy = vi.spyOn(KernelArena.prototype, "crossprod");
    try {
      let seed = 401;
      for (const family of FAMILIES) {
        for (const [n, p] of [[1, 1], [9, 4], [1031, 7], [2100, 19], [301, 57]] as const) {
          const problem = problemOf(family, n, p, seed++, { offset: n % 2 === 1, weights: true, scale: 1 });
          const priors = priorsOf(problem, family);
          const ts = withKernels("ts", () => glmLogPosterior(problem, priors));
          const wasm = withKernels("wasm", () => glmLogPosterior(problem, priors));
          const u = lcg(seed);
          const theta = Float64Array.from({ length: ts.dim }, () => 0.6 * u() - 0.3);
          const what = `${family} n=${n} p=${p}`;
          const calls = spy.mock.calls.length;
          // First use of the wasm posterior is its Hessian (the arena is made there), then a gradient, then both matrices again.
          same(withKernels("wasm", () => wasm.hessian(theta)), withKernels("ts", () => ts.hessian(theta)), `${what}: hessian`);
          expect(spy.mock.calls.length, `${what}: the SIMD crossprod ran`).toBeGreaterThan(calls);
          const g1 = new Float64Array(ts.dim), g2 = new Float64Array(ts.dim);
          expect(Object.is(withKernels("wasm", () => wasm.logDensityGrad(theta, g2)), withKernels("ts", () => ts.logDensityGrad(theta, g1))), what).toBe(true);
          same(g2, g1, `${what}: grad`);
          theta[0] = theta[0]! + 0.25;
          same(withKernels("wasm", () => wasm.hessian(theta)), withKernels("ts", () => ts.hessian(theta)), `${what}: hessian after a gradient`);
          same(withKernels("wasm", () => wasm.scoringMatrix(theta)), withKernels("ts", () => ts.scoringMatrix(theta)), `${what}: scoring matrix`);
        }
      }
    } finally {
      spy.mockRestore();
    }
  });

  it("really runs the wasm call, and its η is the gradient's column-parity sum bit for bit (and near linearPredictor's)", () => {
    for (const [family, pp] of FAMILIES.flatMap((f) => [[f, 13], [f, 14]] as const)) {
      const problem = problemOf(family, 1037, pp, 5, { offset: true, weights: true, scale: 1 });
      const kernel = likelihoodKernel({ y: problem.y, weights: problem.weights, trials: problem.trials, family: problem.family }) as LikelihoodKernel & RangeLikelihoodGradient;
      const one = wasmGlmGradient(problem.X, problem.n, problem.p, problem.offset, kernel);
      expect(one, family).not.toBeNull();
      const theta = Float64Array.from({ length: pp + 1 }, (_, j) => 0.1 * Math.sin(j));
      const grad = new Float64Array(pp);
      const aux = new Float64Array(1);
      const ll = one!.likelihoodGrad(theta, 0.2, grad, aux);
      expect(Number.isFinite(ll), family).toBe(true);
      // The gradient's η, written out: E over even columns, O over odd ones (each from 0 in column order), (E + O) + offset.
      const { X, n, p, offset } = problem;
      const etaOrder = Float64Array.from({ length: n }, (_, i) => {
        let e = 0, o = 0;
        for (let j = 0; j < p; j++) {
          if (j % 2 === 0) e += X[i * p + j]! * theta[j]!;
          else o += X[i * p + j]! * theta[j]!;
        }
        return e + o + offset![i]!;
      });
      same(one!.eta, etaOrder, `${family} p = ${pp} η`);
      // The benchmark's bare η in that order (KernelArena.gradientEta) gives the same bits.
      const arena = KernelArena.create(KernelArena.bytesFor([n * p, p, n, n]), false)!;
      const [Xa, ba, oa, ea] = [arena.alloc(n * p), arena.alloc(p), arena.alloc(n), arena.alloc(n)];
      Xa.set(X); ba.set(theta.subarray(0, p)); oa.set(offset!);
      arena.gradientEta(Xa, p, n, ba, oa, ea);
      same(ea, etaOrder, `${family} p = ${pp} gradientEta`);
      // linearPredictor (logLik's order) differs only by the reassociation: ≤ (p + 2)ε·(Σ_j |x_ij β_j| + |offset_i|).
      const lp = withKernels("ts", () => glmLogPosterior(problem, priorsOf(problem, family)));
      const lin = lp.linearPredictor(theta.subarray(0, lp.dim));
      let differ = 0;
      for (let i = 0; i < n; i++) {
        let mag = Math.abs(offset![i]!);
        for (let j = 0; j < p; j++) mag += Math.abs(X[i * p + j]! * theta[j]!);
        expect(Math.abs(one!.eta[i]! - lin[i]!), `${family} η[${i}]`).toBeLessThanOrEqual((p + 2) * 2.220446049250313e-16 * mag);
        if (!Object.is(one!.eta[i], lin[i])) differ++;
      }
      expect(differ, `${family}: the orders really differ`).toBeGreaterThan(0);
      // Below 1024 rows the gradient's η is linearPredictor's, bit for bit (the small models' draws are unchanged).
      const small = problemOf(family, 1000, pp, 5, { offset: true, weights: true, scale: 1 });
      const kSmall = likelihoodKernel({ y: small.y, weights: small.weights, trials: small.trials, family: small.family }) as LikelihoodKernel & RangeLikelihoodGradient;
      const oneSmall = wasmGlmGradient(small.X, small.n, small.p, small.offset, kSmall);
      expect(Number.isFinite(oneSmall!.likelihoodGrad(theta, 0.2, new Float64Array(pp), new Float64Array(1))), family).toBe(true);
      const lpSmall = withKernels("ts", () => glmLogPosterior(small, priorsOf(small, family)));
      same(oneSmall!.eta, lpSmall.linearPredictor(theta.subarray(0, lpSmall.dim)), `${family} p = ${pp} η below 1024 rows`);
      // And the likelihood kernel's own logLikGrad on that η (no pass over X) gives the same ℓ, ∂ℓ/∂u and row terms.
      const score = new Float64Array(problem.n);
      const aux2 = new Float64Array(1);
      const ll2 = kernel.logLikGrad(Float64Array.from(one!.eta), 0.2, score, aux2);
      expect(Object.is(ll, ll2), `${family}: ${ll} vs ${ll2}`).toBe(true);
      same(aux, aux2, `${family} ∂ℓ/∂u`);
      same(one!.score, score, `${family} row terms`);
    }
  });

  it("takes exp's rare range (|η| ≥ 708) in some groups of eight and not others, same bits", () => {
    for (const [family, n, weights] of [
      ["binomial", 1500, false], ["binomial", 1500, true], ["binomial", 900, false], ["binomial-trials", 1100, false],
      ["poisson", 1500, false], ["negative_binomial", 1500, true],
    ] as const) {
      const problem = problemOf(family, n, 2, 21, { offset: false, weights, scale: 1 });
      // Column 2 spans ±1100 in every 50th group of eight rows, ±3 elsewhere.
      for (let i = 0; i < n; i++) problem.X[i * 2 + 1] = (Math.floor(i / 8) % 50 === 7 ? 1100 : 3) * Math.sin(i);
      const priors = priorsOf(problem, family);
      const ts = withKernels("ts", () => glmLogPosterior(problem, priors));
      const wasm = withKernels("wasm", () => glmLogPosterior(problem, priors));
      for (const b of [1, -0.9, 0.01]) {
        const theta = new Float64Array(ts.dim).fill(0.2);
        theta[1] = b;
        const g1 = new Float64Array(ts.dim);
        const g2 = new Float64Array(ts.dim);
        const v1 = ts.logDensityGrad(theta, g1);
        const v2 = wasm.logDensityGrad(theta, g2);
        expect(Object.is(v1, v2), `${family} n = ${n} β = ${b}: ${v1} vs ${v2}`).toBe(true);
        same(g2, g1, `${family} n = ${n} weights ${weights} β = ${b}: grad`);
      }
    }
  });

  it("returns −∞ with a zero gradient where ℓ is −∞ or NaN, as the TypeScript path", () => {
    for (const family of FAMILIES) {
      const problem = problemOf(family, 203, 5, 3, { offset: false, weights: false, scale: 1 });
      const priors = priorsOf(problem, family);
      const ts = withKernels("ts", () => glmLogPosterior(problem, priors));
      const wasm = withKernels("wasm", () => glmLogPosterior(problem, priors));
      for (const bad of [NaN, Infinity, -Infinity, 1e308]) {
        const theta = new Float64Array(ts.dim).fill(0.1);
        theta[1] = bad;
        const g1 = new Float64Array(ts.dim).fill(3);
        const g2 = new Float64Array(ts.dim).fill(-3);
        const v1 = ts.logDensityGrad(theta, g1);
        const v2 = wasm.logDensityGrad(theta, g2);
        expect(Object.is(v1, v2), `${family} ${bad}: ${v1} vs ${v2}`).toBe(true);
        same(g2, g1, `${family} ${bad}: grad`);
      }
    }
  });

  it("is off with fusedGradient: false, and off under GLMKIT_KERNELS=ts", () => {
    const problem = problemOf("binomial", 1000, 20, 9, { offset: false, weights: false, scale: 1 });
    const priors = priorsOf(problem, "binomial");
    const twoPass = withKernels("wasm", () => glmLogPosterior(problem, priors, { fusedGradient: false }));
    const wasm = withKernels("wasm", () => glmLogPosterior(problem, priors));
    const theta = new Float64Array(20).fill(0.05);
    const g1 = new Float64Array(20);
    const g2 = new Float64Array(20);
    const v1 = twoPass.logDensityGrad(theta, g1);
    const v2 = wasm.logDensityGrad(theta, g2);
    expect(Object.is(v1, v2)).toBe(true);
    same(g2, g1, "two passes vs wasm");
  });

  it("NUTS gives the same draws with the SIMD and the TypeScript gradient (logistic and negative binomial, n·p ≥ the auto threshold)", () => {
    for (const family of ["binomial", "negative_binomial"] as const) {
      const problem = problemOf(family, 1603, 11, 77, { offset: family === "negative_binomial", weights: false, scale: 1 });
      const priors = priorsOf(problem, family);
      const run = (choice: KernelChoice) => withKernels(choice, () => {
        const target = glmPosteriorTarget(problem, priors);
        return sampleSync(target, { seed: 31, chains: 1, warmup: 60, draws: 40 });
      });
      const a = run("ts");
      const b = run("wasm");
      expect(a.draws[0]!.length).toBeGreaterThanOrEqual(40 * 11);
      same(b.draws[0]!, a.draws[0]!, `${family} draws`);
    }
  });
});

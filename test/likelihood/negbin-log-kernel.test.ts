/**
 * The negative binomial–log η-space kernel (src/families/negbin-likelihood.ts) gives the
 * generic kernel's numbers bit for bit (Object.is on every element: value, score, aux
 * gradient, rows, Hessian parts, Fisher weights, Jeffreys pieces), on roaches and quine at
 * their glm.nb fits and on edge cases (all-zero y, zero and fractional weights, large y,
 * extreme θ and η, NaN η), through its per-u caches; and NUTS draws with it equal the
 * draws without it at a fixed seed, θ sampled or held.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/index.js";
import { makeFamily } from "../../src/families/index.js";
import { NegbinLogKernel } from "../../src/families/negbin-likelihood.js";
import { likelihoodKernel, rowLikelihoodKernel, type RowLikelihoodKernel } from "../../src/likelihood/glm-likelihood.js";
import type { Family } from "../../src/types.js";
import type { GlmProblem } from "../../src/fit/ml-fit.js";
import { glm } from "../../models/glm.js";
import { samplePosteriorSync } from "../../models/posterior.js";

/** The family without its η-space kernel: the generic μ-space path. */
const genericOf = (fam: Family): Family => ({ ...fam, likelihood: { observationModel: fam.likelihood!.observationModel } });

const same = (a: ArrayLike<number>, b: ArrayLike<number>, what: string): void => {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect(`${what}[${i}] = ${a[i]}`).toBe(`${what}[${i}] = ${b[i]}`);
};

/** Every method of the two kernels at (η, u), compared bit for bit. */
function expectSame(fast: RowLikelihoodKernel, slow: RowLikelihoodKernel, eta: Float64Array, u: number): void {
  const n = eta.length;
  const at = `u = ${u}`;
  const s1 = new Float64Array(n).fill(9), s2 = new Float64Array(n).fill(9), a1 = new Float64Array(1), a2 = new Float64Array(1);
  same([fast.logLikGrad(eta, u, s1, a1)], [slow.logLikGrad(eta, u, s2, a2)], `logLikGrad ${at}`);
  same(s1, s2, `score ${at}`);
  same(a1, a2, `auxGrad ${at}`);
  same([fast.logLik(eta, u)], [slow.logLik(eta, u)], `logLik ${at}`);
  const r1 = new Float64Array(n), r2 = new Float64Array(n);
  fast.logLikRows(eta, u, r1);
  slow.logLikRows(eta, u, r2);
  same(r1, r2, `logLikRows ${at}`);
  const h1 = new Float64Array(n), h2 = new Float64Array(n), hu1 = new Float64Array(n), hu2 = new Float64Array(n);
  same([fast.hessianParts(eta, u, h1, hu1)], [slow.hessianParts(eta, u, h2, hu2)], `hessian huu ${at}`);
  same(h1, h2, `hEta ${at}`);
  same(hu1, hu2, `hEtaU ${at}`);
  const o1 = new Float64Array(n), o2 = new Float64Array(n);
  same([fast.fisher(eta, u, o1)], [slow.fisher(eta, u, o2)], `fisher ${at}`);
  same(o1, o2, `omega ${at}`);
  const j1 = Array.from({ length: 6 }, () => new Float64Array(n)), j2 = Array.from({ length: 6 }, () => new Float64Array(n));
  fast.fisherLogDerivatives(eta, u, j1[0]!, j1[1]!, j1[2]!, j1[3]!, j1[4]!, j1[5]!);
  slow.fisherLogDerivatives(eta, u, j2[0]!, j2[1]!, j2[2]!, j2[3]!, j2[4]!, j2[5]!);
  for (let k = 0; k < 6; k++) same(j1[k]!, j2[k]!, `fisherLogDerivatives[${k}] ${at}`);
  const x1 = new Float64Array(3), x2 = new Float64Array(3);
  expect(fast.auxInfoHalfLog(u, x1)).toBe(slow.auxInfoHalfLog(u, x2));
  same(x1, x2, `auxInfoHalfLog ${at}`);
  same([fast.startAux(eta)], [slow.startAux(eta)], "startAux");
  expect(fast.auxName).toBe(slow.auxName);
  expect(fast.logDispersionSlope).toBe(slow.logDispersionSlope);
}

function kernels(y: Float64Array, weights: Float64Array, fam: Family): { fast: RowLikelihoodKernel; slow: RowLikelihoodKernel } {
  const fast = rowLikelihoodKernel({ y, weights, trials: null, family: fam });
  const slow = rowLikelihoodKernel({ y, weights, trials: null, family: genericOf(fam) });
  expect(fast).toBeInstanceOf(NegbinLogKernel);
  expect(slow).not.toBeInstanceOf(NegbinLogKernel);
  return { fast, slow };
}

const ROACHES = { file: "roaches.csv", formula: "y ~ roach100 + treatment + senior + offset(log(exposure2))" };
const QUINE = { file: "quine.csv", formula: "Days ~ Eth + Sex + Age + Lrn" };
const PRIORS = { coefficients: "normal(0, 2.5)", intercept: "flat", aux: "exponential(1)" } as const;

function modelOf(c: { file: string; formula: string }) {
  const data = parseCsv(readFileSync(new URL(`../../data/${c.file}`, import.meta.url), "utf8"));
  return glm({ formula: c.formula, data, family: "negative_binomial", priors: PRIORS });
}

/** The linear predictor Xβ + offset of a problem. */
function etaOf(p: GlmProblem, beta: Float64Array): Float64Array {
  const eta = new Float64Array(p.n);
  for (let i = 0; i < p.n; i++) {
    let s = p.offset === null ? 0 : p.offset[i]!;
    for (let j = 0; j < p.p; j++) s += p.X[i * p.p + j]! * beta[j]!;
    eta[i] = s;
  }
  return eta;
}

describe("NegbinLogKernel on real data", () => {
  for (const c of [ROACHES, QUINE]) {
    it(`equals the generic kernel bit for bit around the glm.nb fit (${c.file}: ${c.formula})`, () => {
      const model = modelOf(c);
      const problem = model.resolved.problem;
      const fit = model.fit();
      const theta = fit.negbin!.theta;
      const { fast, slow } = kernels(problem.y, problem.weights, problem.family);
      const eta0 = etaOf(problem, fit.ml.coef);
      const etaFar = Float64Array.from(eta0, (e, i) => e + 0.7 * Math.sin(3 * i));
      // Repeated, interleaved u values exercise the per-u caches (hits and recomputes).
      for (const u of [Math.log(theta), Math.log(theta), Math.log(theta) - 2, Math.log(theta) + 3, Math.log(theta)]) {
        expectSame(fast, slow, eta0, u);
        expectSame(fast, slow, etaFar, u);
      }
    });
  }
});

describe("NegbinLogKernel edge cases", () => {
  const n = 40;
  const etaBase = Float64Array.from({ length: n }, (_, i) => 1.5 + 2 * Math.cos(0.9 * i));
  const fam = makeFamily("negative_binomial", { theta: 2.5 });
  const us = [Math.log(2.5), -30, -7, 12, 40, 700, 710, -746];

  it("all-zero responses", () => {
    const y = new Float64Array(n);
    const { fast, slow } = kernels(y, new Float64Array(n).fill(1), fam);
    for (const u of us) expectSame(fast, slow, etaBase, u);
  });

  it("zero, fractional and large weights, with repeated and distinct y", () => {
    const y = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : (i * 7) % 11));
    const w = Float64Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 0 : i % 5 === 1 ? 2.5 : i % 5 === 2 ? 0.37 : i === 4 ? 1e6 : 1));
    const { fast, slow } = kernels(y, w, fam);
    for (const u of us) expectSame(fast, slow, etaBase, u);
  });

  it("a y value only on rows of weight 0, and all weights 0", () => {
    const y = Float64Array.from({ length: n }, (_, i) => i);
    const w = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 0 : 1));
    const { fast, slow } = kernels(y, w, fam);
    for (const u of us) expectSame(fast, slow, etaBase, u);
    const none = kernels(y, new Float64Array(n), fam);
    for (const u of us) expectSame(none.fast, none.slow, etaBase, u);
  });

  it("large and non-integer y, extreme η", () => {
    const y = Float64Array.from({ length: n }, (_, i) => [0, 1e6, 3.5, 1e9, 2 ** 40, 0.25, 17][i % 7]!);
    const eta = Float64Array.from({ length: n }, (_, i) => [-800, -40, 0, 14, 21, 35, 700][i % 7]! + 0.01 * i);
    const { fast, slow } = kernels(y, new Float64Array(n).fill(1), fam);
    for (const u of us) {
      expectSame(fast, slow, eta, u);
      expectSame(fast, slow, etaBase, u);
    }
  });

  it("a NaN linear predictor gives −∞ and a zero score, as the generic kernel", () => {
    const y = Float64Array.from({ length: n }, (_, i) => i % 4);
    const { fast, slow } = kernels(y, new Float64Array(n).fill(1), fam);
    const bad = Float64Array.from(etaBase);
    bad[5] = NaN;
    expectSame(fast, slow, bad, 0.3);
    const s = new Float64Array(n).fill(7), a = new Float64Array(1);
    expect(fast.logLikGrad(bad, 0.3, s, a)).toBe(-Infinity);
    expect(s.every((v) => v === 0)).toBe(true);
    expect(fast.logLik(bad, 0.3)).toBe(-Infinity);
  });

  it("is the kernel of the log link only", () => {
    const y = Float64Array.of(0, 1, 2);
    const w = Float64Array.of(1, 1, 1);
    expect(likelihoodKernel({ y, weights: w, trials: null, family: fam })).toBeInstanceOf(NegbinLogKernel);
    expect(likelihoodKernel({ y, weights: w, trials: null, family: makeFamily("negative_binomial", { theta: 2, link: "power(0)" }) })).toBeInstanceOf(NegbinLogKernel);
    for (const link of ["sqrt", "identity"]) {
      expect(likelihoodKernel({ y, weights: w, trials: null, family: makeFamily("negative_binomial", { theta: 2, link }) })).not.toBeInstanceOf(NegbinLogKernel);
    }
  });
});

describe("NUTS with the NegbinLogKernel", () => {
  const model = modelOf(ROACHES);
  const problem = model.resolved.problem;
  const priors = model.resolvedPriors().priors;
  const slowProblem = { ...problem, family: genericOf(problem.family) };
  const options = { seed: 20240611, chains: 2, warmup: 150, draws: 150 };

  for (const [label, extra] of [["θ sampled", {}], ["θ held at 0.3", { fixedAux: 0.3 }]] as const) {
    it(`gives the draws of the generic kernel bit for bit (roaches, ${label})`, () => {
      const fast = samplePosteriorSync(problem, priors, { ...options, ...extra });
      const slow = samplePosteriorSync(slowProblem, priors, { ...options, ...extra });
      expect(fast.unconstrained.length).toBe(2);
      for (let c = 0; c < 2; c++) {
        same(fast.unconstrained[c]!, slow.unconstrained[c]!, `chain ${c} draws`);
        same(fast.lp![c]!, slow.lp![c]!, `chain ${c} lp`);
        same(fast.sampler[c]!.n_leapfrog__, slow.sampler[c]!.n_leapfrog__, `chain ${c} n_leapfrog`);
      }
      expect(fast.stepSize).toEqual(slow.stepSize);
    });
  }
});

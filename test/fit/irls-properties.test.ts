/**
 * Properties of the IRLS maximum-likelihood fit that hold whatever the data
 * (issue 2's evidence): one-step least squares for the gaussian identity model,
 * a zero score at convergence, non-negative deviance, aggregation and offset
 * identities, and equivariance under affine rescaling of a predictor.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import normalFactory from "@stdlib/random-base-normal";
import poissonFactory from "@stdlib/random-base-poisson";
import binomialFactory from "@stdlib/random-base-binomial";
import { Matrix, solve } from "ml-matrix";
import { glm } from "../../models/glm.js";
import { irls } from "../../src/fit/irls.js";
import { makeFamily } from "../../src/families/index.js";

const RUNS = Number(process.env.FC_RUNS ?? 1) * 25;

interface Sim { X: Float64Array; n: number; p: number; names: string[]; seed: number }

/** An n×p design with an intercept and p−1 standard-normal columns. */
function design(n: number, p: number, seed: number): Sim {
  const rnorm = normalFactory.factory(0, 1, { seed });
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) X[i * p + j] = j === 0 ? 1 : rnorm();
  return { X, n, p, names: ["(Intercept)", ...Array.from({ length: p - 1 }, (_, j) => `x${j + 1}`)], seed };
}

function eta(s: Sim, beta: number[]): Float64Array {
  const e = new Float64Array(s.n);
  for (let i = 0; i < s.n; i++) for (let j = 0; j < s.p; j++) e[i] += s.X[i * s.p + j]! * beta[j]!;
  return e;
}

const sims = fc.record({ n: fc.integer({ min: 30, max: 200 }), p: fc.integer({ min: 1, max: 5 }), seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }) });

describe("IRLS properties", () => {
  it("gaussian-identity IRLS equals least squares after one step", () => {
    fc.assert(
      fc.property(sims, ({ n, p, seed }) => {
        const s = design(n, p, seed);
        const rnorm = normalFactory.factory(0, 1, { seed: seed + 7 });
        const y = eta(s, [1, -2, 0.5, 3, -1]).map((e) => e + rnorm());
        const one = irls({ X: s.X, n, p, y, weights: new Float64Array(n).fill(1), offset: null, family: makeFamily("gaussian", {}) }, { maxit: 1 });
        const Xm = new Matrix(Array.from({ length: n }, (_, i) => Array.from(s.X.subarray(i * p, i * p + p))));
        const ls = solve(Xm.transpose().mmul(Xm), Xm.transpose().mmul(Matrix.columnVector(Array.from(y)))).getColumn(0);
        for (let j = 0; j < p; j++) expect(one.coef[j]).toBeCloseTo(ls[j]!, 8);
        const full = glm({ design: { X: s.X, y, n, p, columnNames: s.names }, family: "gaussian" }).fit();
        expect(full.iterations).toBe(2); // the second iteration only confirms the deviance, as in R
      }),
      { numRuns: RUNS },
    );
  });

  it("the score Xᵀ W (z − η) vanishes at convergence and the deviance is ≥ 0", () => {
    const cases = [
      { family: "binomial", link: "logit" },
      { family: "binomial", link: "probit" },
      { family: "poisson", link: "log" },
      { family: "Gamma", link: "log" },
    ];
    fc.assert(
      fc.property(sims, fc.constantFrom(...cases), ({ n, p, seed }, c) => {
        const s = design(n, p, seed);
        const e = eta(s, [0.2, 0.5, -0.4, 0.3, -0.2]);
        const pois = poissonFactory.factory({ seed: seed + 1 });
        const rbin = binomialFactory.factory({ seed: seed + 2 });
        const y = e.map((v) => {
          if (c.family === "binomial") return rbin(1, 1 / (1 + Math.exp(-v)));
          if (c.family === "poisson") return pois(Math.exp(v));
          return Math.exp(v) * (0.5 + ((pois(4) + 1) / 5));
        });
        const fit = glm({ design: { X: s.X, y, n, p, columnNames: s.names }, family: c.family, link: c.link }).fit({ epsilon: 1e-12, maxit: 100 });
        expect(fit.deviance).toBeGreaterThanOrEqual(0);
        if (!fit.converged || fit.ml.irls.aliased.some((a) => a === 1)) return; // separation or aliasing: no finite score root
        const fam = fit.ml.problem.family;
        const mu = fit.fitted;
        const et = fit.linearPredictor;
        let scale = 0;
        for (let j = 0; j < p; j++) {
          let u = 0;
          for (let i = 0; i < n; i++) {
            const me = fam.link.muEta(et[i]!);
            u += (s.X[i * p + j]! * (y[i]! - mu[i]!) * me) / fam.variance(mu[i]!);
            scale += Math.abs(s.X[i * p + j]! * (y[i]! - mu[i]!) * me / fam.variance(mu[i]!));
          }
          expect(Math.abs(u)).toBeLessThan(1e-6 * Math.max(1, scale));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("aggregated binomial counts with trials give the expanded Bernoulli fit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 12 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (groups, seed) => {
        const rbin = binomialFactory.factory({ seed });
        const x = Array.from({ length: groups }, (_, g) => g / 2 - 1);
        const trials = x.map((_, g) => 3 + ((seed >> g) & 7));
        const succ = x.map((xg, g) => rbin(trials[g]!, 1 / (1 + Math.exp(-(0.3 + 0.8 * xg)))));
        const agg = glm({ formula: "cbind(s, f) ~ x", data: { s: succ, f: succ.map((sv, g) => trials[g]! - sv), x }, family: "binomial" }).fit({ epsilon: 1e-13, maxit: 100 });
        const rows: { y: number; x: number }[] = [];
        x.forEach((xg, g) => {
          for (let k = 0; k < trials[g]!; k++) rows.push({ y: k < succ[g]! ? 1 : 0, x: xg });
        });
        const exp = glm({ formula: "y ~ x", data: rows, family: "binomial" }).fit({ epsilon: 1e-13, maxit: 100 });
        if (!agg.converged || !exp.converged) return;
        // Differences are measured in standard errors: near separation the likelihood is flat and
        // the deviance-based stopping rule pins β down only to a small fraction of its SE.
        agg.coefficients.forEach((c, j) => {
          const e = exp.coefficients[j]!;
          expect(Math.abs(c.estimate! - e.estimate!) / e.se!).toBeLessThan(1e-5);
          expect(Math.abs(c.se! - e.se!) / e.se!).toBeLessThan(1e-5);
        });
        expect(agg.deviance).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: RUNS },
    );
  });

  it("a Poisson offset log(t) gives the rate model y/t with weights t", () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 80 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, seed) => {
        const pois = poissonFactory.factory({ seed });
        const rnorm = normalFactory.factory(0, 1, { seed: seed + 3 });
        const x = Array.from({ length: n }, () => rnorm());
        const t = Array.from({ length: n }, (_, i) => 1 + ((i * 7919 + seed) % 13));
        const y = x.map((xi, i) => pois(t[i]! * Math.exp(0.1 + 0.4 * xi)));
        const off = glm({ formula: "y ~ x + offset(log(t))", data: { y, x, t }, family: "poisson" }).fit({ epsilon: 1e-12 });
        const rate = glm({ formula: "r ~ x", data: { r: y.map((v, i) => v / t[i]!), x }, weights: t, family: "poisson" }).fit({ epsilon: 1e-12 });
        off.coefficients.forEach((c, j) => {
          expect(c.estimate!).toBeCloseTo(rate.coefficients[j]!.estimate!, 7);
          expect(c.se!).toBeCloseTo(rate.coefficients[j]!.se!, 7);
        });
        expect(off.deviance).toBeCloseTo(rate.deviance, 6);
      }),
      { numRuns: RUNS },
    );
  });

  it("fits are equivariant under affine rescaling of a predictor", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 30, max: 150 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        (n, seed, a, b) => {
          const pois = poissonFactory.factory({ seed });
          const rnorm = normalFactory.factory(0, 1, { seed: seed + 5 });
          const x = Array.from({ length: n }, () => rnorm());
          const y = x.map((xi) => pois(Math.exp(0.5 + 0.3 * xi)));
          const f1 = glm({ formula: "y ~ x", data: { y, x }, family: "poisson" }).fit({ epsilon: 1e-12 });
          const f2 = glm({ formula: "y ~ u", data: { y, u: x.map((v) => a * v + b) }, family: "poisson" }).fit({ epsilon: 1e-12 });
          const [b0, b1] = f1.coefficients.map((c) => c.estimate!);
          const [c0, c1] = f2.coefficients.map((c) => c.estimate!);
          expect(c1! * a).toBeCloseTo(b1!, 7);
          expect(c0! + c1! * b).toBeCloseTo(b0!, 6);
          expect(f2.coefficients[1]!.se! * a).toBeCloseTo(f1.coefficients[1]!.se!, 7);
          expect(f2.deviance).toBeCloseTo(f1.deviance, 7);
          expect(f2.coefficients[1]!.statistic!).toBeCloseTo(f1.coefficients[1]!.statistic!, 6);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

/**
 * Properties of the multinomial logit on random data (fast-check, fixed seed):
 * fitted probabilities do not depend on the reference category; ML = the Poisson
 * log-linear ML with a factor per row (the "Poisson trick", Baker 1994); K = 2 = the
 * binomial logit; the analytic score/information agree with finite differences;
 * separation is flagged on generated separable data.
 */
import { expect, test } from "vitest";
import fc from "fast-check";
import { glm } from "../../models/glm.js";
import { multinomial } from "../../models/multinomial.js";
import { multinomialLogLik, multinomialScoreInfo, multinomialWorkspace, type MultinomialProblem } from "../../src/multinomial/likelihood.js";

const LEVELS = ["a", "b", "c", "d"];

/** Random data: n rows, K categories drawn from softmax(x·B) with a seed-driven B, two covariates. */
const dataArb = (K: number, nMin = 40, nMax = 70) =>
  fc.record({
    n: fc.integer({ min: nMin, max: nMax }),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
    scale: fc.double({ min: 0.2, max: 1.2, noNaN: true }),
  }).map(({ n, seed, scale }) => {
    let s = seed;
    const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
    const B = Array.from({ length: K * 3 }, () => scale * (2 * u() - 1));
    const x1: number[] = [], x2: number[] = [], y: string[] = [];
    for (let i = 0; i < n; i++) {
      const a = 2 * u() - 1, b = 2 * u() - 1;
      const eta = Array.from({ length: K }, (_, k) => (k === 0 ? 0 : B[3 * k]! + B[3 * k + 1]! * a + B[3 * k + 2]! * b));
      const w = eta.map(Math.exp), tot = w.reduce((p, q) => p + q, 0);
      let r = u() * tot, k = 0;
      while (k < K - 1 && r > w[k]!) { r -= w[k]!; k++; }
      x1.push(a); x2.push(b); y.push(LEVELS[i < K ? i : k]!); // every category present
    }
    return { y, x1, x2 };
  });

const fitOf = (d: { y: string[]; x1: number[]; x2: number[] }, ref?: string) =>
  multinomial({ formula: "y ~ x1 + x2", data: d, ...(ref ? { ref } : {}) }).fit({ epsilon: 1e-12, maxit: 50 });

test("fitted probabilities are invariant to the reference category", () => {
  fc.assert(fc.property(dataArb(3), (d) => {
    const a = fitOf(d);
    fc.pre(a.separation?.detected === false && a.record.converged);
    const b = fitOf(d, "c");
    const fa = a.record.fitted, fb = b.record.fitted;
    for (let i = 0; i < fa.length; i++) expect(Math.abs(fa[i]! - fb[i]!)).toBeLessThan(1e-9);
    expect(Math.abs(a.deviance - b.deviance)).toBeLessThan(1e-8 * (1 + a.deviance));
    // the coefficients of b against c: β_b − β_c from the fit against a
    const A = Object.fromEntries(a.coefficients.map((c) => [c.name, c.estimate]));
    const B = Object.fromEntries(b.coefficients.map((c) => [c.name, c.estimate]));
    for (const t of ["(Intercept)", "x1", "x2"]) expect(B[`b:${t}`]!).toBeCloseTo(A[`b:${t}`]! - A[`c:${t}`]!, 7);
  }), { numRuns: 15 });
});

test("ML = Poisson log-linear ML with a factor per row (the Poisson trick)", () => {
  fc.assert(fc.property(dataArb(3, 15, 25), (d) => {
    const m = fitOf(d);
    fc.pre(m.separation?.detected === false && m.record.converged);
    const n = d.y.length, K = 3, p = 3;
    const ncol = n + (K - 1) * p;
    const X = new Float64Array(n * K * ncol), y = new Float64Array(n * K);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < K; k++) {
        const r = i * K + k;
        X[r * ncol + i] = 1;
        y[r] = d.y[i] === LEVELS[k] ? 1 : 0;
        if (k > 0) [1, d.x1[i]!, d.x2[i]!].forEach((v, j) => { X[r * ncol + n + (k - 1) * p + j] = v; });
      }
    const pois = glm({ design: { X, y, n: n * K, p: ncol, hasIntercept: false }, family: "poisson" }).fit({ epsilon: 1e-14, maxit: 100 });
    const z = pois.coefficients.slice(n);
    m.coefficients.forEach((c, k) => {
      expect(Math.abs(c.estimate - z[k]!.estimate)).toBeLessThan(1e-6 * (1 + Math.abs(c.estimate)));
      expect(Math.abs(c.se - z[k]!.se)).toBeLessThan(1e-6 * c.se);
    });
    expect(Math.abs(m.deviance - pois.toJSON().deviance)).toBeLessThan(1e-7 * (1 + m.deviance));
  }), { numRuns: 8 });
});

test("K = 2 is the binomial logit: coefficients, SEs, deviance and AIC", () => {
  fc.assert(fc.property(dataArb(2), (d) => {
    const m = fitOf(d);
    fc.pre(m.separation?.detected === false && m.record.converged);
    const yb = d.y.map((v) => (v === "b" ? 1 : 0));
    const b = glm({ formula: "y ~ x1 + x2", data: { ...d, y: yb }, family: "binomial" }).fit({ epsilon: 1e-14, maxit: 100 });
    m.coefficients.forEach((c, k) => {
      expect(c.name).toBe(`b:${b.coefficients[k]!.name}`);
      expect(Math.abs(c.estimate - b.coefficients[k]!.estimate)).toBeLessThan(1e-7 * (1 + Math.abs(c.estimate)));
      expect(Math.abs(c.se - b.coefficients[k]!.se)).toBeLessThan(1e-7 * c.se);
    });
    const j = b.toJSON();
    expect(Math.abs(m.deviance - j.deviance)).toBeLessThan(1e-9 * (1 + j.deviance));
    expect(Math.abs(m.aic - (j.aic as number))).toBeLessThan(1e-9 * (1 + (j.aic as number)));
  }), { numRuns: 15 });
});

test("score and information agree with central differences of the log-likelihood", () => {
  fc.assert(fc.property(dataArb(4, 12, 20), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 9, maxLength: 9 }), fc.integer({ min: 0, max: 3 }), (d, b, ref) => {
    const n = d.y.length, K = 4, p = 3;
    const X = new Float64Array(n * p), Y = new Float64Array(n * K);
    for (let i = 0; i < n; i++) { X.set([1, d.x1[i]!, d.x2[i]!], i * p); Y[i * K + LEVELS.indexOf(d.y[i]!)] = 1 + (i % 3); }
    const prob: MultinomialProblem = { X, n, p, Y, K, ref, offset: null };
    const ws = multinomialWorkspace(prob), beta = Float64Array.from(b);
    multinomialLogLik(prob, beta, ws);
    multinomialScoreInfo(prob, ws);
    const g = Float64Array.from(ws.grad), I = Float64Array.from(ws.info), D = 9, h = 1e-5;
    for (let a = 0; a < D; a++) {
      const up = Float64Array.from(beta), dn = Float64Array.from(beta);
      up[a] += h; dn[a] -= h;
      const fd = (multinomialLogLik(prob, up, ws) - multinomialLogLik(prob, dn, ws)) / (2 * h);
      expect(Math.abs(fd - g[a]!)).toBeLessThan(1e-6 * (1 + Math.abs(g[a]!)));
      multinomialLogLik(prob, up, ws); multinomialScoreInfo(prob, ws);
      const gu = Float64Array.from(ws.grad);
      multinomialLogLik(prob, dn, ws); multinomialScoreInfo(prob, ws);
      for (let c = 0; c < D; c++) expect(Math.abs(-(gu[c]! - ws.grad[c]!) / (2 * h) - I[a * D + c]!)).toBeLessThan(1e-5 * (1 + Math.abs(I[a * D + c]!)));
    }
  }), { numRuns: 10 });
});

test("separation is flagged on generated separable data (categories by intervals of a linear score)", () => {
  fc.assert(fc.property(fc.integer({ min: 12, max: 40 }), fc.integer({ min: 1, max: 2 ** 30 }), fc.double({ min: -2, max: 2, noNaN: true }), (n, seed, tilt) => {
    let s = seed;
    const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
    const x1: number[] = [], x2: number[] = [], y: string[] = [];
    for (let i = 0; i < n; i++) {
      const a = 2 * u() - 1, b = 2 * u() - 1, score = a + tilt * b;
      x1.push(a); x2.push(b);
      y.push(score < -0.3 ? "a" : score < 0.3 ? "b" : "c");
    }
    fc.pre(new Set(y).size === 3);
    const fit = multinomial({ formula: "y ~ x1 + x2", data: { y, x1, x2 } }).fit();
    expect(fit.separation?.detected).toBe(true);
    expect(Object.keys(fit.separation!.infinite).length).toBeGreaterThan(0);
  }), { numRuns: 15 });
});

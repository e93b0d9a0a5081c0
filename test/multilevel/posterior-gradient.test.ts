import { describe, expect, it } from "vitest";
import { readCsv } from "../../src/data/csv.js";
import { binomial, gaussian, Gamma, negativeBinomial, poisson } from "../../src/families/index.js";
import { normal, studentT } from "../../src/priors/coefficient.js";
import { exponential, halfNormal } from "../../src/priors/auxiliary.js";
import { corrCholeskyBackward, corrCholeskyForward, corrDim, lkjCholeskyLogDensity } from "../../src/multilevel/cholesky-corr.js";
import { decov, lkj, parseCovariancePrior, describeCovariancePrior } from "../../src/multilevel/priors.js";
import { gaussianIdentityKernel, multilevelTarget, type MultilevelPriors } from "../../src/multilevel/posterior.js";
import { likelihoodKernel } from "../../src/likelihood/glm-likelihood.js";
import { testDesign, groupTerm } from "../../src/multilevel/test-design.js";
import type { MultilevelDesign } from "../../src/multilevel/types.js";
import type { Family } from "../../src/types.js";
import { sampleSync } from "../../samplers/sample.js";
import { PriorError } from "../../src/errors.js";

/** A deterministic pseudo-random sequence in (−a, a). */
function pseudo(seed: number, a: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 2 * a;
  };
}

/** Max relative error of the gradient against a five-point stencil (step h). */
function gradError(f: (x: Float64Array, g: Float64Array) => number, x: Float64Array, h = 1e-3): number {
  const d = x.length;
  const g = new Float64Array(d);
  f(x, g);
  const tmp = new Float64Array(d);
  let worst = 0;
  for (let j = 0; j < d; j++) {
    const at = (step: number) => {
      const xs = Float64Array.from(x);
      xs[j] += step;
      return f(xs, tmp);
    };
    const fd = (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h);
    worst = Math.max(worst, Math.abs(fd - g[j]!) / Math.max(1, Math.abs(fd)));
  }
  return worst;
}

describe("Cholesky factor of a correlation matrix (CPC / tanh)", () => {
  for (const K of [2, 3, 4, 5]) {
    it(`K = ${K}: LLᵀ has a unit diagonal, and the gradient of f(L) + log|J| matches finite differences`, () => {
      const m = corrDim(K);
      const rnd = pseudo(K, 1.5);
      const y = Float64Array.from({ length: m }, rnd);
      const L = new Float64Array(K * K);
      const z = new Float64Array(m);
      const s = new Float64Array(m);
      corrCholeskyForward(K, y, 0, L, z, s);
      for (let i = 0; i < K; i++) {
        let d = 0;
        for (let j = 0; j <= i; j++) d += L[i * K + j]! ** 2;
        expect(Math.abs(d - 1)).toBeLessThan(1e-14);
      }
      // f(L) = Σ c_ij L_ij over the lower triangle plus LKJ(2.5): exercises every entry
      const c = Float64Array.from({ length: K * K }, pseudo(99 + K, 2));
      const f = (yy: Float64Array, g: Float64Array): number => {
        g.fill(0);
        const lj = corrCholeskyForward(K, yy, 0, L, z, s);
        const gL = new Float64Array(K * K);
        let v = lj + lkjCholeskyLogDensity(K, 2.5, L, gL);
        for (let i = 0; i < K; i++) for (let j = 0; j <= i; j++) { v += c[i * K + j]! * L[i * K + j]!; gL[i * K + j] += c[i * K + j]!; }
        corrCholeskyBackward(K, L, z, s, gL, g, 0);
        return v;
      };
      expect(gradError(f, y)).toBeLessThan(1e-7);
    });
  }

  it("log|J| is the log-determinant of the Jacobian of y ↦ the strictly lower entries of L (K = 3)", () => {
    const K = 3;
    const m = corrDim(K);
    const y = Float64Array.of(0.3, -0.7, 1.1);
    const L = new Float64Array(9);
    const z = new Float64Array(m);
    const s = new Float64Array(m);
    const lj = corrCholeskyForward(K, y, 0, L, z, s);
    const lower = (yy: Float64Array) => {
      const LL = new Float64Array(9);
      corrCholeskyForward(K, yy, 0, LL, new Float64Array(m), new Float64Array(m));
      return [LL[3]!, LL[6]!, LL[7]!];
    };
    const h = 1e-6;
    const J: number[][] = [];
    for (let j = 0; j < m; j++) {
      const p = Float64Array.from(y); p[j] += h;
      const q = Float64Array.from(y); q[j] -= h;
      const a = lower(p), b = lower(q);
      J.push(a.map((v, i) => (v - b[i]!) / (2 * h)));
    }
    const det = J[0]![0]! * (J[1]![1]! * J[2]![2]! - J[1]![2]! * J[2]![1]!) - J[0]![1]! * (J[1]![0]! * J[2]![2]! - J[1]![2]! * J[2]![0]!) + J[0]![2]! * (J[1]![0]! * J[2]![1]! - J[1]![1]! * J[2]![0]!);
    expect(Math.abs(Math.log(Math.abs(det)) - lj)).toBeLessThan(1e-8);
  });

  it("LKJ(1) for K = 3 sampled by NUTS on the unconstrained space: each correlation is Beta(1.5, 1.5) on (−1, 1)", () => {
    const K = 3;
    const m = corrDim(K);
    const L = new Float64Array(9);
    const z = new Float64Array(m);
    const s = new Float64Array(m);
    const gL = new Float64Array(9);
    const target = {
      dim: m,
      logDensityGrad(y: Float64Array, g: Float64Array) {
        g.fill(0);
        gL.fill(0);
        const lj = corrCholeskyForward(K, y, 0, L, z, s);
        const lp = lj + lkjCholeskyLogDensity(K, 1, L, gL);
        corrCholeskyBackward(K, L, z, s, gL, g, 0);
        return lp;
      },
    };
    const fit = sampleSync(target, { seed: 11, chains: 2, warmup: 500, draws: 4000 });
    // E r² = Var r = 1/(2a+1) for Beta(a, a) on (−1, 1) with a = η − 1 + K/2 = 1.5: 0.25; E r⁴ = 3/((2a+1)(2a+3)) = 0.125
    const r2: number[][] = [[], [], []];
    for (const d of fit.draws) {
      for (let t = 0; t < d.length / m; t++) {
        corrCholeskyForward(K, d, t * m, L, z, s);
        const r12 = L[3]!;
        const r13 = L[6]!;
        const r23 = L[3]! * L[6]! + L[4]! * L[7]!;
        r2[0]!.push(r12 * r12); r2[1]!.push(r13 * r13); r2[2]!.push(r23 * r23);
      }
    }
    for (const v of r2) {
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
      // draws are not independent: allow 5 standard errors with an ESS of a quarter of the draws
      const se = sd / Math.sqrt(v.length / 4);
      expect(Math.abs(mean - 0.25)).toBeLessThan(5 * se);
    }
  });
});

describe("covariance prior parsers", () => {
  it("reads decov and lkj specs and writes them back", () => {
    expect(describeCovariancePrior(parseCovariancePrior("decov(1, 1, 1, 1)"))).toBe("decov(1, 1, 1, 1)");
    expect(parseCovariancePrior(" decov( regularization = 2 ) ")).toMatchObject({ kind: "decov", regularization: 2, concentration: 1, shape: 1, scale: 1 });
    const l = parseCovariancePrior("lkj(2)", "half_normal(3)");
    expect(l.kind === "lkj" && l.eta === 2 && l.sd.describe()).toBe("half_normal(3)");
    expect(parseCovariancePrior("lkj()").kind).toBe("lkj");
  });
  it("rejects malformed specs with a PriorError naming them", () => {
    expect(() => parseCovariancePrior("decov(1, 1, 1, 1, 1)")).toThrow(PriorError);
    expect(() => parseCovariancePrior("wishart(3)")).toThrow(/wishart/);
    expect(() => parseCovariancePrior("lkj(-1)")).toThrow(/eta/);
    expect(() => parseCovariancePrior("decov(a)")).toThrow(/number/);
    expect(() => parseCovariancePrior("decov(1)", "half_normal(1)")).toThrow(/lkj/);
    expect(() => parseCovariancePrior("lkj(1)", "flat")).toThrow(/flat/);
  });
});

function priorsFor(design: MultilevelDesign, family: Family, covariance: MultilevelPriors["covariance"]): MultilevelPriors {
  return {
    coefficients: design.columnNames.map((c) => (c === "(Intercept)" ? normal(0, 5) : studentT(4, 0, 2))),
    aux: family.aux ? exponential(0.5) : undefined,
    covariance,
  };
}

function check(design: MultilevelDesign, family: Family, covariance: MultilevelPriors["covariance"], seed: number, radius = 1): number {
  const t = multilevelTarget(design, family, priorsFor(design, family, covariance));
  const theta = Float64Array.from({ length: t.dim }, pseudo(seed, radius));
  return gradError((x, g) => t.logDensityGrad(x, g), theta);
}

describe("multilevel log posterior: gradient against finite differences", () => {
  const sleep = testDesign(readCsv("test/data/multilevel/sleepstudy.csv"), {
    response: "Reaction", fixed: ["Days"], groups: [{ factor: "Subject", columns: ["(Intercept)", "Days"] }],
  });
  const cbpp = testDesign(readCsv("test/data/multilevel/cbpp.csv"), {
    response: "incidence", failures: "failures", fixed: ["period"], factors: ["period"], groups: [{ factor: "herd", columns: ["(Intercept)"] }],
  });
  const epil = testDesign(readCsv("test/data/multilevel/epilepsy.csv"), {
    response: "y", fixed: ["post", "trt", "post:trt"], offset: { column: "weeks", log: true }, groups: [{ factor: "subject", columns: ["(Intercept)"] }],
  });
  const pen = testDesign(readCsv("test/data/multilevel/penicillin.csv"), {
    response: "diameter", fixed: [], groups: [{ factor: "plate", columns: ["(Intercept)"] }, { factor: "sample", columns: ["(Intercept)"] }],
  });

  it("builds the designs as lme4 does (levels, sizes)", () => {
    expect(sleep.terms[0]!.levels.slice(0, 3)).toEqual(["308", "309", "310"]);
    expect(sleep.n).toBe(180);
    expect(cbpp.columnNames).toEqual(["(Intercept)", "period2", "period3", "period4"]);
    expect(epil.n).toBe(295);
    expect(pen.terms.map((t) => t.levels.length)).toEqual([24, 6]);
  });

  it("gaussian, (1 + Days | Subject), decov (σ scales the SDs) and lkj", () => {
    expect(check(sleep, gaussian(), decov(), 1, 0.5)).toBeLessThan(1e-6);
    expect(check(sleep, gaussian(), decov(2, 1.5, 2, 3), 2, 0.5)).toBeLessThan(1e-6);
    expect(check(sleep, gaussian(), lkj(2, halfNormal(20)), 3, 0.5)).toBeLessThan(1e-6);
  });
  it("binomial with trials, Poisson with an offset, crossed gaussian terms", () => {
    expect(check(cbpp, binomial(), decov(), 4)).toBeLessThan(1e-6);
    expect(check(cbpp, binomial("probit"), lkj(1), 5)).toBeLessThan(1e-6);
    expect(check(epil, poisson(), decov(), 6, 0.3)).toBeLessThan(1e-6);
    expect(check(pen, gaussian(), decov(), 7, 0.5)).toBeLessThan(1e-6);
  });
  it("K = 3 correlated term, an uncorrelated K = 2 term, Gamma and negative binomial", () => {
    const n = 60;
    const rnd = pseudo(42, 1);
    const x1 = Float64Array.from({ length: n }, rnd);
    const x2 = Float64Array.from({ length: n }, rnd);
    const labels = Array.from({ length: n }, (_, i) => `g${i % 7}`);
    const labels2 = Array.from({ length: n }, (_, i) => `h${i % 4}`);
    const v3 = new Float64Array(n * 3);
    const v2 = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) { v3[i * 3] = 1; v3[i * 3 + 1] = x1[i]!; v3[i * 3 + 2] = x2[i]!; v2[i * 2] = 1; v2[i * 2 + 1] = x1[i]!; }
    const X = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) { X[i * 2] = 1; X[i * 2 + 1] = x1[i]!; }
    const y = Float64Array.from({ length: n }, (_, i) => 1 + Math.abs(rnd()) * 3 + (i % 3));
    const design: MultilevelDesign = {
      n, X, p: 2, columnNames: ["(Intercept)", "x1"], y, weights: new Float64Array(n).fill(1), offset: new Float64Array(n),
      terms: [groupTerm("g", labels, ["(Intercept)", "x1", "x2"], v3, true), groupTerm("h", labels2, ["(Intercept)", "x1"], v2, false)],
    };
    expect(check(design, gaussian(), decov(1.5, 2, 1, 2), 8, 0.5)).toBeLessThan(1e-6);
    expect(check(design, gaussian(), lkj(3), 9, 0.5)).toBeLessThan(1e-6);
    expect(check(design, Gamma("log"), decov(), 10, 0.3)).toBeLessThan(1e-6);
    const counts = { ...design, y: Float64Array.from(y, Math.round) };
    expect(check(counts, negativeBinomial(2), decov(), 11, 0.3)).toBeLessThan(1e-6);
  });
  it("the one-pass gaussian–identity kernel equals the family's generic kernel (value, score, ∂/∂log σ)", () => {
    const n = 50;
    const rnd = pseudo(5, 3);
    const y = Float64Array.from({ length: n }, rnd);
    const w = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : 0.5 + Math.abs(rnd())));
    const eta = Float64Array.from({ length: n }, rnd);
    const a = gaussianIdentityKernel(y, w);
    const b = likelihoodKernel({ y, weights: w, trials: null, family: gaussian() });
    const sa = new Float64Array(n), sb = new Float64Array(n), ga = new Float64Array(1), gb = new Float64Array(1);
    const va = a.logLikGrad(eta, 0.3, sa, ga);
    const vb = b.logLikGrad(eta, 0.3, sb, gb);
    expect(Math.abs(va - vb) / Math.abs(vb)).toBeLessThan(1e-13);
    expect(Math.abs(ga[0]! - gb[0]!) / Math.abs(gb[0]!)).toBeLessThan(1e-12);
    for (let i = 0; i < n; i++) expect(Math.abs(sa[i]! - sb[i]!)).toBeLessThan(1e-12 * (1 + Math.abs(sb[i]!)));
  });

  it("names the unconstrained coordinates and the brms outputs", () => {
    const t = multilevelTarget(sleep, gaussian(), priorsFor(sleep, gaussian(), decov()));
    expect(t.outputNames.slice(0, 6)).toEqual(["b_Intercept", "b_Days", "sd_Subject__Intercept", "sd_Subject__Days", "cor_Subject__Intercept__Days", "sigma"]);
    expect(t.outputNames[6]).toBe("r_Subject[308,Intercept]");
    expect(t.dim).toBe(2 + 1 + 1 + 2 + 1 + 36);
  });
});

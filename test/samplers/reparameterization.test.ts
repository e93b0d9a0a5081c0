/**
 * The linear reparameterization of NUTS (samplers/reparameterized.ts,
 * src/likelihood/linear-reparameterization.ts, models/posterior.ts):
 * - "none" reproduces the draws of the sampler before the reparameterization existed,
 *   bit for bit (test/samplers/fixtures/baseline-draws.json, recorded at commit d2f743d);
 * - the change of variables is exact: at draws mapped back, the sampler's log density
 *   equals the user-scale log posterior and its gradient is Lᵀ∇θ to rounding, and lp__
 *   of every saved draw is the user-scale log density at the mapped-back draw;
 * - every kind (laplace, qr, center) builds a map of the documented shape, and falls
 *   back with a reason when it cannot be built;
 * - parallel = sequential bit for bit with the default.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { affineTarget } from "../../samplers/reparameterized.js";
import { glmPosteriorTarget } from "../../src/likelihood/posterior-target.js";
import { chooseReparameterization } from "../../src/likelihood/linear-reparameterization.js";
import { flat, normal, resolveCoefficientPriors } from "../../src/priors/index.js";
import { samplePosterior, samplePosteriorSync, posteriorJson } from "../../models/posterior.js";
import { BASELINE_RUNS, priorsOf, problemOf } from "./fixtures/record-baseline.js";

interface BaselineRun {
  id: string;
  options: (typeof BASELINE_RUNS)[number]["options"];
  unconstrained: number[][];
  lp: number[][];
  stepSize: number[];
  invMetric: number[][];
  nLeapfrog: number[][];
  inits: number[][];
}
const baseline = JSON.parse(readFileSync(new URL("./fixtures/baseline-draws.json", import.meta.url), "utf8")) as { runs: BaselineRun[] };
const reference = JSON.parse(readFileSync(new URL("../reference/stan-posteriors.json", import.meta.url), "utf8")) as {
  cases: Parameters<typeof problemOf>[0][];
};
const caseOf = (id: string) => reference.cases.find((c) => c.id === id)!;

describe('reparameterize: "none" with Stan\'s warmup (adaptation: "stan")', () => {
  for (const run of baseline.runs) {
    it(`reproduces the draws of the sampler before reparameterization, bit for bit (${run.id})`, () => {
      const c = caseOf(run.id);
      const post = samplePosteriorSync(problemOf(c), priorsOf(c), { ...run.options, reparameterize: "none", adaptation: "stan" });
      expect(post.reparameterization!.used).toBe("none");
      expect(post.unconstrained.map((d) => Array.from(d))).toEqual(run.unconstrained);
      expect(post.lp!.map((d) => Array.from(d))).toEqual(run.lp);
      expect(post.stepSize).toEqual(run.stepSize);
      expect(post.invMetric.map((d) => Array.from(d))).toEqual(run.invMetric);
      expect(post.sampler.map((s) => Array.from(s.n_leapfrog__))).toEqual(run.nLeapfrog);
      expect(post.inits.map((d) => Array.from(d))).toEqual(run.inits);
    });
  }
});

describe("affineTarget", () => {
  it("evaluates the base at θ = m + Lz, with gradient Lᵀ∇θ, and inverts the map", () => {
    const c = caseOf("ships_negbin_offset");
    const base = glmPosteriorTarget(problemOf(c), priorsOf(c));
    const dim = base.dim;
    const choice = chooseReparameterization(base, "laplace");
    expect(choice.used).toBe("laplace");
    const t = affineTarget(base, { dim, shift: choice.shift, factor: choice.factor });
    const z = Float64Array.from({ length: dim }, (_, i) => Math.sin(i + 1));
    const theta = t.toBase(z);
    const gz = new Float64Array(dim);
    const gTheta = new Float64Array(dim);
    const vz = t.logDensityGrad(z, gz);
    const vTheta = base.logDensityGrad(theta, gTheta);
    expect(vz).toBe(vTheta);
    for (let j = 0; j < dim; j++) {
      let s = 0;
      for (let i = 0; i < dim; i++) s += choice.factor[i * dim + j]! * gTheta[i]!;
      expect(gz[j]).toBe(s);
    }
    // Central finite differences of the z-density agree with the chain-rule gradient.
    for (let j = 0; j < dim; j++) {
      const h = 1e-5;
      const zp = Float64Array.from(z); zp[j] += h;
      const zm = Float64Array.from(z); zm[j] -= h;
      const fd = (t.logDensityGrad(zp, new Float64Array(dim)) - t.logDensityGrad(zm, new Float64Array(dim))) / (2 * h);
      expect(Math.abs(fd - gz[j]!)).toBeLessThan(1e-5 * (1 + Math.abs(gz[j]!)));
    }
    const back = t.fromBase(theta);
    for (let j = 0; j < dim; j++) expect(Math.abs(back[j]! - z[j]!)).toBeLessThan(1e-12);
  });

  it("rejects maps of the wrong shape and singular factors with typed errors", () => {
    const c = caseOf("mtcars_gaussian_sigma");
    const base = glmPosteriorTarget(problemOf(c), priorsOf(c));
    expect(() => affineTarget(base, { dim: 3, shift: new Float64Array(3), factor: Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1) })).toThrow(/dim is 3, the base target has dim 4/);
    expect(() => affineTarget(base, { dim: 4, shift: new Float64Array(4), factor: new Float64Array(16) })).toThrow(/singular/);
    expect(() => affineTarget(base, { dim: 4, shift: Float64Array.of(0, 0, NaN, 0), factor: new Float64Array(16) })).toThrow(/shift\[2\] must be finite/);
  });
});

describe("chooseReparameterization", () => {
  const c = caseOf("birthwt_logit_normal");
  const problem = problemOf(c);
  const target = glmPosteriorTarget(problem, priorsOf(c));
  const p = problem.p;

  it('"center" moves only the intercept: β₀ = α − x̄ᵀβ', () => {
    const ch = chooseReparameterization(target, "center");
    expect(ch.used).toBe("center");
    for (let j = 1; j < p; j++) {
      let mean = 0;
      for (let i = 0; i < problem.n; i++) mean += problem.X[i * p + j]!;
      expect(ch.factor[j]).toBeCloseTo(-mean / problem.n, 12);
      for (let k = 0; k < p; k++) expect(ch.factor[j * p + k]).toBe(j === k ? 1 : 0);
    }
  });

  it('"qr" makes the centred design orthogonal with columns of sum of squares n − 1 (rstanarm\'s Q*)', () => {
    const ch = chooseReparameterization(target, "qr");
    expect(ch.used).toBe("qr");
    // η = Xθ = X(Lz): the columns of XL other than the intercept's are centred and orthogonal.
    const XL = new Float64Array(problem.n * p);
    for (let i = 0; i < problem.n; i++) for (let k = 0; k < p; k++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += problem.X[i * p + j]! * ch.factor[j * p + k]!;
      XL[i * p + k] = s;
    }
    for (let a = 1; a < p; a++) {
      let sum = 0;
      for (let i = 0; i < problem.n; i++) sum += XL[i * p + a]!;
      expect(Math.abs(sum)).toBeLessThan(1e-9);
      for (let b = 1; b < p; b++) {
        let s = 0;
        for (let i = 0; i < problem.n; i++) s += XL[i * p + a]! * XL[i * p + b]!;
        expect(s).toBeCloseTo(a === b ? problem.n - 1 : 0, 8);
      }
    }
  });

  it('"laplace" whitens: L Lᵀ is the inverse of −∇² log p at the mode, where the gradient vanishes', () => {
    const ch = chooseReparameterization(target, "laplace");
    expect(ch.used).toBe("laplace");
    const g = new Float64Array(p);
    target.logDensityGrad(ch.shift, g);
    for (const v of g) expect(Math.abs(v)).toBeLessThan(1e-6);
    const H = target.logPosterior.hessian(ch.shift);
    // Lᵀ(−H)L = I.
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) {
      let s = 0;
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) s -= ch.factor[i * p + a]! * H[i * p + j]! * ch.factor[j * p + b]!;
      expect(s).toBeCloseTo(a === b ? 1 : 0, 9);
    }
  });

  it("falls back with the reason when the mode does not exist (flat priors, separated data)", () => {
    const e = caseOf("endometrial_logit_student_t");
    const sep = problemOf(e);
    const flatPriors = { coefficients: resolveCoefficientPriors({ coefficients: flat() }, sep.columnNames, true) };
    const ch = chooseReparameterization(glmPosteriorTarget(sep, flatPriors), "laplace");
    expect(ch.used).toBe("qr");
    expect(ch.reason).toMatch(/^laplace: /);
  });

  it("falls back from center to none without an intercept, and rejects unknown kinds", () => {
    const noInt = { ...problem, hasIntercept: false, columnNames: problem.columnNames.map((n, j) => (j === 0 ? "one" : n)) };
    const priors = { coefficients: resolveCoefficientPriors({ coefficients: normal(0, 2.5) }, noInt.columnNames, false) };
    const ch = chooseReparameterization(glmPosteriorTarget(noInt, priors), "center");
    expect(ch.used).toBe("none");
    expect(ch.reason).toMatch(/no intercept/);
    expect(() => chooseReparameterization(target, "whiten" as "none")).toThrow(/reparameterize must be one of "laplace", "qr", "center", "none"/);
  });
});

describe("sampling in the reparameterization", () => {
  for (const kind of ["laplace", "qr", "center"] as const) {
    it(`lp__ of every draw is the user-scale log density at the mapped-back draw (${kind})`, () => {
      const c = caseOf("mtcars_gaussian_sigma");
      const problem = problemOf(c);
      const priors = priorsOf(c);
      const post = samplePosteriorSync(problem, priors, { seed: 3, chains: 2, warmup: 200, draws: 50, reparameterize: kind });
      expect(post.reparameterization!.used).toBe(kind);
      const target = glmPosteriorTarget(problem, priors);
      const dim = target.dim;
      const g = new Float64Array(dim);
      for (let k = 0; k < 2; k++) {
        for (let s = 0; s < 50; s++) {
          const theta = post.unconstrained[k]!.subarray(s * dim, (s + 1) * dim);
          const v = target.logDensityGrad(theta, g);
          expect(Math.abs(v - post.lp![k]![s]!)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(v)));
          expect(post.draws[k]![s * dim + dim - 1]).toBe(Math.exp(theta[dim - 1]!));
        }
      }
      expect(posteriorJson(post).reparameterization).toEqual({ requested: kind, used: kind, reason: null });
    });
  }

  it("maps a given init (θ) to z and reports it on θ", () => {
    const c = caseOf("mtcars_gaussian_sigma");
    const init = Float64Array.of(37, -3.9, -0.03, 1);
    const post = samplePosteriorSync(problemOf(c), priorsOf(c), { seed: 3, chains: 1, warmup: 10, draws: 5, init });
    for (let j = 0; j < 4; j++) expect(Math.abs(post.inits[0]![j]! - init[j]!)).toBeLessThan(1e-12 * (1 + Math.abs(init[j]!)));
  });

  it("parallel chains give the same draws as sequential chains with the default", async () => {
    const c = caseOf("ships_negbin_offset");
    const options = { seed: 21, chains: 2, warmup: 150, draws: 80 };
    const seq = samplePosteriorSync(problemOf(c), priorsOf(c), options);
    const par = await samplePosterior(problemOf(c), priorsOf(c), { ...options, parallel: 2 });
    expect(seq.reparameterization!.used).toBe("laplace");
    expect(par.draws).toEqual(seq.draws);
    expect(par.lp).toEqual(seq.lp);
    expect(par.sampler[1]!.energy__).toEqual(seq.sampler[1]!.energy__);
  });
});

/**
 * The GLM log posterior (models/log-posterior.ts):
 * - gradient and Hessian against five-point finite differences for every family
 *   with a likelihood × several links × every kind of coefficient prior (Jeffreys
 *   included) × every aux prior, with and without the Jacobian, over random θ (fast-check);
 * - the log-likelihood against the sum of R's densities (dbinom, dpois, dnorm, dgamma,
 *   statmod::dinvgauss, dnbinom; fixture test/reference/map.json, from map.R) to 1e-12;
 * - the prior terms and the Jacobian, the Jeffreys penalty against a direct determinant,
 *   the transforms and the errors. (The speed of logDensityGrad is measured by `npm run bench -- nuts`.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import poissonFactory from "@stdlib/random-base-poisson";
import binomialFactory from "@stdlib/random-base-binomial";
import negbinFactory from "@stdlib/random-base-negative-binomial";
import { Matrix, determinant } from "ml-matrix";
import { glmLogPosterior, type GlmPriors } from "../../src/likelihood/log-posterior.js";
import type { GlmProblem } from "../../src/fit/ml-fit.js";
import type { Family } from "../../src/types.js";
import { binomial, Gamma, gaussian, inverseGaussian, negativeBinomial, poisson, quasipoisson, tweedie, quasibinomial } from "../../src/families/index.js";
import {
  cauchy, exponential, flat, gamma, halfNormal, halfStudentT, jeffreys, laplace, logistic, normal, studentT,
  uniformSource, auxLogDensityOnLogScale, type AuxPrior, type CoefficientPrior,
} from "../../src/priors/index.js";
import { variates } from "../../src/priors/variates.js";
import { ArgumentError, FamilyError, PriorError } from "../../src/errors.js";
import { mapFixture, problemOf } from "../fit/map-fixture.js";
import type { LogDensity } from "../../samplers/types.js";

const RUNS = Math.max(1, Math.round(Number(process.env.FC_RUNS ?? 1)));

/* ------------------------------------------------------------------ */
/* Synthetic problems                                                  */
/* ------------------------------------------------------------------ */

interface Synth { problem: GlmProblem; beta0: Float64Array; aux0: number | null }

/** A design with an intercept and two covariates on (0, 1), y drawn near the model, fixed seed. */
function synth(family: Family, seed: number, opts: { n?: number; trials?: number; weights?: boolean } = {}): Synth {
  const n = opts.n ?? 40;
  const p = 3;
  const u = uniformSource(seed);
  const v = variates(u);
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) { X[i * p] = 1; X[i * p + 1] = u(); X[i * p + 2] = u(); }
  const name = family.name;
  const link = family.link;
  const meanOf: Record<string, number> = { binomial: 0.4, poisson: 4, gaussian: 3, Gamma: 2, "inverse.gaussian": 2 };
  const m0 = meanOf[name] ?? 4;
  const b0 = link.linkfun(m0);
  const slope = 0.3 * (Math.abs(b0) + 0.2);
  const beta0 = Float64Array.from([b0, slope, -0.5 * slope]);
  const y = new Float64Array(n);
  const weights = new Float64Array(n).fill(1);
  let trials: Float64Array | null = null;
  let aux0: number | null = null;
  const pois = poissonFactory.factory({ prng: u });
  const binom = binomialFactory.factory({ prng: u });
  const nb = negbinFactory.factory({ prng: u });
  if (name === "binomial") trials = new Float64Array(n).fill(opts.trials ?? 1);
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let j = 0; j < p; j++) eta += X[i * p + j]! * beta0[j]!;
    const mu = link.linkinv(eta);
    switch (name) {
      case "binomial": { const m = trials![i]!; y[i] = binom(m, mu) / m; weights[i] = m; break; }
      case "poisson": y[i] = pois(mu); break;
      case "gaussian": aux0 = 0.7; y[i] = v.normal(mu, 0.7); break;
      case "Gamma": aux0 = 3; y[i] = v.gamma(3, 3 / mu); break;
      case "inverse.gaussian": aux0 = 4; y[i] = v.gamma(4, 4 / mu); break;
      default: aux0 = 2.5; y[i] = nb(2.5, 2.5 / (2.5 + mu)); break;
    }
  }
  if (opts.weights && name !== "binomial") {
    for (let i = 0; i < n; i++) weights[i] = 0.5 + 1.5 * u();
    weights[3] = 0;
  }
  const problem: GlmProblem = {
    X, n, p, columnNames: ["(Intercept)", "x1", "x2"], hasIntercept: true, y, weights, offset: null, trials, family,
  };
  return { problem, beta0, aux0 };
}

/* ------------------------------------------------------------------ */
/* Finite differences                                                  */
/* ------------------------------------------------------------------ */

/** Five-point central difference of f at x along coordinate j, step h. */
function fivePoint(f: (x: Float64Array) => number, x: Float64Array, j: number, h: number): number {
  const t = Float64Array.from(x);
  const at = (d: number): number => { t[j] = x[j]! + d; return f(t); };
  return (at(-2 * h) - 8 * at(-h) + 8 * at(h) - at(2 * h)) / (12 * h);
}

interface Discrepancy { grad: number; hess: number }

/** Largest |analytic − finite difference| / (1 + |analytic|) of the gradient and of the Hessian (FD of the analytic gradient). */
function checkDerivatives(lp: ReturnType<typeof glmLogPosterior>, theta: Float64Array): Discrepancy {
  const dim = lp.dim;
  const g = new Float64Array(dim);
  const f0 = lp.logDensityGrad(theta, g);
  expect(Number.isFinite(f0)).toBe(true);
  expect(lp.logDensity(theta)).toBeCloseTo(f0, 9);
  const H = lp.hessian(theta);
  let gradErr = 0;
  let hessErr = 0;
  for (let j = 0; j < dim; j++) {
    const h = 1e-4 * Math.max(1, Math.abs(theta[j]!));
    const fd = fivePoint((x) => lp.logDensity(x), theta, j, h);
    gradErr = Math.max(gradErr, Math.abs(fd - g[j]!) / (1 + Math.abs(g[j]!)));
    for (let k = 0; k < dim; k++) {
      const gk = (x: Float64Array): number => { const gg = new Float64Array(dim); lp.logDensityGrad(x, gg); return gg[k]!; };
      const fdh = fivePoint(gk, theta, j, h);
      hessErr = Math.max(hessErr, Math.abs(fdh - H[j * dim + k]!) / (1 + Math.abs(H[j * dim + k]!)));
    }
  }
  for (let j = 0; j < dim; j++) for (let k = 0; k < j; k++) expect(H[j * dim + k]).toBe(H[k * dim + j]);
  return { grad: gradErr, hess: hessErr };
}

const FAMILIES: Array<{ label: string; family: () => Family; trials?: number; weights?: boolean }> = [
  { label: "binomial logit", family: () => binomial("logit") },
  { label: "binomial logit, 5 trials", family: () => binomial("logit"), trials: 5 },
  { label: "binomial probit", family: () => binomial("probit") },
  { label: "binomial cloglog, 4 trials", family: () => binomial("cloglog"), trials: 4 },
  { label: "binomial cauchit", family: () => binomial("cauchit") },
  { label: "poisson log", family: () => poisson("log") },
  { label: "poisson sqrt", family: () => poisson("sqrt") },
  { label: "poisson identity, weights", family: () => poisson("identity"), weights: true },
  { label: "gaussian identity", family: () => gaussian("identity") },
  { label: "gaussian log, weights", family: () => gaussian("log"), weights: true },
  { label: "gaussian inverse", family: () => gaussian("inverse") },
  { label: "Gamma inverse", family: () => Gamma("inverse") },
  { label: "Gamma log, weights", family: () => Gamma("log"), weights: true },
  { label: "Gamma identity", family: () => Gamma("identity") },
  { label: "inverse.gaussian 1/mu^2", family: () => inverseGaussian("1/mu^2") },
  { label: "inverse.gaussian log, weights", family: () => inverseGaussian("log"), weights: true },
  { label: "inverse.gaussian power(1/3)", family: () => inverseGaussian("power(1/3)") },
  { label: "negative binomial log", family: () => negativeBinomial(2, "log") },
  { label: "negative binomial sqrt, weights", family: () => negativeBinomial(2, "sqrt"), weights: true },
  { label: "negative binomial identity", family: () => negativeBinomial(2, "identity") },
];

interface PriorSet { label: string; coefficients: CoefficientPrior[]; aux?: AuxPrior; jacobian: boolean; jointJeffreys?: boolean }

const PRIOR_SETS: PriorSet[] = [
  { label: "normal/student_t/cauchy + gamma aux", coefficients: [normal(0.3, 2), studentT(3, 0, 1), cauchy(0, 0.5)], aux: gamma(2, 0.5), jacobian: true },
  { label: "laplace/logistic/flat + half_student_t aux, no Jacobian", coefficients: [laplace(0.05, 1), logistic(0.1, 0.7), flat()], aux: halfStudentT(3, 2), jacobian: false },
  { label: "normal + exponential aux", coefficients: [normal(0, 5), normal(0, 2.5), normal(1, 2.5)], aux: exponential(0.5), jacobian: true },
  { label: "cauchy + half_normal aux, no Jacobian", coefficients: [cauchy(0, 10), cauchy(0, 2.5), cauchy(0, 2.5)], aux: halfNormal(3), jacobian: false },
  { label: "flat + flat aux", coefficients: [flat(), flat(), flat()], aux: flat(), jacobian: true },
  { label: "jeffreys (joint with the aux)", coefficients: [jeffreys(), jeffreys(), jeffreys()], jacobian: true, jointJeffreys: true },
  { label: "jeffreys (joint), no Jacobian", coefficients: [jeffreys(), jeffreys(), jeffreys()], jacobian: false, jointJeffreys: true },
  { label: "jeffreys on β given the aux + gamma aux", coefficients: [jeffreys(), jeffreys(), jeffreys()], aux: gamma(2, 0.5), jacobian: true },
];

describe("gradient and Hessian against five-point finite differences", () => {
  FAMILIES.forEach((cfg, fi) => {
    const { problem, beta0, aux0 } = synth(cfg.family(), 1000 + fi, { trials: cfg.trials, weights: cfg.weights });
    const isNb = problem.family.name.startsWith("Negative");
    for (const ps of PRIOR_SETS) {
      if (ps.jointJeffreys && isNb) continue; // no closed-form I_θθ: covered by the error test
      it(`${cfg.label}: ${ps.label}`, () => {
        const priors: GlmPriors = { coefficients: ps.coefficients, ...(aux0 !== null && ps.aux ? { aux: ps.aux } : {}) };
        const lp = glmLogPosterior(problem, priors, { jacobian: ps.jacobian });
        expect(lp.dim).toBe(aux0 === null ? 3 : 4);
        const scale = Float64Array.from([0.15 * (Math.abs(beta0[0]!) + 0.1), 0.3 * (Math.abs(beta0[1]!) + 0.1), 0.3 * (Math.abs(beta0[2]!) + 0.1)]);
        fc.assert(
          fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }), (d) => {
            const theta = new Float64Array(lp.dim);
            for (let j = 0; j < 3; j++) theta[j] = beta0[j]! + scale[j]! * d[j]!;
            if (aux0 !== null) theta[3] = Math.log(aux0) + 0.5 * d[3]!;
            const err = checkDerivatives(lp, theta);
            // Five-point stencil, h = 1e-4·max(1, |θ|): truncation O(h⁴), rounding ~ε|f|/h ≈ 1e-10 here.
            expect(err.grad).toBeLessThan(1e-8);
            expect(err.hess).toBeLessThan(1e-8);
          }),
          { numRuns: 4 * RUNS, seed: 17 + fi },
        );
      });
    }
  });
});

/* ------------------------------------------------------------------ */
/* Against R's densities                                               */
/* ------------------------------------------------------------------ */

describe("log-likelihood = the sum of R's densities (map.json, 1e-12)", () => {
  for (const c of mapFixture.loglik) {
    it(`${c.id} (${c.family}, ${c.link})`, () => {
      const problem = problemOf(c);
      const lp = glmLogPosterior(problem, { coefficients: problem.columnNames.map(() => flat()) });
      for (const pt of c.points) {
        const theta = Float64Array.from(pt.theta);
        const ll = lp.logLik(theta);
        expect(Number.isFinite(pt.log_lik)).toBe(true);
        expect(Math.abs(ll - pt.log_lik)).toBeLessThanOrEqual(1e-12 * Math.abs(pt.log_lik));
      }
    });
  }
});

describe("prior terms, Jacobian and the Jeffreys penalty", () => {
  const { problem, beta0, aux0 } = synth(Gamma("log"), 77);
  const theta = Float64Array.from([...beta0, Math.log(aux0!)]);
  const coefficients = [normal(0.3, 2), studentT(3, 0, 1), cauchy(0, 0.5)];

  it("logDensity = logLik + logPrior; logPrior = Σ log pⱼ(βⱼ) + log p_a(a) [+ u with the Jacobian]", () => {
    for (const jacobian of [true, false]) {
      const lp = glmLogPosterior(problem, { coefficients, aux: gamma(2, 0.5) }, { jacobian });
      const expected = coefficients.reduce((s, q, j) => s + q.logDensity(theta[j]!), 0) +
        gamma(2, 0.5).logDensity(aux0!) + (jacobian ? theta[3]! : 0);
      expect(lp.logPrior(theta)).toBeCloseTo(expected, 12);
      expect(lp.logDensity(theta)).toBeCloseTo(lp.logLik(theta) + lp.logPrior(theta), 10);
      expect(auxLogDensityOnLogScale(gamma(2, 0.5), theta[3]!)).toBeCloseTo(gamma(2, 0.5).logDensity(aux0!) + theta[3]!, 12);
    }
  });

  it("no aux prior means flat(): the log prior is Σ log pⱼ(βⱼ) (+ u)", () => {
    const lp = glmLogPosterior(problem, { coefficients });
    expect(lp.logPrior(theta)).toBeCloseTo(coefficients.reduce((s, q, j) => s + q.logDensity(theta[j]!), 0) + theta[3]!, 12);
  });

  it("jeffreys(): ½ log|I_ββ| + ½ log I_uu equals ½ log det of the full expected information of (β, u)", () => {
    // Expected information of (β, u) for the Gamma GLM: I_ββ = Xᵀ diag(αwμ′²/μ²) X, I_uu = α²Σw(ψ′(α) − 1/α), I_βu = 0.
    const lp = glmLogPosterior(problem, { coefficients: [jeffreys(), jeffreys(), jeffreys()] });
    const alpha = aux0!;
    const eta = lp.linearPredictor(theta);
    const I = new Matrix(4, 4);
    let iuu = 0;
    for (let i = 0; i < problem.n; i++) {
      const mu = Math.exp(eta[i]!);
      const omega = (alpha * mu * mu) / (mu * mu); // μ′ = μ for the log link
      for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) I.set(j, k, I.get(j, k) + omega * problem.X[i * 3 + j]! * problem.X[i * 3 + k]!);
      iuu += alpha * alpha * (trigammaNumeric(alpha) - 1 / alpha);
    }
    I.set(3, 3, iuu);
    expect(lp.logPrior(theta)).toBeCloseTo(0.5 * Math.log(determinant(I)), 8);
    // Without the Jacobian: the penalty in (β, φ), φ = 1/α: ½ log I_φφ = ½ log I_uu − log|dφ/du| = ½ log I_uu + u.
    const lp2 = glmLogPosterior(problem, { coefficients: [jeffreys(), jeffreys(), jeffreys()] }, { jacobian: false });
    expect(lp2.logPrior(theta)).toBeCloseTo(0.5 * Math.log(determinant(I)) + theta[3]!, 8);
  });

  it("jeffreys() for the binomial is ½ log|XᵀWX|, W = μ(1−μ)", () => {
    const s = synth(binomial("logit"), 5);
    const lp = glmLogPosterior(s.problem, { coefficients: [jeffreys(), jeffreys(), jeffreys()] });
    const eta = lp.linearPredictor(s.beta0);
    const I = new Matrix(3, 3);
    for (let i = 0; i < s.problem.n; i++) {
      const mu = 1 / (1 + Math.exp(-eta[i]!));
      for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) I.set(j, k, I.get(j, k) + mu * (1 - mu) * s.problem.X[i * 3 + j]! * s.problem.X[i * 3 + k]!);
    }
    expect(lp.logPrior(s.beta0)).toBeCloseTo(0.5 * Math.log(determinant(I)), 10);
  });
});

/** ψ′(x) by its asymptotic series after recurrence (independent of the library used by the code). */
function trigammaNumeric(x: number): number {
  let s = 0;
  while (x < 20) { s += 1 / (x * x); x += 1; }
  const x2 = 1 / (x * x);
  return s + 1 / x + x2 / 2 + (x2 / x) * (1 / 6 - x2 * (1 / 30 - x2 * (1 / 42 - x2 / 30)));
}

describe("names, transforms and the scoring matrix", () => {
  it("names: columns, then sigma/shape/lambda/theta; none for binomial and Poisson", () => {
    const expected: Array<[Family, string | null]> = [
      [gaussian(), "sigma"], [Gamma(), "shape"], [inverseGaussian(), "lambda"], [negativeBinomial(3), "theta"],
      [binomial(), null], [poisson(), null],
    ];
    for (const [family, aux] of expected) {
      const lp = glmLogPosterior(synth(family, 3).problem, { coefficients: [flat(), flat(), flat()] });
      expect(lp.auxName).toBe(aux);
      expect(lp.names).toEqual(aux ? ["(Intercept)", "x1", "x2", aux] : ["(Intercept)", "x1", "x2"]);
      const target: LogDensity = lp; // the samplers' interface
      expect(target.dim).toBe(lp.dim);
      expect(lp.dim).toBe(aux ? 4 : 3);
    }
  });

  it("toConstrained ∘ fromConstrained is the identity; aux = e^u", () => {
    const lp = glmLogPosterior(synth(Gamma("log"), 3).problem, { coefficients: [flat(), flat(), flat()] });
    const theta = lp.fromConstrained([1, -2, 0.5], 7.5);
    expect(theta[3]).toBeCloseTo(Math.log(7.5), 15);
    const back = lp.toConstrained(theta);
    expect(Array.from(back.beta)).toEqual([1, -2, 0.5]);
    expect(back.aux).toBeCloseTo(7.5, 13);
    expect(() => lp.fromConstrained([1, 2, 3], -1)).toThrow(/shape must be a finite number > 0/);
    expect(() => lp.fromConstrained([1, 2], 1)).toThrow(ArgumentError);
  });

  it("the scoring matrix is XᵀWX (R's IRLS weights) + max(−prior″, 0), and positive semi-definite", () => {
    const s = synth(binomial("probit"), 8);
    const priors = [normal(0, 2), cauchy(0, 0.1), flat()];
    const lp = glmLogPosterior(s.problem, { coefficients: priors });
    const theta = Float64Array.from([0.2, 1.5, -0.3]); // |β₁| > scale: the Cauchy curvature is positive there
    const M = lp.scoringMatrix(theta);
    const eta = lp.linearPredictor(theta);
    const link = s.problem.family.link;
    const A = new Float64Array(9);
    for (let i = 0; i < s.problem.n; i++) {
      const mu = link.linkinv(eta[i]!);
      const w = (s.problem.weights[i]! * link.muEta(eta[i]!) ** 2) / (mu * (1 - mu));
      for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) A[j * 3 + k] += w * s.problem.X[i * 3 + j]! * s.problem.X[i * 3 + k]!;
    }
    expect(priors[1]!.hessianDiag(1.5)).toBeGreaterThan(0);
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) {
      const extra = j === k ? Math.max(-(priors[j] as { hessianDiag(x: number): number }).hessianDiag(theta[j]!), 0) : 0;
      expect(M[j * 3 + k]).toBeCloseTo(A[j * 3 + k]! + extra, 10);
    }
  });
});

describe("errors", () => {
  const { problem } = synth(poisson(), 4);
  it("quasi families and Tweedie have no likelihood: FamilyError", () => {
    expect(() => glmLogPosterior({ ...problem, family: quasipoisson() }, { coefficients: [flat(), flat(), flat()] })).toThrow(FamilyError);
    expect(() => glmLogPosterior({ ...problem, family: quasibinomial() }, { coefficients: [flat(), flat(), flat()] })).toThrow(/quasi-likelihood/);
    expect(() => glmLogPosterior({ ...problem, family: tweedie(1.5, "log") }, { coefficients: [flat(), flat(), flat()] })).toThrow(FamilyError);
  });
  it("wrong number of priors, aux prior without aux, mixed jeffreys: typed errors naming the argument", () => {
    expect(() => glmLogPosterior(problem, { coefficients: [flat(), flat()] })).toThrow(/priors.coefficients has 2 priors, but the design has 3 columns/);
    expect(() => glmLogPosterior(problem, { coefficients: [flat(), flat(), flat()], aux: exponential(1) })).toThrow(PriorError);
    expect(() => glmLogPosterior(problem, { coefficients: [jeffreys(), flat(), flat()] })).toThrow(/joint prior/);
  });
  it("jeffreys() with the negative binomial needs an aux prior for theta", () => {
    const nb = synth(negativeBinomial(2), 4).problem;
    expect(() => glmLogPosterior(nb, { coefficients: [jeffreys(), jeffreys(), jeffreys()] })).toThrow(/aux prior for theta/);
    expect(() => glmLogPosterior(nb, { coefficients: [jeffreys(), jeffreys(), jeffreys()], aux: exponential(1) })).not.toThrow();
  });
  it("theta and grad of the wrong length: ArgumentError", () => {
    const lp = glmLogPosterior(problem, { coefficients: [flat(), flat(), flat()] });
    expect(() => lp.logDensity(new Float64Array(4))).toThrow(/theta has length 4, expected 3/);
    expect(() => lp.logDensityGrad(new Float64Array(3), new Float64Array(2))).toThrow(/grad has length 2/);
  });
  it("η outside the link's domain gives −∞, not NaN", () => {
    const g = synth(Gamma("inverse"), 4);
    const lp = glmLogPosterior(g.problem, { coefficients: [flat(), flat(), flat()] });
    const theta = Float64Array.from([-1, 0, 0, 0]); // η = −1: μ < 0
    const grad = new Float64Array(4);
    expect(lp.logDensity(theta)).toBe(-Infinity);
    expect(lp.logDensityGrad(theta, grad)).toBe(-Infinity);
  });
});

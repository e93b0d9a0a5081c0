/**
 * The MAP fit (src/fit/map.ts):
 * - the exact posterior mode of R's optim + Newton reference (test/reference/map.R) for
 *   normal, Student-t and Cauchy priors on logistic, probit, Poisson, Gamma, gaussian,
 *   inverse Gaussian and negative binomial models: estimates ≤ 1e-6 relative (1e-8
 *   absolute near 0), SEs ≤ 1e-6, the aux parameter and its SE, the log posterior;
 * - jeffreys() against brglm2's MPL_Jeffreys;
 * - flat priors give the MLE (fitMl);
 * - the safeguards: a start where −H is not positive definite, non-convergence, errors;
 * - fast-check properties: a wide normal prior → the MLE, a narrow one → its location,
 *   proper priors on separable data → finite estimates and SEs.
 * The bayesglm comparison is in examples/bayesglm-vs-map.test.ts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitMap } from "../../src/fit/map.js";
import { fitMl, type GlmProblem } from "../../src/fit/ml-fit.js";
import { glmLogPosterior } from "../../src/likelihood/log-posterior.js";
import { binomial, Gamma, quasipoisson } from "../../src/families/index.js";
import {
  cauchy, flat, gamma, jeffreys, normal, studentT, uniformSource, type CoefficientPrior,
} from "../../src/priors/index.js";
import { ArgumentError, FamilyError } from "../../src/errors.js";
import { mapFixture, problemOf, priorsOf, worstRatio } from "./map-fixture.js";

const RUNS = Math.max(1, Math.round(Number(process.env.FC_RUNS ?? 1)));

describe("MAP against R's exact mode (optim BFGS + Newton, map.R)", () => {
  it("the fixture covers the brief: ≥ 8 data sets, normal/t/Cauchy priors, logistic/Poisson/Gamma", () => {
    const data = new Set([...mapFixture.map, ...mapFixture.bayesglm].map((c) => c.data));
    expect(data.size).toBeGreaterThanOrEqual(8);
    const kinds = new Set(mapFixture.map.flatMap((c) => c.priors.coefficients.map((s) => s.replace(/\(.*$/, ""))));
    for (const k of ["normal", "student_t", "cauchy"]) expect(kinds.has(k)).toBe(true);
    const fams = new Set(mapFixture.map.map((c) => `${c.family}/${c.link}`));
    for (const f of ["binomial/logit", "poisson/log", "Gamma/log"]) expect(fams.has(f)).toBe(true);
    // R's reference is the mode: its gradient (and numDeriv's) vanish.
    for (const c of mapFixture.map) {
      expect(c.result.max_grad_times_se).toBeLessThan(1e-9);
      expect(c.result.max_abs_grad_numderiv).toBeLessThan(1e-5);
    }
  });

  for (const c of mapFixture.map) {
    it(`${c.id}${c.note ? ` (${c.note})` : ""}`, () => {
      const problem = problemOf(c);
      const fit = fitMap(problem, priorsOf(c.priors));
      const r = c.result;
      expect(fit.converged).toBe(true);
      expect(fit.scaledGradientMaxNorm).toBeLessThan(1e-9);
      expect(worstRatio(fit.coef, r.estimate, 1e-6, 1e-8)).toBeLessThan(1);
      expect(worstRatio(fit.coefficients.map((row) => row.se!), r.se, 1e-6, 0)).toBeLessThan(1);
      expect(worstRatio(fit.theta, r.theta, 1e-6, 1e-8)).toBeLessThan(1);
      if (r.aux !== null) {
        expect(fit.aux!.name).toBe(c.aux_name);
        expect(Math.abs(fit.aux!.estimate - r.aux) / r.aux).toBeLessThan(1e-6);
        expect(Math.abs(fit.aux!.se - r.aux_se!) / r.aux_se!).toBeLessThan(1e-6);
      } else {
        expect(fit.aux).toBeNull();
      }
      // Log posterior, log-likelihood and log prior: R's densities at R's mode vs ours at ours.
      expect(Math.abs(fit.logPosterior - r.log_posterior)).toBeLessThan(1e-9 * Math.abs(r.log_posterior) + 1e-9);
      expect(Math.abs(fit.logLik - r.log_lik)).toBeLessThan(1e-7 * Math.abs(r.log_lik) + 1e-7);
      expect(Math.abs(fit.logPrior - r.log_prior)).toBeLessThan(1e-7 * Math.abs(r.log_prior) + 1e-7);
      expect(fit.penalisedLogLik).toBeCloseTo(fit.logLik + fit.logPrior, 12);
      // The analytic Hessian against R's Richardson Hessian of its analytic gradient.
      expect(worstRatio(fit.hessian, r.hessian, 1e-6, 1e-6 * Math.max(...r.hessian.map(Math.abs)))).toBeLessThan(1);
      // z statistics and p-values follow from the estimate and SE.
      const row = fit.coefficients[1]!;
      expect(row.statistic).toBeCloseTo(row.estimate! / row.se!, 12);
      expect(row.aliased).toBe(false);
    });
  }

  it("separated data: the MAP starts from the prior location, not the diverging ML fit", () => {
    const c = mapFixture.map.find((m) => m.id === "separated_logit_cauchy")!;
    const fit = fitMap(problemOf(c), priorsOf(c.priors));
    expect(fit.start).toBe("prior");
    expect(fit.warnings.some((w) => w.includes("separation"))).toBe(true);
    expect(fit.converged).toBe(true);
  });

  it("a start where −H is indefinite (Cauchy prior, far out) uses Fisher-scoring steps and still reaches R's mode", () => {
    const c = mapFixture.map.find((m) => m.id === "separated_logit_cauchy")!;
    const problem = problemOf(c);
    const priors = priorsOf(c.priors);
    const start = Float64Array.from([-60, 12, -8]);
    const lp = glmLogPosterior(problem, priors, { jacobian: false });
    const H = lp.hessian(start);
    // −H is not positive definite there: some diagonal entry of −H is negative.
    expect(Math.min(...[0, 1, 2].map((j) => -H[j * 3 + j]!))).toBeLessThan(0);
    const fit = fitMap(problem, priors, { start });
    expect(fit.scoringSteps).toBeGreaterThan(0);
    expect(fit.converged).toBe(true);
    expect(worstRatio(fit.coef, c.result.estimate, 1e-6, 1e-8)).toBeLessThan(1);
  });
});

describe("Jeffreys prior: the MAP is brglm2's MPL_Jeffreys", () => {
  for (const c of mapFixture.jeffreys) {
    it(c.id, () => {
      const problem = problemOf(c);
      const fit = fitMap(problem, { coefficients: problem.columnNames.map(() => jeffreys()) });
      expect(fit.converged).toBe(true);
      expect(worstRatio(fit.coef, c.brglm2.estimate, 1e-6, 1e-8)).toBeLessThan(1);
      if (c.brglm2.aux !== null) {
        expect(fit.aux!.name).toBe(c.brglm2.aux_name);
        expect(Math.abs(fit.aux!.estimate - c.brglm2.aux) / c.brglm2.aux).toBeLessThan(1e-6);
      }
      expect(fit.priors.coefficients.every((s) => s === "jeffreys()")).toBe(true);
    });
  }
});

describe("flat priors give the MLE", () => {
  const ids = ["birthwt_logit_normal", "budworm_probit_normal", "warpbreaks_poisson_normal", "clotting_gamma_log_normal", "mtcars_gaussian_normal", "insurance_poisson_cauchy"];
  for (const id of ids) {
    it(id.replace(/_[a-z]+$/, ""), () => {
      const c = mapFixture.map.find((m) => m.id === id)!;
      const problem = problemOf(c);
      const ml = fitMl(problem, { epsilon: 1e-15, maxit: 100 });
      const fit = fitMap(problem, { coefficients: problem.columnNames.map(() => flat()) });
      expect(fit.converged).toBe(true);
      expect(worstRatio(fit.coef, ml.coef, 1e-8, 1e-10)).toBeLessThan(1);
      expect(fit.logPrior).toBe(0);
      if (problem.family.name === "gaussian") {
        // σ̂ = √(RSS/n), the ML estimate (R's logLik uses it).
        expect(fit.aux!.estimate).toBeCloseTo(Math.sqrt(ml.deviance / problem.n), 10);
        expect(fit.logLik).toBeCloseTo(ml.logLik, 8);
      }
      if (problem.family.dispersion === "fixed") {
        expect(fit.logLik).toBeCloseTo(ml.logLik, 8);
        // SEs from the observed information equal R's (expected = observed for canonical links).
        if (problem.family.link.name === problem.family.canonicalLink) {
          expect(worstRatio(fit.coefficients.map((r) => r.se!), ml.coefficients.map((r) => r.se!), 1e-7, 0)).toBeLessThan(1);
        }
      }
    });
  }
});

describe("options, status and errors", () => {
  const c = mapFixture.map.find((m) => m.id === "clotting_gamma_log_normal")!;

  it("jacobian: true maximises the density of θ = (β, log a): its gradient vanishes there, and the shape moves", () => {
    const problem = problemOf(c);
    const priors = priorsOf(c.priors);
    const a = fitMap(problem, priors);
    const b = fitMap(problem, priors, { jacobian: true });
    expect(b.converged).toBe(true);
    const lp = glmLogPosterior(problem, priors, { jacobian: true });
    const g = new Float64Array(lp.dim);
    lp.logDensityGrad(b.theta, g);
    expect(Math.max(...g.map(Math.abs))).toBeLessThan(1e-8);
    // d/du of the Jacobian u is 1: the log-scale mode has a larger shape, by ≈ se(u)² in u.
    expect(b.aux!.logEstimate - a.aux!.logEstimate).toBeGreaterThan(0.5 * a.aux!.logSe ** 2);
    expect(b.aux!.logEstimate - a.aux!.logEstimate).toBeLessThan(2 * a.aux!.logSe ** 2);
  });

  it("maxit too small: converged false, with a warning and the last iterate", () => {
    const fit = fitMap(problemOf(c), priorsOf(c.priors), { maxit: 1 });
    expect(fit.converged).toBe(false);
    expect(fit.iterations).toBe(1);
    expect(fit.warnings.some((w) => w.includes("did not converge"))).toBe(true);
  });

  it("a user start of length p (β) or dim (β, log a) is used", () => {
    const problem = problemOf(c);
    const f1 = fitMap(problem, priorsOf(c.priors), { start: [5, -0.5] });
    const f2 = fitMap(problem, priorsOf(c.priors), { start: [5, -0.5, Math.log(50)] });
    expect(f1.start).toBe("user");
    expect(worstRatio(f1.theta, c.result.theta, 1e-6, 1e-8)).toBeLessThan(1);
    expect(worstRatio(f2.theta, c.result.theta, 1e-6, 1e-8)).toBeLessThan(1);
  });

  it("bad arguments throw typed errors naming the argument", () => {
    const problem = problemOf(c);
    const priors = priorsOf(c.priors);
    expect(() => fitMap(problem, priors, { maxit: 0 })).toThrow(/maxit/);
    expect(() => fitMap(problem, priors, { tol: -1 })).toThrow(ArgumentError);
    expect(() => fitMap(problem, priors, { start: [1, 2, 3, 4] })).toThrow(/start has length 4/);
    expect(() => fitMap(problem, priors, { start: [1, NaN] })).toThrow(/start\[1\]/);
    expect(() => fitMap({ ...problem, family: quasipoisson() }, { coefficients: [flat(), flat()] })).toThrow(FamilyError);
  });

  it("flat priors on an aliased column: a warning about the singular information, no SEs", () => {
    const base = problemOf(c);
    const X = new Float64Array(base.n * 3);
    for (let i = 0; i < base.n; i++) { X[i * 3] = 1; X[i * 3 + 1] = base.X[i * 2 + 1]!; X[i * 3 + 2] = 2 * base.X[i * 2 + 1]!; }
    const problem: GlmProblem = { ...base, X, p: 3, columnNames: ["(Intercept)", "lu", "lu2"] };
    const fit = fitMap(problem, { coefficients: [flat(), flat(), flat()], aux: gamma(2, 0.01) });
    expect(fit.warnings.some((w) => w.includes("not negative definite") || w.includes("singular"))).toBe(true);
    expect(fit.coefficients.some((r) => Number.isNaN(r.se!))).toBe(true);
    // A proper prior on the aliased pair makes the mode unique again.
    const fit2 = fitMap(problem, { coefficients: [flat(), normal(0, 1), normal(0, 1)], aux: gamma(2, 0.01) });
    expect(fit2.converged).toBe(true);
    expect(fit2.coefficients.every((r) => Number.isFinite(r.se!))).toBe(true);
  });
});

/* ------------------------------------------------------------------ */
/* Properties                                                          */
/* ------------------------------------------------------------------ */

/** A logistic problem with an intercept and two covariates, from a seed; `separable` puts y = 1{x₁ > c}. */
function logisticProblem(seed: number, n: number, separable: boolean): GlmProblem {
  const u = uniformSource(seed);
  const p = 3;
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  const cut = 0.3 + 0.4 * u();
  for (let i = 0; i < n; i++) {
    const x1 = 2 * u() - 1;
    const x2 = 2 * u() - 1;
    X[i * p] = 1; X[i * p + 1] = x1; X[i * p + 2] = x2;
    if (separable) y[i] = x1 > cut - 0.5 ? 1 : 0;
    else y[i] = u() < 1 / (1 + Math.exp(-(0.3 + 1.2 * x1 - 0.8 * x2))) ? 1 : 0;
  }
  if (separable) { // make sure both classes occur
    y[0] = 1; X[1] = 1; y[1] = 0; X[p + 1] = -1;
  }
  return {
    X, n, p, columnNames: ["(Intercept)", "x1", "x2"], hasIntercept: true, y,
    weights: new Float64Array(n).fill(1), offset: null, trials: new Float64Array(n).fill(1), family: binomial(),
  };
}

describe("properties (fast-check)", () => {
  it("as a normal prior's scale grows, the MAP → the MLE (shift ≈ C⁻¹β/s²)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 3, max: 6, noNaN: true }), (seed, log10s) => {
        const problem = logisticProblem(seed, 120, false);
        const ml = fitMl(problem, { epsilon: 1e-15, maxit: 100 });
        fc.pre(ml.irls.converged && ml.coef.every((b) => Math.abs(b) < 20));
        const s = 10 ** log10s;
        const fit = fitMap(problem, { coefficients: [normal(0, s), normal(0, s), normal(0, s)] });
        expect(fit.converged).toBe(true);
        for (let j = 0; j < 3; j++) {
          const se = ml.coefficients[j]!.se!;
          const bound = (10 * se * se * (Math.abs(ml.coef[j]!) + 1)) / (s * s) + 1e-9;
          expect(Math.abs(fit.coef[j]! - ml.coef[j]!)).toBeLessThan(bound);
        }
      }),
      { numRuns: 10 * RUNS, seed: 4242 },
    );
  });

  it("as a normal prior's scale shrinks, the MAP → the prior mean (|β − m| ≤ 2s²|score(m)|)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }), fc.double({ min: -7, max: -4, noNaN: true }),
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (seed, log10s, m) => {
          const problem = logisticProblem(seed, 80, false);
          const s = 10 ** log10s;
          const fit = fitMap(problem, { coefficients: m.map((mj) => normal(mj, s)) });
          expect(fit.converged).toBe(true);
          const flatLp = glmLogPosterior(problem, { coefficients: [flat(), flat(), flat()] });
          const score = new Float64Array(3);
          flatLp.logDensityGrad(Float64Array.from(m), score);
          for (let j = 0; j < 3; j++) {
            expect(Math.abs(fit.coef[j]! - m[j]!)).toBeLessThanOrEqual(2 * s * s * Math.max(...score.map(Math.abs)) + 4 * Number.EPSILON * (Math.abs(m[j]!) + 1));
            expect(fit.coefficients[j]!.se!).toBeLessThanOrEqual(s * 1.000001);
          }
        },
      ),
      { numRuns: 10 * RUNS, seed: 99 },
    );
  });

  it("proper priors on separable data give finite estimates with finite SEs", () => {
    const priorArb = fc.oneof(
      fc.double({ min: 0.3, max: 10, noNaN: true }).map((s) => normal(0, s) as CoefficientPrior),
      fc.tuple(fc.double({ min: 1, max: 7, noNaN: true }), fc.double({ min: 0.3, max: 10, noNaN: true })).map(([df, s]) => studentT(df, 0, s) as CoefficientPrior),
      fc.double({ min: 0.3, max: 10, noNaN: true }).map((s) => cauchy(0, s) as CoefficientPrior),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 10, max: 60 }), priorArb, priorArb, (seed, n, pi, ps) => {
        const problem = logisticProblem(seed, n, true);
        const ml = fitMl(problem);
        // The data are separable: the ML fit diverges.
        expect(ml.warnings.some((w) => w.includes("numerically 0 or 1")) || !ml.irls.converged).toBe(true);
        const fit = fitMap(problem, { coefficients: [pi, ps, ps] });
        expect(fit.converged).toBe(true);
        for (const r of fit.coefficients) {
          expect(Number.isFinite(r.estimate!)).toBe(true);
          expect(Number.isFinite(r.se!) && r.se! > 0).toBe(true);
        }
      }),
      { numRuns: 15 * RUNS, seed: 7 },
    );
  });
});

it("Gamma with the inverse link starts where η is valid", () => {
  const c = mapFixture.map.find((m) => m.id === "clotting_gamma_inverse_cauchy")!;
  const problem = { ...problemOf(c), family: Gamma("inverse") };
  const fit = fitMap(problem, priorsOf(c.priors));
  expect(fit.converged).toBe(true);
  expect(fit.start).not.toBe("prior"); // β = 0 gives η = 0, invalid for 1/μ
});

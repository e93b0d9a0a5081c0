/**
 * The shared Newton/IRLS pipeline (src/fit/newton.ts): its step-control
 * bookkeeping on toy methods (counts, first-rejection warnings, exhaustion,
 * stops, thrown errors), Newton's method on a closed-form problem, and the
 * history the three fitters now report.
 */
import { describe, it, expect } from "vitest";
import { newton, statusWarnings, type NewtonMethod, type StepControl } from "../../src/fit/newton.js";
import { irls } from "../../src/fit/irls.js";
import { fitBiasReduced } from "../../src/fit/firth.js";
import { fitMap } from "../../src/fit/map.js";
import type { GlmProblem } from "../../src/fit/ml-fit.js";
import { makeFamily } from "../../src/families/index.js";
import { resolveCoefficientPriors, normal } from "../../src/priors/index.js";

/** Maximises f(x) = −(x − 3)⁴ − (x − 3)² by Newton steps, with a stage that rejects the first `rejects` trials. */
function quartic(rejects: number, maxHalvings: number, exhausted: () => string | null): { method: NewtonMethod; state: { x: number; trial: number; evals: number } } {
  const state = { x: 0, trial: 0, evals: 0 };
  let step = 0;
  let rejected = 0;
  const stage: StepControl = {
    maxHalvings,
    accepts: () => rejected++ >= rejects,
    shorten: (k) => {
      state.trial = state.x + 2 ** -k * step;
      state.evals++;
    },
    onFirstRejection: () => "shortened",
    exhausted,
  };
  const method: NewtonMethod = {
    maxit: 500,
    propose() {
      rejected = 0;
      const d = state.x - 3;
      const g = -4 * d ** 3 - 2 * d;
      const h = -12 * d ** 2 - 2;
      step = -g / h;
      state.trial = state.x + step;
      state.evals++;
      return null;
    },
    stepControl: [stage],
    accept() {
      state.x = state.trial;
      return null;
    },
    converged: () => {
      const d = state.x - 3;
      const g = Math.abs(4 * d ** 3 + 2 * d);
      return { converged: g < 1e-12, criterion: g };
    },
  };
  return { method, state };
}

describe("newton pipeline", () => {
  it("Newton's method reaches the maximiser, one history record per iteration", () => {
    const { method, state } = quartic(0, 10, () => null);
    const run = newton(method);
    expect(run.converged).toBe(true);
    expect(run.stopped).toBeNull();
    expect(run.boundary).toBe(false);
    expect(state.x).toBeCloseTo(3, 12);
    expect(run.history.length).toBe(run.iterations);
    expect(run.history.every((h) => h.halvings === 0)).toBe(true);
    expect(run.history.at(-1)!.criterion).toBeLessThan(1e-12);
    expect(run.warnings).toEqual([]);
  });

  it("counts shortenings, warns once per iteration at the first rejection, and flags the boundary", () => {
    const { method } = quartic(2, 10, () => null);
    const run = newton(method);
    expect(run.converged).toBe(true);
    expect(run.history.every((h) => h.halvings === 2)).toBe(true);
    expect(run.warnings).toEqual(Array(run.iterations).fill("shortened"));
    expect(run.boundary).toBe(true);
  });

  it("exhausted halvings: null takes the last trial, a string stops the fit, a throw propagates", () => {
    const take = newton(quartic(1000, 3, () => null).method);
    expect(take.converged).toBe(true);
    expect(take.history[0]!.halvings).toBe(3);

    const { method, state } = quartic(1000, 3, () => "gave up");
    const stop = newton(method);
    expect(stop.converged).toBe(false);
    expect(stop.iterations).toBe(1);
    expect(stop.stopped).toBe("gave up");
    expect(stop.warnings).toEqual(["shortened", "gave up"]);
    expect(state.evals).toBe(4); // the full step and three shortenings
    expect(statusWarnings(stop, () => "did not converge", null, null, "fitted")).toEqual(["shortened", "gave up", "did not converge", "fitted"]);

    expect(() => newton(quartic(1000, 3, () => { throw new Error("inner loop"); }).method)).toThrow("inner loop");
  });

  it("a stop from the direction ends the run at that iteration; convergedAtStart skips the loop", () => {
    const { method } = quartic(0, 3, () => null);
    const run = newton({ ...method, propose: (iter) => (iter === 2 ? "no direction" : method.propose(iter, [])) });
    expect(run.iterations).toBe(2);
    expect(run.stopped).toBe("no direction");
    expect(run.history.length).toBe(1);
    const done = newton({ ...method, convergedAtStart: () => true });
    expect(done.iterations).toBe(0);
    expect(done.converged).toBe(true);
  });
});

describe("the fitters report the pipeline's history", () => {
  const n = 40;
  const X = new Float64Array(n * 2);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = (i - n / 2) / 8;
    X[2 * i] = 1;
    X[2 * i + 1] = x;
    y[i] = (i * 7) % 5 < 2 + (x > 0 ? 1 : 0) ? 1 : 0;
  }
  const family = makeFamily("binomial", {});
  const problem: GlmProblem = {
    X, n, p: 2, columnNames: ["(Intercept)", "x"], hasIntercept: true, y, weights: new Float64Array(n).fill(1),
    offset: null, trials: null, family,
  };

  it("irls: one record per iteration, the last relative deviance change below epsilon", () => {
    const fit = irls({ X, n, p: 2, y, weights: problem.weights, offset: null, family });
    expect(fit.converged).toBe(true);
    expect(fit.history.map((h) => h.iteration)).toEqual(Array.from({ length: fit.iterations }, (_, k) => k + 1));
    expect(fit.history.at(-1)!.criterion).toBeLessThan(1e-8);
    expect(fit.history.slice(0, -1).every((h) => h.criterion >= 1e-8)).toBe(true);
  });

  it("fitBiasReduced: brglm2's forced half step in the first iteration; the last Fisher step below epsilon", () => {
    const fit = fitBiasReduced(problem, { type: "AS_mean" });
    expect(fit.converged).toBe(true);
    expect(fit.history.length).toBe(fit.iterations);
    expect(fit.history[0]!.halvings).toBeGreaterThanOrEqual(1);
    expect(fit.history.at(-1)!.criterion).toBe(fit.stepLength);
    expect(fit.stepLength).toBeLessThan(1e-10);
  });

  it("fitMap: one record per step, the last scaled gradient below tol", () => {
    const priors = { coefficients: resolveCoefficientPriors({ coefficients: normal(0, 2.5) }, problem.columnNames, true) };
    const fit = fitMap(problem, priors);
    expect(fit.converged).toBe(true);
    expect(fit.history.length).toBe(fit.iterations);
    expect(fit.newtonSteps + fit.scoringSteps).toBe(fit.iterations);
    expect(fit.history.at(-1)!.criterion).toBeLessThan(1e-9);
  });
});

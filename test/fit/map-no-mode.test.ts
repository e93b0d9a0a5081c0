/**
 * A posterior mode that does not exist is reported as such (src/fit/map.ts
 * checkModeExists): with flat priors on coefficients whose ML estimates are infinite,
 * fitMap throws NoModeError naming them (it used to return converged: true with
 * x = 90.7, SE 1.7e9 under complete separation); with proper priors on every
 * coefficient the separation moves, the mode exists and the fit converges.
 *
 * The first tests run before the LP solver is loaded (vitest gives each file its own
 * module instance): the exact column checks still catch a separating column, and a
 * separation they cannot see is reported as "checked only in part".
 * @lp-solver-not-preloaded (test/setup-lp-solver.ts)
 */
import { describe, it, expect } from "vitest";
import { fitMap } from "../../src/fit/map.js";
import type { GlmProblem } from "../../src/fit/ml-fit.js";
import { binomial, poisson } from "../../src/families/index.js";
import { flat, normal, studentT } from "../../src/priors/index.js";
import { NoModeError, NumericalError } from "../../src/errors.js";
import { initSeparation, separationReady } from "../../src/separation.js";

function problem(X: number[][], y: number[], names: string[], family = binomial()): GlmProblem {
  const n = y.length;
  const p = names.length;
  return {
    X: Float64Array.from(X.flat()), n, p, columnNames: names, hasIntercept: names[0] === "(Intercept)",
    y: Float64Array.from(y), weights: new Float64Array(n).fill(1), offset: null, trials: null, family,
  };
}

/** Complete separation: y = 1{x > 3.5}. */
const complete = problem([1, 2, 3, 4, 5, 6].map((x) => [1, x]), [0, 0, 0, 1, 1, 1], ["(Intercept)", "x"]);
/** Quasi-complete: the rows with d = 1 all have y = 0; x overlaps. */
const quasi = problem(
  [[1, 0.3, 0], [1, -1.2, 0], [1, 0.8, 1], [1, 1.5, 0], [1, -0.4, 1], [1, 2.1, 0], [1, -0.9, 0], [1, 0.1, 0]],
  [1, 0, 0, 1, 0, 1, 1, 0],
  ["(Intercept)", "x", "d"],
);

describe("without the LP solver", () => {
  it("a separating column is still caught by the exact column checks", () => {
    expect(separationReady()).toBe(false);
    expect(() => fitMap(quasi, { coefficients: [flat(), flat(), flat()] })).toThrow(NoModeError);
  });
  it("a separation only the LP sees: the fit warns that existence was checked only in part", () => {
    const fit = fitMap(complete, { coefficients: [flat(), flat()] });
    expect(fit.warnings.some((w) => w.startsWith("whether the posterior mode exists (and the posterior is proper) was checked only in part (the LP solver is not loaded"))).toBe(true);
  });
});

describe("with the LP solver", () => {
  it("complete separation with flat priors: NoModeError naming the coefficients, no estimate", async () => {
    await initSeparation();
    let err: unknown = null;
    try {
      fitMap(complete, { coefficients: [flat(), flat()] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NoModeError);
    expect(err).toBeInstanceOf(NumericalError); // so callers that catch NumericalError (posterior init) still do
    const e = err as NoModeError;
    expect(e.improper).toEqual(["(Intercept)", "x"]);
    expect(Object.keys(e.coefficients).sort()).toEqual(["(Intercept)", "x"]);
    expect(e.coefficients.x).toBe("+Inf");
    expect(e.message).toMatch(/^the posterior mode does not exist: the priors on \(Intercept\), x are improper/);
  });

  it("a proper prior on every coefficient the separation moves gives a mode", () => {
    const fit = fitMap(complete, { coefficients: [flat(), normal(0, 2.5)] });
    expect(fit.converged).toBe(true);
    expect(fit.coefficients.every((r) => Number.isFinite(r.se!))).toBe(true);
    expect(fit.warnings.some((w) => w.includes("posterior mode"))).toBe(false);
    const q = fitMap(quasi, { coefficients: [flat(), flat(), studentT(3, 0, 2.5)] });
    expect(q.converged).toBe(true);
  });

  it("quasi-complete: only the flat-prior direction matters", () => {
    expect(() => fitMap(quasi, { coefficients: [normal(0, 10), normal(0, 10), flat()] })).toThrow(/priors on d are improper.*d → -Inf/);
  });

  it("log-link counts: a zero-count group with a flat prior has no mode", () => {
    const y = [0, 0, 0, 3, 1, 4, 2, 5, 1];
    const g = [2, 2, 2, 0, 0, 0, 1, 1, 1];
    const counts = problem(g.map((l) => [1, l === 1 ? 1 : 0, l === 2 ? 1 : 0]), y, ["(Intercept)", "gb", "gc"], poisson());
    expect(() => fitMap(counts, { coefficients: [flat(), flat(), flat()] })).toThrow(/gc → -Inf/);
    expect(fitMap(counts, { coefficients: [flat(), flat(), normal(0, 5)] }).converged).toBe(true);
  });
});

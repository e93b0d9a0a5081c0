/**
 * Rows not counted by an ML fit are reported (src/fit/ml-fit.ts rowCounts): rows of
 * weight 0 and binomial cbind(0, 0) rows reduce n as in R (R 4.2: df.residual and
 * the dispersion leave them out, silently); the fit record now says how many rows it
 * used and why the others were not counted (rowsUsed, rowsZeroWeight,
 * rowsZeroTrials, notes).
 */
import { describe, it, expect } from "vitest";
import { fitMl, type GlmProblem } from "../../src/fit/ml-fit.js";
import { binomial, gaussian } from "../../src/families/index.js";

const x = [1, 2, 3, 4, 5, 6, 7, 8];

describe("rows used", () => {
  it("binomial cbind with a zero case weight and a cbind(0, 0) row", () => {
    const fam = binomial();
    const r = fam.prepareResponse(
      { kind: "cbind", name: "cbind(s, f)", successes: Float64Array.of(1, 2, 0, 3, 4, 1, 5, 2), failures: Float64Array.of(3, 2, 0, 2, 1, 4, 1, 3) },
      Float64Array.of(1, 1, 1, 0, 1, 1, 1, 1),
    );
    const problem: GlmProblem = {
      X: Float64Array.from(x.flatMap((v) => [1, v])), n: 8, p: 2, columnNames: ["(Intercept)", "x"], hasIntercept: true,
      y: r.y, weights: r.weights, offset: null, trials: r.trials, mustart: r.mustart, family: fam,
    };
    const fit = fitMl(problem);
    expect([fit.rowsUsed, fit.rowsZeroWeight, fit.rowsZeroTrials, fit.nObs, fit.dfResidual]).toEqual([6, 1, 1, 6, 4]);
    expect(fit.notes).toEqual([
      "6 of 8 rows are counted: 1 has weight 0 and 1 is cbind(0, 0) (no trials), so they are not counted in n, the degrees of freedom or the dispersion (as R's glm)",
    ]);
  });

  it("gaussian with zero weights; no note when every row counts", () => {
    const base = {
      X: Float64Array.from(x.flatMap((v) => [1, v])), n: 8, p: 2, columnNames: ["(Intercept)", "x"], hasIntercept: true,
      y: Float64Array.of(1.1, 2.3, 2.8, 4.2, 5.1, 5.7, 7.3, 8.1), offset: null, trials: null, family: gaussian(),
    };
    const fit = fitMl({ ...base, weights: Float64Array.of(1, 0, 1, 1, 0, 1, 1, 1) });
    expect([fit.rowsUsed, fit.rowsZeroWeight, fit.rowsZeroTrials, fit.dfResidual]).toEqual([6, 2, 0, 4]);
    expect(fit.notes[0]).toMatch(/^6 of 8 rows are counted: 2 have weight 0, so/);
    const all = fitMl({ ...base, weights: new Float64Array(8).fill(1) });
    expect([all.rowsUsed, all.rowsZeroWeight, all.notes]).toEqual([8, 0, []]);
  });
});

/**
 * AIC and log-likelihood of ML fits when they are not finite (src/fit/ml-fit.ts
 * likelihoodSummary, family.aicWarnings): the value R returns with R's warning text,
 * or a warning saying why not. R 4.2.2 (x <- 1:7):
 *   glm(c(1.5, 2, 3.2, 4, 5.5, 1, 2) ~ x, poisson): aic Inf, logLik -Inf, warnings
 *     "non-integer x = 1.500000", "… 3.200000", "… 5.500000" (dpois);
 *   the same y but 1.5 with weight 0: aic NaN (0 × −Inf), one warning;
 *   glm(c(1, 2, 3 + 1e-9, 4, 6, 5, 9) ~ x, poisson): aic 26.963865395296363 (dpois
 *     counts y within 1e-7 of an integer as that integer: R_nonint);
 *   glm(y ~ x, gaussian, weights = c(1,1,0,1,1,0,1)): aic Inf, logLik -Inf, no warning
 *     (gaussian()$aic subtracts sum(log(wt)));
 *   glm(rep(2, 7) ~ x, Gamma): aic −463.1017, a value of the rounding noise of the
 *     deviance (1.0e-30): here −Inf / +Inf with a warning.
 */
import { describe, it, expect } from "vitest";
import { fitMl, type GlmProblem } from "../../src/fit/ml-fit.js";
import { Gamma, gaussian, inverseGaussian, poisson } from "../../src/families/index.js";
import type { Family } from "../../src/types.js";

const x = [1, 2, 3, 4, 5, 6, 7];
function problem(y: number[], family: Family, weights?: number[]): GlmProblem {
  const n = y.length;
  return {
    X: Float64Array.from(x.flatMap((v) => [1, v])), n, p: 2, columnNames: ["(Intercept)", "x"], hasIntercept: true,
    y: Float64Array.from(y), weights: weights ? Float64Array.from(weights) : new Float64Array(n).fill(1), offset: null, trials: null, family,
  };
}

describe("AIC and log-likelihood that are not finite", () => {
  it("Poisson with non-integer y: Inf / −Inf with R's dpois warnings", () => {
    const fit = fitMl(problem([1.5, 2, 3.2, 4, 5.5, 1, 2], poisson()));
    expect(fit.aic).toBe(Infinity);
    expect(fit.logLik).toBe(-Infinity);
    expect(fit.warnings.slice(0, 3)).toEqual(["non-integer x = 1.500000", "non-integer x = 3.200000", "non-integer x = 5.500000"]);
    expect(fit.warnings[3]).toMatch(/^3 responses are not integers: their Poisson probability is 0, so the AIC is Inf/);
  });

  it("Poisson: a non-integer y on a row of weight 0 gives NaN, as R; y within 1e-7 of an integer is that integer", () => {
    const nan = fitMl(problem([1.5, 2, 3, 4, 6, 5, 9], poisson(), [0, 1, 1, 1, 1, 1, 1]));
    expect(nan.aic).toBeNaN();
    expect(nan.warnings).toContain("non-integer x = 1.500000");
    expect(nan.warnings.some((w) => w.includes("the AIC is NaN"))).toBe(true);
    const near = fitMl(problem([1, 2, 3 + 1e-9, 4, 6, 5, 9], poisson()));
    expect(Math.abs(near.aic - 26.963865395296363)).toBeLessThan(1e-9);
    expect(near.warnings).toEqual([]);
  });

  it("gaussian with zero weights: Inf / −Inf as R, with a warning saying why", () => {
    const fit = fitMl(problem([1.2, 2.3, 2.9, 4.1, 5.2, 5.8, 7.1], gaussian(), [1, 1, 0, 1, 1, 0, 1]));
    expect(fit.aic).toBe(Infinity);
    expect(fit.logLik).toBe(-Infinity);
    expect(fit.warnings[0]).toMatch(/^the AIC is Inf and the log-likelihood -Inf, as in R: gaussian\(\)\$aic subtracts Σ log\(weights\) over every row, and 2 rows have weight 0/);
  });

  it("an exact fit of a dispersion family: −Inf / +Inf with a warning (R: a value of rounding noise)", () => {
    for (const family of [Gamma(), inverseGaussian(), gaussian()]) {
      const fit = fitMl(problem([2, 2, 2, 2, 2, 2, 2], family));
      expect(fit.aic, family.name).toBe(-Infinity);
      expect(fit.logLik).toBe(Infinity);
      expect(fit.warnings[0]).toMatch(/^the fit is exact \(every residual is at rounding level/);
      for (const r of fit.coefficients) expect(r.se === 0 || r.se === Infinity).toBe(false);
    }
  });

  it("ordinary fits keep R's finite values and say nothing", () => {
    const fit = fitMl(problem([1.2, 2.3, 2.9, 4.1, 5.2, 5.8, 7.1], Gamma()));
    expect(Number.isFinite(fit.aic)).toBe(true);
    expect(fit.warnings).toEqual([]);
  });
});

/**
 * Degenerate fits the fuzz suite found (test/fuzz/KNOWN-ISSUES.md K1, K2, K4, K7, K8):
 * each number that does not exist is reported as such with a warning saying why, and
 * a fit with no estimate at all is a typed error, as in R. R 4.2.2 for each case:
 *   glm(y ~ 1, data.frame(y = c(0, 0, 0))): estimate 0, SE 0, t NaN, p NaN, AIC -Inf,
 *     logLik Inf, dispersion 0 (summary.lm would warn "essentially perfect fit");
 *   the same with method = "brglmFit" (brglm2 0.9, y = c(0, 0, 0, 0)): an error
 *     ("failed to invert the information matrix", then object 'failed_adjustment_zeta' not found);
 *   glm(y ~ x + 0, Gamma, y = c(0.01, 0.01, 0.01, 0.0100001), x = 3): null.deviance NaN
 *     (the null model η = 0 is μ = 1/0), no warning; coefficient 33.3332499995833;
 *   glm(cbind(y, f) ~ x, binomial) with every row cbind(0, 0): "no observations
 *     informative at iteration 1", then an error (object 'fit' not found);
 *   glm(y ~ x, y = c(1.7e308, -1.7e308, 1.7e308, -1.7e308), x = c(1, 2, 3, 5)): "non-finite
 *     coefficients at iteration 1", then an error (names() applied to a non-vector).
 */
import { describe, expect, it } from "vitest";
import { fitMl, type GlmProblem } from "../../src/fit/ml-fit.js";
import { fitBiasReduced } from "../../src/fit/firth.js";
import { Gamma, binomial, gaussian, poisson } from "../../src/families/index.js";
import { NumericalError } from "../../src/errors.js";
import type { Family } from "../../src/types.js";

/** A problem with an intercept column (when `intercept`) and the predictors given. */
function problem(y: number[], family: Family, xs: number[][], intercept = true, extra: Partial<GlmProblem> = {}): GlmProblem {
  const n = y.length;
  const p = xs.length + (intercept ? 1 : 0);
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    let j = 0;
    if (intercept) X[i * p + j++] = 1;
    for (const x of xs) X[i * p + j++] = x[i]!;
  }
  const columnNames = [...(intercept ? ["(Intercept)"] : []), ...xs.map((_, k) => `x${k + 1}`)];
  return {
    X, n, p, columnNames, hasIntercept: intercept, y: Float64Array.from(y), weights: new Float64Array(n).fill(1),
    offset: null, trials: null, family, ...extra,
  };
}

describe("an exact fit of a dispersion family (dispersion 0)", () => {
  it("ML, y all 0: R's estimate, AIC -Inf and logLik +Inf; SE, t and p NaN (R: SE 0) with the warnings", () => {
    const fit = fitMl(problem([0, 0, 0], gaussian(), []));
    expect(fit.coefficients[0]!.estimate).toBe(0);
    expect(fit.dispersion).toBe(0);
    expect(fit.coefficients[0]!.se).toBeNaN();
    expect(fit.coefficients[0]!.statistic).toBeNaN();
    expect(fit.coefficients[0]!.p_value).toBeNaN();
    expect([fit.aic, fit.logLik]).toEqual([-Infinity, Infinity]);
    expect(fit.warnings.some((w) => /^the fit is exact/.test(w))).toBe(true);
    expect(fit.warnings.some((w) => /^essentially perfect fit: .*the standard errors, statistics and p-values are NaN/.test(w))).toBe(true);
  });

  it("ML, a perfect fit with an extreme x (K8): no ±Infinity statistic, NaN with the warning", () => {
    const fit = fitMl(problem([0, 0, 0, -1e-100], gaussian(), [[0, 0, 0, 8e43]]));
    for (const r of fit.coefficients) {
      expect(Number.isFinite(r.estimate!)).toBe(true);
      expect(r.se).toBeNaN();
      expect(r.statistic).toBeNaN();
    }
    expect(fit.warnings.some((w) => /^essentially perfect fit/.test(w))).toBe(true);
  });

  it("Firth (K1): the exact fit itself, dispersion 0, no iterations, unbounded likelihood and NaN SEs with one warning", () => {
    for (const [family, y] of [[gaussian(), [0, 0, 0, 0]], [Gamma(), [2, 2, 2, 2]]] as const) {
      for (const type of ["AS_mean", "MPL_Jeffreys"] as const) {
        const br = fitBiasReduced(problem([...y], family, []), { type });
        const ml = fitMl(problem([...y], family, []));
        const what = `${family.name} ${type}`;
        expect(br.coef[0], what).toBe(ml.coef[0]);
        expect(br.dispersion, what).toBe(0);
        expect(br.iterations, what).toBe(0);
        expect(br.converged, what).toBe(true);
        expect([br.aic, br.logLik], what).toEqual([-Infinity, Infinity]);
        expect(br.penalisedLogLik, what).toBe(type === "MPL_Jeffreys" ? Infinity : null);
        expect(br.coefficients[0]!.se, what).toBeNaN();
        expect(br.coefficients[0]!.p_value, what).toBeNaN();
        expect(br.warnings.filter((w) => /^the fit is exact/.test(w)), what).toHaveLength(1);
      }
    }
  });

  it("Firth on a fit that is not exact keeps iterating the dispersion (no warning)", () => {
    const br = fitBiasReduced(problem([0.1, 0, 0.2, 0.05], gaussian(), []), { type: "AS_mean" });
    expect(br.dispersion).toBeGreaterThan(0);
    expect(br.iterations).toBeGreaterThan(0);
    expect(br.warnings).toEqual([]);
  });
});

describe("null deviance that does not exist (K4)", () => {
  it("Gamma y ~ x + 0: NaN as R's glm, now with a warning saying why; the fit itself is R's", () => {
    const fit = fitMl(problem([0.01, 0.01, 0.01, 0.0100001], Gamma(), [[3, 3, 3, 3]], false));
    expect(fit.nullDeviance).toBeNaN();
    expect(Math.abs(fit.coef[0]! - 33.3332499995833) / 33.3332499995833).toBeLessThan(1e-12);
    expect(fit.warnings.filter((w) => /^the null deviance is not finite \(NaN\): the null model without an intercept \(η = 0, so μ = Infinity under the inverse link\).*\(R.s glm has no finite value either\)$/.test(w))).toHaveLength(1);
  });
});

describe("no estimate at all (K7): a typed error, as R's glm.fit ends in an error", () => {
  it("every row cbind(0, 0): no observations informative at iteration 1", () => {
    const pr = problem([0, 0, 0], binomial(), [[1, 2, 3]], true, { weights: new Float64Array(3), trials: new Float64Array(3) });
    expect(() => fitMl(pr)).toThrow(NumericalError);
    expect(() => fitMl(pr)).toThrow(/^no estimate: the fit stopped at its first iteration \(no observations informative at iteration 1\).*check the weights and the response$/);
  });

  it("a response at ±1.7e308: non-finite coefficients at iteration 1", () => {
    const pr = problem([1.7e308, -1.7e308, 1.7e308, -1.7e308], gaussian(), [[1, 2, 3, 5]]);
    expect(() => fitMl(pr)).toThrow(/^no estimate: the fit stopped at its first iteration \(non-finite coefficients at iteration 1\).*rescale the response/);
  });

  it("an overflowing Pearson dispersion: SEs, statistics and p-values NaN with a warning (never SE Infinity with p = 1)", () => {
    // a Gamma fit that stops at non-finite coefficients after its first iteration (fuzz case; R: NA/NaN/Inf in 'x')
    const x1 = [-4.454367238216511e-53, -3.7922940284698067e-178, -3.0554039608265992e-90, -1.0688387796624755e-64];
    const x2 = [-4.999999999999996, -2.1422576482796023e-11, 8e-323, 0];
    const pr = problem([0.01000000000051965, 0.01, 0.01, 0.01], Gamma(), [x1, x2, x1.map((v, i) => v * x2[i]!)], false,
      { weights: Float64Array.from([2, 1, 1, 0.5]) });
    const fit = fitMl(pr);
    expect(fit.dispersion).toBe(Infinity);
    for (const r of fit.coefficients.filter((c) => !c.aliased)) expect([r.se, r.statistic, r.p_value]).toEqual([NaN, NaN, NaN]);
    expect(fit.warnings.filter((w) => /^the estimated dispersion is Infinity: .*the standard errors, statistics and p-values are NaN$/.test(w))).toHaveLength(1);
  });
});

describe("other numbers beyond double precision, each with its warning", () => {
  it("an empty model with an offset at 3e200 (R: deviance, null deviance, AIC and dispersion Inf): the same, with warnings", () => {
    const pr = problem([0, 0, 0], gaussian(), [], false, { offset: Float64Array.from([3e200, 3e200, 3e200]) });
    const fit = fitMl(pr);
    expect([fit.deviance, fit.nullDeviance, fit.aic, fit.dispersion]).toEqual([Infinity, Infinity, Infinity, Infinity]);
    expect(fit.warnings.some((w) => /^the residual deviance is not finite \(Infinity\)/.test(w))).toBe(true);
    expect(fit.warnings.some((w) => /^the null deviance is not finite \(Infinity\)/.test(w))).toBe(true);
    expect(fit.warnings.some((w) => /^the AIC is Infinity and the log-likelihood -Infinity/.test(w))).toBe(true);
  });

  it("an estimate that overflows on a fit with no residual df is NaN with a warning, never -Infinity (R: non-finite coefficients, an error)", () => {
    const fit = fitMl(problem([-593], gaussian(), [[6e-323]], false));
    expect(fit.coefficients[0]!.estimate).toBeNaN();
    expect(fit.warnings.some((w) => /^the design is too badly scaled for double precision: x1 \(estimate -Infinity\)/.test(w))).toBe(true);
  });

  it("Firth, Poisson with a non-integer response: log-likelihood -Inf with R's dpois warnings", () => {
    const br = fitBiasReduced(problem([0.5, 1, 2, 3], poisson(), [[1, 2, 3, 4]]), { type: "AS_mean" });
    expect(br.logLik).toBe(-Infinity);
    expect(br.warnings).toContain("non-integer x = 0.500000");
  });

  it("Firth: a standard error of Infinity (XᵀWX numerically singular) is NaN with a warning naming the coefficient", () => {
    // fuzz case: binomial proportions of order 1e-140 with x of order 1e-160 (brglm2: an error)
    const y = [5.189780046489449e-140, 2.0143885419728564e-143, 2.0833704342049927e-75, 2.7582389226118872e-279, 2.663929454300656e-277];
    const x = [-7.987407262159425e-168, -2.349903139734007e-157, -2.0215012913805182e-13, -2.1200262072499975e-241, 1.50510480136485e-161];
    const b = [1, 1, 0, 1, 0];
    const pr = problem(y, binomial(), [x, b.map((v) => 1 - v), b, x.map((v, i) => v * b[i]!)], false, { weights: Float64Array.from([2, 1, 1, 1, 0.5]) });
    const br = fitBiasReduced(pr, { type: "AS_mean" });
    expect(br.converged).toBe(false);
    const last = br.coefficients[3]!;
    expect([last.se, last.statistic, last.p_value]).toEqual([NaN, NaN, NaN]);
    for (const r of br.coefficients.slice(0, 3)) expect(Number.isFinite(r.se!) && r.se! > 0).toBe(true);
    expect(br.warnings.filter((w) => /^no standard errors for x4 \(SE Infinity\): .*the standard errors, statistics and p-values are NaN$/.test(w))).toHaveLength(1);
  });
});

describe("MAP with a singular information of subnormal scale (fuzz: ran forever)", () => {
  it("the scoring ridge grows from the smallest normal double: the fit ends, reporting its non-convergence", async () => {
    const { glm } = await import("../../models/index.js");
    const rows = [
      { y: 1.2581124487310332e-99, x1: 6.350492538687099e-297, x2: 7.617422814892291e-152 },
      { y: 3.9880173078794855e-263, x1: -3.855737318245327e-303, x2: 9.936142403900718e-226 },
    ];
    const fit = glm({ formula: "y ~ x1*x2 - 1", data: rows, family: "binomial", priors: { coefficients: "flat" } }).map({ maxit: 30 });
    expect(fit.converged).toBe(false);
    expect(fit.iterations).toBe(30);
    expect(fit.warnings.some((w) => /^the MAP fit did not converge in 30 iterations/.test(w))).toBe(true);
  });
});

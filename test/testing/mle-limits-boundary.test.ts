/**
 * Boundary behaviour of the ML fit: all-zero or all-one binomial responses,
 * Poisson counts that are all zero, and a single observation per level of a
 * factor. Required: a clear diagnosis (a warning that says what is wrong) and
 * no NaN in the estimates, SEs, deviance or log-likelihood.
 *
 * Two cases where R stays silent and we warn:
 *   - Poisson counts all zero (or a factor level whose counts are all zero): the
 *     fit stops at η ≈ −24 with SE ≈ 8e4; the LP check reports the −∞ estimates;
 *   - gaussian with one observation per level: residual df 0, dispersion and SEs
 *     NaN, with a warning that says why.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { glm } from "../../models/glm.js";
import type { GlmFit } from "../../models/fit-result.js";
import { glmData, withResponse, mleDiverges, assertVerdict, propertyParameters } from "../../testing/index.js";

/** Names of the reported numbers that are NaN or infinite (aliased coefficients excepted). */
function nonFinite(fit: GlmFit): string[] {
  const bad: string[] = [];
  const se = fit.vcov();
  const p = fit.ml.problem.p;
  fit.ml.problem.columnNames.forEach((name, j) => {
    if (fit.ml.irls.aliased[j]) return;
    if (!Number.isFinite(fit.ml.coef[j]!)) bad.push(`estimate of ${name}`);
    if (!Number.isFinite(se[j * p + j]!)) bad.push(`SE of ${name}`);
  });
  if (!Number.isFinite(fit.deviance)) bad.push("deviance");
  if (!Number.isFinite(fit.logLik)) bad.push("log-likelihood");
  if (!Number.isFinite(fit.dispersion)) bad.push("dispersion");
  return bad;
}

const constantResponse = (value: 0 | 1) =>
  glmData({ family: "binomial", n: { min: 5, max: 40 }, p: { min: 1, max: 4 } }).map((d) => withResponse(d, new Float64Array(d.n).fill(value), `all ${value}`));

describe("all-zero and all-one binomial responses", () => {
  for (const value of [0, 1] as const) {
    it(`y all ${value}: separation is reported, nothing is NaN, and ℓ → 0 as the intercept → ${value === 0 ? "−∞" : "+∞"}`, () => {
      fc.assert(
        fc.property(constantResponse(value), (d) => {
          const fit = glm(d.spec).fit();
          expect(nonFinite(fit)).toEqual([]);
          expect(fit.separation?.detected).toBe(true);
          expect(fit.warnings.some((w) => w.startsWith("separation detected"))).toBe(true);
          const direction = Array.from({ length: d.p }, (_, j) => (j === 0 ? (value === 0 ? -1 : 1) : 0));
          assertVerdict(mleDiverges(fit, direction, { expectLimitZero: true }));
          return true;
        }),
        propertyParameters(20, 95001 + value),
      );
    });
  }
});

const zeroCounts = glmData({ family: "poisson", n: { min: 5, max: 40 }, p: { min: 1, max: 4 } }).map((d) => withResponse(d, new Float64Array(d.n), "all 0"));

describe("Poisson counts all zero", () => {
  it("nothing is NaN and the MLE diverges as the intercept → −∞ (ℓ → 0)", () => {
    fc.assert(
      fc.property(zeroCounts, (d) => {
        const fit = glm(d.spec).fit();
        expect(nonFinite(fit)).toEqual([]);
        assertVerdict(mleDiverges(fit, Array.from({ length: d.p }, (_, j) => (j === 0 ? -1 : 0)), { expectLimitZero: true }));
        return true;
      }),
      propertyParameters(20, 95011),
    );
  });

  it("the fit says that the estimates are at −∞ (infinite-estimate warning from the LP check)", () => {
    fc.assert(
      fc.property(zeroCounts, (d) => {
        expect(glm(d.spec).fit().warnings.length).toBeGreaterThan(0);
        return true;
      }),
      propertyParameters(5, 95012),
    );
  });
});

/** One observation per level of a factor f with k levels a, b, …; y from `draw`. */
function onePerLevel(draw: (u: number) => number) {
  return fc.record({ k: fc.integer({ min: 2, max: 8 }), u: fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 8, maxLength: 8 }) }).map(({ k, u }) => ({
    k,
    data: { f: Array.from({ length: k }, (_, i) => String.fromCharCode(97 + i)), y: u.slice(0, k).map(draw) },
  }));
}

describe("a single observation per level of a factor", () => {
  it("binomial: separation is reported and nothing is NaN", () => {
    fc.assert(
      fc.property(onePerLevel((u) => (u < 0.5 ? 0 : 1)), ({ data }) => {
        const fit = glm({ formula: "y ~ f", data, family: "binomial" }).fit();
        expect(nonFinite(fit)).toEqual([]);
        expect(fit.separation?.detected).toBe(true);
        expect(fit.warnings.some((w) => w.startsWith("separation detected"))).toBe(true);
        return true;
      }),
      propertyParameters(20, 95021),
    );
  });

  it("Poisson with positive counts: the saturated fit is exact (deviance ≈ 0, μ = y), converged, nothing NaN", () => {
    fc.assert(
      fc.property(onePerLevel((u) => 1 + Math.floor(20 * u)), ({ data }) => {
        const fit = glm({ formula: "y ~ f", data, family: "poisson" }).fit();
        expect(fit.converged).toBe(true);
        expect(nonFinite(fit)).toEqual([]);
        expect(fit.deviance).toBeLessThan(1e-8);
        fit.fitted.forEach((mu, i) => expect(mu).toBeCloseTo(data.y[i]!, 6));
        return true;
      }),
      propertyParameters(20, 95022),
    );
  });

  it("gaussian (residual df 0): NaN dispersion and SEs come with a warning", () => {
    fc.assert(
      fc.property(onePerLevel((u) => Math.round(100 * u) / 10), ({ data }) => {
        const fit = glm({ formula: "y ~ f", data, family: "gaussian" }).fit();
        const bad = nonFinite(fit);
        // Acceptable: no NaN at all, or every NaN explained by a warning.
        if (bad.length > 0) expect(fit.warnings.length, `NaN in ${bad.join(", ")} without a warning`).toBeGreaterThan(0);
        return true;
      }),
      propertyParameters(5, 95023),
    );
  });
});

/**
 * LR, Rao score and Wald tests against R (test/reference/intervals.R):
 * anova(m0, m1, test = "Chisq") and anova(m0, m1, test = "Rao") for nested models
 * and for dropping each coefficient, summary()'s Wald tests, and the joint Wald
 * statistic from vcov(). Tolerance 1e-6 relative (statistics) and 1e-6 relative or
 * 1e-12 absolute (p-values, which can be ~0).
 */
import { describe, it, expect } from "vitest";
import { fixture, fitFormula } from "./fixture.js";
import {
  nestedModelTests, coefficientTests, likelihoodRatioTest, scoreTest, waldTest, waldTestJoint, dropColumns,
} from "../../src/intervals/hypothesis-tests.js";
import { fitMl } from "../../src/fit/ml-fit.js";
import { ArgumentError } from "../../src/errors.js";

function close(actual: number, expected: number, label: string, rel = 1e-6, abs = 1e-12) {
  const err = Math.abs(actual - expected);
  expect(err <= Math.max(abs, rel * Math.abs(expected)), `${label}: got ${actual}, R ${expected}`).toBe(true);
}

describe("nested-model tests agree with anova(m0, m1, test = \"Chisq\" / \"Rao\")", () => {
  it("covers an estimated-dispersion family and several families", () => {
    expect(fixture.tests.some((c) => c.dispersion_estimated)).toBe(true);
    expect(new Set(fixture.tests.map((c) => c.family)).size).toBeGreaterThanOrEqual(5);
  });
  for (const c of fixture.tests) {
    const opts = c.id.includes("negbin") ? { dispersion: 1 } : {};
    it(`${c.id}: ${c.formula0} vs ${c.formula1}`, () => {
      const m0 = fitFormula(c, c.formula0);
      const m1 = fitFormula(c, c.formula1);
      const t = nestedModelTests(m0, m1, opts);
      expect(t.df).toBe(c.lr.df);
      close(t.dispersion, c.dispersion, "dispersion");
      close(t.lr.deviance, c.lr.deviance, "LR deviance");
      close(t.lr.statistic, c.lr.statistic, "LR statistic");
      close(t.lr.p_value, c.lr.p_value, "LR p");
      close(t.score.rao, c.rao.rao, "Rao");
      close(t.score.statistic, c.rao.statistic, "score statistic");
      close(t.score.p_value, c.rao.p_value, "score p");
      expect(t.wald!.columns).toEqual(c.wald.columns);
      close(t.wald!.statistic, c.wald.statistic, "Wald W");
      close(t.wald!.p_value, c.wald.p_value, "Wald p");
      close(t.wald!.f, c.wald.f, "Wald F");
      close(t.wald!.p_value_f, c.wald.p_value_f, "Wald F p");
      // The order of the two fits does not matter.
      expect(nestedModelTests(m1, m0, opts).score.rao).toBe(t.score.rao);
    });
    it(`${c.id}: per-coefficient Wald, LR and score tests`, () => {
      const m1 = fitFormula(c, c.formula1);
      const rows = coefficientTests(m1, opts);
      expect(rows.map((r) => r.name)).toEqual(c.per_coefficient.map((r) => r.name));
      rows.forEach((r, j) => {
        const ref = c.per_coefficient[j]!;
        close(r.wald.statistic, ref.wald.statistic, `${r.name} Wald`);
        close(r.wald.p_value, ref.wald.p_value, `${r.name} Wald p`);
        close(r.lr.statistic, ref.lr.statistic, `${r.name} LR`);
        close(r.lr.p_value, ref.lr.p_value, `${r.name} LR p`);
        close(r.score.statistic, ref.score.statistic, `${r.name} score`);
        close(r.score.p_value, ref.score.p_value, `${r.name} score p`);
        expect(r.score.statistic).toBeGreaterThanOrEqual(0);
        expect(r.lr.statistic).toBeGreaterThanOrEqual(-1e-9);
      });
    });
  }
});

describe("test functions on their own", () => {
  const c = fixture.tests.find((x) => x.id === "birthwt_logit")!;
  const m1 = fitFormula(c, c.formula1);
  it("a single-column Wald test equals the joint Wald test of that column squared", () => {
    const w = waldTest(m1, "lwt");
    const j = waldTestJoint(m1, ["lwt"]);
    close(j.statistic, w.statistic * w.statistic, "W = z²", 1e-12);
    close(j.p_value, w.p_value, "p", 1e-9);
  });
  it("dropping a column and refitting gives the LR and score tests of coefficientTests", () => {
    const j = m1.problem.columnNames.indexOf("smoke");
    const m0 = fitMl(dropColumns(m1.problem, [j]));
    const [row] = coefficientTests(m1, { which: ["smoke"] });
    expect(likelihoodRatioTest(m0, m1).statistic).toBe(row!.lr.statistic);
    expect(scoreTest(m0, m1).statistic).toBe(row!.score.statistic);
    expect(m0.problem.hasIntercept).toBe(true);
    expect(dropColumns(m1.problem, [0]).hasIntercept).toBe(false);
  });
  it("refuses models fitted to different data and bad arguments", () => {
    const other = fitFormula(fixture.tests.find((x) => x.id === "mtcars_gaussian")!, "mpg ~ wt");
    expect(() => likelihoodRatioTest(other, m1)).toThrow(/not fitted to the same observations/);
    expect(() => waldTestJoint(m1, [])).toThrow(ArgumentError);
    expect(() => waldTestJoint(m1, ["age", "age"])).toThrow(/twice/);
    expect(() => waldTest(m1, "nope")).toThrow(/which names "nope"/);
    expect(() => likelihoodRatioTest(m1, m1, { dispersion: -1 })).toThrow(/dispersion must be a positive/);
  });
});

/**
 * Term-wise analysis of deviance against R (test/reference/anova-terms.json, written by
 * test/reference/anova-terms.R): anova(fit, test = "Chisq" | "F" | "Rao"), drop1(fit,
 * test = "LRT" | "F") and add1(fit, scope, test = "LRT" | "F") for 15 fits across families
 * (weights, zero weights, offsets in the formula and as an argument, no intercept, factors
 * and interactions, estimated dispersions, quasi families, negative binomial with θ fixed
 * and MASS::glm.nb).
 *
 * Tolerance: 1e-6 relative with a 1e-9 absolute floor (deviance differences that are 0
 * up to rounding, e.g. R's 3.6e-15 for a term that adds nothing). Degrees of freedom are exact.
 */
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { glm } from "../../models/glm.js";
import { anova, add1, drop1 } from "../../models/anova.js";
import { readCsv } from "../../src/data/index.js";
import type { SequentialTest, TermTestTable } from "../../src/diagnostics/term-tests.js";

type Num = number | string | null;
interface AnovaRef { terms: string[]; df: Num[]; deviance: Num[]; resid_df: number[]; resid_dev: number[]; F: Num[] | null; rao: Num[] | null; p_value: Num[]; warnings: string[] }
interface TermRef { terms: string[]; df: Num[]; deviance: number[]; aic: Num[] | null; lrt: Num[] | null; scaled: boolean | null; f: Num[] | null; p_value: Num[]; warnings: string[] }
interface FitRef {
  id: string; data: string; formula: string; family: string; link: string;
  weights_values: number[] | null; offset: string | null; theta: number | null; estimate_theta: boolean;
  dispersion: number; term_labels: string[]; drop_scope: string[];
  anova: { Chisq: AnovaRef; F: AnovaRef; Rao: AnovaRef };
  drop1: { LRT: TermRef; F: TermRef };
  add1: { scope: string; LRT: TermRef; F: TermRef } | null;
}
const fixture: { fits: FitRef[] } = JSON.parse(readFileSync("test/reference/anova-terms.json", "utf8"));

const worst = new Map<string, number>();
const num = (v: Num): number | null => (v === "Inf" ? Infinity : v === "-Inf" ? -Infinity : (v as number | null));

function close(actual: number | null, expectedRaw: Num, label: string, quantity: string): void {
  const expected = num(expectedRaw);
  if (expected === null) {
    expect(actual === null || Number.isNaN(actual), `${label}: expected NA, got ${actual}`).toBe(true);
    return;
  }
  expect(actual, `${label}: expected ${expected}, got null`).not.toBeNull();
  if (!Number.isFinite(expected)) return expect(actual, label).toBe(expected);
  const err = Math.abs(actual! - expected);
  worst.set(quantity, Math.max(worst.get(quantity) ?? 0, err / Math.max(Math.abs(expected), 1e-3)));
  expect(err <= Math.max(1e-9, 1e-6 * Math.abs(expected)), `${label}: got ${actual}, R ${expected} (diff ${err.toExponential(2)})`).toBe(true);
}

function fitOf(ref: FitRef) {
  return glm({
    formula: ref.formula, data: readCsv(ref.data), family: ref.family, link: ref.link,
    weights: ref.weights_values ?? undefined, offset: ref.offset ?? undefined, theta: ref.theta ?? undefined,
  }).fit();
}

/** R's warnings about the tests themselves (not summary.glm's notes) must be ours too. */
function checkWarnings(ours: string[], theirs: string[], label: string): void {
  for (const w of theirs.filter((x) => /F test|theta/.test(x))) expect(ours, `${label}: R warned "${w}"`).toContain(w);
}

function checkTermTable(t: TermTestTable, ref: TermRef, label: string): void {
  expect(t.rows.map((r) => r.term), label).toEqual(ref.terms);
  t.rows.forEach((r, k) => {
    expect(r.df, `${label} df[${k}]`).toBe(ref.df[k]);
    close(r.deviance, ref.deviance[k]!, `${label} deviance[${k}]`, "deviance");
    if (ref.aic === null) expect(r.aic, `${label} aic`).toBeNull();
    else close(r.aic, ref.aic[k]!, `${label} aic[${k}]`, "AIC");
    if (ref.lrt) close(r.lrt, ref.lrt[k]!, `${label} lrt[${k}]`, "LRT");
    if (ref.f) close(r.f, ref.f[k]!, `${label} F[${k}]`, "F");
    close(r.p_value, ref.p_value[k]!, `${label} p[${k}]`, "p-value");
  });
  if (ref.scaled !== null) expect(t.scaled, `${label} scaled`).toBe(ref.scaled);
  checkWarnings(t.warnings, ref.warnings, label);
}

describe("anova(fit), drop1, add1 against R", () => {
  for (const ref of fixture.fits) {
    describe(ref.id, () => {
      const fit = fitOf(ref);

      it("terms, drop.scope and summary dispersion", () => {
        expect(fit.terms.labels).toEqual(ref.term_labels);
        close(fit.summaryDispersion, ref.dispersion, "dispersion", "dispersion");
      });

      for (const test of ["Chisq", "F", "Rao"] as const) {
        it(`anova(fit, test = "${test}")`, () => {
          const e = ref.anova[test];
          const a = anova(fit, test as SequentialTest);
          expect(a.rows.map((r) => r.term)).toEqual(e.terms);
          a.rows.forEach((r, k) => {
            expect(r.df, `df[${k}]`).toBe(e.df[k]);
            expect(r.resid_df, `resid_df[${k}]`).toBe(e.resid_df[k]);
            close(r.deviance, e.deviance[k]!, `deviance[${k}]`, "deviance");
            close(r.resid_dev, e.resid_dev[k]!, `resid_dev[${k}]`, "resid. deviance");
            if (e.F) close(r.f, e.F[k]!, `F[${k}]`, "F");
            if (e.rao) close(r.rao, e.rao[k]!, `Rao[${k}]`, "Rao");
            close(r.p_value, e.p_value[k]!, `p[${k}]`, "p-value");
          });
          checkWarnings(a.warnings, e.warnings, `anova ${test}`);
        });
      }

      it("drop1(fit, test = \"LRT\" | \"F\")", () => {
        expect(fit.drop1().rows.slice(1).map((r) => r.term)).toEqual(ref.drop_scope);
        checkTermTable(drop1(fit, "LRT"), ref.drop1.LRT, "drop1 LRT");
        checkTermTable(drop1(fit, "F"), ref.drop1.F, "drop1 F");
      });

      if (ref.add1) {
        const { scope } = ref.add1;
        it(`add1(fit, ${scope}, test = "LRT" | "F")`, () => {
          checkTermTable(add1(fit, scope, "LRT"), ref.add1!.LRT, "add1 LRT");
          checkTermTable(fit.add1(scope, { test: "F" }), ref.add1!.F, "add1 F");
        });
      }
    });
  }

  afterAll(() => {
    const lines = [...worst.entries()].sort().map(([k, v]) => `  ${k.padEnd(18)} ${v.toExponential(2)}`);
    console.log(`anova-terms: worst relative error vs R\n${lines.join("\n")}`);
  });
});

/**
 * The multinomial logit against R (test/reference/multinomial.R → multinomial.json):
 * VGAM::vglm(multinomial(refLevel)) coefficients and SEs to 1e-6 relative, nnet::multinom's
 * (BFGS, whose optimum is only ~1e-5 tight) to 1e-4, profile bounds (exact R loop over
 * Poisson-trick constrained fits) to 1e-5, and the K = 2 fit equal to glm(binomial).
 */
import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { readCsv } from "../../src/data/index.js";
import { multinomial, multinomialAnova, type MultinomialSpec } from "../../models/multinomial.js";

const ref = JSON.parse(readFileSync(new URL("../reference/multinomial.json", import.meta.url), "utf8"));
const data = (name: string) => readCsv(new URL(`../../data/${name}.csv`, import.meta.url).pathname);
const caseOf = (name: string) => ref.cases.find((c: { name: string }) => c.name === name);

const housingColumns = {
  Sat: { type: "factor", levels: ["Low", "Medium", "High"] }, Infl: { type: "factor", levels: ["Low", "Medium", "High"] },
  Type: { type: "factor", levels: ["Tower", "Apartment", "Atrium", "Terrace"] }, Cont: { type: "factor", levels: ["Low", "High"] },
} as const;

const specs: Record<string, Omit<MultinomialSpec, "family">> = {
  iris: { formula: "Species ~ Sepal.Length", data: data("iris") },
  iris_ref3: { formula: "Species ~ Sepal.Length", data: data("iris"), ref: "virginica" },
  housing: { formula: "Sat ~ Infl + Type + Cont", data: data("housing"), weights: "Freq", columns: housingColumns },
  pneumo: { formula: "cbind(normal, mild, severe) ~ log(exposure.time)", data: data("pneumo") },
  mtcars_gear: { formula: "gear ~ mpg + wt", data: data("mtcars") },
  birthwt_k2: { formula: "low ~ age + lwt + smoke + ht", data: data("birthwt") },
};

function expectRel(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!, a = actual[i]!;
    expect(Math.abs(a - e) / Math.max(Math.abs(e), 1e-8), `entry ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(tol);
  }
}

describe.each(Object.keys(specs))("%s", (name) => {
  const c = caseOf(name);
  const fit = multinomial(specs[name]!).fit();
  test("names, categories and reference as R", () => {
    expect(fit.coefficients.map((x) => x.name)).toEqual(c.names);
    expect([...fit.categories]).toEqual(c.categories);
    expect(fit.reference).toBe(c.ref);
    expect(fit.record.converged).toBe(true);
  });
  test("coefficients and SEs = VGAM to 1e-6", () => {
    expectRel(fit.coefficients.map((x) => x.estimate), c.vgam.coefficients, 1e-6);
    expectRel(fit.coefficients.map((x) => x.se), c.vgam.se, 1e-6);
  });
  test("deviance, log-likelihood, residual df = VGAM", () => {
    expectRel([fit.deviance, fit.logLik], [c.vgam.deviance, c.vgam.loglik], 1e-9);
    expect(fit.dfResidual).toBe(c.vgam.df_residual);
  });
  if (c.nnet !== undefined) test("coefficients, SEs, deviance, AIC = nnet (BFGS) to 1e-4", () => {
    expectRel(fit.coefficients.map((x) => x.estimate), c.nnet.coefficients, 1e-4);
    expectRel(fit.coefficients.map((x) => x.se), c.nnet.se, 1e-4);
    expectRel([fit.deviance, fit.aic], [c.nnet.deviance, c.nnet.aic], 1e-8);
  });
  test("profile-likelihood bounds to 1e-5", () => {
    const pr = fit.profile(0.95);
    expectRel(pr.map((b) => b.lower), c.profile.lower, 1e-5);
    expectRel(pr.map((b) => b.upper), c.profile.upper, 1e-5);
  });
  if (c.predict !== undefined) test("predicted probabilities, link and its SEs = VGAM's predict", () => {
    const tbl = specs[name]!.data as ReturnType<typeof data>;
    const rows = (c.predict.rows as number[]).map((r) => r - 1);
    const newdata = Object.fromEntries(tbl.names.map((nm) => {
      const col = tbl.column(nm);
      return [nm, rows.map((r) => (col.kind === "numeric" ? col.values[r]! : col.values[r]!))];
    }));
    const pred = fit.predict(newdata as never);
    expectRel(pred.flatMap((p) => fit.categories.map((k) => p.probabilities[k]!)), c.predict.probabilities, 1e-6);
    const nonref = fit.categories.filter((k) => k !== fit.reference);
    expectRel(pred.flatMap((p) => nonref.map((k) => p.link[k]!)), c.predict.link, 1e-6);
    expectRel(pred.flatMap((p) => nonref.map((k) => p.se_link[k]!)), c.predict.se_link, 1e-6);
  });
});

test("K = 2 equals glm(binomial) exactly", () => {
  const fit = multinomial(specs.birthwt_k2!).fit();
  expectRel(fit.coefficients.map((x) => x.estimate), ref.binomial_k2.coefficients, 1e-7);
  expectRel(fit.coefficients.map((x) => x.se), ref.binomial_k2.se, 1e-7);
  expectRel([fit.deviance, fit.aic], [ref.binomial_k2.deviance, ref.binomial_k2.aic], 1e-10);
});

test("likelihood-ratio test between nested fits = anova(multinom, multinom)", () => {
  const small = multinomial({ ...specs.housing!, formula: "Sat ~ Infl + Type" }).fit();
  const big = multinomial(specs.housing!).fit();
  const rows = multinomialAnova([small, big]);
  const r = ref.lrtest_housing;
  expect(rows.map((x) => x.resid_df)).toEqual(r.resid_df);
  expectRel(rows.map((x) => x.resid_dev), r.resid_dev, 1e-9);
  expect(rows[1]!.df).toBe(r.df);
  expectRel([rows[1]!.lr_stat!, rows[1]!.p_value!], [r.lr_stat, r.p_value], 1e-7);
});

test("separated fits are flagged, with the diverging coefficients, and the deviance at its infimum", () => {
  for (const [key, spec] of [["iris_sepal", { formula: "Species ~ Sepal.Length + Sepal.Width", data: data("iris") }], ["mtcars_am", { formula: "gear ~ mpg + am", data: data("mtcars") }]] as const) {
    const fit = multinomial(spec).fit();
    expect(fit.separation?.detected, key).toBe(true);
    expect(Object.keys(fit.separation!.infinite).length).toBeGreaterThan(0);
    expect(fit.warnings.some((w) => w.startsWith("separation:"))).toBe(true);
    // nnet's BFGS stops somewhere along the divergence: its deviance is not below ours
    expect(fit.deviance).toBeLessThanOrEqual(ref.separated[key].nnet_deviance + 1e-6);
  }
  for (const name of Object.keys(specs)) expect(multinomial(specs[name]!).fit().separation?.detected, name).toBe(false);
});

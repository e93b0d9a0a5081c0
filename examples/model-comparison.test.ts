/**
 * Runs examples/model-comparison.ts with small sampler settings: the ML half equals R
 * (anova, drop1: the numbers in the example's comments), the Bayesian half has the shape
 * the printout needs.
 */
import { describe, expect, it } from "vitest";
import { formatComparisonReport, modelComparison } from "./model-comparison.js";

describe("examples/model-comparison", () => {
  it("compares the two birthwt models by LRT, LOO and a posterior predictive check", async () => {
    const r = await modelComparison({ chains: 2, warmup: 200, draws: 200, seed: 1 });
    // R: anova(small, large, test = "Chisq"): Deviance 13.588 on 4 df, Pr(>Chi) 0.008734
    expect(r.lrt[1]!.df).toBe(4);
    expect(r.lrt[1]!.deviance!).toBeCloseTo(13.588, 3);
    expect(r.lrt[1]!.p_value!).toBeCloseTo(0.008734, 6);
    // R: anova(large, test = "Chisq"), the ht row: 6.5715, 0.010362
    const ht = r.sequential.rows.find((row) => row.term === "ht")!;
    expect(ht.deviance!).toBeCloseTo(6.5715, 4);
    expect(ht.p_value!).toBeCloseTo(0.010362, 6);
    // R: drop1(large, test = "LRT"), the race row: AIC 222.77, LRT 7.3441, 0.025424
    const race = r.drop1.rows.find((row) => row.term === "race")!;
    expect(race.aic!).toBeCloseTo(222.77, 2);
    expect(race.lrt!).toBeCloseTo(7.3441, 4);
    expect(race.p_value!).toBeCloseTo(0.025424, 6);

    expect(r.loo.small.S).toBe(400);
    expect(r.loo.large.n).toBe(189);
    expect(r.compare.map((c) => c.model).sort()).toEqual(["large", "small"]);
    expect(r.compare[0]!.elpd_diff).toBe(0);
    expect(r.ppc.checks.map((c) => c.name)).toEqual(["mean", "sd"]);
    const text = formatComparisonReport(r);
    expect(text).toMatch(/Likelihood-ratio test/);
    expect(text).toMatch(/Computed from 400 by 189 log-likelihood matrix/);
    expect(text).toMatch(/loo_compare:/);
    expect(text).toMatch(/mean_PPD: 0\.3\d{3}/);
  });
});

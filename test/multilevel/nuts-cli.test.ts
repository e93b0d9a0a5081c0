/**
 * `glmkit fit … --formula "y ~ x + (x | g)" --method nuts`: the text summary and the JSON record
 * (coefficients as posterior means/SDs, group_effects in brms names, posterior block), the prior
 * flags, and the usage errors of --prior-covariance / --prior-sd.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../models/cli-run.js";

const short = ["--chains", "2", "--warmup", "150", "--draws", "100", "--seed", "4"];
const sleep = ["fit", "data/sleepstudy.csv", "--formula", "Reaction ~ Days + (Days | Subject)", "--method", "nuts"];

describe("glmkit fit --method nuts with (… | g) terms", () => {
  it("JSON: the contract's fields, group_effects in brms names, the posterior block; same seed, same numbers", async () => {
    const res = await runCli([...sleep, ...short, "--json"]);
    expect(res.err).toBe("");
    expect(res.code).toBe(0);
    const j = JSON.parse(res.out);
    expect(j.method).toBe("nuts");
    expect(j.n).toBe(180);
    expect(j.coefficients.map((c: any) => c.name)).toEqual(["(Intercept)", "Days"]);
    const rows = new Map(j.posterior.summary.map((r: any) => [r.name, r]));
    expect(j.coefficients[1].estimate).toBe((rows.get("b_Days") as any).mean);
    expect(j.coefficients[1].se).toBe((rows.get("b_Days") as any).sd);
    expect(Object.keys(j.group_effects.sd)).toEqual(["sd_Subject__Intercept", "sd_Subject__Days"]);
    expect(j.group_effects.cor.cor_Subject__Intercept__Days).toBe((rows.get("cor_Subject__Intercept__Days") as any).mean);
    expect(j.group_effects.residual_sd).toBe((rows.get("sigma") as any).mean);
    expect(j.group_effects.ranef[0].levels.length).toBe(18);
    expect(j.group_effects.ranef[0].values[0][1]).toBe((rows.get("r_Subject[308,Days]") as any).mean);
    expect(j.group_effects.coef[0].values[0][1]).toBeCloseTo(j.coefficients[1].estimate + j.group_effects.ranef[0].values[0][1], 10);
    expect(j.posterior).toMatchObject({ chains: 2, warmup: 150, draws: 100, adapt_delta: 0.95, divergences: expect.any(Number) });
    expect(j.posterior.group_terms).toEqual([{ factor: "Subject", columns: ["(Intercept)", "Days"], levels: 18, correlated: true }]);
    expect(j.prior.map((l: any) => l.parameter)).toEqual(["Intercept (after predictors centered)", "b_Days", "sigma", "Covariance"]);
    expect(j.prior[3].prior).toMatch(/^decov\(/);
    const again = JSON.parse((await runCli([...sleep, ...short, "--json"])).out);
    expect(again.posterior.summary).toEqual(j.posterior.summary);
  });

  it("text: population- and group-level tables, sigma, R-hat/ESS, divergences, prior summary; --prior-covariance lkj with --prior-sd", async () => {
    const res = await runCli([...sleep, ...short, "--prior-covariance", "lkj(2)", "--prior-sd", "student_t(3, 0, 20)", "--prior", "normal(0, 10)"]);
    expect(res.err).toBe("");
    expect(res.code).toBe(0);
    for (const re of [/Method: nuts/, /2 chains × \(150 warmup \+ 100 draws\), \d+ divergences/, /Population-level effects:/, /b_Days/, /Group-level effects:/, /sd_Subject__Days/, /cor_Subject__Intercept__Days/, /Family-specific parameters:/, /sigma/, /ess_bulk/, /rhat/, /lkj\(2\), sd ~ half_student_t\(3, 20\)/, /b_Days\n  ~ normal\(0, 10\)/])
      expect(res.out).toMatch(re);
  });

  it("binomial with trials on cbpp", async () => {
    const res = await runCli(["fit", "data/cbpp.csv", "--formula", "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", "--family", "binomial", "--method", "nuts", ...short, "--json"]);
    expect(res.err).toBe("");
    const j = JSON.parse(res.out);
    expect(j.coefficients.map((c: any) => c.name)).toEqual(["(Intercept)", "factor(period)2", "factor(period)3", "factor(period)4"]);
    expect(Object.keys(j.group_effects.sd)).toEqual(["sd_herd__Intercept"]);
    expect(j.group_effects.residual_sd).toBeNull();
    expect(j.dispersion).toBe(1);
  });

  it("nested (1 | batch/cask) and (0 + x | g) + (1 | g): lme4's factor names, both groups in the text", async () => {
    const res = await runCli(["fit", "data/Pastes.csv", "--formula", "strength ~ 1 + (1 | batch/cask)", "--method", "nuts", ...short]);
    expect(res.err).toBe("");
    expect(res.out).toMatch(/groups: cask:batch 30, batch 10/);
    expect(res.out).toMatch(/sd_cask:batch__Intercept/);
    expect(res.out).toMatch(/sd_batch__Intercept/);
    const f2 = "Reaction ~ Days + (0 + Days | Subject) + (1 | Subject)";
    const j = JSON.parse((await runCli(["fit", "data/sleepstudy.csv", "--formula", f2, "--method", "nuts", ...short, "--json"])).out);
    const ml = JSON.parse((await runCli(["fit", "data/sleepstudy.csv", "--formula", f2, "--method", "ml", "--json"])).out);
    expect(j.posterior.group_terms.map((t: any) => t.columns)).toEqual([["Days"], ["(Intercept)"]]);
    expect(Object.keys(j.group_effects.sd).sort()).toEqual(["sd_Subject__Days", "sd_Subject__Intercept"]);
    // the same tables as the ML fit's (lme4's ranef: one per grouping factor)
    expect(j.group_effects.ranef.map((t: any) => [t.factor, t.columns, t.levels])).toEqual(ml.group_effects.ranef.map((t: any) => [t.factor, t.columns, t.levels]));
    expect(Object.keys(j.group_effects.sd).sort()).toEqual(Object.keys(ml.group_effects.sd).sort());
  });

  it("usage errors: covariance/sd flags without bars or without nuts, bad specs naming the flag", async () => {
    const noBars = await runCli(["fit", "data/sleepstudy.csv", "--formula", "Reaction ~ Days", "--method", "nuts", "--prior-covariance", "lkj(2)"]);
    expect(noBars.code).toBe(2);
    expect(noBars.err).toMatch(/--prior-covariance applies to a multilevel model/);
    const noBarsSd = await runCli(["fit", "data/sleepstudy.csv", "--formula", "Reaction ~ Days", "--prior-sd", "normal(0, 1)"]);
    expect(noBarsSd.code).toBe(2);
    expect(noBarsSd.err).toMatch(/--prior-sd applies to a multilevel model/);
    const noNuts = await runCli(["fit", "data/sleepstudy.csv", "--formula", "Reaction ~ Days + (Days | Subject)", "--prior-covariance", "lkj(2)"]);
    expect(noNuts.code).toBe(2);
    expect(noNuts.err).toMatch(/--prior-covariance applies to a multilevel model with --method nuts/);
    const chains = await runCli(["fit", "data/sleepstudy.csv", "--formula", "Reaction ~ Days + (Days | Subject)", "--method", "reml", "--chains", "2"]);
    expect(chains.code).toBe(2);
    expect(chains.err).toMatch(/--chains applies to a multilevel model with --method nuts/);
    const bad = await runCli([...sleep, "--prior-covariance", "wishart(3)"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--prior-covariance: .*wishart/);
    const sdDecov = await runCli([...sleep, "--prior-sd", "normal(0, 1)", "--prior-covariance", "decov(1, 1, 1, 1)"]);
    expect(sdDecov.code).toBe(2);
    expect(sdDecov.err).toMatch(/--prior-covariance: .*goes with lkj/);
    const badSd = await runCli([...sleep, "--prior-sd", "normal(0"]);
    expect(badSd.code).toBe(2);
    expect(badSd.err).toMatch(/--prior-sd: /);
    const badPrior = await runCli([...sleep, "--prior-aux", "foo(1)"]);
    expect(badPrior.code).toBe(2);
    expect(badPrior.err).toMatch(/--prior-aux: /);
    const badChains = await runCli([...sleep, "--chains", "0"]);
    expect(badChains.code).toBe(2);
    expect(badChains.err).toMatch(/--chains must be an integer/);
    for (const r of [noBars, noNuts, bad, badSd]) expect(r.out).toBe("");
  });
});

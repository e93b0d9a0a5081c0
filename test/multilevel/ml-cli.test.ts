/**
 * `glmkit fit` with lme4's group-level terms: dispatch to lmer/glmer, `--method ml|mle|reml`,
 * the JSON contract's fields plus group_effects / bic / reml_criterion / na_dropped, numbers
 * equal to lme4's (test/reference/glmer.json), typed errors and usage errors.
 */
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../models/cli-run.js";

const refs = JSON.parse(readFileSync("test/reference/glmer.json", "utf8")) as Array<Record<string, any>>;
const ref = (name: string) => refs.find((r) => r.name === name)!;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("glmkit fit with (… | g) terms", () => {
  it("fits lmer by REML by default and by ML with --method ml / mle", async () => {
    const r = ref("sleepstudy_reml");
    const res = await runCli(["fit", "data/sleepstudy.csv", "--formula", r.formula, "--json"]);
    expect(res.err).toBe("");
    expect(res.code).toBe(0);
    const j = JSON.parse(res.out);
    expect(j.method).toBe("reml");
    expect(j.na_dropped).toBe(0);
    expect(rel(j.reml_criterion, r.REMLcrit)).toBeLessThan(1e-9);
    expect(rel(j.bic, r.BIC)).toBeLessThan(1e-9);
    j.coefficients.forEach((c: any, k: number) => { expect(rel(c.estimate, r.fixef[k])).toBeLessThan(1e-6); expect(c.p_value).toBeNull(); });
    expect(rel(j.group_effects.sd.sd_Subject__Intercept, r.terms[0].sd[0])).toBeLessThan(2e-6);
    expect(rel(j.group_effects.sd.sd_Subject__Days, r.terms[0].sd[1])).toBeLessThan(2e-6);
    expect(Math.abs(j.group_effects.cor.cor_Subject__Intercept__Days - r.terms[0].cor[0][1])).toBeLessThan(2e-6);
    expect(rel(j.group_effects.residual_sd, r.sigma)).toBeLessThan(1e-6);
    expect(j.group_effects.theta.map((t: any) => t.name)).toEqual(r.theta_names);
    expect(j.group_effects.ranef[0].levels).toEqual(r.ranef[0].levels);
    expect(j.group_effects.coef[0].columns).toEqual(r.coef[0].columns);
    for (const m of ["ml", "mle"]) {
      const ml = JSON.parse((await runCli(["fit", "data/sleepstudy.csv", "--formula", r.formula, "--method", m, "--json"])).out);
      expect(ml.method).toBe("ml");
      expect(ml.reml_criterion).toBeNull();
      expect(rel(ml.log_likelihood, ref("sleepstudy_ml").logLik)).toBeLessThan(1e-9);
    }
    const text = await runCli(["fit", "data/sleepstudy.csv", "--formula", r.formula]);
    expect(text.out).toMatch(/Random effects:/);
  });

  it("fits glmer for binomial with trials, and counts dropped rows", async () => {
    const r = ref("cbpp_binomial");
    const csv = readFileSync("data/cbpp.csv", "utf8").split("\n");
    csv[3] = csv[3]!.replace(/^"(\d+)"/, "NA");
    const dir = mkdtempSync(join(tmpdir(), "glmkit-ml-"));
    writeFileSync(join(dir, "cbpp-na.csv"), csv.join("\n"));
    const full = JSON.parse((await runCli(["fit", "data/cbpp.csv", "--formula", r.formula, "--family", "binomial", "--json"])).out);
    expect(full.method).toBe("ml");
    expect(rel(full.aic, r.AIC)).toBeLessThan(1e-9);
    expect(rel(full.group_effects.sd.sd_herd__Intercept, r.terms[0].sd)).toBeLessThan(2e-6);
    expect(full.group_effects.residual_sd).toBeNull();
    expect(full.coefficients[1].p_value).toBeGreaterThan(0);
    const na = await runCli(["fit", join(dir, "cbpp-na.csv"), "--formula", r.formula, "--family", "binomial", "--json"]);
    expect(na.code).toBe(0);
    const j = JSON.parse(na.out);
    expect(j.na_dropped).toBe(1);
    expect(j.n).toBe(r.n - 1);
    expect(j.warnings).toContain("1 observation deleted due to missingness");
  });

  it("applies --contrasts to the population-level factors only", async () => {
    const f = "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)";
    const res = await runCli(["fit", "data/cbpp.csv", "--formula", f, "--family", "binomial", "--contrasts", "factor(period)=contr.sum", "--json"]);
    expect(res.err).toBe("");
    const j = JSON.parse(res.out);
    expect(j.coefficients.map((c: any) => c.name)).toEqual(["(Intercept)", "factor(period)1", "factor(period)2", "factor(period)3"]);
    // Same model, another parameterization: the same likelihood as lme4's treatment-coded fit.
    expect(rel(j.log_likelihood, ref("cbpp_binomial").logLik)).toBeLessThan(1e-8);
  });

  it("takes --theta for the negative binomial", async () => {
    const r = ref("cbpp_negbin_theta5");
    const res = await runCli(["fit", "data/cbpp.csv", "--formula", r.formula, "--family", "negative_binomial", "--theta", "5", "--json"]);
    expect(res.err).toBe("");
    const j = JSON.parse(res.out);
    expect(rel(j.log_likelihood, r.logLik)).toBeLessThan(1e-8);
    expect(j.family).toBe("Negative Binomial(5)");
  });

  it("reports bad requests with a message and a non-zero exit code, nothing on stdout", async () => {
    const f = "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)";
    const reml = await runCli(["fit", "data/cbpp.csv", "--formula", f, "--family", "binomial", "--method", "reml"]);
    expect(reml.code).toBe(1);
    expect(reml.out).toBe("");
    expect(reml.err).toMatch(/REML applies to linear mixed models/);
    const flag = await runCli(["fit", "data/cbpp.csv", "--formula", f, "--family", "binomial", "--prior", "normal(0, 1)"]);
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/--prior applies to a multilevel model with --method nuts/);
    const method = await runCli(["fit", "data/cbpp.csv", "--formula", f, "--method", "firth"]);
    expect(method.code).toBe(2);
    const nuts = await runCli(["fit", "data/cbpp.csv", "--formula", f, "--family", "binomial", "--method", "nuts", "--reparameterize", "qr"]);
    expect(nuts.code).toBe(2);
    expect(nuts.err).toMatch(/--reparameterize does not apply to a multilevel model/);
    const col = await runCli(["fit", "data/cbpp.csv", "--formula", "incidence ~ 1 + (1 | farm)", "--family", "poisson"]);
    expect(col.code).toBe(1);
    expect(col.err).toMatch(/"farm"/);
  });
});

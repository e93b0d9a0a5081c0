/**
 * lmer / glmer (nAGQ = 1) maximum likelihood against lme4 1.1-31 with tight control
 * (test/reference/glmer.json, written by test/reference/glmer.R): lmer fixed effects ≤ 1e-6
 * relative and standard errors ≤ 5e-6, glmer's ≤ 5e-6 and ≤ 2e-5 (see lme4Exact; glmer's SEs are
 * lme4's default, from the central-difference Hessian of the stage-2 deviance), θ ≤ 2e-6,
 * variance components, log-likelihood,
 * AIC, BIC, deviance, REML criterion, conditional modes (ranef), coef and fitted values.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readCsv } from "../../src/data/index.js";
import { ArgumentError, DataError } from "../../src/errors.js";
import { glmer, type MultilevelFitResult } from "../../models/multilevel.js";

interface Table { group: string; levels: string[] | string; columns: string[] | string; values: number[][] }
interface Ref {
  name: string; data: string; formula: string; family: string; link: string; REML: boolean; n: number; weights?: string; nb_theta?: number; singular: boolean;
  fixef_names: string[] | string; fixef: number[]; se: number[]; se_conditional?: number[]; theta: number[]; sigma: number;
  logLik: number; df: number; AIC: number; BIC: number; deviance: number; REMLcrit: number | null; fitted: number[];
  terms: Array<{ group: string; columns: string[] | string; sd: number[]; cor: number[][] }>;
  ranef: Table[]; coef: Table[];
}
const refs: Ref[] = JSON.parse(readFileSync("test/reference/glmer.json", "utf8"));
const arr = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const relErr = (a: number, b: number): number => (b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b));
const maxRel = (a: ArrayLike<number>, b: readonly number[]): number => Math.max(...b.map((v, i) => relErr(a[i]!, v)));

/** |ours − R| over a table, relative to the largest |value| of its column. */
function tableErr(values: ReadonlyArray<readonly number[]>, ref: Table): number {
  const cols = arr(ref.columns).length;
  let worst = 0;
  for (let c = 0; c < cols; c++) {
    const scale = Math.max(...ref.values.map((row) => Math.abs(arr(row)[c]!)));
    ref.values.forEach((row, g) => { worst = Math.max(worst, Math.abs(values[g]![c]! - arr(row)[c]!) / (scale || 1)); });
  }
  return worst;
}

/**
 * Whether the fit is lmer's, whose deviance lme4 evaluates exactly. glmer's Laplace deviance is evaluated by lme4
 * at modes PIRLS left at its tolPwrss: at lme4's own estimates our log-likelihood differs from lme4's by 6e-9
 * (cbpp binomial, epil Poisson: canonical links) up to 6e-8–5e-7 (probit, Gamma log, negative binomial log:
 * Fisher scoring converges linearly), and our optimum is as high or higher. So glmer fixed effects agree to 5e-6
 * and standard errors (finite differences of that deviance) to 2e-5; the issue asks 1e-4.
 */
function lme4Exact(ref: Ref): boolean {
  return ref.family === "gaussian" && ref.link === "identity";
}

const fits = new Map<string, MultilevelFitResult>();
function fitOf(ref: Ref): MultilevelFitResult {
  let f = fits.get(ref.name);
  if (!f) {
    const data = readCsv(`data/${ref.data}.csv`);
    // The one weighted fixture's prior weights, 1 + Days/10, computed as R computes them.
    const weights = ref.weights === "1 + Days/10" ? Float64Array.from(data.column("Days").values as Float64Array, (d) => 1 + d / 10) : undefined;
    const family = ref.family.startsWith("Negative Binomial") ? "negative_binomial" : ref.family;
    f = glmer({ formula: ref.formula, data, family, link: ref.link, weights, theta: ref.nb_theta }).fit(ref.family === "gaussian" && ref.link === "identity" ? { REML: ref.REML } : {});
    fits.set(ref.name, f);
  }
  return f;
}

describe("multilevel ML = lme4", () => {
  for (const ref of refs) {
    it(ref.name, () => {
      const fit = fitOf(ref);
      expect(fit.converged).toBe(true);
      expect(fit.n).toBe(ref.n);
      expect(fit.method).toBe(ref.REML ? "reml" : "ml");
      expect(fit.link).toBe(ref.link);
      expect(fit.coefficients.map((c) => c.name)).toEqual(arr(ref.fixef_names));
      expect(maxRel(fit.coefficients.map((c) => c.estimate!), ref.fixef)).toBeLessThanOrEqual(lme4Exact(ref) ? 1e-6 : 5e-6);
      expect(maxRel(fit.coefficients.map((c) => c.se!), ref.se)).toBeLessThanOrEqual(lme4Exact(ref) ? 5e-6 : 2e-5);
      const theta = fit.groupEffects.theta.map((t) => t.value);
      arr(ref.theta).forEach((t, j) => expect(Math.abs(theta[j]! - t)).toBeLessThanOrEqual(2e-6));
      if (ref.family === "gaussian" || ref.family === "Gamma") expect(relErr(fit.groupEffects.residual_sd!, ref.sigma)).toBeLessThanOrEqual(1e-6);
      else expect(fit.groupEffects.residual_sd).toBeNull();
      if (ref.se_conditional) {
        const p = fit.coefficients.length;
        expect(maxRel(Array.from({ length: p }, (_, j) => Math.sqrt(fit.estimate.vcovConditional[j * p + j]!)), ref.se_conditional)).toBeLessThanOrEqual(2e-5);
      }
      expect(fit.df).toBe(ref.df);
      expect(fit.warnings.some((w) => /boundary \(singular\) fit/.test(w))).toBe(ref.singular);
      expect(relErr(fit.logLik, ref.logLik)).toBeLessThanOrEqual(lme4Exact(ref) ? 1e-9 : 1e-8);
      expect(relErr(fit.aic, ref.AIC)).toBeLessThanOrEqual(lme4Exact(ref) ? 1e-9 : 1e-8);
      expect(relErr(fit.bic, ref.BIC)).toBeLessThanOrEqual(lme4Exact(ref) ? 1e-9 : 1e-8);
      // glmer's deviance(fit) is Σ dᵢ at the conditional modes: first-order in the modes, so 1e-6 (lmer's: 1e-9).
      expect(relErr(fit.deviance, ref.deviance)).toBeLessThanOrEqual(ref.family === "gaussian" ? 1e-9 : 1e-6);
      if (ref.REML) expect(relErr(fit.remlCriterion, ref.REMLcrit!)).toBeLessThanOrEqual(1e-9);
      else expect(fit.remlCriterion).toBeNaN();
      // glmer's fitted values are first-order in the conditional modes. lme4's PIRLS stops at its tolPwrss, which
      // for the probit link (Fisher scoring converges linearly) leaves its Laplace deviance ~1e-7 off the exact
      // one: our log-likelihood for cbpp_probit is 5.7e-8 higher than lme4's best. Hence 1e-5 for glmer (the
      // issue's target is 1e-4), 1e-6 for lmer.
      expect(maxRel(fit.fitted, ref.fitted)).toBeLessThanOrEqual(ref.family === "gaussian" ? 1e-6 : 1e-5);
      // Variance components, term by term, as VarCorr.
      ref.terms.forEach((t) => {
        const mine = fit.components.filter((c) => c.factor === t.group.replace(/\.\d+$/, "") && c.columns.join() === arr(t.columns).join())[0]!;
        expect(mine).toBeDefined();
        expect(maxRel(mine.sd, arr(t.sd))).toBeLessThanOrEqual(lme4Exact(ref) ? 2e-6 : 5e-6);
        const k = mine.columns.length;
        t.cor.forEach((row, a) => arr(row).forEach((v, b) => expect(Math.abs(mine.cor[a * k + b]! - v)).toBeLessThanOrEqual(2e-6)));
      });
      // ranef and coef by grouping factor, levels in R's order.
      expect(fit.groupEffects.ranef.map((r) => r.factor)).toEqual(ref.ranef.map((r) => r.group));
      ref.ranef.forEach((r, j) => {
        const mine = fit.groupEffects.ranef[j]!;
        expect(mine.levels).toEqual(arr(r.levels));
        expect(mine.columns).toEqual(arr(r.columns));
        expect(tableErr(mine.values, r)).toBeLessThanOrEqual(1e-5);
      });
      ref.coef.forEach((r, j) => {
        const mine = fit.groupEffects.coef[j]!;
        expect(mine.columns).toEqual(arr(r.columns));
        expect(tableErr(mine.values, r)).toBeLessThanOrEqual(lme4Exact(ref) ? 1e-6 : 5e-6);
      });
    });
  }

  it("names variance components as brms and prints an lme4-like summary", () => {
    const fit = fitOf(refs.find((r) => r.name === "sleepstudy_reml")!);
    expect(Object.keys(fit.groupEffects.sd)).toEqual(["sd_Subject__Intercept", "sd_Subject__Days"]);
    expect(Object.keys(fit.groupEffects.cor)).toEqual(["cor_Subject__Intercept__Days"]);
    const s = fit.summary();
    expect(s).toMatch(/Linear mixed model fit by REML/);
    expect(s).toMatch(/REML criterion at convergence: 1743\.6/);
    expect(s).toMatch(/Number of obs: 180, groups:  Subject, 18/);
    const g = fitOf(refs.find((r) => r.name === "cbpp_binomial")!).summary();
    expect(g).toMatch(/Laplace Approximation/);
    expect(g).toMatch(/Pr\(>\|z\|\)/);
  });

  it("rejects what lme4 does not fit, with typed errors", () => {
    const data = readCsv("data/cbpp.csv");
    const m = glmer({ formula: "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", data, family: "binomial" });
    expect(() => m.fit({ REML: true })).toThrow(ArgumentError);
    expect(() => m.fit({ nAGQ: 2 } as never)).toThrow(/unknown fit\(\) option "nAGQ"/);
    expect(() => m.nuts({ seed: 1, chain: 2 } as never)).toThrow(/unknown nuts\(\) option "chain"/);
    expect(() => glmer({ formula: "size ~ factor(period) + (1 | herd)", data, family: "quasipoisson" }).fit()).toThrow(/not implemented yet/);
    expect(() => glmer({ formula: "size ~ factor(period) + (1 | herd)", data, family: "negbin" }).fit()).toThrow(/needs theta/);
    const sleep = readCsv("data/sleepstudy.csv");
    expect(() => glmer({ formula: "Reaction ~ Days + I(2 * Days) + (1 | Subject)", data: sleep }).fit()).toThrow(DataError);
    expect(() => glmer({ formula: "Reaction ~ Days + I(2 * Days) + (1 | Subject)", data: sleep }).fit()).toThrow(/rank deficient: "I\(2 \* Days\)"/);
  });
});

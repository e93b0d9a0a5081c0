/**
 * glmer(spec).nuts(): the formula path (src/multilevel/design.ts via glmer) builds the same design
 * record as the posterior's own constructor (src/multilevel/test-design.ts) and, with the same
 * seed, the same draws; crossed and nested formulas sample without divergences.
 */
import { describe, expect, it } from "vitest";
import { readCsv } from "../../src/data/csv.js";
import { binomial, gaussian } from "../../src/families/index.js";
import { ArgumentError, FamilyError } from "../../src/errors.js";
import { testDesign } from "../../src/multilevel/test-design.js";
import type { MultilevelDesign } from "../../src/multilevel/types.js";
import { glmer } from "../../models/multilevel.js";
import { sampleMultilevel } from "../../models/multilevel-posterior.js";

const D = "test/data/multilevel/";

function expectSameDesign(a: MultilevelDesign, b: MultilevelDesign): void {
  expect(a.n).toBe(b.n);
  expect(a.p).toBe(b.p);
  expect([...a.columnNames]).toEqual([...b.columnNames]);
  expect(Array.from(a.X)).toEqual(Array.from(b.X));
  expect(Array.from(a.y)).toEqual(Array.from(b.y));
  expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
  expect(Array.from(a.offset)).toEqual(Array.from(b.offset));
  expect(a.terms.length).toBe(b.terms.length);
  a.terms.forEach((t, i) => {
    const u = b.terms[i]!;
    expect(t.factor).toBe(u.factor);
    expect([...t.levels]).toEqual([...u.levels]);
    expect([...t.columns]).toEqual([...u.columns]);
    expect(t.correlated).toBe(u.correlated);
    expect(Array.from(t.group)).toEqual(Array.from(u.group));
    expect(Array.from(t.values)).toEqual(Array.from(u.values));
    expect(Array.from(t.groupStart)).toEqual(Array.from(u.groupStart));
    expect(Array.from(t.rowsOfGroup)).toEqual(Array.from(u.rowsOfGroup));
  });
}

const short = { chains: 2, warmup: 100, draws: 60 };

describe("glmer().nuts(): the formula path equals the posterior's own design", () => {
  it("sleepstudy (1 + Days | Subject): same design, same draws with the same seed", () => {
    const data = readCsv(D + "sleepstudy.csv");
    const m = glmer({ formula: "Reaction ~ Days + (1 + Days | Subject)", data });
    const ref = testDesign(data, { response: "Reaction", fixed: ["Days"], groups: [{ factor: "Subject", columns: ["(Intercept)", "Days"] }] });
    expectSameDesign(m.design, ref);
    const a = m.nuts({ seed: 5, ...short });
    const b = sampleMultilevel(ref, { family: gaussian(), seed: 5, ...short });
    expect(a.names).toEqual(b.names);
    expect(a.names).toContain("cor_Subject__Intercept__Days");
    a.draws.forEach((ch, c) => expect(Array.from(ch)).toEqual(Array.from(b.draws[c]!)));
    expect(a.priorSummary).toEqual(b.priorSummary);
  });

  it("cbpp cbind(incidence, failures) ~ period + (1 | herd), binomial with trials: same design, same draws", () => {
    const data = readCsv(D + "cbpp.csv", { factors: ["period"] } as never);
    const m = glmer({ formula: "cbind(incidence, failures) ~ factor(period) + (1 | herd)", data, family: "binomial" });
    const ref = testDesign(data, { response: "incidence", failures: "failures", fixed: ["period"], factors: ["period"], groups: [{ factor: "herd", columns: ["(Intercept)"] }] });
    // R names the columns of factor(period) "factor(period)2"; the record's numbers are the same.
    expectSameDesign({ ...m.design, columnNames: m.design.columnNames.map((c) => c.replace("factor(period)", "period")) }, ref);
    const a = m.nuts({ seed: 6, ...short });
    const b = sampleMultilevel(ref, { family: binomial(), seed: 6, ...short });
    a.draws.forEach((ch, c) => expect(Array.from(ch)).toEqual(Array.from(b.draws[c]!)));
    expect(a.names).toContain("b_factor(period)2");
  });

  it("crossed (1 | plate) + (1 | sample) on Penicillin and nested (1 | batch/cask) on Pastes sample without divergences", async () => {
    const pen = glmer({ formula: "diameter ~ 1 + (1 | plate) + (1 | sample)", data: readCsv("data/Penicillin.csv") }).nuts({ seed: 7, ...short });
    expect(pen.divergences).toBe(0);
    expect(pen.names).toEqual(expect.arrayContaining(["sd_plate__Intercept", "sd_sample__Intercept", "sigma"]));
    const pastes = await glmer({ formula: "strength ~ 1 + (1 | batch/cask)", data: readCsv("data/Pastes.csv") }).sample({ seed: 8, ...short });
    expect(pastes.divergences).toBe(0);
    // lme4's naming of the nested term: cask:batch, levels "a:A" … (design.ts and mkReTrms).
    expect(pastes.design.terms.map((t) => [t.factor, t.levels.length])).toEqual([["cask:batch", 30], ["batch", 10]]);
    expect(pastes.names).toEqual(expect.arrayContaining(["sd_cask:batch__Intercept", "sd_batch__Intercept"]));
    for (const r of [...pen.summary, ...pastes.summary]) expect(Number.isFinite(r.mean)).toBe(true);
  });
});

describe("glmer().nuts(): priors and typed errors", () => {
  const sleep = readCsv(D + "sleepstudy.csv");
  it("declared priors replace rstanarm's defaults, in the spec or the options; lkj + sd is brms's", () => {
    const m = glmer({ formula: "Reaction ~ Days + (Days || Subject)", data: sleep, priors: { coefficients: "normal(0, 10)", covariance: "lkj(2)", sd: "student_t(3, 0, 20)" } });
    expect(m.design.terms.map((t) => t.correlated)).toEqual([false, false]);
    const post = m.nuts({ seed: 3, chains: 1, warmup: 100, draws: 50 });
    const lines = Object.fromEntries(post.priorSummary.map((l) => [l.parameter, l]));
    expect(lines["b_Days"]!.prior).toBe("normal(0, 10)");
    expect(lines["b_Days"]!.specified).toBeNull();
    expect(lines["Covariance"]!.prior).toMatch(/lkj\(2\).*sd ~ half_student_t\(3, 20\)/);
    expect(lines["Intercept (after predictors centered)"]!.specified).not.toBeNull();
    expect(post.names.some((n) => n.startsWith("cor_"))).toBe(false);
  });

  it("rejects bad options, priors and families with typed errors", () => {
    const m = glmer({ formula: "Reaction ~ Days + (Days | Subject)", data: sleep });
    expect(() => m.nuts({} as never)).toThrow(/seed is required/);
    expect(() => m.nuts({ seed: 1, chain: 2 } as never)).toThrow(/unknown nuts\(\) option "chain"/);
    expect(() => m.nuts({ seed: 1, chains: 0 })).toThrow(ArgumentError);
    expect(() => m.nuts({ seed: 1, priors: { covariance: "wishart(3)" } })).toThrow(/wishart/);
    expect(() => m.nuts({ seed: 1, priors: { cov: "lkj(2)" } as never })).toThrow(/unknown prior "cov"/);
    expect(() => glmer({ formula: "Reaction ~ Days + (1 | Subject)", data: sleep, priors: { aux: "exponential(1)" } }).nuts({ seed: 1, priors: { aux: "exponential(1)" } })).toThrow(/not both/);
    expect(() => glmer({ formula: "Reaction ~ Days + (1 | Subject)", data: sleep, family: "wibble" })).toThrow(FamilyError);
    const cbpp = readCsv(D + "cbpp.csv");
    expect(() => glmer({ formula: "incidence ~ 1 + (1 | herd)", data: cbpp, family: "negbin", theta: 2 }).nuts({ seed: 1 })).toThrow(/samples the negative binomial θ/);
  });

  it("a negative binomial without theta samples θ; Poisson with an offset and Gamma run", () => {
    const epi = readCsv(D + "epilepsy.csv");
    const nb = glmer({ formula: "y ~ post * trt + offset(log(weeks)) + (1 | subject)", data: epi, family: "negative_binomial" });
    expect(() => nb.fit()).toThrow(/needs theta/);
    const post = nb.nuts({ seed: 9, chains: 1, warmup: 80, draws: 40, maxTreeDepth: 6 });
    expect(post.names).toContain("theta");
    expect(post.names).toContain("b_post:trt");
    const weeks = epi.column("weeks").values as Float64Array;
    const pois = glmer({ formula: "y ~ post * trt + (1 | subject)", data: epi, family: "poisson", offset: Float64Array.from(weeks, Math.log) });
    expect(Array.from(pois.design.offset)).toEqual(Array.from(nb.design.offset));
    expect(Array.from(pois.design.offset.slice(0, 2))).toEqual([Math.log(8), Math.log(2)]);
    expect(pois.nuts({ seed: 11, chains: 1, warmup: 80, draws: 40, maxTreeDepth: 6 }).divergences).toBe(0);
    const gam = glmer({ formula: "Reaction ~ Days + (1 | Subject)", data: sleep, family: "Gamma", link: "log" }).nuts({ seed: 10, chains: 1, warmup: 80, draws: 40, maxTreeDepth: 6 });
    expect(gam.names).toContain("shape");
  });
});

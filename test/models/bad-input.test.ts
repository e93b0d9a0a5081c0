/**
 * Bad input gets a clear, typed error naming what is wrong — never a silent NaN.
 */
import { describe, it, expect } from "vitest";
import { glm } from "../../models/glm.js";
import { DataError, FormulaError, FamilyError, ArgumentError } from "../../src/errors.js";
import { main } from "../../bin/main.js";
import { runCli } from "./cli-run.js";

const rows = [
  { y: 0, x: 1.2, g: "a", t: 2 },
  { y: 1, x: 0.4, g: "b", t: 3 },
  { y: 1, x: 2.2, g: "a", t: 1 },
  { y: 0, x: -0.3, g: "b", t: 4 },
  { y: 1, x: 1.9, g: "a", t: 2 },
];

function expectError(f: () => unknown, type: new (...a: never[]) => Error, ...fragments: (string | RegExp)[]) {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, "expected an error").toBeInstanceOf(type);
  for (const frag of fragments) expect((err as Error).message).toMatch(frag);
  return err as Error;
}

describe("bad input", () => {
  it("y outside the family's support names the row and value", () => {
    const data = rows.map((r, i) => ({ ...r, y: i === 3 ? 2 : r.y }));
    const e = expectError(() => glm({ formula: "y ~ x", data, family: "binomial" }), DataError, /row 4/, /2/);
    expect((e as DataError).row).toBe(4);
    expectError(() => glm({ formula: "y ~ x", data: rows.map((r) => ({ ...r, y: -1 })), family: "poisson" }), DataError, /row 1/);
    expectError(() => glm({ formula: "y ~ x", data: rows.map((r, i) => ({ ...r, y: i })), family: "Gamma" }), DataError, /row 1/);
  });

  it("the row named is the row of the data as given, after missing rows are dropped", () => {
    const data = rows.map((r, i) => ({ ...r, x: i === 0 ? null : r.x, y: i === 2 ? 7 : r.y }));
    const e = expectError(() => glm({ formula: "y ~ x", data, family: "binomial" }), DataError, /row 3/);
    expect((e as DataError).row).toBe(3);
  });

  it("Infinity in the data names the column and row; NaN is missing (R's is.na(NaN)): the row is dropped and counted", () => {
    const data = rows.map((r, i) => ({ ...r, x: i === 2 ? Number.POSITIVE_INFINITY : r.x }));
    expectError(() => glm({ formula: "y ~ x", data, family: "binomial" }), DataError, /x/, /row 3/);
    const data2 = rows.map((r, i) => ({ ...r, x: i === 1 ? Number.NaN : r.x }));
    const j = glm({ formula: "y ~ x", data: data2, family: "binomial" }).fit().toJSON();
    expect([j.n, j.na_dropped]).toEqual([rows.length - 1, 1]);
    expect(j.warnings).toContain("1 observation deleted due to missingness");
  });

  it("negative or non-finite weights name the row", () => {
    const w = [1, 1, -2, 1, 1];
    expectError(() => glm({ formula: "y ~ x", data: rows, weights: w, family: "binomial" }), DataError, /negative weights/, /row 3/);
    expectError(() => glm({ formula: "y ~ x", data: { ...Object.fromEntries(Object.keys(rows[0]!).map((k) => [k, rows.map((r) => r[k as keyof typeof r])])), w: [1, 2, 3, Number.POSITIVE_INFINITY, 1] }, weights: "w", family: "gaussian" }), DataError, /row 4/);
  });

  it("an unknown column in the formula is a FormulaError naming it", () => {
    expectError(() => glm({ formula: "y ~ x + z", data: rows, family: "binomial" }), FormulaError, /"z"/);
  });

  it("a malformed formula is a FormulaError", () => {
    expectError(() => glm({ formula: "y ~ x +", data: rows }), FormulaError);
    expectError(() => glm({ formula: "y ~ (x", data: rows }), FormulaError);
    expectError(() => glm({ formula: "~ x", data: rows }), FormulaError);
    expectError(() => glm({ formula: "y ~ foo(x)", data: rows }), FormulaError, /foo/);
  });

  it("empty data is a DataError", () => {
    expectError(() => glm({ formula: "y ~ x", data: [] }), DataError);
    expectError(() => glm({ formula: "y ~ x", data: rows.map((r) => ({ ...r, x: null })) }), DataError);
  });

  it("an unknown family or an invalid link is a FamilyError listing the valid ones", () => {
    expectError(() => glm({ formula: "y ~ x", data: rows, family: "binomal" }), FamilyError, /binomal/);
    expectError(() => glm({ formula: "y ~ x", data: rows, family: "poisson", link: "probit" }), FamilyError, /probit/, /log/);
  });

  it("a cbind response with a non-binomial family, or negative counts, is a DataError", () => {
    const d = { s: [1, 2, 3], f: [2, 2, 1], x: [0, 1, 2] };
    expectError(() => glm({ formula: "cbind(s, f) ~ x", data: d, family: "poisson" }), DataError, /binomial/);
    expectError(() => glm({ formula: "cbind(s, f) ~ x", data: { ...d, f: [2, -1, 1] }, family: "binomial" }), DataError, /row 2/);
  });

  it("a factor response with a non-binomial family is a DataError", () => {
    expectError(() => glm({ formula: "g ~ x", data: rows, family: "poisson" }), DataError, /factor/);
  });

  it("design-matrix input is checked too", () => {
    expectError(() => glm({ design: { X: [[1, 0], [1, Number.NaN]], y: [0, 1] }, family: "gaussian" }), DataError, /row 2/);
    expectError(() => glm({ design: { X: [[1, 0], [1, 1]], y: [0, 1, 1] } }), ArgumentError);
  });

  it("rank deficiency is reported as aliased coefficients, not an error or a garbage number", () => {
    const data = rows.map((r) => ({ ...r, x2: 2 * r.x + 1 }));
    const fit = glm({ formula: "y ~ x + x2", data, family: "gaussian" }).fit();
    expect(fit.coefficients.map((c) => c.aliased)).toEqual([false, false, true]);
    expect(fit.coefficients[2]!.estimate).toBeNull();
    expect(Number.isFinite(fit.coefficients[1]!.se!)).toBe(true);
  });
});

describe("CLI errors", () => {
  const run = runCli;
  it("a missing file, a missing formula, an unknown family: stderr, non-zero exit, nothing on stdout", async () => {
    for (const args of [
      ["fit", "data/nope.csv", "--formula", "y ~ x"],
      ["fit", "data/birthwt.csv"],
      ["fit", "data/birthwt.csv", "--formula", "low ~ age", "--family", "binomal"],
      ["fit", "data/birthwt.csv", "--formula", "low ~ agee", "--family", "binomial"],
      ["fit", "data/birthwt.csv", "--formula", "low ~ age", "--theta", "abc"],
      ["frobnicate"],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(" ")).not.toBe(0);
      expect(r.out).toBe("");
      expect(r.err.length).toBeGreaterThan(0);
    }
  });
  it("a fit prints JSON with the contract's fields", async () => {
    const r = await run(["fit", "data/birthwt.csv", "--formula", "low ~ age + lwt + race + smoke", "--family", "binomial", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    for (const k of ["method", "family", "link", "n", "converged", "iterations", "coefficients", "deviance", "null_deviance", "df_residual", "aic", "log_likelihood", "dispersion", "theta", "warnings"])
      expect(j, k).toHaveProperty(k);
    expect(j.coefficients.map((c: { name: string }) => c.name)).toEqual(["(Intercept)", "age", "lwt", "raceother", "racewhite", "smoke"]);
    for (const k of ["name", "estimate", "se", "statistic", "p_value", "aliased"]) expect(j.coefficients[0]).toHaveProperty(k);
  });
});

describe("separation in maximum-likelihood fits", () => {
  it("the endometrial ML fit is flagged with NV → +Inf and a warning; birthwt is not", async () => {
    const { readCsv } = await import("../../src/data/index.js");
    const endo = glm({ formula: "HG ~ NV + PI + EH", data: readCsv("data/endometrial.csv"), family: "binomial" }).fit();
    expect(endo.separation).toEqual({ detected: true, infinite: { NV: "+Inf" }, checked: true });
    expect(endo.warnings.some((w) => w.startsWith("separation detected"))).toBe(true);
    expect(endo.toJSON().separation!.infinite).toEqual({ NV: "+Inf" });
    const bw = glm({ formula: "low ~ age + lwt", data: readCsv("data/birthwt.csv"), family: "binomial" }).fit();
    expect(bw.separation).toEqual({ detected: false, infinite: {}, checked: true });
    const pois = glm({ formula: "low ~ age", data: readCsv("data/birthwt.csv"), family: "poisson" }).fit();
    expect(pois.separation).toEqual({ detected: false, infinite: {}, checked: true });
    const gauss = glm({ formula: "bwt ~ age", data: readCsv("data/birthwt.csv"), family: "gaussian" }).fit();
    expect(gauss.separation).toBeNull();
  });

  it("a Poisson factor level with only zero counts is reported as a −∞ estimate", () => {
    const data = { y: [0, 0, 0, 3, 1, 4, 2, 5, 1], g: ["a", "a", "a", "b", "b", "b", "c", "c", "c"] };
    const fit = glm({ formula: "y ~ g", data, family: "poisson" }).fit();
    expect(fit.separation!.detected).toBe(true);
    expect(fit.separation!.infinite).toEqual({ "(Intercept)": "-Inf", gb: "+Inf", gc: "+Inf" });
    expect(fit.warnings.some((w) => w.startsWith("infinite estimates"))).toBe(true);
  });
});

describe("CLI methods firth and map", () => {
  async function runJson(args: string[]) {
    const out: string[] = [];
    const so = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
    try {
      const code = await main(args);
      return { code, json: code === 0 ? JSON.parse(out.join("")) : null };
    } finally {
      process.stdout.write = so;
    }
  }
  const base = ["fit", "data/endometrial.csv", "--formula", "HG ~ NV + PI + EH", "--family", "binomial", "--json"];
  it("--method firth reports the bias-reduced fit and says it equals the Jeffreys MAP for the logit link", async () => {
    const r = await runJson([...base, "--method", "firth"]);
    expect(r.code).toBe(0);
    expect(r.json.method).toBe("firth");
    expect(r.json.bias_reduction.type).toBe("AS_mean");
    expect(r.json.bias_reduction.equals_other_form).toBe(true);
    const j = await runJson([...base, "--method", "map", "--prior", "jeffreys"]);
    expect(j.json.bias_reduction.type).toBe("MPL_Jeffreys");
    r.json.coefficients.forEach((c: { estimate: number }, k: number) =>
      expect(Math.abs(c.estimate - j.json.coefficients[k].estimate)).toBeLessThan(1e-8));
  });
  it("--method map with priors reports them as given, and a prior without map is a usage error", async () => {
    const r = await runJson([...base, "--method", "map", "--prior", "student_t(3, 0, 2.5)", "--prior-intercept", "normal(0, 10)"]);
    expect(r.code).toBe(0);
    expect(r.json.prior).toMatchObject({ coefficients: "student_t(3, 0, 2.5)", intercept: "normal(0, 10)", aux: null, defaults: false, intercept_on: "raw" });
    expect(r.json.coefficients.every((c: { estimate: number; se: number }) => Number.isFinite(c.estimate) && Number.isFinite(c.se))).toBe(true);
    const errs: string[] = [];
    const se = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errs.push(String(s)), true)) as typeof process.stderr.write;
    const bad = await runJson([...base, "--prior", "normal(0, 1)"]);
    expect(bad.code).toBe(2);
    const badPrior = await runJson([...base, "--method", "map", "--prior", "normal(0, -1)"]);
    expect(badPrior.code).toBe(1);
    process.stderr.write = se;
    expect(errs.join("")).toMatch(/scale/);
  });
  it("--method nuts prints the posterior block of the contract, reproducibly for a seed", async () => {
    const args = ["fit", "data/birthwt.csv", "--formula", "low ~ age + smoke", "--family", "binomial", "--method", "nuts",
      "--prior", "normal(0, 2.5)", "--chains", "2", "--warmup", "150", "--draws", "150", "--seed", "7", "--json"];
    const a = await runJson(args);
    expect(a.code).toBe(0);
    expect(a.json.method).toBe("nuts");
    for (const k of ["summary", "divergences", "chains", "warmup", "draws", "seconds"]) expect(a.json.posterior).toHaveProperty(k);
    expect(a.json.posterior.chains).toBe(2);
    expect(a.json.posterior.summary.map((r: { name: string }) => r.name)).toEqual(["(Intercept)", "age", "smoke"]);
    for (const k of ["name", "mean", "sd", "median", "mad", "q5", "q95", "mcse_mean", "ess_bulk", "ess_tail", "rhat"])
      expect(a.json.posterior.summary[0]).toHaveProperty(k);
    const b = await runJson(args);
    expect(b.json.posterior.summary).toEqual(a.json.posterior.summary);
  });
  it("--intervals puts each method's intervals under its contract name, unbounded ends as \"Infinity\"", async () => {
    const r = await runJson([...base, "--intervals", "wald,profile", "--level", "0.9"]);
    expect(r.code).toBe(0);
    expect(Object.keys(r.json.intervals)).toEqual(["wald", "profile"]);
    const nv = r.json.intervals.profile.find((x: { name: string }) => x.name === "NV");
    expect(nv.upper).toBe("Infinity");
    expect(typeof nv.lower).toBe("number");
    const f = await runJson([...base, "--method", "firth", "--intervals", "wald,profile"]);
    const nvF = f.json.intervals.profile.find((x: { name: string }) => x.name === "NV");
    expect(nvF.upper).toBeCloseTo(7.8546, 3); // the penalized profile is finite under separation
  });
});

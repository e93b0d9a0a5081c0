/** The multinomial family through glm() and the CLI: dispatch, the JSON contract, typed errors. */
import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { glm } from "../../models/glm.js";
import { MultinomialModel, multinomial } from "../../models/multinomial.js";
import { readCsv } from "../../src/data/index.js";
import { ArgumentError, DataError, FamilyError, FormulaError } from "../../src/errors.js";
import { runCli } from "../models/cli-run.js";

const ref = JSON.parse(readFileSync(new URL("../reference/multinomial.json", import.meta.url), "utf8"));
const pneumoPath = new URL("../../data/pneumo.csv", import.meta.url).pathname;
const irisPath = new URL("../../data/iris.csv", import.meta.url).pathname;

describe("glm({ family: \"multinomial\" })", () => {
  test("dispatches to the multinomial model, ref chooses the reference", () => {
    const m = glm({ formula: "Species ~ Sepal.Length", data: readCsv(irisPath), family: "multinomial", ref: "virginica" });
    expect(m).toBeInstanceOf(MultinomialModel);
    const fit = m.fit();
    const c = ref.cases.find((x: { name: string }) => x.name === "iris_ref3");
    expect(fit.coefficients.map((x) => x.name)).toEqual(c.names);
    expect(fit.coefficients[0]!.estimate).toBeCloseTo(c.vgam.coefficients[0], 6);
  });
  test("typed errors: ref not a category, one category, bad response, bad link, bad counts", () => {
    const data = readCsv(irisPath);
    expect(() => glm({ formula: "Species ~ Sepal.Length", data, family: "multinomial", ref: "rose" })).toThrow(ArgumentError);
    expect(() => glm({ formula: "Species ~ Sepal.Length", data, family: "multinomial", ref: "rose" })).toThrow(/"rose" is not a category.*"setosa", "versicolor", "virginica"/);
    const one = { y: ["a", "a", "a"], x: [1, 2, 3] };
    expect(() => glm({ formula: "y ~ x", data: one, family: "multinomial" })).toThrow(DataError);
    expect(() => glm({ formula: "log(y) ~ x", data: one, family: "multinomial" })).toThrow(FormulaError);
    expect(() => glm({ formula: "cbind(a) ~ x", data: { a: [1, 2], x: [1, 2] }, family: "multinomial" })).toThrow(DataError);
    expect(() => glm({ formula: "cbind(a, b) ~ x", data: { a: [1, -2, 3], b: [1, 2, 3], x: [1, 2, 4] }, family: "multinomial" })).toThrow(/"a" is -2 at row 2/);
    expect(() => new MultinomialModel({ formula: "y ~ x", data: one, family: "multinomial", link: "probit" } as never)).toThrow(FamilyError);
    expect(() => glm({ formula: "Species ~ Sepal.Length", data, family: "multinomial", weights: Array(150).fill(-1) })).toThrow(/weights must be finite and non-negative; row 1/);
  });
  test("frequency weights equal repeated rows", () => {
    const rows = { y: ["a", "b", "c", "a", "b", "c", "a"], x: [0.1, 0.5, 0.9, 1.3, 0.2, 0.4, 2.0] };
    const w = [1, 2, 3, 1, 2, 1, 2];
    const rep = { y: rows.y.flatMap((v, i) => Array(w[i]).fill(v)), x: rows.x.flatMap((v, i) => Array(w[i]).fill(v)) };
    const a = glm({ formula: "y ~ x", data: rows, family: "multinomial", weights: w }).fit();
    const b = glm({ formula: "y ~ x", data: rep, family: "multinomial" }).fit();
    a.coefficients.forEach((c, k) => { expect(c.estimate).toBeCloseTo(b.coefficients[k]!.estimate, 9); expect(c.se).toBeCloseTo(b.coefficients[k]!.se, 9); });
    expect(a.deviance).toBeCloseTo(b.deviance, 9);
  });
  test("an aliased column is reported with NaN and aliased: true in every category", () => {
    const data = { y: ["a", "b", "c", "a", "b", "c", "b", "a"], x: [1, 2, 3, 1.5, 2.5, 0.5, 3.5, 2], z: [2, 4, 6, 3, 5, 1, 7, 4] };
    const fit = glm({ formula: "y ~ x + z", data, family: "multinomial" }).fit();
    expect(fit.coefficients.filter((c) => c.aliased).map((c) => c.name)).toEqual(["b:z", "c:z"]);
    expect(Number.isNaN(fit.coefficients.find((c) => c.name === "b:z")!.estimate)).toBe(true);
    expect(fit.record.rank).toBe(4);
  });
});

describe("glmkit fit --family multinomial", () => {
  test("--json keeps the contract's coefficient rows and adds categories/reference; profile intervals", async () => {
    const r = await runCli(["fit", pneumoPath, "--formula", "cbind(normal, mild, severe) ~ log(exposure.time)", "--family", "multinomial", "--intervals", "wald,profile", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const c = ref.cases.find((x: { name: string }) => x.name === "pneumo");
    expect(j.family).toBe("multinomial");
    expect(j.reference).toBe("normal");
    expect(j.categories).toEqual(["normal", "mild", "severe"]);
    expect(Object.keys(j.coefficients[0])).toEqual(["name", "estimate", "se", "statistic", "p_value", "aliased"]);
    expect(j.coefficients.map((x: { name: string }) => x.name)).toEqual(c.names);
    j.intervals.profile.forEach((b: { lower: number; upper: number }, k: number) => {
      expect(Math.abs(b.lower - c.profile.lower[k]) / Math.abs(c.profile.lower[k])).toBeLessThan(1e-5);
      expect(Math.abs(b.upper - c.profile.upper[k]) / Math.abs(c.profile.upper[k])).toBeLessThan(1e-5);
    });
    expect(j.separation.detected).toBe(false);
  });
  test("--method firth: the bias-reduced fit (brmultinom), finite under separation", async () => {
    const r = await runCli(["fit", irisPath, "--formula", "Species ~ Sepal.Length + Sepal.Width", "--family", "multinomial", "--method", "firth", "--intervals", "wald", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const c = ref.brmultinom.find((x: { name: string }) => x.name === "iris_sepal_separated");
    expect(j.method).toBe("firth");
    j.coefficients.forEach((x: { estimate: number }, k: number) => expect(Math.abs(x.estimate - c.coefficients[k]) / Math.abs(c.coefficients[k])).toBeLessThan(1e-6));
    expect(j.intervals.wald).toHaveLength(6);
  });
  test("--method map with --prior/--prior-intercept = the API's MAP (R fixture); --method nuts gives the posterior summary", async () => {
    const mtcars = new URL("../../data/mtcars.csv", import.meta.url).pathname;
    const r = await runCli(["fit", mtcars, "--formula", "gear ~ mpg + wt", "--family", "multinomial", "--method", "map", "--prior", "normal(0, 2.5)", "--prior-intercept", "normal(0, 10)", "--json"]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    const c = ref.map.find((x: { name: string }) => x.name === "mtcars_gear");
    j.coefficients.forEach((x: { estimate: number }, k: number) => expect(Math.abs(x.estimate - c.coefficients[k]) / Math.abs(c.coefficients[k])).toBeLessThan(1e-6));
    const n = await runCli(["fit", mtcars, "--formula", "gear ~ mpg", "--family", "multinomial", "--method", "nuts", "--prior", "normal(0, 2.5)", "--prior-intercept", "normal(0, 10)", "--chains", "1", "--warmup", "100", "--draws", "100", "--seed", "3", "--json"]);
    expect(n.code, n.err).toBe(0);
    const jn = JSON.parse(n.out);
    expect(jn.posterior.summary.map((x: { name: string }) => x.name)).toEqual(["4:(Intercept)", "4:mpg", "5:(Intercept)", "5:mpg"]);
  });
  test("--method firth --intervals profile: the penalised profile, = the API's", async () => {
    const mtcars = new URL("../../data/mtcars.csv", import.meta.url).pathname;
    const r = await runCli(["fit", mtcars, "--formula", "gear ~ mpg + wt", "--family", "multinomial", "--method", "firth", "--intervals", "profile", "--json"]);
    expect(r.code, r.err).toBe(0);
    const api = multinomial({ formula: "gear ~ mpg + wt", data: readCsv(mtcars) }).firth().profile();
    expect(JSON.parse(r.out).intervals.profile).toEqual(api);
  });
  test("--ref not a level, --ref with another family, and flags that do not apply: errors on stderr, nothing on stdout", async () => {
    for (const args of [
      ["--family", "multinomial", "--ref", "nope"],
      ["--family", "binomial", "--ref", "mild"],
      ["--family", "multinomial", "--method", "nuts", "--intervals", "wald"],
      ["--family", "multinomial", "--chains", "2"],
      ["--family", "multinomial", "--prior", "normal(0, 1)"],
      ["--family", "multinomial", "--vcov", "HC0"],
      ["--family", "multinomial", "--intervals", "laplace"],
    ]) {
      const r = await runCli(["fit", pneumoPath, "--formula", "cbind(normal, mild, severe) ~ exposure.time", ...args, "--json"]);
      expect(r.code, args.join(" ")).not.toBe(0);
      expect(r.out).toBe("");
      expect(r.err.length).toBeGreaterThan(0);
    }
  });
});

describe("--save and glmkit predict of multinomial ML fits", () => {
  test("the saved model predicts what the fit predicts (probs with SEs, class, link); bad flags are usage errors", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "glmkit-mult-"));
    const model = join(dir, "m.json");
    const r = await runCli(["fit", irisPath, "--formula", "Species ~ Sepal.Length + Petal.Width", "--family", "multinomial", "--ref", "virginica", "--save", model, "--json"]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).saved_model).toBe(model);
    const fit = multinomial({ formula: "Species ~ Sepal.Length + Petal.Width", data: readCsv(irisPath), ref: "virginica" }).fit();
    const api = fit.predict(readCsv(irisPath));
    const p = await runCli(["predict", model, irisPath, "--se", "--json"]);
    expect(p.code, p.err).toBe(0);
    const j = JSON.parse(p.out);
    expect(j.rows).toHaveLength(150);
    j.rows.forEach((row: { values: Record<string, number>; se: Record<string, number> }, i: number) => {
      for (const c of ["setosa", "versicolor", "virginica"]) {
        expect(row.values[c]).toBe(api[i]!.probabilities[c]);
        expect(row.se[c]).toBe(api[i]!.se_probabilities[c]);
      }
    });
    const cls = JSON.parse((await runCli(["predict", model, irisPath, "--type", "class", "--json"])).out);
    cls.rows.forEach((row: { values: string }, i: number) => expect(row.values).toBe(api[i]!.class));
    const link = JSON.parse((await runCli(["predict", model, irisPath, "--type", "link", "--json"])).out);
    expect(Object.keys(link.rows[0].values)).toEqual(["setosa", "versicolor"]);
    expect(link.rows[7].values.versicolor).toBe(api[7]!.link.versicolor);
    const csv = (await runCli(["predict", model, irisPath, "--se", "--csv"])).out.trim().split("\n");
    expect(csv[0]).toBe("setosa,versicolor,virginica,se_setosa,se_versicolor,se_virginica");
    expect(csv).toHaveLength(151);
    expect(Number(csv[3]!.split(",")[1])).toBe(api[2]!.probabilities.versicolor);
    const text = (await runCli(["predict", model, irisPath])).out.trim().split("\n");
    expect(text).toHaveLength(151);
    for (const args of [["predict", model, irisPath, "--interval", "confidence"], ["predict", model, irisPath, "--type", "response"],
      ["fit", irisPath, "--formula", "Species ~ Sepal.Length", "--family", "multinomial", "--method", "firth", "--save", join(dir, "f.json")]]) {
      const bad = await runCli(args);
      expect(bad.code, args.join(" ")).not.toBe(0);
      expect(bad.err.length).toBeGreaterThan(0);
    }
  });
});

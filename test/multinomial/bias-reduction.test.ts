/** Mean bias reduction of the multinomial logit = brglm2::brmultinom(type = "AS_mean"), finite under separation. */
import { expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { readCsv } from "../../src/data/index.js";
import { multinomial } from "../../models/multinomial.js";
import { glm } from "../../models/glm.js";

const ref = JSON.parse(readFileSync(new URL("../reference/multinomial.json", import.meta.url), "utf8"));
const data = (name: string) => readCsv(new URL(`../../data/${name}.csv`, import.meta.url).pathname);
const housingColumns = {
  Sat: { type: "factor", levels: ["Low", "Medium", "High"] }, Infl: { type: "factor", levels: ["Low", "Medium", "High"] },
  Type: { type: "factor", levels: ["Tower", "Apartment", "Atrium", "Terrace"] }, Cont: { type: "factor", levels: ["Low", "High"] },
} as const;
const specs = {
  iris: { formula: "Species ~ Sepal.Length", data: data("iris") },
  iris_sepal_separated: { formula: "Species ~ Sepal.Length + Sepal.Width", data: data("iris") },
  housing: { formula: "Sat ~ Infl + Type + Cont", data: data("housing"), weights: "Freq", columns: housingColumns },
  mtcars_am_separated: { formula: "gear ~ mpg + am", data: data("mtcars") },
} as const;

const rel = (a: number, e: number) => Math.abs(a - e) / Math.max(Math.abs(e), 1e-8);

test.each(Object.keys(specs))("%s: coefficients and SEs = brmultinom to 1e-6", (name) => {
  const c = ref.brmultinom.find((x: { name: string }) => x.name === name);
  const fit = multinomial(specs[name as keyof typeof specs]).firth();
  expect(fit.record.converged).toBe(true);
  expect(fit.method).toBe("firth");
  expect(fit.coefficients.map((x) => x.name)).toEqual(c.names);
  fit.coefficients.forEach((x, k) => {
    expect(rel(x.estimate, c.coefficients[k]), x.name).toBeLessThan(1e-6);
    expect(rel(x.se, c.se[k]), x.name).toBeLessThan(1e-6);
  });
});

test("K = 2: the bias-reduced multinomial = brglm2's AS_mean binomial, and our binomial firth()", () => {
  const spec = { formula: "low ~ age + lwt + smoke + ht", data: data("birthwt") };
  const m = multinomial(spec).firth();
  const b = glm({ ...spec, family: "binomial" }).firth();
  m.coefficients.forEach((x, k) => {
    expect(rel(x.estimate, ref.brglm_binomial_k2.coefficients[k])).toBeLessThan(1e-6);
    expect(rel(x.se, ref.brglm_binomial_k2.se[k])).toBeLessThan(1e-6);
    expect(rel(x.estimate, b.coefficients[k]!.estimate)).toBeLessThan(1e-7);
  });
});

test("firth fits profile the penalised likelihood (test/multinomial/penalized-profile.test.ts); bad arguments are typed errors", () => {
  const fit = multinomial(specs.iris).firth();
  expect(() => fit.profile(1.5)).toThrow(/level must be in/);
  expect(() => fit.profile(0.95, ["nope"])).toThrow(/no coefficient "nope"/);
  const [b] = fit.profile(0.95, ["versicolor:Sepal.Length"]);
  expect(b!.lower).toBeLessThan(fit.coefficients[1]!.estimate);
  expect(b!.upper).toBeGreaterThan(fit.coefficients[1]!.estimate);
});

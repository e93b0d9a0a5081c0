/**
 * Penalised-profile intervals of the bias-reduced (Jeffreys) and MAP multinomial fits against
 * an R loop over constrained penalised fits (test/reference/multinomial-profile.R), to 1e-5;
 * and the multinomial model in compareIntervals (every method side by side).
 */
import { expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { readCsv } from "../../src/data/index.js";
import { multinomial } from "../../models/multinomial.js";
import { compareIntervals } from "../../models/intervals.js";
import { ArgumentError } from "../../src/errors.js";

const ref = JSON.parse(readFileSync(new URL("../reference/multinomial-profile.json", import.meta.url), "utf8"));
const data = (name: string) => readCsv(new URL(`../../data/${name}.csv`, import.meta.url).pathname);
const rel = (a: number, e: number) => Math.abs(a - e) / Math.max(Math.abs(e), 1e-8);
const specs: Record<string, { formula: string; file: string }> = {
  iris_sepal_separated: { formula: "Species ~ Sepal.Length + Sepal.Width", file: "iris" },
  mtcars_gear: { formula: "gear ~ mpg + wt", file: "mtcars" },
};
const mapPriors = { coefficients: "normal(0, 2.5)", intercept: "normal(0, 10)" };

interface Case { name: string; penalty: "jeffreys" | "map"; names: string[]; estimate: number[]; lower: number[]; upper: number[] }

// Not compared: the separated iris fit's Jeffreys profile. There the penalised profile has several
// local maxima along the separation ridge (R's optim from β̂ and a climb along the profile path
// reach different ones: 4 of its 12 bounds differ), see docs/multinomial.md "Not done".
const compared = (ref.cases as Case[]).filter((c) => !(c.name === "iris_sepal_separated" && c.penalty === "jeffreys"));
test.each(compared.map((c) => [`${c.name} ${c.penalty}`, c] as const))("%s: penalised-profile bounds = R's to 1e-5", (_id, c) => {
  const s = specs[c.name]!;
  const model = multinomial({ formula: s.formula, data: data(s.file), ...(c.penalty === "map" ? { priors: mapPriors } : {}) });
  const fit = c.penalty === "map" ? model.map() : model.firth();
  // the bias-reduced estimate = brmultinom's (R's MAP here is optim's, ~1e-6; the MAP is checked against an R Newton in posterior.test.ts)
  if (c.penalty === "jeffreys") fit.coefficients.forEach((x, k) => expect(rel(x.estimate, c.estimate[k]!), x.name).toBeLessThan(1e-6));
  const bounds = fit.profile(0.95);
  expect(bounds.map((b) => b.name)).toEqual(c.names);
  bounds.forEach((b, k) => {
    expect(rel(b.lower, c.lower[k]!), `${b.name} lower`).toBeLessThan(1e-5);
    expect(rel(b.upper, c.upper[k]!), `${b.name} upper`).toBeLessThan(1e-5);
  });
});

test("compareIntervals on a multinomial model: wald, profile, firth-profile, laplace and posterior side by side", () => {
  const model = multinomial({ formula: "gear ~ mpg", data: data("mtcars"), priors: mapPriors });
  const post = model.sample({ seed: 11, chains: 2, warmup: 200, draws: 300 });
  const cmp = compareIntervals(model, { methods: ["wald", "profile", "firth-profile", "laplace", "posterior"], posterior: post });
  expect(cmp.methods).toEqual(["wald", "profile", "firth-profile", "laplace", "posterior"]);
  expect(cmp.rows.length).toBe(4 * 5);
  const ml = model.fit(), firth = model.firth(), map = model.map();
  const pick = (name: string, method: string) => cmp.rows.find((r) => r.name === name && r.method === method)!;
  for (const [k, c] of ml.coefficients.entries()) {
    expect(pick(c.name, "wald").lower).toBe(ml.wald()[k]!.lower);
    expect(pick(c.name, "profile").upper).toBe(ml.profile()[k]!.upper);
    expect(pick(c.name, "firth-profile").lower).toBe(firth.profile()[k]!.lower);
    expect(pick(c.name, "laplace").upper).toBe(map.wald()[k]!.upper);
    const draws = post.result.draws.flatMap((d) => Array.from({ length: d.length / 4 }, (_, t) => d[t * 4 + k]!));
    const row = pick(c.name, "posterior");
    const below = draws.filter((v) => v < row.lower).length / draws.length, above = draws.filter((v) => v > row.upper).length / draws.length;
    expect(Math.abs(below - 0.025)).toBeLessThan(0.002);
    expect(Math.abs(above - 0.025)).toBeLessThan(0.002);
  }
  expect(() => compareIntervals(model, { methods: ["posterior"] })).toThrow(ArgumentError);
});

/**
 * Formula options through glm() (declared column types, contrasts; checked against
 * R's fixtures) and saved models: GlmFit.save() → JSON text → loadModel() predicts
 * as fit.predict does in process (to 1e-12) and as R's predict.glm on the reference
 * fits of test/reference/glm.json (1e-6); intervals; the errors.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { glm } from "../../models/glm.js";
import { loadModel, type GlmSpec } from "../../models/index.js";
import { readCsv, type DataTable } from "../../src/data/index.js";
import { ArgumentError, DataError, FormulaError } from "../../src/errors.js";
import { designFromJSON, modelFrame, type DesignJson } from "../../src/formula/index.js";

interface RefFit {
  id: string; data: string; formula: string; family: string; link: string;
  weights: string | null; offset: string | null; theta: number | null; estimate_theta: boolean; power: number | null;
  R_call: string;
  start: number[] | null;
  result: {
    coefficients: { name: string; estimate: number | null; se: number | null }[];
    deviance: number;
    predict_newdata?: { rows: number[]; link: number[]; link_se: number[]; response: number[]; response_se: number[] };
  };
}
const fits: RefFit[] = JSON.parse(readFileSync("test/reference/glm.json", "utf8"));
const formulaRef = JSON.parse(readFileSync("test/reference/formula.json", "utf8")) as {
  datasets: Record<string, Record<string, unknown[]>>;
  cases: { id: string; columnNames: string[]; X: string[][] }[];
};

function close(a: number, b: number, label: string, rel = 1e-6, abs = 1e-8) {
  expect(Math.abs(a - b) <= Math.max(abs, rel * Math.abs(b)), `${label}: ${a} vs ${b}`).toBe(true);
}
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
function rowsOf(data: DataTable, rows: number[]) {
  const cell = (nm: string, i: number) => {
    const c = data.column(nm);
    return c.kind === "numeric" ? (Number.isNaN(c.values[i]!) ? null : c.values[i]!) : (c.values[i] ?? null);
  };
  return rows.map((i) => Object.fromEntries(data.names.map((nm) => [nm, cell(nm, i)])));
}
/** A fit saved, written as JSON text and read back. */
const roundTrip = (spec: GlmSpec) => {
  const fit = glm(spec).fit();
  return { fit, model: loadModel(JSON.stringify(fit.save())) };
};

describe("glm(): columns and contrasts", () => {
  it("columns: { k: factor } gives R's model.matrix of y ~ factor(k) (test/reference/formula.json)", () => {
    const c = formulaRef.cases.find((x) => x.id === "factor(k)")!;
    const fit = glm({ formula: "y ~ k", data: formulaRef.datasets.d1 as never, columns: { k: { type: "factor" } } }).fit();
    const { X, p, columnNames } = fit.ml.problem;
    expect(columnNames).toEqual(c.columnNames.map((n) => n.replace("factor(k)", "k")));
    expect(maxAbsDiff(X, c.X.flat().map(Number))).toBe(0);
    expect(p).toBe(3);
    expect(fit.context.contrasts).toEqual({ k: "contr.treatment" });
  });

  it("dobson with --factor-style declarations equals R's glm(counts ~ factor(outcome) + factor(treatment))", () => {
    const ref = fits.find((f) => f.id === "dobson_poisson_log")!;
    const fit = glm({
      formula: "counts ~ outcome + treatment", data: readCsv(ref.data), family: "poisson",
      columns: { outcome: { type: "factor" }, treatment: { type: "factor", levels: [1, 2, 3] } },
    }).fit();
    ref.result.coefficients.forEach((rc, j) => {
      expect(fit.coefficients[j]!.name).toBe(rc.name.replace(/factor\((\w+)\)/, "$1"));
      close(fit.coefficients[j]!.estimate!, rc.estimate!, rc.name, 1e-6, 1e-10);
      close(fit.coefficients[j]!.se!, rc.se!, `${rc.name} se`);
    });
    close(fit.deviance, ref.result.deviance, "deviance");
  });

  it("contrasts: as modelFrame's, recorded as R's attr(X, \"contrasts\"); the fit is invariant", () => {
    const data = readCsv("data/warpbreaks.csv");
    const fit = glm({ formula: "breaks ~ wool + tension", data, family: "poisson", contrasts: { tension: "contr.sum", wool: "helmert" } }).fit();
    const mf = modelFrame("breaks ~ wool + tension", data, { contrasts: { tension: "contr.sum", wool: "helmert" } });
    expect(fit.ml.problem.columnNames).toEqual(["(Intercept)", "wool1", "tension1", "tension2"]);
    expect(maxAbsDiff(fit.ml.problem.X, mf.X)).toBe(0);
    expect(fit.context.contrasts).toEqual({ wool: "contr.helmert", tension: "contr.sum" });
    close(fit.deviance, glm({ formula: "breaks ~ wool + tension", data, family: "poisson" }).fit().deviance, "deviance", 1e-12);
  });

  it("errors: contrasts for a non-factor, with a design matrix; frame warnings reach the fit", () => {
    const data = readCsv("data/warpbreaks.csv");
    expect(() => glm({ formula: "breaks ~ wool", data, contrasts: { breaks: "contr.sum" } })).toThrow(ArgumentError);
    expect(() => glm({ design: { X: [[1], [1]], y: [1, 2] }, columns: { a: { type: "factor" } } })).toThrow(/formula models/);
    const trees = readCsv("data/trees.csv");
    const fit = glm({ formula: "Volume ~ bs(Girth, Boundary.knots = c(10, 18))", data: trees }).fit();
    expect(fit.warnings.join(" ")).toMatch(/beyond boundary knots/);
    const plain = glm({ formula: "Volume ~ bs(Girth)", data: trees }).fit();
    expect(plain.predict([{ Girth: 12 }]).warnings).toEqual([]);
    expect(plain.predict([{ Girth: 30 }]).warnings!.join(" ")).toMatch(/beyond boundary knots/);
    expect(loadModel(JSON.stringify(plain.save())).predict([{ Girth: 30 }]).warnings.join(" ")).toMatch(/beyond boundary knots/);
  });
});

describe("saved models predict as the fit does", () => {
  const cases: [string, GlmSpec][] = [
    ["Gamma log, ns + poly", { formula: "Volume ~ ns(Girth, 3) + poly(Height, 2)", data: readCsv("data/trees.csv"), family: "Gamma", link: "log" }],
    ["gaussian, scale + bs + I(scale()^2)", { formula: "log(Volume) ~ scale(Girth) + bs(Height, df = 4) + I(scale(Height)^2)", data: readCsv("data/trees.csv") }],
    ["poisson, declared factor, contr.sum, offset()", {
      formula: "Claims ~ District + Group + Age + offset(log(Holders))", data: readCsv("data/Insurance.csv"), family: "poisson",
      columns: { District: { type: "factor", levels: [4, 3, 2, 1] } }, contrasts: { Group: "contr.sum" },
    }],
    ["binomial, y ~ . with a factor", { formula: "low ~ age + lwt + race + smoke + ptl + ht + ui", data: readCsv("data/birthwt.csv"), family: "binomial" }],
    ["negative binomial θ estimated, ordered", { formula: "Days ~ Eth + Sex + Age", data: readCsv("data/quine.csv"), family: "negbin", columns: { Age: { type: "ordered" } } }],
    ["poisson, offset column", { formula: "incidents ~ type + factor(year)", data: readCsv("data/ships.csv"), family: "poisson", offset: "log_service" }],
  ];
  for (const [label, spec] of cases) {
    it(`${label}: link and response, with se, to 1e-12`, () => {
      const { fit, model } = roundTrip(spec);
      for (const type of ["link", "response"] as const) {
        const a = fit.predict(spec.data as DataTable, { type, seFit: true });
        const b = model.predict(spec.data as DataTable, { type, se: true });
        expect(maxAbsDiff(a.fit, b.fit)).toBeLessThanOrEqual(1e-12 * Math.max(1, ...Array.from(a.fit, Math.abs)));
        expect(maxAbsDiff(a.se!, b.se!)).toBeLessThanOrEqual(1e-12 * Math.max(1, ...Array.from(a.se!, Math.abs)));
      }
      expect(model.columnNames).toEqual(fit.ml.problem.columnNames);
    });
  }

  for (const ref of fits.filter((f) => f.result.predict_newdata && !f.estimate_theta)) {
    it(`${ref.id}: R's predict.glm(newdata, se.fit = TRUE) from the saved model`, () => {
      const data = readCsv(ref.data);
      const spec: GlmSpec = {
        formula: ref.formula, data, family: ref.family, link: ref.link, weights: ref.weights ?? undefined,
        offset: ref.offset ?? undefined, theta: ref.theta ?? undefined, power: ref.power ?? undefined,
      };
      const maxit = /maxit = (\d+)/.exec(ref.R_call);
      const fit = glm(spec).fit({ ...(ref.start ? { start: Float64Array.from(ref.start) } : {}), ...(maxit ? { maxit: Number(maxit[1]) } : {}) });
      const model = loadModel(JSON.stringify(fit.save()));
      const pn = ref.result.predict_newdata!;
      const rows = rowsOf(data, pn.rows);
      const link = model.predict(rows, { type: "link", se: true });
      const resp = model.predict(rows, { type: "response", se: true });
      pn.link.forEach((v, i) => close(link.fit[i]!, v, `link[${i}]`));
      pn.link_se.forEach((v, i) => close(link.se![i]!, v, `link se[${i}]`));
      pn.response.forEach((v, i) => close(resp.fit[i]!, v, `response[${i}]`));
      pn.response_se.forEach((v, i) => close(resp.se![i]!, v, `response se[${i}]`));
    });
  }
});

describe("saved-model intervals", () => {
  const mtcars = readCsv("data/mtcars.csv");
  it("gaussian identity: confidence ŷ ± t·se, prediction ŷ ± t·√(se² + σ̂²) (predict.lm's intervals)", () => {
    const { fit, model } = roundTrip({ formula: "mpg ~ wt + hp", data: mtcars });
    const t = 2.045229642132703; // qt(0.975, 29)
    const ci = model.predict(mtcars, { interval: "confidence" });
    const pi = model.predict(mtcars, { interval: "prediction", type: "response" });
    for (let i = 0; i < ci.fit.length; i++) {
      close(ci.upper![i]! - ci.fit[i]!, t * ci.se![i]!, `ci[${i}]`, 1e-12);
      close(pi.upper![i]! - pi.fit[i]!, t * Math.sqrt(pi.se![i]! ** 2 + fit.dispersion), `pi[${i}]`, 1e-12);
      close(pi.fit[i]! - pi.lower![i]!, pi.upper![i]! - pi.fit[i]!, `pi symmetric[${i}]`, 1e-12);
    }
    // predict.lm's formula on R's numbers (test/reference/glm.json, mtcars_gaussian_identity: fit, se.fit, dispersion).
    const r = fits.find((f) => f.id === "mtcars_gaussian_identity")!.result as unknown as { dispersion: number; predict_newdata: { link: number[]; link_se: number[] } };
    close(pi.upper![0]!, r.predict_newdata.link[0]! + t * Math.sqrt(r.predict_newdata.link_se[0]! ** 2 + r.dispersion), "R-based upr");
  });

  it("binomial: confidence ends on the link scale mapped through the inverse link; prediction is an ArgumentError", () => {
    const bw = readCsv("data/birthwt.csv");
    const { model } = roundTrip({ formula: "low ~ age + race", data: bw, family: "binomial" });
    const link = model.predict(bw, { interval: "confidence", level: 0.9 });
    const resp = model.predict(bw, { interval: "confidence", level: 0.9, type: "response" });
    const z = 1.6448536269514722;
    for (let i = 0; i < 5; i++) {
      close(link.upper![i]!, link.fit[i]! + z * link.se![i]!, `upper[${i}]`, 1e-12);
      close(resp.lower![i]!, 1 / (1 + Math.exp(-link.lower![i]!)), `lower[${i}]`, 1e-12);
    }
    expect(() => model.predict(bw, { interval: "prediction" })).toThrow(ArgumentError);
  });
});

describe("saved models: new data and errors", () => {
  const ins = readCsv("data/Insurance.csv");
  const spec: GlmSpec = { formula: "Claims ~ District + Group + offset(log(Holders))", data: ins, family: "poisson", columns: { District: { type: "factor" } } };
  it("an unknown level names the column and level; a missing column is named; missing cells are dropped", () => {
    const { model } = roundTrip(spec);
    const row = { District: 1, Group: "<1l", Holders: 100, Claims: 1 };
    expect(() => model.predict([{ ...row, District: 5 }])).toThrow(DataError);
    expect(() => model.predict([{ ...row, District: 5 }])).toThrow(/District.*5|5.*District/);
    expect(() => model.predict([{ ...row, Group: ">9l" }])).toThrow(/Group/);
    expect(() => model.predict([{ District: 1, Group: "<1l" }])).toThrow(FormulaError);
    expect(() => model.predict([{ District: 1, Group: "<1l" }])).toThrow(/Holders/);
    const p = model.predict([row, { ...row, Holders: null }, row]);
    expect(Array.from(p.rows)).toEqual([0, 2]);
    expect(p.naDropped).toBe(1);
  });

  it("loadModel rejects what is not a saved model; save rejects design-matrix models and array offsets", () => {
    expect(() => loadModel("{")).toThrow(ArgumentError);
    expect(() => loadModel(JSON.stringify({ glmkit_model: 2 }))).toThrow(/glmkit_model/);
    expect(() => glm({ design: { X: [[1], [1], [1]], y: [1, 2, 4] } }).fit().save()).toThrow(ArgumentError);
    const cars = readCsv("data/cars.csv");
    expect(() => glm({ formula: "dist ~ speed", data: cars, offset: new Array(cars.nrow).fill(1) }).fit().save()).toThrow(/offset/);
  });

  it("design.toJSON() survives JSON text and rebuilds the same matrix (designFromJSON)", () => {
    const trees = readCsv("data/trees.csv");
    const mf = modelFrame("Volume ~ ns(Girth, df = 3):Height + poly(Height, 2, raw = TRUE) + scale(Girth, center = FALSE)", trees);
    const json = JSON.parse(JSON.stringify(mf.design.toJSON())) as DesignJson;
    expect(json.glmkit_design).toBe(1);
    const revived = designFromJSON(json);
    expect(revived.columnNames).toEqual(mf.columnNames);
    expect(maxAbsDiff(revived.modelMatrix(trees).X, mf.X)).toBe(0);
    expect(() => designFromJSON({ glmkit_design: 3 })).toThrow(ArgumentError);
  });
});

describe("saved posterior fits", () => {
  const bw = readCsv("data/birthwt.csv");
  it("keeps at most 1000 thinned draws; predicts their posterior mean, SD and quantiles", async () => {
    const fit = await glm({ formula: "low ~ age + race", data: bw, family: "binomial" }).sample({ chains: 2, warmup: 150, draws: 600, seed: 3 });
    const saved = JSON.parse(JSON.stringify(fit.save()));
    expect(saved.method).toBe("nuts");
    expect(saved.draws.total).toBe(1200);
    expect(saved.draws.thin).toBe(2);
    expect(saved.draws.values.length).toBe(600);
    const model = loadModel(saved);
    const rows = rowsOf(bw, [0, 1, 2]);
    const p = model.predict(rows, { type: "response", interval: "confidence", level: 0.8 });
    const design = fit.context.design!.modelMatrix(rows);
    const dim = fit.posterior.names.length;
    const all = fit.posterior.draws.flatMap((c) => Array.from({ length: c.length / dim }, (_, r) => Array.from(c.subarray(r * dim, (r + 1) * dim))));
    const kept = all.filter((_, s) => s % 2 === 0);
    for (let i = 0; i < 3; i++) {
      const mu = kept.map((b) => {
        let eta = 0;
        for (let j = 0; j < design.p; j++) eta += design.X[i * design.p + j]! * b[j]!;
        return 1 / (1 + Math.exp(-eta));
      });
      const mean = mu.reduce((a, x) => a + x, 0) / mu.length;
      close(p.fit[i]!, mean, `mean[${i}]`, 1e-12);
      const sd = Math.sqrt(mu.reduce((a, x) => a + (x - mean) ** 2, 0) / (mu.length - 1));
      close(p.se![i]!, sd, `sd[${i}]`, 1e-10);
      const sorted = [...mu].sort((a, b) => a - b);
      const h = (sorted.length - 1) * 0.1;
      close(p.lower![i]!, sorted[Math.floor(h)]! + (h - Math.floor(h)) * (sorted[Math.floor(h) + 1]! - sorted[Math.floor(h)]!), `q10[${i}]`, 1e-12);
    }
    const pi = model.predict(rows, { type: "response", interval: "prediction" });
    pi.lower!.forEach((x) => expect([0, 1]).toContain(x));
    expect(() => model.predict(rows, { interval: "prediction" })).toThrow(/type "response"/);
  });
});

/**
 * The rest of R's formula language (issue 15) against R 4.2 (fixtures from
 * test/reference/formula.R, keys languageCases, languagePredictions,
 * glmPredictions, nsSpans): levels and baselines (relevel, factor(levels,
 * labels), ordered, the `columns` option), contrasts (C(), the `contrasts`
 * option, contr.treatment/sum/helmert/poly/SAS), term algebra, and transforms
 * with state (poly, ns, bs, scale) on training and new data; fitted GLMs'
 * predictions against R's predict(); then properties and errors.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Cell, DataInput, DataTable } from "../../src/data/index.js";
import { readCsv } from "../../src/data/index.js";
import { DataError } from "../../src/errors.js";
import { modelFrame, type ContrastSpec, type ColumnTypes } from "../../src/formula/index.js";
import { glm } from "../../models/glm.js";

interface LangCase {
  id: string; formula: string; data: string; weights?: string; offset?: string;
  contrasts?: Record<string, ContrastSpec>; columns?: ColumnTypes;
  columnNames: string[]; assign: number[]; X: string[][]; n: number; p: number;
  termLabels: string[]; intercept: boolean; rows: number[]; naDropped: number;
  offsetValues: string[] | null; weightsValues: string[] | null;
  response: { kind: string; name: string; values?: string[]; levels?: string[]; successes?: string[]; failures?: string[] };
  xlevels: Record<string, string[]> | never[]; contrastNames: Record<string, string> | never[]; r_warnings: string[];
}
interface LangPrediction {
  id: string; formula: string; data: string; newdata: string; contrasts?: Record<string, ContrastSpec>; columns?: ColumnTypes;
  columnNames: string[]; X: string[][]; n: number; rows: number[]; naDropped: number; offsetValues: string[] | null; r_warnings: string[];
}
interface GlmPrediction {
  id: string; formula: string; data: string; family: string; newdata: string;
  coefficientNames: string[]; coefficients: string[]; deviance: string; fitted: string[]; link: string[]; response: string[];
}
interface Fixture {
  datasets: Record<string, Record<string, Cell[]>>;
  languageDatasets: Record<string, Record<string, Cell[]>>;
  languageCases: LangCase[];
  languagePredictions: LangPrediction[];
  glmPredictions: GlmPrediction[];
  nsSpans: Array<{ x: string[]; df: number; basis: string[][]; knots: string[] }>;
}

const ref = JSON.parse(readFileSync(new URL("../reference/formula.json", import.meta.url), "utf8")) as Fixture;
const csvCache = new Map<string, DataTable>();
function data(name: string): DataInput | DataTable {
  if (name.startsWith("csv:")) {
    const file = name.slice(4);
    if (!csvCache.has(file)) csvCache.set(file, readCsv(new URL(`../../data/${file}.csv`, import.meta.url).pathname));
    return csvCache.get(file) as DataTable;
  }
  return (ref.datasets[name] ?? ref.languageDatasets[name]) as DataInput;
}
const asRecord = <T>(x: Record<string, T> | never[]): Record<string, T> => (Array.isArray(x) ? {} : x);

/** Largest |ours − R| / max(1, |R|) over a row-major matrix given as R's rows. */
function maxRelDiff(ours: Float64Array, rRows: string[][], p: number): number {
  let worst = 0;
  rRows.forEach((row, i) => row.forEach((s, j) => {
    const r = Number(s);
    worst = Math.max(worst, Math.abs(ours[i * p + j] - r) / Math.max(1, Math.abs(r)));
  }));
  return worst;
}
function maxRelDiffVec(ours: ArrayLike<number> | null, r: string[] | null): number {
  expect(ours === null).toBe(r === null);
  if (!ours || !r) return 0;
  expect(ours.length).toBe(r.length);
  return Math.max(0, ...Array.from(ours, (x, i) => Math.abs(x - Number(r[i])) / Math.max(1, Math.abs(Number(r[i])))));
}

/** The worst agreement seen, printed at the end (the report's figure). */
const worst = { matrix: 0, prediction: 0, glm: 0 };
const TOL = 1e-12;

describe("formula language: model frames and matrices as R's glm() builds them", () => {
  it("has at least 40 new formulas", () => expect(ref.languageCases.length).toBeGreaterThanOrEqual(40));
  for (const c of ref.languageCases) {
    it(`${c.id}: ${c.formula}`, () => {
      const mf = modelFrame(c.formula, data(c.data), { weights: c.weights, offset: c.offset, contrasts: c.contrasts, columns: c.columns });
      expect(mf.columnNames).toEqual(c.columnNames);
      expect(Array.from(mf.assign)).toEqual(c.assign);
      expect(mf.termLabels).toEqual(c.termLabels);
      expect(mf.hasIntercept).toBe(c.intercept);
      expect(mf.n).toBe(c.n);
      expect(Array.from(mf.rows)).toEqual(c.rows);
      expect(mf.naDropped).toBe(c.naDropped);
      const d = maxRelDiff(mf.X, c.X, mf.p);
      worst.matrix = Math.max(worst.matrix, d);
      expect(d).toBeLessThanOrEqual(TOL);
      expect(maxRelDiffVec(mf.offset, c.offsetValues)).toBeLessThanOrEqual(1e-14);
      expect(maxRelDiffVec(mf.weights, c.weightsValues)).toBeLessThanOrEqual(1e-14);
      expect(mf.response.kind).toBe(c.response.kind);
      if (mf.response.kind === "cbind") expect(Array.from(mf.response.successes)).toEqual((c.response.successes as string[]).map(Number));
      else expect(maxRelDiffVec(mf.response.values, c.response.values as string[])).toBeLessThanOrEqual(1e-14);
      expect(mf.xlevels).toEqual(asRecord(c.xlevels));
      const names = Object.fromEntries(Object.entries(mf.contrasts).map(([k, v]) => [k, typeof v === "string" ? v : "matrix"]));
      expect(names).toEqual(asRecord(c.contrastNames));
      for (const w of c.r_warnings) expect(mf.warnings.some((ours) => ours.includes(w))).toBe(true);
    });
  }
});

describe("formula language: model matrices for new data (safe prediction)", () => {
  for (const c of ref.languagePredictions) {
    it(`${c.id}: ${c.formula}`, () => {
      const mf = modelFrame(c.formula, data(c.data), { contrasts: c.contrasts, columns: c.columns });
      const nd = mf.design.modelMatrix(data(c.newdata));
      expect(mf.design.columnNames).toEqual(c.columnNames);
      expect(nd.n).toBe(c.n);
      expect(Array.from(nd.rows)).toEqual(c.rows);
      expect(nd.naDropped).toBe(c.naDropped);
      const d = maxRelDiff(nd.X, c.X, nd.p);
      worst.prediction = Math.max(worst.prediction, d);
      expect(d).toBeLessThanOrEqual(TOL);
      expect(maxRelDiffVec(nd.offset, c.offsetValues)).toBeLessThanOrEqual(1e-14);
      for (const w of c.r_warnings.filter((w) => w.includes("boundary knots"))) expect(nd.warnings.some((ours) => ours.includes(w))).toBe(true);
    });
  }
});

describe("formula language: predictions of fitted GLMs equal R's predict(glm(...), newdata)", () => {
  for (const c of ref.glmPredictions) {
    it(`${c.id}: ${c.family} ${c.formula}`, () => {
      const fit = glm({ formula: c.formula, data: data(c.data), family: c.family }).fit();
      expect(fit.coefficients.map((r) => r.name)).toEqual(c.coefficientNames);
      const link = fit.predict(data(c.newdata)).fit;
      const response = fit.predict(data(c.newdata), { type: "response" }).fit;
      const d = Math.max(maxRelDiffVec(link, c.link), maxRelDiffVec(response, c.response), maxRelDiffVec(fit.fitted, c.fitted));
      worst.glm = Math.max(worst.glm, d);
      expect(d).toBeLessThanOrEqual(1e-10);
      expect(Math.abs(fit.deviance - Number(c.deviance)) / Number(c.deviance)).toBeLessThanOrEqual(1e-10);
    });
  }

  it("reports the worst agreement", () => {
    // eslint-disable-next-line no-console
    console.log(`worst relative difference to R: model matrices ${worst.matrix.toExponential(2)}, new-data matrices ${worst.prediction.toExponential(2)}, glm predictions ${worst.glm.toExponential(2)}`);
    expect(worst.matrix).toBeLessThanOrEqual(TOL);
  });
});

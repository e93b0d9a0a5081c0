/**
 * Properties of the formula language that hold whatever the data: contrasts
 * and relevel() only reparameterize (fitted values, deviance and predictions
 * unchanged; coefficients mapped as the algebra says); the natural-spline basis
 * spans R's space (against R's bases of random x) and is linear beyond the
 * boundary knots; the stateful transforms reproduce the training matrix on the
 * training data. Then the errors and the regressions of issue 15.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, DataError, FormulaError } from "../../src/errors.js";
import { modelFrame, parseColumnFlags, parseFactorFlag, parseFormula, termsOf, type ContrastSpec } from "../../src/formula/index.js";
import { glm } from "../../models/glm.js";

const RUNS = Math.max(1, Math.round(Number(process.env.FC_RUNS ?? 1)));
const ref = JSON.parse(readFileSync(new URL("../reference/formula.json", import.meta.url), "utf8")) as {
  nsSpans: Array<{ x: string[]; df: number; basis: string[][] }>;
};

/** The orthogonal projection onto the span of the columns of an n × k row-major matrix (modified Gram–Schmidt, twice). */
function projection(X: ArrayLike<number>, n: number, k: number): Float64Array {
  const q: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const v = Float64Array.from({ length: n }, (_, i) => X[i * k + j]);
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let d = 0;
        for (let i = 0; i < n; i++) d += u[i] * v[i];
        for (let i = 0; i < n; i++) v[i] -= d * u[i];
      }
    }
    const norm = Math.hypot(...v);
    if (norm > 1e-10) q.push(v.map((x) => x / norm));
  }
  const P = new Float64Array(n * n);
  for (const u of q) for (let i = 0; i < n; i++) for (let l = 0; l < n; l++) P[i * n + l] += u[i] * u[l];
  return P;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/**
 * Random rows with a factor g of k levels (each level at x = −1, 0, 1 at least,
 * so that g * x has full rank), a numeric x and a count y.
 */
const factorData = fc.integer({ min: 2, max: 5 }).chain((k) => fc.array(
  fc.record({ g: fc.integer({ min: 0, max: k - 1 }), x: fc.integer({ min: -200, max: 200 }), e: fc.integer({ min: -10, max: 10 }) }),
  { minLength: 0, maxLength: 25 },
).map((extra) => {
  const base = Array.from({ length: 3 * k }, (_, i) => ({ g: Math.floor(i / 3), x: ((i % 3) - 1) * 100, e: (i * 7) % 5 - 2 }));
  const rows = [...base, ...extra].map((r) => ({ g: `L${r.g}`, x: r.x / 100, y: Math.max(0, Math.round(3 + r.g + r.x / 100 + r.e / 5)) }));
  return { k, rows };
}));

const CONTRASTS: ContrastSpec[] = ["contr.treatment", "contr.sum", "contr.helmert", "contr.poly", "contr.SAS"];

describe("properties: contrasts and relevel() only reparameterize", () => {
  it("every contrast gives the same fitted values, deviance and predictions (poisson, y ~ g * x)", () => {
    fc.assert(fc.property(factorData, fc.integer({ min: 0, max: 1000 }), ({ k, rows }, seed) => {
      // A random full-rank k × (k−1) matrix: the treatment matrix plus a perturbation.
      const custom = Array.from({ length: k }, (_, i) => Array.from({ length: k - 1 }, (_, j) => (i === j + 1 ? 1 : 0) + (((seed + 7 * i + 3 * j) % 5) - 2) / 10));
      const newdata = [{ g: "L0", x: 0.3 }, { g: `L${k - 1}`, x: -1.7 }, { g: "L1", x: 2.5 }];
      const results = [...CONTRASTS, custom].map((spec) => {
        const mf = modelFrame("y ~ g * x", rows, { contrasts: { g: spec } });
        const y = (mf.response as { values: Float64Array }).values;
        const fit = glm({ design: { X: mf.X, y, n: mf.n, p: mf.p, columnNames: mf.columnNames }, family: "poisson" }).fit();
        const beta = fit.coefficients.map((c) => c.estimate ?? 0);
        const nd = mf.design.modelMatrix(newdata);
        const eta = Array.from({ length: nd.n }, (_, i) => beta.reduce((s, b, j) => s + b * nd.X[i * nd.p + j], 0));
        return { fitted: fit.fitted, deviance: fit.deviance, eta };
      });
      for (const r of results.slice(1)) {
        expect(maxAbsDiff(r.fitted, results[0].fitted)).toBeLessThanOrEqual(1e-6 * Math.max(1, ...results[0].fitted));
        expect(Math.abs(r.deviance - results[0].deviance)).toBeLessThanOrEqual(1e-7 * Math.max(1, results[0].deviance));
        expect(maxAbsDiff(r.eta, results[0].eta)).toBeLessThanOrEqual(1e-6);
      }
    }), { numRuns: 20 * RUNS });
  });

  it("relevel(g, ref) keeps the fit and maps treatment coefficients: b0' = b0 + b_r, b'_1 = −b_r, b'_j = b_j − b_r (gaussian)", () => {
    fc.assert(fc.property(factorData, fc.nat(), ({ k, rows }, pick) => {
      const r = 1 + (pick % (k - 1)); // a level other than the first
      const base = glm({ formula: "y ~ g + x", data: rows }).fit();
      const rel = glm({ formula: `y ~ relevel(g, ref = "L${r}") + x`, data: rows }).fit();
      expect(maxAbsDiff(rel.fitted, base.fitted)).toBeLessThanOrEqual(1e-9 * Math.max(1, ...base.fitted));
      expect(Math.abs(rel.deviance - base.deviance)).toBeLessThanOrEqual(1e-9 * Math.max(1, base.deviance));
      const b = base.coef, c = rel.coef, lab = `relevel(g, ref = "L${r}")`;
      const br = b[`gL${r}`];
      const tol = 1e-8 * Math.max(1, ...Object.values(b).map(Math.abs));
      expect(Math.abs(c["(Intercept)"] - (b["(Intercept)"] + br))).toBeLessThanOrEqual(tol);
      expect(Math.abs(c[`${lab}L0`] + br)).toBeLessThanOrEqual(tol);
      for (let j = 1; j < k; j++) if (j !== r) expect(Math.abs(c[`${lab}L${j}`] - (b[`gL${j}`] - br))).toBeLessThanOrEqual(tol);
      expect(Math.abs(c.x - b.x)).toBeLessThanOrEqual(tol);
      expect(Object.keys(c)[1]).toBe(`${lab}L0`);
    }), { numRuns: 25 * RUNS });
  });
});

describe("properties: natural and B-spline bases", () => {
  it("ns(x, df) spans R's space for random x (projections agree), and its values are R's", () => {
    for (const s of ref.nsSpans) {
      const x = s.x.map(Number);
      const mf = modelFrame(`y ~ 0 + ns(x, df = ${s.df})`, { y: x.map(() => 0), x });
      const n = x.length;
      const R = Float64Array.from(s.basis.flat().map(Number));
      expect(mf.p).toBe(s.df);
      expect(maxAbsDiff(projection(mf.X, n, mf.p), projection(R, n, s.df))).toBeLessThanOrEqual(1e-10);
      expect(maxAbsDiff(mf.X, R)).toBeLessThanOrEqual(1e-12);
    }
  });

  it("[1, ns(x, df)] contains the linear functions, has rank df + 1, and continues linearly beyond the boundary knots", () => {
    const xs = fc.uniqueArray(fc.integer({ min: -5000, max: 5000 }), { minLength: 10, maxLength: 60 }).map((v) => v.map((t) => t / 100));
    fc.assert(fc.property(xs, fc.integer({ min: 1, max: 5 }), (x, df) => {
      const mf = modelFrame(`y ~ ns(x, df = ${df})`, { y: x.map(() => 1), x });
      const n = x.length, p = mf.p;
      expect(p).toBe(df + 1);
      const P = projection(mf.X, n, p);
      const xc = x.map((v) => v / 50);
      const fitted = xc.map((_, i) => xc.reduce((s, v, l) => s + P[i * n + l] * v, 0));
      expect(maxAbsDiff(fitted, xc)).toBeLessThanOrEqual(1e-9);
      // Rank: the projection's trace is the dimension.
      let trace = 0;
      for (let i = 0; i < n; i++) trace += P[i * n + i];
      expect(Math.abs(trace - p)).toBeLessThanOrEqual(1e-8);
      const lo = Math.min(...x), hi = Math.max(...x), w = hi - lo;
      const out = [lo - w, lo - w / 2, lo - w / 4, hi + w / 3, hi + w / 2, hi + w].map((v) => ({ x: v }));
      const nd = mf.design.modelMatrix(out);
      for (const base of [0, 3]) {
        for (let j = 0; j < p; j++) {
          const [a, b, c] = [0, 1, 2].map((k) => nd.X[(base + k) * p + j]);
          const [ta, tb, tc] = [0, 1, 2].map((k) => out[base + k].x);
          const slope1 = (b - a) / (tb - ta), slope2 = (c - b) / (tc - tb);
          expect(Math.abs(slope1 - slope2)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(slope1)));
        }
      }
    }), { numRuns: 40 * RUNS });
  });

  it("bs(x, df) rows sum to one with intercept = TRUE (partition of unity) inside the boundary knots", () => {
    const xs = fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 10, maxLength: 40 }).map((v) => v.map((t) => t / 100));
    fc.assert(fc.property(xs, fc.integer({ min: 4, max: 8 }), fc.integer({ min: 1, max: 3 }), (x, df, degree) => {
      const mf = modelFrame(`y ~ 0 + bs(x, df = ${df}, degree = ${degree}, intercept = TRUE)`, { y: x.map(() => 0), x });
      for (let i = 0; i < mf.n; i++) {
        let s = 0;
        for (let j = 0; j < mf.p; j++) s += mf.X[i * mf.p + j];
        expect(Math.abs(s - 1)).toBeLessThanOrEqual(1e-12);
      }
    }), { numRuns: 40 * RUNS });
  });

  it("new data need not hold relevel()'s reference level or C()'s levels: the fitted coding applies", () => {
    const rows = [{ y: 1, g: "a" }, { y: 2, g: "b" }, { y: 3, g: "c" }, { y: 4, g: "b" }];
    const mf = modelFrame('y ~ relevel(g, ref = "b") + C(g, sum)', rows);
    expect(mf.columnNames).toEqual(["(Intercept)", 'relevel(g, ref = "b")a', 'relevel(g, ref = "b")c', "C(g, sum)1", "C(g, sum)2"]);
    const nd = mf.design.modelMatrix([{ g: "c" }, { g: "a" }]);
    expect(Array.from(nd.X)).toEqual([1, 0, 1, -1, -1, 1, 1, 0, 1, 0]);
    expect(mf.contrasts).toEqual({ 'relevel(g, ref = "b")': "contr.treatment", "C(g, sum)": "contr.sum" });
  });

  it("poly, ns, bs and scale rebuild the training matrix from the training data", () => {
    const x = Array.from({ length: 30 }, (_, i) => Math.sin(i * 1.7) * 4 + i / 10);
    const rows = x.map((v, i) => ({ y: i % 7, x: v, g: ["a", "b", "c"][i % 3] }));
    for (const f of ["y ~ poly(x, 3) * g", "y ~ ns(x, df = 4) + g", "y ~ bs(x, df = 5, degree = 2)", "y ~ scale(x):g + poly(x, 2, raw = TRUE)"]) {
      const mf = modelFrame(f, rows);
      expect(maxAbsDiff(mf.design.modelMatrix(rows).X, mf.X)).toBeLessThanOrEqual(1e-13);
    }
  });
});

describe("errors of the formula language name the term and the column", () => {
  const d = { y: [1, 2, 3, 4, 5, 6], a: ["p", "q", "r", "p", "q", "r"], x: [1, 2, 3, 4, 5, 6], k: [1, 1, 2, 2, 3, 3] };

  it("relevel() with a level that does not exist", () => {
    const f = 'y ~ relevel(a, ref = "zz")';
    expect(() => modelFrame(f, d)).toThrow(DataError);
    expect(() => modelFrame(f, d)).toThrow('formula term "relevel(a, ref = "zz")": level "zz" not among the levels of a: p, q, r');
    try { modelFrame(f, d); } catch (e) { expect((e as DataError).column).toBe("a"); }
    expect(() => modelFrame("y ~ relevel(a, ref = 4)", d)).toThrow("ref = 4 not among the levels of a: p, q, r");
    expect(() => modelFrame('y ~ relevel(x, ref = "1")', d)).toThrow("relevel() needs a factor, but x is numeric; use relevel(factor(x), ref = ...)");
    expect(() => modelFrame('y ~ relevel(ordered(a), ref = "q")', d)).toThrow("relevel() is only for unordered factors");
  });

  it("factor(), C() and the transforms check their arguments", () => {
    expect(() => modelFrame('y ~ factor(k, labels = c("u", "v"))', d)).toThrow("factor() has 2 labels for 3 levels");
    expect(() => modelFrame("y ~ C(x, sum)", d)).toThrow("C() needs a factor, but x is not one");
    expect(() => modelFrame("y ~ C(a, contr.treatment(3, base = 5))", d)).toThrow("base = 5 is out of range");
    expect(() => modelFrame("y ~ C(a, contr.sum(4))", d)).toThrow("the matrix has 4 rows but C(a, contr.sum(4)) has 3 levels");
    expect(() => parseFormula("y ~ C(a, foo)")).toThrow("C(): the contrasts must be one of treatment, sum, helmert, poly, SAS");
    expect(() => parseFormula("y ~ ns(x, df = k)")).toThrow("ns(): df = must be a number");
    expect(() => parseFormula("y ~ ns(x, dff = 3)")).toThrow('ns() has no argument named "dff" (its arguments: df, knots, intercept, Boundary.knots)');
    expect(() => parseFormula("y ~ poly(x, 2, 3)")).toThrow("poly() takes at most 2 unnamed arguments; name the others (raw)");
    expect(() => parseFormula("y ~ factor(k, levels = c(a, b))")).toThrow("factor(): levels = must be a constant or c(...) of constants");
    expect(() => parseFormula("y ~ contr.sum(3)")).toThrow("contr.sum() may only give the contrasts of C()");
    expect(() => parseFormula("y ~ c(1, 2)")).toThrow("c(...) may only give constant values");
    expect(() => modelFrame("y ~ poly(x, 6)", d)).toThrow("'degree' (6) must be less than the number of unique points (6)");
    expect(() => modelFrame("y ~ poly(x, 2)", { ...d, x: [1, 2, null, 4, 5, 6] })).toThrow('formula term "poly(x, 2)": missing values are not allowed in poly() (row 3)');
    expect(() => modelFrame("y ~ ns(x, df = 2.5)", d)).toThrow("ns(): df must be an integer of at least 1, not 2.5");
    expect(() => modelFrame("y ~ ns(a, df = 2)", d)).toThrow('formula term "ns(a, df = 2)": ns() needs a numeric variable, but a is a factor');
    expect(() => modelFrame("y ~ I(poly(x, 2) + 1)", d)).toThrow('"+" cannot take a matrix of 2 columns');
  });

  it("the contrasts option names the variable", () => {
    expect(() => modelFrame("y ~ a + x", d, { contrasts: { x: "contr.sum" } })).toThrow(ArgumentError);
    expect(() => modelFrame("y ~ a + x", d, { contrasts: { x: "contr.sum" } })).toThrow('contrasts: "x" is numeric; contrasts apply only to factors (factors of the model: a)');
    expect(() => modelFrame("y ~ a + x", d, { contrasts: { b: "contr.sum" } })).toThrow('contrasts: no variable "b" in the formula (factors of the model: a)');
    expect(() => modelFrame("y ~ a + x", d, { contrasts: { a: "contr.foo" } })).toThrow('contrasts for a: unknown contrast "contr.foo"');
    expect(() => modelFrame("y ~ a + x", d, { contrasts: { a: [[1, 0], [0, 1]] } })).toThrow("contrasts for a: the contrast matrix has 2 rows but a has 3 levels");
    expect(modelFrame("y ~ a + x", d, { contrasts: { a: "sum" } }).columnNames).toEqual(["(Intercept)", "a1", "a2", "x"]);
    // R: contrasts = list(a = contr.treatment(levels(a), base = 2)); the record holds the matrix, as R's fit$contrasts.
    const based = modelFrame("y ~ a + x", d, { contrasts: { a: { type: "contr.treatment", base: 2 } } });
    expect(based.columnNames).toEqual(["(Intercept)", "ap", "ar", "x"]);
    expect(Array.from(based.X.slice(0, 4))).toEqual([1, 1, 0, 1]);
    expect(based.contrasts.a).toMatchObject({ nrow: 3, ncol: 2, columnNames: ["p", "r"] });
    expect(() => modelFrame("y ~ a", d, { contrasts: { a: { type: "sum", base: 2 } } })).toThrow("base applies only to contr.treatment");
  });

  it("the columns option: unknown columns, values outside the declared levels, numbers from strings", () => {
    expect(() => modelFrame("y ~ k", d, { columns: { kk: { type: "factor" } } })).toThrow('columns: no column "kk" in the data; did you mean "k"?');
    expect(() => modelFrame("y ~ k", d, { columns: { k: { type: "factor", levels: [1, 2] } } })).toThrow('column "k" has the value "3" at row 5, which is not among its declared levels 1, 2');
    const mf = modelFrame("y ~ k", d, { columns: { k: { type: "factor", levels: ["3", "1.0", "2"] } } });
    expect(mf.columnNames).toEqual(["(Intercept)", "k1.0", "k2"]);
    expect(mf.xlevels).toEqual({ k: ["3", "1.0", "2"] });
    const s = modelFrame("y ~ u", { y: [1, 2, 3, 4], u: ["1.5", "2", "NA", "4e1"] }, { columns: { u: { type: "numeric" } } });
    expect(Array.from(s.X)).toEqual([1, 1.5, 1, 2, 1, 40]);
    expect(() => modelFrame("y ~ a", d, { columns: { a: { type: "numeric" } } })).toThrow('column "a" has the value "p" at row 1, which is not a finite number');
    // New data get the declaration too.
    const nd = mf.design.modelMatrix({ k: [2, 3, 1] });
    expect(Array.from(nd.X)).toEqual([1, 0, 1, 1, 0, 0, 1, 1, 0]);
    expect(() => mf.design.modelMatrix({ k: [4] })).toThrow('column "k" has the value "4" at row 1, which is not among its declared levels 3, 1.0, 2');
  });

  it("parseFactorFlag reads --factor COL[:l1,l2,…]", () => {
    expect(parseFactorFlag("District:1,2,3,4")).toEqual({ column: "District", type: { type: "factor", levels: ["1", "2", "3", "4"] } });
    expect(parseFactorFlag("District")).toEqual({ column: "District", type: { type: "factor" } });
    expect(parseFactorFlag("dose:lo,mid,hi", "ordered")).toEqual({ column: "dose", type: { type: "ordered", levels: ["lo", "mid", "hi"] } });
    expect(parseFactorFlag("`a:b`:x,y")).toEqual({ column: "a:b", type: { type: "factor", levels: ["x", "y"] } });
    expect(parseFactorFlag("g:a\\,b,c")).toEqual({ column: "g", type: { type: "factor", levels: ["a,b", "c"] } });
    expect(() => parseFactorFlag("")).toThrow("--factor needs a column name");
    expect(() => parseFactorFlag("g:a,,b")).toThrow("empty level name");
    expect(() => parseFactorFlag("g:a,b,a")).toThrow("a level is given twice");
    expect(parseColumnFlags(["District:1,2,3,4"], ["Age"])).toEqual({ District: { type: "factor", levels: ["1", "2", "3", "4"] }, Age: { type: "ordered" } });
    expect(() => parseColumnFlags(["g", "g:a,b"])).toThrow('column "g" is declared twice');
    const mf = modelFrame("y ~ k", { y: [1, 2, 3, 4], k: [1, 2, 1, 2] }, { columns: parseColumnFlags(["k:2,1"]) });
    expect(mf.columnNames).toEqual(["(Intercept)", "k1"]);
  });
});

describe("regressions (issue 15)", () => {
  const d = { low: [0, 1, 0, 1, 1], age: [20, 30, 40, 50, 60], y: [1, 2, 3, 4, 5], g: ["a", "b", "a", "b", "a"] };

  it("the response inside an interaction or nesting term is a FormulaError, not a TypeError", () => {
    for (const [f, term] of [["low ~ age + low:age", "low:age"], ["y ~ y %in% g", "y:g"], ["y ~ g/y", "y:g"], ["y ~ g*y", "y"]] as const) {
      const err = (() => { try { modelFrame(f, d); } catch (e) { return e; } return null; })();
      expect(err).toBeInstanceOf(FormulaError);
      if (term === "y") expect((err as Error).message).toContain("the response y also appears as a term");
      else expect((err as Error).message).toContain(`appears in the term ${term} on the right-hand side of "${f}"`);
    }
  });

  it("a flat sum of 5,000 terms parses, expands and builds its model matrix", () => {
    const k = 5000;
    const names = Array.from({ length: k }, (_, j) => `x${j}`);
    const f = `y ~ ${names.join(" + ")}`;
    const t = termsOf(parseFormula(f), null);
    expect(t.termLabels.length).toBe(k);
    expect(t.codes.every((c) => c.length === 1 && c[0] === 1)).toBe(true);
    const cols: Record<string, number[]> = { y: [1, 2, 3] };
    names.forEach((nm, j) => { cols[nm] = [j, j + 1, j * 2]; });
    const mf = modelFrame(f, cols);
    expect(mf.p).toBe(k + 1);
    expect(mf.X[2 * mf.p + k]).toBe(2 * (k - 1));
    // Inside I(): 5,000 additions evaluated in a loop.
    const sum = modelFrame(`y ~ I(${names.join(" + ")})`, cols);
    expect(sum.X[1]).toBe((k * (k - 1)) / 2);
  });

  it("deep nesting is a FormulaError: 3,000 nested parentheses, 3,000 unary minus signs", () => {
    const parens = `y ~ ${"(".repeat(3000)}x${")".repeat(3000)}`;
    expect(() => parseFormula(parens)).toThrow(FormulaError);
    expect(() => parseFormula(parens)).toThrow('nests more than 50 brackets at column 55');
    expect(parseFormula(`y ~ ${"(".repeat(50)}x${")".repeat(50)}`).rhs.type).toBe("paren"); // R accepts 50
    expect(() => parseFormula(`y ~ ${"(".repeat(51)}x${")".repeat(51)}`)).toThrow("contextstack overflow");
    expect(() => parseFormula(`y ~ ${"- ".repeat(3000)}x`)).toThrow("nests more than 500 levels deep");
    expect(() => parseFormula(`y ~ I(${"log(".repeat(60)}x${")".repeat(60)})`)).toThrow(FormulaError);
  });
});

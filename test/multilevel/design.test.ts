/**
 * The multilevel design against lme4 (test/reference/lme4-design.json, written by
 * test/reference/glmer.R): X and Z = getME(fit, "X"/"Z") entry by entry (worst difference
 * 1e-15), the grouping factors, their levels and term order (mkReTrms), θ's layout; and the
 * formula side: bar terms parsed behind an option, `||` and `/` expanded as lme4 does,
 * missing rows dropped, typed errors.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readCsv } from "../../src/data/index.js";
import { DataError, FormulaError } from "../../src/errors.js";
import { isBarTerm, parseFormula } from "../../src/formula/parse.js";
import { splitBars } from "../../src/multilevel/bars.js";
import { lme4TermOrder, multilevelFrame } from "../../src/multilevel/design.js";
import { mixedLayout } from "../../src/multilevel/pls.js";
import { glm } from "../../models/glm.js";
import { glmer } from "../../models/multilevel.js";

interface DesignRef {
  name: string; data: string; formula: string; n: number; q: number;
  X_columns: string[]; X: number[]; Z_i: number[]; Z_j: number[]; Z_x: number[];
  cnms: Record<string, string[]>; flist_names: string[] | string; nlevels: number[]; Gp: number[]; theta_names: string[] | string;
}
const refs: DesignRef[] = JSON.parse(readFileSync("test/reference/lme4-design.json", "utf8"));
const arr = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

describe("multilevel design = lme4's getME(X, Z)", () => {
  for (const ref of refs) {
    it(ref.name, () => {
      const mf = multilevelFrame(ref.formula, readCsv(`data/${ref.data}.csv`));
      const n = mf.frame.n;
      expect(n).toBe(ref.n);
      expect(mf.frame.columnNames).toEqual(arr(ref.X_columns));
      let worst = 0;
      mf.frame.X.forEach((v, k) => { worst = Math.max(worst, Math.abs(v - ref.X[k]!)); });
      const layout = mixedLayout(mf.terms, n, mf.frame.p);
      expect(layout.q).toBe(ref.q);
      // Dense Z from the row-wise CSR of the terms, then every entry against lme4's triplets.
      const Z = new Float64Array(n * layout.q);
      for (let i = 0; i < n; i++) for (let a = 0; a < layout.m; a++) Z[i * layout.q + layout.cols[i * layout.m + a]!] += layout.z[i * layout.m + a]!;
      const R = new Float64Array(n * layout.q);
      ref.Z_i.forEach((i, k) => { R[i * layout.q + ref.Z_j[k]!] += ref.Z_x[k]!; });
      Z.forEach((v, k) => { worst = Math.max(worst, Math.abs(v - R[k]!)); });
      if (process.env.REPORT_WORST) console.log(ref.name, "worst |X, Z − lme4|", worst);
      expect(worst).toBeLessThanOrEqual(1e-15);
      expect(mf.terms.map((t) => t.columns)).toEqual(Object.values(ref.cnms).map(arr));
      expect([...new Set(mf.terms.map((t) => t.factor))]).toEqual(arr(ref.flist_names));
      expect([...new Set(mf.terms.map((t) => t.factor))].map((f) => mf.terms.find((t) => t.factor === f)!.levels.length)).toEqual(arr(ref.nlevels));
      expect([0, ...layout.terms.map((t) => t.colStart + t.nl * t.k)]).toEqual(arr(ref.Gp));
      expect(layout.nTheta).toBe(arr(ref.theta_names).length);
      // CSR over groups lists each row once, under its own level.
      for (const t of mf.terms) {
        expect(t.groupStart[t.levels.length]).toBe(n);
        for (let j = 0; j < t.levels.length; j++) for (let r = t.groupStart[j]!; r < t.groupStart[j + 1]!; r++) expect(t.group[t.rowsOfGroup[r]!]).toBe(j);
      }
    });
  }

  it("names θ as getME(fit, \"theta\") does", () => {
    for (const ref of refs) {
      const m = glmer({ formula: ref.formula, data: readCsv(`data/${ref.data}.csv`) });
      const fit = m.fit({ REML: true, maxEval: 1 });
      expect(fit.groupEffects.theta.map((t) => t.name)).toEqual(arr(ref.theta_names));
    }
  });
});

describe("bar terms in formulas", () => {
  it("are parsed only behind the option, and glm() points to glmer()", () => {
    const f = parseFormula("y ~ x + (1 | g)", { bars: true });
    expect(f.rhs.type === "binary" && isBarTerm(f.rhs.right)).toBe(true);
    expect(() => parseFormula("y ~ x + (1 | g)")).toThrow(FormulaError);
    expect(() => parseFormula("y ~ x + (1 | g)")).toThrow(/glmer\(\)/);
    const data = { y: [1, 2, 3, 4], x: [1, 2, 3, 5], g: ["a", "a", "b", "b"] };
    expect(() => glm({ formula: "y ~ x + (1 | g)", data }).fit()).toThrow(/group-level term \(1 \| g\).*glmer\(\)/);
    expect(() => parseFormula("y ~ x + (1 | log(g))", { bars: true })).toThrow(/grouping factor/);
  });

  it("expand || and / as lme4's expandDoubleVerts and expandSlash", () => {
    const s = splitBars("y ~ x + (x + z || g) + (1 | a/b/c)");
    expect(s.fixed).toBe("y ~ x");
    expect(s.bars.map((b) => `(${b.lhs} | ${b.factor})${b.correlated ? "" : "*"}`)).toEqual([
      "(1 | g)*", "(0 + x | g)*", "(0 + z | g)*", "(1 | c:b:a)", "(1 | b:a)", "(1 | a)",
    ]);
    expect(splitBars("y ~ (0 + x || g)").bars.map((b) => b.lhs)).toEqual(["0 + x"]);
    expect(splitBars("y ~ (1 | g) - 1 + x").fixed).toBe("y ~ 1 - 1 + x");
    expect(splitBars("y ~ (1 | g)").fixed).toBe("y ~ 1");
    expect(() => splitBars("y ~ x - (1 | g)")).toThrow(/subtracted/);
    expect(() => splitBars("y ~ x * (1 | g)")).toThrow(/top level/);
    expect(() => splitBars("y ~ x")).toThrow(/no group-level term/);
  });

  it("orders terms as mkReTrms (rev(order(nl)) when the counts increase)", () => {
    expect(lme4TermOrder([30, 10])).toEqual([0, 1]);
    expect(lme4TermOrder([10, 30])).toEqual([1, 0]);
    expect(lme4TermOrder([5, 5, 10])).toEqual([2, 1, 0]);
    expect(lme4TermOrder([18, 18])).toEqual([0, 1]);
  });
});

describe("the multilevel model frame", () => {
  const rows = {
    y: [1.1, 2.3, 2.9, 4.2, 5.1, 6.3, 6.8, 8.4, null, 9.9],
    x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    g: ["b", "a", "b", "a", "c", "c", null, "a", "b", "c"],
    h: [2, 1, 2, 1, 2, 1, 2, 1, 2, 1],
  };
  it("drops rows with a missing response or grouping factor, and levels as R's factor()", () => {
    const mf = multilevelFrame("y ~ x + (1 | g) + (1 | g:h)", rows);
    expect(mf.naDropped).toBe(2);
    expect(Array.from(mf.rows)).toEqual([0, 1, 2, 3, 4, 5, 7, 9]);
    expect(mf.terms[0]!.factor).toBe("g:h");
    expect(mf.terms[0]!.levels).toEqual(["a:1", "b:2", "c:1", "c:2"]);
    expect(mf.terms[1]!.levels).toEqual(["a", "b", "c"]);
    expect(Array.from(mf.terms[1]!.group)).toEqual([1, 0, 1, 0, 2, 2, 0, 2]);
  });
  it("gives typed errors naming the column", () => {
    expect(() => multilevelFrame("y ~ x + (1 | nope)", rows)).toThrow(FormulaError);
    expect(() => multilevelFrame("y ~ x + (1 | nope)", rows)).toThrow(/"nope"/);
    expect(() => multilevelFrame("y ~ x + (1 | k)", { ...rows, k: rows.x.map(() => "one") })).toThrow(DataError);
    expect(() => multilevelFrame("y ~ x + (1 | k)", { ...rows, k: rows.x.map(() => "one") })).toThrow(/single level/);
    expect(() => glmer({ formula: "y ~ x + (1 | x)", data: rows }).fit()).toThrow(/9 levels for 9 observations/);
  });
});

/**
 * Separation check: verdicts and directions against the reference written by
 * test/reference/separation.R (detectseparation's linear program solved by
 * lp_solve, with a check that the answer is the same on the whole optimal face
 * and agrees with where glm()'s standard errors diverge), plus fast-check
 * properties: data separable by construction are flagged with a valid
 * separating direction; overlapping one-factor designs are not; a mixed row is a
 * failure plus a success; zero-weight rows are ignored.
 * @lp-solver-not-preloaded (test/setup-lp-solver.ts): the first test runs before it is loaded.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { DataError, ArgumentError, GlmkitError } from "../../src/errors.js";
import {
  detectSeparation,
  detectSeparationSync,
  initSeparation,
  separationReady,
  type SeparationProblem,
  type SeparationResult,
} from "../../src/separation.js";

const FC = { seed: 20240517, numRuns: 150 };

interface RefCase {
  id: string; description: string; n: number; p: number; column_names: string[];
  X_row_major: number[]; y: number[]; weights: number[];
  separation: boolean; status: Record<string, "finite" | "+Inf" | "-Inf" | "aliased">;
  separation_unscaled: boolean; status_unscaled: Record<string, "finite" | "+Inf" | "-Inf" | "aliased">;
}
const fixture: { cases: RefCase[] } = JSON.parse(readFileSync("test/reference/separation.json", "utf8"));

describe("loading", () => {
  // Runs first: vitest gives each test file its own module instance.
  it("the synchronous variant refuses to run before initSeparation()", async () => {
    expect(separationReady()).toBe(false);
    expect(() => detectSeparationSync({ X: [1], n: 1, p: 1, columnNames: ["a"], y: [1] })).toThrow(GlmkitError);
    expect(() => detectSeparationSync({ X: [1], n: 1, p: 1, columnNames: ["a"], y: [1] })).toThrow(/await initSeparation\(\)/);
    await initSeparation();
    await initSeparation(); // idempotent
    expect(separationReady()).toBe(true);
  });
});

describe("agreement with detectseparation's linear program (R fixture)", () => {
  it("covers the cases the brief asks for", () => {
    expect(fixture.cases.map((c) => c.id)).toEqual(
      expect.arrayContaining(["endometrial", "complete_toy", "birthwt", "factor_levels", "grouped_quasi", "budworm"]),
    );
  });
  for (const c of fixture.cases) {
    it(`${c.id}: ${c.description}`, async () => {
      const res = await detectSeparation({
        X: Float64Array.from(c.X_row_major), n: c.n, p: c.p, columnNames: c.column_names, y: Float64Array.from(c.y), weights: Float64Array.from(c.weights),
      });
      expect(res.separation).toBe(c.separation);
      const ours = Object.fromEntries(c.column_names.map((name, j) => [name, res.verdicts[j]]));
      expect(ours).toEqual(c.status);
      const expectedInfinite = Object.fromEntries(Object.entries(c.status).filter(([, v]) => v === "+Inf" || v === "-Inf"));
      expect(res.infinite).toEqual(expectedInfinite);
      expect(res.finite).toEqual(c.column_names.filter((name) => c.status[name] === "finite"));
      expect(res.aliased).toEqual(c.column_names.filter((name) => c.status[name] === "aliased"));
      c.column_names.forEach((name, j) => {
        const b = res.betas[j]!;
        const s = c.status[name];
        if (s === "aliased") expect(b).toBeNaN();
        else expect(b).toBe(s === "+Inf" ? Infinity : s === "-Inf" ? -Infinity : 0);
      });
      expect(res.status).toBe("optimal");
      // detectseparation's own (unscaled) LP, and the vertex-independent refinement
      const unscaled = detectSeparationSync(
        { X: c.X_row_major, n: c.n, p: c.p, columnNames: c.column_names, y: c.y, weights: c.weights },
        { scaleColumns: false },
      );
      expect(unscaled.separation).toBe(c.separation_unscaled);
      expect(Object.fromEntries(c.column_names.map((name, j) => [name, unscaled.verdicts[j]]))).toEqual(c.status_unscaled);
      const refined = detectSeparationSync(
        { X: c.X_row_major, n: c.n, p: c.p, columnNames: c.column_names, y: c.y, weights: c.weights },
        { refine: true },
      );
      expect(refined.verdicts).toEqual(res.verdicts);
    });
  }
  it("large_units: the unscaled LP (detectseparation's) misses the slope, the scaled one does not", () => {
    const c = fixture.cases.find((k) => k.id === "large_units")!;
    expect(c.status_unscaled["x"]).toBe("finite");
    expect(c.status["x"]).toBe("+Inf");
  });
  it("endometrial: NV is +Inf (quasi-complete separation, Heinze & Schemper 2002)", async () => {
    const c = fixture.cases.find((k) => k.id === "endometrial")!;
    const res = await detectSeparation({ X: c.X_row_major, n: c.n, p: c.p, columnNames: c.column_names, y: c.y });
    expect(res.infinite).toEqual({ NV: "+Inf" });
  });
});

/** Checks that `res.direction` certifies separation: X̄β ≥ 0 on every used row and 1ᵀX̄β > 0. */
function certifies(problem: SeparationProblem, res: SeparationResult): boolean {
  const { X, n, p, y } = problem;
  const w = problem.weights;
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (w && !(w[i]! > 0)) continue;
    let eta = 0;
    for (let j = 0; j < p; j++) eta += X[i * p + j]! * (Number.isNaN(res.direction[j]!) ? 0 : res.direction[j]!);
    const yi = y[i]!;
    if (yi > 0 && eta < -1e-7) return false;
    if (yi < 1 && eta > 1e-7) return false;
    if (yi === 1) total += eta;
    if (yi === 0) total -= eta;
  }
  return total > 1e-7;
}

describe("properties", () => {
  it("data made separable by construction (y = 1{x·d > 0}) are flagged, with a separating direction", async () => {
    await initSeparation();
    const arb = fc
      .record({
        p: fc.integer({ min: 1, max: 4 }),
        n: fc.integer({ min: 6, max: 40 }),
        intercept: fc.boolean(),
        seedValues: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 200, maxLength: 200 }),
        d: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }),
      })
      .map(({ p, n, intercept, seedValues, d }) => {
        const cols = p + (intercept ? 1 : 0);
        const X = new Float64Array(n * cols);
        const y = new Float64Array(n);
        let minMargin = Infinity;
        for (let i = 0; i < n; i++) {
          let eta = 0;
          for (let j = 0; j < cols; j++) {
            const v = intercept && j === 0 ? 1 : seedValues[(i * cols + j) % seedValues.length]!;
            X[i * cols + j] = v;
            eta += v * d[j]!;
          }
          y[i] = eta > 0 ? 1 : 0;
          minMargin = Math.min(minMargin, Math.abs(eta));
        }
        const names = Array.from({ length: cols }, (_, j) => (intercept && j === 0 ? "(Intercept)" : `x${j}`));
        return { problem: { X, n, p: cols, columnNames: names, y } as SeparationProblem, minMargin };
      });
    fc.assert(
      fc.property(arb, ({ problem, minMargin }) => {
        fc.pre(minMargin > 1e-6);
        const res = detectSeparationSync(problem);
        if (!res.separation) return false;
        if (Object.keys(res.infinite).length === 0) return false;
        return certifies(problem, res);
      }),
      FC,
    );
  });

  it("one-factor designs with both outcomes at every level are not separated", async () => {
    await initSeparation();
    const arb = fc.record({
      levels: fc.integer({ min: 2, max: 5 }),
      extra: fc.array(fc.array(fc.constantFrom(0, 1, 0.25, 0.5), { minLength: 0, maxLength: 6 }), { minLength: 5, maxLength: 5 }),
      weights: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 60, maxLength: 60 }),
    });
    fc.assert(
      fc.property(arb, ({ levels, extra, weights }) => {
        const rows: { level: number; y: number }[] = [];
        for (let l = 0; l < levels; l++) {
          rows.push({ level: l, y: 0 }, { level: l, y: 1 });
          for (const y of extra[l]!) rows.push({ level: l, y });
        }
        const n = rows.length;
        const p = levels;
        const X = new Float64Array(n * p);
        rows.forEach((r, i) => {
          X[i * p] = 1;
          if (r.level > 0) X[i * p + r.level] = 1;
        });
        const names = ["(Intercept)", ...Array.from({ length: levels - 1 }, (_, l) => `g${l + 2}`)];
        const res = detectSeparationSync({ X, n, p, columnNames: names, y: rows.map((r) => r.y), weights: weights.slice(0, n) });
        return !res.separation && res.finite.length === p && Object.keys(res.infinite).length === 0 && res.objective <= 1e-9;
      }),
      FC,
    );
  });

  it("a row with 0 < y < 1 gives the same verdicts as one failure plus one success; zero-weight rows are ignored", async () => {
    await initSeparation();
    const arb = fc.record({
      x: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 4, maxLength: 15 }),
      y: fc.array(fc.constantFrom(0, 1, 0.5, 0.2), { minLength: 15, maxLength: 15 }),
      junkX: fc.double({ min: -5, max: 5, noNaN: true }),
      junkY: fc.constantFrom(0, 1),
    });
    fc.assert(
      fc.property(arb, ({ x, y, junkX, junkY }) => {
        const n = x.length;
        const ys = y.slice(0, n);
        const X = new Float64Array(n * 2);
        x.forEach((v, i) => {
          X[2 * i] = 1;
          X[2 * i + 1] = v;
        });
        const names = ["(Intercept)", "x"];
        const base = detectSeparationSync({ X, n, p: 2, columnNames: names, y: ys });
        // Expand each mixed row into a failure and a success.
        const ex: number[] = [];
        const ey: number[] = [];
        ys.forEach((v, i) => {
          if (v === 0 || v === 1) {
            ex.push(1, x[i]!);
            ey.push(v);
          } else {
            ex.push(1, x[i]!, 1, x[i]!);
            ey.push(0, 1);
          }
        });
        const expanded = detectSeparationSync({ X: ex, n: ey.length, p: 2, columnNames: names, y: ey });
        // Append a zero-weight row that could otherwise change the answer.
        const withJunk = detectSeparationSync({
          X: [...X, 1, junkX], n: n + 1, p: 2, columnNames: names, y: [...ys, junkY], weights: [...ys.map(() => 1), 0],
        });
        const same = (a: SeparationResult, b: SeparationResult) =>
          a.separation === b.separation && JSON.stringify(a.verdicts) === JSON.stringify(b.verdicts);
        return same(base, expanded) && same(base, withJunk);
      }),
      FC,
    );
  });
});

describe("refine: verdicts that do not depend on the optimal vertex", () => {
  it("a coefficient that is positive throughout the cone's interior is +Inf even if a vertex has it at 0", async () => {
    // Two successes at x = (0, 1) and (1, −1), no intercept: C = {b2 ≥ 0, b1 ≥ b2}; the
    // optimal face of the LP is b1 = 1, b2 ∈ [0, 1], so a vertex may show b2 = 0, but only
    // directions with b2 > 0 send both fitted probabilities to 1.
    const problem = { X: [0, 1, 1, -1], n: 2, p: 2, columnNames: ["b1", "b2"], y: [1, 1] };
    const res = await detectSeparation(problem, { refine: true });
    expect(res.infinite).toEqual({ b1: "+Inf", b2: "+Inf" });
    const plain = await detectSeparation(problem);
    expect(plain.infinite["b1"]).toBe("+Inf");
  });
  it("a coefficient that takes both signs inside the cone is finite", async () => {
    // Successes at (1, 1) and (1, −1): C = {b1 ≥ |b2|}; b2 = 0 is inside, so b2 need not diverge.
    const res = await detectSeparation({ X: [1, 1, 1, -1], n: 2, p: 2, columnNames: ["b1", "b2"], y: [1, 1] }, { refine: true });
    expect(res.infinite).toEqual({ b1: "+Inf" });
    expect(res.finite).toEqual(["b2"]);
  });
});

describe("input validation and edge cases", () => {
  const ok = { X: [1, 0, 1, 1, 1, 2], n: 3, p: 2, columnNames: ["(Intercept)", "x"], y: [0, 1, 0] };
  it("bad data are DataErrors naming the row and column", async () => {
    await initSeparation();
    expect(() => detectSeparationSync({ ...ok, y: [0, 1.5, 0] })).toThrow(DataError);
    expect(() => detectSeparationSync({ ...ok, y: [0, 1.5, 0] })).toThrow(/y: row 2 is 1.5/);
    expect(() => detectSeparationSync({ ...ok, y: [0, NaN, 0] })).toThrow(/row 2/);
    expect(() => detectSeparationSync({ ...ok, weights: [1, -1, 1] })).toThrow(/weights: row 2 is -1/);
    expect(() => detectSeparationSync({ ...ok, X: [1, 0, 1, Infinity, 1, 2] })).toThrow(/column "x" row 2/);
    expect(() => detectSeparationSync({ ...ok, weights: [0, 0, 0] })).toThrow(/every row has weight 0/);
  });
  it("shape mismatches are ArgumentErrors", async () => {
    await initSeparation();
    expect(() => detectSeparationSync({ ...ok, n: 4 })).toThrow(ArgumentError);
    expect(() => detectSeparationSync({ ...ok, columnNames: ["a"] })).toThrow(/columnNames/);
    expect(() => detectSeparationSync({ ...ok, weights: [1, 1] })).toThrow(/weights has length 2/);
    expect(() => detectSeparationSync(ok, { tolerance: 0 })).toThrow(/tolerance/);
  });
  it("the empty model is not separated", async () => {
    const res = await detectSeparation({ X: [], n: 3, p: 0, columnNames: [], y: [0, 1, 1] });
    expect(res.separation).toBe(false);
    expect(res.status).toBe("empty");
  });
  it("a design whose every column is zero on the weighted rows is empty, not separated", async () => {
    const res = await detectSeparation({ X: [0, 0, 3], n: 3, p: 1, columnNames: ["x"], y: [0, 1, 1], weights: [1, 1, 0] });
    expect(res.status).toBe("empty");
    expect(res.aliased).toEqual(["x"]);
    expect(res.separation).toBe(false);
  });
  it("an intercept-only model is separated exactly when every outcome is the same", async () => {
    const all1 = await detectSeparation({ X: [1, 1, 1], n: 3, p: 1, columnNames: ["(Intercept)"], y: [1, 1, 1] });
    expect(all1.infinite).toEqual({ "(Intercept)": "+Inf" });
    const all0 = await detectSeparation({ X: [1, 1, 1], n: 3, p: 1, columnNames: ["(Intercept)"], y: [0, 0, 0] });
    expect(all0.infinite).toEqual({ "(Intercept)": "-Inf" });
    const mixed = await detectSeparation({ X: [1, 1, 1], n: 3, p: 1, columnNames: ["(Intercept)"], y: [0, 1, 1] });
    expect(mixed.separation).toBe(false);
    const prop = await detectSeparation({ X: [1], n: 1, p: 1, columnNames: ["(Intercept)"], y: [0.3], weights: [10] });
    expect(prop.separation).toBe(false);
  });
  it("verdicts do not depend on the units of x (column scaling)", async () => {
    // Complete separation x = 1..4, y = 0 0 1 1: intercept −∞, slope +∞, whatever the units.
    for (const unit of [1e-10, 1e-3, 1, 1e4, 1e9]) {
      const X = [1, 1, 1, 2, 1, 3, 1, 4].map((v, k) => (k % 2 === 1 ? v * unit : v));
      const res = await detectSeparation({ X, n: 4, p: 2, columnNames: ["(Intercept)", "x"], y: [0, 0, 1, 1] });
      expect(res.infinite, `unit ${unit}`).toEqual({ "(Intercept)": "-Inf", x: "+Inf" });
      // the direction is reported in the original units: it separates the data as given
      expect(res.direction[0]! + 2 * unit * res.direction[1]!).toBeLessThanOrEqual(1e-9);
      expect(res.direction[0]! + 3 * unit * res.direction[1]!).toBeGreaterThanOrEqual(-1e-9);
    }
    // detectseparation's unscaled LP loses the intercept when x is in tiny units
    const tiny = await detectSeparation(
      { X: [1, 1e-10, 1, 2e-10, 1, 3e-10, 1, 4e-10], n: 4, p: 2, columnNames: ["(Intercept)", "x"], y: [0, 0, 1, 1] },
      { scaleColumns: false },
    );
    expect(tiny.infinite).toEqual({ x: "+Inf" });
  });
  it("a column that is zero on every weighted row is aliased, not left to an arbitrary LP value", async () => {
    const res = await detectSeparation({
      X: [1, 0, 0, 1, 1, 0, 1, 2, 0, 1, 3, 0, 1, 4, 7],
      n: 5, p: 3, columnNames: ["(Intercept)", "x", "z"], y: [0, 1, 0, 1, 1], weights: [1, 1, 1, 1, 0],
    });
    expect(res.aliased).toEqual(["z"]);
    expect(res.separation).toBe(false);
  });
});

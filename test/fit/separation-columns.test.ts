/**
 * The exact column checks of src/separation.ts (detectSeparationByColumns,
 * checkInfiniteEstimates): each direction they report is a direction of recession
 * (checked exactly on the data: margins ≥ 0 on successes, ≤ 0 on failures, = 0 on
 * mixed rows, non-zero somewhere), the LP agrees that the data are separated, and
 * they catch the hardening-issue case (a rare 0/1 column whose 1-rows all have y = 0)
 * and a factor level (reference or not) with one outcome, for binomial and log-link
 * count responses. They never claim separation on data where every factor level has
 * both outcomes.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  checkInfiniteEstimates,
  detectSeparationByColumns,
  detectSeparationSync,
  initSeparation,
  separationResponse,
  type SeparationProblem,
} from "../../src/separation.js";

await initSeparation();
const FC = { seed: 20260301, numRuns: 200 };

/** Exact check that d is a direction of recession: s·(x·d) ≥ 0 per outcome, = 0 on mixed rows, ≠ 0 somewhere. */
function recedes(problem: SeparationProblem, d: ArrayLike<number>): boolean {
  const { X, n, p, y } = problem;
  let strict = false;
  for (let i = 0; i < n; i++) {
    if (problem.weights && !(problem.weights[i]! > 0)) continue;
    let eta = 0;
    for (let j = 0; j < p; j++) eta += X[i * p + j]! * d[j]!;
    if (y[i] === 1 ? eta < 0 : y[i] === 0 ? eta > 0 : eta !== 0) return false;
    if (eta !== 0) strict = true;
  }
  return strict;
}

/** Factor designs: an intercept, dummies of `levels` levels (level 0 the reference), a continuous column, 0/1/mixed outcomes. */
const factorDesign = fc
  .record({
    levels: fc.integer({ min: 2, max: 5 }),
    rows: fc.array(fc.record({ level: fc.nat(4), y: fc.constantFrom(0, 1, 0, 1, 0.5), x: fc.double({ min: -2, max: 2, noNaN: true }) }), { minLength: 4, maxLength: 40 }),
    withX: fc.boolean(),
  })
  .map(({ levels, rows, withX }) => {
    const p = levels + (withX ? 1 : 0);
    const n = rows.length;
    const X = new Float64Array(n * p);
    rows.forEach((r, i) => {
      const l = r.level % levels;
      X[i * p] = 1;
      if (l > 0) X[i * p + l] = 1;
      if (withX) X[i * p + levels] = r.x;
    });
    const columnNames = ["(Intercept)", ...Array.from({ length: levels - 1 }, (_, l) => `g${l + 1}`), ...(withX ? ["x"] : [])];
    return { X, n, p, columnNames, y: rows.map((r) => r.y) } as SeparationProblem;
  });

describe("exact column checks", () => {
  it("the hardening case: a rare 0/1 column whose 1-rows all have y = 0 is −∞, with no LP", () => {
    const n = 2000;
    const p = 3;
    const X = new Float64Array(n * p);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = Math.sin(i * 12.9898) * 2;
      const rare = i % 401 === 7 ? 1 : 0;
      X.set([1, x, rare], i * p);
      y[i] = rare ? 0 : Math.sin(i * 78.233) * 43758.5453 % 1 > -0.2 + 0.3 * x ? 1 : 0;
    }
    const problem: SeparationProblem = { X, n, p, columnNames: ["(Intercept)", "x", "rare"], y };
    const res = detectSeparationByColumns(problem);
    expect(res.separation).toBe(true);
    expect(res.infinite).toEqual({ rare: "-Inf" });
    expect(res.evidence).toEqual(['every row where "rare" is non-zero has y = 0']);
    expect(recedes(problem, res.direction)).toBe(true);
    expect(detectSeparationSync(problem).infinite).toEqual({ rare: "-Inf" });
  });

  it("a reference level whose rows all have y = 1 moves the intercept and every dummy", () => {
    const y = [1, 1, 1, 0, 1, 0, 1, 0, 0];
    const g = [0, 0, 0, 1, 1, 1, 2, 2, 2];
    const X = g.flatMap((l) => [1, l === 1 ? 1 : 0, l === 2 ? 1 : 0]);
    const problem: SeparationProblem = { X, n: 9, p: 3, columnNames: ["(Intercept)", "gb", "gc"], y };
    const res = detectSeparationByColumns(problem);
    expect(res.infinite).toEqual({ "(Intercept)": "+Inf", gb: "-Inf", gc: "-Inf" });
    expect(res.evidence).toEqual(['the 3 rows where "gb", "gc" are all 0 have y = 1']);
    expect(recedes(problem, res.direction)).toBe(true);
    expect(detectSeparationSync(problem, { refine: true }).infinite).toEqual(res.infinite);
  });

  it("every row a failure: the intercept is −∞; a dummy moved both ways by two proven directions is not claimed", () => {
    const X = [1, 0, 1, 0, 1, 1, 1, 1];
    const res = detectSeparationByColumns({ X, n: 4, p: 2, columnNames: ["(Intercept)", "d"], y: [0, 0, 0, 0] });
    expect(res.separation).toBe(true);
    expect(res.infinite).toEqual({ "(Intercept)": "-Inf" });
  });

  it("a signed column: its sign gives the outcome on every non-zero row; zero-weight rows and aliased columns are left out", () => {
    const X = [1, -2, -2, 1, 0, 0, 1, 3, 3, 1, 0, 0, 1, -1, -1];
    const base = { X, n: 5, p: 3, columnNames: ["(Intercept)", "s", "s2"], y: [0, 1, 1, 0, 0] };
    const res = detectSeparationByColumns(base);
    expect(res.infinite).toEqual({ s: "+Inf" }); // s2 = s is aliased
    expect(res.evidence).toEqual(['the sign of "s" gives the outcome on every row where it is non-zero']);
    // a contradicting row with weight 0 does not count; with weight 1 it does
    const X6 = [...X, 1, 5, 5];
    expect(detectSeparationByColumns({ ...base, X: X6, n: 6, y: [...base.y, 0], weights: [1, 1, 1, 1, 1, 0] }).infinite).toEqual({ s: "+Inf" });
    expect(detectSeparationByColumns({ ...base, X: X6, n: 6, y: [...base.y, 0], weights: [1, 1, 1, 1, 1, 1] }).separation).toBe(false);
  });

  it("log-link counts: a factor level whose counts are all 0 (checkInfiniteEstimates, no LP)", () => {
    const y = [0, 0, 0, 3, 1, 4, 2, 5, 1];
    const g = [2, 2, 2, 0, 0, 0, 1, 1, 1];
    const X = g.flatMap((l) => [1, l === 1 ? 1 : 0, l === 2 ? 1 : 0]);
    const problem = { X, n: 9, p: 3, columnNames: ["(Intercept)", "gb", "gc"], y };
    const v = checkInfiniteEstimates(problem, "logCount", { lp: false });
    expect(v).toMatchObject({ detected: true, infinite: { gc: "-Inf" }, coverage: "columns" });
    expect(checkInfiniteEstimates(problem, "logCount", { lp: true })).toMatchObject({ detected: true, infinite: { gc: "-Inf" }, coverage: "lp" });
    expect(Array.from(separationResponse(y, "logCount"))).toEqual([0, 0, 0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    // no zero count at all: nothing can be infinite, exactly
    expect(checkInfiniteEstimates({ ...problem, y: y.map((v) => v + 1) }, "logCount", { lp: false })).toMatchObject({ detected: false, coverage: "lp" });
  });

  it("property: every reported direction recedes exactly, and the LP then finds separation too", () => {
    fc.assert(
      fc.property(factorDesign, (problem) => {
        const res = detectSeparationByColumns(problem);
        if (!res.separation) return Object.keys(res.infinite).length === 0 && res.evidence.length === 0;
        const lp = detectSeparationSync(problem);
        for (const [name, sign] of Object.entries(res.infinite)) {
          const d = res.direction[problem.columnNames.indexOf(name)]!;
          if (Math.sign(d) !== (sign === "+Inf" ? 1 : -1)) return false;
        }
        return recedes(problem, res.direction) && lp.separation;
      }),
      FC,
    );
  });

  it("property: factor designs with both outcomes at every level are never flagged", () => {
    fc.assert(
      fc.property(factorDesign, (problem) => {
        const levels = problem.columnNames.filter((c) => c !== "x").length;
        const p = problem.p;
        const X = Array.from(problem.X);
        const y = Array.from(problem.y);
        for (let l = 0; l < levels; l++) for (const yy of [0, 1]) {
          const row = new Array<number>(p).fill(0);
          row[0] = 1;
          if (l > 0) row[l] = 1;
          X.push(...row);
          y.push(yy);
        }
        const withBoth = { ...problem, X, y, n: problem.n + 2 * levels };
        // a continuous x may still separate on its own; without x nothing can
        return p !== levels || !detectSeparationByColumns(withBoth).separation;
      }),
      FC,
    );
  });
});

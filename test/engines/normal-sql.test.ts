/**
 * The normal distribution in SQL (src/sql/normal-sql.ts: Cody's Φ, R's φ, AS 241's Φ⁻¹),
 * evaluated by DuckDB against the in-memory functions (stdlib's Φ, rmath.ts's φ and Φ⁻¹)
 * on a grid across every range of each approximation, the tails included.
 */
import { describe, it, expect } from "vitest";
import pnorm from "@stdlib/stats-base-dists-normal-cdf";
import { dnormStd, qnormStd } from "../../src/families/rmath.js";
import { duckdbDialect, sparkDialect } from "../../src/sql/dialect.js";
import { sqlMath } from "../../src/sql/family-sql.js";
import { normalSql } from "../../src/sql/normal-sql.js";

const m = sqlMath(duckdbDialect);
const nm = normalSql(m.num, m.ln, duckdbDialect.isNan);

async function evaluate(xs: number[], f: (x: string) => string): Promise<number[]> {
  const { DuckdbRunner } = await import("../../src/engines/duckdb/driver.js");
  const r = await DuckdbRunner.open({ threads: 1 });
  try {
    const rows = await r.rows(`SELECT i, ${f("x")} AS v FROM (SELECT unnest(range(${xs.length})) AS i, unnest([${xs.map((x) => m.num(x)).join(", ")}]) AS x) ORDER BY i`);
    return rows.map((row) => Number(row.v));
  } finally {
    r.close();
  }
}

/** Relative difference, the absolute one below `floor`. */
const rel = (a: number, b: number, floor = 1e-300): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), floor));

describe("normal distribution in SQL", () => {
  // Each of Cody's three ranges (|x| ≤ 0.674, ≤ √32, beyond) on both sides, and the probit clamp ±8.1259.
  const xs = [0, 1e-300, -1e-20, 0.1, -0.3, 0.67448975, -0.674490, 0.7, 1, -1.5, 2.5, -3, 4, -5.5, 5.65685, -5.66, 6, -7, 8.125890664701906, -8.125890664701906, -12, 20, -37, 0.5 + 1 / 3];
  it("Φ(x) equals the in-memory Φ to 1e-14 relative, tails included", async () => {
    const got = await evaluate(xs, nm.pnorm);
    // Beyond the probit clamp (|x| > 8.13, never reached by a fit) stdlib's erfc-based Φ is the less accurate one
    // (R's pnorm(-12) = 1.776482112077679e-33 is the SQL value; stdlib gives …702e-33): 1e-13 there.
    xs.forEach((x, i) => expect(rel(got[i]!, pnorm(x, 0, 1)), `Φ(${x}) = ${got[i]} vs ${pnorm(x, 0, 1)}`).toBeLessThan(Math.abs(x) <= 8.2 ? 1e-14 : 1e-13));
  });
  it("φ(x) equals R's dnorm (rmath.ts) to 1e-14 relative", async () => {
    const ys = [...xs, 38, 39, 40];
    const got = await evaluate(ys, nm.dnorm);
    ys.forEach((x, i) => expect(rel(got[i]!, dnormStd(x)), `φ(${x})`).toBeLessThan(1e-14));
  });
  it("Φ⁻¹(p) equals AS 241 (rmath.ts) to 1e-14 relative, with −∞, +∞ and NaN at the ends", async () => {
    const ps = [0.5, 0.25, 0.75, 0.075, 0.925, 0.4, 1e-3, 1 - 1e-3, 1e-10, 1e-300, 2.220446049250313e-16, 1 - 2.220446049250313e-16, 0.3 / 0.7];
    const got = await evaluate([...ps, 0, 1, -0.1, 1.5], nm.qnorm);
    ps.forEach((p, i) => expect(rel(got[i]!, qnormStd(p)), `Φ⁻¹(${p})`).toBeLessThan(1e-14));
    expect(got.slice(ps.length, ps.length + 2)).toEqual([-Infinity, Infinity]);
    expect(got.slice(ps.length + 2).every(Number.isNaN)).toBe(true);
  });
  it("writes Spark's literals and NaN test in the Spark dialect", () => {
    const sm = sqlMath(sparkDialect);
    const text = normalSql(sm.num, sm.ln, sparkDialect.isNan).qnorm("p") + normalSql(sm.num, sm.ln, sparkDialect.isNan).pnorm("x");
    expect(text).not.toMatch(/::DOUBLE|trunc\(/);
    expect(text).toMatch(/0\.5D/);
  });
});

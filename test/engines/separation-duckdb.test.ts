/**
 * The separation check of the DuckDB engine: the LP on the distinct design rows when they
 * are at most 100 000 (the in-memory engine's verdict, also for separation by a combination
 * of columns, which no single-column check finds), the exact column checks beyond.
 */
import { describe, it, expect } from "vitest";
import { glm } from "../../models/glm.js";
import { fitDuckdb } from "../../models/duckdb.js";

describe("DuckDB engine: separation", () => {
  it("finds separation by intercept and slope together (y = 1 exactly when x > 3.5) with the LP, as the in-memory fit", async () => {
    // 40 rows on 8 distinct x values: y = 1{x > 3.5}; neither column alone separates.
    const xs = Array.from({ length: 40 }, (_, i) => (i % 8) + 0.5 * Math.floor(i / 20));
    const ys = xs.map((x) => (x > 3.5 ? 1 : 0));
    const query = `SELECT * FROM (VALUES ${xs.map((x, i) => `(${ys[i]}, ${x})`).join(", ")}) AS t(y, x)`;
    const spec = { formula: "y ~ x", family: "binomial" };
    const mem = glm({ ...spec, data: { y: ys, x: xs } }).fit();
    const fit = await fitDuckdb({ ...spec, data: { duckdb: query } });
    const sep = fit.toJSON().separation!;
    expect(sep.coverage).toBe("lp");
    expect(sep.detected).toBe(true);
    expect(mem.separation?.detected).toBe(true);
    expect(sep.infinite).toEqual(mem.separation!.infinite);
    expect(Object.keys(sep.infinite).sort()).toEqual(["(Intercept)", "x"]);
    expect(fit.warnings.some((w) => /separation detected/.test(w))).toBe(true);
  });
  it("keeps to the exact column checks when the distinct design rows exceed 100 000", async () => {
    const query = "SELECT (CASE WHEN hash(i) % 3 = 0 THEN 1 ELSE 0 END) AS y, i / 1000.0 AS x FROM range(120000) t(i)";
    const fit = await fitDuckdb({ formula: "y ~ x", family: "binomial", data: { duckdb: query } });
    const sep = fit.toJSON().separation!;
    expect(sep.coverage).toBe("columns");
    expect(sep.detected).toBe(false);
    expect(fit.converged).toBe(true);
  });
});

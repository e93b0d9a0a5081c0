/**
 * The SQL dialect layer: DuckDB is the engine that runs (the other tests in this
 * folder); the Spark SQL text of one logistic fit is checked against committed golden
 * files (test/engines/golden/*.sql; regenerate with GLMKIT_UPDATE_GOLDEN=1 after a
 * deliberate change and review the diff), and both dialects against their rules.
 */
import { describe, it, expect } from "vitest";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { exampleQueries, duckdbDialect } from "./spark-queries.js";
import { sparkDialect, sourceOf, sqlDialect, stirlingLgamma } from "../../src/sql/dialect.js";
import { ArgumentError } from "../../src/errors.js";

describe("Spark SQL dialect: golden query text", () => {
  const queries = exampleQueries();
  for (const [name, sql] of Object.entries(queries)) {
    it(`${name} query`, () => {
      const path = `test/engines/golden/spark-${name}.sql`;
      if (process.env.GLMKIT_UPDATE_GOLDEN === "1") writeFileSync(path, sql + "\n");
      expect(existsSync(path), `${path} is committed`).toBe(true);
      expect(sql + "\n").toBe(readFileSync(path, "utf8"));
    });
  }
  it("uses Spark's quoting and literals, never DuckDB's", () => {
    const all = Object.values(queries).join("\n");
    expect(all).not.toMatch(/::DOUBLE|read_parquet|"low"|round_even/);
    expect(all).toMatch(/`low`/);
    expect(all).toMatch(/parquet\.`\/data\/birthwt\.parquet`/);
    expect(all).toMatch(/\b0\.5D\b/);
  });
  it("the DuckDB text of the same fit differs only by dialect", () => {
    const d = exampleQueries(duckdbDialect);
    expect(d.iteration).toMatch(/read_parquet\('\/data\/birthwt\.parquet'\)/);
    expect(d.iteration).toMatch(/"low"/);
    expect(d.iteration.replace(/\s+/g, " ").length).toBeGreaterThan(1000);
  });
});

describe("dialect records", () => {
  it("number literals read back exactly", () => {
    for (const x of [0.1, 1 / 3, -2.5e-300, 1e21, 123456789.123456789]) {
      const lit = sparkDialect.num(x).replace(/[()D]/g, "");
      expect(Number(lit)).toBe(x);
    }
    expect(duckdbDialect.num(NaN)).toBe("'NaN'::DOUBLE");
    expect(sparkDialect.num(-Infinity)).toBe("CAST('-Infinity' AS DOUBLE)");
  });
  it("quotes identifiers and strings", () => {
    expect(duckdbDialect.ident('a"b')).toBe('"a""b"');
    expect(sparkDialect.ident("a`b")).toBe("`a``b`");
    expect(duckdbDialect.str("it's")).toBe("'it''s'");
    expect(sparkDialect.str("it's")).toBe("'it\\'s'");
  });
  it("names sources by their form", () => {
    expect(sourceOf("x/y.parquet")).toEqual({ kind: "parquet", path: "x/y.parquet" });
    expect(sourceOf("d.csv")).toEqual({ kind: "csv", path: "d.csv" });
    expect(sourceOf("SELECT * FROM t")).toEqual({ kind: "query", sql: "SELECT * FROM t" });
    expect(() => sourceOf("table.xlsx")).toThrow(ArgumentError);
    expect(() => sqlDialect("oracle")).toThrow(/unknown SQL dialect "oracle"/);
  });
  it("Spark's lgamma (Stirling's series, no built-in) agrees with DuckDB's lgamma to 1e-13", async () => {
    const { DuckdbRunner } = await import("../../src/engines/duckdb/driver.js");
    const r = await DuckdbRunner.open();
    try {
      const xs = [1, 1.5, 2, 3, 7.25, 11, 50, 1e4];
      const expr = stirlingLgamma("x", (v) => `${v}::DOUBLE`);
      const rows = await r.rows(`SELECT x, lgamma(x) AS ref, ${expr} AS st FROM (SELECT unnest([${xs.join(", ")}]::DOUBLE[]) AS x)`);
      expect(rows.length).toBe(xs.length);
      for (const row of rows) expect(Math.abs(Number(row.st) - Number(row.ref))).toBeLessThan(1e-13 * Math.max(1, Math.abs(Number(row.ref))));
    } finally {
      r.close();
    }
  });
});

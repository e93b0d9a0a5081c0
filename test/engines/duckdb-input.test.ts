/** The DuckDB engine on data given as a query: na.omit counting, factor levels, and typed errors for bad input. */
import { describe, it, expect } from "vitest";
import { glm } from "../../models/glm.js";
import { fitDuckdb } from "../../models/duckdb.js";
import { ArgumentError, DataError } from "../../src/errors.js";

const ROWS: Array<[number | null, number | null, string | null]> = [
  [1, 0.5, "b"], [0, 1.5, "a"], [1, null, "c"], [0, 2.5, "b"], [1, 3.0, null], [0, -1.0, "a"], [1, 0.2, "c"],
  [0, 1.1, "b"], [1, 2.2, "a"], [0, -0.3, "c"], [1, 1.7, "b"], [0, 0.9, "a"],
];
const sqlValue = (v: number | string | null) => (v === null ? "NULL" : typeof v === "string" ? `'${v}'` : String(v));
const QUERY = `SELECT * FROM (VALUES ${ROWS.map((r) => `(${r.map(sqlValue).join(", ")})`).join(", ")}) AS t(y, x, g)`;
const COLUMNS = { y: ROWS.map((r) => r[0]), x: ROWS.map((r) => r[1]), g: ROWS.map((r) => r[2]) };

describe("DuckDB engine input", () => {
  it("drops and counts rows with a missing value as na.omit does, with the in-memory fit's numbers", async () => {
    const spec = { formula: "y ~ x + g", family: "binomial" };
    const mem = glm({ ...spec, data: COLUMNS }).fit();
    const sql = await glm({ ...spec, data: { duckdb: QUERY } }).fitAsync();
    expect(sql.toJSON().na_dropped).toBe(2);
    expect(sql.toJSON().na_dropped).toBe(mem.toJSON().na_dropped);
    expect(sql.warnings[0]).toBe("2 observations deleted due to missingness");
    expect(sql.coefficients.map((c) => c.name)).toEqual(["(Intercept)", "x", "gb", "gc"]);
    sql.coefficients.forEach((c, j) => expect(Math.abs(c.estimate! - mem.coefficients[j]!.estimate!)).toBeLessThan(1e-10 * Math.max(1, mem.coefficients[j]!.se!)));
    expect(Math.abs(sql.deviance - mem.deviance)).toBeLessThan(1e-10 * mem.deviance);
  });
  it("a response outside the family's support is a DataError naming the column", async () => {
    const err = await fitDuckdb({ formula: "x ~ y", family: "poisson", data: { duckdb: QUERY } }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(/y must be >= 0 for the poisson family; 2 row\(s\) of x are not/);
  });
  it("a term without a SQL translation is refused, naming it", async () => {
    const err = await fitDuckdb({ formula: "y ~ poly(x, 2)", family: "binomial", data: { duckdb: QUERY } }).then(() => null, (e: unknown) => e);
    expect((err as Error).message).toMatch(/poly\(x, 2\) has no SQL translation/);
  });
  it("the synchronous methods say to use fitAsync, and an unreadable source is a DataError", async () => {
    const model = glm({ formula: "y ~ x", family: "binomial", data: { duckdb: QUERY } });
    expect(() => model.fit()).toThrow(ArgumentError);
    expect(() => model.fit()).toThrow(/fitAsync/);
    const err = await fitDuckdb({ formula: "y ~ x", data: { duckdb: "no/such/file.parquet" } }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(/DuckDB cannot read the parquet file no\/such\/file\.parquet/);
  });
});

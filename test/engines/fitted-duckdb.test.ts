/** fitAsync({ fittedTo }): DuckDB writes the fitted values and R's four residuals of every model-frame row, equal to the in-memory fit's. */
import { describe, it, expect } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { glm } from "../../models/glm.js";
import { readCsv } from "../../src/data/index.js";
import { fitDuckdb } from "../../models/duckdb.js";
import { DataError } from "../../src/errors.js";

const CASES = [
  { data: "data/birthwt.csv", formula: "low ~ age + lwt + race + smoke", family: "binomial" },
  { data: "data/esoph.csv", formula: "cbind(ncases, ncontrols) ~ agegp + alcgp", family: "binomial" },
  { data: "data/quine.csv", formula: "Days ~ Eth + Sex + Age + Lrn", family: "negative_binomial" },
  { data: "data/Insurance.csv", formula: "Claims ~ factor(District) + Age + offset(log(Holders))", family: "poisson" },
];

describe("fitted values and residuals written by DuckDB", () => {
  for (const c of CASES) {
    it(`${c.family} ${c.formula}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "glmkit-fitted-"));
      try {
        const out = join(dir, "fitted.parquet");
        const mem = glm({ formula: c.formula, data: readCsv(c.data), family: c.family }).fit();
        await fitDuckdb({ formula: c.formula, data: { duckdb: c.data }, family: c.family }, { fittedTo: out });
        const { DuckdbRunner } = await import("../../src/engines/duckdb/driver.js");
        const r = await DuckdbRunner.open({ threads: 1 });
        const rows = await r.rows(`SELECT * FROM read_parquet('${out}')`);
        r.close();
        expect(rows.length).toBe(mem.fitted.length);
        const check = (col: string, expected: Float64Array) => rows.forEach((row, i) => {
          const scale = Math.max(1, Math.abs(expected[i]!));
          expect(Math.abs(Number(row[col]) - expected[i]!), `${col}[${i}]`).toBeLessThan(1e-10 * scale);
        });
        check("mu", mem.fitted);
        for (const t of ["response", "working", "pearson", "deviance"] as const) check(`resid_${t}`, mem.residuals(t));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
  it("a path DuckDB cannot write is a DataError naming it", async () => {
    const err = await fitDuckdb({ formula: "low ~ age", data: { duckdb: "data/birthwt.csv" }, family: "binomial" }, { fittedTo: "/nonexistent-dir/x.parquet" }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(/cannot write the fitted values to \/nonexistent-dir\/x\.parquet/);
  });
});

/**
 * Child process of the DuckDB benchmark: one fit, measured alone (time and the peak
 * RSS of the process, DuckDB's native memory included). Arguments: mode (duckdb |
 * memory | csv) path p. Prints one JSON report.
 */
import { fitDuckdb } from "../models/duckdb.js";
import { glm } from "../models/glm.js";
import { readCsv } from "../src/data/index.js";

const [mode, path, pText, aggregate] = process.argv.slice(2) as [string, string, string, "sql" | "stream" | undefined];
const p = Number(pText);
const formula = mode === "csv" ? "y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + g" : `y ~ ${Array.from({ length: p - 1 }, (_, j) => `x${j + 1}`).join(" + ")}`;
const baselineMiB = process.resourceUsage().maxRSS / 1024;

async function loadColumns(): Promise<Record<string, Float64Array>> {
  // The in-memory engine's data: the Parquet columns read into Float64Arrays (not timed).
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const inst = await DuckDBInstance.create(":memory:");
  const conn = await inst.connect();
  const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
  const names = reader.columnNames();
  const out: Record<string, Float64Array> = {};
  names.forEach((nm, j) => { out[nm] = Float64Array.from(reader.getColumnsJS()[j] as number[]); });
  conn.closeSync();
  inst.closeSync();
  return out;
}

let report: Record<string, unknown>;
if (mode === "duckdb") {
  const t0 = process.hrtime.bigint();
  const fit = await fitDuckdb({ formula, data: { duckdb: path }, family: "binomial" }, { aggregate: aggregate ?? "stream",
    onIteration: (r) => process.stderr.write(`  duckdb: iteration ${r.iteration}, deviance ${r.deviance.toPrecision(12)} (${r.seconds.toFixed(1)} s)\n`),
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  report = { seconds, iterations: fit.iterations, deviance: fit.deviance, queries: fit.ml.queries };
} else if (mode === "memory") {
  const data = await loadColumns();
  const t0 = process.hrtime.bigint();
  const fit = glm({ formula, data, family: "binomial" }).fit();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  report = { seconds, iterations: fit.iterations, deviance: fit.deviance };
} else {
  const t0 = process.hrtime.bigint();
  const data = readCsv(path);
  const read = Number(process.hrtime.bigint() - t0) / 1e9;
  const fit = glm({ formula, data, family: "binomial" }).fit();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  report = { seconds, read, iterations: fit.iterations, deviance: fit.deviance };
}
// CPU seconds of the whole process (DuckDB's threads included): the cost of the fit, less sensitive than wall time to a shared machine's load.
const cpu = process.cpuUsage();
process.stdout.write(JSON.stringify({ ...report, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024, baselineMiB }));

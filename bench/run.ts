/**
 * `npm run bench -- [NAME] [--n N] [--p P] [--reps R]`: runs the named benchmark (logistic, nuts, profile, duckdb)
 * (default: all). Speed targets live here, never in unit tests.
 */
import { parseArgs } from "node:util";
import { runLogisticBench } from "./logistic-irls.js";
import { runNutsBench } from "./nuts-logistic.js";
import { runProfileBench } from "./profile-budget.js";
import { runDuckdbBench } from "./duckdb.js";

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: { n: { type: "string" }, p: { type: "string" }, reps: { type: "string" }, seed: { type: "string" } },
});
const which = positionals[0] ?? "all";
if (which === "all" || which === "logistic") {
  runLogisticBench({
    n: Number(values.n ?? 1_000_000),
    p: Number(values.p ?? 20),
    reps: Number(values.reps ?? 3),
    seed: Number(values.seed ?? 20261124),
  });
}
if (which === "all" || which === "nuts") {
  await runNutsBench({
    n: Number(values.n ?? 10_000),
    p: Number(values.p ?? 20),
    seed: Number(values.seed ?? 20261124),
  });
}
if (which === "all" || which === "profile") {
  runProfileBench({
    n: Number(values.n ?? 2000),
    p: Number(values.p ?? 300),
    seed: Number(values.seed ?? 20261124),
  });
}
if (which === "duckdb") {
  // Not part of "all": it writes up to several GB of Parquet and CSV to the temporary folder.
  await runDuckdbBench({
    ns: (values.n ?? "1000000,10000000").split(",").map(Number),
    p: Number(values.p ?? 20),
  });
}

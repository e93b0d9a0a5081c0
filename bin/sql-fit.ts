/**
 * `glmkit fit DATA --engine duckdb`: the fit computed in an embedded DuckDB
 * (models/duckdb.ts), for data beyond memory. The default for a Parquet file (and
 * a CSV file above SQL_ENGINE_BYTES); `--engine memory` forces the in-memory path.
 * Progress, one line per IRLS iteration, goes to stderr.
 */
import { statSync } from "node:fs";
import { formatSummary } from "../src/format/summary.js";
import { UsageError, numberFlag } from "./validate-options.js";
import { checkPriorFlags } from "./prior-flags.js";

/** A CSV file at least this large is fitted by DuckDB unless --engine memory is given. */
export const SQL_ENGINE_BYTES = 1 << 30;

/** The flags the DuckDB engine takes; any other flag given with it is a usage error. */
const SQL_FLAGS = new Set(["formula", "family", "link", "weights", "offset", "theta", "method", "prior", "prior-intercept", "prior-intercept-on", "maxit", "epsilon", "intervals", "level", "json", "engine", "help"]);

type Values = Record<string, unknown> & { engine?: string; formula?: string; json?: boolean };

/** Which engine fits `path`: the flag's, else DuckDB for Parquet and very large CSV files. */
export function chooseEngine(values: Values, path: string): "memory" | "duckdb" {
  const e = values.engine;
  if (e !== undefined && e !== "memory" && e !== "duckdb") throw new UsageError(`unknown --engine "${e}"; valid: memory, duckdb`);
  if (e === "memory") {
    if (/\.parquet$/i.test(path)) throw new UsageError("--engine memory reads CSV files; a Parquet file is fitted by --engine duckdb");
    return "memory";
  }
  if (e === "duckdb") return "duckdb";
  if (/\.parquet$/i.test(path)) return "duckdb";
  if (path !== "-") {
    try { if (statSync(path).size >= SQL_ENGINE_BYTES) return "duckdb"; } catch { /* a missing file is reported by the reader */ }
  }
  return "memory";
}

/** Fits by DuckDB and returns the JSON record and the text of the CLI. */
export async function runSqlFit(values: Values, path: string): Promise<{ json: Record<string, unknown>; text: string }> {
  if (path === "-") throw new UsageError("--engine duckdb reads a file (Parquet or CSV), not standard input");
  for (const [k, v] of Object.entries(values)) if (v !== undefined && !SQL_FLAGS.has(k)) throw new UsageError(`--${k} is not supported by --engine duckdb (it takes ${[...SQL_FLAGS].filter((f) => f !== "help" && f !== "engine").map((f) => `--${f}`).join(", ")})`);
  const method = (values.method as string | undefined) ?? "mle";
  if (method !== "mle" && method !== "laplace") throw new UsageError(`--engine duckdb fits --method mle or laplace, not ${method}`);
  const intervals = values.intervals === undefined ? [] : String(values.intervals).split(",").map((s) => s.trim()).filter((s) => s !== "");
  for (const iv of intervals) if (!(method === "laplace" ? ["laplace"] : ["wald"]).includes(iv)) throw new UsageError(`--engine duckdb with --method ${method} gives --intervals ${method === "laplace" ? "laplace" : "wald"} only, not ${iv}`);
  checkPriorFlags(values as Parameters<typeof checkPriorFlags>[0], method);
  const level = numberFlag("level", values.level as string | undefined) ?? 0.95;
  if (!(level > 0 && level < 1)) throw new UsageError(`--level must be in (0, 1), got ${level}`);
  const { glm } = await import("../models/glm.js");
  const model = glm({
    formula: values.formula, data: { duckdb: path }, family: (values.family as string | undefined) ?? "gaussian", link: values.link as string | undefined,
    weights: values.weights as string | undefined, offset: values.offset as string | undefined, theta: numberFlag("theta", values.theta as string | undefined),
    priors: {
      coefficients: values.prior as string | undefined, intercept: values["prior-intercept"] as string | undefined,
      ...(values["prior-intercept-on"] !== undefined ? { interceptOn: values["prior-intercept-on"] as "raw" | "centered" } : {}),
    },
  });
  const onIteration = (r: { iteration: number; deviance: number; seconds: number }) =>
    process.stderr.write(`duckdb: iteration ${r.iteration}  deviance ${r.deviance.toPrecision(10)}  (${r.seconds.toFixed(1)} s)\n`);
  const maxit = numberFlag("maxit", values.maxit as string | undefined);
  const epsilon = numberFlag("epsilon", values.epsilon as string | undefined);
  const fit = method === "laplace" ? await model.laplaceAsync({ maxit, onIteration }) : await model.fitAsync({ maxit, epsilon, onIteration });
  const json = fit.toJSON() as unknown as Record<string, unknown>;
  if (intervals.length > 0) {
    const { default: qnorm } = await import("@stdlib/stats-base-dists-normal-quantile");
    const z = qnorm((1 + level) / 2, 0, 1);
    const rows = fit.coefficients.filter((c) => !c.aliased).map((c) => ({ name: c.name, lower: c.estimate! - z * c.se!, upper: c.estimate! + z * c.se! }));
    json.intervals = { [intervals[0]!]: rows };
  }
  const text = formatSummary(json as never, new Float64Array(0));
  return { json, text: `${text}\nEngine: duckdb (${json.queries} queries)` };
}

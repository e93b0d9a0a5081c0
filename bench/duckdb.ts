/**
 * Benchmark: logistic regression, p = 20 (intercept + 19 standard-normal columns,
 * β_j = sin j), n = 10⁶ and 10⁷ rows in a Parquet file the benchmark writes (in the
 * system's temporary folder, deleted afterwards), fitted by the DuckDB engine (IRLS
 * by SQL aggregates), by the in-memory engine (10⁶ only: the columns read into
 * memory first) and by R's glm (data.table::fread of the same data as CSV, then glm)
 * when Rscript is present; each fit in its own process, so that its peak RSS is its
 * own. n = 10⁸ is extrapolated from 10⁶ and 10⁷ with the measured slope. Also the
 * 10⁶-row, 63 MB CSV read-and-fit of the in-memory engine (the issue's example:
 * 8 numeric columns and a 5-level factor).
 *
 *   npm run bench -- duckdb [--n 1000000,10000000] [--r-max-n 1000000]
 */
import { spawnSync } from "node:child_process";
import { availableParallelism, freemem, loadavg, tmpdir } from "node:os";
import { mkdtempSync, rmSync, statfsSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";

export interface DuckdbBenchOptions { ns: number[]; p: number; /** R's glm only up to this n (R needs ~16 GB at 10⁷). */ rMaxN?: number }

/** A deterministic uniform in (0, 1) from row i and stream k (SQL over DuckDB's hash). */
const uniform = (k: number): string => `((hash(i * 1000 + ${k}) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`;
const normal = (k: number): string => `sqrt(-2 * ln(${uniform(2 * k + 1)})) * cos(2 * pi() * ${uniform(2 * k + 2)})`;

async function writeData(n: number, p: number, path: string, csv: boolean): Promise<number> {
  const inst = await DuckDBInstance.create(":memory:");
  const c = await inst.connect();
  const t0 = Date.now();
  const cols = Array.from({ length: p - 1 }, (_, j) => `${normal(j)} AS x${j + 1}`);
  const eta = ["-0.5", ...Array.from({ length: p - 1 }, (_, j) => `${Math.sin(j + 1)} * x${j + 1}`)].join(" + ");
  await c.run(`COPY (SELECT (CASE WHEN ${uniform(0)} < 1 / (1 + exp(-(${eta}))) THEN 1 ELSE 0 END) AS y, * EXCLUDE (i) FROM (SELECT i, ${cols.join(", ")} FROM range(${n}) t(i))) TO '${path}' ${csv ? "(HEADER)" : "(FORMAT parquet)"}`);
  c.closeSync();
  inst.closeSync();
  return (Date.now() - t0) / 1000;
}

async function writeIssueCsv(path: string): Promise<void> {
  const inst = await DuckDBInstance.create(":memory:");
  const c = await inst.connect();
  const cols = Array.from({ length: 8 }, (_, j) => `round(${normal(j)}, 4) AS x${j + 1}`);
  await c.run(`COPY (SELECT (CASE WHEN ${uniform(0)} < 1 / (1 + exp(-(-0.5 + 0.8 * x1 - 0.5 * x2 + 0.3 * x3 + (CASE g WHEN 'b' THEN 0.4 WHEN 'c' THEN -0.3 ELSE 0 END)))) THEN 1 ELSE 0 END) AS y, * EXCLUDE (i) FROM (SELECT i, ${cols.join(", ")}, ['a', 'b', 'c', 'd', 'e'][1 + (hash(i * 1000 + 999) % 5)::INTEGER] AS g FROM range(1000000) t(i))) TO '${path}' (HEADER)`);
  c.closeSync();
  inst.closeSync();
}

interface Child { seconds: number; cpuSeconds: number; read?: number; iterations: number; deviance: number; maxRssMiB: number; queries?: number }

function child(mode: string, path: string, p: number, aggregate = "stream"): Child {
  const script = fileURLToPath(new URL("./duckdb-child.js", import.meta.url));
  const r = spawnSync(process.execPath, [script, mode, path, String(p), aggregate], { encoding: "utf8", maxBuffer: 1 << 24, stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error(`benchmark child (${mode}) failed with status ${r.status}`);
  return JSON.parse(r.stdout) as Child;
}

function rGlm(csv: string, formula: string): { read: number; fit: number; deviance: number; iter: number; maxMiB: number } | null {
  if (spawnSync("Rscript", ["--version"]).error) return null;
  const script = `
    suppressMessages(library(data.table))
    t0 <- proc.time()[["elapsed"]]; d <- fread("${csv}", showProgress = FALSE); t1 <- proc.time()[["elapsed"]]
    f <- glm(${formula}, family = binomial, data = d); t2 <- proc.time()[["elapsed"]]
    g <- gc(); cat(sprintf("%.3f %.3f %.17g %d %.1f\\n", t1 - t0, t2 - t1, f$deviance, f$iter, sum(g[, ncol(g)])))`;
  const out = spawnSync("Rscript", ["-e", script], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (out.status !== 0) { process.stderr.write(`R failed: ${out.stderr}\n`); return null; }
  const [read, fit, deviance, iter, maxMiB] = out.stdout.trim().split(/\s+/).map(Number) as [number, number, number, number, number];
  return { read, fit, deviance, iter, maxMiB };
}

const mib = (x: number): string => `${x.toFixed(0)} MiB`;

export async function runDuckdbBench(o: DuckdbBenchOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "glmkit-duckdb-bench-"));
  try {
    const free = (): number => { const s = statfsSync(dir); return s.bavail * s.bsize; };
    const formula = `y ~ ${Array.from({ length: o.p - 1 }, (_, j) => `x${j + 1}`).join(" + ")}`;
    const perRow: Array<{ n: number; seconds: number; rss: number }> = [];
    for (const n of o.ns) {
      const need = n * o.p * 8 * 3.5; // Parquet (~1×) and the CSV for R (~2.4×) of n·p doubles
      if (free() < need) { console.log(`n = ${n}: skipped, ${(free() / 2 ** 30).toFixed(1)} GiB free in ${dir}, ${(need / 2 ** 30).toFixed(1)} GiB needed`); continue; }
      const parquet = join(dir, `d${n}.parquet`);
      const gen = await writeData(n, o.p, parquet, false);
      console.log(`logistic, p = ${o.p}, n = ${n}: Parquet ${mib(statSync(parquet).size / 2 ** 20)} written in ${gen.toFixed(1)} s (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`);
      const d = child("duckdb", parquet, o.p);
      perRow.push({ n, seconds: d.seconds, rss: d.maxRssMiB });
      console.log(`  glmkit --engine duckdb (aggregate "stream", the default): ${d.seconds.toFixed(1)} s per fit, ${d.cpuSeconds.toFixed(1)} CPU-s (${d.iterations} iterations, ${d.queries} queries, deviance ${d.deviance.toPrecision(12)}), peak RSS ${mib(d.maxRssMiB)}`);
      if (n <= 1_000_000) {
        const s = child("duckdb", parquet, o.p, "sql");
        console.log(`  glmkit --engine duckdb (aggregate "sql", one SUM query per iteration): ${s.seconds.toFixed(1)} s per fit, ${s.cpuSeconds.toFixed(1)} CPU-s (${s.iterations} iterations, deviance ${s.deviance.toPrecision(12)}), peak RSS ${mib(s.maxRssMiB)}`);
        const m = child("memory", parquet, o.p);
        console.log(`  glmkit in memory:       ${m.seconds.toFixed(1)} s per fit, ${m.cpuSeconds.toFixed(1)} CPU-s incl. loading (${m.iterations} iterations, deviance ${m.deviance.toPrecision(12)}), peak RSS ${mib(m.maxRssMiB)} (data included)`);
      }
      // R needs the data in memory several times over (glm's model frame, model matrix, QR): skip when the machine lacks it.
      const rNeed = n * o.p * 8 * 8;
      if (o.rMaxN !== undefined && n > o.rMaxN) {
        console.log(`  R glm: skipped (--r-max-n ${o.rMaxN})`);
      } else if (freemem() > rNeed) {
        const csv = join(dir, `d${n}.csv`);
        const inst = await DuckDBInstance.create(":memory:");
        const c = await inst.connect();
        await c.run(`COPY (SELECT * FROM read_parquet('${parquet}')) TO '${csv}' (HEADER)`);
        c.closeSync(); inst.closeSync();
        const r = rGlm(csv, formula);
        rmSync(csv, { force: true });
        if (r) console.log(`  R glm:                  ${r.fit.toFixed(1)} s per fit (${r.iter} iterations, deviance ${r.deviance.toPrecision(12)}; fread ${r.read.toFixed(1)} s), R's gc max used ${mib(r.maxMiB)}; R / duckdb = ${(r.fit / d.seconds).toFixed(2)}×`);
        else console.log("  R glm: Rscript (with data.table) not available");
      } else {
        console.log(`  R glm: skipped (${(freemem() / 2 ** 30).toFixed(1)} GiB free memory, ~${(rNeed / 2 ** 30).toFixed(1)} GiB needed)`);
      }
      rmSync(parquet, { force: true });
    }
    if (perRow.length >= 2) {
      const [a, b] = [perRow[0]!, perRow[perRow.length - 1]!];
      const slope = (b.seconds - a.seconds) / (b.n - a.n);
      const n8 = 1e8;
      console.log(`  n = 10^8 (extrapolated with the measured slope ${(slope * 1e6).toFixed(2)} s per 10^6 rows): ~${(b.seconds + slope * (n8 - b.n)).toFixed(0)} s per fit; peak RSS stays ~${mib(b.rss)} (JS memory independent of n)`);
    }
    const csv = join(dir, "issue.csv");
    await writeIssueCsv(csv);
    const c = child("csv", csv, 0);
    console.log(`10^6-row CSV (${mib(statSync(csv).size / 2 ** 20)}, 8 numeric columns and a factor), in-memory engine: read ${c.read!.toFixed(1)} s + fit ${(c.seconds - c.read!).toFixed(1)} s = ${c.seconds.toFixed(1)} s, peak RSS ${mib(c.maxRssMiB)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

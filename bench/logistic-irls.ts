/**
 * Benchmark: logistic regression by IRLS, n = 10^6 rows, p = 20 numeric
 * predictors (intercept + 19 standard-normal columns, β_j = sin j), fitted from a
 * Float64Array design. The fit runs in a child process so that its peak memory
 * (maxRSS) is measured alone; when Rscript is on the PATH, R's glm.fit is timed
 * on the same data (written to disk by the child) in the same run, and the
 * ratio printed. The design lives on a SharedArrayBuffer, which lets IRLS split
 * XᵀWX over the machine's cores.
 *
 *   npm run bench -- logistic [--n 1000000] [--p 20] [--reps 3]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "../samplers/diagnostics/basic.js";

export interface LogisticBenchOptions {
  n: number;
  p: number;
  reps: number;
  seed: number;
}

interface ChildReport {
  seconds: number[];
  iterations: number;
  deviance: number;
  maxRssMiB: number;
  baselineMiB: number;
  designMiB: number;
}

function rTiming(dir: string, n: number, p: number, reps: number): { seconds: number[]; deviance: number; iter: number } | null {
  const which = spawnSync("Rscript", ["--version"], { encoding: "utf8" });
  if (which.error) return null;
  const script = `
    n <- ${n}; p <- ${p}
    X <- matrix(readBin("${join(dir, "X.bin")}", "double", n * p, endian = "little"), nrow = n, byrow = TRUE)
    y <- readBin("${join(dir, "y.bin")}", "double", n, endian = "little")
    for (r in seq_len(${reps})) {
      t <- system.time(f <- glm.fit(X, y, family = binomial()))[["elapsed"]]
      cat(sprintf("%.6f %.17g %d\\n", t, f$deviance, f$iter))
    }`;
  const out = spawnSync("Rscript", ["-e", script], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (out.status !== 0) {
    process.stderr.write(`R timing failed: ${out.stderr}\n`);
    return null;
  }
  const lines = out.stdout.trim().split("\n").map((l) => l.split(" ").map(Number));
  return { seconds: lines.map((l) => l[0]!), deviance: lines[0]![1]!, iter: lines[0]![2]! };
}

export function runLogisticBench(o: LogisticBenchOptions): void {
  const dir = mkdtempSync(join(tmpdir(), "glmkit-bench-"));
  try {
    const child = fileURLToPath(new URL("./logistic-child.js", import.meta.url));
    const run = spawnSync(process.execPath, [child, String(o.n), String(o.p), String(o.reps), String(o.seed), dir], {
      encoding: "utf8",
      maxBuffer: 1 << 24,
    });
    if (run.status !== 0) throw new Error(`benchmark child failed: ${run.stderr}`);
    const rep = JSON.parse(run.stdout) as ChildReport;
    const ours = median(rep.seconds);
    console.log(`logistic IRLS, n = ${o.n}, p = ${o.p}: ${rep.iterations} iterations, deviance ${rep.deviance.toPrecision(12)}`);
    console.log(`  glmkit: ${ours.toFixed(3)} s per fit (median of ${o.reps}: ${rep.seconds.map((t) => t.toFixed(3)).join(", ")})`);
    console.log(
      `  peak RSS of the process through its first fit (data included) ${rep.maxRssMiB.toFixed(0)} MiB = ${(rep.maxRssMiB / rep.designMiB).toFixed(2)} × the design matrix (${rep.designMiB.toFixed(0)} MiB);` +
        ` above the idle process (${rep.baselineMiB.toFixed(0)} MiB: Node, modules, LP solver) ${(rep.maxRssMiB - rep.baselineMiB).toFixed(0)} MiB = ${((rep.maxRssMiB - rep.baselineMiB) / rep.designMiB).toFixed(2)} ×`,
    );
    const r = rTiming(dir, o.n, o.p, o.reps);
    if (r) {
      const theirs = median(r.seconds);
      console.log(
        `  R glm.fit: ${theirs.toFixed(3)} s per fit (median of ${r.seconds.length}, ${r.iter} iterations, deviance ${r.deviance.toPrecision(12)}); ratio R / glmkit = ${(theirs / ours).toFixed(2)}×`,
      );
    } else {
      console.log("  R glm.fit: Rscript not found, no ratio");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Benchmark: logistic regression by IRLS, n = 10^6 rows, p = 20 numeric
 * predictors (intercept + 19 standard-normal columns, β_j = sin j), fitted from a
 * Float64Array design. The fit runs in a child process so that its peak memory
 * (maxRSS) is measured alone; when Rscript is on the PATH, R's glm.fit is timed
 * on the same data (written to disk by the child) in the same run, and the
 * ratio printed. The design lives on a SharedArrayBuffer, which lets IRLS split
 * XᵀWX over the machine's cores. Four configurations run, each in its own child:
 * the SIMD kernels and the plain TypeScript kernels, on one thread and on all
 * cores (up to 8). Each prints its GFLOP/s in the dense passes, the arithmetic
 * floor (those passes' flops at this core's measured f64x2 peak, per core used)
 * and its ratio to it, and the ratio to glm.fit.
 *
 *   npm run bench -- logistic [--n 1000000] [--p 20] [--reps 5]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
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
  /** The same fits on a design buffer (designBuffer: X read in place by the SIMD kernels, no copy). */
  secondsInPlace: number[];
  inPlace: boolean;
  iterations: number;
  deviance: number;
  maxRssMiB: number;
  baselineMiB: number;
  designMiB: number;
  kernels: string;
  crossprodSeconds: number;
  peakGflops: number;
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

/** One child configuration: the kernels (GLMKIT_KERNELS) and the number of threads (GLMKIT_THREADS). */
interface Config {
  label: string;
  kernels: "ts" | "wasm";
  threads: number;
}

function runChild(o: LogisticBenchOptions, dir: string, c: Config, write: boolean): ChildReport {
  const child = fileURLToPath(new URL("./logistic-child.js", import.meta.url));
  const run = spawnSync(process.execPath, [child, String(o.n), String(o.p), String(o.reps), String(o.seed), dir, write ? "write" : ""], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
    env: { ...process.env, GLMKIT_KERNELS: c.kernels, GLMKIT_THREADS: String(c.threads) },
  });
  if (run.status !== 0) throw new Error(`benchmark child failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as ChildReport;
}

export function runLogisticBench(o: LogisticBenchOptions): void {
  const dir = mkdtempSync(join(tmpdir(), "glmkit-bench-"));
  try {
    const cores = Math.min(availableParallelism(), 8);
    const configs: Config[] = [
      { label: "SIMD kernels, 1 thread", kernels: "wasm", threads: 1 },
      { label: `SIMD kernels, ${cores} threads`, kernels: "wasm", threads: cores },
      { label: "plain TS kernels, 1 thread", kernels: "ts", threads: 1 },
      { label: `plain TS kernels, ${cores} threads`, kernels: "ts", threads: cores },
    ];
    const { n, p } = o;
    // Multiply-adds of one IRLS iteration in the dense passes: XᵀWX (upper triangle), XᵀWz, Xβ.
    const maddsPerIter = (n * p * (p + 1)) / 2 + 2 * n * p;
    console.log(`logistic IRLS, n = ${n}, p = ${p}; ${(maddsPerIter / 1e6).toFixed(0)}·10⁶ multiply-adds per iteration in XᵀWX, XᵀWz and Xβ`);
    const reports = configs.map((c, k) => ({ c, rep: runChild(o, dir, c, k === 0) }));
    const first = reports[0]!.rep;
    const peak = first.peakGflops;
    console.log(
      `  this core's f64x2 peak (measured in this run, mul and add counted apart): ${peak.toFixed(2)} GFLOP/s;` +
        ` one bare XᵀWX + XᵀWz pass: SIMD ${((2 * ((n * p * (p + 1)) / 2 + n * p)) / first.crossprodSeconds / 1e9).toFixed(2)} GFLOP/s,` +
        ` plain TS ${((2 * ((n * p * (p + 1)) / 2 + n * p)) / reports[2]!.rep.crossprodSeconds / 1e9).toFixed(2)} GFLOP/s`,
    );
    const r = rTiming(dir, n, p, o.reps);
    const theirs = r ? median(r.seconds) : Number.NaN;
    for (const { c, rep } of reports) {
      const ours = median(rep.seconds);
      const flops = 2 * maddsPerIter * rep.iterations;
      const floor = flops / (peak * 1e9 * c.threads);
      console.log(
        `  ${c.label} (${rep.kernels}): ${ours.toFixed(3)} s per fit (median of ${o.reps}: ${rep.seconds.map((t) => t.toFixed(3)).join(", ")}),` +
          ` ${rep.iterations} iterations, deviance ${rep.deviance.toPrecision(12)}; ${(flops / ours / 1e9).toFixed(2)} GFLOP/s;` +
          ` arithmetic floor ${floor.toFixed(3)} s (${c.threads} core${c.threads > 1 ? "s" : ""} at the peak), ${(ours / floor).toFixed(1)}× the floor` +
          (r ? `; R glm.fit / glmkit = ${(theirs / ours).toFixed(2)}×` : ""),
      );
      const inPlace = median(rep.secondsInPlace);
      console.log(
        `    X in a design buffer (${rep.inPlace ? "read in place, no copy" : "not in kernel memory here: copied as above"}): ${inPlace.toFixed(3)} s per fit` +
          ` (${rep.secondsInPlace.map((t) => t.toFixed(3)).join(", ")}), ${(inPlace / floor).toFixed(1)}× the floor` + (r ? `; R glm.fit / glmkit = ${(theirs / inPlace).toFixed(2)}×` : ""),
      );
      console.log(
        `    peak RSS through the first fit ${rep.maxRssMiB.toFixed(0)} MiB = ${(rep.maxRssMiB / rep.designMiB).toFixed(2)} × the design (${rep.designMiB.toFixed(0)} MiB);` +
          ` above the idle process (${rep.baselineMiB.toFixed(0)} MiB) ${((rep.maxRssMiB - rep.baselineMiB) / rep.designMiB).toFixed(2)} ×`,
      );
    }
    if (r) {
      console.log(`  R glm.fit: ${theirs.toFixed(3)} s per fit (median of ${r.seconds.length}, ${r.iter} iterations, deviance ${r.deviance.toPrecision(12)})`);
    } else {
      console.log("  R glm.fit: Rscript not found, no ratio");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

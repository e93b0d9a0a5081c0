/**
 * Benchmark: logistic regression by IRLS, n = 10^6 rows, p = 20 numeric
 * predictors (intercept + 19), fitted from a Float64Array design. Prints seconds
 * per fit and peak memory against the design's size; when Rscript is on the
 * PATH, times R's glm.fit on the same data in the same run and prints the ratio.
 *
 *   npm run bench -- logistic [--n 1000000] [--p 20] [--reps 3]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import normalFactory from "@stdlib/random-base-normal";
import uniformFactory from "@stdlib/random-base-uniform";
import { glm } from "../models/glm.js";

export interface LogisticBenchOptions {
  n: number;
  p: number;
  reps: number;
  seed: number;
}

function simulate(o: LogisticBenchOptions): { X: Float64Array; y: Float64Array } {
  const normal = normalFactory.factory(0, 1, { seed: o.seed });
  const unif = uniformFactory.factory(0, 1, { seed: o.seed + 1 });
  const { n, p } = o;
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  const beta = Array.from({ length: p }, (_, j) => (j === 0 ? -0.5 : 0.3 * Math.sin(j)));
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let j = 0; j < p; j++) {
      const x = j === 0 ? 1 : normal();
      X[i * p + j] = x;
      eta += beta[j]! * x;
    }
    y[i] = unif() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return { X, y };
}

function rTiming(X: Float64Array, y: Float64Array, n: number, p: number, reps: number): number[] | null {
  const which = spawnSync("Rscript", ["--version"], { encoding: "utf8" });
  if (which.error) return null;
  const dir = mkdtempSync(join(tmpdir(), "glmkit-bench-"));
  try {
    writeFileSync(join(dir, "X.bin"), Buffer.from(X.buffer, X.byteOffset, X.byteLength));
    writeFileSync(join(dir, "y.bin"), Buffer.from(y.buffer, y.byteOffset, y.byteLength));
    const script = `
      n <- ${n}; p <- ${p}
      X <- matrix(readBin("${join(dir, "X.bin")}", "double", n * p, endian = "little"), nrow = n, byrow = TRUE)
      y <- readBin("${join(dir, "y.bin")}", "double", n, endian = "little")
      for (r in seq_len(${reps})) {
        t <- system.time(f <- glm.fit(X, y, family = binomial()))[["elapsed"]]
        cat(sprintf("%.6f %.17g\\n", t, f$deviance))
      }`;
    const out = spawnSync("Rscript", ["-e", script], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (out.status !== 0) {
      process.stderr.write(`R timing failed: ${out.stderr}\n`);
      return null;
    }
    return out.stdout.trim().split("\n").map((l) => Number(l.split(" ")[0]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function runLogisticBench(o: LogisticBenchOptions): void {
  const { X, y } = simulate(o);
  const designMb = X.byteLength / 2 ** 20;
  const columnNames = ["(Intercept)", ...Array.from({ length: o.p - 1 }, (_, j) => `x${j + 1}`)];
  const times: number[] = [];
  let deviance = Number.NaN;
  let iterations = 0;
  for (let r = 0; r < o.reps; r++) {
    const t0 = process.hrtime.bigint();
    const fit = glm({ design: { X, y, n: o.n, p: o.p, columnNames }, family: "binomial" }).fit();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    deviance = fit.deviance;
    iterations = fit.iterations;
  }
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const ours = median(times);
  console.log(`logistic IRLS, n = ${o.n}, p = ${o.p}: ${iterations} iterations, deviance ${deviance.toPrecision(12)}`);
  console.log(`  glmkit: ${ours.toFixed(3)} s per fit (median of ${o.reps}: ${times.map((t) => t.toFixed(3)).join(", ")})`);
  console.log(`  peak RSS ${peakMb.toFixed(0)} MiB = ${(peakMb / designMb).toFixed(2)} × the design matrix (${designMb.toFixed(0)} MiB)`);
  const r = rTiming(X, y, o.n, o.p, o.reps);
  if (r) {
    const theirs = median(r);
    console.log(`  R glm.fit: ${theirs.toFixed(3)} s per fit (median of ${r.length}); ratio R / glmkit = ${(theirs / ours).toFixed(2)}×`);
  } else {
    console.log("  R glm.fit: Rscript not found, no ratio");
  }
}

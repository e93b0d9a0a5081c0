/**
 * What the benchmarks that time R on glmkit's data share: whether Rscript runs, the data
 * written for R as raw little-endian doubles (X row-major n×p, y) in a temporary directory,
 * the R lines that read it back, running an R script, and the comparisons of two sets of results.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Whether `Rscript` is on the PATH. */
export function rAvailable(): boolean {
  return !spawnSync("Rscript", ["--version"], { encoding: "utf8" }).error;
}

const bytesOf = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** f(dir) with X and y written to dir/X.bin and dir/y.bin; the directory is removed afterwards. */
export function withRData<T>(prefix: string, X: Float64Array, y: Float64Array, f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    writeFileSync(join(dir, "X.bin"), bytesOf(X));
    writeFileSync(join(dir, "y.bin"), bytesOf(y));
    return f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** R lines defining n, p, X (n×p) and y from the files {@link withRData} wrote to dir. */
export function rReadData(dir: string, n: number, p: number): string {
  return `n <- ${n}; p <- ${p}
    X <- matrix(readBin("${join(dir, "X.bin")}", "double", n * p, endian = "little"), nrow = n, byrow = TRUE)
    y <- readBin("${join(dir, "y.bin")}", "double", n, endian = "little")`;
}

/** The lines R printed (each split into numbers), or null after reporting R's failure on stderr. */
export function runR(script: string): number[][] | null {
  const out = spawnSync("Rscript", ["-e", script], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (out.status !== 0) {
    process.stderr.write(`R timing failed: ${out.stderr}\n`);
    return null;
  }
  return out.stdout.trim().split("\n").map((l) => l.trim().split(/\s+/).map(Number));
}

/** Whether a and b hold the same numbers, bit for bit. */
export function sameNumbers(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** max_j |ours_j − theirs_j| / max(1e-8, |theirs_j|) over the first p entries. */
export function maxRelativeError(ours: ArrayLike<number>, theirs: ArrayLike<number>, p: number): number {
  let worst = 0;
  for (let j = 0; j < p; j++) worst = Math.max(worst, Math.abs(ours[j]! - theirs[j]!) / Math.max(1e-8, Math.abs(theirs[j]!)));
  return worst;
}

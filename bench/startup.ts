/**
 * Benchmark: start-up. Each figure is the median of `reps` fresh Node processes
 * (dist/, so compiled JavaScript as installed):
 *   - import("glmkit") in Node (the "node" export: models/entries/node.js, HiGHS preloaded),
 *     timed inside the process from before the import to after it;
 *   - import of the browser-clean root (dist/models/index.js, nothing preloaded);
 *   - `glmkit --help`, wall time of the whole process (node's own start-up included);
 *   - for scale, a bare `node -e 0` and, when Rscript is on the PATH, R's
 *     `Rscript -e "invisible(stats::glm)"` (R ready to fit), with the ratios.
 * Targets (issue 16): import("glmkit") ≤ 250 ms, glmkit --help ≤ 150 ms.
 *
 *   npm run bench -- startup [--reps 7]
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "../samplers/diagnostics/basic.js";

export interface StartupBenchOptions {
  reps: number;
  /** Package root to measure (default: this build's). */
  root?: string;
}

// Wall time and CPU time (user + system, this process) of the import: on a shared machine
// the CPU time is the steadier figure (waiting for a core does not count).
const IMPORT_TIMER = (spec: string) =>
  `const c0 = process.cpuUsage(), t0 = performance.now(); await import(${JSON.stringify(spec)}); const c = process.cpuUsage(c0);` +
  ` process.stdout.write(JSON.stringify([performance.now() - t0, (c.user + c.system) / 1000]));`;

const cpuOf = new Map<string, number[]>();

function timedImport(root: string, spec: string): number {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", IMPORT_TIMER(spec)], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`import ${spec} failed: ${r.stderr}`);
  const [wallMs, cpuMs] = JSON.parse(r.stdout) as [number, number];
  cpuOf.set(spec, [...(cpuOf.get(spec) ?? []), cpuMs]);
  return wallMs;
}

/** Median CPU milliseconds of the imports of `spec` timed so far. */
function cpuMedian(spec: string): number {
  return median(Float64Array.from(cpuOf.get(spec) ?? [NaN]));
}

function wall(cmd: string, args: string[], cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.error || (r.status !== 0 && r.status !== 2)) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr ?? r.error}`);
  return ms;
}

function hasRscript(): boolean {
  return spawnSync("Rscript", ["--version"], { encoding: "utf8" }).status === 0;
}

export function runStartupBench(options: StartupBenchOptions): void {
  const root = options.root ?? join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  const reps = options.reps;
  const med = (f: () => number) => median(Float64Array.from({ length: reps }, f));
  const node = med(() => wall(process.execPath, ["-e", "0"], root));
  const imp = med(() => timedImport(root, "glmkit"));
  const core = med(() => timedImport(root, join(root, "dist/models/index.js")));
  const help = med(() => wall(process.execPath, [join(root, "dist/bin/glmkit.js"), "--help"], root));
  const line = (name: string, ms: number, target?: number) =>
    console.log(`  ${name.padEnd(42)} ${ms.toFixed(0).padStart(6)} ms${target ? `   (target ≤ ${target} ms: ${ms <= target ? "met" : "NOT met"})` : ""}`);
  console.log(`startup: median of ${reps} fresh processes, ${root}`);
  line("node -e 0 (Node's own start-up)", node);
  line('import("glmkit") in Node (HiGHS preloaded)', imp, 250);
  line('  its CPU time (user + system)', cpuMedian("glmkit"));
  line("import dist/models/index.js (browser root)", core);
  line('  its CPU time (user + system)', cpuMedian(join(root, "dist/models/index.js")));
  line("glmkit --help (whole process)", help, 150);
  if (hasRscript()) {
    const r = med(() => wall("Rscript", ["-e", "invisible(stats::glm)"], root));
    line('Rscript -e "invisible(stats::glm)"', r);
    console.log(`  ratios to R: import ${(imp / r).toFixed(2)}, --help ${(help / r).toFixed(2)}`);
  }
}

/**
 * The fuzz suites run compiled code (the CLI binary, and the API in worker threads,
 * which vitest does not transform): this vitest global setup rebuilds dist/ with tsc
 * when a source file is newer than it, once per run.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCES = ["src", "samplers", "models", "bin", "testing"];

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestMtime(p));
    else if (e.name.endsWith(".ts")) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

export default function setup(): void {
  const stamp = join("dist", "bin", "glmkit.js");
  const built = existsSync(stamp) ? statSync(join("dist", "models", "index.js")).mtimeMs : 0;
  const sources = Math.max(...SOURCES.filter((d) => existsSync(d)).map(newestMtime));
  if (built >= sources) return;
  execFileSync(process.execPath, [join("node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { stdio: "inherit" });
}

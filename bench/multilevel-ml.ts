/**
 * `npm run bench -- multilevel`: seconds per lmer/glmer fit (median of --reps, default 5) of glmkit's
 * glmer() and of lme4 (bench/multilevel-ml.R, same CSV files, same run), on the fixtures of
 * test/reference/glmer.json, with lme4's default control and with the fixtures' tight control
 * (bobyqa rhoend = 1e-11, tolPwrss = 1e-11), whose optimum glmkit's matches. Ratios are lme4 / glmkit
 * (above 1: glmkit is faster).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCsv } from "../src/data/index.js";
import { glmer } from "../models/multilevel.js";

interface Spec { name: string; data: string; formula: string; family: string; link: string; REML: boolean; weights?: string; nb_theta?: number }

function median(x: number[]): number {
  const s = [...x].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export function runMultilevelBench(o: { reps: number; compareR: boolean }): void {
  const specs: Spec[] = (JSON.parse(readFileSync("test/reference/glmer.json", "utf8")) as Spec[]).map((r) => ({
    name: r.name, data: r.data, formula: r.formula, family: r.family, link: r.link, REML: r.REML, weights: r.weights, nb_theta: r.nb_theta,
  }));
  console.log(`multilevel ML (lmer / glmer nAGQ = 1), median of ${o.reps} fits`);
  const ours = new Map<string, number>();
  for (const s of specs) {
    const data = readCsv(`data/${s.data}.csv`);
    const weights = s.weights ? Float64Array.from(data.column("Days").values as Float64Array, (d) => 1 + d / 10) : undefined;
    const family = s.family.startsWith("Negative Binomial") ? "negative_binomial" : s.family;
    const times: number[] = [];
    for (let k = 0; k < o.reps; k++) {
      const t0 = performance.now();
      glmer({ formula: s.formula, data, family, link: s.link, weights, theta: s.nb_theta }).fit(family === "gaussian" && s.link === "identity" ? { REML: s.REML } : {});
      times.push((performance.now() - t0) / 1000);
    }
    ours.set(s.name, median(times));
  }
  let r: Record<string, { default: number; tight: number }> | null = null;
  if (o.compareR) {
    const dir = mkdtempSync(join(tmpdir(), "glmkit-ml-bench-"));
    const path = join(dir, "specs.json");
    writeFileSync(path, JSON.stringify(specs));
    const run = spawnSync("Rscript", ["bench/multilevel-ml.R", path, String(o.reps)], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (run.status === 0) r = JSON.parse(run.stdout.trim().split("\n").pop()!);
    else console.log(`  lme4: Rscript failed (${run.error?.message ?? run.stderr.split("\n").slice(-3).join(" ")}), no ratios`);
  }
  const rows = [["fit", "glmkit s", "lme4 s", "ratio", "lme4 tight s", "ratio"]];
  for (const s of specs) {
    const t = ours.get(s.name)!;
    const rr = r?.[s.name];
    rows.push([s.name, t.toFixed(3), rr ? rr.default.toFixed(3) : "-", rr ? (rr.default / t).toFixed(2) : "-", rr ? rr.tight.toFixed(3) : "-", rr ? (rr.tight / t).toFixed(2) : "-"]);
  }
  const w = rows[0]!.map((_, c) => Math.max(...rows.map((x) => x[c]!.length)));
  for (const row of rows) console.log("  " + row.map((x, c) => (c === 0 ? x.padEnd(w[c]!) : x.padStart(w[c]!))).join("  "));
}

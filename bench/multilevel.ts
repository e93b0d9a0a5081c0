/**
 * `npm run bench -- multilevel [--only sleepstudy,cbpp] [--no-r] [--warmup N] [--draws N]`:
 * glmkit's `sampleMultilevel` against rstanarm's `stan_glmer` with the same (default) priors, in
 * the same run, on the multilevel reference data sets (test/data/multilevel). Both run 4 chains in
 * sequence with adapt_delta 0.95 and Stan's windowed warmup; the figure is min bulk ESS per second
 * of the whole run (warmup included) over every b_*, sd_*, cor_*, sigma and r_* (brms names), and
 * its ratio glmkit / rstanarm. Gradients (leapfrog steps, warmup included) are printed too.
 */
import { spawnSync } from "node:child_process";
import { readCsv } from "../src/data/csv.js";
import { binomial, gaussian, poisson } from "../src/families/index.js";
import { testDesign, type TestDesignSpec } from "../src/multilevel/test-design.js";
import type { Family } from "../src/types.js";
import { sampleMultilevel } from "../models/multilevel-posterior.js";

interface Case { name: string; family: Family; spec: TestDesignSpec; csv?: string }

const CASES: Case[] = [
  { name: "sleepstudy", family: gaussian(), spec: { response: "Reaction", fixed: ["Days"], groups: [{ factor: "Subject", columns: ["(Intercept)", "Days"] }] } },
  { name: "cbpp", family: binomial(), spec: { response: "incidence", failures: "failures", fixed: ["period"], factors: ["period"], groups: [{ factor: "herd", columns: ["(Intercept)"] }] } },
  { name: "epilepsy", family: poisson(), spec: { response: "y", fixed: ["post", "trt", "post:trt"], offset: { column: "weeks", log: true }, groups: [{ factor: "subject", columns: ["(Intercept)"] }] } },
  { name: "penicillin", family: gaussian(), spec: { response: "diameter", fixed: [], groups: [{ factor: "plate", columns: ["(Intercept)"] }, { factor: "sample", columns: ["(Intercept)"] }] } },
  // Gelman & Hill (2007), ch. 12: varying intercept and floor slope by county (85 groups), data/radon.csv.
  { name: "radon", family: gaussian(), csv: "data/radon.csv", spec: { response: "log_radon", fixed: ["floor"], groups: [{ factor: "county", columns: ["(Intercept)", "floor"] }] } },
];

export interface MultilevelBenchOptions { only?: string[]; compareR?: boolean; warmup?: number; draws?: number; seed?: number }

function runR(name: string, chains: number, warmup: number, draws: number, seed: number): { seconds: number; min_ess_bulk: number; gradients: number; divergences: number } | null {
  if (spawnSync("Rscript", ["--version"], { encoding: "utf8" }).error) return null;
  const out = spawnSync("Rscript", ["bench/multilevel.R", name, String(chains), String(warmup), String(draws), String(seed)], { encoding: "utf8", maxBuffer: 1 << 24 });
  const line = out.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line);
  } catch {
    console.log(`  rstanarm failed: ${out.stderr.slice(-400)}`);
    return null;
  }
}

export function runMultilevelBench(o: MultilevelBenchOptions = {}): void {
  const chains = 4;
  const warmup = o.warmup ?? 1000;
  const draws = o.draws ?? 1000;
  const seed = o.seed ?? 20261206;
  console.log(`multilevel: ${chains} chains × (${warmup} warmup + ${draws} draws), adapt_delta 0.95, min bulk ESS per second (warmup included)`);
  console.log("data set       glmkit s  ESS   ESS/s   grads   | rstanarm s  ESS   ESS/s   grads   | ratio");
  for (const c of CASES) {
    if (o.only && !o.only.includes(c.name)) continue;
    const design = testDesign(readCsv(c.csv ?? `test/data/multilevel/${c.name}.csv`), c.spec);
    const post = sampleMultilevel(design, { family: c.family, seed, chains, warmup, draws });
    const ess = Math.min(...post.summary.map((r) => r.ess_bulk));
    const ours = ess / post.seconds.total;
    const r = o.compareR === false ? null : runR(c.name, chains, warmup, draws, seed % 2147483647);
    const rs = r ? r.min_ess_bulk / r.seconds : NaN;
    const f = (x: number, w: number, d = 1) => x.toFixed(d).padStart(w);
    console.log(
      `${c.name.padEnd(14)} ${f(post.seconds.total, 8, 2)} ${f(ess, 5, 0)} ${f(ours, 7)} ${String(post.gradients).padStart(8)} | ` +
        (r ? `${f(r.seconds, 10, 2)} ${f(r.min_ess_bulk, 5, 0)} ${f(rs, 7)} ${String(r.gradients).padStart(8)} | ${f(ours / rs, 5, 2)}×` : "(no R)") +
        (post.divergences > 0 ? `  [${post.divergences} divergences]` : ""),
    );
  }
}

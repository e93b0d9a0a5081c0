/**
 * Benchmark `npm run bench -- nuts-real`: NUTS on real data sets with uncentred,
 * correlated predictors, against rstanarm in the same run (when Rscript and rstanarm
 * are present):
 * - birthwt  `low ~ age + lwt + race + smoke + ptl + ht + ui` (binomial, n = 189)
 * - wells    `switch ~ dist100 + arsenic` (binomial, n = 3020)
 * - roaches  `y ~ roach100 + treatment + senior + offset(log(exposure2))` (negative binomial, n = 262)
 * - kidiq    `kid_score ~ mom_hs + mom_iq` (gaussian, n = 434)
 * - earnings `log(earn) ~ log(height) + male`, earn > 0 (gaussian, n = 1629)
 * - synthetic: the `nuts` case, n = 10⁴, p = 20, standard-normal predictors (binomial)
 * Priors (the same posterior in both): normal(0, 2.5) slopes, flat intercept,
 * exponential(1) on σ or θ, none autoscaled. 4 chains × (1000 warmup + 1000 draws),
 * in sequence, one thread. Reported per data set: min bulk ESS per second of total wall
 * time (the reparameterization's MAP included), min bulk ESS per gradient evaluation
 * of the sampling phase (rstanarm does not keep its warmup's sampler diagnostics, so
 * both count the saved iterations' leapfrog steps), leapfrog steps per draw, and the
 * ratio glmkit / rstanarm of ESS per second, and the same ratio in ESS per CPU-second (each
 * process's user + system time: glmkit's around the sample call, all its threads; R's around
 * stan_glm), which a loaded machine disturbs less than the wall time. A check that both
 * sample the same posterior: the largest |mean difference| / combined MCSE.
 *
 * Each glmkit variant is a warmup algorithm and length (`--variants stan:1000,nutpie:300`;
 * default: the model API's defaults, `default`). For glmkit the gradients of the whole
 * run (warmup included) are also counted: ESS per gradient of the run, "ESS/grad all".
 *
 *   npm run bench -- nuts-real [--only birthwt,wells] [--reparameterize laplace,none] [--metric diag] [--no-r] [--short-warmup 300] [--variants default,stan:1000,nutpie:300]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import normalFactory from "@stdlib/random-base-normal";
import uniformFactory from "@stdlib/random-base-uniform";
import { parseCsv } from "../src/data/index.js";
import { glm } from "../models/glm.js";
import type { Reparameterization } from "../src/likelihood/linear-reparameterization.js";
import { samplerDefaults, type GlmPosterior } from "../models/posterior.js";
import type { Adaptation } from "../samplers/chain.js";

/** One data set of the benchmark. */
export interface RealCase {
  name: string;
  formula: string;
  family: "binomial" | "gaussian" | "negative_binomial";
  /** The CSV text both sides read. */
  csv: () => string;
}

const here = fileURLToPath(new URL(".", import.meta.url));
/** The repository root (the bench runs from dist/bench or from bench/). */
const root = [join(here, ".."), join(here, "..", "..")].find((d) => existsSync(join(d, "data", "birthwt.csv"))) ?? process.cwd();
const dataFile = (name: string): string => readFileSync(join(root, "data", name), "utf8");

/** Rows of a CSV text kept by a predicate on the named column. */
function keepRows(text: string, column: string, keep: (v: number) => boolean): string {
  const lines = text.trim().split("\n");
  const k = lines[0]!.split(",").indexOf(column);
  return [lines[0]!, ...lines.slice(1).filter((l) => keep(Number(l.split(",")[k])))].join("\n") + "\n";
}

/** The `nuts` benchmark's synthetic data as CSV (seeded; the same draws as bench/nuts-logistic.ts). */
function syntheticCsv(n = 10_000, p = 20, seed = 20261124): string {
  const rnorm = normalFactory.factory(0, 1, { seed });
  const runif = uniformFactory.factory(0, 1, { seed: seed + 1 });
  const beta = Array.from({ length: p }, (_, j) => (j === 0 ? -0.5 : Math.sin(j) / 2));
  const rows = [["y", ...Array.from({ length: p - 1 }, (_, j) => `x${j + 1}`)].join(",")];
  for (let i = 0; i < n; i++) {
    let eta = beta[0]!;
    const x: number[] = [];
    for (let j = 1; j < p; j++) {
      const v = rnorm();
      x.push(v);
      eta += beta[j]! * v;
    }
    const y = runif() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    rows.push([y, ...x.map((v) => String(v))].join(","));
  }
  return rows.join("\n") + "\n";
}

export const REAL_CASES: RealCase[] = [
  { name: "birthwt", formula: "low ~ age + lwt + race + smoke + ptl + ht + ui", family: "binomial", csv: () => dataFile("birthwt.csv") },
  { name: "wells", formula: "switch ~ dist100 + arsenic", family: "binomial", csv: () => dataFile("wells.csv") },
  { name: "roaches", formula: "y ~ roach100 + treatment + senior + offset(log(exposure2))", family: "negative_binomial", csv: () => dataFile("roaches.csv") },
  { name: "kidiq", formula: "kid_score ~ mom_hs + mom_iq", family: "gaussian", csv: () => dataFile("kidiq.csv") },
  { name: "earnings", formula: "log(earn) ~ log(height) + male", family: "gaussian", csv: () => keepRows(dataFile("earnings.csv"), "earn", (v) => v > 0) },
  {
    name: "synthetic",
    formula: `y ~ ${Array.from({ length: 19 }, (_, j) => `x${j + 1}`).join(" + ")}`,
    family: "binomial",
    csv: () => syntheticCsv(),
  },
];

interface SideReport {
  seconds: number;
  /** CPU seconds (user + system) of the run: glmkit's process (all its threads: JIT, GC) around the sample call; R's process around stan_glm. */
  cpuSeconds: number;
  minEssBulk: number;
  essPerSecond: number;
  essPerGradient: number;
  meanLeapfrog: number;
  means: number[];
  mcse: number[];
  /** glmkit only: min bulk ESS per gradient of the whole run (warmup included). */
  essPerGradientAll?: number;
}

interface Settings {
  chains: number;
  warmup: number;
  /** glmkit's warmup algorithm (undefined: the API's default). */
  adaptation?: Adaptation;
  draws: number;
  seed: number;
}

const sum = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
};

/** glmkit on one data set: the model API, chains in sequence in this thread. */
async function glmkitRun(c: RealCase, text: string, s: Settings, reparameterize: Reparameterization, metric: "diag" | "dense"): Promise<SideReport & { post: GlmPosterior }> {
  const model = glm({
    formula: c.formula,
    data: parseCsv(text),
    family: c.family,
    priors: { coefficients: "normal(0, 2.5)", intercept: "flat", ...(c.family === "binomial" ? {} : { aux: "exponential(1)" }) },
  });
  const cpu0 = process.cpuUsage();
  const fit = await model.sample({
    seed: s.seed, chains: s.chains, warmup: s.warmup, draws: s.draws, reparameterize, metric, saveWarmup: true,
    ...(s.adaptation ? { adaptation: s.adaptation } : {}),
  });
  const post = fit.posterior;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const seconds = post.seconds.total;
  const minEssBulk = Math.min(...post.summary.map((r) => r.ess_bulk));
  const saved = post.sampler.reduce((a, sp) => a + sum(sp.n_leapfrog__), 0);
  const warmupGradients = (post.warmupSampler ?? []).reduce((a, sp) => a + sum(sp.n_leapfrog__), 0);
  return {
    seconds, cpuSeconds, minEssBulk, essPerSecond: minEssBulk / seconds, essPerGradient: minEssBulk / saved, essPerGradientAll: minEssBulk / (saved + warmupGradients),
    meanLeapfrog: saved / post.sampler.reduce((a, sp) => a + sp.n_leapfrog__.length, 0),
    means: post.summary.map((r) => r.mean), mcse: post.summary.map((r) => r.mcse_mean), post,
  };
}

/** rstanarm on the same CSV (bench/nuts-real.R), or null when R or rstanarm is missing. */
function rRun(c: RealCase, text: string, s: Settings): (SideReport & { version: string }) | null {
  if (spawnSync("Rscript", ["--version"], { encoding: "utf8" }).error) return null;
  const script = [join(here, "nuts-real.R"), join(root, "bench", "nuts-real.R")].find((f) => existsSync(f));
  if (!script) return null;
  const dir = mkdtempSync(join(tmpdir(), "glmkit-nuts-real-"));
  try {
    const csv = join(dir, `${c.name}.csv`);
    writeFileSync(csv, text);
    const out = spawnSync("Rscript", [script, csv, c.formula, c.family, String(s.chains), String(s.warmup), String(s.draws), String(s.seed % 2147483647)], {
      encoding: "utf8", maxBuffer: 1 << 24,
    });
    if (out.status !== 0) {
      process.stderr.write(`rstanarm run of ${c.name} failed: ${out.stderr}\n`);
      return null;
    }
    const r = JSON.parse(out.stdout.trim().split("\n").pop()!) as {
      seconds: number; cpu_seconds?: number; min_ess_bulk: number; mean_leapfrog: number; gradients: number; means: number[]; mcse: number[]; rstanarm: string;
    };
    return {
      seconds: r.seconds, cpuSeconds: r.cpu_seconds ?? NaN, minEssBulk: r.min_ess_bulk, essPerSecond: r.min_ess_bulk / r.seconds, essPerGradient: r.min_ess_bulk / r.gradients,
      meanLeapfrog: r.mean_leapfrog, means: r.means, mcse: r.mcse, version: r.rstanarm,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Options of {@link runNutsRealBench}. */
export interface NutsRealOptions {
  only?: string[];
  reparameterize?: Reparameterization[];
  metric?: "diag" | "dense";
  compareR?: boolean;
  seed?: number;
  warmup?: number;
  draws?: number;
  /** Also run glmkit's default with this many warmup iterations (rstanarm keeps `warmup`): what a shorter warmup costs in ESS. */
  shortWarmup?: number;
  /** glmkit's warmup variants: "default" (the API's defaults) or "stan:1000", "nutpie:300", … (rstanarm keeps `warmup`). */
  variants?: string[];
}

/** Parses a variant "default" | "stan[:warmup]" | "nutpie[:warmup]". */
function parseVariant(v: string, warmup: number | undefined): { adaptation?: Adaptation; warmup?: number } {
  if (v === "default") return warmup === undefined ? {} : { warmup };
  const [a, w] = v.split(":");
  if (a !== "stan" && a !== "nutpie") throw new Error(`--variants: unknown warmup algorithm "${a}" (stan or nutpie)`);
  const n = w === undefined ? warmup : Number(w);
  if (n !== undefined && !(Number.isInteger(n) && n >= 0)) throw new Error(`--variants: warmup of "${v}" must be a non-negative integer`);
  return { adaptation: a, ...(n === undefined ? {} : { warmup: n }) };
}

const fmt = (v: number, w: number, d = 0): string => v.toFixed(d).padStart(w);

/** Runs the benchmark and prints one table row per data set and sampler. */
export async function runNutsRealBench(options: NutsRealOptions = {}): Promise<void> {
  const s: Settings = { chains: 4, warmup: options.warmup ?? 1000, draws: options.draws ?? 1000, seed: options.seed ?? 20261124 };
  const variants = (options.variants ?? ["default"]).map((v) => ({ name: v, ...parseVariant(v, options.warmup) }));
  const kinds = options.reparameterize ?? ["laplace"];
  const metric = options.metric ?? "diag";
  const cases = REAL_CASES.filter((c) => !options.only || options.only.includes(c.name));
  console.log(`NUTS on real data: ${s.chains} chains × (${s.warmup} warmup + ${s.draws} draws) in sequence, metric ${metric}; load average at start ${loadavg().map((v) => v.toFixed(2)).join(" ")}`);
  console.log(`${"data set".padEnd(10)} ${"sampler".padEnd(30)} ${"seconds".padStart(8)} ${"minESS".padStart(7)} ${"ESS/s".padStart(8)} ${"ESS/grad".padStart(9)} ${"all".padStart(7)} ${"leapfrog".padStart(8)} ${"ratio".padStart(7)} ${"CPU s".padStart(7)} ${"cpu ratio".padStart(9)}  check`);
  for (const c of cases) {
    const text = c.csv();
    const r = options.compareR === false ? null : rRun(c, text, s);
    if (r) console.log(`${c.name.padEnd(10)} ${`rstanarm ${r.version}`.padEnd(30)} ${fmt(r.seconds, 8, 2)} ${fmt(r.minEssBulk, 7)} ${fmt(r.essPerSecond, 8)} ${fmt(r.essPerGradient, 9, 4)} ${"".padStart(7)} ${fmt(r.meanLeapfrog, 8, 1)} ${"".padStart(7)} ${fmt(r.cpuSeconds, 7, 2)}`);
    const runs: { kind: Reparameterization; warmup?: number; adaptation?: Adaptation }[] = [];
    for (const kind of kinds) for (const v of variants) runs.push({ kind, ...(v.warmup === undefined ? {} : { warmup: v.warmup }), ...(v.adaptation ? { adaptation: v.adaptation } : {}) });
    if (options.shortWarmup !== undefined) runs.push({ kind: kinds[0]!, warmup: options.shortWarmup });
    for (const run of runs) {
      const { kind } = run;
      const { adaptation, warmup } = samplerDefaults({ metric, ...run });
      const g = await glmkitRun(c, text, { ...s, warmup, adaptation }, kind, metric);
      const ratio = r ? g.essPerSecond / r.essPerSecond : NaN;
      // The same ratio in ESS per CPU-second (each side's process CPU time): steadier than wall time on a loaded machine.
      const cpuRatio = r ? g.minEssBulk / g.cpuSeconds / (r.minEssBulk / r.cpuSeconds) : NaN;
      let check = "";
      if (r && r.means.length === g.means.length) {
        const z = Math.max(...g.means.map((m, j) => Math.abs(m - r.means[j]!) / Math.hypot(g.mcse[j]!, r.mcse[j]!)));
        check = `max |Δmean|/MCSE ${z.toFixed(1)}`;
      }
      const used = g.post.reparameterization!.used;
      const label = `glmkit ${kind}${used !== kind ? `→${used}` : ""} ${adaptation}:${warmup}`;
      console.log(
        `${c.name.padEnd(10)} ${label.padEnd(30)} ${fmt(g.seconds, 8, 2)} ${fmt(g.minEssBulk, 7)} ${fmt(g.essPerSecond, 8)} ${fmt(g.essPerGradient, 9, 4)} ${fmt(g.essPerGradientAll!, 7, 4)} ${fmt(g.meanLeapfrog, 8, 1)} ${r ? `${ratio.toFixed(2)}×`.padStart(7) : "      –"} ${fmt(g.cpuSeconds, 7, 2)} ${r && Number.isFinite(cpuRatio) ? `${cpuRatio.toFixed(2)}×`.padStart(9) : "        –"}  ${check}${g.post.divergences > 0 ? ` ${g.post.divergences} divergences` : ""}`,
      );
    }
  }
  console.log(`load average at end ${loadavg().map((v) => v.toFixed(2)).join(" ")}; targets: ≥ 2× rstanarm on each real data set, ≥ 3× on the synthetic one`);
}

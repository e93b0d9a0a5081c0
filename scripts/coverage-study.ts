/**
 * Coverage study of glmkit's interval methods for logistic regression at small n.
 *
 *   npm run coverage-study                      # default: n = 20, 40, 80; 1000 replicates each
 *   npm run coverage-study -- --reps 200 --n 30,60 --level 0.9 --seed 7 --out docs/coverage-study.md
 *   npm run coverage-study -- --posterior       # adds NUTS posterior intervals (slow: ~1 s per replicate)
 *
 * Model: logit P(y = 1) = β₀ + β₁x₁ + β₂x₂, x₁ ~ N(0, 1), x₂ ~ Bernoulli(½), with
 * β = (−0.5, 1, −1). For each replicate (a data set that is a pure function of its
 * MT19937 seed) every method's interval is computed at the level, and coverage is the
 * share of replicates whose interval contains the true coefficient, with its Monte
 * Carlo standard error √(c(1 − c)/R). Methods: ML Wald (z), ML profile likelihood,
 * Firth (MPL_Jeffreys) Wald, Firth penalised profile (logistf's), Laplace at the MAP
 * under normal(0, 10) on the intercept and normal(0, 2.5) on the slopes, and with
 * --posterior the equal-tailed posterior interval under the same priors (2 chains of
 * 500 warmup + 500 draws). Infinite bounds (separation) count as covering; their
 * share is reported. A method that throws on a replicate is counted as a failure and
 * left out of that method's coverage.
 *
 * The table is printed and written as Markdown to --out (default docs/coverage-study.md).
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { simulationRng } from "../testing/rng.js";
import { binomial } from "../src/families/index.js";
import { fitMl, type GlmProblem } from "../src/fit/ml-fit.js";
import { fitBiasReduced } from "../src/fit/firth.js";
import { fitMap } from "../src/fit/map.js";
import { normal } from "../src/priors/index.js";
import { samplePosteriorSync } from "../models/posterior.js";
import {
  waldIntervals, profileIntervals, firthWaldIntervals, penalizedProfileIntervals, laplaceIntervals, intervalSets, type IntervalSet,
} from "../src/intervals/index.js";

const BETA = [-0.5, 1, -1];
const NAMES = ["(Intercept)", "x1", "x2"];

interface Args {
  reps: number;
  ns: number[];
  level: number;
  seed: number;
  out: string;
  posterior: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { reps: 1000, ns: [20, 40, 80], level: 0.95, seed: 20240501, out: "docs/coverage-study.md", posterior: false };
  for (let k = 0; k < argv.length; k++) {
    const key = argv[k]!;
    const val = argv[k + 1];
    const need = () => {
      if (val === undefined) throw new Error(`${key} needs a value`);
      k++;
      return val;
    };
    if (key === "--reps") a.reps = Number(need());
    else if (key === "--n") a.ns = need().split(",").map(Number);
    else if (key === "--level") a.level = Number(need());
    else if (key === "--seed") a.seed = Number(need());
    else if (key === "--out") a.out = need();
    else if (key === "--posterior") a.posterior = true;
    else throw new Error(`unknown argument ${key}`);
  }
  if (!Number.isInteger(a.reps) || a.reps < 1) throw new Error(`--reps must be a positive integer, got ${a.reps}`);
  if (a.ns.some((n) => !Number.isInteger(n) || n < 5)) throw new Error(`--n must be integers ≥ 5, got ${a.ns.join(",")}`);
  if (!(a.level > 0 && a.level < 1)) throw new Error(`--level must be in (0, 1), got ${a.level}`);
  return a;
}

function simulate(seed: number, n: number): GlmProblem {
  const rng = simulationRng(seed);
  const p = BETA.length;
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x1 = rng.normal(0, 1);
    const x2 = rng.uniform() < 0.5 ? 1 : 0;
    X[i * p] = 1;
    X[i * p + 1] = x1;
    X[i * p + 2] = x2;
    const eta = BETA[0]! + BETA[1]! * x1 + BETA[2]! * x2;
    y[i] = rng.uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return {
    X, n, p, y, columnNames: NAMES, hasIntercept: true, weights: new Float64Array(n).fill(1),
    offset: null, trials: null, family: binomial("logit"),
  };
}

interface Tally {
  covered: number[];
  used: number;
  failed: number;
  infinite: number;
  widthSum: number[];
  widthCount: number[];
}

const METHODS = ["wald", "profile", "firth-wald", "firth-profile", "laplace", "posterior"] as const;
type Method = (typeof METHODS)[number];

function newTally(): Tally {
  return { covered: [0, 0, 0], used: 0, failed: 0, infinite: 0, widthSum: [0, 0, 0], widthCount: [0, 0, 0] };
}

function record(t: Tally, set: IntervalSet): void {
  t.used++;
  let anyInf = false;
  set.rows.forEach((r, j) => {
    if (r.lower <= BETA[j]! && BETA[j]! <= r.upper) t.covered[j]!++;
    if (Number.isFinite(r.lower) && Number.isFinite(r.upper)) {
      t.widthSum[j]! += r.upper - r.lower;
      t.widthCount[j]!++;
    } else anyInf = true;
  });
  if (anyInf) t.infinite++;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const methods: Method[] = METHODS.filter((m) => m !== "posterior" || args.posterior);
  const priors = { coefficients: [normal(0, 10), normal(0, 2.5), normal(0, 2.5)] };
  const results: { n: number; tallies: Record<string, Tally>; seconds: Record<string, number> }[] = [];
  const started = Date.now();
  for (const n of args.ns) {
    const tallies: Record<string, Tally> = Object.fromEntries(methods.map((m) => [m, newTally()]));
    const seconds: Record<string, number> = Object.fromEntries(methods.map((m) => [m, 0]));
    for (let r = 0; r < args.reps; r++) {
      const problem = simulate(args.seed + 7919 * r + n, n);
      const timed = (m: Method, f: () => IntervalSet) => {
        const t0 = performance.now();
        try {
          record(tallies[m]!, f());
        } catch {
          tallies[m]!.failed++;
        }
        seconds[m]! += (performance.now() - t0) / 1000;
      };
      let ml: ReturnType<typeof fitMl> | null = null;
      let firth: ReturnType<typeof fitBiasReduced> | null = null;
      let map: ReturnType<typeof fitMap> | null = null;
      try { ml = fitMl(problem); } catch { /* counted below */ }
      try { firth = fitBiasReduced(problem, { type: "MPL_Jeffreys" }); } catch { /* counted below */ }
      try { map = fitMap(problem, priors); } catch { /* counted below */ }
      for (const m of methods) {
        if ((m === "wald" || m === "profile") && !ml) { tallies[m]!.failed++; continue; }
        if ((m === "firth-wald" || m === "firth-profile") && !firth) { tallies[m]!.failed++; continue; }
        if (m === "laplace" && !map) { tallies[m]!.failed++; continue; }
        if (m === "wald") timed(m, () => waldIntervals(ml!, { level: args.level, quantile: "normal" }));
        else if (m === "profile") timed(m, () => profileIntervals(ml!, { level: args.level }));
        else if (m === "firth-wald") timed(m, () => firthWaldIntervals(firth!, { level: args.level }));
        else if (m === "firth-profile") timed(m, () => penalizedProfileIntervals(firth!, { level: args.level }));
        else if (m === "laplace") timed(m, () => laplaceIntervals(map!, { level: args.level }));
        else
          timed(m, () => {
            const post = samplePosteriorSync(problem, priors, { chains: 2, warmup: 500, draws: 500, seed: args.seed + r });
            return intervalSets({ posterior: post }, { methods: ["posterior"], level: args.level })[0]!;
          });
      }
      if ((r + 1) % Math.max(1, Math.floor(args.reps / 10)) === 0) process.stderr.write(`n = ${n}: ${r + 1}/${args.reps}\r`);
    }
    process.stderr.write("\n");
    results.push({ n, tallies, seconds });
  }
  const total = (Date.now() - started) / 1000;
  const md = render(args, methods, results, total);
  console.log(md);
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, md + "\n");
  console.error(`written to ${args.out}`);
}

function pct(x: number): string {
  return (100 * x).toFixed(1);
}

function render(args: Args, methods: Method[], results: { n: number; tallies: Record<string, Tally>; seconds: Record<string, number> }[], total: number): string {
  const lines: string[] = [];
  lines.push("# Coverage of interval methods: logistic regression at small n", "");
  lines.push(
    `Generated by \`npm run coverage-study -- --reps ${args.reps} --n ${args.ns.join(",")} --level ${args.level} --seed ${args.seed}${args.posterior ? " --posterior" : ""}\` (scripts/coverage-study.ts) in ${total.toFixed(0)} s.`,
    "",
    `Model: logit P(y = 1) = β₀ + β₁x₁ + β₂x₂ with x₁ ~ N(0, 1), x₂ ~ Bernoulli(½) and β = (${BETA.join(", ")}). ` +
      `Nominal level ${pct(args.level)}%; ${args.reps} replicates per n. Coverage is the percentage of replicates whose interval contains the true value, ± its Monte Carlo standard error √(c(1−c)/R). ` +
      "\"infinite\" is the percentage of replicates with at least one unbounded end (separation); mean width is over finite intervals. " +
      "Laplace uses the MAP under normal(0, 10) on the intercept and normal(0, 2.5) on the slopes (not autoscaled); Firth is brglm2's MPL_Jeffreys, with Wald (z) and logistf-style penalised profile intervals.",
    "",
  );
  for (const { n, tallies, seconds } of results) {
    lines.push(`## n = ${n}`, "");
    lines.push("| method | (Intercept) | x1 | x2 | mean width x1 | mean width x2 | infinite | failed | seconds |");
    lines.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const m of methods) {
      const t = tallies[m]!;
      const cov = (j: number) => {
        if (t.used === 0) return "—";
        const c = t.covered[j]! / t.used;
        return `${pct(c)} ± ${pct(Math.sqrt((c * (1 - c)) / t.used))}`;
      };
      const w = (j: number) => (t.widthCount[j]! > 0 ? (t.widthSum[j]! / t.widthCount[j]!).toFixed(2) : "—");
      lines.push(`| ${m} | ${cov(0)} | ${cov(1)} | ${cov(2)} | ${w(1)} | ${w(2)} | ${t.used ? pct(t.infinite / t.used) : "—"} | ${t.failed} | ${seconds[m]!.toFixed(1)} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

main();

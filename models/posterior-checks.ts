/**
 * After sampling: PSIS-LOO and WAIC of a GLM posterior (loo 2.5.1's loo() and waic() on the
 * pointwise log-likelihood, r_eff from the chains, as rstanarm's loo(fit) computes them),
 * posterior predictive checks with rstanarm's mean_PPD, a loo-style printout, and the draws
 * as CmdStan CSV files and JSON. The numerics live in samplers/diagnostics (loo, psis),
 * src/diagnostics/ppc.ts and samplers/io.
 *
 * Observations with zero prior weight carry no likelihood and are left out of LOO and WAIC
 * (their log-likelihood is 0 in every draw).
 */
import { checkHas } from "./validate-spec.js";
import { requireNodeBuiltin } from "../src/util/platform.js";
import { ArgumentError } from "../src/errors.js";
import { meanPPD, ppcCheck, type PpcCheck, type PpcStatistic } from "../src/diagnostics/ppc.js";
import { psisLoo, waic, type LooResult, type WaicResult } from "../samplers/diagnostics/loo.js";
import { SAMPLER_PARAM_NAMES, type SamplerParams } from "../samplers/chain.js";
import { writeCmdStanCsvFiles, writeDrawsJsonFile } from "../samplers/io/draws-files.js";
import type { DrawsChain } from "../samplers/io/draws.js";
import { logLikMatrix, posteriorPredict } from "./posterior-predict.js";
import type { GlmPosterior } from "./posterior.js";

/** loo's advice after a k̂ warning. */
const K_HELP = "See help('pareto-k-diagnostic') for details.";

/** The log-likelihood of the rows with non-zero prior weight (draws × rows, chain by chain) and the chain of each draw. */
export function pointwiseLogLik(post: GlmPosterior): { values: Float64Array; n: number; chainId: Int32Array; rows: Int32Array } {
  const ll = logLikMatrix(post);
  const w = post.problem.weights;
  const rows = Int32Array.from(Array.from(w.keys()).filter((i) => w[i] !== 0));
  const m = rows.length;
  if (m === 0) throw new ArgumentError("every observation has zero weight: there is nothing to cross-validate");
  const values = m === ll.n ? ll.values : new Float64Array(ll.draws * m);
  if (m !== ll.n) for (let s = 0; s < ll.draws; s++) for (let c = 0; c < m; c++) values[s * m + c] = ll.values[s * ll.n + rows[c]!]!;
  const dim = post.names.length;
  const chainId = new Int32Array(ll.draws);
  let at = 0;
  post.draws.forEach((d, k) => chainId.fill(k + 1, at, (at += d.length / dim)));
  return { values, n: m, chainId, rows };
}

/**
 * PSIS-LOO of the posterior (loo's loo(log_lik, r_eff = relative_eff(exp(log_lik), chain_id))),
 * with loo's k̂ warnings: "too high" above 0.7, "slightly high" above 0.5.
 * @example looOf(fit.posterior).estimates.elpd_loo // { estimate, se }
 */
export function looOf(post: GlmPosterior): LooResult {
  const loo = psisLoo(pointwiseLogLik(post));
  loo.warnings = loo.warnings.map((w) => (/^Some Pareto k diagnostic values/.test(w) ? `${w} ${K_HELP}` : w));
  return loo;
}

/** WAIC of the posterior (loo's waic(log_lik)). */
export function waicOf(post: GlmPosterior): WaicResult {
  return waic(pointwiseLogLik(post));
}

/** Posterior predictive checks and rstanarm's mean_PPD. */
export interface PpcResult {
  checks: PpcCheck[];
  /** mean_PPD: per draw the mean of the replicated data (binomial: on the count scale, as rstanarm), and its posterior mean. */
  meanPPD: { mean: number; draws: Float64Array };
  /** Seed of the replicated data. */
  seed: number;
}

/**
 * Replicates the data once per draw (posteriorPredict) and checks the statistics `stats`
 * (default mean, sd, propZero, max): T(y), T(y_rep) per draw, p = P(T(y_rep) ≥ T(y)) and mid-p.
 * @example ppcOf(fit.posterior, { seed: 1 }).checks[0].pValue
 */
export function ppcOf(post: GlmPosterior, options: { stats?: readonly PpcStatistic[]; seed?: number } = {}): PpcResult {
  const seed = options.seed ?? 1;
  const yRep = posteriorPredict(post, { seed });
  const { y, weights, family } = post.problem;
  const checks = ppcCheck(yRep, y, options.stats);
  const trials = family.proportionResponse ? weights : null; // rstanarm: mean_PPD of binomial counts
  return { checks, meanPPD: meanPPD(yRep, { trials }), seed };
}

const fixedDigits = (x: number, d: number): string => (Number.isFinite(x) ? x.toFixed(d) : "NA");

/**
 * A printout in the layout of loo's print.psis_loo (digits = 1): estimates with SEs, the
 * Monte Carlo SE of elpd_loo, the Pareto k̂ table (or "All Pareto k estimates are good").
 */
export function formatLoo(loo: LooResult): string {
  checkHas(loo, "estimates", "formatLoo takes the result of fit.loo()");
  const e = loo.estimates;
  const rows: [string, number, number][] = [["elpd_loo", e.elpd_loo.estimate, e.elpd_loo.se], ["p_loo", e.p_loo.estimate, e.p_loo.se], ["looic", e.looic.estimate, e.looic.se]];
  const est = rows.map((r) => fixedDigits(r[1], 1));
  const se = rows.map((r) => fixedDigits(r[2], 1));
  const w1 = Math.max(8, ...est.map((s) => s.length));
  const w2 = Math.max(2, ...se.map((s) => s.length));
  const out = [`Computed from ${loo.S} by ${loo.n} log-likelihood matrix`, "", `${"".padEnd(8)} ${"Estimate".padStart(w1)} ${"SE".padStart(w2)}`];
  rows.forEach((r, k) => out.push(`${r[0].padEnd(8)} ${est[k]!.padStart(w1)} ${se[k]!.padStart(w2)}`));
  out.push("------");
  out.push(Number.isFinite(loo.mcseElpdLoo) ? `Monte Carlo SE of elpd_loo is ${loo.mcseElpdLoo.toFixed(1)}.` : "Monte Carlo SE of elpd_loo is NA.");
  const t = loo.paretoKTable;
  if (t.count[0] === loo.n) out.push("", "All Pareto k estimates are good (k < 0.5).");
  else {
    const labels = ["(-Inf, 0.5]   (good)    ", " (0.5, 0.7]   (ok)      ", "   (0.7, 1]   (bad)     ", "   (1, Inf)   (very bad)"];
    out.push("", "Pareto k diagnostic values:", `${"".padEnd(25)} Count Pct.    Min. n_eff`);
    t.count.forEach((c, b) => out.push(`${labels[b]} ${String(c).padStart(5)} ${(100 * t.proportion[b]!).toFixed(1).padStart(5)}%   ${Number.isNaN(t.minNEff[b]!) ? "<NA>" : Math.round(t.minNEff[b]!)}`));
  }
  out.push(K_HELP);
  return out.join("\n");
}

const nanSampler = (S: number): SamplerParams =>
  Object.fromEntries(SAMPLER_PARAM_NAMES.map((k) => [k, new Float64Array(S).fill(Number.NaN)])) as unknown as SamplerParams;

/** The chains of a posterior as DrawsChain records (constrained draws; lp__, step size and metric on the unconstrained scale, as Stan's). */
export function drawsChains(post: GlmPosterior): DrawsChain[] {
  const dim = post.names.length;
  const st = post.settings;
  return post.draws.map((draws, k): DrawsChain => {
    const S = draws.length / dim;
    const inv = post.invMetric[k] ?? new Float64Array(dim).fill(Number.NaN);
    return {
      chain: k + 1,
      names: [...post.names],
      draws,
      lp: post.lp?.[k] ?? new Float64Array(S).fill(Number.NaN),
      sampler: post.sampler[k] ?? nanSampler(S),
      stepSize: post.stepSize[k] ?? Number.NaN,
      invMetric: inv,
      metric: inv.length === dim ? "diag" : "dense",
      config: {
        warmup: st.warmup, draws: st.draws, thin: st.thin, adaptDelta: st.adaptDelta, maxTreeDepth: st.maxTreeDepth,
        ...(post.seeds[k] !== undefined ? { seed: post.seeds[k] } : {}), model: "glmkit",
      },
      ...(post.seconds.warmup[k] !== undefined ? { seconds: { warmup: post.seconds.warmup[k]!, sampling: post.seconds.sampling[k]! } } : {}),
    };
  });
}

/** Options of writeDraws. */
export interface WriteDrawsOptions {
  /** "csv" (one CmdStan CSV per chain), "json" (one file) or "both" (default). */
  format?: "csv" | "json" | "both";
  /** File name stem: PREFIX_1.csv, …, PREFIX.json. Default "draws". */
  prefix?: string;
}

/**
 * Writes the draws to `dir` (created if needed): PREFIX_k.csv per chain (CmdStan's layout:
 * lp__, accept_stat__, stepsize__, treedepth__, n_leapfrog__, divergent__, energy__, then the
 * parameters) and/or PREFIX.json. Returns the paths written. Read back with
 * readCmdStanCsvFiles / readDrawsJsonFile (glmkit/posterior): the same doubles.
 */
export function writeDrawsFiles(post: GlmPosterior, dir: string, options: WriteDrawsOptions = {}): string[] {
  const format = options.format ?? "both";
  if (format !== "csv" && format !== "json" && format !== "both") throw new ArgumentError(`format must be "csv", "json" or "both", got ${String(format)}`);
  const prefix = options.prefix ?? "draws";
  if (typeof dir !== "string" || dir === "") throw new ArgumentError("writeDraws needs a directory");
  if (!/^[\w.-]+$/.test(prefix)) throw new ArgumentError(`prefix must be a plain file name stem, got "${prefix}"`);
  requireNodeBuiltin<typeof import("node:fs")>("node:fs", "writeDraws (files)").mkdirSync(dir, { recursive: true });
  const { join } = requireNodeBuiltin<typeof import("node:path")>("node:path", "writeDraws (files)");
  const chains = drawsChains(post);
  const paths: string[] = [];
  if (format !== "json") paths.push(...writeCmdStanCsvFiles(join(dir, prefix), chains));
  if (format !== "csv") {
    const path = join(dir, `${prefix}.json`);
    writeDrawsJsonFile(path, chains);
    paths.push(path);
  }
  return paths;
}

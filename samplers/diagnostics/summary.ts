/**
 * `summarizeDraws` (like `posterior::summarise_draws` with its default measures plus
 * `mcse_mean`) and `diagnosticWarnings` (the usual thresholds of Vehtari et al. 2021
 * and Stan).
 */
import { ArgumentError } from "../../src/errors.js";
import type { SamplerParams } from "../chain.js";
import { mad, mean, median, quantileSorted, sd, sorted } from "./basic.js";
import { checkChains, essBulk, essTail, mcseMean, rhat, type Chains } from "./convergence.js";
import { countDivergences, countTreeDepthSaturation, ebfmi } from "./hmc.js";

/** One row of the summary. */
export interface SummaryRow {
  name: string;
  mean: number;
  median: number;
  sd: number;
  /** R's mad (1.4826 × median absolute deviation). */
  mad: number;
  /** 5% and 95% quantiles (R's type 7). */
  q5: number;
  q95: number;
  mcse_mean: number;
  ess_bulk: number;
  ess_tail: number;
  rhat: number;
}

/** Draws of variable `j` from per-chain row-major (draws × dim) arrays. */
export function variableChains(draws: readonly Float64Array[], dim: number, j: number): Float64Array[] {
  if (!Number.isInteger(j) || j < 0 || j >= dim) throw new ArgumentError(`variable index must be in [0, ${dim - 1}], got ${j}`);
  return draws.map((c, k) => {
    if (c.length % dim !== 0) throw new ArgumentError(`draws: chain ${k + 1} has length ${c.length}, not a multiple of dim ${dim}`);
    const n = c.length / dim;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = c[i * dim + j];
    return out;
  });
}

/** Summary of one variable given as chains. */
export function summarizeVariable(name: string, chains: Chains): SummaryRow {
  checkChains(chains, `draws of ${name}`);
  const all = new Float64Array(chains.length * chains[0].length);
  chains.forEach((c, k) => all.set(c, k * c.length));
  const s = sorted(all);
  return {
    name,
    mean: mean(all),
    median: median(all),
    sd: sd(all),
    mad: mad(all),
    q5: quantileSorted(s, 0.05),
    q95: quantileSorted(s, 0.95),
    mcse_mean: mcseMean(chains),
    ess_bulk: essBulk(chains),
    ess_tail: essTail(chains),
    rhat: rhat(chains),
  };
}

/**
 * One row per variable: mean, median, sd, mad, q5, q95, mcse_mean, ess_bulk, ess_tail,
 * rhat, as `posterior::summarise_draws(x, default_summary_measures(), default_convergence_measures(), "mcse_mean")`.
 * `draws` is one Float64Array per chain, draws × names.length, row-major (as `sample` returns).
 */
export function summarizeDraws(draws: readonly Float64Array[], names: readonly string[]): SummaryRow[] {
  if (!Array.isArray(draws) || draws.length === 0) throw new ArgumentError("draws must be a non-empty array of chains");
  if (names.length === 0) throw new ArgumentError("names must name at least one variable");
  return names.map((name, j) => summarizeVariable(name, variableChains(draws, names.length, j)));
}

/** Thresholds of `diagnosticWarnings`. */
export interface WarningThresholds {
  /** R̂ above this warns (default 1.01). */
  rhat?: number;
  /** Bulk or tail ESS below this warns (default 400). */
  ess?: number;
  /** E-BFMI below this warns (default 0.3). */
  ebfmi?: number;
  /** Maximum tree depth used by the sampler (default 10). */
  maxTreeDepth?: number;
}

/**
 * Plain-language warnings: R̂ > 1.01, bulk or tail ESS < 400, any divergent transition,
 * E-BFMI < 0.3, transitions that hit the maximum tree depth. `summary` rows give R̂/ESS;
 * `sampler` (one per chain) gives the HMC diagnostics. Returns [] when all is well.
 */
export function diagnosticWarnings(summary: readonly SummaryRow[], sampler: readonly SamplerParams[] = [], thresholds: WarningThresholds = {}): string[] {
  const rhatMax = thresholds.rhat ?? 1.01;
  const essMin = thresholds.ess ?? 400;
  const ebfmiMin = thresholds.ebfmi ?? 0.3;
  const maxDepth = thresholds.maxTreeDepth ?? 10;
  const out: string[] = [];
  const badRhat = summary.filter((r) => r.rhat > rhatMax || Number.isNaN(r.rhat));
  if (badRhat.length > 0) {
    out.push(`R-hat above ${rhatMax} (or undefined) for ${badRhat.map((r) => `${r.name} (${r.rhat.toFixed(3)})`).join(", ")}: chains have not mixed; run longer or reparameterise`);
  }
  const lowBulk = summary.filter((r) => r.ess_bulk < essMin);
  if (lowBulk.length > 0) out.push(`bulk ESS below ${essMin} for ${lowBulk.map((r) => `${r.name} (${Math.round(r.ess_bulk)})`).join(", ")}: posterior means and medians may be unreliable`);
  const lowTail = summary.filter((r) => r.ess_tail < essMin);
  if (lowTail.length > 0) out.push(`tail ESS below ${essMin} for ${lowTail.map((r) => `${r.name} (${Math.round(r.ess_tail)})`).join(", ")}: posterior intervals may be unreliable`);
  const divergences = sampler.map(countDivergences);
  const totalDiv = divergences.reduce((a, b) => a + b, 0);
  if (totalDiv > 0) out.push(`${totalDiv} divergent transition(s) after warmup (per chain: ${divergences.join(", ")}): increase adaptDelta or reparameterise`);
  const saturated = sampler.map((s) => countTreeDepthSaturation(s, maxDepth));
  const totalSat = saturated.reduce((a, b) => a + b, 0);
  if (totalSat > 0) out.push(`${totalSat} transition(s) hit the maximum tree depth of ${maxDepth} (per chain: ${saturated.join(", ")}): efficiency, not validity, is at stake`);
  sampler.forEach((s, k) => {
    if (s.energy__.length >= 2) {
      const e = ebfmi(s.energy__);
      if (e < ebfmiMin) out.push(`chain ${k + 1} has E-BFMI ${e.toFixed(3)} < ${ebfmiMin}: the posterior may have heavy tails the sampler explores poorly`);
    }
  });
  return out;
}

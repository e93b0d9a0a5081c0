/**
 * CmdStan-style CSV for posterior draws, one file (string) per chain, written and read
 * back. The layout is CmdStan's (2.3x, `stan::services::util::mcmc_writer`):
 *   # key = value            the run configuration, indented two spaces per level
 *   lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,<parameters>
 *   <warmup rows>            only when warmup draws were saved (save_warmup = 1)
 *   # Adaptation terminated
 *   # Step size = 0.85
 *   # Diagonal elements of inverse mass matrix:        (diag_e)
 *   # 1.2, 0.3                                         one line, ", "-separated
 *   # Elements of inverse mass matrix:                 (dense_e: one line per row)
 *   <sampling rows>
 *   #  Elapsed Time: 0.1 seconds (Warm-up)
 *   #                0.2 seconds (Sampling)
 *   #                0.3 seconds (Total)
 * Unlike CmdStan (6 significant digits by default) every number is written in its
 * shortest round-trip decimal form (JavaScript's Number#toString), so reading gives back
 * the same doubles; non-finite values are written as CmdStan writes them (nan, inf, -inf)
 * and -0 as "-0". Parameter names containing a comma or a quote are quoted (RFC 4180);
 * CmdStan's own names never need it.
 *
 * Reference: CmdStan User's Guide, "MCMC Sampling: Stan CSV files".
 */
import { formatNumber } from "./numbers.js";
import { SAMPLER_PARAM_NAMES, type SamplerParams } from "../chain.js";
import { drawCount, type DrawsChain, type DrawsConfig } from "./draws.js";

const LEAD_COLUMNS = ["lp__", ...SAMPLER_PARAM_NAMES] as const;

function quoteName(name: string): string {
  return /[",\n\r]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

function configLines(c: DrawsChain, S: number): string[] {
  const cfg: DrawsConfig = c.config ?? {};
  const num = (v: number | undefined, dflt: number): string => (v === undefined ? `${dflt} (Default)` : formatNumber(v));
  return [
    `model = ${cfg.model ?? "glmkit"}`,
    "method = sample (Default)",
    "  sample",
    `    num_samples = ${num(cfg.draws, S * (cfg.thin ?? 1))}`,
    `    num_warmup = ${num(cfg.warmup, 1000)}`,
    `    save_warmup = ${c.warmup ? 1 : 0}`,
    `    thin = ${num(cfg.thin, 1)}`,
    "    adapt",
    "      engaged = 1 (Default)",
    `      delta = ${num(cfg.adaptDelta, 0.8)}`,
    "    algorithm = hmc (Default)",
    "      hmc",
    "        engine = nuts (Default)",
    "          nuts",
    `            max_depth = ${num(cfg.maxTreeDepth, 10)}`,
    `        metric = ${c.metric === "dense" ? "dense_e" : "diag_e"}`,
    `id = ${c.chain}`,
    "random",
    `  seed = ${cfg.seed === undefined ? "-1 (Default)" : cfg.seed}`,
    "output",
    "  sig_figs = -1 (Default)",
    "writer = glmkit (numbers in shortest round-trip decimal form)",
  ].map((l) => `# ${l}`);
}

function rowLines(draws: Float64Array, lp: Float64Array, sampler: SamplerParams, dim: number): string[] {
  const S = lp.length;
  const out: string[] = new Array<string>(S);
  const cells: string[] = new Array<string>(LEAD_COLUMNS.length + dim);
  for (let s = 0; s < S; s++) {
    cells[0] = formatNumber(lp[s]);
    for (let j = 0; j < SAMPLER_PARAM_NAMES.length; j++) cells[j + 1] = formatNumber(sampler[SAMPLER_PARAM_NAMES[j]][s]);
    for (let j = 0; j < dim; j++) cells[LEAD_COLUMNS.length + j] = formatNumber(draws[s * dim + j]);
    out[s] = cells.join(",");
  }
  return out;
}

function metricLines(c: DrawsChain): string[] {
  const dim = c.names.length;
  const row = (from: number, len: number) => Array.from(c.invMetric.subarray(from, from + len), formatNumber).join(", ");
  if (c.metric === "diag") return ["# Diagonal elements of inverse mass matrix:", `# ${row(0, dim)}`];
  return ["# Elements of inverse mass matrix:", ...Array.from({ length: dim }, (_, i) => `# ${row(i * dim, dim)}`)];
}

/**
 * One chain as a CmdStan-style CSV string (see the module comment).
 * @example writeCmdStanCsv(fromSampleResult(result)[0]).split("\n")[0] // "# model = glmkit"
 */
export function writeCmdStanCsv(c: DrawsChain): string {
  const S = drawCount(c);
  const dim = c.names.length;
  const lines = configLines(c, S);
  lines.push([...LEAD_COLUMNS, ...c.names.map(quoteName)].join(","));
  if (c.warmup) lines.push(...rowLines(c.warmup.draws, c.warmup.lp, c.warmup.sampler, dim));
  lines.push("# Adaptation terminated", `# Step size = ${formatNumber(c.stepSize)}`, ...metricLines(c));
  lines.push(...rowLines(c.draws, c.lp, c.sampler, dim));
  if (c.seconds) {
    const { warmup, sampling } = c.seconds;
    lines.push(
      "# ",
      `#  Elapsed Time: ${formatNumber(warmup)} seconds (Warm-up)`,
      `#                ${formatNumber(sampling)} seconds (Sampling)`,
      `#                ${formatNumber(warmup + sampling)} seconds (Total)`,
      "# ",
    );
  }
  return lines.join("\n") + "\n";
}

export { readCmdStanCsv, type CmdStanCsv } from "./cmdstan-csv-read.js";
export { formatNumber, parseNumber } from "./numbers.js";

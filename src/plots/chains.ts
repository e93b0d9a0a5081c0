/**
 * Trace and rank plots of posterior draws, one panel per parameter, one colour per chain.
 *
 * Rank plots (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, §4.4): all draws of a
 * parameter are ranked together (ties get their average rank), the ranks are cut into
 * `bins` equal bins over [1, S], and each chain's histogram is drawn; for chains that
 * mix well every bar is near S/(chains·bins), the dashed line.
 *
 * Reference: Vehtari et al. (2021). Rank-normalization, folding, and localization: an
 * improved R̂ for assessing convergence of MCMC. Bayesian Analysis 16, 667–718.
 */
import { ArgumentError } from "../errors.js";
import { PALETTE, checkPositive, checkTitle, frame, pickParameters, column, r6, type ChainDrawsInput, type CommonPlotOptions, type VlSpec } from "./common.js";

export interface ChainPlotOptions extends CommonPlotOptions {
  /** Parameters to show, by name; default all. */
  parameters?: readonly string[];
}

export interface RankOptions extends ChainPlotOptions {
  /** Number of rank bins, default 20. */
  bins?: number;
}

function chainColor(chains: number): VlSpec {
  const domain = Array.from({ length: chains }, (_, c) => String(c + 1));
  return { field: "chain", type: "nominal", title: "chain", sort: domain, scale: { domain, range: domain.map((_, c) => PALETTE[c % PALETTE.length]) } };
}

/**
 * Trace plot: draw value against iteration, per parameter (rows) and chain (colours).
 * @example traceSpec(posterior, { parameters: ["age"] })
 */
export function traceSpec(input: ChainDrawsInput, options: ChainPlotOptions = {}): VlSpec {
  const cols = pickParameters(input, options.parameters);
  const p = input.names.length;
  const values: { parameter: string; chain: string; iteration: number; value: number }[] = [];
  for (const j of cols) {
    input.draws.forEach((d, c) => {
      for (let s = 0; s * p < d.length; s++) values.push({ parameter: input.names[j]!, chain: String(c + 1), iteration: s + 1, value: r6(d[s * p + j]!) });
    });
  }
  const names = cols.map((j) => input.names[j]!);
  return {
    ...frame(checkTitle(options.title, "Trace plots"), `${input.draws.length} chain${input.draws.length > 1 ? "s" : ""}, draws after warmup`),
    data: { values },
    facet: { row: { field: "parameter", type: "nominal", sort: names, title: null, header: { labelAngle: 0, labelAlign: "left" } } },
    resolve: { scale: { y: "independent" } },
    spec: {
      width: checkPositive("width", options.width, 480),
      height: checkPositive("height", options.height, 90),
      mark: { type: "line", strokeWidth: 0.7, opacity: 0.8 },
      encoding: {
        x: { field: "iteration", type: "quantitative", title: "iteration", scale: { nice: false } },
        y: { field: "value", type: "quantitative", title: "value", scale: { zero: false } },
        color: chainColor(input.draws.length),
      },
    },
  };
}

/** Average ranks (1-based, ties averaged) of x, as R's rank(). */
export function averageRanks(x: Float64Array): Float64Array {
  const n = x.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]! || a - b);
  const r = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && x[idx[j + 1]!] === x[idx[i]!]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]!] = avg;
    i = j + 1;
  }
  return r;
}

/** Per chain, counts of pooled ranks in `bins` equal bins over [1, S] (right-open, the last closed). */
export function rankCounts(input: ChainDrawsInput, j: number, bins: number): number[][] {
  const p = input.names.length;
  const ranks = averageRanks(column(input, j));
  const S = ranks.length;
  const counts = input.draws.map(() => new Array<number>(bins).fill(0));
  let at = 0;
  input.draws.forEach((d, c) => {
    for (let s = 0; s * p < d.length; s++) {
      const b = Math.min(bins - 1, Math.floor(((ranks[at++]! - 1) / Math.max(S - 1, 1)) * bins)); // bin of (rank − 1)/(S − 1)
      counts[c]![b]!++;
    }
  });
  return counts;
}

/**
 * Rank plot: a histogram of each chain's ranks among all draws, per parameter (rows) and chain (columns).
 * @example rankSpec(posterior, { bins: 20 })
 */
export function rankSpec(input: ChainDrawsInput, options: RankOptions = {}): VlSpec {
  const cols = pickParameters(input, options.parameters);
  const bins = options.bins ?? 20;
  if (!Number.isInteger(bins) || bins < 2) throw new ArgumentError(`bins must be an integer ≥ 2, got ${String(bins)}`);
  const p = input.names.length;
  const values: { parameter: string; chain: string; bin: number; binEnd: number; count: number }[] = [];
  let total = 0;
  for (const d of input.draws) total += d.length / p;
  for (const j of cols) {
    const counts = rankCounts(input, j, bins);
    counts.forEach((cc, c) => cc.forEach((count, b) => values.push({ parameter: input.names[j]!, chain: String(c + 1), bin: r6((b / bins) * total), binEnd: r6(((b + 1) / bins) * total), count })));
  }
  const expected = r6(total / (input.draws.length * bins));
  const names = cols.map((j) => input.names[j]!);
  const chains = Array.from({ length: input.draws.length }, (_, c) => String(c + 1));
  return {
    ...frame(checkTitle(options.title, "Rank plots"), `ranks of all ${total} draws in ${bins} bins; dashed: ${expected} per bin if the chains mix`),
    data: { values },
    facet: {
      row: { field: "parameter", type: "nominal", sort: names, title: null, header: { labelAngle: 0, labelAlign: "left" } },
      column: { field: "chain", type: "nominal", sort: chains, title: "chain" },
    },
    spec: {
      width: checkPositive("width", options.width, 120),
      height: checkPositive("height", options.height, 60),
      layer: [
        {
          name: "bars",
          mark: { type: "rect", stroke: "white", strokeWidth: 0.5 },
          encoding: {
            x: { field: "bin", type: "quantitative", title: "rank", scale: { domain: [0, total], nice: false } },
            x2: { field: "binEnd" },
            y: { field: "count", type: "quantitative", title: "count" },
            color: { ...chainColor(input.draws.length), legend: null },
          },
        },
        { name: "expected", mark: { type: "rule", strokeDash: [4, 3], color: "#333" }, encoding: { y: { datum: expected, type: "quantitative" } } },
      ],
    },
  };
}

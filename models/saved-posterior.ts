/**
 * Saved posterior fits: a thinned set of at most {@link MAX_SAVED_DRAWS} posterior
 * draws (the chains pooled in order, every k-th draw with k = ⌈S / 1000⌉), and
 * predictions from them as rstanarm's posterior_linpred / posterior_epred /
 * posterior_predict: `fit` the posterior mean of η (link) or μ (response), `se`
 * the posterior SD, "confidence" intervals the central quantiles (R's type 7) of
 * those draws, "prediction" intervals (type "response") the central quantiles of
 * posterior predictive draws ỹ (seeded, R's simulate conventions; binomial rows as
 * single trials).
 */
import { ArgumentError } from "../src/errors.js";
import type { Family, AuxName } from "../src/types.js";
import { quantileSorted } from "../src/util/quantile.js";
import type { NewDesign } from "../src/formula/index.js";
import { posteriorEpred, posteriorPredict, type DrawMatrix } from "./posterior-predict.js";
import type { GlmPosterior } from "./posterior.js";

/** At most this many draws are saved. */
export const MAX_SAVED_DRAWS = 1000;

/** The draws of a saved posterior. */
export interface SavedDraws {
  /** Coefficient names, then the aux parameter's when sampled. */
  names: string[];
  aux: AuxName | null;
  fixed_aux: number | null;
  /** Draws × names, rows. */
  values: number[][];
  /** Draws of the fit (all chains) and the thinning step. */
  total: number;
  thin: number;
}

/** The thinned draws of a posterior fit. */
export function thinnedDraws(post: GlmPosterior): SavedDraws {
  const dim = post.names.length;
  const rows: number[][] = [];
  for (const chain of post.draws) for (let r = 0; r < chain.length / dim; r++) rows.push(Array.from(chain.subarray(r * dim, (r + 1) * dim)));
  const thin = Math.max(1, Math.ceil(rows.length / MAX_SAVED_DRAWS));
  return {
    names: [...post.names], aux: post.auxName, fixed_aux: post.fixedAux,
    values: rows.filter((_, s) => s % thin === 0), total: rows.length, thin,
  };
}

/**
 * The few fields of a posterior that posteriorEpred / posteriorPredict read when
 * given new rows (the draws, the aux parameter, p, the family and the column names).
 */
function posteriorOf(d: SavedDraws, family: Family, columnNames: string[]): GlmPosterior {
  const draws = [Float64Array.from(d.values.flat())];
  return { names: d.names, auxName: d.aux, fixedAux: d.fixed_aux, draws, problem: { p: columnNames.length, family, columnNames } } as unknown as GlmPosterior;
}

/** Posterior mean, SD and central quantiles of each column of a draws matrix. */
function summarise(m: DrawMatrix, level: number | null) {
  const fit = new Float64Array(m.n), se = new Float64Array(m.n);
  const lower = level === null ? null : new Float64Array(m.n), upper = level === null ? null : new Float64Array(m.n);
  const col = new Float64Array(m.draws);
  for (let i = 0; i < m.n; i++) {
    let mean = 0;
    for (let s = 0; s < m.draws; s++) { col[s] = m.values[s * m.n + i]!; mean += col[s]!; }
    mean /= m.draws;
    let ss = 0;
    for (let s = 0; s < m.draws; s++) ss += (col[s]! - mean) ** 2;
    fit[i] = mean;
    se[i] = m.draws > 1 ? Math.sqrt(ss / (m.draws - 1)) : NaN;
    if (lower && upper && level !== null) {
      col.sort();
      lower[i] = quantileSorted(col, (1 - level) / 2);
      upper[i] = quantileSorted(col, (1 + level) / 2);
    }
  }
  return { fit, se, lower, upper };
}

/** Predictions of saved draws at a new design (see the module notes). */
export function predictFromDraws(
  d: SavedDraws, family: Family, columnNames: string[], design: NewDesign,
  opts: { type: "link" | "response"; se: boolean; interval: "none" | "confidence" | "prediction"; level: number; seed: number },
) {
  const post = posteriorOf(d, family, columnNames);
  const newdata = { X: design.X, n: design.n, offset: design.offset };
  const epred = posteriorEpred(post, { newdata, type: opts.type });
  const mean = summarise(epred, opts.interval === "confidence" ? opts.level : null);
  let lower = mean.lower, upper = mean.upper;
  if (opts.interval === "prediction") {
    if (opts.type !== "response") throw new ArgumentError('prediction intervals of a posterior are on the response scale: use type "response" (--type response)');
    const yrep = summarise(posteriorPredict(post, { newdata, seed: opts.seed }), opts.level);
    lower = yrep.lower;
    upper = yrep.upper;
  }
  const se = opts.se || opts.interval !== "none" ? mean.se : null;
  return { fit: mean.fit, se, lower, upper };
}

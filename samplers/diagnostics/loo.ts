/**
 * Leave-one-out cross-validation by Pareto-smoothed importance sampling (PSIS-LOO),
 * WAIC and model comparison, as the R package loo 2.5.1 computes them. Generic: the
 * input is any S × n matrix of pointwise log-likelihoods ℓᵢ(θₛ) (S draws, n
 * observations), given draws-major with the chain of each draw, or as one matrix per chain.
 *
 *   r_eff,ᵢ   ESS of exp(ℓᵢ) over the chains / S (loo's relative_eff with its ess_rfun: Geyer's
 *             initial monotone sequence on loo's FFT autocovariances; see essLoo)
 *   PSIS      log ratios −ℓᵢ(θₛ) smoothed as psis.ts, normalised weights wᵢₛ
 *   elpd_loo,ᵢ = log Σₛ wᵢₛ exp ℓᵢ(θₛ)        lpdᵢ = log((1/S) Σₛ exp ℓᵢ(θₛ))
 *   p_loo,ᵢ = lpdᵢ − elpd_loo,ᵢ                looicᵢ = −2 elpd_loo,ᵢ
 *   estimates Σᵢ and SE √(n · var(pointwise)) (loo's table_of_estimates)
 *   mcse_elpd_loo,ᵢ  √(var(log z)/r_eff,ᵢ), z = E + sd·Φ⁻¹((r − 3/8)/(1000 − 2·3/8 + 1)), r = 1..1000,
 *             E = exp(elpd_loo,ᵢ), sd² = Σₛ wᵢₛ²(exp ℓᵢ(θₛ) − E)²  (loo's mcse_elpd); the total
 *             √Σᵢ mcseᵢ² is reported only when every k̂ ≤ 0.7 (loo's mcse_loo), else NaN
 *   WAIC      elpd_waic,ᵢ = lpdᵢ − varₛ ℓᵢ(θₛ), p_waic,ᵢ = varₛ ℓᵢ(θₛ), waicᵢ = −2 elpd_waic,ᵢ
 *   compare   models ordered by elpd (decreasing); elpd_diff = Σᵢ (elpdᵢ(model) − elpdᵢ(best)),
 *             se_diff = √n · sd(differences)
 * Pareto k̂ thresholds as loo 2.5 prints them: good ≤ 0.5 < ok ≤ 0.7 < bad ≤ 1 < very bad.
 *
 * References: [1] Vehtari, Gelman & Gabry (2017), Statistics and Computing 27, 1413–1432;
 * [2] Vehtari, Simpson, Gelman, Yao & Gabry (2024), Pareto smoothed importance sampling,
 * JMLR 25(72); [3] Watanabe (2010), JMLR 11, 3571–3594 (WAIC); [4] Geyer (1992),
 * Statistical Science 7, 473–483.
 */
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { ArgumentError } from "../../src/errors.js";
import { compensatedSum, logSumExp, psis } from "./psis.js";
import { logLikMatrix, relativeEff, type LogLikInput, type LogLikMatrix } from "./loo-input.js";

export { logLikMatrix, relativeEff, type LogLikInput, type LogLikMatrix } from "./loo-input.js";

/** Estimate and standard error of a sum over observations. */
export interface Estimate {
  estimate: number;
  se: number;
}

/** Sample variance (n − 1) with a compensated mean. */
function varianceOf(x: ArrayLike<number>, start = 0, end = x.length, stride = 1): number {
  const len = Math.floor((end - start + stride - 1) / stride);
  if (len < 2) return Number.NaN;
  let s = 0;
  let c = 0;
  for (let j = start; j < end; j += stride) {
    const t = s + x[j];
    c += Math.abs(s) >= Math.abs(x[j]) ? s - t + x[j] : x[j] - t + s;
    s = t;
  }
  const m = (s + c) / len;
  let ss = 0;
  for (let j = start; j < end; j += stride) ss += (x[j] - m) * (x[j] - m);
  return ss / (len - 1);
}

/** loo's table_of_estimates for one pointwise column: Σ and √(n · var). */
export function estimateOf(pointwise: Float64Array): Estimate {
  return { estimate: compensatedSum(pointwise), se: Math.sqrt(pointwise.length * varianceOf(pointwise)) };
}

let zn: Float64Array | null = null;
/** Φ⁻¹((r − 3/8)/(1000 − 2·3/8 + 1)), r = 1..1000 (loo's mcse_elpd, n_samples = 1000). */
function mcseQuantiles(): Float64Array {
  if (zn) return zn;
  const S = 1000;
  const c = 3 / 8;
  zn = new Float64Array(S);
  for (let r = 1; r <= S; r++) zn[r - 1] = normalQuantile((r - c) / (S - 2 * c + 1), 0, 1);
  return zn;
}

/** loo's mcse_elpd for observation i (see the module comment). */
function mcseElpd(
  ll: Float64Array, lw: Float64Array, n: number, i: number, elpd: number, rEff: number, scratch: Float64Array, logs: Float64Array,
): number {
  const S = ll.length / n;
  const E = Math.exp(elpd);
  for (let s = 0; s < S; s++) {
    const w = Math.exp(lw[s * n + i]);
    const d = Math.exp(ll[s * n + i]) - E;
    scratch[s] = w * w * d * d;
  }
  const sd = Math.sqrt(compensatedSum(scratch, 0, S));
  const q = mcseQuantiles();
  let m = 0;
  for (let r = 0; r < q.length; r++) {
    const z = E + sd * q[r];
    if (z > 0) logs[m++] = Math.log(z);
  }
  return Math.sqrt(varianceOf(logs, 0, m) / rEff);
}


/** Options of psisLoo. */
export interface LooOptions {
  /** r_eff per observation (or one value for all); default: from the chains when known, else 1 (loo's default, with its warning). */
  rEff?: ArrayLike<number> | number;
}

/** loo's pareto_k_table: counts, proportions and the smallest PSIS n_eff per k̂ band. */
export interface ParetoKTable {
  /** "(-Inf, 0.5]" good, "(0.5, 0.7]" ok, "(0.7, 1]" bad, "(1, Inf)" very bad. */
  bands: readonly ["(-Inf, 0.5]", "(0.5, 0.7]", "(0.7, 1]", "(1, Inf)"];
  count: number[];
  proportion: number[];
  /** NaN for an empty band (R: NA). */
  minNEff: number[];
}

const BANDS = ["(-Inf, 0.5]", "(0.5, 0.7]", "(0.7, 1]", "(1, Inf)"] as const;

/**
 * Tabulates Pareto k̂ in loo 2.5's bands (good ≤ 0.5 < ok ≤ 0.7 < bad ≤ 1 < very bad) with
 * the minimum PSIS n_eff in each (Vehtari et al. 2024, §3 [2]; loo's pareto_k_table).
 * @example paretoKTable(loo.diagnostics.pareto_k, loo.diagnostics.n_eff).count
 */
export function paretoKTable(k: ArrayLike<number>, nEff: ArrayLike<number>): ParetoKTable {
  if (k.length !== nEff.length) throw new ArgumentError(`k has length ${k.length} but nEff has ${nEff.length}`);
  const count = [0, 0, 0, 0];
  const minNEff = [Infinity, Infinity, Infinity, Infinity];
  let total = 0;
  for (let i = 0; i < k.length; i++) {
    const v = k[i];
    if (Number.isNaN(v)) continue;
    const b = v <= 0.5 ? 0 : v <= 0.7 ? 1 : v <= 1 ? 2 : 3;
    count[b]++;
    total++;
    minNEff[b] = Math.min(minNEff[b], nEff[i]);
  }
  return {
    bands: BANDS,
    count,
    proportion: count.map((c) => c / total),
    minNEff: minNEff.map((m, b) => (count[b] === 0 ? Number.NaN : m)),
  };
}

/** PSIS-LOO result, in loo's vocabulary. */
export interface LooResult {
  criterion: "loo";
  S: number;
  n: number;
  estimates: { elpd_loo: Estimate; p_loo: Estimate; looic: Estimate };
  pointwise: {
    elpd_loo: Float64Array; mcse_elpd_loo: Float64Array; p_loo: Float64Array; looic: Float64Array; influence_pareto_k: Float64Array;
  };
  diagnostics: { pareto_k: Float64Array; n_eff: Float64Array };
  rEff: Float64Array;
  tailLen: Float64Array;
  /** Monte Carlo SE of elpd_loo, √Σ mcse²; NaN when some k̂ > 0.7 (loo's mcse_loo gives NA). */
  mcseElpdLoo: number;
  paretoKTable: ParetoKTable;
  warnings: string[];
}

function rEffFor(m: LogLikMatrix, rEff: LooOptions["rEff"], warnings: string[]): Float64Array {
  if (rEff === undefined) {
    if (m.chainId) return relativeEff(m);
    warnings.push("Relative effective sample sizes ('r_eff') not specified and no chain ids given: r_eff = 1 (PSIS n_eff will not be adjusted)");
    return new Float64Array(m.n).fill(1);
  }
  const r = typeof rEff === "number" ? new Float64Array(m.n).fill(rEff) : Float64Array.from(rEff);
  if (r.length !== m.n) throw new ArgumentError(`rEff must have one value per observation (${m.n}), got ${r.length}`);
  for (let i = 0; i < r.length; i++) if (!(r[i] > 0)) throw new ArgumentError(`rEff must be positive; observation ${i + 1} has ${r[i]}`);
  return r;
}

/**
 * PSIS-LOO as loo 2.5.1's loo(log_lik, r_eff): expected log pointwise predictive density,
 * effective number of parameters and LOO information criterion, with SEs, pointwise
 * values, Pareto k̂ and PSIS n_eff per observation (see the module comment; [1, 2]).
 * @example psisLoo({ values: ll, n, chainId }).estimates.elpd_loo // { estimate, se }
 */
export function psisLoo(input: LogLikInput, options: LooOptions = {}): LooResult {
  const m = logLikMatrix(input);
  const { values: ll, S, n } = m;
  const warnings: string[] = [];
  const rEff = rEffFor(m, options.rEff, warnings);
  const ratios = ll.map((v) => -v);
  const ps = psis(ratios, S, n, rEff);
  warnings.push(...ps.warnings);
  const elpd = new Float64Array(n);
  const pLoo = new Float64Array(n);
  const mcse = new Float64Array(n);
  const col = new Float64Array(S);
  const logs = new Float64Array(1000);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < S; s++) col[s] = ll[s * n + i] + ps.logWeights[s * n + i];
    elpd[i] = logSumExp(col);
    for (let s = 0; s < S; s++) col[s] = ll[s * n + i];
    pLoo[i] = logSumExp(col) - Math.log(S) - elpd[i];
    mcse[i] = mcseElpd(ll, ps.logWeights, n, i, elpd[i], rEff[i], col, logs);
  }
  const looic = elpd.map((v) => -2 * v);
  const anyBad = ps.paretoK.some((k) => k > 0.7);
  return {
    criterion: "loo", S, n,
    estimates: { elpd_loo: estimateOf(elpd), p_loo: estimateOf(pLoo), looic: estimateOf(looic) },
    pointwise: { elpd_loo: elpd, mcse_elpd_loo: mcse, p_loo: pLoo, looic, influence_pareto_k: Float64Array.from(ps.paretoK) },
    diagnostics: { pareto_k: ps.paretoK, n_eff: ps.nEff },
    rEff, tailLen: ps.tailLen,
    mcseElpdLoo: anyBad ? Number.NaN : Math.sqrt(compensatedSum(mcse.map((v) => v * v))),
    paretoKTable: paretoKTable(ps.paretoK, ps.nEff),
    warnings,
  };
}

/** WAIC result, in loo's vocabulary. */
export interface WaicResult {
  criterion: "waic";
  S: number;
  n: number;
  estimates: { elpd_waic: Estimate; p_waic: Estimate; waic: Estimate };
  pointwise: { elpd_waic: Float64Array; p_waic: Float64Array; waic: Float64Array };
  warnings: string[];
}

/**
 * WAIC as loo 2.5.1's waic(log_lik): elpd_waic,ᵢ = lpdᵢ − varₛ ℓᵢ(θₛ) (Watanabe 2010 [3];
 * [1], §2.3), with loo's warning when some p_waic,ᵢ > 0.4.
 * @example waic({ values: ll, n }).estimates.waic
 */
export function waic(input: LogLikInput): WaicResult {
  const { values: ll, S, n } = logLikMatrix(input);
  const elpd = new Float64Array(n);
  const pW = new Float64Array(n);
  const col = new Float64Array(S);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < S; s++) col[s] = ll[s * n + i];
    pW[i] = varianceOf(col);
    elpd[i] = logSumExp(col) - Math.log(S) - pW[i];
  }
  const w = elpd.map((v) => -2 * v);
  const bad = pW.filter((v) => v > 0.4).length;
  const warnings = bad > 0 ? [`${bad} (${((100 * bad) / n).toFixed(1)}%) p_waic estimates greater than 0.4. We recommend trying loo instead.`] : [];
  return {
    criterion: "waic", S, n,
    estimates: { elpd_waic: estimateOf(elpd), p_waic: estimateOf(pW), waic: estimateOf(w) },
    pointwise: { elpd_waic: elpd, p_waic: pW, waic: w },
    warnings,
  };
}

/** One row of loo_compare, best model first. */
export interface LooCompareRow {
  model: string;
  elpd_diff: number;
  se_diff: number;
  /** elpd_loo or elpd_waic, p_loo or p_waic, looic or waic, with SEs. */
  elpd: Estimate;
  p: Estimate;
  ic: Estimate;
}

/**
 * loo_compare: models ordered by elpd (decreasing, ties in the order given);
 * elpd_diff = Σᵢ(elpdᵢ − elpdᵢ(best)), se_diff = √n · sd of the differences ([1], §5.2).
 * Models must be all LOO or all WAIC results on the same n observations.
 * @example looCompare({ full: looFull, small: looSmall })[1].elpd_diff // < 0
 */
export function looCompare(models: Record<string, LooResult | WaicResult>): LooCompareRow[] {
  const names = Object.keys(models);
  if (names.length < 2) throw new ArgumentError("looCompare requires at least two models");
  const list = names.map((nm) => models[nm]);
  if (list.some((r) => r.criterion !== list[0].criterion)) throw new ArgumentError("looCompare: give all LOO or all WAIC results");
  if (list.some((r) => r.n !== list[0].n)) throw new ArgumentError(`looCompare: not all models have the same number of data points (${list.map((r) => r.n).join(", ")})`);
  const parts = list.map((r) =>
    r.criterion === "loo"
      ? { pw: r.pointwise.elpd_loo, elpd: r.estimates.elpd_loo, p: r.estimates.p_loo, ic: r.estimates.looic }
      : { pw: r.pointwise.elpd_waic, elpd: r.estimates.elpd_waic, p: r.estimates.p_waic, ic: r.estimates.waic },
  );
  const order = names.map((_, j) => j).sort((a, b) => parts[b].elpd.estimate - parts[a].elpd.estimate || a - b);
  const best = parts[order[0]].pw;
  const n = best.length;
  return order.map((j) => {
    const diffs = parts[j].pw.map((v, i) => v - best[i]);
    return {
      model: names[j],
      elpd_diff: compensatedSum(diffs),
      se_diff: Math.sqrt(n) * Math.sqrt(varianceOf(diffs)),
      elpd: parts[j].elpd, p: parts[j].p, ic: parts[j].ic,
    };
  });
}

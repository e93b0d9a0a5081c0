/**
 * Convergence diagnostics as computed by the R package `posterior` 1.4:
 * rank-normalised split-R̂, bulk/tail ESS, ESS of the mean, of quantiles and of the
 * sd, and Monte Carlo standard errors.
 *
 * References: [1] Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021),
 * "Rank-normalization, folding, and localization: an improved R̂ for assessing
 * convergence of MCMC", Bayesian Analysis 16(2), 667–718.
 * [2] Geyer (1992), "Practical Markov chain Monte Carlo", Statistical Science 7(4) (initial monotone sequence).
 *
 * Input: `chains`, one Float64Array of draws per chain (all the same length) for one
 * variable. Like `posterior`, quantities that are undefined (a constant variable,
 * fewer than 3 draws per split chain) are NaN; non-finite draws throw a DataError.
 */
import betaQuantile from "@stdlib/stats-base-dists-beta-quantile";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { ArgumentError, DataError } from "../../src/errors.js";
import { autocovarianceAt, autocovarianceFft } from "./autocovariance.js";
import { mean, median, quantileSorted, rankAverage, sd, sorted, variance } from "./basic.js";

/** Lags computed by direct sums before switching to one FFT for all lags. */
const DIRECT_LAGS = 64;

/** Draws of one variable: one array per chain. */
export type Chains = readonly Float64Array[];

/** Throws unless there is ≥ 1 chain, all of the same length ≥ 1, with finite draws. */
export function checkChains(chains: Chains, what = "draws"): void {
  if (!Array.isArray(chains) || chains.length === 0) throw new ArgumentError(`${what} must be a non-empty array of chains`);
  const n = chains[0].length;
  if (n === 0) throw new ArgumentError(`${what}: chains have no draws`);
  chains.forEach((c, k) => {
    if (!(c instanceof Float64Array)) throw new ArgumentError(`${what}: chain ${k + 1} is not a Float64Array`);
    if (c.length !== n) throw new ArgumentError(`${what}: chain ${k + 1} has ${c.length} draws, chain 1 has ${n}`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(c[i])) throw new DataError(`${what}: draw ${i + 1} of chain ${k + 1} is ${c[i]}`, { row: i + 1 });
    }
  });
}

function pooled(chains: Chains): Float64Array {
  const n = chains[0].length;
  const out = new Float64Array(chains.length * n);
  chains.forEach((c, k) => out.set(c, k * n));
  return out;
}

function mapChains(chains: Chains, f: (v: number) => number): Float64Array[] {
  return chains.map((c) => c.map(f));
}

/** posterior's `is_constant`: |max − min| < ε (absolute, ε = 2⁻⁵²). */
function isConstant(chains: Chains): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of chains) {
    for (let i = 0; i < c.length; i++) {
      if (c[i] < lo) lo = c[i];
      if (c[i] > hi) hi = c[i];
    }
  }
  return Math.abs(hi - lo) < Number.EPSILON;
}

/**
 * Splits each chain into its first ⌊n/2⌋ and last ⌊n/2⌋ draws (the middle draw of an
 * odd-length chain is dropped); a chain of one draw is kept whole (posterior's `.split_chains`).
 */
export function splitChains(chains: Chains): Float64Array[] {
  const n = chains[0].length;
  if (n === 1) return chains.map((c) => Float64Array.from(c));
  const h = Math.floor(n / 2);
  const out: Float64Array[] = [];
  for (const c of chains) out.push(c.slice(0, h));
  for (const c of chains) out.push(c.slice(Math.ceil(n / 2 + 1) - 1));
  // posterior binds all first halves then all second halves column-wise; the order of
  // chains does not change any statistic computed here.
  return out;
}

/** Rank normalisation z = Φ⁻¹((r − 3/8)/(S − 3/4 + 1)) over all draws pooled ([1] eq. 14; posterior's `z_scale`). */
export function zScale(chains: Chains): Float64Array[] {
  const all = pooled(chains);
  const r = rankAverage(all);
  const S = all.length;
  const c = 3 / 8;
  const n = chains[0].length;
  return chains.map((_, k) => {
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) z[i] = normalQuantile((r[k * n + i] - c) / (S - 2 * c + 1), 0, 1);
    return z;
  });
}

/** Folding |x − median(x)| over all draws pooled ([1] §4.2). */
export function foldDraws(chains: Chains): Float64Array[] {
  const m = median(pooled(chains));
  return mapChains(chains, (v) => Math.abs(v - m));
}

/** Classic R̂ = √((B/W + n − 1)/n) of the given chains (no splitting); NaN if constant. */
export function rhatOf(chains: Chains): number {
  if (isConstant(chains)) return NaN;
  const n = chains[0].length;
  const means = chains.map((c) => mean(c));
  const vars = chains.map((c) => variance(c));
  const between = n * variance(means);
  const within = mean(vars);
  return Math.sqrt((between / within + n - 1) / n);
}

/**
 * The autocorrelations ρₜ of Geyer's initial positive sequence, made monotone (Geyer 1992;
 * Vehtari et al. 2021 eq. 10): ρₜ = 1 − (W − γₜ)/var⁺ from the mean within-chain
 * autocovariance `acovAt(t)`, the pairs ρₜ + ρₜ₊₁ taken while positive and never increasing.
 * Shared by posterior's ESS and loo's `ess_rfun`, which differ only in how γₜ is computed
 * and summed. Returns the sequence and its last lag maxT.
 */
export function geyerAutocorrelations(
  n: number, meanVar: number, varPlus: number, acovAt: (t: number) => number,
): { rho: Float64Array; maxT: number } {
  const rho = new Float64Array(n);
  let t = 0;
  let rhoEven = 1;
  rho[0] = rhoEven;
  let rhoOdd = 1 - (meanVar - acovAt(1)) / varPlus;
  rho[1] = rhoOdd;
  while (t < n - 5 && !Number.isNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
    t += 2;
    rhoEven = 1 - (meanVar - acovAt(t)) / varPlus;
    rhoOdd = 1 - (meanVar - acovAt(t + 1)) / varPlus;
    if (rhoEven + rhoOdd >= 0) {
      rho[t] = rhoEven;
      rho[t + 1] = rhoOdd;
    }
  }
  const maxT = t;
  if (rhoEven > 0) rho[maxT] = rhoEven;
  // Initial monotone sequence: pairs may not increase.
  t = 0;
  while (t <= maxT - 4) {
    t += 2;
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
      rho[t + 1] = rho[t];
    }
  }
  return { rho, maxT };
}

/**
 * ESS of the given chains (no splitting) by Geyer's initial monotone sequence on the
 * multi-chain autocorrelation ρ̂ₜ = 1 − (W − mean acovₜ)/var⁺ ([1] eqs. 10–11), with
 * τ̂ floored at 1/log₁₀(S) as posterior does. Autocovariances: direct sums for the first
 * 64 lags, an FFT beyond (the same numbers posterior gets with its FFT, up to rounding).
 */
export function essOf(chains: Chains): number {
  const m = chains.length;
  const n = chains[0].length;
  if (n < 3 || isConstant(chains)) return NaN;
  const centred = chains.map((c) => {
    const mu = mean(c);
    return c.map((v) => v - mu);
  });
  // Mean over chains of the biased autocovariance γₖ = Σₜ yₜ yₜ₊ₖ / n: direct sums for the
  // first lags (Geyer's sequence usually stops early), one FFT per chain beyond.
  const memo = new Float64Array(n).fill(NaN);
  let viaFft = false;
  const acovMean = (k: number): number => {
    if (!Number.isNaN(memo[k])) return memo[k];
    if (k >= DIRECT_LAGS && !viaFft) {
      viaFft = true;
      const all = centred.map(autocovarianceFft);
      for (let lag = DIRECT_LAGS; lag < n; lag++) {
        let total = 0;
        for (const a of all) total += a[lag];
        memo[lag] = total / m;
      }
      return memo[k];
    }
    let total = 0;
    for (const y of centred) total += autocovarianceAt(y, k);
    memo[k] = total / m;
    return memo[k];
  };
  const meanVar = (acovMean(0) * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) varPlus += variance(chains.map((c) => mean(c)));
  const { rho, maxT } = geyerAutocorrelations(n, meanVar, varPlus, acovMean);
  const total = m * n;
  // R's sum(rho[1:max_t]); for max_t = 0, 1:0 selects rho[1] alone.
  let sum = 0;
  if (maxT === 0) sum = rho[0];
  else for (let i = 0; i < maxT; i++) sum += rho[i];
  let tau = -1 + 2 * sum + rho[maxT];
  const tauBound = 1 / Math.log10(total);
  if (tau < tauBound) tau = tauBound;
  return total / tau;
}

/**
 * Rank-normalised split-R̂: max of the bulk R̂ (ranks of the draws) and the tail R̂
 * (ranks of the folded draws) ([1] §4.2; posterior's `rhat`).
 */
export function rhat(chains: Chains): number {
  checkChains(chains);
  const bulk = rhatOf(zScale(splitChains(chains)));
  const tail = rhatOf(zScale(splitChains(foldDraws(chains))));
  return Math.max(bulk, tail);
}

/** Split-R̂ without rank normalisation (posterior's `rhat_basic`). */
export function rhatBasic(chains: Chains, split = true): number {
  checkChains(chains);
  return rhatOf(split ? splitChains(chains) : chains);
}

/** Bulk ESS: ESS of the rank-normalised split chains (posterior's `ess_bulk`). */
export function essBulk(chains: Chains): number {
  checkChains(chains);
  return essOf(zScale(splitChains(chains)));
}

/** ESS of split chains without rank normalisation (posterior's `ess_basic`). */
export function essBasic(chains: Chains, split = true): number {
  checkChains(chains);
  return essOf(split ? splitChains(chains) : chains);
}

/** ESS for the mean: ESS of the split chains (posterior's `ess_mean`). */
export function essMean(chains: Chains): number {
  checkChains(chains);
  return essOf(splitChains(chains));
}

/**
 * ESS of the quantile q_p: ESS of the indicator I(x ≤ q̂_p) on split chains, q̂_p of
 * type 7 over all draws; for p = 1, p is replaced by (S − 0.5)/S ([1] §4.3).
 */
export function essQuantile(chains: Chains, prob: number): number {
  checkChains(chains);
  if (!(prob >= 0 && prob <= 1)) throw new ArgumentError(`prob must be in [0, 1], got ${prob}`);
  if (isConstant(chains)) return NaN;
  const all = pooled(chains);
  let p = prob;
  if (p === 1) p = (all.length - 0.5) / all.length;
  const q = quantileSorted(sorted(all), p);
  return essOf(splitChains(mapChains(chains, (v) => (v <= q ? 1 : 0))));
}

/** Tail ESS: min of the ESS of the 5% and 95% quantiles (posterior's `ess_tail`). */
export function essTail(chains: Chains): number {
  const a = essQuantile(chains, 0.05);
  const b = essQuantile(chains, 0.95);
  return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b);
}

/** ESS for the sd: ESS of |x − mean(x)| on split chains (posterior's `ess_sd`). */
export function essSd(chains: Chains): number {
  checkChains(chains);
  const mu = mean(pooled(chains));
  return essOf(splitChains(mapChains(chains, (v) => Math.abs(v - mu))));
}

/** MCSE of the mean: sd(x)/√ESS_mean (posterior's `mcse_mean`). */
export function mcseMean(chains: Chains): number {
  checkChains(chains);
  return sd(pooled(chains)) / Math.sqrt(essMean(chains));
}

/**
 * MCSE of the quantile q_p: half the distance between the order statistics at the
 * 15.9% and 84.1% quantiles of Beta(ESS·p + 1, ESS·(1 − p) + 1) ([1] §4.4; posterior's `mcse_quantile`).
 */
export function mcseQuantile(chains: Chains, prob: number): number {
  const ess = essQuantile(chains, prob);
  if (Number.isNaN(ess)) return NaN;
  const a = ess * prob + 1;
  const b = ess * (1 - prob) + 1;
  const lo = betaQuantile(0.1586553, a, b);
  const hi = betaQuantile(0.8413447, a, b);
  const s = sorted(pooled(chains));
  const S = s.length;
  const th1 = s[Math.max(Math.floor(lo * S), 1) - 1];
  const th2 = s[Math.min(Math.ceil(hi * S), S) - 1];
  return (th2 - th1) / 2;
}

/**
 * MCSE of the sd (posterior 1.4's `mcse_sd`): with c = x − x̄, ESS = ESS_mean(c²),
 * Var[c²] estimate v = (mean(c⁴) − mean(c²)²)/ESS, MCSE = √(v / mean(c²) / 4).
 */
export function mcseSd(chains: Chains): number {
  checkChains(chains);
  const mu = mean(pooled(chains));
  const c2 = mapChains(chains, (v) => (v - mu) * (v - mu));
  const ess = essMean(c2);
  const all2 = pooled(c2);
  const eVar = mean(all2);
  const c4 = all2.map((v) => v * v);
  const varVar = (mean(c4) - eVar * eVar) / ess;
  return Math.sqrt(varVar / eVar / 4);
}

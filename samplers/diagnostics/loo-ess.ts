/**
 * The effective sample size loo 2.5.1 uses for relative_eff (loo:::ess_rfun): the
 * pre-rank-normalisation Stan ESS (no chain splitting), Geyer's initial positive and
 * monotone sequences on the autocorrelations
 *   ρ̂ₜ = 1 − (W − mean_c γ̂ₜ,c)/var⁺,   W = mean_c γ̂₀,c · N/(N − 1),
 *   var⁺ = W (N − 1)/N + var(chain means)  (the last term only with more than one chain),
 *   ESS = C N/τ̂,   τ̂ = max(−1 + 2 Σ_{t<T} ρ̂ₜ + ρ̂_T, 1/log₁₀(C N)).
 *
 * loo's autocovariance is Re(IFFT(|FFT(y − ȳ, padded to 2M)|²))[k]/(2N²) with
 * M = fft_next_good_size(N), the smallest 2,3,5-smooth integer ≥ N. Wiener–Khinchin makes
 * that (M/N) γ̂ₖ, γ̂ₖ = (1/N) Σₜ (yₜ − ȳ)(yₜ₊ₖ − ȳ): for N not 2,3,5-smooth (77 → 80) loo's
 * autocovariances carry a factor M/N that var(chain means) does not. That is what loo
 * computes, so it is reproduced here; the lags are computed by direct sums.
 *
 * References: [1] Geyer (1992), Practical Markov chain Monte Carlo, Statistical Science 7,
 * 473–483; [2] Stan Reference Manual, "Effective sample size"; [3] loo 2.5.1 R/effective_sample_sizes.R.
 */
import { compensatedSum } from "./psis.js";
import { geyerAutocorrelations } from "./convergence.js";

/** loo's fft_next_good_size: the smallest integer ≥ N (and ≥ 2) whose only prime factors are 2, 3, 5. */
export function fftNextGoodSize(N: number): number {
  if (N <= 2) return 2;
  for (;;) {
    let m = N;
    while (m % 2 === 0) m /= 2;
    while (m % 3 === 0) m /= 3;
    while (m % 5 === 0) m /= 5;
    if (m <= 1) return N;
    N++;
  }
}

/** Lagged autocovariances of the centred chains, computed on demand (mean over chains of loo's acov at lag t). */
class MeanAcov {
  private readonly centred: Float64Array[];
  private readonly scale: number;
  constructor(chains: readonly Float64Array[], readonly N: number) {
    this.centred = chains.map((c) => {
      const m = compensatedSum(c) / N;
      return c.map((v) => v - m);
    });
    this.scale = fftNextGoodSize(N) / N;
  }
  at(t: number): number {
    let total = 0;
    for (const y of this.centred) {
      let s = 0;
      for (let j = 0; j + t < this.N; j++) s += y[j] * y[j + t];
      total += (s / this.N) * this.scale;
    }
    return total / this.centred.length;
  }
}

function varianceOfMeans(chains: readonly Float64Array[], N: number): number {
  const C = chains.length;
  const means = chains.map((c) => compensatedSum(c) / N);
  const m = compensatedSum(means) / C;
  let ss = 0;
  for (const v of means) ss += (v - m) * (v - m);
  return ss / (C - 1);
}

/**
 * loo:::ess_rfun on one quantity: `chains` holds its draws, one equal-length array per chain.
 * @example essLoo([Float64Array.from({ length: 100 }, Math.random)]) // ≈ 100 for independent draws
 */
export function essLoo(chains: readonly Float64Array[]): number {
  const C = chains.length;
  const N = chains[0].length;
  const acov = new MeanAcov(chains, N);
  const meanVar = (acov.at(0) * N) / (N - 1);
  let varPlus = (meanVar * (N - 1)) / N;
  if (C > 1) varPlus += varianceOfMeans(chains, N);
  const { rho, maxT } = geyerAutocorrelations(N, meanVar, varPlus, (t) => acov.at(t));
  const ess = C * N;
  // R's sum(rho_hat_t[1:max_t]) is rho[0] alone when max_t = 0 (1:0 = c(1, 0)).
  const head = maxT === 0 ? rho[0] : compensatedSum(rho, 0, maxT);
  let tau = -1 + 2 * head + rho[maxT];
  tau = Number.isNaN(tau) ? tau : Math.max(tau, 1 / Math.log10(ess));
  return ess / tau;
}

/**
 * Diagnostics specific to HMC/NUTS, from Stan's sampler parameters of each chain.
 * [1] Betancourt (2016), "Diagnosing suboptimal cotangent disintegrations in Hamiltonian Monte Carlo", arXiv:1604.00695 (E-BFMI).
 */
import { ArgumentError } from "../../src/errors.js";
import type { SamplerParams } from "../chain.js";
import { variance } from "./basic.js";

/**
 * Energy Bayesian fraction of missing information of one chain:
 * E-BFMI = (Σₙ (Eₙ − Eₙ₋₁)² / N) / var(E) ([1] eq. 5; as rstan's `get_bfmi`). Values below 0.3 are a warning sign.
 * @example ebfmi(Float64Array.of(1, 2, 1, 2)) // (3/4)/(1/3) = 2.25
 */
export function ebfmi(energy: Float64Array): number {
  const n = energy.length;
  if (n < 2) throw new ArgumentError(`energy needs at least 2 draws, got ${n}`);
  let num = 0;
  for (let i = 1; i < n; i++) num += (energy[i] - energy[i - 1]) ** 2;
  return num / n / variance(energy);
}

/** Number of divergent transitions of one chain. */
export function countDivergences(sampler: SamplerParams): number {
  let k = 0;
  for (const d of sampler.divergent__) if (d !== 0) k++;
  return k;
}

/** Number of transitions of one chain that stopped at the maximum tree depth. */
export function countTreeDepthSaturation(sampler: SamplerParams, maxTreeDepth: number): number {
  let k = 0;
  for (const d of sampler.treedepth__) if (d >= maxTreeDepth) k++;
  return k;
}

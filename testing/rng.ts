/**
 * One seeded stream of random variates for the data generators: the seeded
 * MT19937 stream of src/util/rng.ts drives every `@stdlib/random-base-*`
 * generator, so a data set is a pure function of its seed. Never `Math.random`.
 */
import normalFactory from "@stdlib/random-base-normal";
import uniformFactory from "@stdlib/random-base-uniform";
import binomialFactory from "@stdlib/random-base-binomial";
import poissonFactory from "@stdlib/random-base-poisson";
import gammaFactory from "@stdlib/random-base-gamma";
import negativeBinomialFactory from "@stdlib/random-base-negative-binomial";
import { ArgumentError } from "../src/errors.js";
import type { Variates } from "../src/types.js";
import { MAX_STREAM_SEED, uniformStream } from "../src/util/rng.js";

/** The variates a generator needs, all from one seeded MT19937 stream. */
export interface SimulationRng extends Variates {
  readonly seed: number;
  /**
   * Tweedie with 1 < power < 2 (compound Poisson–gamma, variance φ μ^power):
   * N ~ Poisson(μ^{2−p}/(φ(2−p))), y = Σ_{k≤N} Gamma(shape (2−p)/(p−1), scale φ(p−1)μ^{p−1}).
   */
  tweedie(mean: number, dispersion: number, power: number): number;
}

/** Largest seed MT19937 accepts. */
export const MAX_SEED = MAX_STREAM_SEED;

/**
 * A seeded {@link SimulationRng}; `seed` is an integer in [1, 2³² − 1].
 * @example simulationRng(7).uniform() // the same number on every run
 */
export function simulationRng(seed: number): SimulationRng {
  const opts = { prng: uniformStream(seed) };
  const unif = uniformFactory.factory(0, 1, opts);
  const norm = normalFactory.factory(opts);
  const binom = binomialFactory.factory(opts);
  const pois = poissonFactory.factory(opts);
  const gam = gammaFactory.factory(opts);
  const nb = negativeBinomialFactory.factory(opts);
  const rng: SimulationRng = {
    seed,
    uniform: () => unif(),
    normal: (mean, sd) => norm(mean, sd),
    binomial: (trials, prob) => binom(trials, prob),
    poisson: (mean) => (mean === 0 ? 0 : pois(mean)),
    gamma: (shape, rate) => gam(shape, rate),
    negativeBinomial: (mean, theta) => (mean === 0 ? 0 : nb(theta, theta / (theta + mean))),
    inverseGaussian(mean, lambda) {
      // Michael, Schucany & Haas (1976), Am. Stat. 30:88–90, with the root written
      // without cancellation: x = μ·4λa/(a + b)², a = μν², b = √(a² + 4λa).
      const v = norm(0, 1);
      const a = mean * v * v;
      const b = Math.sqrt(a * a + 4 * lambda * a);
      const x = a === 0 ? mean : (mean * 4 * lambda * a) / ((a + b) * (a + b));
      return unif() <= mean / (mean + x) ? x : (mean * mean) / x;
    },
    tweedie(mean, dispersion, power) {
      if (!(power > 1 && power < 2)) throw new ArgumentError(`tweedie power must be in (1, 2) to simulate, got ${power}`);
      const count = rng.poisson(Math.pow(mean, 2 - power) / (dispersion * (2 - power)));
      if (count === 0) return 0;
      const shape = (2 - power) / (power - 1);
      const scale = dispersion * (power - 1) * Math.pow(mean, power - 1);
      return gam(count * shape, 1 / scale);
    },
  };
  return rng;
}

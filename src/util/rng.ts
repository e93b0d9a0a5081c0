/**
 * The one seeded random stream of glmkit: the Mersenne Twister MT19937 of
 * `@stdlib/random-base-mt19937` (Matsumoto & Nishimura 1998), read as doubles on
 * [0, 1) with 53-bit resolution (`normalized`). Every seeded draw (the samplers'
 * chains, prior draws, Laplace draws, simulated data sets, posterior predictive
 * draws) starts here, and the `@stdlib/random-base-*` generators are driven by it
 * through their `prng` option, so a seed fixes every draw bit for bit.
 * Never `Math.random`.
 *
 * Reference: [1] Matsumoto & Nishimura (1998), Mersenne Twister: a 623-dimensionally
 * equidistributed uniform pseudo-random number generator, ACM TOMACS 8, 3–30.
 */
import mt19937 from "@stdlib/random-base-mt19937";
import normalFactory from "@stdlib/random-base-normal";
import { ArgumentError } from "../errors.js";

/** Largest seed MT19937 accepts (2³² − 1); seeds are integers in [1, MAX_STREAM_SEED]. */
export const MAX_STREAM_SEED = 4294967295;

/** Throws an ArgumentError unless `seed` is an integer in [1, 2³² − 1]; `what` names it in the message. */
export function checkStreamSeed(seed: number, what = "seed"): void {
  if (!Number.isInteger(seed) || seed < 1 || seed > MAX_STREAM_SEED) {
    throw new ArgumentError(`${what} must be an integer in [1, 2^32 - 1], got ${seed}`);
  }
}

/**
 * A seeded uniform stream on [0, 1): MT19937's `normalized` doubles.
 * @example uniformStream(42)() // 0.3745401188473625 (on every run)
 */
export function uniformStream(seed: number, what = "seed"): () => number {
  checkStreamSeed(seed, what);
  // `normalized` exists at run time but is missing from stdlib's type declarations.
  return (mt19937.factory({ seed }) as unknown as { normalized: () => number }).normalized;
}

/**
 * Standard normal draws (stdlib's improved ziggurat) driven by `prng`.
 * @example const z = standardNormalFrom(uniformStream(1)); z() // the same number on every run
 */
export function standardNormalFrom(prng: () => number): () => number {
  return normalFactory.factory(0, 1, { prng });
}

/**
 * A seeded standard-normal stream: {@link standardNormalFrom} of {@link uniformStream}.
 * @example standardNormalStream(1)() // the same number on every run
 */
export function standardNormalStream(seed: number, what = "seed"): () => number {
  const rnorm = standardNormalFrom(uniformStream(seed, what));
  return () => rnorm();
}

/**
 * Seeded randomness for the samplers: one seeded MT19937 stream per chain
 * (src/util/rng.ts), with normal draws from @stdlib's normal generator fed by that
 * same stream. Never `Math.random`.
 */
import { ArgumentError } from "../src/errors.js";
import { standardNormalFrom, uniformStream } from "../src/util/rng.js";
import type { Rng } from "./types.js";

/** Largest seed accepted (2⁵³ − 1, the largest exactly representable integer). */
const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** Finaliser of MurmurHash3 (fmix32): a bijective avalanche on 32-bit integers. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Throws an ArgumentError unless `seed` is an integer in [0, 2⁵³ − 1]. */
export function checkSeed(seed: number, what = "seed"): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new ArgumentError(`${what} must be an integer in [0, 2^53 - 1], got ${seed}`);
  }
}

/**
 * Seed of chain `chain` derived from the run's `seed`:
 * fmix32(fmix32(lo) ⊕ fmix32(hi + 0x9e3779b9) ⊕ fmix32(chain·0x632be5ab + 1)), mapped into [1, 2³² − 1]
 * (MT19937 wants a positive 32-bit seed). Deterministic; distinct chains get unrelated streams.
 * @example chainSeed(1, 0) !== chainSeed(1, 1) // true
 */
export function chainSeed(seed: number, chain: number): number {
  checkSeed(seed);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  const h = fmix32(fmix32(lo) ^ fmix32((hi + 0x9e3779b9) >>> 0) ^ fmix32((Math.imul(chain, 0x632be5ab) + 1) >>> 0));
  return h === 0 ? 1 : h;
}

/**
 * A seeded `Rng`: `uniform()` is MT19937's double on [0, 1) and `normal()` is
 * @stdlib/random-base-normal (improved ziggurat) driven by the same MT19937 stream.
 * @example const rng = createRng(42); rng.uniform(); // same number on every run
 */
export function createRng(seed: number): Rng {
  const uniform = uniformStream(seed, "rng seed");
  const normal = standardNormalFrom(uniform);
  return { uniform: () => uniform(), normal: () => normal() };
}

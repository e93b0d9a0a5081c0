/**
 * Random variates for prior draws, from `@stdlib/random-base-*`, driven by a
 * caller-supplied uniform source so that a seeded generator makes every draw
 * reproducible bit for bit. One set of stdlib generators is built per uniform
 * source, lazily, and cached in a WeakMap (no allocation per draw).
 */
import normalFactory from "@stdlib/random-base-normal";
import tFactory from "@stdlib/random-base-t";
import cauchyFactory from "@stdlib/random-base-cauchy";
import laplaceFactory from "@stdlib/random-base-laplace";
import logisticFactory from "@stdlib/random-base-logistic";
import exponentialFactory from "@stdlib/random-base-exponential";
import gammaFactory from "@stdlib/random-base-gamma";
import { ArgumentError } from "../errors.js";
import { uniformStream } from "../util/rng.js";
import type { RandomSource, UniformSource } from "./types.js";

/** The stdlib generators bound to one uniform source. */
export interface Variates {
  normal(mu: number, sigma: number): number;
  t(df: number): number;
  cauchy(location: number, scale: number): number;
  laplace(location: number, scale: number): number;
  logistic(location: number, scale: number): number;
  exponential(rate: number): number;
  /** Gamma with shape α and rate β (stdlib's parametrisation). */
  gamma(shape: number, rate: number): number;
}

const cache = new WeakMap<object, Variates>();

/** The (cached) stdlib generators driven by `rng` (a uniform function, or an object with `uniform()`). */
export function variates(rng: RandomSource): Variates {
  let v = cache.get(rng);
  if (v === undefined) {
    let prng: UniformSource;
    if (typeof rng === "function") {
      prng = rng;
    } else if (typeof rng === "object" && rng !== null && typeof rng.uniform === "function") {
      const source = rng;
      prng = () => source.uniform();
    } else {
      throw new ArgumentError(`rng must be a function returning uniform numbers on [0, 1) or an object with uniform(), got ${String(rng)}`);
    }
    const opts = { prng };
    v = {
      normal: normalFactory.factory(opts),
      t: tFactory.factory(opts),
      cauchy: cauchyFactory.factory(opts),
      laplace: laplaceFactory.factory(opts),
      logistic: logisticFactory.factory(opts),
      exponential: exponentialFactory.factory(opts),
      gamma: gammaFactory.factory(opts),
    };
    cache.set(rng, v);
  }
  return v;
}

/**
 * A seeded uniform source on [0, 1): the MT19937 stream of src/util/rng.ts
 * (Matsumoto & Nishimura 1998), 53-bit resolution.
 * @example uniformSource(42)() // 0.3745401188473625 (on every run)
 */
export const uniformSource: (seed: number) => UniformSource = uniformStream;

/**
 * Small pieces shared by the arbitraries: integer ranges given as a number or
 * {min, max}, readable coefficient units (multiples of ¼ in [−1, 1], shrinking
 * to 0), and seeds (shrinking to 1).
 */
import fc from "fast-check";
import { ArgumentError } from "../src/errors.js";

/** A fixed integer or an inclusive range. */
export type IntRange = number | { min: number; max: number };

/** Bounds of an {@link IntRange}, checked: integers, min ≤ max, min ≥ `floor`. */
function rangeBounds(name: string, r: IntRange, floor: number): { min: number; max: number } {
  const b = typeof r === "number" ? { min: r, max: r } : r;
  if (!Number.isInteger(b.min) || !Number.isInteger(b.max) || b.min > b.max || b.min < floor) {
    throw new ArgumentError(`${name} must be an integer ≥ ${floor} or a range {min, max} of such integers with min ≤ max; got ${JSON.stringify(r)}`);
  }
  return b;
}

/** fast-check integer over an {@link IntRange} (shrinks to its minimum). */
export function intArb(name: string, r: IntRange, floor: number): fc.Arbitrary<number> {
  const b = rangeBounds(name, r, floor);
  return b.min === b.max ? fc.constant(b.min) : fc.integer(b);
}

/** A coefficient unit: k/4 for k in −4…4, shrinking to 0. */
export const unitArb: fc.Arbitrary<number> = fc.integer({ min: -4, max: 4 }).map(
  (k) => k / 4,
  (u) => {
    if (typeof u !== "number" || !Number.isInteger(u * 4) || Math.abs(u) > 1) throw new Error("not a coefficient unit");
    return u * 4;
  },
);

/** `len` coefficient units. */
export function unitsArb(len: number): fc.Arbitrary<number[]> {
  return fc.array(unitArb, { minLength: len, maxLength: len });
}

/** A seed for the MT19937 stream, in [1, 2³¹ − 1], shrinking to 1. */
export const seedArb: fc.Arbitrary<number> = fc.integer({ min: 1, max: 2 ** 31 - 1 });

/** Checks a seed given directly (an integer in [1, 2³² − 1], the seeds of src/util/rng.ts). */
export { checkStreamSeed as checkSeed } from "../src/util/rng.js";

/**
 * The one pass over a declared design (checkDesign, src/fit/design-scaling.ts): its
 * column maxima and constant columns equal the naive column loops, the first non-finite
 * entry is the one a row-major search finds, and what it remembers gives the scaling
 * exponents and the separation column checks the same answers as reading X again; the
 * separation check's own validation reports the first fault of the row-by-row order
 * (y before X on a row) whether X is scanned or already checked.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { checkDesign, checkedFacts, columnExponents, columnMaxima, columnRanges } from "../../src/fit/design-scaling.js";
import { designBuffer, wasmKernelsAvailable } from "../../src/linalg/kernels/index.js";
import { designBufferRanges } from "../../src/linalg/kernels/design-buffer.js";
import { detectSeparationByColumns, type SeparationProblem } from "../../src/separation.js";
import { DataError } from "../../src/errors.js";
import { glm } from "../../models/glm.js";

const FC = { numRuns: 150 };

/** Designs with constant columns, zeros of both signs, 0/1 columns and badly scaled ones. */
const design = fc.record({ n: fc.integer({ min: 1, max: 30 }), p: fc.integer({ min: 1, max: 6 }) }).chain(({ n, p }) =>
  fc.record({
    n: fc.constant(n),
    p: fc.constant(p),
    kinds: fc.array(fc.constantFrom("const", "zero", "binary", "normal", "huge", "tiny"), { minLength: p, maxLength: p }),
    values: fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: n * p, maxLength: n * p }),
    y: fc.array(fc.constantFrom(0, 1, 0.5), { minLength: n, maxLength: n }),
    w: fc.array(fc.constantFrom(0, 1, 2), { minLength: n, maxLength: n }),
  }),
).map(({ n, p, kinds, values, y, w }) => {
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) {
    const v = values[i * p + j]!;
    const k = kinds[j]!;
    X[i * p + j] = k === "const" ? (j === 0 ? 1 : -2.5) : k === "zero" ? (v < 0 ? -0 : 0) : k === "binary" ? (v > 1 ? 1 : 0)
      : k === "huge" ? v * 2 ** 700 : k === "tiny" ? v * 2 ** -700 : v;
  }
  return { X, n, p, y: Float64Array.from(y), w: Float64Array.from(w) };
});

function naive(X: Float64Array, n: number, p: number): { max: number[]; constant: number[] } {
  const max: number[] = [];
  const constant: number[] = [];
  for (let j = 0; j < p; j++) {
    let m = 0;
    let c = true;
    for (let i = 0; i < n; i++) {
      m = Math.max(m, Math.abs(X[i * p + j]!));
      if (X[i * p + j] !== X[j]) c = false;
    }
    max.push(m);
    constant.push(c ? X[j]! : Number.NaN);
  }
  return { max, constant };
}

const never = (): never => {
  throw new Error("finite design reported non-finite");
};

describe("checkDesign: one pass for finiteness, maxima and constant columns", () => {
  it("maxima and constant columns are the column loops'; the exponents are those of X read again", () => {
    fc.assert(fc.property(design, ({ X, n, p }) => {
      const facts = checkDesign(X, n, p, never);
      const ref = naive(X, n, p);
      expect(Array.from(facts.max)).toEqual(ref.max);
      expect(Array.from(facts.constant)).toEqual(ref.constant);
      expect(Array.from(columnMaxima(X, n, p))).toEqual(ref.max);
      expect(checkedFacts(X, n, p)).toBe(facts);
      expect(checkedFacts(Float64Array.from(X), n, p)).toBeNull(); // by the array, not its values
      expect(columnExponents(X, n, p)).toEqual(columnExponents(Float64Array.from(X), n, p));
    }), FC);
  });

  it("a non-finite entry: the first in row-major order, as the search finds it", () => {
    fc.assert(fc.property(design, fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), fc.constantFrom(NaN, Infinity, -Infinity),
      ({ X, n, p }, at, bad) => {
        for (const k of at) X[k % (n * p)] = bad;
        const first = X.findIndex((v) => !Number.isFinite(v));
        let seen: [number, number, number] | null = null;
        expect(() => checkDesign(X, n, p, (i, j, v) => {
          seen = [i, j, v];
          throw new DataError("bad");
        })).toThrow(DataError);
        expect(seen).toEqual([Math.floor(first / p), first % p, X[first]]);
        expect(checkedFacts(X, n, p)).toBeNull();
      }), FC);
  });

  it("columnMaxima is NaN for a column holding a NaN (Math.max's convention), on arrays of numbers too", () => {
    expect(Array.from(columnMaxima([1, -3, NaN, 2, 0.5, -7], 3, 2))).toEqual([NaN, 7]);
  });

  it("the glm design error names the first non-finite cell", () => {
    const X = Float64Array.from([1, 0, 1, 2, 1, Infinity, 1, NaN]);
    expect(() => glm({ design: { X, y: [0, 1, 0, 1], n: 4, p: 2 }, family: "binomial" })).toThrow(/row 3, column 2 is Infinity/);
  });
});

describe("the separation column checks on a checked design", () => {
  const problemOf = (X: Float64Array, n: number, p: number, y: Float64Array, w: Float64Array): SeparationProblem =>
    ({ X, n, p, columnNames: Array.from({ length: p }, (_, j) => `c${j}`), y, weights: w });

  it("give the verdicts, directions and evidence of the unchecked design (weights with zeros, or all positive)", () => {
    fc.assert(fc.property(design, fc.boolean(), ({ X, n, p, y, w }, allUsed) => {
      const weights = allUsed ? Float64Array.from(w, (v) => v + 1) : w;
      if (!weights.some((v) => v > 0)) return;
      const fresh = Float64Array.from(X);
      checkDesign(X, n, p, never);
      const a = detectSeparationByColumns(problemOf(X, n, p, y, weights));
      const b = detectSeparationByColumns(problemOf(fresh, n, p, y, weights));
      expect(a).toEqual(b);
    }), FC);
  });

  it("validation reports the first fault row by row, y before X on the same row", () => {
    const n = 4, p = 2;
    const base = () => Float64Array.from([1, 0, 1, 1, 1, 0, 1, 1]);
    const run = (X: Float64Array, y: number[]) => () => detectSeparationByColumns(problemOf(X, n, p, Float64Array.from(y), new Float64Array(n).fill(1)));
    const X1 = base();
    X1[2 * p + 1] = NaN; // row 3
    expect(run(X1, [0, 1, 0, 2])).toThrow(/X: column "c1" row 3 is NaN/);
    expect(run(X1, [0, 1, 2, 1])).toThrow(/y: row 3 is 2/);
    expect(run(X1, [0, -1, 1, 1])).toThrow(/y: row 2 is -1/);
    expect(run(base(), [0, 1, 0, 7])).toThrow(/y: row 4 is 7/);
    // A checked design is not scanned again: only y is.
    const X2 = base();
    checkDesign(X2, n, p, never);
    expect(run(X2, [0, 1, 0, 7])).toThrow(/y: row 4 is 7/);
    expect(run(X2, [0, 1, 1, 0])().separation).toBe(false);
    expect(run(X2, [0, 1, 0, 1])().infinite).toEqual({ c0: "-Inf", c1: "+Inf" });
  });
});

describe.skipIf(!wasmKernelsAvailable())("the SIMD column scan of a design buffer", () => {
  const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  it("gives the TypeScript loop's minima and maxima bit for bit (NaN, ±Infinity, ±0, odd p, any n)", () => {
    const special = fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1, -1, 5e-324, -1.7976931348623157e308);
    fc.assert(fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 1, max: 9 }), fc.array(fc.oneof(fc.double(), special), { minLength: 207, maxLength: 207 }),
      (n, p, values) => {
        const X = designBuffer(n, p);
        for (let k = 0; k < n * p; k++) X[k] = values[k % values.length]!;
        const simd = designBufferRanges(X, n, p)!;
        const ts = columnRanges(Float64Array.from(X), n, p);
        for (let j = 0; j < p; j++) {
          expect(same(simd.lo[j]!, ts.lo[j]!), `lo ${j}`).toBe(true);
          expect(same(simd.hi[j]!, ts.hi[j]!), `hi ${j}`).toBe(true);
        }
        expect(designBufferRanges(Float64Array.from(X), n, p)).toBeNull();
      }), FC);
  });

  it("checkDesign on a design buffer: the facts of the same values in an ordinary array", () => {
    fc.assert(fc.property(design, ({ X, n, p }) => {
      const B = designBuffer(n, p);
      B.set(X);
      const a = checkDesign(B, n, p, never);
      const b = checkDesign(X, n, p, never);
      expect(Array.from(a.max)).toEqual(Array.from(b.max));
      expect(Array.from(a.constant)).toEqual(Array.from(b.constant));
    }), { numRuns: 50 });
  });
});

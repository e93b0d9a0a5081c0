/**
 * The foundation utilities of src/util (and the shared linear-algebra pieces):
 * each has one copy, used by every layer, so each is pinned here against R or a
 * closed form.
 */
import { describe, expect, it } from "vitest";
import { quantile, quantileSorted, sorted } from "../../src/util/quantile.js";
import { lchooseRounded, roundHalfEven } from "../../src/util/round.js";
import { checkStreamSeed, standardNormalFrom, standardNormalStream, uniformStream } from "../../src/util/rng.js";
import { formatRNumber } from "../../src/util/format-r.js";
import { rowBlocks, runInLanes, sharedFloat64, isShared, viewOf, fromView, helperThreads } from "../../src/util/worker-pool.js";
import { anovaChisq } from "../../src/stats/anova-chisq.js";
import { qrKeptColumns } from "../../src/linalg/qr-columns.js";
import { rowQuadraticFormsInto } from "../../src/linalg/kernels.js";
import { ArgumentError } from "../../src/errors.js";

describe("quantile (R's type 7)", () => {
  it("matches R's quantile()", () => {
    // R: quantile(c(3,1,4,1,5,9,2,6), c(0, .05, .25, .5, .95, 1)) = 1.00 1.00 1.75 3.50 7.95 9.00
    const x = [3, 1, 4, 1, 5, 9, 2, 6];
    const want = [1, 1, 1.75, 3.5, 7.95, 9];
    [0, 0.05, 0.25, 0.5, 0.95, 1].forEach((p, k) => expect(quantile(x, p)).toBeCloseTo(want[k]!, 14));
    expect(quantileSorted(sorted(x), 0.5)).toBe(3.5);
  });
  it("returns the single value, and x_lo exactly when x_hi equals it", () => {
    expect(quantile([7], 0.3)).toBe(7);
    expect(quantileSorted(Float64Array.of(0.1, 0.1, 0.1), 0.37)).toBe(0.1);
  });
  it("refuses no values and probabilities outside [0, 1]", () => {
    expect(() => quantile([], 0.5)).toThrow(ArgumentError);
    expect(() => quantile([1, 2], 1.5)).toThrow(/probability must be in \[0, 1\]/);
    expect(() => quantile([1, 2], NaN)).toThrow(ArgumentError);
  });
});

describe("R's round and the rounded lchoose", () => {
  it("rounds halves to even", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, 3]);
  });
  it("lchoose(round(m), round(k)), 0 for m that rounds to 0", () => {
    expect(lchooseRounded(4, 2)).toBeCloseTo(Math.log(6), 14);
    expect(lchooseRounded(10, 2.5)).toBeCloseTo(Math.log(45), 13); // round(2.5) = 2
    expect(lchooseRounded(0, 0)).toBe(0);
    expect(lchooseRounded(0.4, 0.2)).toBe(0);
  });
});

describe("the seeded MT19937 stream", () => {
  it("gives MT19937's doubles (seed 42 → 0.3745401188473625, as numpy's RandomState(42).random_sample())", () => {
    expect(uniformStream(42)()).toBe(0.3745401188473625);
  });
  it("is a pure function of its seed", () => {
    const a = uniformStream(7);
    const b = uniformStream(7);
    for (let k = 0; k < 100; k++) expect(a()).toBe(b());
    const z1 = standardNormalStream(3);
    const z2 = standardNormalFrom(uniformStream(3));
    for (let k = 0; k < 100; k++) expect(z1()).toBe(z2());
  });
  it("refuses seeds outside [1, 2^32 - 1], naming them", () => {
    for (const bad of [0, -1, 1.5, 2 ** 32, NaN]) expect(() => checkStreamSeed(bad)).toThrow(ArgumentError);
    expect(() => uniformStream(0, "rng seed")).toThrow(/^rng seed must be an integer in \[1, 2\^32 - 1\], got 0$/);
    expect(() => checkStreamSeed(2 ** 32 - 1)).not.toThrow();
  });
});

describe("R's number format", () => {
  it("prints as R's format(x, digits) and deparse()", () => {
    expect(formatRNumber(1e5)).toBe("1e+05");
    expect(formatRNumber(123456)).toBe("123456");
    expect(formatRNumber(1 / 3)).toBe("0.333333333333333");
    expect(formatRNumber(1.52727, 4)).toBe("1.527");
    expect(formatRNumber(1e6, 7)).toBe("1e+06");
    expect(formatRNumber(-0.000012345, 3)).toBe("-1.23e-05");
    // R: format(12.5, digits = 1) is "12" (sprintf's %.0f rounds the tie to even).
    expect(formatRNumber(12.5, 1)).toBe("12");
    expect([NaN, Infinity, -Infinity, 0].map((x) => formatRNumber(x))).toEqual(["NaN", "Inf", "-Inf", "0"]);
  });
});

describe("worker-pool helpers", () => {
  it("splits rows at multiples of 4, the last block taking the rest", () => {
    expect(rowBlocks(10, 2)).toEqual([0, 4, 10]);
    expect(rowBlocks(103, 4)).toEqual([0, 24, 48, 76, 103]);
    for (const b of rowBlocks(1001, 3).slice(1, -1)) expect(b % 4).toBe(0);
  });
  it("keeps results in item order whatever the finishing order", async () => {
    const delays = [30, 5, 20, 0, 10];
    const out = await runInLanes(delays, 2, (d, i) => new Promise<number>((r) => setTimeout(() => r(i * 10), d)));
    expect(out).toEqual([0, 10, 20, 30, 40]);
    expect(await runInLanes([], 3, async () => 1)).toEqual([]);
  });
  it("shares Float64Arrays by view, and counts helper threads as cores − 1 (at most 7)", () => {
    const a = sharedFloat64(6);
    for (let k = 0; k < 6; k++) a[k] = k;
    expect(isShared(a)).toBe(true);
    expect(isShared(new Float64Array(2))).toBe(false);
    const b = fromView(viewOf(a.subarray(2, 5)));
    expect(Array.from(b)).toEqual([2, 3, 4]);
    const prev = process.env.GLMKIT_THREADS;
    try {
      process.env.GLMKIT_THREADS = "4";
      expect(helperThreads()).toBe(3);
      process.env.GLMKIT_THREADS = "64";
      expect(helperThreads()).toBe(7);
      process.env.GLMKIT_THREADS = "1";
      expect(helperThreads()).toBe(0);
    } finally {
      if (prev === undefined) delete process.env.GLMKIT_THREADS;
      else process.env.GLMKIT_THREADS = prev;
    }
  });
});

describe("analysis-of-deviance χ² (R's stat.anova)", () => {
  it("p = P(χ²_df > ΔD/φ), with the sign of Δdf", () => {
    // R: pchisq(3.841458820694124, 1, lower.tail = FALSE) = 0.05
    expect(anovaChisq(3.841458820694124, 1, 1).p_value).toBeCloseTo(0.05, 14);
    // R: pchisq(10 / 2, 3, lower.tail = FALSE) = 0.1717971
    const t = anovaChisq(10, 3, 2);
    expect(t.statistic).toBe(5);
    expect(t.p_value).toBeCloseTo(0.17179714429673, 12);
    // A bigger model listed first: negative df and deviance give the same test.
    expect(anovaChisq(-10, -3, 2).p_value).toBe(t.p_value);
  });
  it("has no p-value for Δdf = 0 or a negative signed statistic (R's NA)", () => {
    expect(anovaChisq(1, 0, 1).p_value).toBeNaN();
    expect(anovaChisq(-1, 2, 1).p_value).toBeNaN();
  });
});

describe("shared linear algebra", () => {
  it("qrKeptColumns drops a column collinear with earlier ones, as R's qr()", () => {
    // columns: 1, x, 2x, z
    const rows = [[1, 1, 2, 0], [1, 2, 4, 1], [1, 3, 6, 0], [1, 4, 8, 1]];
    const X = Float64Array.from(rows.flat());
    const r = qrKeptColumns(X, 4, 4);
    expect(Array.from(r.kept)).toEqual([0, 1, 3]);
    expect(Array.from(r.aliased)).toEqual([0, 0, 1, 0]);
    // On rows 0 and 2 only, z is 0: aliased too.
    expect(Array.from(qrKeptColumns(X, 4, [0, 2]).kept)).toEqual([0, 1]);
  });
  it("rowQuadraticFormsInto reads the leading p×p block of a wider C", () => {
    const X = Float64Array.of(1, 2, 0, 3);
    // C is 3×3 (ldc = 3); its leading 2×2 block is [[2, 1], [1, 3]].
    const C = Float64Array.of(2, 1, 9, 1, 3, 9, 9, 9, 9);
    const out = new Float64Array(2);
    rowQuadraticFormsInto(X, 2, 2, C, out, 3);
    expect(Array.from(out)).toEqual([2 + 4 + 12, 27]);
    const C2 = Float64Array.of(2, 1, 1, 3);
    rowQuadraticFormsInto(X, 2, 2, C2, out);
    expect(Array.from(out)).toEqual([18, 27]);
  });
});

/**
 * exp, log and log1p of assembly/math.ts (f64x2 through KernelArena.expInto/logInto/
 * log1pInto, and the scalar ports) give the same bits as V8's Math.exp, Math.log
 * and Math.log1p: over 2·10⁶+ arguments per function spread across the whole f64
 * range (random bit patterns, uniform and log-uniform magnitudes of both signs,
 * the fdlibm branch boundaries ± ulps) and every edge value. NaN equals NaN (V8
 * does not promise NaN payloads); every other result must match bit for bit,
 * +0 and −0 told apart.
 */
import { describe, it, expect } from "vitest";
import { KernelArena, wasmKernelsAvailable, wasmMathMatchesHost } from "../../src/linalg/kernels/index.js";

type Fn = "exp" | "log" | "log1p";
const REF: Record<Fn, (x: number) => number> = { exp: Math.exp, log: Math.log, log1p: Math.log1p };

/** xorshift32 → uniform u32. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
function fromWords(hi: number, lo: number): number {
  u32[1] = hi >>> 0;
  u32[0] = lo >>> 0;
  return f64[0]!;
}
function words(x: number): [number, number] {
  f64[0] = x;
  return [u32[1]!, u32[0]!];
}
/** x moved by `d` ulps (through its bit pattern, same sign). */
function ulps(x: number, d: number): number {
  f64[0] = x;
  const b = new BigUint64Array(f64.buffer);
  b[0] = BigInt.asUintN(64, b[0]! + BigInt(d));
  return f64[0]!;
}
function around(xs: number[], radius = 3): number[] {
  const out: number[] = [];
  for (const x of xs) for (let d = -radius; d <= radius; d++) out.push(ulps(x, d), -ulps(x, d));
  return out;
}

const LN2 = Math.LN2;
/** Edge values shared by all three functions. */
function commonEdges(): number[] {
  const e = [0, -0, Infinity, -Infinity, NaN, Number.MIN_VALUE, Number.MAX_VALUE, 2 ** -1022, 2 ** -1023, 2 ** -1050,
    1, -1, 2, 0.5, 1e-300, 1e300, 2 ** 53, 2 ** 52, fromWords(0x7ff80000, 1), fromWords(0xfff00000, 1)];
  for (let k = -1075; k <= 1024; k++) e.push(2 ** k);
  return [...around(e, 4), NaN];
}
function expEdges(): number[] {
  const e = [709.782712893384, 7.09782712893383973096e+02, -745.1332191019411, -7.45133219101941108420e+02, 708, -708,
    709, 709.78, -709.78, 709.7, -745, -744.44, 0.5 * LN2, 1.5 * LN2, 2 ** -28, 1,
    fromWords(0x40862e42, 0), fromWords(0x40862000, 0), fromWords(0x3fd62e42, 0xffffffff), fromWords(0x3fd62e43, 0),
    fromWords(0x3ff0a2b2, 0), fromWords(0x3ff0a2b1, 0xffffffff), fromWords(0x3e300000, 0), fromWords(0x3e2fffff, 0xffffffff)];
  // k·ln2 and (k + ½)·ln2, where k = trunc(x/ln2 ± ½) changes.
  for (let k = -1080; k <= 1030; k++) e.push(k * LN2, (k + 0.5) * LN2);
  return [...around(e, 3), ...commonEdges()];
}
function logEdges(): number[] {
  const e = [Math.SQRT2, Math.SQRT1_2, 1 + 2 ** -20, 1 - 2 ** -20, 1 + 2 ** -21, 1 - 2 ** -21, Math.E, 10, 3];
  for (const hi of [0x3ff6a09e, 0x3ff6a09f, 0x3fe6a09e, 0x3fe6a09f, 0x3ff6147a, 0x3ff6b851, 0x3ff6147b, 0x3ff6b850, 0x3fffffff, 0x3ff00001]) {
    e.push(fromWords(hi, 0), fromWords(hi, 0xffffffff));
  }
  for (let k = -1074; k <= 1023; k++) e.push(1.5 * 2 ** k, Math.SQRT2 * 2 ** k);
  return [...around(e, 3), ...commonEdges()];
}
function log1pEdges(): number[] {
  const e = [Math.SQRT2 - 1, 1 - Math.SQRT1_2, -(1 - Math.SQRT1_2), 2 ** -29, 2 ** -54, 2 ** -20, -1 + 2 ** -53,
    -1 + 2 ** -30, 1, -0.5, 0.5, 2 ** 53 - 1, 2 ** 53, 2 ** 1023, Math.E - 1];
  for (const hi of [0x3fda827a, 0x3fda8279, 0xbfd2bec4, 0xbfd2bec3, 0xbfd2bec5, 0x3e200000, 0x3c900000, 0x43400000,
    0x3ff6a09e, 0x3fe6a09e, 0xbfe6a09e, 0x433fffff]) {
    e.push(fromWords(hi, 0), fromWords(hi, 0xffffffff));
  }
  // 1 + x near powers of two (where k changes) and near sqrt(2)·2^k (the u/2 normalisation).
  for (let k = -60; k <= 60; k++) e.push(2 ** k - 1, Math.SQRT2 * 2 ** k - 1, 2 ** k);
  return [...around(e, 3), ...commonEdges()];
}

/** Random arguments: bit patterns, and magnitudes uniform in the exponent, both signs; plus a function-specific range. */
function randomArgs(fn: Fn, n: number, seed: number): Float64Array {
  const next = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const mode = i % 5;
    let x: number;
    if (mode === 0) {
      x = fromWords(next(), next()); // any bit pattern
    } else if (mode === 1) {
      // log-uniform magnitude over the whole range (subnormals included), random sign
      const ex = next() % 2100; // biased exponents 0..2047 (and a few more clipped to ∞/NaN)
      x = fromWords(((Math.min(ex, 2047) << 20) | (next() & 0xfffff)) | (next() & 0x80000000), next());
    } else if (fn === "exp") {
      x = mode === 2 ? (next() / 2 ** 32) * 1600 - 800
        : mode === 3 ? ((next() / 2 ** 32) * 2 - 1) * 2 ** ((next() % 70) - 60) // |x| in 2^-60..2^10
        : ((next() / 2 ** 32) * 2 - 1) * 40; // IRLS-sized η
    } else if (fn === "log") {
      x = mode === 2 ? 2 ** ((next() / 2 ** 32) * 2098 - 1074) // positive log-uniform
        : mode === 3 ? 1 + ((next() / 2 ** 32) * 2 - 1) * 2 ** -((next() % 60)) // near 1
        : next() / 2 ** 32; // μ in (0, 1)
    } else {
      x = mode === 2 ? ((next() & 1) ? -1 : 1) * 2 ** ((next() / 2 ** 32) * 120 - 100) // both signs, 2^-100..2^20
        : mode === 3 ? -1 + 2 ** -((next() / 2 ** 32) * 60) // near −1
        : Math.exp(-(next() / 2 ** 32) * 40); // e^{−|η|}, the NUTS family step
    }
    out[i] = x;
  }
  return out;
}

const CHUNK = 1 << 18;
const arena = wasmKernelsAvailable() ? KernelArena.create(KernelArena.bytesFor([CHUNK + 2, CHUNK + 2]), false) : null;
const src = arena?.alloc(CHUNK + 2);
const dst = arena?.alloc(CHUNK + 2);

/** Indices where `got` differs from `want` (bits, NaN = NaN), at most 5. */
function mismatches(xs: Float64Array, got: Float64Array, want: Float64Array): string[] {
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length * 2);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length * 2);
  const bad: string[] = [];
  for (let i = 0; i < got.length; i++) {
    if (g[2 * i] === w[2 * i] && g[2 * i + 1] === w[2 * i + 1]) continue;
    if (Number.isNaN(got[i]) && Number.isNaN(want[i])) continue;
    const [h, l] = words(xs[i]!);
    bad.push(`x = ${xs[i]} (0x${h.toString(16)} ${l.toString(16)}): got ${got[i]}, want ${want[i]}`);
    if (bad.length >= 5) break;
  }
  return bad;
}

/** Runs `xs` through the vector kernel (in chunks, at an even and an odd element offset) and the scalar port. */
function check(fn: Fn, xs: Float64Array): void {
  const ref = REF[fn];
  for (let a = 0; a < xs.length; a += CHUNK) {
    const part = xs.subarray(a, Math.min(xs.length, a + CHUNK));
    const want = part.map(ref);
    for (const shift of [0, 1]) {
      // shift 1: unaligned vectors, and an odd length takes the scalar tail
      const s = src!.subarray(shift, shift + part.length - shift);
      const d = dst!.subarray(shift, shift + part.length - shift);
      s.set(part.subarray(shift));
      if (fn === "exp") arena!.expInto(s, d);
      else if (fn === "log") arena!.logInto(s, d);
      else arena!.log1pInto(s, d);
      expect(mismatches(part.subarray(shift), d.slice(), want.subarray(shift)), `${fn} f64x2, shift ${shift}`).toEqual([]);
    }
    const scalar = part.map((x) => arena!.scalarMath(fn, x));
    expect(mismatches(part, scalar, want), `${fn} scalar`).toEqual([]);
  }
}

const edgeSets: Record<Fn, () => number[]> = { exp: expEdges, log: logEdges, log1p: log1pEdges };

describe.skipIf(arena === null)("f64x2 exp, log, log1p: V8's Math.* bits", () => {
  for (const fn of ["exp", "log", "log1p"] as const) {
    it(`${fn}: every edge value, alone and paired with every kind of lane`, () => {
      const edges = edgeSets[fn]();
      // Pairs (edge, neighbour) in one vector both ways: slow lanes next to fast ones.
      const paired = new Float64Array(edges.length * 2);
      for (let i = 0; i < edges.length; i++) {
        paired[2 * i] = edges[i]!;
        paired[2 * i + 1] = edges[(i * 7919 + 13) % edges.length]!;
      }
      check(fn, Float64Array.from(edges));
      check(fn, paired);
    });
    it(`${fn}: 2·10⁶ arguments over the whole f64 range`, () => {
      check(fn, randomArgs(fn, 2_000_000, fn.length * 977 + 5));
    });
  }

  it("the host probe agrees: this runtime's Math.* are fdlibm's (the comparisons above pass)", () => {
    // Node's V8 computes Math.exp/log/log1p with fdlibm; scripts/check-math-browser.mjs checks
    // the probe says false in a browser whose V8 does not (Chromium 156).
    expect(wasmMathMatchesHost()).toBe(true);
  });

  it("works in place and on 0, 1, 2, 3 elements; rejects arrays outside the arena, a short or overlapping dst", () => {
    for (const len of [0, 1, 2, 3]) {
      const a = src!.subarray(0, len);
      a.set([0.5, -3, 7, 1e-3].slice(0, len));
      const want = Array.from(a, Math.log1p);
      arena!.log1pInto(a, a);
      expect(Array.from(a)).toEqual(want);
    }
    expect(() => arena!.expInto(new Float64Array(4), dst!)).toThrow(/src is not in the kernel arena/);
    expect(() => arena!.logInto(src!.subarray(0, 8), dst!.subarray(0, 4))).toThrow(/dst has 4 entries/);
    expect(() => arena!.expInto(src!.subarray(0, 8), src!.subarray(1, 9))).toThrow(/dst overlaps src/);
  });
});

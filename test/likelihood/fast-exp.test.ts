/**
 * fastExp (src/likelihood/fast-exp.ts) and its f64x2 form (assembly/fastmath.ts): the same bits
 * as each other, and within 1 ulp of Math.exp on 2·10⁶ arguments over [−745, 710] (uniform,
 * plus the edges of the table's and the reduction's ranges).
 */
import { describe, it, expect } from "vitest";
import { KernelArena, wasmKernelsAvailable } from "../../src/linalg/kernels/index.js";
import { fastExp } from "../../src/likelihood/fast-exp.js";

const CHUNK = 1 << 16;
const arena = wasmKernelsAvailable() ? KernelArena.create(KernelArena.bytesFor([CHUNK, CHUNK]), false) : null;
const src = arena?.alloc(CHUNK);
const dst = arena?.alloc(CHUNK);

/** Distance in units in the last place between two positive doubles (or both equal). */
const f = new Float64Array(2);
const b = new BigInt64Array(f.buffer);
function ulps(a: number, c: number): number {
  if (Object.is(a, c)) return 0;
  f[0] = a; f[1] = c;
  const d = b[0]! - b[1]!;
  return Number(d < 0n ? -d : d);
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe("fastExp", () => {
  it("is within 1 ulp of Math.exp on 2·10⁶ arguments over [−745, 710], and the f64x2 form gives its bits", () => {
    const u = lcg(7);
    const N = 2_000_000;
    let worst = 0, differ = 0, wasmDiffer = 0;
    const xs = new Float64Array(CHUNK);
    for (let start = 0; start < N; start += CHUNK) {
      const m = Math.min(CHUNK, N - start);
      for (let k = 0; k < m; k++) {
        const i = start + k;
        // Every 16th argument near 0 (|x| < 2^-20, the polynomial alone), every 16th near a multiple of ln2/512
        // (the odd ones are where K = round(x·256/ln2) changes, |r| at its largest).
        xs[k] = i % 16 === 0 ? (u() - 0.5) * 2 ** -20 : i % 16 === 1 ? Math.round((u() - 0.5) * 4e5) * (Math.LN2 / 512) : -745 + 1455 * u();
      }
      for (let k = 0; k < m; k++) {
        const x = xs[k]!, v = fastExp(x), e = Math.exp(x);
        const d = ulps(v, e);
        if (d > worst) worst = d;
        if (d !== 0) differ++;
      }
      if (arena !== null) {
        const s = src!.subarray(0, m), o = dst!.subarray(0, m);
        s.set(xs.subarray(0, m));
        arena.fastExpInto(s, o);
        for (let k = 0; k < m; k++) if (!Object.is(o[k], fastExp(xs[k]!))) wasmDiffer++;
      }
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(wasmDiffer).toBe(0);
    // Not Math.exp itself (a different algorithm): some arguments differ by its last bit.
    expect(differ).toBeGreaterThan(0);
  });

  it("keeps its table below the kernel arena (the module's static data ends before the arena's first array)", () => {
    if (arena === null) return;
    const end = arena.staticDataEnd();
    expect(end).toBeGreaterThan(4096); // the 256 (hi, lo) pairs are there
    expect(src!.byteOffset).toBeGreaterThanOrEqual(end);
  });

  it("takes Math.exp's bits at |x| ≥ 708, ±∞, NaN, and is exact at 0", () => {
    const xs = [708, -708, 709.5, -709.5, -744.4, -745.2, 710, 800, -800, Infinity, -Infinity, NaN, 0, -0, 707.99, -707.99, 1e-300, -1e-300];
    for (const x of xs) {
      if (Math.abs(x) >= 708 || Number.isNaN(x)) expect(Object.is(fastExp(x), Math.exp(x))).toBe(true);
      else expect(ulps(fastExp(x), Math.exp(x))).toBeLessThanOrEqual(1);
    }
    expect(fastExp(0)).toBe(1);
    expect(fastExp(-0)).toBe(1);
    if (arena !== null) {
      // Rare lanes next to main-path lanes in the same vector, and an odd last element.
      const s = src!.subarray(0, xs.length + 1), o = dst!.subarray(0, xs.length + 1);
      s.set([...xs, -3.25]);
      arena.fastExpInto(s, o);
      for (let k = 0; k < s.length; k++) expect(Object.is(o[k], fastExp(s[k]!))).toBe(true);
    }
  });
});

/**
 * The full-rank screen of the bias-reduced fits (adjusted-score.ts): when XᵀX's
 * Cholesky pivots show every column at least 1e-3 of its norm away from the span of
 * the columns before it, R's qr(X, tol = 1e-7) keeps every column, so firth.ts skips
 * the QR. Checked against qrKeptColumns on the brglm2 fixtures and on random designs
 * with a column placed at a chosen relative distance from the others.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { fitKernels, fullRankScreen, FULL_RANK_SCREEN } from "../../src/fit/adjusted-score.js";
import { qrKeptColumns } from "../../src/linalg/qr-columns.js";
import { useKernels } from "../../src/linalg/kernels/index.js";

const firth: { cases: { id: string; n: number; p: number; X_row_major: number[] }[] } =
  JSON.parse(readFileSync("test/reference/firth.json", "utf8"));

const screen = (X: Float64Array, n: number, p: number) => fullRankScreen(fitKernels(X, n, p, null), n, p);

describe("full-rank screen before R's aliasing QR", () => {
  it("on the brglm2 fixtures: passes only where qr(X) keeps every column, and fails on the aliased ones", () => {
    let passed = 0;
    let qrDrops = 0;
    for (const c of firth.cases) {
      const X = Float64Array.from(c.X_row_major);
      const keepsAll = qrKeptColumns(X, c.p, c.n).kept.length === c.p;
      if (!keepsAll) qrDrops++;
      if (screen(X, c.n, c.p)) {
        passed++;
        expect(keepsAll, c.id).toBe(true);
      }
    }
    expect(passed).toBeGreaterThan(firth.cases.length / 2);
    expect(qrDrops).toBeGreaterThan(0);
  });

  it("random designs with a column at relative distance ρ from the span of the others: pass ⇒ qr keeps all; ρ ≤ 1e-4 ⇒ no pass", () => {
    for (const kind of ["ts", "wasm"] as const) {
      const prev = useKernels(kind);
      try {
        fc.assert(fc.property(
          fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: -10, max: 0 }),
          fc.integer({ min: 0, max: 7 }), fc.integer(), fc.double({ min: -6, max: 6, noNaN: true }),
          (n, p, logRho, at, seed, logScale) => {
            let s = seed >>> 0 || 1;
            const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
            const X = new Float64Array(n * p).map(rnd);
            const j = at % p;
            const rho = 10 ** logRho;
            // Column j = a combination of the columns before it plus ρ times a random direction, then scaled.
            if (j > 0) for (let i = 0; i < n; i++) {
              let v = rho * X[i * p + j]!;
              for (let k = 0; k < j; k++) v += (0.5 + 0.1 * k) * X[i * p + k]!;
              X[i * p + j] = v;
            }
            const scale = 10 ** logScale;
            for (let i = 0; i < n; i++) X[i * p + j] = X[i * p + j]! * scale;
            const pass = screen(X, n, p);
            if (pass) expect(qrKeptColumns(X, p, n).kept.length).toBe(p);
            if (j > 0 && rho <= FULL_RANK_SCREEN / 10) expect(pass).toBe(false);
            if (n < p) expect(pass).toBe(false);
          },
        ), { numRuns: 150 });
      } finally {
        useKernels(prev);
      }
    }
  });

  it("a zero, an overflowing or a tiny column never passes", () => {
    const n = 6, p = 2;
    for (const v of [0, 1e200, 1e-170, 1e-150, 1e140]) {
      const X = new Float64Array(n * p).map((_, k) => (k % p === 1 ? v * (1 + (k % 3)) : 1 + 0.1 * k));
      expect(screen(X, n, p)).toBe(false);
    }
  });
});

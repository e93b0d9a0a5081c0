/**
 * The row-kernel tests' one-column buffers: rows (y, w, offset, η) copied into a design's
 * kernel set, and everything one IRLS update + weights pass over them produces, as numbers
 * (for bit comparisons of a family's row kernels against the generic loop).
 */
import type { Family } from "../../src/types.js";
import { designKernelSet } from "../../src/linalg/kernels/index.js";
import { refreshRows, weightRows, type RowBuffers } from "../../src/fit/irls-rows.js";

export interface Rows { y: Float64Array; w: Float64Array; offset: Float64Array | null; eta: Float64Array }

/** A one-column design's buffers for `fam` (kernels `kind`), with the rows copied in; `rows` false runs the generic loop. */
export function rowBuffers(fam: Family, r: Rows, kind: "ts" | "wasm", rows: boolean): RowBuffers {
  const n = r.y.length;
  const X = new Float64Array(n).fill(1);
  const set = designKernelSet(X, n, 1, { vectors: Array.from({ length: 9 }, () => n), helpers: 0, shared: false, kind });
  const copy = (a: Float64Array) => { const v = set.vector(n); v.set(a); return v; };
  const rk = rows ? (fam.rows ?? null) : null;
  return {
    k: set.main, X: set.main.X, p: 1, y: copy(r.y), w: copy(r.w), offset: r.offset ? copy(r.offset) : null,
    eta: copy(r.eta), mu: set.vector(n), W: set.vector(n), z: set.vector(n), dmu: rk?.dmu ? set.vector(n) : null, rows: rk,
  };
}

/** Everything one update + weights pass produces, as numbers: deviance, validity, the weights' flags, μ, W, z, XᵀWX and XᵀWz. */
export function rowPass(fam: Family, b: RowBuffers): number[] {
  const u = refreshRows(b, fam, 0, b.y.length);
  const A = new Float64Array(1);
  const bv = new Float64Array(1);
  const r = weightRows(b, fam, 0, b.y.length, A, bv);
  return [u.deviance, u.valid ? 1 : 0, r.nGood, +r.nanVariance, +r.nanMuEta, +r.zeroVariance, ...b.mu, ...b.W, ...b.z, ...A, ...bv];
}

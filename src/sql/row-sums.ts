/**
 * The sums of one IRLS iteration computed in JavaScript from rows an engine streams
 * (η, y, w, offset and the design columns, chunk by chunk), with the family record's
 * own functions — the same per-row arithmetic as the in-memory engine (irls-engine.ts):
 * μ = g⁻¹(η), μ′(η), V(μ), the unit deviance, R's validity and "good" rows,
 * W = w·μ′²/V, z = η − offset + (y − μ)/μ′, and XᵀWX (upper triangle), XᵀWz.
 * The alternative to computing them in SQL (irls-sql.ts) when the engine's aggregates
 * are the bottleneck: the engine still scans the source and builds the design; only
 * a chunk of rows is in memory at a time.
 *
 * Per chunk, W and z are computed row by row into scratch buffers (W = z = 0 on rows
 * that are not good, which then add exact zeros), then each cross-product is a dot
 * product over the chunk's contiguous column arrays, Σᵢ (Wᵢ x_ij)·x_ik (four columns k per
 * pass), added to the
 * running total once per chunk (blocked summation: also more accurate than one
 * running sum over all rows).
 */
import type { Family } from "../types.js";

/** Σᵢ a[i]·b[i] for i < n, four partial sums (independent chains for the CPU's pipelines). */
function dot(a: Float64Array, b: Float64Array, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  for (; i < n; i++) s0 += a[i]! * b[i]!;
  return (s0 + s1) + (s2 + s3);
}

export class RowSums {
  dev = 0;
  invalid = 0;
  ngood = 0;
  zeroVar = 0;
  readonly A: Float64Array;
  readonly b: Float64Array;
  /** Scratch of one chunk: W, z and W·x_j; grown to the largest chunk seen. */
  private W = new Float64Array(0);
  private z = new Float64Array(0);
  private wx = new Float64Array(0);
  constructor(private readonly family: Family, readonly p: number) {
    this.A = new Float64Array(p * p);
    this.b = new Float64Array(p);
  }

  /** Adds `n` rows: eta, y, w, off and the p design columns xs[j] (each of length ≥ n). */
  add(n: number, eta: Float64Array, y: Float64Array, w: Float64Array, off: Float64Array, xs: readonly Float64Array[]): void {
    const { family, p, A, b } = this;
    if (this.W.length < n) { this.W = new Float64Array(n); this.z = new Float64Array(n); this.wx = new Float64Array(n); }
    const { W, z, wx } = this;
    const link = family.link;
    let dev = 0, invalid = 0, ngood = 0, zeroVar = 0;
    for (let i = 0; i < n; i++) {
      const e = eta[i]!;
      const mu = link.linkinv(e);
      const wi = w[i]!;
      dev += family.devResid(y[i]!, mu, wi);
      if (!(link.validEta(e) && family.validMu(mu))) invalid++;
      const me = link.muEta(e);
      const v = family.variance(mu);
      if (wi > 0 && v === 0) zeroVar++;
      if (!(wi > 0 && me !== 0)) { W[i] = 0; z[i] = 0; continue; }
      ngood++;
      W[i] = (wi * me * me) / v;
      z[i] = e - off[i]! + (y[i]! - mu) / me;
    }
    this.dev += dev;
    this.invalid += invalid;
    this.ngood += ngood;
    this.zeroVar += zeroVar;
    for (let j = 0; j < p; j++) {
      const xj = xs[j]!;
      for (let i = 0; i < n; i++) wx[i] = W[i]! * xj[i]!;
      b[j] = b[j]! + dot(wx, z, n);
      const row = j * p;
      let k = j;
      // Four cross-products per pass over the chunk: one load of W·x_j serves four columns.
      for (; k + 3 < p; k += 4) {
        const x0 = xs[k]!, x1 = xs[k + 1]!, x2 = xs[k + 2]!, x3 = xs[k + 3]!;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let i = 0; i < n; i++) {
          const a = wx[i]!;
          s0 += a * x0[i]!;
          s1 += a * x1[i]!;
          s2 += a * x2[i]!;
          s3 += a * x3[i]!;
        }
        A[row + k] = A[row + k]! + s0;
        A[row + k + 1] = A[row + k + 1]! + s1;
        A[row + k + 2] = A[row + k + 2]! + s2;
        A[row + k + 3] = A[row + k + 3]! + s3;
      }
      for (; k < p; k++) A[row + k] = A[row + k]! + dot(wx, xs[k]!, n);
    }
  }

  /** The symmetric XᵀWX (lower triangle filled from the upper). */
  symmetric(): Float64Array {
    const { A, p } = this;
    for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) A[k * p + j] = A[j * p + k]!;
    return A;
  }
}

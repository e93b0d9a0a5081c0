/**
 * The sums of one IRLS iteration computed in JavaScript from rows an engine streams
 * (η, y, w, offset and the design columns, chunk by chunk), with the family record's
 * own functions — the same per-row arithmetic as the in-memory engine (irls-engine.ts):
 * μ = g⁻¹(η), μ′(η), V(μ), the unit deviance, R's validity and "good" rows,
 * W = w·μ′²/V, z = η − offset + (y − μ)/μ′, and XᵀWX (upper triangle), XᵀWz.
 * The alternative to computing them in SQL (irls-sql.ts) when the engine's aggregates
 * are the bottleneck: the engine still scans the source and builds the design; only
 * a chunk of rows is in memory at a time.
 */
import type { Family } from "../types.js";

export class RowSums {
  dev = 0;
  invalid = 0;
  ngood = 0;
  zeroVar = 0;
  readonly A: Float64Array;
  readonly b: Float64Array;
  private readonly wx: Float64Array;
  constructor(private readonly family: Family, readonly p: number) {
    this.A = new Float64Array(p * p);
    this.b = new Float64Array(p);
    this.wx = new Float64Array(p);
  }

  /** Adds `n` rows: eta, y, w, off and the p design columns xs[j] (each of length ≥ n). */
  add(n: number, eta: Float64Array, y: Float64Array, w: Float64Array, off: Float64Array, xs: readonly Float64Array[]): void {
    const { family, p, A, b, wx } = this;
    const link = family.link;
    for (let i = 0; i < n; i++) {
      const e = eta[i]!;
      const mu = link.linkinv(e);
      const wi = w[i]!;
      this.dev += family.devResid(y[i]!, mu, wi);
      if (!(link.validEta(e) && family.validMu(mu))) this.invalid++;
      const me = link.muEta(e);
      const v = family.variance(mu);
      if (wi > 0 && v === 0) this.zeroVar++;
      if (!(wi > 0 && me !== 0)) continue;
      this.ngood++;
      const W = (wi * me * me) / v;
      const z = e - off[i]! + (y[i]! - mu) / me;
      for (let j = 0; j < p; j++) wx[j] = W * xs[j]![i]!;
      for (let j = 0; j < p; j++) {
        const a = wx[j]!;
        b[j] = b[j]! + a * z;
        const row = j * p;
        for (let k = j; k < p; k++) A[row + k] = A[row + k]! + a * xs[k]![i]!;
      }
    }
  }

  /** The symmetric XᵀWX (lower triangle filled from the upper). */
  symmetric(): Float64Array {
    const { A, p } = this;
    for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) A[k * p + j] = A[j * p + k]!;
    return A;
  }
}

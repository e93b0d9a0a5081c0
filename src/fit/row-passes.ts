/**
 * Passes over the rows of a fit that run on the IRLS worker threads besides the
 * iterations (docs/kernels.md, "Serial passes on the workers"): each is a function of
 * a block of rows [start, end), summed in row order; the engine (irls-engine.ts) adds
 * the blocks in thread order, the serial path runs the same function over all rows.
 */
import type { Family } from "../types.js";
import type { RowBuffers } from "./irls-rows.js";

/** Σ_{W>0} W·r², r = (y − μ)/μ′(η), over rows [start, end) in row order (pearsonDispersion's sum, workingResiduals' r). */
export function pearsonRows(b: RowBuffers, fam: Family, start: number, end: number): number {
  const { y, mu, eta, W } = b;
  const link = fam.link;
  let s = 0;
  for (let i = start; i < end; i++) {
    if (!(W[i]! > 0)) continue;
    const r = (y[i]! - mu[i]!) / link.muEta(eta[i]!);
    s += W[i]! * r * r;
  }
  return s;
}

/**
 * Passes over a design that run before any fit exists (the declaration's column scan,
 * src/fit/design-scaling.ts), split over the IRLS worker threads when a fit on the same
 * design would be (irls-engine.ts parallelRows: X shared, n·p large, helpers > 0): the
 * same row blocks as the fit's, this thread taking the first; the workers' results are
 * combined in thread order (docs/kernels.md, "Serial passes on the workers").
 */
import type { Family, ResponseRowsCheck } from "../types.js";
import { helperThreads, awaitJob, postJob, rowBlocks, viewOf, isShared } from "../util/worker-pool.js";
import { responseRowFlags, ROWS_OK, ROWS_NON_INTEGER, ROWS_ZERO_WEIGHT_Y } from "../families/shared.js";
import { designBufferRanges, designBufferScan } from "../linalg/kernels/design-buffer.js";
import { parallelRows, slots, WORKER_FAILED } from "./irls-engine.js";

/**
 * Each column's smallest and largest value of X (n×p, row-major), as columnRanges, with
 * the rows split over the IRLS workers; null when a fit on X would run on this thread
 * (then the caller scans serially). Min and max are exact and order-free (Math.min/max
 * propagate NaN and order −0 below +0 whatever the order), so the result is the serial
 * scan's, bit for bit, for every thread count.
 */
export function parallelColumnRanges(
  X: Float64Array, n: number, p: number,
  serial: (X: Float64Array, n: number, p: number) => { lo: Float64Array; hi: Float64Array },
): { lo: Float64Array; hi: Float64Array } | null {
  const helpers = helperThreads();
  if (p === 0 || !isShared(X) || !parallelRows(X, n, p, helpers)) return null;
  const bounds = rowBlocks(n, helpers + 1);
  const workers = slots(helpers, p);
  workers.forEach((s, k) => {
    // A shared design buffer's rows are scanned by the SIMD kernel in the worker too (wasm: its memory and lo/hi), others by the loop.
    postJob(s, {
      kind: "colranges", X: viewOf(X), p, start: bounds[k + 1], end: bounds[k + 2], wasm: designBufferScan(X, n, p, k),
      control: s.control.buffer, result: s.result.buffer,
    });
  });
  // This thread's block: a design buffer by the SIMD scan, any other X by the loop (the same values).
  const e = bounds[1]!;
  const mine = designBufferRanges(X, n, p, 0, e) ?? serial(X.subarray(0, e * p), e, p);
  const { lo, hi } = mine;
  for (const s of workers) {
    awaitJob(s, WORKER_FAILED);
    for (let j = 0; j < p; j++) {
      lo[j] = Math.min(lo[j]!, s.result[8 + j]!);
      hi[j] = Math.max(hi[j]!, s.result[8 + p + j]!);
    }
  }
  return { lo, hi };
}

/**
 * The row checks of a numeric response's prepareResponse (responseRowFlags: y finite and
 * in the family's support, and the binomial's two flags) over rows [0, n) of y and the prior
 * weights w, split over the IRLS workers (blocks as a fit's; flags combined in thread order,
 * order-free): the {@link ResponseRowsCheck} when every block passed; null when some block
 * failed (the caller's serial checks then throw the serial error, naming the first bad row)
 * or when the rows are not split (y or w unshared, no recipe, no helpers).
 */
export function parallelResponseCheck(family: Family, y: Float64Array, w: Float64Array): ResponseRowsCheck | null {
  const helpers = helperThreads();
  const n = y.length;
  if (family.recipe == null || helpers === 0 || !isShared(y) || !isShared(w) || w.length !== n) return null;
  const bounds = rowBlocks(n, helpers + 1);
  const workers = slots(helpers, 1);
  workers.forEach((s, k) => {
    postJob(s, {
      kind: "responseCheck", spec: family.recipe, y: viewOf(y), w: viewOf(w), start: bounds[k + 1], end: bounds[k + 2],
      control: s.control.buffer, result: s.result.buffer,
    });
  });
  let flags = responseRowFlags(family.checkY, y, w, 0, bounds[1]!);
  for (const s of workers) {
    awaitJob(s, WORKER_FAILED);
    const f = s.result[0]!;
    flags = (flags & f & ROWS_OK) | ((flags | f) & (ROWS_ZERO_WEIGHT_Y | ROWS_NON_INTEGER));
  }
  if (!(flags & ROWS_OK)) return null;
  return { weights: w, zeroWeightNonzeroY: (flags & ROWS_ZERO_WEIGHT_Y) !== 0, nonInteger: (flags & ROWS_NON_INTEGER) !== 0 };
}

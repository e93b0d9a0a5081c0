/**
 * From a model frame's response to what the fitters consume: R's family `initialize`,
 * which the family record owns (`family.prepareResponse`, src/families/), plus the
 * check of the prior weights that every family shares.
 */
import type { Family, PreparedResponse, Response } from "../src/types.js";
import { DataError } from "../src/errors.js";
import { priorWeights } from "../src/families/shared.js";
import { parallelResponseCheck } from "../src/fit/parallel-passes.js";
import { isShared } from "../src/util/worker-pool.js";

export type { PreparedResponse, Response };

/** Checks prior weights: finite and non-negative, naming the row (1-based, of the rows used). */
export function checkWeights(w: Float64Array, rowsUsed?: Int32Array): void {
  for (let i = 0; i < w.length; i++) {
    const v = w[i]!;
    const row = rowsUsed ? rowsUsed[i]! + 1 : i + 1;
    if (!Number.isFinite(v)) throw new DataError(`weights must be finite; row ${row} has weight ${v}`, { column: "weights", row });
    if (v < 0) throw new DataError(`negative weights are not allowed; row ${row} has weight ${v}`, { column: "weights", row });
  }
}

/** `family.prepareResponse` (R's initialize); see Family.prepareResponse. */
export function prepareResponse(
  response: Response,
  family: Family,
  caseWeights: Float64Array | null,
  rowsUsed?: Int32Array,
  /** Allocator of the weights vector (a SharedArrayBuffer one lets IRLS share it with worker threads). */
  alloc?: (n: number) => Float64Array,
  /** Whether the fit will split its rows over the IRLS workers: the row checks then run there too (parallel-passes.ts). */
  parallel = false,
): PreparedResponse {
  // (y unshared: the workers cannot read it, so the weights are not made twice.)
  if (parallel && response.kind === "numeric" && isShared(response.values)) {
    const weights = priorWeights(response.values.length, caseWeights, alloc);
    const checked = parallelResponseCheck(family, response.values, weights);
    if (checked !== null) return family.prepareResponse(response, caseWeights, rowsUsed, alloc, checked);
  }
  return family.prepareResponse(response, caseWeights, rowsUsed, alloc);
}

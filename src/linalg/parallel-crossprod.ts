/**
 * XᵀWX and XᵀWz on two or more cores. When the design, the weights and the
 * working response live on SharedArrayBuffers, the rows are split between the
 * calling thread and a small pool of worker threads; each computes its partial
 * sums with the same kernel, and the caller adds them up. The call stays
 * synchronous: a blocking pool of src/util/worker-pool.ts (jobs go out by
 * postMessage, the caller blocks on Atomics.wait until every worker has written
 * its part; workers are unref'd, so an idle pool never keeps the process alive).
 */
import { BlockingPool, blockingSlot, helperThreads, isShared, postJob, awaitJob, rowBlocks, type BlockingSlot } from "../util/worker-pool.js";
import { weightedCrossprodRangeInto } from "./kernels.js";
import { requireNodeBuiltin } from "../util/platform.js";

export { sharedFloat64 } from "../util/worker-pool.js";

/** Below this many entries of X a single thread is faster than the hand-off. */
export const PARALLEL_MIN_ENTRIES = 2_000_000;

interface CrossprodSlot extends BlockingSlot {
  /** Partial A (p×p) then b (p). */
  out: Float64Array;
}

const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const weightedCrossprodRangeInto = ${weightedCrossprodRangeInto.toString()};
parentPort.on("message", (m) => {
  const X = new Float64Array(m.X, m.xOff, m.xLen);
  const w = new Float64Array(m.w, m.wOff, m.wLen), z = new Float64Array(m.z, m.zOff, m.zLen);
  const out = new Float64Array(m.out);
  const A = out.subarray(0, m.p * m.p), b = out.subarray(m.p * m.p, m.p * m.p + m.p);
  weightedCrossprodRangeInto(X, m.p, w, z, A, b, m.start, m.end);
  const control = new Int32Array(m.control);
  Atomics.store(control, 0, 1);
  Atomics.notify(control, 0);
});
`;

const pool = new BlockingPool<CrossprodSlot>(() => {
  const { Worker } = requireNodeBuiltin<typeof import("node:worker_threads")>("node:worker_threads", "a worker thread");
  return { ...blockingSlot(new Worker(WORKER_SOURCE, { eval: true })), out: new Float64Array(0) };
});

/**
 * Computes A = XᵀWX, b = XᵀWz, in parallel when worthwhile and possible, else on
 * this thread. Results are identical up to the order of floating-point sums.
 */
export function weightedCrossprodAuto(
  X: Float64Array,
  n: number,
  p: number,
  w: Float64Array,
  z: Float64Array,
  A: Float64Array,
  b: Float64Array,
): void {
  const nWorkers = helperThreads();
  if (nWorkers === 0 || n * p < PARALLEL_MIN_ENTRIES || !isShared(X) || !isShared(w) || !isShared(z)) {
    weightedCrossprodRangeInto(X, p, w, z, A, b, 0, n);
    return;
  }
  const workers = pool.take(nWorkers);
  const bounds = rowBlocks(n, nWorkers + 1);
  workers.forEach((pw, k) => {
    if (pw.out.length !== p * p + p) pw.out = new Float64Array(new SharedArrayBuffer((p * p + p) * 8));
    postJob(pw, {
      X: X.buffer, xOff: X.byteOffset, xLen: X.length,
      w: w.buffer, wOff: w.byteOffset, wLen: w.length,
      z: z.buffer, zOff: z.byteOffset, zLen: z.length,
      out: pw.out.buffer, control: pw.control.buffer,
      p, start: bounds[k + 1]!, end: bounds[k + 2]!,
    });
  });
  weightedCrossprodRangeInto(X, p, w, z, A, b, 0, bounds[1]!);
  for (const pw of workers) {
    awaitJob(pw);
    for (let k = 0; k < p * p; k++) A[k] += pw.out[k]!;
    for (let k = 0; k < p; k++) b[k] += pw.out[p * p + k]!;
  }
}

/**
 * XᵀWX and XᵀWz on two or more cores. When the design, the weights and the
 * working response live on SharedArrayBuffers, the rows are split between the
 * calling thread and a small pool of worker threads; each computes its partial
 * sums with the same kernel, and the caller adds them up. The call stays
 * synchronous: jobs go out by postMessage and the caller blocks on Atomics.wait
 * until every worker has written its part. Workers are unref'd, so an idle
 * pool never keeps the process alive.
 */
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { weightedCrossprodRangeInto } from "./kernels.js";

/** Below this many entries of X a single thread is faster than the hand-off. */
export const PARALLEL_MIN_ENTRIES = 2_000_000;

interface PoolWorker {
  worker: Worker;
  /** [done flag] */
  control: Int32Array;
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

let pool: PoolWorker[] | null = null;

function isShared(a: Float64Array): boolean {
  return typeof SharedArrayBuffer !== "undefined" && a.buffer instanceof SharedArrayBuffer;
}

/** Number of worker threads the pool uses (cores − 1, at most 7); 0 disables parallelism. */
export function parallelWorkers(): number {
  const env = process.env.GLMKIT_THREADS;
  const cores = env !== undefined ? Number(env) : availableParallelism();
  return Math.max(0, Math.min(7, (Number.isFinite(cores) ? cores : 1) - 1));
}

function getPool(size: number): PoolWorker[] {
  if (pool !== null && pool.length >= size) return pool;
  pool ??= [];
  while (pool.length < size) {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    pool.push({ worker, control: new Int32Array(new SharedArrayBuffer(4)), out: new Float64Array(0) });
  }
  return pool;
}

/** Allocates a Float64Array on a SharedArrayBuffer (so the parallel kernels can use it). */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

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
  const nWorkers = parallelWorkers();
  if (nWorkers === 0 || n * p < PARALLEL_MIN_ENTRIES || !isShared(X) || !isShared(w) || !isShared(z)) {
    weightedCrossprodRangeInto(X, p, w, z, A, b, 0, n);
    return;
  }
  const workers = getPool(nWorkers).slice(0, nWorkers);
  const parts = nWorkers + 1;
  // Row blocks split at multiples of 4 so every part runs the unrolled loop.
  const bounds = Array.from({ length: parts + 1 }, (_, k) => (k === parts ? n : Math.floor((n * k) / parts / 4) * 4));
  workers.forEach((pw, k) => {
    if (pw.out.length !== p * p + p) pw.out = new Float64Array(new SharedArrayBuffer((p * p + p) * 8));
    Atomics.store(pw.control, 0, 0);
    pw.worker.postMessage({
      X: X.buffer, xOff: X.byteOffset, xLen: X.length,
      w: w.buffer, wOff: w.byteOffset, wLen: w.length,
      z: z.buffer, zOff: z.byteOffset, zLen: z.length,
      out: pw.out.buffer, control: pw.control.buffer,
      p, start: bounds[k + 1]!, end: bounds[k + 2]!,
    });
  });
  weightedCrossprodRangeInto(X, p, w, z, A, b, 0, bounds[1]!);
  for (const pw of workers) {
    while (Atomics.load(pw.control, 0) === 0) Atomics.wait(pw.control, 0, 0, 1000);
    for (let k = 0; k < p * p; k++) A[k] += pw.out[k]!;
    for (let k = 0; k < p; k++) b[k] += pw.out[p * p + k]!;
  }
}

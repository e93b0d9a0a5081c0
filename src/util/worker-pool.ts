/**
 * Worker threads, for glmkit's two parallel patterns. Both are deterministic: the
 * work is split the same way on every run and every part runs the same code as
 * the sequential path.
 *
 * - Blocking row split ({@link BlockingPool}): a persistent pool of unref'd
 *   workers that share SharedArrayBuffers with this thread. A job goes out by
 *   postMessage ({@link postJob}); the caller computes its own block of rows, then
 *   blocks on Atomics.wait on each worker's control word ({@link awaitJob}) until
 *   the worker has signalled it ({@link signalJob}: 1 done, 2 failed). The call
 *   stays synchronous, and an idle pool never keeps the process alive. Used by
 *   the parallel XᵀWX (src/linalg/parallel-crossprod.ts) and the parallel IRLS
 *   row engine (src/fit/irls-engine.ts).
 * - Task lanes ({@link runInLanes}): one fresh worker per task, at most
 *   `concurrency` at once, results in task order. Used by samplers/parallel/pool.ts
 *   (one chain per worker).
 *
 * Module workers ({@link startModuleWorker}) started from TypeScript sources (the
 * tests run the .ts files) register the development loader hooks of ts-loader.mjs;
 * the compiled package never does.
 */
import type { Worker } from "node:worker_threads";
import { NumericalError } from "../errors.js";
import { coreCount, envVar, nodeBuiltin, requireNodeBuiltin } from "./platform.js";

type WorkerThreads = typeof import("node:worker_threads");

/** Most helper threads a blocking row split uses. */
const MAX_HELPER_THREADS = 7;

/**
 * Number of helper threads of a blocking row split: cores − 1, at most 7 (the
 * calling thread takes a block too); 0 disables parallelism. The environment
 * variable GLMKIT_THREADS, when set, replaces the number of cores.
 */
export function helperThreads(): number {
  // Outside Node (a browser) there are no blocking worker threads: 0 helpers.
  if (nodeBuiltin<WorkerThreads>("node:worker_threads") === null) return 0;
  const env = envVar("GLMKIT_THREADS");
  const cores = env !== undefined ? Number(env) : coreCount();
  return Math.max(0, Math.min(MAX_HELPER_THREADS, (Number.isFinite(cores) ? cores : 1) - 1));
}

/** Allocates a Float64Array on a SharedArrayBuffer (so the parallel kernels can use it). */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

/** True when `a` lives on a SharedArrayBuffer. */
export function isShared(a: Float64Array): boolean {
  return typeof SharedArrayBuffer !== "undefined" && a.buffer instanceof SharedArrayBuffer;
}

/** A Float64Array on shared memory described for postMessage; {@link fromView} rebuilds it in the worker. */
export interface SharedView {
  buffer: SharedArrayBuffer;
  byteOffset: number;
  length: number;
}

/** The {@link SharedView} of a shared Float64Array. */
export function viewOf(a: Float64Array): SharedView {
  return { buffer: a.buffer as SharedArrayBuffer, byteOffset: a.byteOffset, length: a.length };
}

/** The Float64Array a {@link SharedView} describes. */
export function fromView(v: SharedView): Float64Array {
  return new Float64Array(v.buffer, v.byteOffset, v.length);
}

/**
 * Block bounds of rows [0, n) split into `parts`: bounds[k] … bounds[k + 1] is part k.
 * Every inner bound is a multiple of 4, so each block runs the 4-row unrolled kernels.
 * @example rowBlocks(10, 2) // [0, 4, 10]
 */
export function rowBlocks(n: number, parts: number): number[] {
  return Array.from({ length: parts + 1 }, (_, k) => (k === parts ? n : Math.floor((n * k) / parts / 4) * 4));
}

/** One worker of a {@link BlockingPool} and its control word (0 busy, 1 done, 2 failed). */
export interface BlockingSlot {
  worker: Worker;
  control: Int32Array;
}

/** A {@link BlockingSlot} for `worker`, which is unref'd (an idle pool never keeps the process alive). */
export function blockingSlot(worker: Worker): BlockingSlot {
  worker.unref();
  return { worker, control: new Int32Array(new SharedArrayBuffer(4)) };
}

/** A pool of persistent workers, grown on demand and reused by every call. */
export class BlockingPool<S extends BlockingSlot> {
  private readonly slots: S[] = [];
  constructor(private readonly create: () => S) {}
  /** The first `count` slots, starting workers as needed. */
  take(count: number): S[] {
    while (this.slots.length < count) this.slots.push(this.create());
    return this.slots.slice(0, count);
  }
  /** Every slot started so far. */
  get all(): readonly S[] {
    return this.slots;
  }
}

/** Marks `slot` busy and sends it `message`. */
export function postJob(slot: BlockingSlot, message: unknown): void {
  Atomics.store(slot.control, 0, 0);
  slot.worker.postMessage(message);
}

/** Blocks until `slot` has signalled; throws a NumericalError `failure` if it signalled a failure. */
export function awaitJob(slot: BlockingSlot, failure = "a worker thread failed"): void {
  while (Atomics.load(slot.control, 0) === 0) Atomics.wait(slot.control, 0, 0, 1000);
  if (Atomics.load(slot.control, 0) === 2) throw new NumericalError(failure);
}

/** In a worker: signals the waiting thread (`state` 1 done, 2 failed). */
export function signalJob(control: Int32Array, state: 1 | 2): void {
  Atomics.store(control, 0, state);
  Atomics.notify(control, 0);
}

/** Development loader hooks for workers started from TypeScript sources (a variable, so bundlers do not emit it as an asset). */
const TS_LOADER = "./ts-loader.mjs";

// CommonJS bootstrap evaluated in the worker: registers the hooks if needed, then loads the entry.
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
if (workerData.loaderUrl) require("node:module").register(workerData.loaderUrl);
import(workerData.workerUrl).catch((err) => { throw err; });
`;

/**
 * URL of the worker entry `name` (no extension) next to the module at `from`
 * (`import.meta.url`): the .ts file when running from sources, else the .js file.
 * @example workerEntryUrl(import.meta.url, "./worker")
 */
export function workerEntryUrl(from: string, name: string): string {
  return new URL(`${name}${from.endsWith(".ts") ? ".ts" : ".js"}`, from).href;
}

/** Starts a worker running the ES module at `entryUrl`; the worker reads `data` with {@link workerInput}. */
export function startModuleWorker(entryUrl: string, data?: unknown): Worker {
  const loaderUrl = entryUrl.endsWith(".ts") ? new URL(TS_LOADER, import.meta.url).href : null;
  const { Worker } = requireNodeBuiltin<WorkerThreads>("node:worker_threads", "a worker thread");
  return new Worker(BOOTSTRAP, { eval: true, workerData: { workerUrl: entryUrl, loaderUrl, data } });
}

/** In a worker started by {@link startModuleWorker}: the `data` it was given. */
export function workerInput<T>(): T {
  return (requireNodeBuiltin<WorkerThreads>("node:worker_threads", "workerInput").workerData as { data: T }).data;
}

/**
 * Runs `run` on every item, at most `concurrency` at a time, items taken in order;
 * the results come back in item order.
 * @example await runInLanes([1, 2, 3], 2, async (x) => x * x) // [1, 4, 9]
 */
export async function runInLanes<T, R>(items: readonly T[], concurrency: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return results;
}

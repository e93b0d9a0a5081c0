/**
 * Parallel chains on Web Workers (a browser, or any host with the Worker API).
 * Main side: `setChainRunner(webWorkerChainRunner(spawn))`, where `spawn` starts a
 * worker running a script that bundles glmkit and answers with {@link serveChainTask}:
 *
 *   self.onmessage = (e) => { void serveChainTask(e.data, (m, t) => self.postMessage(m, t)); };
 *   announceChainWorker((m) => self.postMessage(m));
 *
 * A message posted to a module worker whose script has not yet run can be lost (seen in
 * Chromium), so the runner posts the task at once and again when the worker announces
 * it is listening ({@link announceChainWorker}); the worker serves each task id once,
 * so whichever copy arrives first runs and the other is ignored. A script that never
 * announces gets the first post only, as before.
 * The worker rebuilds the target from its factory (by export name, the builders of
 * samplers/parallel/factory.ts) and runs `runChain` with the config the sequential
 * runner would use, so the draws are identical bit for bit to `sampleSync`'s.
 * Messages: { type: "glmkit-chain", factory, config } in; "glmkit-chain-progress",
 * "glmkit-chain-done" (typed-array buffers transferred) or "glmkit-chain-error" out.
 */
import * as errors from "../../src/errors.js";
import { runInLanes } from "../../src/util/worker-pool.js";
import { runChain, type ChainConfig, type ChainResult, type Progress } from "../chain.js";
import { buildTarget } from "./factory.js";
import type { ChainRunner } from "./runner.js";
import type { TargetFactory } from "../types.js";

/** Transferable buffers of postMessage (the DOM lib's `Transferable`, which this build does not load). */
type Transferable = ArrayBuffer;

/** The part of the Web Worker API the runner uses. */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
}

/** The message a chain worker posts once its onmessage handler is installed. */
export const CHAIN_WORKER_READY = "glmkit-chain-ready";

interface ChainMessage {
  type: "glmkit-chain-progress" | "glmkit-chain-done" | "glmkit-chain-error" | typeof CHAIN_WORKER_READY;
  progress?: Progress;
  result?: ChainResult;
  name?: string;
  message?: string;
}

function rebuildError(name: string, message: string): Error {
  const ctor = (errors as Record<string, unknown>)[name];
  if (typeof ctor === "function") return new (ctor as new (m: string) => Error)(message);
  const e = new Error(message);
  e.name = name;
  return e;
}

/** Task ids, unique within this thread (a worker serves an id once). */
let nextTaskId = 0;

function runOne(spawn: () => WorkerLike, factory: TargetFactory, config: ChainConfig, onProgress?: (p: Progress) => void): Promise<ChainResult> {
  return new Promise((resolve, reject) => {
    const worker = spawn();
    const task = { type: "glmkit-chain", id: `${nextTaskId++}:${config.chain}`, factory, config };
    let reposted = false;
    worker.onmessage = (event) => {
      const msg = event.data as ChainMessage;
      if (msg.type === CHAIN_WORKER_READY) {
        // The first post may have been dropped while the script loaded: post again (served once).
        if (!reposted) worker.postMessage(task);
        reposted = true;
      } else if (msg.type === "glmkit-chain-progress" && onProgress && msg.progress) onProgress(msg.progress);
      else if (msg.type === "glmkit-chain-done" && msg.result) {
        worker.terminate();
        resolve(msg.result);
      } else if (msg.type === "glmkit-chain-error") {
        worker.terminate();
        reject(rebuildError(msg.name ?? "Error", msg.message ?? "worker failed"));
      }
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new errors.NumericalError(`Web Worker of chain ${config.chain} failed: ${event.message ?? "unknown error"}`));
    };
    worker.postMessage(task);
  });
}

/** A {@link ChainRunner} that runs each chain on a fresh worker from `spawn`. */
export function webWorkerChainRunner(spawn: () => WorkerLike): ChainRunner {
  return (factory, configs, concurrency, onProgress) => runInLanes(configs, concurrency, (config) => runOne(spawn, factory, config, onProgress));
}

function buffersOf(r: ChainResult): ArrayBuffer[] {
  const arrays: Float64Array[] = [r.draws, r.lp, r.invMetric, r.initialPosition, ...Object.values(r.sampler)];
  if (r.warmupDraws) arrays.push(r.warmupDraws);
  if (r.warmupSampler) arrays.push(...Object.values(r.warmupSampler));
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

/** Worker side: tells the runner this worker is listening (call it after installing onmessage). */
export function announceChainWorker(post: (message: unknown) => void): void {
  post({ type: CHAIN_WORKER_READY });
}

/** The task ids this worker has served (the runner may post a task twice; see the module comment). */
const servedTasks = new Set<string>();

/**
 * Worker side: runs the chain of a "glmkit-chain" message and posts its progress and
 * result with `post`. Returns false (and does nothing) for any other message; a task id
 * already served is acknowledged (true) and ignored.
 */
export async function serveChainTask(data: unknown, post: (message: unknown, transfer?: Transferable[]) => void): Promise<boolean> {
  const task = data as { type?: string; id?: string; factory?: TargetFactory; config?: ChainConfig };
  if (task?.type !== "glmkit-chain" || !task.factory || !task.config) return false;
  if (typeof task.id === "string") {
    if (servedTasks.has(task.id)) return true;
    servedTasks.add(task.id);
  }
  try {
    const target = await buildTarget(task.factory);
    const result = runChain(target, task.config, (progress) => post({ type: "glmkit-chain-progress", progress }));
    post({ type: "glmkit-chain-done", result }, buffersOf(result));
  } catch (err) {
    const e = err as Error;
    post({ type: "glmkit-chain-error", name: e?.name ?? "Error", message: e?.message ?? String(err) });
  }
  return true;
}

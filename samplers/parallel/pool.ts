/**
 * Runs chains on worker threads, at most `concurrency` at a time (the task lanes
 * of src/util/worker-pool.ts). Each worker builds the target from its factory and
 * runs `runChain` with the same config the sequential runner would use, so the
 * draws are bit-identical.
 */
import * as errors from "../../src/errors.js";
import { runInLanes, startModuleWorker, workerEntryUrl } from "../../src/util/worker-pool.js";
import type { ChainConfig, ChainResult, Progress } from "../chain.js";
import type { TargetFactory } from "../types.js";

const WORKER_URL = workerEntryUrl(import.meta.url, "./worker");

/** What a chain worker is given (read with workerInput in worker.ts). */
export interface ChainTask {
  factory: TargetFactory;
  config: ChainConfig;
}

function rebuildError(name: string, message: string): Error {
  const ctor = (errors as Record<string, unknown>)[name];
  if (typeof ctor === "function") {
    try {
      return new (ctor as new (m: string) => Error)(message);
    } catch {
      /* fall through */
    }
  }
  const e = new Error(message);
  e.name = name;
  return e;
}

function runInWorker(factory: TargetFactory, config: ChainConfig, onProgress?: (p: Progress) => void): Promise<ChainResult> {
  return new Promise((resolve, reject) => {
    const task: ChainTask = { factory, config };
    const worker = startModuleWorker(WORKER_URL, task);
    let settled = false;
    worker.on("message", (msg: { type: string; progress?: Progress; result?: ChainResult; name?: string; message?: string }) => {
      if (msg.type === "progress" && onProgress && msg.progress) onProgress(msg.progress);
      else if (msg.type === "done" && msg.result) {
        settled = true;
        resolve(msg.result);
        void worker.terminate();
      } else if (msg.type === "error") {
        settled = true;
        reject(rebuildError(msg.name ?? "Error", msg.message ?? "worker failed"));
        void worker.terminate();
      }
    });
    worker.on("error", (err) => {
      if (!settled) {
        settled = true;
        reject(err);
      }
    });
    worker.on("exit", (code) => {
      if (!settled) {
        settled = true;
        reject(new errors.NumericalError(`worker of chain ${config.chain} exited with code ${code} before finishing`));
      }
    });
  });
}

/** Runs every config on a worker thread, `concurrency` at a time; results in config order. */
export function runChainsInWorkers(
  factory: TargetFactory,
  configs: readonly ChainConfig[],
  concurrency: number,
  onProgress?: (p: Progress) => void,
): Promise<ChainResult[]> {
  return runInLanes(configs, concurrency, (config) => runInWorker(factory, config, onProgress));
}

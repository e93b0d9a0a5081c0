/**
 * Runs chains on worker threads, at most `concurrency` at a time. Each worker builds
 * the target from its factory and runs `runChain` with the same config the sequential
 * runner would use, so the draws are bit-identical.
 */
import { Worker } from "node:worker_threads";
import * as errors from "../../src/errors.js";
import type { ChainConfig, ChainResult, Progress } from "../chain.js";
import type { TargetFactory } from "../types.js";

// When running from TypeScript sources (tests), the worker needs the TS loader hooks.
const fromSource = import.meta.url.endsWith(".ts");
const WORKER_URL = new URL(fromSource ? "./worker.ts" : "./worker.js", import.meta.url).href;
const LOADER_URL = fromSource ? new URL("./ts-loader.mjs", import.meta.url).href : null;

// CommonJS bootstrap evaluated in the worker: registers the hooks if needed, then loads the entry.
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
if (workerData.loaderUrl) require("node:module").register(workerData.loaderUrl);
import(workerData.workerUrl).catch((err) => { throw err; });
`;

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
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { workerUrl: WORKER_URL, loaderUrl: LOADER_URL, task: { factory, config } },
    });
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
export async function runChainsInWorkers(
  factory: TargetFactory,
  configs: readonly ChainConfig[],
  concurrency: number,
  onProgress?: (p: Progress) => void,
): Promise<ChainResult[]> {
  const results: ChainResult[] = new Array(configs.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, configs.length)) }, async () => {
    while (next < configs.length) {
      const i = next++;
      results[i] = await runInWorker(factory, configs[i], onProgress);
    }
  });
  await Promise.all(lanes);
  return results;
}

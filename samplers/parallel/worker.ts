/**
 * Worker-thread entry: rebuilds the target from its `TargetFactory`, runs one chain
 * with `runChain` and posts the result (typed-array buffers are transferred).
 * Messages: { type: "progress", progress } | { type: "done", result } | { type: "error", name, message }.
 */
import { parentPort } from "node:worker_threads";
import { workerInput } from "../../src/util/worker-pool.js";
import { runChain, type ChainResult } from "../chain.js";
import { buildTarget } from "./factory.js";
import type { ChainTask } from "./pool.js";

function buffersOf(r: ChainResult): ArrayBuffer[] {
  const arrays: Float64Array[] = [r.draws, r.lp, r.invMetric, r.initialPosition, ...Object.values(r.sampler)];
  if (r.warmupDraws) arrays.push(r.warmupDraws);
  if (r.warmupSampler) arrays.push(...Object.values(r.warmupSampler));
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const task = workerInput<ChainTask>();
  try {
    const target = await buildTarget(task.factory);
    const result = runChain(target, task.config, (progress) => port.postMessage({ type: "progress", progress }));
    port.postMessage({ type: "done", result }, buffersOf(result));
  } catch (err) {
    const e = err as Error;
    port.postMessage({ type: "error", name: e?.name ?? "Error", message: e?.message ?? String(err) });
  }
}

void main();

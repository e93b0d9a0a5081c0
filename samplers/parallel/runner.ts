/**
 * Who runs parallel chains: Node's worker threads (samplers/parallel/pool.ts) by
 * default, or a runner set by the host, e.g. Web Workers in a browser
 * (samplers/parallel/web-workers.ts). A runner gets the same configs the sequential
 * runner would use, so the draws are bit-identical whoever runs them.
 */
import type { ChainConfig, ChainResult, Progress } from "../chain.js";
import type { TargetFactory } from "../types.js";

/** Runs every config (one chain each), at most `concurrency` at a time; results in config order. */
export type ChainRunner = (
  factory: TargetFactory,
  configs: readonly ChainConfig[],
  concurrency: number,
  onProgress?: (p: Progress) => void,
) => Promise<ChainResult[]>;

let current: ChainRunner | null = null;

/**
 * Sets the runner of `sample(…, { parallel })` (null restores the default, Node's worker threads).
 * @example setChainRunner(webWorkerChainRunner(() => new Worker(new URL("./worker.js", import.meta.url), { type: "module" })))
 */
export function setChainRunner(runner: ChainRunner | null): void {
  current = runner;
}

/** The runner set by {@link setChainRunner}, or null for the default. */
export function chainRunner(): ChainRunner | null {
  return current;
}

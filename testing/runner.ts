/**
 * fast-check run parameters for property suites that must stay inside a CI
 * budget yet scale up for a long local run:
 *
 *   FC_RUNS  multiplies every property's number of runs (default 1; e.g. FC_RUNS=10)
 *   FC_SEED  replaces every property's fixed seed (to replay a failure or explore)
 *   FC_PATH  with FC_SEED, replays one counterexample directly (fast-check's `path`)
 *
 * A failing property's error (printed by vitest) starts with fast-check's
 * "Property failed after N tests { seed: S, path: "P", endOnFailure: true }":
 * FC_SEED=S FC_PATH=P npx vitest run <file> replays it.
 */
import type fc from "fast-check";
import { ArgumentError } from "../src/errors.js";

/** Environment read by {@link propertyParameters} (defaults to process.env). */
export type RunEnvironment = Record<string, string | undefined>;

function envOf(): RunEnvironment {
  const g = globalThis as { process?: { env?: RunEnvironment } };
  return g.process?.env ?? {};
}

/** FC_RUNS as a positive number (default 1). */
export function runScale(env: RunEnvironment = envOf()): number {
  const raw = env.FC_RUNS;
  if (raw === undefined || raw === "") return 1;
  const k = Number(raw);
  if (!(k > 0) || !Number.isFinite(k)) throw new ArgumentError(`FC_RUNS must be a positive number, got "${raw}"`);
  return k;
}

/**
 * fast-check parameters: `numRuns` = ⌈base·FC_RUNS⌉, the property's fixed `seed`
 * unless FC_SEED is set, and FC_PATH when given.
 * @example fc.assert(prop, propertyParameters(20, 4242)) // 20 runs, seed 4242; FC_RUNS=10 → 200 runs
 */
export function propertyParameters<T = unknown>(baseRuns: number, seed: number, env: RunEnvironment = envOf()): fc.Parameters<T> {
  if (!(baseRuns >= 1) || !Number.isFinite(baseRuns)) throw new ArgumentError(`baseRuns must be a number ≥ 1, got ${baseRuns}`);
  if (!Number.isInteger(seed)) throw new ArgumentError(`seed must be an integer, got ${seed}`);
  const rawSeed = env.FC_SEED;
  let s = seed;
  if (rawSeed !== undefined && rawSeed !== "") {
    s = Number(rawSeed);
    if (!Number.isInteger(s)) throw new ArgumentError(`FC_SEED must be an integer, got "${rawSeed}"`);
  }
  const params: fc.Parameters<T> = { numRuns: Math.ceil(baseRuns * runScale(env)), seed: s };
  const path = env.FC_PATH;
  if (path !== undefined && path !== "") params.path = path;
  return params;
}

/**
 * Where the rows of an IRLS iteration are computed. The serial engine runs
 * updateRows/weightRows over all rows on this thread. The parallel engine, used
 * when the design lives on a SharedArrayBuffer, is large, and the family can be
 * rebuilt from a spec, splits the rows between this thread and worker threads
 * that share the buffers: each iteration costs two messages per worker and one
 * Atomics wait, and the partial deviances, XᵀWX and XᵀWz are summed here.
 */
import { Worker } from "node:worker_threads";
import type { Family } from "../types.js";
import { NumericalError } from "../errors.js";
import { PARALLEL_MIN_ENTRIES, parallelWorkers, sharedFloat64 } from "../linalg/parallel-crossprod.js";
import { updateRows, weightRows, type RowBuffers, type UpdateResult } from "./irls-rows.js";

import type { FamilyRecipe } from "../types.js";

export interface RowEngine {
  readonly bufs: RowBuffers;
  update(beta: Float64Array): UpdateResult;
  /** Fills W, z and A = XᵀWX, b = XᵀWz; returns the number of informative rows, or throws R's errors. */
  weights(A: Float64Array, b: Float64Array): number;
}

function raiseWeightErrors(r: { nanVariance: boolean; nanMuEta: boolean; zeroVariance: boolean }): void {
  if (r.nanVariance) throw new NumericalError("NAs in V(mu)");
  if (r.nanMuEta) throw new NumericalError("NAs in d(mu)/d(eta)");
  if (r.zeroVariance) throw new NumericalError("0s in V(mu)");
}

class SerialEngine implements RowEngine {
  constructor(readonly bufs: RowBuffers, private readonly family: Family, private readonly n: number) {}
  update(beta: Float64Array): UpdateResult {
    return updateRows(this.bufs, this.family, beta, 0, this.n);
  }
  weights(A: Float64Array, b: Float64Array): number {
    const r = weightRows(this.bufs, this.family, 0, this.n, A, b);
    raiseWeightErrors(r);
    return r.nGood;
  }
}

// When running from TypeScript sources (tests), workers need the samplers' TS loader hooks.
const fromSource = import.meta.url.endsWith(".ts");
const WORKER_URL = new URL(fromSource ? "./irls-worker.ts" : "./irls-worker.js", import.meta.url).href;
const LOADER_URL = fromSource ? new URL("../../samplers/parallel/ts-loader.mjs", import.meta.url).href : null;
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
if (workerData.loaderUrl) require("node:module").register(workerData.loaderUrl);
import(workerData.workerUrl);
`;

interface Slot {
  worker: Worker;
  control: Int32Array;
  result: Float64Array;
}
const pool: Slot[] = [];

function slots(count: number, p: number): Slot[] {
  while (pool.length < count) {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { workerUrl: WORKER_URL, loaderUrl: LOADER_URL } });
    worker.unref();
    pool.push({ worker, control: new Int32Array(new SharedArrayBuffer(4)), result: new Float64Array(0) });
  }
  for (const s of pool) if (s.result.length < 8 + p * p + p) s.result = sharedFloat64(8 + p * p + p);
  return pool.slice(0, count);
}

function wait(s: Slot): void {
  while (Atomics.load(s.control, 0) === 0) Atomics.wait(s.control, 0, 0, 1000);
  if (Atomics.load(s.control, 0) === 2) throw new NumericalError("an IRLS worker thread failed");
}

const view = (a: Float64Array) => ({ buffer: a.buffer, byteOffset: a.byteOffset, length: a.length });
const isShared = (a: Float64Array) => a.buffer instanceof SharedArrayBuffer;
const shared = (a: Float64Array) => (isShared(a) ? a : sharedCopy(a));
function sharedCopy(a: Float64Array): Float64Array {
  const s = sharedFloat64(a.length);
  s.set(a);
  return s;
}

class ParallelEngine implements RowEngine {
  private readonly bounds: number[];
  private readonly workers: Slot[];
  private readonly partA: Float64Array;
  private readonly partB: Float64Array;
  constructor(readonly bufs: RowBuffers, private readonly family: Family, n: number, spec: FamilyRecipe, nWorkers: number) {
    const p = bufs.p;
    const parts = nWorkers + 1;
    this.bounds = Array.from({ length: parts + 1 }, (_, k) => (k === parts ? n : Math.floor((n * k) / parts / 4) * 4));
    this.workers = slots(nWorkers, p);
    this.partA = new Float64Array(p * p);
    this.partB = new Float64Array(p);
    this.workers.forEach((s, k) => {
      Atomics.store(s.control, 0, 0);
      s.worker.postMessage({
        kind: "init", spec, p, start: this.bounds[k + 1], end: this.bounds[k + 2],
        X: view(bufs.X), y: view(bufs.y), w: view(bufs.w), offset: bufs.offset ? view(bufs.offset) : null,
        eta: view(bufs.eta), mu: view(bufs.mu), W: view(bufs.W), z: view(bufs.z),
        control: s.control.buffer, result: s.result.buffer,
      });
    });
    for (const s of this.workers) wait(s);
  }
  private post(kind: string, extra: Record<string, unknown> = {}): void {
    for (const s of this.workers) {
      Atomics.store(s.control, 0, 0);
      s.worker.postMessage({ kind, ...extra });
    }
  }
  update(beta: Float64Array): UpdateResult {
    this.post("update", { beta: Float64Array.from(beta) });
    const mine = updateRows(this.bufs, this.family, beta, 0, this.bounds[1]!);
    let deviance = mine.deviance;
    let valid = mine.valid;
    for (const s of this.workers) {
      wait(s);
      deviance += s.result[0]!;
      if (s.result[1] === 0) valid = false;
    }
    return { deviance, valid };
  }
  weights(A: Float64Array, b: Float64Array): number {
    const p = this.bufs.p;
    this.post("weights");
    const mine = weightRows(this.bufs, this.family, 0, this.bounds[1]!, A, b);
    let nGood = mine.nGood;
    const flags = { ...mine };
    for (const s of this.workers) {
      wait(s);
      nGood += s.result[2]!;
      flags.nanVariance ||= s.result[3] === 1;
      flags.nanMuEta ||= s.result[4] === 1;
      flags.zeroVariance ||= s.result[5] === 1;
      if (!(flags.nanVariance || flags.nanMuEta || flags.zeroVariance)) {
        for (let k = 0; k < p * p; k++) A[k] += s.result[8 + k]!;
        for (let k = 0; k < p; k++) b[k] += s.result[8 + p * p + k]!;
      }
    }
    raiseWeightErrors(flags);
    return nGood;
  }
}

/**
 * Buffers and engine for one IRLS run. Parallel when X is on a SharedArrayBuffer,
 * n·p is large, there is more than one core, and the family has a recipe.
 */
export function makeRowEngine(
  X: Float64Array, n: number, p: number, y: Float64Array, w: Float64Array, offset: Float64Array | null,
  family: Family,
): RowEngine {
  const spec = family.recipe;
  const nWorkers = parallelWorkers();
  const parallel = spec != null && nWorkers > 0 && n * p >= PARALLEL_MIN_ENTRIES && isShared(X);
  if (!parallel) {
    const bufs: RowBuffers = {
      X, p, y, w, offset, eta: new Float64Array(n), mu: new Float64Array(n), W: new Float64Array(n), z: new Float64Array(n),
    };
    return new SerialEngine(bufs, family, n);
  }
  const bufs: RowBuffers = {
    X, p, y: shared(y), w: shared(w), offset: offset ? shared(offset) : null,
    eta: sharedFloat64(n), mu: sharedFloat64(n), W: sharedFloat64(n), z: sharedFloat64(n),
  };
  return new ParallelEngine(bufs, family, n, spec, nWorkers);
}

/**
 * Where the rows of an IRLS iteration are computed. The serial engine runs
 * updateRows/weightRows over all rows on this thread. The parallel engine, used
 * when the design lives on a SharedArrayBuffer, is large, and the family can be
 * rebuilt from a spec, splits the rows between this thread and worker threads
 * that share the buffers: each iteration costs two messages per worker and one
 * Atomics wait, and the partial deviances, XᵀWX and XᵀWz are summed here.
 * Both run the design's kernels (src/linalg/kernels/): with the SIMD kernels the
 * design and the row vectors live in one WebAssembly memory (shared with the
 * workers in the parallel engine), with the plain loops on ordinary (or shared)
 * arrays; the two give the same bits, so the choice never changes a fit.
 */
import type { Family, FamilyRecipe } from "../types.js";
import { NumericalError } from "../errors.js";
import { PARALLEL_MIN_ENTRIES } from "../linalg/parallel-crossprod.js";
import { designKernelSet, type DesignKernelSet } from "../linalg/kernels/index.js";
import {
  BlockingPool, awaitJob, blockingSlot, helperThreads, isShared, postJob, rowBlocks, sharedFloat64,
  startModuleWorker, viewOf, workerEntryUrl, type BlockingSlot,
} from "../util/worker-pool.js";
import { pearsonRows } from "./row-passes.js";
import { nullDevianceRows, refreshRows, rowKernelsFor, startRows, updateRows, weightRows, type RowBuffers, type UpdateResult } from "./irls-rows.js";

export interface RowEngine {
  readonly bufs: RowBuffers;
  update(beta: Float64Array): UpdateResult;
  /** μ, deviance and validity from the η already in bufs.eta (the fit's starting values). */
  refresh(): UpdateResult;
  /** η = g(family.startMu(y, w)), then {@link refresh}; only when bufs.rows is set (startMu elementwise). */
  start(): UpdateResult;
  /** Σ wt·d(y, μ₀), μ₀ a constant or g⁻¹(offset) ("offset"); blocks summed in thread order. */
  nullDeviance(mu0: number | "offset"): number;
  /** Fills W, z and A = XᵀWX, b = XᵀWz; returns the number of informative rows, or throws R's errors. */
  weights(A: Float64Array, b: Float64Array): number;
  /** Gives back the kernel set's memory (a design buffer's room) once the run's vectors have been copied out. */
  release(): void;
  /**
   * The sums of the family's aicRows at the current μ with context c (trials: R's binomial n,
   * null for the weights), this thread's block then the workers' added in thread order; null
   * on the serial engine (the caller computes family.aic on its own arrays, as before).
   */
  aicSums(trials: Float64Array | null, c: number): Float64Array | null;
  /** Whether the rows are split over worker threads (the parallel engine). */
  readonly splits: boolean;
  /** Σ W·((y − μ)/μ′(η))² over W > 0 (the Pearson χ² of summary.glm), blocks in thread order; null on the serial engine. */
  pearsonSum(): number | null;
}

function raiseWeightErrors(r: { nanVariance: boolean; nanMuEta: boolean; zeroVariance: boolean }): void {
  if (r.nanVariance) throw new NumericalError("NAs in V(mu)");
  if (r.nanMuEta) throw new NumericalError("NAs in d(mu)/d(eta)");
  if (r.zeroVariance) throw new NumericalError("0s in V(mu)");
}

class SerialEngine implements RowEngine {
  constructor(readonly bufs: RowBuffers, private readonly family: Family, private readonly n: number, readonly release: () => void) {}
  update(beta: Float64Array): UpdateResult {
    return updateRows(this.bufs, this.family, beta, 0, this.n);
  }
  refresh(): UpdateResult {
    return refreshRows(this.bufs, this.family, 0, this.n);
  }
  start(): UpdateResult {
    return startRows(this.bufs, this.family, 0, this.n);
  }
  nullDeviance(mu0: number | "offset"): number {
    return nullDevianceRows(this.bufs, this.family, mu0, 0, this.n);
  }
  weights(A: Float64Array, b: Float64Array): number {
    const r = weightRows(this.bufs, this.family, 0, this.n, A, b);
    raiseWeightErrors(r);
    return r.nGood;
  }
  readonly splits = false;
  aicSums(): null {
    return null;
  }
  pearsonSum(): null {
    return null;
  }
}

const WORKER_URL = workerEntryUrl(import.meta.url, "./irls-worker");
export const WORKER_FAILED = "an IRLS worker thread failed";

export interface Slot extends BlockingSlot {
  /** [deviance, valid, nGood, nanVariance, nanMuEta, zeroVariance, -, -] then the block's XᵀWX (p×p) and XᵀWz (p). */
  result: Float64Array;
}
const pool = new BlockingPool<Slot>(() => ({ ...blockingSlot(startModuleWorker(WORKER_URL)), result: new Float64Array(0) }));

/** The first `count` IRLS workers, each with a result array of at least 8 + p² + p (also for passes outside a fit: parallel-passes.ts). */
export function slots(count: number, p: number): Slot[] {
  const taken = pool.take(count);
  for (const s of pool.all) if (s.result.length < 8 + p * p + p) s.result = sharedFloat64(8 + p * p + p);
  return taken;
}

/** `a` as a vector of the kernel set: a copy, except a plain-loop set may share `a` itself when it is already shared. */
function vectorOf(set: DesignKernelSet, a: Float64Array): Float64Array {
  if (set.kind === "ts" && isShared(a)) return a;
  const v = set.vector(a.length);
  v.set(a);
  return v;
}

class ParallelEngine implements RowEngine {
  private readonly bounds: number[];
  private readonly workers: Slot[];
  readonly release: () => void;
  constructor(
    readonly bufs: RowBuffers, private readonly family: Family, n: number, spec: FamilyRecipe, nWorkers: number, set: DesignKernelSet,
    Xsource: Float64Array,
  ) {
    this.release = set.release;
    const p = bufs.p;
    this.bounds = rowBlocks(n, nWorkers + 1);
    this.workers = slots(nWorkers, p);
    // X's copy into the kernels' memory (when the set left it to us), by row blocks on every thread.
    const copyFrom = set.copyPending ? viewOf(Xsource) : null;
    this.workers.forEach((s, k) => {
      postJob(s, {
        kind: "init", spec, p, start: this.bounds[k + 1], end: this.bounds[k + 2], kernels: set.workerSpec(k), copyFrom,
        X: viewOf(bufs.X), y: viewOf(bufs.y), w: viewOf(bufs.w), offset: bufs.offset ? viewOf(bufs.offset) : null,
        eta: viewOf(bufs.eta), mu: viewOf(bufs.mu), W: viewOf(bufs.W), z: viewOf(bufs.z),
        dmu: bufs.dmu ? viewOf(bufs.dmu) : null, rowKernels: bufs.rows !== null, rowCode: bufs.rows?.code ?? 0,
        control: s.control.buffer, result: s.result.buffer,
      });
    });
    if (copyFrom !== null) bufs.X.set(Xsource.subarray(0, this.bounds[1]! * p));
    for (const s of this.workers) awaitJob(s, WORKER_FAILED);
  }
  private post(kind: string, extra: Record<string, unknown> = {}): void {
    for (const s of this.workers) postJob(s, { kind, ...extra });
  }
  update(beta: Float64Array): UpdateResult {
    this.post("update", { beta: Float64Array.from(beta) });
    return this.gather(updateRows(this.bufs, this.family, beta, 0, this.bounds[1]!));
  }
  refresh(): UpdateResult {
    this.post("refresh");
    return this.gather(refreshRows(this.bufs, this.family, 0, this.bounds[1]!));
  }
  start(): UpdateResult {
    this.post("start");
    return this.gather(startRows(this.bufs, this.family, 0, this.bounds[1]!));
  }
  nullDeviance(mu0: number | "offset"): number {
    this.post("nullDeviance", { mu0 });
    return this.gather({ deviance: nullDevianceRows(this.bufs, this.family, mu0, 0, this.bounds[1]!), valid: true }).deviance;
  }
  /** This thread's deviance plus the workers' in thread order; valid when every block is. */
  private gather(mine: UpdateResult): UpdateResult {
    let deviance = mine.deviance;
    let valid = mine.valid;
    for (const s of this.workers) {
      awaitJob(s, WORKER_FAILED);
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
      awaitJob(s, WORKER_FAILED);
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
  readonly splits = true;
  aicSums(trials: Float64Array | null, c: number): Float64Array | null {
    const ar = this.family.aicRows;
    if (!ar) return null;
    let shared = trials;
    if (trials !== null && !isShared(trials)) (shared = sharedFloat64(trials.length)).set(trials);
    this.post("aic", { trials: shared ? viewOf(shared) : null, c });
    const s = new Float64Array(ar.sums);
    const { y, w, mu } = this.bufs;
    ar.add(y, trials ?? w, mu, w, c, 0, this.bounds[1]!, s);
    for (const slot of this.workers) {
      awaitJob(slot, WORKER_FAILED);
      for (let k = 0; k < ar.sums; k++) s[k] += slot.result[k]!;
    }
    return s;
  }
  pearsonSum(): number {
    this.post("pearson");
    return this.gather({ deviance: pearsonRows(this.bufs, this.family, 0, this.bounds[1]!), valid: true }).deviance;
  }
}

let everyFitParallel = false;

/**
 * Tests: the parallel engine for every fit whose family has a recipe, whatever n·p and
 * wherever X lives (the kernels' shared copy, or a structured clone for the plain loops),
 * so that small reference fits run their rows on the workers. Returns the previous setting.
 */
export function forceParallelRows(on: boolean): boolean {
  const prev = everyFitParallel;
  everyFitParallel = on;
  return prev;
}

/** Whether a fit of n×p rows on X splits its rows over worker threads (helpers > 0). */
export function parallelRows(X: Float64Array, n: number, p: number, helpers: number): boolean {
  return helpers > 0 && (everyFitParallel || (n * p >= PARALLEL_MIN_ENTRIES && isShared(X)));
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
  const nWorkers = helperThreads();
  const parallel = spec != null && parallelRows(X, n, p, nWorkers);
  // The family's row kernels (src/families/row-kernels.ts) run in the kernels' memory, so y, w, μ live there too.
  const rows = rowKernelsFor(family, y, w);
  const extra = [...(offset ? [n] : []), ...(rows?.dmu ? [n] : [])];
  if (!parallel) {
    const set = designKernelSet(X, n, p, { vectors: [n, n, n, ...(rows ? [n, n, n] : []), ...extra], helpers: 0, shared: false });
    const inSet = rows !== null && set.kind === "wasm";
    const bufs: RowBuffers = {
      k: set.main, X, p, y: inSet ? vectorOf(set, y) : y, w: inSet ? vectorOf(set, w) : w, offset: offset ? vectorOf(set, offset) : null,
      eta: set.vector(n), mu: inSet ? set.vector(n) : new Float64Array(n), W: set.vector(n), z: set.vector(n),
      dmu: rows?.dmu ? set.vector(n) : null, rows,
    };
    return new SerialEngine(bufs, family, n, set.release);
  }
  const set = designKernelSet(X, n, p, { vectors: [n, n, n, n, n, n, ...extra], helpers: nWorkers, shared: true, deferCopy: isShared(X) });
  const bufs: RowBuffers = {
    k: set.main, X: set.main.X, p, y: vectorOf(set, y), w: vectorOf(set, w), offset: offset ? vectorOf(set, offset) : null,
    eta: set.vector(n), mu: set.vector(n), W: set.vector(n), z: set.vector(n), dmu: rows?.dmu ? set.vector(n) : null, rows,
  };
  return new ParallelEngine(bufs, family, n, spec, nWorkers, set, X);
}

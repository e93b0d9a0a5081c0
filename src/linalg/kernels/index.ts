/**
 * The dense kernels of a design X (n×p, row-major) — η = Xβ, A = XᵀWX with b = XᵀWz,
 * g = Xᵀr — behind one interface, {@link DesignKernels}, in two implementations:
 * the WebAssembly f64x2 SIMD kernels (wasm.ts; the design is copied once into the
 * kernels' linear memory) and the plain TypeScript loops (plain.ts, the fallback
 * and the oracle). Both sum in the same order, so they give bit-identical results
 * (docs/kernels.md). The choice is made once at load from GLMKIT_KERNELS:
 * `ts`, `wasm` (whenever available) or `auto` (the default: wasm for designs of at
 * least {@link AUTO_MIN_ENTRIES} entries when available). Nothing here imports a
 * Node module, so the kernels load in a browser too.
 */
import { ArgumentError } from "../../errors.js";
import type { RowUpdate, RowVectors, RowWeights } from "./rows.js";
import { crossprodRange, xbetaRange, xtrRange, hatRange } from "./plain.js";
import { KernelArena, sharedArenasAvailable, wasmKernelsAvailable, type WasmMemory } from "./wasm.js";
import { claimDesignRoom, copyArena, designBuffer, scratchLength } from "./design-buffer.js";

export { crossprodRange, xbetaRange, xtrRange, hatRange } from "./plain.js";
export { KernelArena, wasmKernelsAvailable, sharedArenasAvailable } from "./wasm.js";
export { wasmMathMatchesHost } from "./math-probe.js";
export { designBuffer, isDesignBuffer, type DesignBufferOptions } from "./design-buffer.js";
import { wasmMathMatchesHost } from "./math-probe.js";

export type KernelChoice = "ts" | "wasm" | "auto";

/** Under `auto`, designs with fewer entries (n·p) than this use the TypeScript kernels (the copy would not pay). */
export const AUTO_MIN_ENTRIES = 16_384;

function readChoice(): KernelChoice | string {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.GLMKIT_KERNELS ?? "auto";
}

let choice: KernelChoice | string = readChoice();

/** The kernel choice in force; a bad GLMKIT_KERNELS is an ArgumentError naming it. */
export function kernelChoice(): KernelChoice {
  if (choice !== "ts" && choice !== "wasm" && choice !== "auto")
    throw new ArgumentError(`GLMKIT_KERNELS must be ts, wasm or auto, not "${choice}"`);
  return choice;
}

/** Replaces the kernel choice (tests and benchmarks compare both); returns the previous one. */
export function useKernels(next: KernelChoice): KernelChoice {
  const prev = choice;
  choice = next;
  return prev as KernelChoice;
}

/** Whether a design of n·p `entries` gets the SIMD kernels under the current choice. */
export function wantsWasm(entries: number): boolean {
  const c = kernelChoice();
  if (c === "ts" || !wasmKernelsAvailable()) return false;
  return c === "wasm" || entries >= AUTO_MIN_ENTRIES;
}

/** The kernels of one design, bound to one thread. */
export interface DesignKernels {
  readonly kind: "ts" | "wasm";
  /** The design the kernels read (for wasm, its copy in the arena). */
  readonly X: Float64Array;
  readonly p: number;
  /** out[i] = offset_i + x_iᵀβ for rows [start, end) (offset, out: vectors of the set). */
  xbeta(beta: Float64Array, offset: Float64Array | null, out: Float64Array, start: number, end: number): void;
  /** A = XᵀWX, b = XᵀWz over rows [start, end), overwritten (w, z: vectors of the set; A, b: any arrays). */
  crossprod(w: Float64Array, z: Float64Array, A: Float64Array, b: Float64Array, start: number, end: number): void;
  /** g (=|+=) Xᵀr over rows [start, end) (r: a vector of the set; g: any array of length p). */
  xtr(r: Float64Array, g: Float64Array, start: number, end: number, accumulate: boolean): void;
  /** In a worker: the Float64Array a posted view of one of the set's vectors describes, usable by these kernels. */
  adopt(v: { buffer: ArrayBufferLike; byteOffset: number; length: number }): Float64Array;
  /** The IRLS update rows of row kernel `code` (src/families/row-kernels.ts) in wasm, or null when there is none here. */
  rowsUpdate?(code: number, v: RowVectors, start: number, end: number): RowUpdate | null;
  /** The IRLS weight rows of row kernel `code` in wasm, or null when there is none here. */
  rowsWeights?(code: number, v: RowVectors, start: number, end: number): RowWeights | null;
  /** The starting η of row kernel `code` in wasm; false when there is none here (or a μ fell outside the link's domain). */
  rowsStart?(code: number, v: RowVectors, start: number, end: number): boolean;
  /** The raw update results of row kernel `code` (its `close` turns them into a RowUpdate) in wasm, or null when there is none here. */
  rowsUpdateRaw?(code: number, v: RowVectors, start: number, end: number): Float64Array | null;
  /**
   * Hat values h_i = W_i x_iᵀ(RᵀR)⁻¹x_i over rows [start, end) from the upper Cholesky
   * factor R (p×p, any array) of XᵀWX; with `ratio` also b += Σ (scale·h_i·ratio_i)·x_i in
   * row order (b: any array of length p, added to). W, ratio, hat: vectors of the set.
   */
  hat(R: Float64Array, W: Float64Array, ratio: Float64Array | null, scale: number, hat: Float64Array, b: Float64Array | null, start: number, end: number): void;
}

/** What a worker thread needs to rebuild its {@link DesignKernels} (structured-cloneable). */
export type WorkerKernelSpec =
  | { kind: "ts"; X: Float64Array; p: number }
  | { kind: "wasm"; memory: WasmMemory; xOffset: number; xLength: number; p: number; scratchOffset: number };

/** A design's kernels for the calling thread and its helpers, and the row vectors they work on. */
export interface DesignKernelSet {
  readonly kind: "ts" | "wasm";
  /** The calling thread's kernels. */
  readonly main: DesignKernels;
  /** A zeroed vector the kernels can use (one of those reserved by `vectors`; shared when the set is). */
  vector(length: number): Float64Array;
  /** Helper thread k's kernels, as data to post. */
  workerSpec(k: number): WorkerKernelSpec;
  /** Gives a design buffer's room back for the next set (a no-op for other sets); the set's vectors are not to be used after. */
  release(): void;
  /** The arena of a wasm set (its vectors and X live in it), for kernels bound to it directly (the fused GLM gradient); absent for ts. */
  readonly arena?: KernelArena;
  /** True when X was to be copied into the arena but `deferCopy` left it to the caller (main.X is then zeroes until it copies). */
  readonly copyPending?: boolean;
}

class TsKernels implements DesignKernels {
  readonly kind = "ts" as const;
  constructor(readonly X: Float64Array, readonly p: number) {}
  xbeta(beta: Float64Array, offset: Float64Array | null, out: Float64Array, start: number, end: number): void {
    xbetaRange(this.X, this.p, beta, offset, out, start, end);
  }
  crossprod(w: Float64Array, z: Float64Array, A: Float64Array, b: Float64Array, start: number, end: number): void {
    crossprodRange(this.X, this.p, w, z, A, b, start, end);
  }
  xtr(r: Float64Array, g: Float64Array, start: number, end: number, accumulate: boolean): void {
    xtrRange(this.X, this.p, r, g, start, end, accumulate);
  }
  adopt(v: { buffer: ArrayBufferLike; byteOffset: number; length: number }): Float64Array {
    return new Float64Array(v.buffer, v.byteOffset, v.length);
  }
  private u: Float64Array | null = null;
  hat(R: Float64Array, W: Float64Array, ratio: Float64Array | null, scale: number, hat: Float64Array, b: Float64Array | null, start: number, end: number): void {
    this.u ??= new Float64Array(this.p);
    hatRange(this.X, this.p, R, W, ratio, scale, hat, b, start, end, this.u);
  }
}

/**
 * Whether the wasm update and start of row kernel `code` give the TypeScript kernel's bits
 * here: they call exp/log (assembly/math.ts, V8's fdlibm bits), so only where this host's
 * Math.* is fdlibm's ({@link wasmMathMatchesHost}; not in Chromium 156); gaussian-identity
 * (code 3) calls neither. The weights kernels call neither and always run.
 */
function transcendentalsMatch(code: number): boolean {
  return code === 3 || wasmMathMatchesHost();
}

class WasmKernels implements DesignKernels {
  readonly kind = "wasm" as const;
  private readonly beta: Float64Array;
  private readonly A: Float64Array;
  private readonly b: Float64Array;
  private readonly g: Float64Array;
  /** The lease on a reused arena's memory (design-buffer.ts): held as long as these kernels are. */
  readonly lease: object | null;
  private readonly out: Float64Array;
  private readonly u: Float64Array;
  /** The raw row-kernel results (rowsUpdateRaw: 10 used). */
  private readonly raw: Float64Array;
  constructor(private readonly arena: KernelArena, readonly X: Float64Array, readonly p: number, scratch: Float64Array, lease: object | null = null) {
    this.lease = lease;
    this.beta = scratch.subarray(0, p);
    this.A = scratch.subarray(p, p + p * p);
    this.b = scratch.subarray(p + p * p, 2 * p + p * p);
    this.g = scratch.subarray(2 * p + p * p, 3 * p + p * p);
    this.out = scratch.subarray(3 * p + p * p, 3 * p + p * p + 4);
    this.u = scratch.subarray(3 * p + p * p + 4, 7 * p + p * p + 4);
    this.raw = scratch.subarray(7 * p + p * p + 4, 7 * p + p * p + 16);
  }
  /** Whether the row vectors live in this arena (the wasm row kernels read them in place). */
  private holdsRows(v: RowVectors): boolean {
    const a = this.arena;
    return a.holds(v.y) && a.holds(v.w) && a.holds(v.eta) && a.holds(v.mu) && a.holds(v.W) && a.holds(v.z) &&
      (v.offset === null || a.holds(v.offset)) && (v.dmu === null || a.holds(v.dmu));
  }
  rowsUpdate(code: number, v: RowVectors, start: number, end: number): RowUpdate | null {
    if (!transcendentalsMatch(code) || !this.holdsRows(v) || !this.arena.rowsUpdate(code, v.y, v.w, v.eta, v.mu, v.dmu, start, end, this.out, v.rows?.param)) return null;
    return { deviance: this.out[0]!, valid: this.out[1] === 1 };
  }
  rowsStart(code: number, v: RowVectors, start: number, end: number): boolean {
    return transcendentalsMatch(code) && this.holdsRows(v) && this.arena.rowsStart(code, v.y, v.w, v.eta, start, end, this.out);
  }
  rowsUpdateRaw(code: number, v: RowVectors, start: number, end: number): Float64Array | null {
    // No Math.* in these kernels (assembly/logit-blocked.ts): they run on every host.
    if (!this.holdsRows(v) || v.dmu === null || !this.arena.rowsUpdateRaw(code, v.y, v.w, v.offset, v.eta, v.mu, v.dmu, v.z, start, end, this.raw)) return null;
    return this.raw;
  }
  rowsWeights(code: number, v: RowVectors, start: number, end: number): RowWeights | null {
    if (!this.holdsRows(v) || !this.arena.rowsWeights(code, v.y, v.w, v.offset, v.eta, v.mu, v.dmu, v.W, v.z, start, end, this.out, v.rows?.param)) return null;
    const o = this.out;
    return { nGood: o[0]!, nanVariance: o[1] === 1, nanMuEta: o[2] === 1, zeroVariance: o[3] === 1 };
  }
  xbeta(beta: Float64Array, offset: Float64Array | null, out: Float64Array, start: number, end: number): void {
    this.beta.set(beta.subarray(0, this.p));
    this.arena.xbeta(this.X, this.p, this.beta, offset, out, start, end);
  }
  crossprod(w: Float64Array, z: Float64Array, A: Float64Array, b: Float64Array, start: number, end: number): void {
    const a = this.arena;
    if (a.holds(A) && a.holds(b)) return a.crossprod(this.X, this.p, w, z, A, b, start, end);
    a.crossprod(this.X, this.p, w, z, this.A, this.b, start, end);
    A.set(this.A);
    b.set(this.b);
  }
  xtr(r: Float64Array, g: Float64Array, start: number, end: number, accumulate: boolean): void {
    const a = this.arena;
    if (a.holds(g)) return a.xtr(this.X, this.p, r, g, start, end, accumulate);
    if (accumulate) this.g.set(g.subarray(0, this.p));
    a.xtr(this.X, this.p, r, this.g, start, end, accumulate);
    g.set(this.g);
  }
  adopt(v: { buffer: ArrayBufferLike; byteOffset: number; length: number }): Float64Array {
    return this.arena.view(v.byteOffset, v.length);
  }
  hat(R: Float64Array, W: Float64Array, ratio: Float64Array | null, scale: number, hat: Float64Array, b: Float64Array | null, start: number, end: number): void {
    const a = this.arena, p = this.p;
    const Ra = a.holds(R) ? R : (this.A.set(R.subarray(0, p * p)), this.A);
    if (ratio === null || b === null) return a.hat(this.X, p, Ra, W, null, scale, hat, null, start, end, this.u);
    const ba = a.holds(b) ? b : (this.b.set(b.subarray(0, p)), this.b);
    a.hat(this.X, p, Ra, W, ratio, scale, hat, ba, start, end, this.u);
    if (ba !== b) b.set(ba);
  }
}

export interface KernelSetOptions {
  /** How many n-vectors (and of which length) {@link DesignKernelSet.vector} will hand out. */
  vectors: readonly number[];
  /** Helper threads that will run kernels on the design (0: this thread only). */
  helpers: number;
  /** Whether the vectors (and the design) must be shareable with helper threads. */
  shared: boolean;
  /** Force one implementation (default: {@link wantsWasm}). */
  kind?: "ts" | "wasm";
  /** Leave the copy of X into a new arena to the caller ({@link DesignKernelSet.copyPending}: the parallel IRLS engine copies row blocks on its threads). */
  deferCopy?: boolean;
}

/**
 * The kernels of design X (n×p) and the vectors they work on. With wasm, a design
 * buffer's X (design-buffer.ts) is read in place and the vectors and scratch come from
 * the room after it; any other design is copied into a new arena sized for it, the
 * vectors and one scratch per thread. When no arena can be made (no SIMD, no shared
 * memory for helpers, over 4 GiB) the TypeScript kernels are used.
 */
export function designKernelSet(X: Float64Array, n: number, p: number, o: KernelSetOptions): DesignKernelSet {
  const wasm = o.kind === undefined ? wantsWasm(n * p) : o.kind === "wasm" && wasmKernelsAvailable();
  const threads = o.helpers + 1;
  const scratchLengths = Array.from({ length: threads }, () => scratchLength(p));
  const room = wasm ? claimDesignRoom(X, n * p, o.shared, [...o.vectors, ...scratchLengths]) : null;
  const copy = room === null && wasm && (!o.shared || sharedArenasAvailable())
    ? copyArena(KernelArena.bytesFor([n * p, ...o.vectors, ...scratchLengths]), o.shared)
    : null;
  const arena = room !== null ? room.arena : copy !== null ? copy.arena : null;
  if (arena === null) {
    const main = new TsKernels(X, p);
    return {
      kind: "ts", main,
      vector: (len) => (o.shared ? new Float64Array(new SharedArrayBuffer(len * 8)) : new Float64Array(len)),
      workerSpec: () => ({ kind: "ts", X, p }),
      release: () => {},
    };
  }
  const lent = (room ?? copy)!;
  let Xa: Float64Array;
  if (room !== null) Xa = X;
  else {
    Xa = arena.alloc(n * p);
    if (!o.deferCopy) Xa.set(X.subarray(0, n * p));
  }
  const alloc = lent.alloc;
  const scratch = scratchLengths.map((len) => alloc(len));
  const main = new WasmKernels(arena, Xa, p, scratch[0]!, lent.token);
  return {
    kind: "wasm", main,
    vector: alloc,
    workerSpec: (k) => ({ kind: "wasm", memory: arena.memory, xOffset: Xa.byteOffset, xLength: Xa.length, p, scratchOffset: scratch[k + 1]!.byteOffset }),
    release: lent.release,
    arena,
    copyPending: room === null && o.deferCopy === true,
  };
}

/** In a worker thread: the kernels a {@link DesignKernelSet.workerSpec} describes. */
export function kernelsFromSpec(s: WorkerKernelSpec): DesignKernels {
  if (s.kind === "ts") return new TsKernels(s.X, s.p);
  const arena = KernelArena.attach(s.memory);
  return new WasmKernels(arena, arena.view(s.xOffset, s.xLength), s.p, arena.view(s.scratchOffset, scratchLength(s.p)));
}

/**
 * The fused gradient pass of a GLM log density over rows [0, n): for each block of
 * `block` rows (a multiple of 4), η = offset + Xβ, then `step` turns the block's η
 * into the row terms r (r_i = ∂ log p_i/∂η_i, written by the step) and returns the
 * block's log density, then g += Xᵀr while the block of X is still in cache. The
 * step is called once per block, never per row. g is summed in the order of one
 * unblocked {@link DesignKernels.xtr} pass. Returns the summed log density.
 */
export function fusedGradient(
  k: DesignKernels, n: number, beta: Float64Array, offset: Float64Array | null,
  eta: Float64Array, r: Float64Array, g: Float64Array,
  step: (eta: Float64Array, r: Float64Array, start: number, end: number) => number, block = 512,
): number {
  if (block % 4 !== 0 || block <= 0) throw new ArgumentError(`fusedGradient: block must be a positive multiple of 4, not ${block}`);
  let logDensity = 0;
  if (n === 0) g.fill(0, 0, k.p);
  for (let s = 0; s < n; s += block) {
    const e = Math.min(n, s + block);
    k.xbeta(beta, offset, eta, s, e);
    logDensity += step(eta, r, s, e);
    k.xtr(r, g, s, e, s !== 0);
  }
  return logDensity;
}

/**
 * Storage for a model's n×p design (the formula front end's model matrix): a design
 * buffer when a fit on it will take the SIMD kernels (the kernels wanted for n·p entries,
 * and at least {@link AUTO_MIN_ENTRIES}), so that fits read it in place; else an
 * ordinary Float64Array. Unshared either way (the formula path fits on this thread), and
 * a bad GLMKIT_KERNELS is left for the fit to report.
 */
export function fitDesignStorage(n: number, p: number): Float64Array {
  let wasm = false;
  try {
    wasm = n * p >= AUTO_MIN_ENTRIES && wantsWasm(n * p);
  } catch {
    wasm = false;
  }
  return wasm ? designBuffer(n, p) : new Float64Array(n * p);
}

/**
 * Designs that already live in the SIMD kernels' memory. A fit with the wasm kernels
 * reads X from a {@link KernelArena}; an ordinary Float64Array is copied there once
 * per fit (one pass over X, mostly the page faults of fresh memory, and a second
 * design's worth of memory while the fit runs). {@link designBuffer} hands out the
 * n×p design as a view inside an arena with room reserved after it for the fit's row
 * vectors and per-thread scratch; a kernel set built on it ({@link claimDesignRoom},
 * from designKernelSet) takes its vectors from that room and copies nothing.
 *
 * The room is leased to one kernel set at a time: the set gives it back with
 * `release()` (IRLS does at the end of every run), and a lease whose set and kernels
 * have both been garbage-collected (a run that threw) is free again; whoever uses a
 * set's vectors keeps the set or its `main` kernels (which hold the lease). A set that
 * finds the room leased, too small, unshared when it needs sharing, or the design not
 * this exact view, falls back to the copy: the numbers never depend on which path ran
 * (the kernels read the same values either way). Copies go into one spare arena,
 * reused the same way ({@link copyArena}).
 */
import { ArgumentError } from "../../errors.js";
import { KernelArena, sharedArenasAvailable, wasmKernelsAvailable, type WasmMemory } from "./wasm.js";

/** Scratch of one thread in an arena: β (p), A (p²), b (p), g (p), the row kernels' results (4), the hat kernel's u (4p), then the raw row results (12). */
export const scratchLength = (p: number): number => p * p + 3 * p + 4 + 4 * p + 12;

/** Bytes the bump allocator takes for Float64Arrays of these lengths (16-byte aligned each). */
const roomBytes = (lengths: readonly number[]): number => lengths.reduce((s, len) => s + Math.ceil((len * 8) / 16) * 16, 0);

/**
 * Row vectors reserved after the design: the serial IRLS engine's η, W, z and the
 * offset (4); a shared buffer also the parallel engine's y, w and μ (7).
 */
const SERIAL_VECTORS = 4;
const SHARED_VECTORS = 7;

interface Room {
  readonly arena: KernelArena;
  /** Columns of the design, and where the column ranges of its scan go (never leased). */
  readonly p: number;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  /** Column ranges of each reserved thread's block (p per thread; thread 0's are lo, hi), for a scan split over threads. */
  readonly threadLo: Float64Array;
  readonly threadHi: Float64Array;
  readonly byteOffset: number;
  readonly length: number;
  /** The allocator's position just after the design. */
  readonly mark: number;
  /** The lease: a token held by the kernel set using the room (free when null or collected). */
  holder: WeakRef<object> | null;
  /** Whether the room has never been handed out (its memory is still zero). */
  fresh: boolean;
}

/** Design buffers by their ArrayBuffer (weak: a buffer nobody holds takes its entry with it). */
const rooms = new WeakMap<object, Room>();

export interface DesignBufferOptions {
  /**
   * On a shared WebAssembly.Memory (a SharedArrayBuffer underneath), so that IRLS can
   * split the rows over worker threads (default false: the fit then runs on this thread).
   */
  shared?: boolean;
  /** Threads whose scratch to reserve (default 1, or the machine's core count when shared). */
  threads?: number;
}

function defaultThreads(shared: boolean): number {
  if (!shared) return 1;
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return Math.max(2, Math.min(64, cores ?? 4));
}

/**
 * A zero-filled n×p row-major design for a fit: a Float64Array inside the SIMD kernels'
 * memory with room after it for the fit's row vectors, so that fits on it do not copy
 * X (write the design into it, then pass it as `design.X`). Where the kernels or the
 * memory are unavailable (no WebAssembly SIMD, over 4 GiB, or `shared` without shared
 * memory) it is an ordinary Float64Array (on a SharedArrayBuffer when `shared` and
 * possible), and fits copy as they do for any array. The room costs 8·(4 or 7)·n bytes
 * on top of the design, held as long as the buffer is.
 * @example const X = designBuffer(1000, 3); X.length // 3000
 */
export function designBuffer(n: number, p: number, options: DesignBufferOptions = {}): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new ArgumentError(`designBuffer: n must be a non-negative integer, not ${n}`);
  if (!Number.isInteger(p) || p < 0) throw new ArgumentError(`designBuffer: p must be a non-negative integer, not ${p}`);
  const shared = options.shared ?? false;
  const threads = options.threads ?? defaultThreads(shared);
  if (!Number.isInteger(threads) || threads < 1) throw new ArgumentError(`designBuffer: threads must be a positive integer, not ${threads}`);
  const fallback = (): Float64Array =>
    shared && typeof SharedArrayBuffer !== "undefined" ? new Float64Array(new SharedArrayBuffer(n * p * 8)) : new Float64Array(n * p);
  if (!wasmKernelsAvailable() || (shared && !sharedArenasAvailable())) return fallback();
  const vectors = Array.from({ length: shared ? SHARED_VECTORS : SERIAL_VECTORS }, () => n);
  const scratch = Array.from({ length: threads }, () => scratchLength(p));
  const arena = KernelArena.create(KernelArena.bytesFor([n * p, p * threads, p * threads, ...vectors, ...scratch]), shared);
  if (arena === null) return fallback();
  const X = arena.alloc(n * p);
  const threadLo = arena.alloc(p * threads), threadHi = arena.alloc(p * threads);
  const lo = threadLo.subarray(0, p), hi = threadHi.subarray(0, p);
  rooms.set(X.buffer, { arena, p, lo, hi, threadLo, threadHi, byteOffset: X.byteOffset, length: X.length, mark: arena.mark(), holder: null, fresh: true });
  return X;
}

/**
 * Each column's smallest and largest value of design buffer X (n×p) by the SIMD scan
 * (assembly/design-scan.ts: the values of the TypeScript loop), or null when X is not
 * a design buffer of p columns. With `start`, `end`: over rows [start, end) only.
 */
export function designBufferRanges(X: Float64Array, n: number, p: number, start = 0, end = n): { lo: Float64Array; hi: Float64Array } | null {
  const r = rooms.get(X.buffer);
  if (r === undefined || r.byteOffset !== X.byteOffset || r.length !== X.length || r.p !== p || X.length !== n * p) return null;
  r.arena.colranges(X.subarray(start * p, end * p), end - start, p, r.lo, r.hi);
  return { lo: Float64Array.from(r.lo), hi: Float64Array.from(r.hi) };
}

/**
 * For helper thread k (k ≥ 0) of a scan split over threads: what it needs to run the SIMD
 * column scan on its rows of design buffer X (its memory, X's offset and its own lo/hi), or
 * null when X is not a shared design buffer of p columns with that thread reserved.
 */
export function designBufferScan(X: Float64Array, n: number, p: number, k: number): { memory: WasmMemory; xOffset: number; loOffset: number; hiOffset: number } | null {
  const r = rooms.get(X.buffer);
  if (r === undefined || !r.arena.shared || r.byteOffset !== X.byteOffset || r.length !== X.length || r.p !== p || X.length !== n * p) return null;
  if ((k + 2) * p > r.threadLo.length) return null;
  return { memory: r.arena.memory, xOffset: X.byteOffset, loOffset: r.threadLo.byteOffset + (k + 1) * p * 8, hiOffset: r.threadHi.byteOffset + (k + 1) * p * 8 };
}

/** Whether `X` is a design buffer's design (exactly the view {@link designBuffer} returned, or one like it). */
export function isDesignBuffer(X: Float64Array): boolean {
  const r = rooms.get(X.buffer);
  return r !== undefined && r.byteOffset === X.byteOffset && r.length === X.length;
}

/**
 * A design buffer's room (or a copy's arena), leased: allocate from `alloc` (zeroed
 * arrays), give it back with `release`. The lease also ends when `token` is garbage:
 * whoever uses the arrays must hold it (the set's kernels do).
 */
export interface DesignRoom {
  readonly arena: KernelArena;
  readonly token: object;
  alloc(length: number): Float64Array;
  release(): void;
}

/**
 * The room of design buffer X (n·p entries) for arrays of `lengths`, leased to the
 * caller, or null when X is not a design buffer, its room is leased to a live kernel
 * set, is too small, or is not shared and `shared` is asked.
 */
export function claimDesignRoom(X: Float64Array, entries: number, shared: boolean, lengths: readonly number[]): DesignRoom | null {
  const room = rooms.get(X.buffer);
  if (room === undefined || room.byteOffset !== X.byteOffset || room.length !== X.length || X.length !== entries) return null;
  if (shared && !room.arena.shared) return null;
  if (room.holder !== null && room.holder.deref() !== undefined) return null;
  const arena = room.arena;
  if (roomBytes(lengths) > arena.buffer.byteLength - room.mark) return null;
  arena.rewind(room.mark);
  const zero = !room.fresh;
  room.fresh = false;
  return lease(room, arena, zero);
}

/* ---------------- the copy path: one spare arena, reused while it lives ---------------- */

/**
 * The arena of the last kernel set that copied its design (held weakly: it is garbage
 * once no set uses it and the collector runs, so a finished fit does not keep it), with
 * its lease. A later copy of a design that fits reuses it: the copy then writes memory
 * already mapped (a fresh arena's first touch of every page is most of a copy's cost),
 * and repeated fits (the negative binomial's θ loop, refits, a benchmark's repetitions)
 * hold one arena, not one per fit awaiting collection.
 */
let spare: { arena: WeakRef<KernelArena>; base: number; shared: boolean; holder: WeakRef<object> | null } | null = null;

/** A lease on an arena for a copied design: `alloc` gives zeroed arrays, `release` ends the lease. */
function lease(room: { holder: WeakRef<object> | null }, arena: KernelArena, zero: boolean): DesignRoom {
  const token = {};
  room.holder = new WeakRef(token);
  return {
    arena,
    token,
    alloc: (length) => {
      const a = arena.alloc(length);
      if (zero) a.fill(0);
      return a;
    },
    release: () => {
      // Only the holder gives the room back.
      if (room.holder?.deref() === token) room.holder = null;
    },
  };
}

/**
 * An arena of at least `bytes` bytes (and at most 1.5 times that, so a small design does not
 * hold a large arena) for a copied design, leased: the spare when it is free, alive and of
 * that size, else a new one, which becomes the spare. Null when no arena can be made.
 */
export function copyArena(bytes: number, shared: boolean): DesignRoom | null {
  const s = spare;
  const old = s?.arena.deref();
  if (s && old && s.shared === shared && (s.holder === null || s.holder.deref() === undefined)) {
    const size = old.buffer.byteLength;
    if (size >= bytes && size <= 1.5 * bytes + 65536) {
      old.rewind(s.base);
      return lease(s, old, true);
    }
  }
  const arena = KernelArena.create(bytes, shared);
  if (arena === null) return null;
  const room = { arena: new WeakRef(arena), base: arena.mark(), shared, holder: null as WeakRef<object> | null };
  spare = room;
  return lease(room, arena, false);
}

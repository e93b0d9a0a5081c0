/**
 * The WebAssembly SIMD kernels (assembly/kernels.ts, bytes embedded in
 * wasm-bytes.ts) and the linear memory they read: a {@link KernelArena} holds the
 * design and the row vectors of one fit, so the kernels work on them in place.
 * The module is compiled synchronously once at load (`new WebAssembly.Module`),
 * which works in Node and in the browser without fs; where SIMD (or WebAssembly)
 * is missing, {@link wasmKernelsAvailable} is false and the TypeScript kernels run.
 * A shared arena (WebAssembly.Memory with shared: true, a SharedArrayBuffer
 * underneath) is posted to worker threads, which attach their own instance to it.
 */
import { KERNELS_WASM_PLAIN, KERNELS_WASM_SHARED } from "./wasm-bytes.js";

interface KernelExports {
  crossprod(X: number, p: number, w: number, z: number, A: number, b: number, start: number, end: number): void;
  xbeta(X: number, p: number, beta: number, offset: number, out: number, start: number, end: number): void;
  xtr(X: number, p: number, r: number, g: number, start: number, end: number, accumulate: number): void;
  peak(iters: number): number;
  hat(X: number, p: number, R: number, W: number, ratio: number, scale: number, hat: number, b: number, start: number, end: number, u: number): void;
}

/** The little of the WebAssembly JS API used here (lib ES2022 has no WebAssembly types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  Memory: new (d: { initial: number; maximum: number; shared?: boolean }) => WasmMemory;
}
const WA = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

const PAGE = 65536;
/** Most pages an arena takes: addresses are 32-bit, kept below 4 GiB. */
const MAX_PAGES = 65535;
/** Byte 0..15 stay unused: address 0 means "no offset" to xbeta. */
const FIRST_BYTE = 16;

function decode(b64: string): Uint8Array {
  const g = globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array }; atob?: (s: string) => string };
  if (g.Buffer) return new Uint8Array(g.Buffer.from(b64, "base64"));
  const s = g.atob!(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function compile(b64: string): WasmModule | null {
  try {
    if (WA === undefined) return null;
    return new WA.Module(decode(b64));
  } catch {
    return null; // no SIMD, no threads, or WebAssembly disabled
  }
}

function canShare(): boolean {
  try {
    return new WA!.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

const sharedModule = compile(KERNELS_WASM_SHARED);
const plainModule = compile(KERNELS_WASM_PLAIN);
const sharingWorks = sharedModule !== null && canShare();

/** Whether the SIMD kernels compiled here (WebAssembly with fixed-width SIMD). */
export function wasmKernelsAvailable(): boolean {
  return plainModule !== null || sharingWorks;
}

/** Whether shared arenas (for worker threads) can be made here. */
export function sharedArenasAvailable(): boolean {
  return sharingWorks;
}

/**
 * A linear memory of fixed size holding Float64Arrays the SIMD kernels read and
 * write in place, with the kernels bound to it. Arrays are taken by a bump
 * allocator ({@link alloc}, 16-byte aligned) and live as long as the arena.
 */
export class KernelArena {
  private next = FIRST_BYTE;
  private readonly k: KernelExports;
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  private constructor(readonly memory: WasmMemory, readonly shared: boolean) {
    const module = shared ? sharedModule! : plainModule!;
    this.k = new WA!.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
    this.buffer = memory.buffer;
  }

  /** Bytes an arena needs for Float64Arrays of these lengths. */
  static bytesFor(lengths: readonly number[]): number {
    return lengths.reduce((s, len) => s + Math.ceil((len * 8) / 16) * 16, FIRST_BYTE);
  }

  /**
   * An arena of at least `bytes` bytes (shared when asked and possible), or null when the
   * kernels are unavailable, sharing was asked and is impossible, or it would exceed 4 GiB.
   */
  static create(bytes: number, shared: boolean): KernelArena | null {
    if (shared ? !sharingWorks : plainModule === null) return null;
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    if (pages > MAX_PAGES) return null;
    try {
      return new KernelArena(new WA!.Memory({ initial: pages, maximum: pages, shared }), shared);
    } catch {
      return null; // out of memory
    }
  }

  /** In a worker thread: the kernels bound to a shared arena made by another thread (no allocation). */
  static attach(memory: WasmMemory): KernelArena {
    return new KernelArena(memory, true);
  }

  /** A new zeroed Float64Array of `length` in the arena; throws when the arena is full (a sizing bug). */
  alloc(length: number): Float64Array {
    const bytes = Math.ceil((length * 8) / 16) * 16;
    if (this.next + bytes > this.buffer.byteLength) throw new RangeError(`kernel arena full: ${length} doubles do not fit`);
    const a = new Float64Array(this.buffer, this.next, length);
    this.next += bytes;
    return a;
  }

  /** The Float64Array at `byteOffset` of `length` in this arena (a view posted from another thread). */
  view(byteOffset: number, length: number): Float64Array {
    return new Float64Array(this.buffer, byteOffset, length);
  }

  /** Whether `a` lives in this arena. */
  holds(a: Float64Array): boolean {
    return a.buffer === this.buffer;
  }

  private ptr(a: Float64Array, what: string): number {
    if (a.buffer !== this.buffer) throw new RangeError(`${what} is not in the kernel arena`);
    return a.byteOffset;
  }

  /** {@link crossprodRange} in SIMD; every array must live in the arena. */
  crossprod(X: Float64Array, p: number, w: Float64Array, z: Float64Array, A: Float64Array, b: Float64Array, start: number, end: number): void {
    this.k.crossprod(this.ptr(X, "X"), p, this.ptr(w, "w"), this.ptr(z, "z"), this.ptr(A, "A"), this.ptr(b, "b"), start, end);
  }

  /** {@link xbetaRange} in SIMD; every array must live in the arena. */
  xbeta(X: Float64Array, p: number, beta: Float64Array, offset: Float64Array | null, out: Float64Array, start: number, end: number): void {
    this.k.xbeta(this.ptr(X, "X"), p, this.ptr(beta, "beta"), offset === null ? 0 : this.ptr(offset, "offset"), this.ptr(out, "out"), start, end);
  }

  /**
   * Measured f64x2 arithmetic rate of this thread in GFLOP/s (multiply and add counted
   * separately, as the kernels use them): the best of `reps` runs of the peak loop.
   */
  peakGflops(reps = 5, iters = 2_000_000): number {
    let best = Infinity;
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      this.k.peak(iters);
      best = Math.min(best, performance.now() - t0);
    }
    return (48 * iters) / (best * 1e6);
  }

  /** {@link xtrRange} in SIMD; every array must live in the arena. */
  xtr(X: Float64Array, p: number, r: Float64Array, g: Float64Array, start: number, end: number, accumulate: boolean): void {
    this.k.xtr(this.ptr(X, "X"), p, this.ptr(r, "r"), this.ptr(g, "g"), start, end, accumulate ? 1 : 0);
  }

  /** {@link hatRange} in SIMD (u: scratch of 4p); every array must live in the arena. */
  hat(
    X: Float64Array, p: number, R: Float64Array, W: Float64Array, ratio: Float64Array | null, scale: number,
    hat: Float64Array, b: Float64Array | null, start: number, end: number, u: Float64Array,
  ): void {
    if (u.length < 4 * p) throw new RangeError(`hat: the scratch u needs ${4 * p} doubles`);
    const withRatio = ratio !== null && b !== null;
    this.k.hat(
      this.ptr(X, "X"), p, this.ptr(R, "R"), this.ptr(W, "W"), withRatio ? this.ptr(ratio!, "ratio") : 0, scale,
      this.ptr(hat, "hat"), withRatio ? this.ptr(b!, "b") : 0, start, end, this.ptr(u, "u"),
    );
  }
}

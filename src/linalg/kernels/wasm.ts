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
  glmGradient(fam: number, X: number, p: number, n: number, beta: number, offset: number, y: number, w: number,
    eta: number, score: number, g: number, state: number, lgy: number, slot: number, dl: number, dg: number): number;
  logitUpdate(y: number, w: number, eta: number, mu: number, dmu: number, start: number, end: number, out: number): void;
  logitWeights(y: number, w: number, offset: number, eta: number, mu: number, dmu: number, W: number, z: number, start: number, end: number, out: number): void;
  logUpdate(y: number, w: number, eta: number, mu: number, start: number, end: number, out: number): void;
  logWeights(y: number, w: number, offset: number, eta: number, mu: number, W: number, z: number, start: number, end: number, out: number): void;
  gammaLogUpdate(y: number, w: number, eta: number, mu: number, start: number, end: number, out: number): void;
  gammaLogWeights(y: number, w: number, offset: number, eta: number, mu: number, W: number, z: number, start: number, end: number, out: number): void;
  logitStart(y: number, w: number, eta: number, start: number, end: number, out: number): void;
  identityUpdate(y: number, w: number, eta: number, mu: number, start: number, end: number, out: number): void;
  identityWeights(y: number, w: number, offset: number, eta: number, mu: number, W: number, z: number, start: number, end: number, out: number): void;
  expArray(src: number, dst: number, n: number): void;
  logArray(src: number, dst: number, n: number): void;
  log1pArray(src: number, dst: number, n: number): void;
  expS(x: number): number;
  logS(x: number): number;
  log1pS(x: number): number;
  colranges(X: number, n: number, p: number, lo: number, hi: number): void;
  hat(X: number, p: number, R: number, W: number, ratio: number, scale: number, hat: number, b: number, start: number, end: number, u: number): void;
  fastExpArray(src: number, dst: number, n: number): void;
  staticDataEnd(): number;
  negbinLogUpdate(y: number, w: number, eta: number, mu: number, theta: number, start: number, end: number, out: number): void;
  negbinLogWeights(y: number, w: number, offset: number, eta: number, mu: number, W: number, z: number, theta: number, start: number, end: number, out: number): void;
  jeffreysLeverages(X: number, p: number, R: number, omega: number, a: number, G: number, h: number, grad: number, start: number, end: number, u: number): void;
  jeffreysHessian(X: number, p: number, G: number, omega: number, h: number, a: number, aa: number, au: number, b: number, bb: number,
    H: number, dim: number, M: number, withAux: number, start: number, end: number, C: number): void;
  logitBinaryUpdate(y: number, w: number, offset: number, eta: number, mu: number, Wn: number, z: number, start: number, end: number, out: number): void;
  logitBinaryWeights(w: number, Wn: number, W: number, start: number, end: number, out: number): void;
  gradientEta(X: number, p: number, n: number, beta: number, offset: number, eta: number): void;
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
/**
 * Bytes below it stay out of the arena: address 0 means "no offset" to xbeta, and the module's
 * static data (assembly/fastmath.ts's table, ~4 KB; `staticDataEnd()` ≤ FIRST_BYTE is tested) lives there.
 */
const FIRST_BYTE = 8192;

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

/** A row kernel's parameter (θ of the negative binomial): a finite number > 0. */
function isParam(x: number | undefined): x is number {
  return x !== undefined && x > 0 && Number.isFinite(x);
}

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

  /**
   * The IRLS update rows of row kernel `code` (src/families/row-kernels.ts) over [start, end),
   * writing [deviance, valid] to `out`; false when the module has no such kernel. Every array in the arena.
   */
  rowsUpdate(code: number, y: Float64Array, w: Float64Array, eta: Float64Array, mu: Float64Array, dmu: Float64Array | null, start: number, end: number, out: Float64Array, param?: number): boolean {
    const k = this.k;
    const a = [this.ptr(y, "y"), this.ptr(w, "w"), this.ptr(eta, "eta"), this.ptr(mu, "mu")] as const;
    const o = this.ptr(out, "out");
    if (code === 1 && dmu !== null) k.logitUpdate(a[0], a[1], a[2], a[3], this.ptr(dmu, "dmu"), start, end, o);
    else if (code === 2) k.logUpdate(a[0], a[1], a[2], a[3], start, end, o);
    else if (code === 3) k.identityUpdate(a[0], a[1], a[2], a[3], start, end, o);
    else if (code === 4) k.gammaLogUpdate(a[0], a[1], a[2], a[3], start, end, o);
    else if (code === 5 && isParam(param)) k.negbinLogUpdate(a[0], a[1], a[2], a[3], param, start, end, o);
    else return false;
    return true;
  }

  /** The starting η of row kernel `code` over [start, end); false when there is none, or a μ is outside [0, 1] (then nothing is promised of η). */
  rowsStart(code: number, y: Float64Array, w: Float64Array, eta: Float64Array, start: number, end: number, out: Float64Array): boolean {
    if (code !== 1) return false;
    this.k.logitStart(this.ptr(y, "y"), this.ptr(w, "w"), this.ptr(eta, "eta"), start, end, this.ptr(out, "out"));
    return out[0] === 1;
  }

  /**
   * The raw update of row kernel `code` over [start, end) (code 7, the blocked binary logit of
   * assembly/logit-blocked.ts: μ, the next W (into dmu) and z stored, out = [P_0 … P_7, K, valid]); false when there is none.
   */
  rowsUpdateRaw(
    code: number, y: Float64Array, w: Float64Array, offset: Float64Array | null, eta: Float64Array, mu: Float64Array,
    dmu: Float64Array, z: Float64Array, start: number, end: number, out: Float64Array,
  ): boolean {
    if (code !== 7) return false;
    this.k.logitBinaryUpdate(this.ptr(y, "y"), this.ptr(w, "w"), offset === null ? 0 : this.ptr(offset, "offset"), this.ptr(eta, "eta"),
      this.ptr(mu, "mu"), this.ptr(dmu, "dmu"), this.ptr(z, "z"), start, end, this.ptr(out, "out"));
    return true;
  }

  /** The IRLS weight rows of row kernel `code` over [start, end), writing [nGood, nanVariance, nanMuEta, zeroVariance] to `out`. */
  rowsWeights(
    code: number, y: Float64Array, w: Float64Array, offset: Float64Array | null, eta: Float64Array, mu: Float64Array, dmu: Float64Array | null,
    W: Float64Array, z: Float64Array, start: number, end: number, out: Float64Array, param?: number,
  ): boolean {
    const k = this.k;
    const yp = this.ptr(y, "y"), wp = this.ptr(w, "w"), op = offset === null ? 0 : this.ptr(offset, "offset");
    const ep = this.ptr(eta, "eta"), mp = this.ptr(mu, "mu"), Wp = this.ptr(W, "W"), zp = this.ptr(z, "z"), o = this.ptr(out, "out");
    if (code === 1 && dmu !== null) k.logitWeights(yp, wp, op, ep, mp, this.ptr(dmu, "dmu"), Wp, zp, start, end, o);
    else if (code === 2) k.logWeights(yp, wp, op, ep, mp, Wp, zp, start, end, o);
    else if (code === 3) k.identityWeights(yp, wp, op, ep, mp, Wp, zp, start, end, o);
    else if (code === 4) k.gammaLogWeights(yp, wp, op, ep, mp, Wp, zp, start, end, o);
    else if (code === 5 && isParam(param)) k.negbinLogWeights(yp, wp, op, ep, mp, Wp, zp, param, start, end, o);
    else if (code === 7 && dmu !== null) k.logitBinaryWeights(wp, this.ptr(dmu, "dmu"), Wp, start, end, o);
    else return false;
    return true;
  }

  /** {@link xtrRange} in SIMD; every array must live in the arena. */
  xtr(X: Float64Array, p: number, r: Float64Array, g: Float64Array, start: number, end: number, accumulate: boolean): void {
    this.k.xtr(this.ptr(X, "X"), p, this.ptr(r, "r"), this.ptr(g, "g"), start, end, accumulate ? 1 : 0);
  }

  /**
   * The GLM log density's fused gradient in one call (assembly/gradient.ts `glmGradient`):
   * η, the family's row terms and g = Xᵀr over rows [0, n). Every array lives in the arena
   * (offset, lgy, slot, dl, dg may be null). Returns false when ℓ is −∞ (the sums stopped).
   */
  glmGradient(
    fam: number, X: Float64Array, p: number, n: number, beta: Float64Array, offset: Float64Array | null,
    y: Float64Array, w: Float64Array, eta: Float64Array, score: Float64Array, g: Float64Array, state: Float64Array,
    tables: { lgy: Float64Array; slot: Int32Array; dl: Float64Array; dg: Float64Array } | null,
  ): boolean {
    const at = (a: Float64Array | Int32Array | null, what: string): number => (a === null ? 0 : this.ptr(a as Float64Array, what));
    return this.k.glmGradient(
      fam, this.ptr(X, "X"), p, n, this.ptr(beta, "beta"), at(offset, "offset"), this.ptr(y, "y"), this.ptr(w, "w"),
      this.ptr(eta, "eta"), this.ptr(score, "score"), this.ptr(g, "g"), this.ptr(state, "state"),
      at(tables && tables.lgy, "lgy"), at(tables && tables.slot, "slot"), at(tables && tables.dl, "dl"), at(tables && tables.dg, "dg"),
    ) === 1;
  }

  /** dst[i] = Math.exp(src[i]) with the same bits (assembly/math.ts, f64x2); both in the arena, dst.length ≥ src.length, dst = src or disjoint. */
  expInto(src: Float64Array, dst: Float64Array): void {
    this.k.expArray(this.ptr(src, "src"), this.ptr(this.fits(dst, src), "dst"), src.length);
  }

  /** dst[i] = fastExp(src[i]) (src/likelihood/fast-exp.ts, the gradient's division-free e^x) with the same bits (assembly/fastmath.ts); as {@link expInto}. */
  fastExpInto(src: Float64Array, dst: Float64Array): void {
    this.k.fastExpArray(this.ptr(src, "src"), this.ptr(this.fits(dst, src), "dst"), src.length);
  }

  /**
   * η = Xβ + offset over rows [0, n) in the one-call gradient's column-parity order (assembly/gradient.ts
   * gradientEta; log-posterior.ts gradientEtaRows's bits), for benchmarks; every array in the arena.
   */
  gradientEta(X: Float64Array, p: number, n: number, beta: Float64Array, offset: Float64Array | null, eta: Float64Array): void {
    this.k.gradientEta(this.ptr(X, "X"), p, n, this.ptr(beta, "beta"), offset === null ? 0 : this.ptr(offset, "offset"), this.ptr(eta, "eta"));
  }

  /** The end of the module's static data (tests: it must not pass the arena's first byte). */
  staticDataEnd(): number {
    return this.k.staticDataEnd();
  }

  /** dst[i] = Math.log(src[i]) with the same bits; as {@link expInto}. */
  logInto(src: Float64Array, dst: Float64Array): void {
    this.k.logArray(this.ptr(src, "src"), this.ptr(this.fits(dst, src), "dst"), src.length);
  }

  /** dst[i] = Math.log1p(src[i]) with the same bits; as {@link expInto}. */
  log1pInto(src: Float64Array, dst: Float64Array): void {
    this.k.log1pArray(this.ptr(src, "src"), this.ptr(this.fits(dst, src), "dst"), src.length);
  }

  /** The scalar ports (expS, logS, log1pS of assembly/math.ts), one call per value: tests. */
  scalarMath(fn: "exp" | "log" | "log1p", x: number): number {
    return fn === "exp" ? this.k.expS(x) : fn === "log" ? this.k.logS(x) : this.k.log1pS(x);
  }

  private fits(dst: Float64Array, src: Float64Array): Float64Array {
    if (dst.length < src.length) throw new RangeError(`dst has ${dst.length} entries, src ${src.length}`);
    const a = src.byteOffset, b = dst.byteOffset, len = src.length * 8;
    if (a !== b && a < b + len && b < a + len) throw new RangeError("dst overlaps src (it must be src itself or disjoint from it)");
    return dst;
  }

  /** The allocator's position, to {@link rewind} to later (a design buffer reuses the room after its X). */
  mark(): number {
    return this.next;
  }

  /** Gives back every array allocated after `mark` (their memory is reused as it is, not zeroed). */
  rewind(mark: number): void {
    if (!(mark >= FIRST_BYTE && mark <= this.next && mark % 16 === 0)) throw new RangeError(`kernel arena: cannot rewind to ${mark}`);
    this.next = mark;
  }

  /** Each column's smallest (lo) and largest (hi) value over n rows (assembly/design-scan.ts); every array in the arena. */
  colranges(X: Float64Array, n: number, p: number, lo: Float64Array, hi: Float64Array): void {
    this.k.colranges(this.ptr(X, "X"), n, p, this.ptr(lo, "lo"), this.ptr(hi, "hi"));
  }

  /** Bytes still free for {@link alloc}. */
  free(): number {
    return this.buffer.byteLength - this.next;
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

  /** jeffreysLeverageRows (src/likelihood/jeffreys-penalty.ts) in SIMD (u: scratch of 4p); every array in the arena, a and grad both or neither. */
  jeffreysLeverages(
    X: Float64Array, p: number, R: Float64Array, omega: Float64Array, a: Float64Array | null,
    G: Float64Array, h: Float64Array, grad: Float64Array | null, start: number, end: number, u: Float64Array,
  ): void {
    if (u.length < 4 * p) throw new RangeError(`jeffreysLeverages: the scratch u needs ${4 * p} doubles`);
    const withGrad = a !== null && grad !== null;
    this.k.jeffreysLeverages(
      this.ptr(X, "X"), p, this.ptr(R, "R"), this.ptr(omega, "omega"), withGrad ? this.ptr(a!, "a") : 0,
      this.ptr(G, "G"), this.ptr(h, "h"), withGrad ? this.ptr(grad!, "grad") : 0, start, end, this.ptr(u, "u"),
    );
  }

  /** jeffreysHessianRows (src/likelihood/jeffreys-penalty.ts) in SIMD (C: scratch of 128·(q + 2 + p), q = p or p + 1); every array in the arena. */
  jeffreysHessian(
    X: Float64Array, p: number, G: Float64Array, omega: Float64Array, h: Float64Array,
    a: Float64Array, aa: Float64Array, au: Float64Array, b: Float64Array, bb: Float64Array,
    H: Float64Array, dim: number, M: Float64Array, withAux: boolean, start: number, end: number, C: Float64Array,
  ): void {
    const need = 128 * ((withAux ? p + 1 : p) + 2 + p);
    if (C.length < need) throw new RangeError(`jeffreysHessian: the scratch C needs ${need} doubles`);
    this.k.jeffreysHessian(
      this.ptr(X, "X"), p, this.ptr(G, "G"), this.ptr(omega, "omega"), this.ptr(h, "h"), this.ptr(a, "a"), this.ptr(aa, "aa"),
      this.ptr(au, "au"), this.ptr(b, "b"), this.ptr(bb, "bb"), this.ptr(H, "H"), dim, this.ptr(M, "M"), withAux ? 1 : 0, start, end, this.ptr(C, "C"),
    );
  }
}

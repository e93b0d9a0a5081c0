/**
 * The GLM log density's fused gradient in one WebAssembly SIMD call (assembly/gradient.ts
 * `glmGradient`): η = Xβ + offset, the family's row terms and Xᵀ∂ℓ/∂η with X read once,
 * for the η-space kernels (binomial–logit, Poisson–log, gaussian–identity, negative
 * binomial–log). Its oracle is the TypeScript fused path of log-posterior.ts
 * (`fusedLikelihoodGrad`), whose sums it repeats term for term, so the two give the same
 * bits (test/likelihood/wasm-gradient.test.ts; docs/kernels.md).
 *
 * The kernel set (designKernelSet) holds a copy of X, y, w, the offset, η, the row terms,
 * β, g, the kernel's running-sum state and the negative binomial's tables in one arena; a
 * call copies θ in and g out (p numbers each) and the per-y tables (their number of
 * distinct y) for the negative binomial.
 */
import { designKernelSet, wantsWasm, wasmMathMatchesHost, type KernelArena } from "../linalg/kernels/index.js";
import { GRAD_STATE_LENGTH, type FusedRowData, type LikelihoodKernel, type RangeLikelihoodGradient } from "../types.js";

/** The family codes of assembly/gradient.ts (logit: 0 with a log1p per row, 1 with the blocked log, 5 blocked with unit weights). */
const FAMILY_CODE = { logit: 0, poisson: 2, gaussian: 3, negbin: 4 } as const;

/** One design's one-call gradient: the arena and its vectors. */
export interface WasmGlmGradient {
  /** η at the last call (an arena vector, length n). */
  readonly eta: Float64Array;
  /** ∂ℓ_i/∂η_i at the last call (an arena vector, length n). */
  readonly score: Float64Array;
  /**
   * ℓ at θ with Xᵀ∂ℓ/∂η in grad[0..p) (grad zeroed first, and left zero when ℓ = −∞) and ∂ℓ/∂u
   * in auxGrad[0]: the same numbers as log-posterior.ts's fused TypeScript pass.
   */
  likelihoodGrad(theta: Float64Array, u: number, grad: Float64Array, auxGrad: Float64Array): number;
  /**
   * A = XᵀWX (p×p) and b = XᵀW·0 with the set's SIMD crossprod kernel, w copied into the arena:
   * the bits of weightedCrossprodInto(X, n, p, w, zeros, A, b) (its oracle), for the Hessian
   * and the scoring matrix.
   */
  weightedCrossprod(w: Float64Array, A: Float64Array, b: Float64Array): void;
}

/**
 * Whether the one-call gradient is chosen for a design of n·p entries: the kernel choice
 * (wantsWasm), and only where this host's Math.exp/log/log1p are fdlibm's (wasmMathMatchesHost:
 * not in Chromium 156), since its family steps call assembly/math.ts, which has fdlibm's bits;
 * elsewhere the TypeScript gradient runs, so the kernel choice never changes a draw.
 */
export const wantsWasmGradient = (n: number, p: number): boolean => n > 0 && p > 0 && wantsWasm(n * p) && wasmMathMatchesHost();

/**
 * The one-call gradient of `kernel` on X (n×p) with `offset`, or null when the kernel has no
 * row data or no arena can be had (no SIMD, over 4 GiB). The caller asks wantsWasmGradient first.
 * @example
 * const one = wasmGlmGradient(X, n, p, null, likelihoodKernel({ y, weights, trials: null, family: binomial() }) as LikelihoodKernel & RangeLikelihoodGradient);
 * const ll = one?.likelihoodGrad(beta, 0, grad, new Float64Array(1)); // ℓ, with Xᵀ∂ℓ/∂η in grad
 */
export function wasmGlmGradient(
  X: Float64Array, n: number, p: number, offset: Float64Array | null,
  kernel: LikelihoodKernel & RangeLikelihoodGradient,
): WasmGlmGradient | null {
  if (typeof kernel.rowData !== "function" || n === 0 || p === 0) return null;
  const data: FusedRowData = kernel.rowData();
  const negbin = data.family === "negbin";
  const slots = negbin ? data.dl.length : 0;
  const lengths = [n, n, n, n, n, n, ...(offset !== null ? [n] : []), p, p, GRAD_STATE_LENGTH,
    ...(negbin ? [n, Math.ceil(n / 2), Math.max(slots, 1), Math.max(slots, 1)] : [])];
  const set = designKernelSet(X, n, p, { vectors: lengths, helpers: 0, shared: false, kind: "wasm" });
  const arena: KernelArena | undefined = set.arena;
  if (set.kind !== "wasm" || arena === undefined) return null;
  const Xa = set.main.X;
  const y = set.vector(n);
  y.set(data.y.subarray(0, n));
  const w = set.vector(n);
  w.set(data.w.subarray(0, n));
  const eta = set.vector(n);
  const score = set.vector(n);
  // The Hessian's weights and the zero working response of its crossprod (allocated zeroed).
  const hw = set.vector(n);
  const zeros = set.vector(n);
  let off: Float64Array | null = null;
  if (offset !== null) {
    off = set.vector(n);
    off.set(offset.subarray(0, n));
  }
  const beta = set.vector(p);
  const g = set.vector(p);
  const state = set.vector(GRAD_STATE_LENGTH);
  let tables: { lgy: Float64Array; slot: Int32Array; dl: Float64Array; dg: Float64Array } | null = null;
  if (data.family === "negbin") {
    const lgy = set.vector(n);
    lgy.set(data.lgy.subarray(0, n));
    const slotBlock = set.vector(Math.ceil(n / 2));
    const slot = new Int32Array(slotBlock.buffer, slotBlock.byteOffset, n);
    slot.set(data.slot.subarray(0, n));
    tables = { lgy, slot, dl: set.vector(Math.max(slots, 1)), dg: set.vector(Math.max(slots, 1)) };
  }
  const code = FAMILY_CODE[data.family];
  const unitWeights = data.w.subarray(0, n).every((v) => v === 1);
  return {
    eta, score,
    weightedCrossprod(wts, A, b) {
      hw.set(wts.subarray(0, n));
      set.main.crossprod(hw, zeros, A, b, 0, n);
    },
    likelihoodGrad(theta, u, grad, auxGrad) {
      grad.fill(0);
      kernel.gradBegin(n, u, state);
      if (tables !== null && data.family === "negbin") {
        tables.dl.set(data.dl);
        tables.dg.set(data.dg);
      }
      for (let j = 0; j < p; j++) beta[j] = theta[j]!;
      // The logit kernel's state[3] says whether it sums log(1 + t) by blocked products (n ≥ 1024).
      const fam = code === 0 && state[3] === 1 ? (unitWeights ? 5 : 1) : code;
      if (!arena.glmGradient(fam, Xa, p, n, beta, off, y, w, eta, score, g, state, tables)) return -Infinity;
      const ll = kernel.gradEnd(state, auxGrad);
      if (ll === -Infinity) return -Infinity;
      for (let j = 0; j < p; j++) grad[j] = g[j]!;
      return ll;
    },
  };
}

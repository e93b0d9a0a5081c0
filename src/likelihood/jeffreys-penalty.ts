/**
 * The Jeffreys penalty J(ξ) = ½ log|I(ξ)| of the coefficient block,
 * I = Xᵀ diag(ω) X, as a function of ξ = (β, u) through per-observation
 * weights ωᵢ(ηᵢ, u), with its analytic gradient and Hessian (Firth 1993).
 *
 * With aᵢ = ∂ log ωᵢ/∂ηᵢ, bᵢ = ∂ log ωᵢ/∂u and hᵢ = xᵢᵀ I⁻¹ xᵢ ω-free leverages:
 *   ∂J/∂β_r = ½ Σᵢ hᵢ ωᵢ aᵢ x_ir,      ∂J/∂u = ½ Σᵢ hᵢ ωᵢ bᵢ            (O(np²))
 *   ∂²J/∂ξ_r∂ξ_s = ½ tr(I⁻¹ ∂²I/∂ξ_r∂ξ_s) − ½ tr(I⁻¹ ∂_r I I⁻¹ ∂_s I)
 * where ∂_r I = Xᵀ diag(ωᵢ d_ir) X with d_ir = aᵢ x_ir (β_r) or bᵢ (u), and
 * ∂²ωᵢ/∂ξ_r∂ξ_s = ωᵢ[(aᵢ² + aaᵢ) x_ir x_is | (aᵢbᵢ + auᵢ) x_ir | bᵢ² + bbᵢ].
 * With gᵢ = R⁻ᵀxᵢ (I = RᵀR) the second trace is Σ tr(M_r M_s), M_r = Σᵢ ωᵢ d_ir gᵢgᵢᵀ,
 * so the Hessian costs O(np³) and no n×n matrix is formed.
 *
 * References: [1] Firth, D. (1993). Bias reduction of maximum likelihood estimates.
 * Biometrika 80, 27–38. [2] Kosmidis, I. & Firth, D. (2009). Bias reduction in
 * exponential family nonlinear models. Biometrika 96, 793–804 (the adjusted score
 * ½ Σ hᵢ (2μ″/μ′ − μ′V′/V) xᵢ, which is ∂J/∂β here).
 */
import { choleskyInPlace } from "../linalg/cholesky.js";
import { designKernelSet, type KernelArena } from "../linalg/kernels/index.js";
import { crossprodRange } from "../linalg/kernels/plain.js";

/**
 * The leverage pass over rows [start, end) (the oracle of assembly/jeffreys.ts
 * `jeffreysLeverages`): for rows with ωᵢ ≠ 0, gᵢ = R⁻ᵀxᵢ by forward substitution
 * (t = x_ik; t −= R_mk·g_m for m < k; g_k = t/R_kk) and hᵢ = Σ_k g_k² in k order; rows
 * with ωᵢ = 0 get gᵢ = 0, hᵢ = 0. With `a`, then grad += tᵢxᵢ in row order,
 * tᵢ = ((0.5·hᵢ)·ωᵢ)·aᵢ, rows with tᵢ = 0 skipped (grad: length ≥ p, added to).
 * R is the upper Cholesky factor of XᵀΩX (p×p row-major, lower triangle not read).
 */
export function jeffreysLeverageRows(
  X: Float64Array, p: number, R: Float64Array, omega: Float64Array, a: Float64Array | null,
  G: Float64Array, h: Float64Array, grad: Float64Array | null, start: number, end: number,
): void {
  for (let i = start, row = start * p; i < end; i++, row += p) {
    const wi = omega[i]!;
    let hi = 0;
    if (wi !== 0) {
      for (let j = 0; j < p; j++) {
        let s = X[row + j]!;
        for (let m = 0; m < j; m++) s -= R[m * p + j]! * G[row + m]!;
        const g = s / R[j * p + j]!;
        G[row + j] = g;
        hi += g * g;
      }
    } else {
      for (let j = 0; j < p; j++) G[row + j] = 0;
    }
    h[i] = hi;
    if (a === null || grad === null) continue;
    const ti = 0.5 * hi * wi * a[i]!;
    if (ti === 0) continue;
    for (let j = 0; j < p; j++) grad[j] += X[row + j]! * ti;
  }
}

/**
 * The Hessian's row sums over rows [start, end) with ωᵢ ≠ 0, in row order (the oracle of
 * assembly/jeffreys.ts `jeffreysHessian`): with c = (0.5·hᵢ)·ωᵢ, the first term
 * H_rs += (c·(aᵢ² + aaᵢ)·x_ir)·x_is (s ≥ r; rows with x_ir = 0 skipped), with `withAux`
 * H_rp += c·(aᵢbᵢ + auᵢ)·x_ir and H_pp += c·(bᵢ² + bbᵢ); and the matrices of the second
 * term M_r += ωᵢ d_ir gᵢgᵢᵀ (upper triangles, zero factors skipped), M_r at r·p² in M.
 * H is dim×dim row-major (upper triangle added to).
 */
export function jeffreysHessianRows(
  X: Float64Array, p: number, G: Float64Array, omega: Float64Array, h: Float64Array,
  a: Float64Array, aa: Float64Array, au: Float64Array, b: Float64Array, bb: Float64Array,
  H: Float64Array, dim: number, M: Float64Array, withAux: boolean, start: number, end: number,
): void {
  const q = withAux ? p + 1 : p;
  const pp = p * p;
  for (let i = start, row = start * p; i < end; i++, row += p) {
    const wi = omega[i]!;
    if (wi === 0) continue;
    const c = 0.5 * h[i]! * wi;
    const ai = a[i]!;
    const cbb = c * (ai * ai + aa[i]!);
    for (let r = 0; r < p; r++) {
      const xr = X[row + r]!;
      if (xr === 0) continue;
      const f = cbb * xr;
      for (let s = r; s < p; s++) H[r * dim + s] += f * X[row + s]!;
    }
    if (withAux) {
      const cbu = c * (ai * b[i]! + au[i]!);
      for (let r = 0; r < p; r++) H[r * dim + p] += cbu * X[row + r]!;
      H[p * dim + p] += c * (b[i]! * b[i]! + bb[i]!);
    }
    // M_r += ωᵢ d_ir gᵢgᵢᵀ (upper triangles).
    for (let r = 0; r < q; r++) {
      const d = r < p ? ai * X[row + r]! : b[i]!;
      const f = wi * d;
      if (f === 0) continue;
      const base = r * pp;
      for (let k = 0; k < p; k++) {
        const gk = f * G[row + k]!;
        if (gk === 0) continue;
        const kr = base + k * p;
        for (let l = k; l < p; l++) M[kr + l] += gk * G[row + l]!;
      }
    }
  }
}

/** The penalty's buffers: in a kernel arena (the SIMD passes read them in place) or plain arrays (the oracle loops). */
interface PenaltyBuffers {
  arena: KernelArena | null;
  /** The design the passes read (for wasm, its copy in the arena or the design buffer itself). */
  X: Float64Array;
  /** Holds the kernel set's lease on the arena for as long as the penalty lives. */
  lease: unknown;
  omega: Float64Array; a: Float64Array; aa: Float64Array; au: Float64Array; b: Float64Array; bb: Float64Array;
  zeros: Float64Array;
  G: Float64Array;
  h: Float64Array;
  /** XᵀΩX, then its Cholesky factor (p×p). */
  A: Float64Array;
  dummy: Float64Array;
  /** The gradient's β part during a pass (p + 1). */
  grad: Float64Array;
  /** The Hessian during a pass ((p + 1)²). */
  H: Float64Array;
  /** The second term's matrices M_r ((p + 1)·p²), made at the first Hessian. */
  M: Float64Array | null;
  /** Scratch of the four-row forward substitution (4p). */
  u: Float64Array;
  /** Scratch of the SIMD Hessian's per-chunk factors, two scaled columns and the chunk's G transposed (128·(2p + 3)). */
  C: Float64Array;
}

/** Workspace and evaluation of ½ log|Xᵀ diag(ω) X| for one design. */
export class JeffreysPenalty {
  private buf: PenaltyBuffers | null = null;
  /** Whether the last `evaluate` found I positive definite. */
  private ok = false;

  constructor(
    private readonly X: Float64Array,
    private readonly n: number,
    private readonly p: number,
  ) {}

  /**
   * The buffers, made at the first use: on the design's kernel set (designKernelSet: the
   * SIMD kernels when the kernel choice wants them for n·p entries, with room for M) or plain.
   */
  private buffers(): PenaltyBuffers {
    if (this.buf !== null) return this.buf;
    const { X, n, p } = this;
    const d = p + 1;
    const lengths = [n, n, n, n, n, n, n, n * p, n, p * p, p, d, d * d, d * p * p, 4 * p, 128 * (d + 2 + p)];
    const set = designKernelSet(X, n, p, { vectors: lengths, helpers: 0, shared: false });
    const arena = set.kind === "wasm" && set.arena !== undefined ? set.arena : null;
    const v = (len: number): Float64Array => (arena !== null ? set.vector(len) : new Float64Array(len));
    this.buf = {
      arena, X: set.main.X, lease: set.main,
      omega: v(n), a: v(n), aa: v(n), au: v(n), b: v(n), bb: v(n), zeros: v(n),
      G: v(n * p), h: v(n), A: v(p * p), dummy: v(p), grad: v(d), H: v(d * d),
      M: arena !== null ? v(d * p * p) : null, u: v(4 * p), C: arena !== null ? v(128 * (d + 2 + p)) : new Float64Array(0),
    };
    return this.buf;
  }

  /** `src` in the buffer `dst` (a copy unless it is the buffer itself). */
  private static into(dst: Float64Array, src: Float64Array): Float64Array {
    if (src !== dst) dst.set(src.subarray(0, dst.length));
    return dst;
  }

  /**
   * J = ½ log|XᵀΩX|. When `grad` is given, adds ∂J/∂β to grad[0..p) and, when
   * `b` is given, ∂J/∂u to grad[p]. Returns −∞ (gradient untouched) when I is not
   * positive definite. Keeps the factor for a following `addHessian` at the same point.
   */
  evaluate(omega: Float64Array, a: Float64Array | null, b: Float64Array | null, grad: Float64Array | null): number {
    const { n, p } = this;
    const B = this.buffers();
    const { arena, X, A, G, h } = B;
    const put = (dst: Float64Array, src: Float64Array): Float64Array => (arena === null ? src : JeffreysPenalty.into(dst, src));
    const w = put(B.omega, omega);
    if (arena !== null) arena.crossprod(X, p, w, B.zeros, A, B.dummy, 0, n);
    else crossprodRange(X, p, w, B.zeros, A, B.dummy, 0, n);
    this.ok = choleskyInPlace(A, p, 0).ok;
    if (!this.ok) return -Infinity;
    let value = 0;
    for (let j = 0; j < p; j++) value += Math.log(A[j * p + j]!);
    const withGrad = grad !== null && a !== null;
    const aa = withGrad ? put(B.a, a) : null;
    const g = withGrad ? put(B.grad.subarray(0, p), grad.subarray(0, p)) : null;
    if (arena !== null) arena.jeffreysLeverages(X, p, A, w, aa, G, h, g, 0, n, B.u);
    else jeffreysLeverageRows(X, p, A, w, aa, G, h, g, 0, n);
    if (withGrad) {
      if (arena !== null) grad.set(g!);
      if (b !== null) {
        let gu = 0;
        for (let i = 0; i < n; i++) gu += 0.5 * h[i]! * w[i]! * b[i]!;
        grad[p] += gu;
      }
    }
    return value;
  }

  /**
   * Adds ∇²J to the dim×dim row-major H (dim = p, or p + 1 with the u row and
   * column when `withAux`). Must follow `evaluate` at the same point (it reuses gᵢ and hᵢ).
   */
  addHessian(
    omega: Float64Array, a: Float64Array, aa: Float64Array, au: Float64Array, b: Float64Array, bb: Float64Array,
    H: Float64Array, withAux: boolean,
  ): void {
    const { n, p } = this;
    if (!this.ok) {
      H.fill(NaN);
      return;
    }
    const B = this.buffers();
    const { arena, X, G, h } = B;
    const dim = withAux ? p + 1 : p;
    const q = withAux ? p + 1 : p; // number of M matrices
    const pp = p * p;
    if (B.M === null || B.M.length < (p + 1) * pp) B.M = new Float64Array((p + 1) * pp);
    const M = B.M;
    M.fill(0);
    const into = JeffreysPenalty.into;
    const w = arena === null ? omega : into(B.omega, omega);
    const Hb = arena === null ? H : into(B.H.subarray(0, dim * dim), H.subarray(0, dim * dim));
    // First term, ½ tr(I⁻¹ ∂²I): ½ Σᵢ hᵢ ωᵢ e_i,rs; and M_r = Σᵢ ωᵢ d_ir gᵢgᵢᵀ.
    if (arena !== null) {
      arena.jeffreysHessian(X, p, G, w, h, into(B.a, a), into(B.aa, aa), into(B.au, au), into(B.b, b), into(B.bb, bb), Hb, dim, M, withAux, 0, n, B.C);
    } else {
      jeffreysHessianRows(X, p, G, w, h, a, aa, au, b, bb, Hb, dim, M, withAux, 0, n);
    }
    if (Hb !== H) H.set(Hb);
    // Second term, −½ tr(M_r M_s) over symmetric M (upper triangles stored).
    for (let r = 0; r < q; r++) {
      const br = r * pp;
      for (let s = r; s < q; s++) {
        const bs = s * pp;
        let tr = 0;
        for (let k = 0; k < p; k++) {
          tr += M[br + k * p + k]! * M[bs + k * p + k]!;
          let off = 0;
          for (let l = k + 1; l < p; l++) off += M[br + k * p + l]! * M[bs + k * p + l]!;
          tr += 2 * off;
        }
        H[r * dim + s] -= 0.5 * tr;
      }
    }
    // Mirror the upper triangle.
    for (let r = 0; r < dim; r++) for (let s = 0; s < r; s++) H[r * dim + s] = H[s * dim + r]!;
  }
}

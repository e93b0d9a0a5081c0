// The Jeffreys penalty as it was before the kernels (main c4724e9), kept verbatim as the regression oracle of test/likelihood/jeffreys-kernels.test.ts.
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
import { weightedCrossprodInto } from "../../src/linalg/kernels.js";
import { choleskyInPlace } from "../../src/linalg/cholesky.js";

/** Workspace and evaluation of ½ log|Xᵀ diag(ω) X| for one design. */
export class PreKernelJeffreysPenalty {
  private readonly A: Float64Array;
  private readonly zeros: Float64Array;
  private readonly dummy: Float64Array;
  private readonly G: Float64Array;
  private readonly h: Float64Array;
  private readonly t: Float64Array;
  private M: Float64Array | null = null;
  /** Whether the last `evaluate` found I positive definite. */
  private ok = false;

  constructor(
    private readonly X: Float64Array,
    private readonly n: number,
    private readonly p: number,
  ) {
    this.A = new Float64Array(p * p);
    this.zeros = new Float64Array(n);
    this.dummy = new Float64Array(p);
    this.G = new Float64Array(n * p);
    this.h = new Float64Array(n);
    this.t = new Float64Array(n);
  }

  /**
   * J = ½ log|XᵀΩX|. When `grad` is given, adds ∂J/∂β to grad[0..p) and, when
   * `b` is given, ∂J/∂u to grad[p]. Returns −∞ (gradient untouched) when I is not
   * positive definite. Keeps the factor for a following `addHessian` at the same point.
   */
  evaluate(omega: Float64Array, a: Float64Array | null, b: Float64Array | null, grad: Float64Array | null): number {
    const { X, n, p, A, G, h } = this;
    weightedCrossprodInto(X, n, p, omega, this.zeros, A, this.dummy);
    this.ok = choleskyInPlace(A, p, 0).ok;
    if (!this.ok) return -Infinity;
    let value = 0;
    for (let j = 0; j < p; j++) value += Math.log(A[j * p + j]!);
    // gᵢ = R⁻ᵀxᵢ by forward substitution, hᵢ = |gᵢ|².
    for (let i = 0, row = 0; i < n; i++, row += p) {
      let hi = 0;
      if (omega[i] !== 0 || grad === null) {
        for (let j = 0; j < p; j++) {
          let s = X[row + j]!;
          for (let m = 0; m < j; m++) s -= A[m * p + j]! * G[row + m]!;
          const g = s / A[j * p + j]!;
          G[row + j] = g;
          hi += g * g;
        }
      } else {
        for (let j = 0; j < p; j++) G[row + j] = 0;
      }
      h[i] = hi;
    }
    if (grad !== null && a !== null) {
      const t = this.t;
      for (let i = 0; i < n; i++) t[i] = 0.5 * h[i]! * omega[i]! * a[i]!;
      for (let i = 0, row = 0; i < n; i++, row += p) {
        const ti = t[i]!;
        if (ti === 0) continue;
        for (let j = 0; j < p; j++) grad[j] += X[row + j]! * ti;
      }
      if (b !== null) {
        let gu = 0;
        for (let i = 0; i < n; i++) gu += 0.5 * h[i]! * omega[i]! * b[i]!;
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
    const { X, n, p, G, h } = this;
    if (!this.ok) {
      H.fill(NaN);
      return;
    }
    const dim = withAux ? p + 1 : p;
    const q = withAux ? p + 1 : p; // number of M matrices
    const pp = p * p;
    if (this.M === null || this.M.length !== (p + 1) * pp) this.M = new Float64Array((p + 1) * pp);
    const M = this.M;
    M.fill(0);
    // First term, ½ tr(I⁻¹ ∂²I): ½ Σᵢ hᵢ ωᵢ e_i,rs.
    for (let i = 0, row = 0; i < n; i++, row += p) {
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

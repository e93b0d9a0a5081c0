/**
 * The Euclidean metric of HMC: kinetic energy ½ pᵀM⁻¹p with p ~ N(0, M).
 * Stan calls M⁻¹ the "inverse metric"; it is either diagonal or dense.
 */
import { ArgumentError, NumericalError } from "../src/errors.js";
import { choleskyInPlace as upperCholeskyInPlace } from "../src/linalg/cholesky.js";

/** A prepared inverse metric M⁻¹ with what the kernels need precomputed. */
export interface Metric {
  readonly kind: "diag" | "dense";
  readonly dim: number;
  /** M⁻¹: length dim (diag) or dim×dim row-major (dense). Do not mutate. */
  readonly invMetric: Float64Array;
  /** diag: 1/√(M⁻¹ᵢᵢ); dense: the lower Cholesky factor L of M⁻¹ = LLᵀ (row-major). */
  readonly factor: Float64Array;
}

/**
 * In-place lower Cholesky factor of a symmetric positive-definite row-major n×n
 * matrix: on return `a` holds L (upper triangle zeroed) with A = LLᵀ, the
 * transpose of src/linalg/cholesky.ts's upper factor R (A = RᵀR).
 * Throws NumericalError naming `what` when A is not positive definite.
 * @example choleskyInPlace(Float64Array.of(4, 2, 2, 2), 2) // Float64Array [2, 0, 1, 1]
 */
export function choleskyInPlace(a: Float64Array, n: number, what = "matrix"): Float64Array {
  const r = upperCholeskyInPlace(a, n, 0);
  if (!r.ok) throw new NumericalError(`${what} is not positive definite (pivot ${r.pivot + 1})`);
  for (let j = 0; j < n; j++) {
    for (let k = j + 1; k < n; k++) {
      a[k * n + j] = a[j * n + k]!;
      a[j * n + k] = 0;
    }
  }
  return a;
}

/**
 * Prepares an inverse metric for dimension `dim`. A Float64Array of length dim is
 * diagonal, of length dim² dense (for dim = 1 both read the same). The array is
 * copied, so the Metric never changes under the caller.
 * @example makeMetric(new Float64Array([1, 4]), 2).factor // Float64Array [1, 0.5]
 */
export function makeMetric(invMetric: Float64Array | Metric, dim: number): Metric {
  if (!(invMetric instanceof Float64Array)) {
    if (invMetric.dim !== dim) throw new ArgumentError(`invMetric has dimension ${invMetric.dim}, target has ${dim}`);
    return invMetric;
  }
  const m = Float64Array.from(invMetric);
  if (m.length === dim) {
    const factor = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      if (!(m[i] > 0) || !Number.isFinite(m[i])) throw new ArgumentError(`invMetric[${i}] must be positive and finite, got ${m[i]}`);
      factor[i] = 1 / Math.sqrt(m[i]);
    }
    return Object.freeze({ kind: "diag" as const, dim, invMetric: m, factor });
  }
  if (m.length === dim * dim) {
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < i; j++) {
        const a = m[i * dim + j];
        const b = m[j * dim + i];
        if (!Number.isFinite(a) || Math.abs(a - b) > 1e-10 * (Math.abs(a) + Math.abs(b))) {
          throw new ArgumentError(`invMetric must be a finite symmetric matrix: entries [${i}, ${j}] = ${a} and [${j}, ${i}] = ${b}`);
        }
      }
    }
    const factor = choleskyInPlace(Float64Array.from(m), dim, "invMetric");
    return Object.freeze({ kind: "dense" as const, dim, invMetric: m, factor });
  }
  throw new ArgumentError(`invMetric must have length ${dim} (diagonal) or ${dim * dim} (dense), got ${m.length}`);
}

/** Unit metric M⁻¹ = I, diagonal or dense. */
export function unitMetric(dim: number, kind: "diag" | "dense" = "diag"): Metric {
  if (kind === "diag") return makeMetric(new Float64Array(dim).fill(1), dim);
  const m = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) m[i * dim + i] = 1;
  return makeMetric(m, dim);
}

/** Writes the velocity v = M⁻¹p (Stan's p♯, `dtau_dp`) into `out`. */
export function velocity(metric: Metric, p: Float64Array, out: Float64Array): void {
  const n = metric.dim;
  const m = metric.invMetric;
  if (metric.kind === "diag") {
    for (let i = 0; i < n; i++) out[i] = m[i] * p[i];
  } else {
    for (let i = 0; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) s += m[row + j] * p[j];
      out[i] = s;
    }
  }
}

/** Kinetic energy ½ pᵀM⁻¹p. */
export function kineticEnergy(metric: Metric, p: Float64Array): number {
  const n = metric.dim;
  const m = metric.invMetric;
  let s = 0;
  if (metric.kind === "diag") {
    for (let i = 0; i < n; i++) s += m[i] * p[i] * p[i];
  } else {
    for (let i = 0; i < n; i++) {
      let r = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) r += m[row + j] * p[j];
      s += p[i] * r;
    }
  }
  return 0.5 * s;
}

/**
 * Writes the velocity v = M⁻¹p into `out` and returns the kinetic energy ½ pᵀM⁻¹p = ½ pᵀv
 * in one pass. The same floating-point operations in the same order as `velocity` and
 * `kineticEnergy` (diag: (mᵢpᵢ)pᵢ; dense: pᵢ·(row i of M⁻¹ · p)), so the results are
 * bit-identical to calling both.
 */
export function kineticEnergyAndVelocity(metric: Metric, p: Float64Array, out: Float64Array): number {
  const n = metric.dim;
  const m = metric.invMetric;
  let s = 0;
  if (metric.kind === "diag") {
    for (let i = 0; i < n; i++) {
      const v = m[i]! * p[i]!;
      out[i] = v;
      s += v * p[i]!;
    }
  } else {
    for (let i = 0; i < n; i++) {
      let r = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) r += m[row + j]! * p[j]!;
      out[i] = r;
      s += p[i]! * r;
    }
  }
  return 0.5 * s;
}

/**
 * Draws p ~ N(0, M) into `out`: diag pᵢ = zᵢ/√(M⁻¹ᵢᵢ); dense p = L⁻ᵀz with M⁻¹ = LLᵀ
 * (so Cov p = (LLᵀ)⁻¹ = M), as Stan's `dense_e_metric::sample_p`.
 * Consumes exactly `dim` normal draws.
 */
export function sampleMomentum(metric: Metric, normal: () => number, out: Float64Array): void {
  const n = metric.dim;
  const f = metric.factor;
  if (metric.kind === "diag") {
    for (let i = 0; i < n; i++) out[i] = normal() * f[i];
    return;
  }
  for (let i = 0; i < n; i++) out[i] = normal();
  // Back substitution Lᵀ p = z (Lᵀ is upper triangular; (Lᵀ)[i][k] = L[k][i]).
  for (let i = n - 1; i >= 0; i--) {
    let s = out[i];
    for (let k = i + 1; k < n; k++) s -= f[k * n + i] * out[k];
    out[i] = s / f[i * n + i];
  }
}

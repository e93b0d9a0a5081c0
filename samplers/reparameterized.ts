/**
 * An exact affine change of variables for any target: the sampler moves z, the
 * target is evaluated at θ = m + L z. With a constant Jacobian |det L| the density
 * of z is p(m + L z)·|det L|; the constant is dropped, so the log density reported
 * at z (Stan's lp__) is exactly the base target's at θ. The gradient is the chain
 * rule ∇_z = Lᵀ ∇_θ. Nothing here knows what θ means: callers choose m and L
 * (centring, QR, whitening by a Laplace covariance) so that z is well conditioned.
 *
 * References: [1] Stan Reference Manual, "Change of variables" (constant Jacobians
 * drop out of the sampler); [2] Stan User's Guide, "QR reparameterization".
 */
import { ArgumentError, NumericalError } from "../src/errors.js";
import { buildTarget, registerTargetBuilder } from "./parallel/factory.js";
import type { LogDensity, TargetFactory } from "./types.js";

/** θ = shift + factor · z, factor a dim×dim row-major invertible matrix. */
export interface AffineMap {
  readonly dim: number;
  readonly shift: Float64Array;
  readonly factor: Float64Array;
}

/** A target on z together with the maps between z and the base target's θ. */
export interface AffineTarget extends LogDensity {
  readonly map: AffineMap;
  /** θ = m + L z (into `out`, allocated when absent). */
  toBase(z: Float64Array, out?: Float64Array): Float64Array;
  /** z = L⁻¹(θ − m) (into `out`, allocated when absent). */
  fromBase(theta: Float64Array, out?: Float64Array): Float64Array;
}

/** The recipe a worker rebuilds an affine target from: the base target's recipe and the map. */
export interface AffineTargetRecipe {
  base: TargetFactory;
  shift: Float64Array;
  factor: Float64Array;
}

function checkMap(map: AffineMap): void {
  const { dim, shift, factor } = map;
  if (!Number.isInteger(dim) || dim < 1) throw new ArgumentError(`map.dim must be a positive integer, got ${dim}`);
  if (!(shift instanceof Float64Array) || shift.length !== dim) throw new ArgumentError(`map.shift must be a Float64Array of length ${dim}`);
  if (!(factor instanceof Float64Array) || factor.length !== dim * dim) throw new ArgumentError(`map.factor must be a Float64Array of length ${dim * dim} (dim × dim, row-major)`);
  for (let i = 0; i < dim; i++) if (!Number.isFinite(shift[i]!)) throw new ArgumentError(`map.shift[${i}] must be finite, got ${shift[i]}`);
  for (let i = 0; i < dim * dim; i++) if (!Number.isFinite(factor[i]!)) throw new ArgumentError(`map.factor[${i}] must be finite, got ${factor[i]}`);
}

/**
 * LU factorisation with partial pivoting of a row-major n×n matrix (a copy), for
 * solving L z = θ − m outside the hot loop. Throws NumericalError when singular.
 */
function luFactor(a: Float64Array, n: number): { lu: Float64Array; piv: Int32Array } {
  const lu = Float64Array.from(a);
  const piv = Int32Array.from({ length: n }, (_, i) => i);
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(lu[i]!));
  for (let k = 0; k < n; k++) {
    let best = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]!) > Math.abs(lu[best * n + k]!)) best = i;
    if (!(Math.abs(lu[best * n + k]!) > 1e-14 * scale)) throw new NumericalError(`map.factor is singular (pivot ${k + 1}): the change of variables would not be invertible`);
    if (best !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j]!;
        lu[k * n + j] = lu[best * n + j]!;
        lu[best * n + j] = t;
      }
      const t = piv[k]!;
      piv[k] = piv[best]!;
      piv[best] = t;
    }
    const d = lu[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k]! /= d);
      for (let j = k + 1; j < n; j++) lu[i * n + j]! -= f * lu[k * n + j]!;
    }
  }
  return { lu, piv };
}

/** Solves A x = b from luFactor's output (x into `out`). */
function luSolve(lu: Float64Array, piv: Int32Array, n: number, b: Float64Array, out: Float64Array): void {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = b[piv[i]!]!;
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    for (let j = 0; j < i; j++) s -= lu[i * n + j]! * x[j]!;
    x[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < n; j++) s -= lu[i * n + j]! * x[j]!;
    x[i] = s / lu[i * n + i]!;
  }
  out.set(x);
}

/** The URL of this module, which workers import to rebuild an affine target. */
const MODULE_URL = import.meta.url;

/**
 * The target of z, θ = m + L z, over `base` (dimension dim). `logDensityGrad(z, g)`
 * returns log p_base(m + L z) and writes g = Lᵀ ∇ log p_base; allocation-free.
 * When the base carries a factory, so does the result (its args hold m and L), so
 * worker threads rebuild the same target and do the same arithmetic.
 * @example const t = affineTarget(base, { dim: 2, shift: Float64Array.of(1, 0), factor: Float64Array.of(2, 0, 0, 1) }); t.toBase(Float64Array.of(1, 1)) // [3, 1]
 */
export function affineTarget(base: LogDensity, map: AffineMap): AffineTarget {
  checkMap(map);
  const dim = map.dim;
  if (base.dim !== dim) throw new ArgumentError(`map.dim is ${dim}, the base target has dim ${base.dim}`);
  const shift = Float64Array.from(map.shift);
  const L = Float64Array.from(map.factor);
  const { lu, piv } = luFactor(L, dim);
  const theta = new Float64Array(dim);
  const gTheta = new Float64Array(dim);
  const diff = new Float64Array(dim);
  const toBase = (z: Float64Array, out: Float64Array = new Float64Array(dim)): Float64Array => {
    for (let i = 0; i < dim; i++) {
      let s = shift[i]!;
      const row = i * dim;
      for (let j = 0; j < dim; j++) s += L[row + j]! * z[j]!;
      out[i] = s;
    }
    return out;
  };
  const fromBase = (th: Float64Array, out: Float64Array = new Float64Array(dim)): Float64Array => {
    if (th.length !== dim) throw new ArgumentError(`theta has length ${th.length}, expected ${dim}`);
    for (let i = 0; i < dim; i++) diff[i] = th[i]! - shift[i]!;
    luSolve(lu, piv, dim, diff, out);
    return out;
  };
  const frozen: AffineMap = Object.freeze({ dim, shift, factor: L });
  const factory: TargetFactory | undefined = base.factory
    ? { module: MODULE_URL, exportName: "buildAffineTarget", args: { base: base.factory, shift, factor: L } satisfies AffineTargetRecipe }
    : undefined;
  return {
    dim,
    ...(base.names ? { names: base.names } : {}),
    ...(factory ? { factory } : {}),
    map: frozen,
    toBase,
    fromBase,
    logDensityGrad(z: Float64Array, g: Float64Array): number {
      toBase(z, theta);
      const value = base.logDensityGrad(theta, gTheta);
      // ∇_z = Lᵀ ∇_θ, column by column of L.
      for (let j = 0; j < dim; j++) g[j] = 0;
      for (let i = 0; i < dim; i++) {
        const gi = gTheta[i]!;
        const row = i * dim;
        for (let j = 0; j < dim; j++) g[j] += L[row + j]! * gi;
      }
      return value;
    },
  };
}

/**
 * Rebuilds an affine target from its recipe (the worker-side builder): the base
 * target from its own factory, then the same m and L.
 */
export async function buildAffineTarget(recipe: AffineTargetRecipe): Promise<AffineTarget> {
  const base = await buildTarget(recipe.base);
  const t = affineTarget(base, { dim: base.dim, shift: recipe.shift, factor: recipe.factor });
  return t;
}

registerTargetBuilder("buildAffineTarget", (args) => buildAffineTarget(args as AffineTargetRecipe));

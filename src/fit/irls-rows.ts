/**
 * The per-row work of one IRLS iteration, over a block of rows [start, end):
 * the update η = Xβ + offset, μ = g⁻¹(η), deviance and validity, and the working
 * weights W = w·μ′²/V(μ) and response z = η − offset + (y − μ)/μ′ with the block's
 * XᵀWX and XᵀWz. The same functions run on the calling thread and inside the
 * IRLS worker threads, so serial and parallel fits compute identical rows. The
 * dense passes (Xβ, XᵀWX) go through the design's kernels (src/linalg/kernels/:
 * SIMD or plain loops, bit-identical); X, offset, η, W and z are its vectors.
 */
import type { Family } from "../types.js";
import type { DesignKernels } from "../linalg/kernels/index.js";

export interface RowBuffers {
  /** The kernels of X (k.X is X itself, or its copy in the SIMD kernels' memory). */
  k: DesignKernels;
  X: Float64Array;
  p: number;
  y: Float64Array;
  w: Float64Array;
  offset: Float64Array | null;
  eta: Float64Array;
  mu: Float64Array;
  W: Float64Array;
  z: Float64Array;
}

export interface UpdateResult {
  deviance: number;
  valid: boolean;
}

/** Problems R's glm.fit stops on, found while computing W and z. */
export interface WeightResult {
  nGood: number;
  nanVariance: boolean;
  nanMuEta: boolean;
  zeroVariance: boolean;
}

export function updateRows(b: RowBuffers, fam: Family, beta: Float64Array, start: number, end: number): UpdateResult {
  const { k, y, w, offset, eta, mu } = b;
  const link = fam.link;
  let dev = 0;
  let valid = true;
  // η_i = offset_i + Σ_j x_ij β_j, each row summed in the order offset, j = 0, 1, … (as the plain loop).
  k.xbeta(beta, offset, eta, start, end);
  for (let i = start; i < end; i++) {
    const e = eta[i]!;
    const m = link.linkinv(e);
    mu[i] = m;
    dev += fam.devResid(y[i]!, m, w[i]!);
    if (!link.validEta(e) || !fam.validMu(m)) valid = false;
  }
  return { deviance: dev, valid };
}

/** W and z for rows [start, end), then A = XᵀWX and b = XᵀWz of the block (overwritten). */
export function weightRows(
  bufs: RowBuffers,
  fam: Family,
  start: number,
  end: number,
  A: Float64Array,
  bvec: Float64Array,
): WeightResult {
  const { k, y, w, offset, eta, mu, W, z } = bufs;
  const link = fam.link;
  let nGood = 0;
  let nanVariance = false;
  let nanMuEta = false;
  let zeroVariance = false;
  for (let i = start; i < end; i++) {
    const wi = w[i]!;
    const v = fam.variance(mu[i]!);
    const me = link.muEta(eta[i]!);
    if (Number.isNaN(v)) nanVariance = true;
    if (Number.isNaN(me)) nanMuEta = true;
    if (wi > 0 && me !== 0) {
      if (v === 0) zeroVariance = true;
      const off = offset === null ? 0 : offset[i]!;
      z[i] = eta[i]! - off + (y[i]! - mu[i]!) / me;
      W[i] = (wi * me * me) / v;
      nGood++;
    } else {
      z[i] = 0;
      W[i] = 0;
    }
  }
  if (!(nanVariance || nanMuEta || zeroVariance)) k.crossprod(W, z, A, bvec, start, end);
  return { nGood, nanVariance, nanMuEta, zeroVariance };
}

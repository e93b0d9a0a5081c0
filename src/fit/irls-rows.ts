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
import type { FamilyRowKernels, RowUpdate, RowWeights } from "../linalg/kernels/rows.js";
import { ROW_KERNEL_BINOMIAL_LOGIT } from "../families/row-kernels.js";
import { binaryUnitRows, binomialLogitBinaryRows, ROW_KERNEL_BINOMIAL_LOGIT_BINARY } from "../families/logit-binary-rows.js";

let rowKernelsOn = true;
let blockedLogitOn = true;

/**
 * Whether fits use the family's row kernels (src/families/row-kernels.ts, and their
 * wasm versions) where it has them; off, every family runs the generic loop below
 * (tests compare the two). Returns the previous setting.
 */
export function useRowKernels(on: boolean): boolean {
  const prev = rowKernelsOn;
  rowKernelsOn = on;
  return prev;
}

/** The row kernels an engine for `fam` runs (null: the generic loop), under the current setting. */
export function rowKernelsOf(fam: Family): FamilyRowKernels | null {
  return rowKernelsOn ? (fam.rows ?? null) : null;
}

/**
 * Whether binomial–logit fits with every y ∈ {0, 1} and every prior weight ∈ {0, 1} use the
 * blocked binary-logit kernel (src/families/logit-binary-rows.ts: fastExp, one division and
 * no log per row; not the generic loop's last bits) instead of binomialLogitRows. Returns
 * the previous setting (tests compare the two).
 */
export function useBlockedLogit(on: boolean): boolean {
  const prev = blockedLogitOn;
  blockedLogitOn = on;
  return prev;
}

/** {@link rowKernelsOf} for a fit's rows: the blocked binary-logit kernel where it applies (one pass over y and w). */
export function rowKernelsFor(fam: Family, y: Float64Array, w: Float64Array): FamilyRowKernels | null {
  const rk = rowKernelsOf(fam);
  if (blockedLogitOn && rk?.code === ROW_KERNEL_BINOMIAL_LOGIT && binaryUnitRows(y, w)) return binomialLogitBinaryRows;
  return rk;
}

/** The row kernels with number `code` for `fam` (an IRLS worker rebuilding its engine's choice); null for 0. */
export function rowKernelsByCode(fam: Family, code: number): FamilyRowKernels | null {
  if (code === ROW_KERNEL_BINOMIAL_LOGIT_BINARY) return binomialLogitBinaryRows;
  return code === 0 ? null : (fam.rows ?? null);
}

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
  /** μ′(η) stored by the update for the weights (a vector of the kernels' set), when the row kernels ask for it. */
  dmu: Float64Array | null;
  /** The family's row kernels this engine runs, or null (the generic loop). */
  rows: FamilyRowKernels | null;
}

export type UpdateResult = RowUpdate;

/** Problems R's glm.fit stops on, found while computing W and z. */
export type WeightResult = RowWeights;

export function updateRows(b: RowBuffers, fam: Family, beta: Float64Array, start: number, end: number): UpdateResult {
  // η_i = offset_i + Σ_j x_ij β_j, each row summed in the order offset, j = 0, 1, … (as the plain loop).
  b.k.xbeta(beta, b.offset, b.eta, start, end);
  return refreshRows(b, fam, start, end);
}

/** From the current η of rows [start, end): μ, the deviance (summed in row order) and validity. */
export function refreshRows(b: RowBuffers, fam: Family, start: number, end: number): UpdateResult {
  const rk = b.rows;
  if (rk?.close) {
    const raw = b.k.rowsUpdateRaw?.(rk.code, b, start, end) ?? null;
    return raw !== null ? rk.close(raw) : rk.update(b, start, end);
  }
  if (rk !== null) return b.k.rowsUpdate?.(rk.code, b, start, end) ?? rk.update(b, start, end);
  const { y, w, eta, mu } = b;
  const link = fam.link;
  let dev = 0;
  let valid = true;
  for (let i = start; i < end; i++) {
    const e = eta[i]!;
    const m = link.linkinv(e);
    mu[i] = m;
    dev += fam.devResid(y[i]!, m, w[i]!);
    if (!link.validEta(e) || !fam.validMu(m)) valid = false;
  }
  return { deviance: dev, valid };
}

/**
 * The fit's starting rows [start, end) from the family's own μ: η = g(startMu(y, w)), then
 * {@link refreshRows}. Only for families with row kernels, whose startMu is elementwise
 * (R's initialize: (w·y + ½)/(w + 1), y + 0.1, y), so that a block of rows gives the
 * rows of the whole.
 */
export function startRows(b: RowBuffers, fam: Family, start: number, end: number): UpdateResult {
  const rk = b.rows;
  if (rk?.start) {
    if (!b.k.rowsStart?.(rk.code, b, start, end)) rk.start(b, start, end);
    return refreshRows(b, fam, start, end);
  }
  const { y, w, eta } = b;
  const m = fam.startMu(y.subarray(start, end), w.subarray(start, end));
  const link = fam.link;
  for (let i = start; i < end; i++) eta[i] = link.linkfun(m[i - start]!);
  return refreshRows(b, fam, start, end);
}

/**
 * Σ wt·d(y, μ₀) over rows [start, end) in row order: the null deviance, with μ₀ a
 * constant (R's weighted mean of y, a model with an intercept) or, for "offset",
 * μ₀ᵢ = g⁻¹(offsetᵢ) (g⁻¹(0) without an offset).
 */
export function nullDevianceRows(b: RowBuffers, fam: Family, mu0: number | "offset", start: number, end: number): number {
  if (mu0 !== "offset" && b.rows?.nullDeviance) return b.rows.nullDeviance(b, mu0, start, end);
  const { y, w, offset } = b;
  let dev = 0;
  if (mu0 === "offset") {
    const link = fam.link;
    for (let i = start; i < end; i++) dev += fam.devResid(y[i]!, link.linkinv(offset ? offset[i]! : 0), w[i]!);
  } else {
    for (let i = start; i < end; i++) dev += fam.devResid(y[i]!, mu0, w[i]!);
  }
  return dev;
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
  const rk = bufs.rows;
  if (rk !== null) {
    const r = k.rowsWeights?.(rk.code, bufs, start, end) ?? rk.weights(bufs, start, end);
    if (!(r.nanVariance || r.nanMuEta || r.zeroVariance)) k.crossprod(W, z, A, bvec, start, end);
    return r;
  }
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

/**
 * The blocked binary-logit IRLS row kernel (issue 18; docs/kernels.md "The blocked binary
 * logit IRLS path"): binomial (or quasibinomial) with the logit link when every y is 0 or 1
 * and every prior weight 0 or 1 (checked once per fit, {@link binaryUnitRows}). Elsewhere
 * binomialLogitRows (row-kernels.ts) runs unchanged.
 *
 * Per row, with p the fitted probability of the observed class (μ for y = 1, 1 − μ for y = 0):
 *   u = y ? −η : η,  s = e^u = (1 − p)/p  (fastExp, ≤ 1 ulp from Math.exp, division-free;
 *                                          1/ε at u > 30, ε at u < −30, as R's logit_linkinv)
 *   q = 1 + s,  p = 1/q  (the one division),  μ = y ? p : s·p,
 *   μ′ = |η| > 30 ? ε : (s·p)·p  (= μ(1 − μ), R's logit_mu_eta),
 *   W = w·μ′²/V = μ′ (the canonical link: V = μ′; w ∈ {0, 1}),
 *   z = η − offset + (y − μ)/μ′ = (η − offset) + (y ? q : −q)  ((y − μ)/μ′ = ±1/p),
 *   d = −2 log p, summed as dev = −2 Σ_c log P_c over the 8 classes c = i mod 8 (global row
 *   index i) of running products P_c = Π p_i, each kept in [2^-512, 1] by exact rescales by
 *   2^512 (p ≥ ε/(1 + ε) > 2^-53, so a product below 2^-512 is still normal); K rescales:
 *   dev = 2(K·512·ln 2 − Σ_{c=0..7} log P_c), the logs in class order.
 * So the update pass computes the weights too (weights() only counts them), with one
 * division and no log per row. Rows with w = 0 get W = z = 0 and factor 1 (d = 0).
 *
 * These are not the generic loop's bits (fam.link.linkinv, fam.devResid): μ and μ′ differ in
 * their last bits (fastExp, and p = 1/(1 + e^{−η}) for y = 1 where R has t/(1 + t)); each row's
 * log term changes by ≲ 3 ulp-equivalents, and each product's rounding adds ≤ (n/8)·2^-53
 * relative (absolute in log P_c), so |dev − dev_generic| ≲ 4n·2^-53 + 2^-50·|dev|; the test
 * (test/fit/logit-binary-rows.test.ts) checks coefficients ≤ 1e-12 and deviance ≤ 1e-13
 * relative (an absolute n·2^-50 floor where the deviance is tiny: separated fits).
 *
 * {@link logitBinaryProducts} is the oracle of the wasm kernel (assembly/logit-blocked.ts):
 * the same operations in the same order, so both give the same μ, W, z and products on any
 * split of the rows; {@link closeLogitProducts} (8 Math.log) runs in TypeScript after either.
 */
import { DBL_EPSILON } from "./rmath.js";
import { fastExp } from "../likelihood/fast-exp.js";
import { binomialLogitRows } from "./row-kernels.js";
import type { FamilyRowKernels, RowUpdate, RowVectors, RowWeights } from "../linalg/kernels/rows.js";

export const ROW_KERNEL_BINOMIAL_LOGIT_BINARY = 5;

const THRESH = 30;
const INV_EPS = 1 / DBL_EPSILON;
const TINY = 2 ** -512;
const BIG = 2 ** 512;
/** 512·ln 2, the log of one rescale. */
const LN2_512 = 512 * Math.LN2;

/** Whether every y is 0 or 1 and every prior weight 0 or 1 (the blocked path's case). */
export function binaryUnitRows(y: Float64Array, w: Float64Array): boolean {
  const n = y.length;
  if (w.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const yi = y[i]!, wi = w[i]!;
    if (!((yi === 0 || yi === 1) && (wi === 0 || wi === 1))) return false;
  }
  return true;
}

/**
 * Rows [start, end): μ, W, z stored (see the module comment); out = [P_0 … P_7, K, valid]
 * (out.length ≥ 10), the products of the rows' factors by class i mod 8 in row order.
 */
export function logitBinaryProducts(v: RowVectors, start: number, end: number, out: Float64Array): void {
  const { y, w, offset, eta, mu, W, z } = v;
  for (let c = 0; c < 8; c++) out[c] = 1;
  let rescales = 0;
  let valid = true;
  for (let i = start; i < end; i++) {
    const e = eta[i]!;
    const y1 = y[i] === 1;
    const u = y1 ? -e : e;
    const s = u > THRESH ? INV_EPS : u < -THRESH ? DBL_EPSILON : fastExp(u);
    const q = 1 + s;
    const p = 1 / q;
    const sp = s * p;
    const m = y1 ? p : sp;
    mu[i] = m;
    if (e !== e || !(m > 0 && m < 1)) valid = false; // validEta: not NaN; validMu: 0 < μ < 1
    const good = w[i]! > 0;
    const off = offset === null ? 0 : offset[i]!;
    z[i] = good ? e - off + (y1 ? q : -q) : 0;
    W[i] = good ? (u > THRESH || u < -THRESH ? DBL_EPSILON : sp * p) : 0;
    const c = i & 7;
    let P = out[c]! * (good ? p : 1);
    if (P < TINY) {
      P *= BIG;
      rescales++;
    }
    out[c] = P;
  }
  out[8] = rescales;
  out[9] = valid ? 1 : 0;
}

/** The deviance and validity from {@link logitBinaryProducts}' out: 2(K·512·ln 2 − Σ_c log P_c), c = 0..7 in order. */
export function closeLogitProducts(out: Float64Array): RowUpdate {
  let s = 0;
  for (let c = 0; c < 8; c++) s += Math.log(out[c]!);
  return { deviance: 2 * (out[8]! * LN2_512 - s), valid: out[9] === 1 };
}

const scratch = new Float64Array(10);

/**
 * The blocked kernel as a row-kernel record: update = the products and their closing (the
 * wasm kernels run the products through DesignKernels.rowsUpdateRaw, src/fit/irls-rows.ts);
 * weights = the informative rows (W > 0) of what the update stored; the start η and the
 * null deviance are binomialLogitRows' (the same bits as the generic loop).
 */
export const binomialLogitBinaryRows: FamilyRowKernels = Object.freeze({
  name: "binomial-logit-binary",
  code: ROW_KERNEL_BINOMIAL_LOGIT_BINARY,
  dmu: false,
  close: closeLogitProducts,
  update(v: RowVectors, start: number, end: number): RowUpdate {
    logitBinaryProducts(v, start, end, scratch);
    return closeLogitProducts(scratch);
  },
  weights(v: RowVectors, start: number, end: number): RowWeights {
    // W and z were stored by the update at the same η and μ (IRLS computes the weights only
    // after a valid update: no NaN η, so μ′ ≥ ε > 0 and V > 0 on every row).
    const W = v.W;
    let nGood = 0;
    let nan = false;
    for (let i = start; i < end; i++) {
      const x = W[i]!;
      if (x > 0) nGood++;
      else if (x !== x) nan = true;
    }
    return { nGood, nanVariance: nan, nanMuEta: nan, zeroVariance: false };
  },
  start(v: RowVectors, start: number, end: number): void {
    // binomial startMu (w·y + ½)/(w + 1) is ¾, ¼ or ½ (w = 0): η = log 3, log(1/3) or 0, the generic loop's bits.
    const { y, w, eta } = v;
    const l1 = Math.log(0.75 / (1 - 0.75));
    const l0 = Math.log(0.25 / (1 - 0.25));
    for (let i = start; i < end; i++) eta[i] = w[i] === 0 ? 0 : y[i] === 1 ? l1 : l0;
  },
  nullDeviance: binomialLogitRows.nullDeviance,
});

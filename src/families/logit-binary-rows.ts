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
 * So the update pass computes the weights too (the next W into dmu, which weights() copies into
 * W and counts), with one division and no log per row. Rows with w = 0 get W = z = 0 and factor 1 (d = 0).
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
import type { FamilyRowKernels, RowUpdate, RowVectors, RowWeights } from "../linalg/kernels/rows.js";

export const ROW_KERNEL_BINOMIAL_LOGIT_BINARY = 7;

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
    // a(a − 1) = 0 exactly when a is 0 or 1 (NaN, ±∞ and every other double give a non-zero or NaN): a branch never taken on such data.
    const yi = y[i]!, wi = w[i]!;
    if (yi * (yi - 1) !== 0 || wi * (wi - 1) !== 0) return false;
  }
  return true;
}

/**
 * Rows [start, end): μ, z and the next W (into dmu) stored (see the module comment); out = [P_0 … P_7, K, valid]
 * (out.length ≥ 10), the products of the rows' factors by class i mod 8 in row order.
 */
export function logitBinaryProducts(v: RowVectors, start: number, end: number, out: Float64Array): void {
  const { y, w, offset, eta, mu, z } = v;
  const Wn = v.dmu!;
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
    Wn[i] = good ? (u > THRESH || u < -THRESH ? DBL_EPSILON : sp * p) : 0;
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
/** η at index y + 2(1 − w): [log(¼/(1 − ¼)), log(¾/(1 − ¾)), 0, 0] (binomialLogitRows' expression, so its bits). */
const START_ETA = Float64Array.of(Math.log(0.25 / (1 - 0.25)), Math.log(0.75 / (1 - 0.75)), 0, 0);
/** The null deviance's terms at index y + 2(1 − w): [2 log(1/(1 − μ₀)), 2 log(1/μ₀), 0, 0]. */
const nullTable = new Float64Array(4);

/**
 * The blocked kernel as a row-kernel record: update = the products and their closing (the
 * wasm kernels run the products through DesignKernels.rowsUpdateRaw, src/fit/irls-rows.ts);
 * weights = the informative rows of what the update stored; the start η and the null deviance
 * give binomialLogitRows' bits (the generic loop's), without a branch per row.
 */
export const binomialLogitBinaryRows: FamilyRowKernels = Object.freeze({
  name: "binomial-logit-binary",
  code: ROW_KERNEL_BINOMIAL_LOGIT_BINARY,
  dmu: true,
  close: closeLogitProducts,
  update(v: RowVectors, start: number, end: number): RowUpdate {
    logitBinaryProducts(v, start, end, scratch);
    return closeLogitProducts(scratch);
  },
  weights(v: RowVectors, start: number, end: number): RowWeights {
    // The update stored z and, in dmu, the next W at the same η: W takes them now (one copy), so that W
    // stays the last weights pass's between passes (IRLS's result, R's fit$weights, is the W of the last
    // iteration's start, not of its final η). IRLS computes the weights only after a valid update: no NaN
    // η, so μ′ ≥ ε > 0 and V > 0 on every row, and R's three stops cannot occur; the informative rows are
    // those with w > 0, and with w ∈ {0, 1} their number is Σ w (exact).
    const w = v.w;
    v.W.set(v.dmu!.subarray(start, end), start);
    let nGood = 0;
    for (let i = start; i < end; i++) nGood += w[i]!;
    return { nGood, nanVariance: false, nanMuEta: false, zeroVariance: false };
  },
  start(v: RowVectors, start: number, end: number): void {
    // binomial startMu (w·y + ½)/(w + 1) is ¾ (y = 1), ¼ (y = 0) or ½ (w = 0): η = log(¾/¼), log(¼/¾) or log 1 = 0,
    // the generic loop's bits, looked up at index y + 2(1 − w).
    const { y, w, eta } = v;
    for (let i = start; i < end; i++) eta[i] = START_ETA[(y[i]! + 2 - 2 * w[i]!) | 0]!;
  },
  nullDeviance(v: RowVectors, mu0: number, start: number, end: number): number {
    // binomialLogitRows' sum in row order of its terms, which for y, w ∈ {0, 1} are 2·log(1/μ₀) (y = 1),
    // 2·log(1/(1 − μ₀)) (y = 0) or 0 (w = 0): the same bits, the terms looked up at index y + 2(1 − w).
    const { y, w } = v;
    nullTable[0] = 2 * (0 + Math.log(1 / (1 - mu0)));
    nullTable[1] = 2 * (Math.log(1 / mu0) + 0);
    let dev = 0;
    for (let i = start; i < end; i++) dev += nullTable[(y[i]! + 2 - 2 * w[i]!) | 0]!;
    return dev;
  },
});

/**
 * Binary data whose maximum-likelihood estimate does not exist, or only just
 * exists, built so that the truth is known without solving anything:
 *
 * - complete separation: yᵢ = 1{xᵢᵀd > 0} for a direction d whose intercept
 *   splits the covariate projections at a chosen rank; rows closer than a margin
 *   to the hyperplane are pushed out along d, so min sᵢxᵢᵀd/‖d_slopes‖ ≥ margin
 *   (sᵢ = ±1 for y = 1/0). The cone of separating directions is open, so which
 *   coefficients are "infinite" is not a property of the data (truth.infinite is null).
 * - quasi-complete separation: a binary column b with y = 1 (or 0) wherever b = 1;
 *   where b = 0, p − 1 covariate rows appear twice, once with y = 0 and once with
 *   y = 1 (they span the other columns, so no other direction separates), plus
 *   rows drawn from a logistic model. The cone of separating directions is
 *   {t·sign·e_b, t ≥ 0}: exactly coefficient b is infinite (Albert & Anderson 1984).
 * - near separation (nearSeparableData): complete separation plus p overlap pairs
 *   (identical rows with y = 0 and y = 1) within `closeness` of the hyperplane;
 *   the pairs span ℝᵖ, so the MLE exists, and it is large when they are close.
 */
import fc from "fast-check";
import { ArgumentError } from "../src/errors.js";
import { binomial } from "../src/families/binomial.js";
import { simulationRng, type SimulationRng } from "./rng.js";
import { defaultColumnNames, linearPredictor, makeGlmData, shortVector, type GlmData } from "./data-set.js";
import { checkSeed, intArb, seedArb, unitsArb, type IntRange } from "./arbitrary-helpers.js";
import { coefficientsFromUnits } from "./glm-data.js";

export type SeparationKind = "complete" | "quasi-complete";

/** Ground truth of separated and nearly separated data. */
export interface SeparationTruth {
  kind: SeparationKind | "near";
  /** A direction d with sᵢ xᵢᵀd ≥ 0 for every row (> 0 for every row under complete separation); near: the direction the data nearly separate along. */
  direction: Float64Array;
  /** sᵢ xᵢᵀd for each row. */
  margins: Float64Array;
  /** Coefficients whose MLE is infinite, when the construction decides it (quasi-complete); null otherwise. */
  infinite: Record<string, "+Inf" | "-Inf"> | null;
  /** 0-based rows that belong to overlap pairs. */
  overlapRows: number[];
  /** Whether a finite maximum-likelihood estimate exists. */
  mleExists: boolean;
}

export type SeparatedData = GlmData<SeparationTruth>;

/** Distance (in covariate units along d) kept between the classes under complete separation. */
export const SEPARATION_MARGIN = 0.25;

function marginsOf(X: Float64Array, n: number, p: number, y: Float64Array, d: Float64Array): Float64Array {
  const eta = linearPredictor(X, n, p, d);
  return eta.map((e, i) => (y[i]! > 0.5 ? e : -e));
}

/** Complete-separation rows: intercept + normal covariates split by d at rank k. */
function completeRows(rng: SimulationRng, n: number, p: number, slopeUnits: readonly number[], rank: number) {
  const ds = Float64Array.from(slopeUnits);
  if (ds.every((v) => v === 0)) ds[0] = 1;
  let norm2 = 0;
  for (const v of ds) norm2 += v * v;
  const norm = Math.sqrt(norm2);
  const X = new Float64Array(n * p);
  const proj = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    X[i * p] = 1;
    let s = 0;
    for (let j = 1; j < p; j++) {
      const z = rng.normal(0, 1);
      X[i * p + j] = z;
      s += z * ds[j - 1]!;
    }
    proj[i] = s;
  }
  const sorted = Float64Array.from(proj).sort();
  const k = Math.min(Math.max(rank, 1), n - 1);
  const threshold = (sorted[k - 1]! + sorted[k]!) / 2;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = proj[i]! - threshold;
    const positive = proj[i]! > threshold;
    y[i] = positive ? 1 : 0;
    const target = (positive ? 1 : -1) * SEPARATION_MARGIN * norm;
    if (Math.abs(s) < SEPARATION_MARGIN * norm) {
      const shift = (target - s) / norm2;
      for (let j = 1; j < p; j++) X[i * p + j] = X[i * p + j]! + shift * ds[j - 1]!;
    }
  }
  const d = new Float64Array(p);
  d[0] = -threshold;
  d.set(ds, 1);
  return { X, y, d, threshold, norm, ds };
}

/** Parameters of {@link simulateSeparableData}. */
export interface SeparableParameters {
  kind: SeparationKind;
  n: number;
  /** Columns, intercept included (≥ 2). */
  p: number;
  /** Readable units: complete: the p − 1 slopes of d; quasi-complete: the logistic truth of the b = 0 rows (length p − 1: intercept and the other covariates). */
  units: readonly number[];
  /** complete: fraction (k/8) of rows with y = 0; quasi-complete: fraction (k/8) of rows with b = 1. */
  eighths: number;
  /** quasi-complete: which column (1…p−1) is the binary one. */
  binaryColumn: number;
  /** quasi-complete: y where b = 1 is 1 (+1) or 0 (−1). */
  sign: 1 | -1;
  seed: number;
}

/** Builds separated data from explicit parameters. */
export function simulateSeparableData(q: SeparableParameters): SeparatedData {
  checkSeed(q.seed);
  const { n, p, kind } = q;
  if (!Number.isInteger(p) || p < 2) throw new ArgumentError(`p must be an integer ≥ 2 for separated data (an intercept and a covariate), got ${p}`);
  const rng = simulationRng(q.seed);
  const columnNames = defaultColumnNames(p, true);
  const family = binomial("logit");
  if (kind === "complete") {
    if (!Number.isInteger(n) || n < 2) throw new ArgumentError(`n must be an integer ≥ 2 for complete separation, got ${n}`);
    const { X, y, d } = completeRows(rng, n, p, q.units.slice(0, p - 1), Math.round((n * q.eighths) / 8));
    return makeGlmData({
      generator: "separableData", family, n, p, X, y, weights: null, columnNames, hasIntercept: true,
      truth: {
        coefficients: null, eta: null, mu: null, dispersion: 1,
        draw: "y = 1{xᵀd > 0} (complete separation by construction)", seed: q.seed,
        kind, direction: d, margins: marginsOf(X, n, p, y, d), infinite: null, overlapRows: [], mleExists: false,
      },
      summary: `kind=complete, d=${shortVector(d)}`,
    });
  }
  if (kind !== "quasi-complete") throw new ArgumentError(`kind must be "complete" or "quasi-complete", got ${String(kind)}`);
  const b = q.binaryColumn;
  if (!Number.isInteger(b) || b < 1 || b >= p) throw new ArgumentError(`binaryColumn must be in 1…${p - 1}, got ${b}`);
  const pairs = p - 1;
  const minN = 2 * pairs + 1;
  if (!Number.isInteger(n) || n < minN) throw new ArgumentError(`n must be an integer ≥ ${minN} for quasi-complete separation with p = ${p}, got ${n}`);
  const n1 = Math.min(Math.max(1, Math.round((n * q.eighths) / 8)), n - 2 * pairs);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  // Truth of the b = 0 rows: logistic in the other columns (intercept first).
  const others = Array.from({ length: p }, (_, j) => j).filter((j) => j !== b);
  const betaOthers = coefficientsFromUnits("binomial", "logit", q.units.slice(0, p - 1), true);
  const fillOthers = (i: number) => {
    X[i * p] = 1;
    for (const j of others) if (j !== 0) X[i * p + j] = rng.normal(0, 1);
  };
  const overlapRows: number[] = [];
  let i = 0;
  for (; i < n1; i++) {
    fillOthers(i);
    X[i * p + b] = 1;
    y[i] = q.sign > 0 ? 1 : 0;
  }
  for (let k = 0; k < pairs; k++, i += 2) {
    fillOthers(i);
    X[i * p + b] = 0;
    for (let j = 0; j < p; j++) X[(i + 1) * p + j] = X[i * p + j]!;
    y[i] = 0;
    y[i + 1] = 1;
    overlapRows.push(i, i + 1);
  }
  for (; i < n; i++) {
    fillOthers(i);
    X[i * p + b] = 0;
    let eta = 0;
    others.forEach((j, k) => (eta += X[i * p + j]! * betaOthers[k]!));
    y[i] = rng.binomial(1, 1 / (1 + Math.exp(-eta)));
  }
  const d = new Float64Array(p);
  d[b] = q.sign;
  const name = columnNames[b]!;
  return makeGlmData({
    generator: "separableData", family, n, p, X, y, weights: null, columnNames, hasIntercept: true,
    truth: {
      coefficients: null, eta: null, mu: null, dispersion: 1,
      draw: `${name} ∈ {0, 1}; y = ${q.sign > 0 ? 1 : 0} wherever ${name} = 1; where ${name} = 0: ${pairs} overlap pairs and y ~ Bernoulli(expit(β·x)), β (intercept, others) = ${shortVector(betaOthers)}`,
      seed: q.seed,
      kind, direction: d, margins: marginsOf(X, n, p, y, d),
      infinite: { [name]: q.sign > 0 ? "+Inf" : "-Inf" }, overlapRows, mleExists: false,
    },
    summary: `kind=quasi-complete, ${name} binary (${n1} rows at 1), sign=${q.sign > 0 ? "+" : "-"}`,
  });
}

/** Options of {@link separableData}. */
export interface SeparableOptions {
  kind: SeparationKind;
  /** Rows (default 10…60). */
  n?: IntRange;
  /** Columns, intercept included (default 2…4). */
  p?: IntRange;
}

/**
 * Arbitrary completely or quasi-completely separated binary data with the
 * separating direction (and, for quasi-complete data, the infinite coefficient).
 * @example fc.sample(separableData({ kind: "complete" }), 1)[0].truth.mleExists // false
 */
export function separableData(options: SeparableOptions): fc.Arbitrary<SeparatedData> {
  const kind = options.kind;
  if (kind !== "complete" && kind !== "quasi-complete") throw new ArgumentError(`kind must be "complete" or "quasi-complete", got ${String(kind)}`);
  const pRange = options.p ?? { min: 2, max: 4 };
  const pArb = intArb("p", pRange, 2);
  const pMax = typeof pRange === "number" ? pRange : pRange.max;
  const nRange = options.n ?? { min: kind === "complete" ? 10 : 2 * pMax + 6, max: 60 };
  return fc
    .record({
      n: intArb("n", nRange, 2),
      p: pArb,
      units: unitsArb(pMax),
      eighths: fc.integer({ min: 2, max: 6 }),
      binaryPick: fc.nat({ max: 8 }),
      sign: fc.constantFrom<1 | -1>(1, -1),
      seed: seedArb,
    })
    .map(({ n, p, units, eighths, binaryPick, sign, seed }) =>
      simulateSeparableData({
        kind, n: kind === "quasi-complete" ? Math.max(n, 2 * p + 1) : n, p, units, eighths,
        binaryColumn: 1 + (binaryPick % (p - 1)), sign, seed,
      }),
    );
}

/** Parameters of {@link simulateNearSeparableData}. */
export interface NearSeparableParameters {
  /** Rows of the separated part (the 2p overlap rows come on top). */
  n: number;
  p: number;
  slopeUnits: readonly number[];
  eighths: number;
  /** Scale of the overlap pairs' distance to the separating hyperplane (covariate units). */
  closeness: number;
  seed: number;
}

/** Builds nearly separated data from explicit parameters. */
export function simulateNearSeparableData(q: NearSeparableParameters): SeparatedData {
  checkSeed(q.seed);
  const { n, p, closeness } = q;
  if (!Number.isInteger(p) || p < 2) throw new ArgumentError(`p must be an integer ≥ 2, got ${p}`);
  if (!Number.isInteger(n) || n < 2) throw new ArgumentError(`n must be an integer ≥ 2, got ${n}`);
  if (!(closeness > 0) || !Number.isFinite(closeness)) throw new ArgumentError(`closeness must be a positive number, got ${closeness}`);
  const rng = simulationRng(q.seed);
  const base = completeRows(rng, n, p, q.slopeUnits.slice(0, p - 1), Math.round((n * q.eighths) / 8));
  const total = n + 2 * p;
  const X = new Float64Array(total * p);
  X.set(base.X);
  const y = new Float64Array(total);
  y.set(base.y);
  const overlapRows: number[] = [];
  const { ds, norm, threshold } = base;
  for (let k = 0; k < p; k++) {
    const i = n + 2 * k;
    // A point on the hyperplane zᵀd_s = threshold, moved off it by closeness·N(0, 1) along d_s.
    const z = new Float64Array(p - 1);
    let s = 0;
    for (let j = 0; j < p - 1; j++) {
      z[j] = rng.normal(0, 1);
      s += z[j]! * ds[j]!;
    }
    const offset = closeness * rng.normal(0, 1);
    const shift = (threshold - s) / (norm * norm) + offset / norm;
    X[i * p] = 1;
    for (let j = 1; j < p; j++) X[i * p + j] = z[j - 1]! + shift * ds[j - 1]!;
    for (let j = 0; j < p; j++) X[(i + 1) * p + j] = X[i * p + j]!;
    y[i] = 0;
    y[i + 1] = 1;
    overlapRows.push(i, i + 1);
  }
  return makeGlmData({
    generator: "nearSeparableData", family: binomial("logit"), n: total, p, X, y, weights: null,
    columnNames: defaultColumnNames(p, true), hasIntercept: true,
    truth: {
      coefficients: null, eta: null, mu: null, dispersion: 1,
      draw: `y = 1{xᵀd > 0} on ${n} rows, plus ${p} overlap pairs within ${closeness} of the hyperplane`,
      seed: q.seed,
      kind: "near", direction: base.d, margins: marginsOf(X, total, p, y, base.d), infinite: {}, overlapRows, mleExists: true,
    },
    summary: `closeness=${closeness}, d=${shortVector(base.d)}`,
  });
}

/** Options of {@link nearSeparableData}. */
export interface NearSeparableOptions {
  /** Rows of the separated part (default 10…60); 2p overlap rows are added. */
  n?: IntRange;
  /** Columns, intercept included (default 2…4). */
  p?: IntRange;
  /** log10 of the overlap distance to the hyperplane (default −2…0: 0.01 … 1). */
  log10Closeness?: IntRange;
}

/**
 * Arbitrary nearly separated binary data: the MLE exists (truth.mleExists) but is large.
 * Shrinks towards the least extreme case (closeness 1).
 */
export function nearSeparableData(options: NearSeparableOptions = {}): fc.Arbitrary<SeparatedData> {
  const pRange = options.p ?? { min: 2, max: 4 };
  const pMax = typeof pRange === "number" ? pRange : pRange.max;
  const closeRange = options.log10Closeness ?? { min: -2, max: 0 };
  const cb = typeof closeRange === "number" ? { min: closeRange, max: closeRange } : closeRange;
  if (!Number.isInteger(cb.min) || !Number.isInteger(cb.max) || cb.min > cb.max || cb.max > 3)
    throw new ArgumentError(`log10Closeness must be an integer ≤ 3 or a range of such; got ${JSON.stringify(closeRange)}`);
  return fc
    .record({
      n: intArb("n", options.n ?? { min: 10, max: 60 }, 2),
      p: intArb("p", pRange, 2),
      slopeUnits: unitsArb(pMax - 1),
      eighths: fc.integer({ min: 2, max: 6 }),
      // Shrinks to the largest closeness (least extreme).
      minusLog: fc.integer({ min: 0, max: cb.max - cb.min }),
      seed: seedArb,
    })
    .map(({ n, p, slopeUnits, eighths, minusLog, seed }) =>
      simulateNearSeparableData({ n, p, slopeUnits, eighths, closeness: Math.pow(10, cb.max - minusLog), seed }),
    );
}

/**
 * Arbitraries about the design matrix, each with a response drawn from a GLM
 * (any simulated family whose link lets η take any value; default binomial-logit):
 *
 * - `collinearDesign`: X = [1, Q Σ Vᵀ] with Q (n×(p−1)) orthonormal and orthogonal
 *   to the intercept, V a random rotation and Σ log-spaced from √n down to √n/κ,
 *   so [1/√n, Q]·diag(√n, Σ)·diag(1, V)ᵀ is an SVD of X and cond₂(X) = κ exactly.
 * - `rankDeficientDesign`: columns on the 1/8 grid with exact linear dependences
 *   (duplicates, sums, multiples, a constant multiple of the intercept) placed after
 *   the columns they depend on, so a pivoted QR (R's glm.fit) aliases exactly the
 *   dependent columns; their true coefficients are 0.
 * - `extremeScale`: column j is 10^{kⱼ}·zⱼ with kⱼ ∈ [−6, 6] and βⱼ = bⱼ/10^{kⱼ}, so
 *   η is ordinary while the predictors span 1e-6 … 1e6.
 */
import fc from "fast-check";
import { ArgumentError } from "../src/errors.js";
import { simulationRng, type SimulationRng } from "./rng.js";
import { DEFAULT_TRUE_PARAMETERS, familySimulation, unrestrictedLink, type SimulatedFamily, type TrueParameters } from "./family-simulation.js";
import { defaultColumnNames, linearPredictor, makeGlmData, type GlmData } from "./data-set.js";
import { checkSeed, intArb, seedArb, unitsArb, type IntRange } from "./arbitrary-helpers.js";
import { coefficientsFromUnits, drawResponse } from "./glm-data.js";

/** Family and link of the response of a design arbitrary. */
export interface ResponseOptions {
  /** Default "binomial". */
  family?: SimulatedFamily;
  /** Default: the family's default link; must let η take any value. */
  link?: string;
  trueParameters?: Partial<TrueParameters>;
}

function responseModel(o: ResponseOptions) {
  const familyName = familySimulation(o.family ?? "binomial").name;
  const sim = familySimulation(familyName);
  const link = o.link ?? sim.defaultLink;
  if (!sim.links.includes(link)) throw new ArgumentError(`link "${link}" is not simulated for the ${familyName} family; its links: ${sim.links.join(", ")}`);
  if (!unrestrictedLink(familyName, link))
    throw new ArgumentError(`design arbitraries need a link whose η may take any value; ${familyName} with ${link} has a bounded η`);
  const q: TrueParameters = { ...DEFAULT_TRUE_PARAMETERS, ...o.trueParameters };
  return { familyName, sim, link, q, family: sim.family(link, q) };
}

function respond(o: ResponseOptions, X: Float64Array, n: number, p: number, beta: Float64Array, rng: SimulationRng) {
  const m = responseModel(o);
  const eta = linearPredictor(X, n, p, beta);
  const r = drawResponse(m.familyName, m.family, eta, m.q, rng);
  return { ...m, eta, ...r };
}

/** Orthonormalises the columns of an n×k row-major matrix in place (modified Gram–Schmidt, twice). */
function orthonormalize(A: Float64Array, n: number, k: number): void {
  for (let pass = 0; pass < 2; pass++)
    for (let j = 0; j < k; j++) {
      for (let l = 0; l < j; l++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += A[i * k + j]! * A[i * k + l]!;
        for (let i = 0; i < n; i++) A[i * k + j] = A[i * k + j]! - dot * A[i * k + l]!;
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += A[i * k + j]! * A[i * k + j]!;
      norm = Math.sqrt(norm);
      if (!(norm > 0)) throw new ArgumentError("could not orthonormalise a random matrix (degenerate draw); try another seed");
      for (let i = 0; i < n; i++) A[i * k + j] = A[i * k + j]! / norm;
    }
}

/** Ground truth of a collinear design. */
export interface CollinearTruth {
  /** cond₂(X) by construction. */
  conditionNumber: number;
  /** Singular values of X by construction (the intercept's √n first, then Σ). */
  singularValues: Float64Array;
}

export type CollinearData = GlmData<CollinearTruth>;

/** Parameters of {@link simulateCollinearDesign}. */
export interface CollinearParameters extends ResponseOptions {
  n: number;
  /** Columns, intercept included (≥ 2). */
  p: number;
  /** Target condition number κ ≥ 1. */
  conditionNumber: number;
  /** Coefficient units, length p. */
  units: readonly number[];
  seed: number;
}

/** Builds a design with cond₂(X) = κ and a GLM response. */
export function simulateCollinearDesign(q: CollinearParameters): CollinearData {
  checkSeed(q.seed);
  const { n, p, conditionNumber: kappa } = q;
  if (!Number.isInteger(p) || p < 2) throw new ArgumentError(`p must be an integer ≥ 2 (an intercept and a covariate), got ${p}`);
  if (!Number.isInteger(n) || n < p + 1) throw new ArgumentError(`n must be an integer ≥ p + 1 = ${p + 1}, got ${n}`);
  if (!(kappa >= 1) || !Number.isFinite(kappa)) throw new ArgumentError(`conditionNumber must be a finite number ≥ 1, got ${kappa}`);
  const rng = simulationRng(q.seed);
  const k = p - 1;
  // Q: centred normal columns (orthogonal to the intercept), orthonormalised.
  const Q = new Float64Array(n * k);
  for (let i = 0; i < n * k; i++) Q[i] = rng.normal(0, 1);
  for (let j = 0; j < k; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += Q[i * k + j]! / n;
    for (let i = 0; i < n; i++) Q[i * k + j] = Q[i * k + j]! - mean;
  }
  orthonormalize(Q, n, k);
  const V = new Float64Array(k * k);
  for (let i = 0; i < k * k; i++) V[i] = rng.normal(0, 1);
  orthonormalize(V, k, k);
  const rootN = Math.sqrt(n);
  const sigma = Float64Array.from({ length: k }, (_, j) => rootN * Math.pow(kappa, -(k === 1 ? 1 : j / (k - 1))));
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    X[i * p] = 1;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += Q[i * k + j]! * sigma[j]! * V[c * k + j]!;
      X[i * p + 1 + c] = s;
    }
  }
  const m = responseModel(q);
  const beta = coefficientsFromUnits(m.familyName, m.link, q.units.slice(0, p), true);
  const r = respond(q, X, n, p, beta, rng);
  return makeGlmData({
    generator: "collinearDesign", family: r.family, n, p, X, y: r.y, weights: r.weights,
    columnNames: defaultColumnNames(p, true), hasIntercept: true,
    truth: {
      coefficients: beta, eta: r.eta, mu: r.mu, dispersion: r.sim.dispersion(r.q), draw: r.sim.describe(r.q), seed: q.seed,
      conditionNumber: kappa, singularValues: Float64Array.from([rootN, ...sigma]),
    },
    summary: `κ=${kappa}`,
  });
}

/** Options of {@link collinearDesign}. */
export interface CollinearOptions extends ResponseOptions {
  /** Rows (default 50…200). */
  n?: IntRange;
  /** Columns, intercept included (default 2…5). */
  p?: IntRange;
  /** log10 of the condition number (default 0…8; shrinks to 0, an orthogonal design). */
  log10Condition?: IntRange;
}

/**
 * Arbitrary designs with a controlled condition number and a GLM response.
 * @example fc.sample(collinearDesign({ log10Condition: 6 }), 1)[0].truth.conditionNumber // 1e6
 */
export function collinearDesign(options: CollinearOptions = {}): fc.Arbitrary<CollinearData> {
  responseModel(options);
  const pRange = options.p ?? { min: 2, max: 5 };
  const pMax = typeof pRange === "number" ? pRange : pRange.max;
  return fc
    .record({
      n: intArb("n", options.n ?? { min: 50, max: 200 }, 3),
      p: intArb("p", pRange, 2),
      e: intArb("log10Condition", options.log10Condition ?? { min: 0, max: 8 }, 0),
      units: unitsArb(pMax),
      seed: seedArb,
    })
    .map(({ n, p, e, units, seed }) =>
      simulateCollinearDesign({ ...options, n: Math.max(n, p + 1), p, conditionNumber: Math.pow(10, e), units, seed }),
    );
}

/** How a dependent column is made from earlier ones. */
export type Dependence = "duplicate" | "sum" | "difference" | "double" | "negated" | "constant";

const DEPENDENCES: readonly Dependence[] = ["duplicate", "sum", "difference", "double", "negated", "constant"];

/** Ground truth of a rank-deficient design. */
export interface RankDeficientTruth {
  /** Names of the columns a pivoted QR must alias (the dependent ones). */
  aliased: string[];
  /** How each aliased column was made, e.g. { x3: "x1 + x2" }. */
  dependencies: Record<string, string>;
  /** Rank of X. */
  rank: number;
}

export type RankDeficientData = GlmData<RankDeficientTruth>;

/** One dependent column: its kind, its sources (indices into the independent columns) and where it goes. */
export interface DependentColumn {
  kind: Dependence;
  /** Indices (0-based) among the independent columns, intercept = 0. */
  sources: readonly number[];
  /** Position among the independent columns after which it is inserted (≥ max source). */
  after: number;
}

/** Parameters of {@link simulateRankDeficientDesign}. */
export interface RankDeficientParameters extends ResponseOptions {
  n: number;
  /** Independent columns, intercept included (≥ 1). */
  independent: number;
  dependents: readonly DependentColumn[];
  /** Coefficient units of the independent columns. */
  units: readonly number[];
  seed: number;
}

/** Builds a design with exact linear dependences (values on the 1/8 grid, so sums are exact). */
export function simulateRankDeficientDesign(q: RankDeficientParameters): RankDeficientData {
  checkSeed(q.seed);
  const { n, independent: k, dependents } = q;
  if (!Number.isInteger(k) || k < 1) throw new ArgumentError(`independent must be a positive integer, got ${k}`);
  if (!Number.isInteger(n) || n < k + 2) throw new ArgumentError(`n must be an integer ≥ independent + 2 = ${k + 2}, got ${n}`);
  const rng = simulationRng(q.seed);
  // Independent columns: intercept, then N(0, 1) rounded to the 1/8 grid.
  const cols: Float64Array[] = [new Float64Array(n).fill(1)];
  for (let j = 1; j < k; j++) cols.push(Float64Array.from({ length: n }, () => Math.round(8 * rng.normal(0, 1)) / 8));
  // Order: independent columns with the dependents inserted after their `after` column.
  type Slot = { values: Float64Array; name: string; dependent: boolean; formula?: string; indep?: number };
  const slots: Slot[] = [];
  let depCount = 0;
  for (let j = 0; j < k; j++) {
    slots.push({ values: cols[j]!, name: "", dependent: false, indep: j });
    for (const d of dependents) {
      if (Math.min(Math.max(d.after, ...d.sources), k - 1) !== j) continue;
      for (const s of d.sources) if (!Number.isInteger(s) || s < 0 || s >= k) throw new ArgumentError(`dependent column source ${s} is not an independent column (0…${k - 1})`);
      const a = cols[d.sources[0] ?? 0]!;
      const b = cols[d.sources[1] ?? d.sources[0] ?? 0]!;
      let values: Float64Array;
      switch (d.kind) {
        case "duplicate": values = Float64Array.from(a); break;
        case "sum": values = a.map((v, i) => v + b[i]!); break;
        case "difference": values = a.map((v, i) => v - b[i]!); break;
        case "double": values = a.map((v) => 2 * v); break;
        case "negated": values = a.map((v) => -v); break;
        case "constant": values = new Float64Array(n).fill(3); break;
        default: throw new ArgumentError(`unknown dependence "${String(d.kind)}"`);
      }
      depCount++;
      slots.push({ values, name: "", dependent: true, formula: `${d.kind}:${d.sources.join(",")}` });
    }
  }
  // Names in final order: "(Intercept)", x1, x2, … (dependents get names too).
  let xi = 0;
  for (const s of slots) s.name = s.indep === 0 ? "(Intercept)" : `x${++xi}`;
  const nameOfIndep = (j: number) => slots.find((s) => s.indep === j)!.name;
  const dependencies: Record<string, string> = {};
  for (const s of slots) {
    if (!s.dependent) continue;
    const [kind, src] = s.formula!.split(":") as [Dependence, string];
    const srcs = src.split(",").map(Number);
    const a = nameOfIndep(srcs[0] ?? 0);
    const b = nameOfIndep(srcs[1] ?? srcs[0] ?? 0);
    dependencies[s.name] =
      kind === "duplicate" ? a : kind === "sum" ? `${a} + ${b}` : kind === "difference" ? `${a} - ${b}` : kind === "double" ? `2·${a}` : kind === "negated" ? `-${a}` : "3·(Intercept)";
  }
  const p = slots.length;
  const X = new Float64Array(n * p);
  slots.forEach((s, j) => {
    for (let i = 0; i < n; i++) X[i * p + j] = s.values[i]!;
  });
  const m = responseModel(q);
  const indepBeta = coefficientsFromUnits(m.familyName, m.link, q.units.slice(0, k), true);
  const beta = new Float64Array(p);
  slots.forEach((s, j) => (beta[j] = s.dependent ? 0 : indepBeta[s.indep!]!));
  const r = respond(q, X, n, p, beta, rng);
  const aliased = slots.filter((s) => s.dependent).map((s) => s.name);
  return makeGlmData({
    generator: "rankDeficientDesign", family: r.family, n, p, X, y: r.y, weights: r.weights,
    columnNames: slots.map((s) => s.name), hasIntercept: true,
    truth: {
      coefficients: beta, eta: r.eta, mu: r.mu, dispersion: r.sim.dispersion(r.q), draw: r.sim.describe(r.q), seed: q.seed,
      aliased, dependencies, rank: p - depCount,
    },
    summary: `aliased: ${Object.entries(dependencies).map(([k2, v]) => `${k2} = ${v}`).join("; ")}`,
  });
}

/** Options of {@link rankDeficientDesign}. */
export interface RankDeficientOptions extends ResponseOptions {
  /** Rows (default 20…100). */
  n?: IntRange;
  /** Independent columns, intercept included (default 2…4). */
  independent?: IntRange;
  /** Dependent columns (default 1…3). */
  dependent?: IntRange;
}

/**
 * Arbitrary rank-deficient designs with the columns R's pivoted QR must alias.
 * @example fc.sample(rankDeficientDesign(), 1)[0].truth.aliased.length >= 1 // true
 */
export function rankDeficientDesign(options: RankDeficientOptions = {}): fc.Arbitrary<RankDeficientData> {
  responseModel(options);
  const kRange = options.independent ?? { min: 2, max: 4 };
  const kMax = typeof kRange === "number" ? kRange : kRange.max;
  const dRange = options.dependent ?? { min: 1, max: 3 };
  const dMax = typeof dRange === "number" ? dRange : dRange.max;
  const depArb = fc.record({
    kind: fc.constantFrom(...DEPENDENCES),
    a: fc.nat({ max: 16 }),
    b: fc.nat({ max: 16 }),
    after: fc.nat({ max: 16 }),
  });
  return fc
    .record({
      n: intArb("n", options.n ?? { min: 20, max: 100 }, 3),
      k: intArb("independent", kRange, 1),
      d: intArb("dependent", dRange, 0),
      deps: fc.array(depArb, { minLength: dMax, maxLength: dMax }),
      units: unitsArb(kMax),
      seed: seedArb,
    })
    .map(({ n, k, d, deps, units, seed }) => {
      const dependents: DependentColumn[] = deps.slice(0, d).map((x) => {
        // Sources among the non-intercept columns when there are any (the intercept only for "constant").
        const pick = (v: number) => (k > 1 ? 1 + (v % (k - 1)) : 0);
        const kind: Dependence = x.kind === "constant" || k > 1 ? x.kind : "constant";
        const sources = kind === "constant" ? [0] : kind === "sum" || kind === "difference" ? [pick(x.a), pick(x.a + 1 + (x.b % Math.max(1, k - 2)))] : [pick(x.a)];
        // A difference of a column with itself is the zero column: make it a sum instead.
        const fixed: Dependence = kind === "difference" && sources[0] === sources[1] ? "sum" : kind;
        const lo = Math.max(...sources);
        return { kind: fixed, sources, after: lo + (x.after % (k - lo)) };
      });
      return simulateRankDeficientDesign({ ...options, n: Math.max(n, k + 2), independent: k, dependents, units, seed });
    });
}

/** Ground truth of an extreme-scale design. */
export interface ExtremeScaleTruth {
  /** 10^{kⱼ} of each column (1 for the intercept). */
  columnScales: Float64Array;
  /** βⱼ·10^{kⱼ}: the coefficients of the standardised columns zⱼ. */
  standardizedCoefficients: Float64Array;
}

export type ExtremeScaleData = GlmData<ExtremeScaleTruth>;

/** Parameters of {@link simulateExtremeScale}. */
export interface ExtremeScaleParameters extends ResponseOptions {
  n: number;
  p: number;
  /** Exponents kⱼ of the p − 1 covariates, each in [−6, 6]. */
  exponents: readonly number[];
  units: readonly number[];
  seed: number;
}

/** Builds a design with columns on scales 10^{kⱼ} and a GLM response. */
export function simulateExtremeScale(q: ExtremeScaleParameters): ExtremeScaleData {
  checkSeed(q.seed);
  const { n, p } = q;
  if (!Number.isInteger(p) || p < 2) throw new ArgumentError(`p must be an integer ≥ 2, got ${p}`);
  if (!Number.isInteger(n) || n < p + 1) throw new ArgumentError(`n must be an integer ≥ p + 1 = ${p + 1}, got ${n}`);
  if (q.exponents.length < p - 1 || q.exponents.slice(0, p - 1).some((e) => !Number.isInteger(e) || Math.abs(e) > 6))
    throw new ArgumentError(`exponents must give p − 1 = ${p - 1} integers in [−6, 6], got ${JSON.stringify(q.exponents)}`);
  const rng = simulationRng(q.seed);
  const scales = Float64Array.from({ length: p }, (_, j) => (j === 0 ? 1 : Math.pow(10, q.exponents[j - 1]!)));
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) X[i * p + j] = j === 0 ? 1 : scales[j]! * rng.normal(0, 1);
  const m = responseModel(q);
  const standardized = coefficientsFromUnits(m.familyName, m.link, q.units.slice(0, p), true);
  const beta = standardized.map((b, j) => b / scales[j]!);
  const r = respond(q, X, n, p, beta, rng);
  return makeGlmData({
    generator: "extremeScale", family: r.family, n, p, X, y: r.y, weights: r.weights,
    columnNames: defaultColumnNames(p, true), hasIntercept: true,
    truth: {
      coefficients: beta, eta: r.eta, mu: r.mu, dispersion: r.sim.dispersion(r.q), draw: r.sim.describe(r.q), seed: q.seed,
      columnScales: scales, standardizedCoefficients: standardized,
    },
    summary: `scales=[${Array.from(scales.subarray(1), (s) => s.toExponential(0)).join(", ")}]`,
  });
}

/** Options of {@link extremeScale}. */
export interface ExtremeScaleOptions extends ResponseOptions {
  /** Rows (default 50…200). */
  n?: IntRange;
  /** Columns, intercept included (default 2…4). */
  p?: IntRange;
}

/**
 * Arbitrary designs whose predictors live on scales from 1e-6 to 1e6 (shrinking to scale 1).
 * @example fc.sample(extremeScale(), 1)[0].truth.columnScales[0] // 1
 */
export function extremeScale(options: ExtremeScaleOptions = {}): fc.Arbitrary<ExtremeScaleData> {
  responseModel(options);
  const pRange = options.p ?? { min: 2, max: 4 };
  const pMax = typeof pRange === "number" ? pRange : pRange.max;
  return fc
    .record({
      n: intArb("n", options.n ?? { min: 50, max: 200 }, 3),
      p: intArb("p", pRange, 2),
      exponents: fc.array(fc.integer({ min: -6, max: 6 }), { minLength: pMax - 1, maxLength: pMax - 1 }),
      units: unitsArb(pMax),
      seed: seedArb,
    })
    .map(({ n, p, exponents, units, seed }) => simulateExtremeScale({ ...options, n: Math.max(n, p + 1), p, exponents, units, seed }));
}

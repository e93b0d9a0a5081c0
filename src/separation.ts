/**
 * Detection of complete and quasi-complete separation in binomial-response
 * models by linear programming, and of which coefficients have infinite
 * maximum-likelihood estimates, as detectseparation's `detect_separation`
 * (formerly brglm2's; default "ROI" separator) does:
 *
 *   rows with zero weight are left out; a row with 0 < y < 1 counts as one
 *   failure and one success; aliased columns are left out and reported as
 *   aliased (R's pivoted QR, tol 1e-7, of the rows with positive weight, as
 *   glm.fit decides aliasing; detectseparation uses all rows, which leaves a
 *   column that is zero on every weighted row to an arbitrary LP value);
 *   with sᵢ = +1 for a success and −1 for a failure and X̄ = diag(s)X,
 *       maximise 1ᵀX̄β  subject to  X̄β ≥ 0,  −1 ≤ βⱼ ≤ 1.            (Konis 2007, §4.2, 4.4)
 *   β = 0 is feasible, so the LP always has an optimum. The data are separated
 *   iff some |βⱼ| > tolerance (1e-4, detectseparation's default), and then βⱼ
 *   → sign(βⱼ)·∞ along the separating direction β.
 *
 * One deliberate difference, on by default (`scaleColumns: true`): each column
 * of X is divided by its largest absolute value before the LP (β is reported
 * back in the original units). The unscaled LP's verdict depends on units: the
 * box |βⱼ| ≤ 1 with tolerance 1e-4 calls the slope of y = 1{x > 5e4}
 * finite (its LP value is 2e-5) although glm() diverges on it
 * (test/reference/separation.R, case "large_units"). With `scaleColumns: false`
 * the LP is detectseparation's (verdicts equal wherever its optimum is unique).
 *
 * A caveat shared with detectseparation: when the cone C = {β : X̄β ≥ 0} of
 * separating directions has more than one extreme ray, which coefficients the
 * returned vertex shows as infinite can depend on the solver's choice among
 * optimal vertices. `refine: true` removes that dependence with 2p more LPs:
 * coefficient j is infinite iff βⱼ has one strict sign throughout the relative
 * interior of C (its range over C ∩ box is [0, M] or [−M, 0], M > tolerance),
 * i.e. iff every direction that drives the likelihood to its supremum moves βⱼ.
 * The fixtures are cases where both answers agree.
 *
 * The LP is solved by HiGHS (Huangfu & Hall 2018) compiled to WebAssembly (npm
 * `highs`). Loading it is asynchronous: `detectSeparation` loads it on first
 * use; for the synchronous fitter, `await initSeparation()` once, then call
 * `detectSeparationSync` (the solve itself is synchronous).
 *
 * Exact column checks (`detectSeparationByColumns`, O(n·p), no LP): a direction d
 * with xᵢ·d ≥ 0 on every success, ≤ 0 on every failure and = 0 on every mixed row
 * (0 < y < 1), and Xd ≠ 0, is a direction of recession of the likelihood: for a
 * link with increasing μ(η), ℓ(β + t·d) increases strictly in t for every β, so the
 * maximum is not attained (Albert & Anderson 1984, Theorem 1; Konis 2007, §2.2).
 * Two kinds of d are checked exactly, in floating point with no tolerance:
 *   (a) d = c·eⱼ: column j is non-zero only on rows of one outcome (or of the two
 *       outcomes with opposite signs of xᵢⱼ), e.g. a 0/1 column whose 1-rows all have
 *       y = 0 (c = −1: βⱼ → −∞ with everything else held);
 *   (b) d = c·(e₀/k − Σ_{j∈G} eⱼ): e₀ the intercept column (constant k), G a set of 0/1
 *       columns with disjoint supports (the dummies of a factor): xᵢ·d = c on the rows
 *       where every column of G is 0 (the reference level) and 0 elsewhere, so the
 *       reference rows must all share one outcome.
 * Each such d proves that the MLE does not exist (`separation`); the coefficients
 * it moves are reported as infinite with its signs, as the LP's vertex is (a
 * coefficient that two proven directions move in opposite senses is left out). The
 * checks are sufficient, not necessary: separation by a combination of columns that
 * is neither (a) nor (b) needs the LP.
 *
 * References: [1] Konis K. (2007) Linear programming algorithms for detecting
 * separated data in binary logistic regression models, DPhil thesis, Oxford.
 * [2] Albert A. & Anderson J.A. (1984) Biometrika 71:1–10 (definitions).
 * [3] Kosmidis I. & Schumacher D., detectseparation: Detect and Check for
 * Separation and Infinite Maximum Likelihood Estimates, R package (CRAN).
 */
import type { Highs, ModelData } from "highs";
import { ArgumentError, DataError, GlmkitError, NumericalError } from "./errors.js";
import { qrKeptColumns } from "./linalg/qr-columns.js";
import { checkedFacts, checkedMaxima } from "./fit/design-scaling.js";
import type { InfiniteEstimateCheck } from "./types.js";

/** detectseparation's default tolerance on |βⱼ|. */
export const SEPARATION_TOLERANCE = 1e-4;
/** A binomial problem as the fitter holds it. */
export interface SeparationProblem {
  /** n×p design, row-major. */
  X: ArrayLike<number>;
  n: number;
  p: number;
  columnNames: readonly string[];
  /** Proportion of successes in [0, 1]. */
  y: ArrayLike<number>;
  /** Prior weights (number of trials); null or omitted means all 1. Rows with weight 0 are left out. */
  weights?: ArrayLike<number> | null;
}

export interface SeparationOptions {
  /** |βⱼ| above this counts as infinite (default 1e-4, as detectseparation), on the scaled columns. */
  tolerance?: number;
  /** Divide each column by its largest |value| before the LP (default true; false = detectseparation's LP exactly). */
  scaleColumns?: boolean;
  /** Decide each coefficient from its range over the whole cone of separating directions (2p more LPs; default false). */
  refine?: boolean;
}

/** Verdict on one coefficient. */
export type CoefficientVerdict = "finite" | "+Inf" | "-Inf" | "aliased";

export interface SeparationResult {
  /** True when the data are completely or quasi-completely separated. */
  separation: boolean;
  /** Coefficients whose maximum-likelihood estimate is infinite, with its sign. */
  infinite: Record<string, "+Inf" | "-Inf">;
  /** Coefficients whose estimate is finite (aliased ones excluded). */
  finite: string[];
  /** Columns left out as linearly dependent on earlier ones. */
  aliased: string[];
  /** Verdict per coefficient, in column order. */
  verdicts: CoefficientVerdict[];
  /** detectseparation's `coefficients` convention, in column order: 0 finite, ±Infinity, NaN aliased. */
  betas: Float64Array;
  /** The LP's solution β in the original units (NaN for aliased columns): a separating direction when `separation`. */
  direction: Float64Array;
  /** 1ᵀX̄β at the optimum (0 without separation). */
  objective: number;
  /** "optimal" after a solve; "empty" when there is no coefficient to test. */
  status: "optimal" | "empty";
}

type HighsLoader = (settings?: { locateFile?: (file: string) => string; wasmBinary?: ArrayBuffer | Uint8Array }) => Promise<Highs>;

let solver: Highs | null = null;
let loading: Promise<Highs> | null = null;

/** Where the HiGHS WebAssembly binary comes from (browsers; Node reads it from the package). */
export interface LpSolverOptions {
  /** URL of highs.wasm (the package exports it as `glmkit/highs.wasm`); default: next to the loader module. */
  wasmUrl?: string | URL;
  /** The bytes of highs.wasm, already fetched. */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/**
 * Loads the HiGHS WebAssembly solver once (about 50 ms) and caches it; later
 * calls return at once. After it resolves, {@link detectSeparationSync} works and
 * every ML fit runs the LP check synchronously. The module is `#highs` (package.json
 * "imports"): npm `highs` in Node, its browser build under bundlers' "browser" condition.
 * @example await initSeparation(); separationReady() // true
 */
export function initSeparation(options: LpSolverOptions = {}): Promise<void> {
  if (loading === null) {
    const settings: Parameters<HighsLoader>[0] = {};
    if (options.wasmBinary !== undefined) settings.wasmBinary = options.wasmBinary;
    if (options.wasmUrl !== undefined) {
      const url = String(options.wasmUrl);
      settings.locateFile = (file: string) => (file.endsWith(".wasm") ? url : file);
    }
    loading = import("#highs")
      .then((m) => {
        // The package's types are CommonJS-flavoured (default under .default.default) while
        // Node's ESM entry exports the loader as the default export: accept both shapes.
        const mod = m as unknown as { default: HighsLoader | { default: HighsLoader } };
        const load = typeof mod.default === "function" ? mod.default : mod.default.default;
        return load(settings);
      })
      .then((h) => {
        solver = h;
        return h;
      })
      .catch((err: unknown) => {
        loading = null;
        throw new NumericalError(`could not load the HiGHS LP solver: ${(err as Error).message ?? String(err)}`);
      });
  }
  return loading.then(() => undefined);
}

/** The public name of {@link initSeparation}: `await loadLpSolver()` once, then fits check separation exactly. */
export const loadLpSolver: (options?: LpSolverOptions) => Promise<void> = initSeparation;

/** Whether the LP solver is loaded, so that {@link detectSeparationSync} can run. */
export function separationReady(): boolean {
  return solver !== null;
}

/**
 * Asynchronous separation check: loads the LP solver if needed, then runs
 * {@link detectSeparationSync}.
 * @example (await detectSeparation({ X: [1, 1, 1, 2, 1, 3, 1, 4], n: 4, p: 2, columnNames: ["(Intercept)", "x"], y: [0, 0, 1, 1] })).infinite // { "(Intercept)": "-Inf", x: "+Inf" }
 */
export async function detectSeparation(problem: SeparationProblem, options: SeparationOptions = {}): Promise<SeparationResult> {
  await initSeparation();
  return detectSeparationSync(problem, options);
}

function validate(problem: SeparationProblem, declared = false): Float64Array {
  const { X, n, p, columnNames, y } = problem;
  if (!Number.isInteger(n) || n < 0) throw new ArgumentError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(p) || p < 0) throw new ArgumentError(`p must be a non-negative integer, got ${p}`);
  if (X.length !== n * p) throw new ArgumentError(`X has ${X.length} entries, expected n × p = ${n} × ${p} = ${n * p}`);
  if (columnNames.length !== p) throw new ArgumentError(`columnNames has ${columnNames.length} names for p = ${p} columns`);
  if (y.length !== n) throw new ArgumentError(`y has length ${y.length}, expected n = ${n}`);
  const w = new Float64Array(n);
  if (problem.weights === undefined || problem.weights === null) {
    w.fill(1);
  } else if (declared && checkedMaxima(X, n, p) !== null && problem.weights.length === n) {
    // A model's declared problem: weights, y and X were checked there (checkWeights, the family's
    // checkY, checkDesign), so the checks below would pass; only the copy is left.
    w.set(problem.weights);
    return w;
  } else {
    if (problem.weights.length !== n) throw new ArgumentError(`weights has length ${problem.weights.length}, expected n = ${n}`);
    for (let i = 0; i < n; i++) {
      const wi = problem.weights[i]!;
      if (!Number.isFinite(wi) || wi < 0) {
        throw new DataError(`weights: row ${i + 1} is ${wi}; weights must be finite and non-negative`, { column: "weights", row: i + 1 });
      }
      w[i] = wi;
    }
  }
  // Row by row, y before X: the first fault in that order is reported. X is scanned first in
  // one flat pass (none when the model's declaration already checked it: checkDesign), so y
  // is checked up to the row of X's first non-finite entry.
  const bad = checkedMaxima(X, n, p) !== null ? -1 : firstNonFinite(X);
  const lastRow = bad < 0 ? n - 1 : Math.floor(bad / p);
  for (let i = 0; i <= lastRow; i++) {
    const yi = y[i]!;
    if (!(yi >= 0 && yi <= 1)) {
      throw new DataError(`y: row ${i + 1} is ${yi}; a binomial response must be a proportion in [0, 1]`, { column: "y", row: i + 1 });
    }
  }
  if (bad >= 0) {
    const i = lastRow, j = bad % p;
    throw new DataError(`X: column "${columnNames[j]}" row ${i + 1} is ${X[bad]}`, { column: columnNames[j], row: i + 1 });
  }
  return w;
}

/** The index of the first non-finite entry of X, or −1. */
function firstNonFinite(X: ArrayLike<number>): number {
  if (X instanceof Float64Array) {
    for (let k = 0; k < X.length; k++) if (!Number.isFinite(X[k]!)) return k;
    return -1;
  }
  for (let k = 0; k < X.length; k++) if (!Number.isFinite(X[k]!)) return k;
  return -1;
}

/**
 * Indices of the columns kept (not aliased), in column order, and of the aliased
 * ones, by R's limited-pivoting QR of the rows `used`.
 */
function keptColumns(X: ArrayLike<number>, used: readonly number[], p: number): { kept: number[]; aliased: number[] } {
  const r = qrKeptColumns(X, p, used);
  const aliased: number[] = [];
  for (let j = 0; j < p; j++) if (r.aliased[j] === 1) aliased.push(j);
  return { kept: Array.from(r.kept), aliased };
}

/**
 * Synchronous separation check (see the module comment for the linear
 * program). Requires the solver to be loaded by `await initSeparation()`.
 * Throws DataError for y outside [0, 1], negative or non-finite weights,
 * non-finite X, or no row with positive weight; NumericalError if HiGHS does not
 * reach an optimum (it always exists).
 * @example detectSeparationSync({ X: [1, 0, 1, 1, 1, 2], n: 3, p: 2, columnNames: ["(Intercept)", "x"], y: [0.5, 1, 0] }).separation // false
 */
export function detectSeparationSync(problem: SeparationProblem, options: SeparationOptions = {}): SeparationResult {
  const highs = solver;
  if (highs === null) {
    throw new GlmkitError("detectSeparationSync: the LP solver is not loaded; call `await initSeparation()` once before");
  }
  const tolerance = options.tolerance ?? SEPARATION_TOLERANCE;
  if (!(tolerance > 0) || !Number.isFinite(tolerance)) throw new ArgumentError(`tolerance must be positive and finite, got ${tolerance}`);
  const w = validate(problem);
  const { X, n, p, columnNames, y } = problem;

  const verdicts: CoefficientVerdict[] = new Array<CoefficientVerdict>(p).fill("finite");
  const betas = new Float64Array(p);
  const direction = new Float64Array(p);
  if (p === 0) {
    return { separation: false, infinite: {}, finite: [], aliased: [], verdicts, betas, direction, objective: 0, status: "empty" };
  }
  const { rows, signs, used } = lpRows(y, w, n);
  const { kept, aliased } = keptColumns(X, used, p);
  for (const j of aliased) {
    verdicts[j] = "aliased";
    betas[j] = NaN;
    direction[j] = NaN;
  }
  const aliasedNames = aliased.map((j) => columnNames[j]!);
  if (kept.length === 0) {
    return { separation: false, infinite: {}, finite: [], aliased: aliasedNames, verdicts, betas, direction, objective: 0, status: "empty" };
  }
  const colScale = columnScales(X, p, rows, kept, options.scaleColumns ?? true);
  const lp = separationLp(highs, X, p, rows, signs, kept, colScale);
  const { solution, objective, ranges } = solveModelData(highs, lp, options.refine ?? false, tolerance);

  const infinite: Record<string, "+Inf" | "-Inf"> = {};
  const finite: string[] = [];
  let separation = false;
  for (let k = 0; k < kept.length; k++) {
    const j = kept[k]!;
    const b = solution[k]!;
    direction[j] = b / colScale[k]!;
    if (Math.abs(b) > tolerance) separation = true;
    const sign = ranges !== null ? rangeSign(ranges.lo[k]!, ranges.hi[k]!, tolerance) : Math.abs(b) > tolerance ? Math.sign(b) : 0;
    if (sign !== 0) {
      verdicts[j] = sign > 0 ? "+Inf" : "-Inf";
      infinite[columnNames[j]!] = verdicts[j] as "+Inf" | "-Inf";
      betas[j] = sign > 0 ? Infinity : -Infinity;
    } else {
      finite.push(columnNames[j]!);
    }
  }
  return { separation, infinite, finite, aliased: aliasedNames, verdicts, betas, direction, objective, status: "optimal" };
}

/**
 * Rows of the LP, in detectseparation's order: successes, failures, then each
 * mixed row twice (as a failure, then as a success), with their signs; `used` are
 * the rows with positive weight, ascending. DataError when there is none.
 */
function lpRows(y: ArrayLike<number>, w: Float64Array, n: number): { rows: number[]; signs: number[]; used: number[] } {
  const successes: number[] = [];
  const failures: number[] = [];
  const mixed: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!(w[i]! > 0)) continue;
    const yi = y[i]!;
    if (yi === 1) successes.push(i);
    else if (yi === 0) failures.push(i);
    else mixed.push(i);
  }
  const rows: number[] = [...successes, ...failures, ...mixed, ...mixed];
  const signs: number[] = [
    ...successes.map(() => 1),
    ...failures.map(() => -1),
    ...mixed.map(() => -1),
    ...mixed.map(() => 1),
  ];
  if (rows.length === 0) throw new DataError("every row has weight 0: there is nothing to test for separation", { column: "weights" });
  return { rows, signs, used: [...successes, ...failures, ...mixed].sort((a, b) => a - b) };
}

/** Column scales: the largest |x| of each kept column over the rows used (1 if unscaled or all zero). */
function columnScales(X: ArrayLike<number>, p: number, rows: readonly number[], kept: readonly number[], scale: boolean): Float64Array {
  const q = kept.length;
  const colScale = new Float64Array(q).fill(1);
  if (!scale) return colScale;
  for (let k = 0; k < q; k++) {
    let mx = 0;
    for (let r = 0; r < rows.length; r++) mx = Math.max(mx, Math.abs(X[rows[r]! * p + kept[k]!]!));
    if (mx > 0) colScale[k] = mx;
  }
  return colScale;
}

/**
 * Konis's LP: maximise 1ᵀX̄β subject to X̄β ≥ 0, −1 ≤ β ≤ 1, with X̄ the signed
 * rows of the kept, scaled columns (as a CSR matrix).
 */
function separationLp(
  highs: Highs, X: ArrayLike<number>, p: number, rows: readonly number[], signs: readonly number[], kept: readonly number[], colScale: Float64Array,
): ModelData {
  const m = rows.length;
  const q = kept.length;
  const starts = new Int32Array(m + 1);
  const indices: number[] = [];
  const values: number[] = [];
  const cost = new Float64Array(q);
  for (let r = 0; r < m; r++) {
    const base = rows[r]! * p;
    const s = signs[r]!;
    for (let k = 0; k < q; k++) {
      const v = (s * X[base + kept[k]!]!) / colScale[k]!;
      cost[k] += v;
      if (v !== 0) {
        indices.push(k);
        values.push(v);
      }
    }
    starts[r + 1] = indices.length;
  }
  return {
    numCols: q,
    numRows: m,
    sense: highs.constants.objectiveSense.maximize,
    colCost: cost,
    colLower: new Float64Array(q).fill(-1),
    colUpper: new Float64Array(q).fill(1),
    rowLower: new Float64Array(m),
    rowUpper: new Float64Array(m).fill(highs.infinity),
    matrix: { format: "csr", numRows: m, numCols: q, starts, indices: Int32Array.from(indices), values: Float64Array.from(values) },
  };
}

/** Range of each βₖ over the cone of separating directions within the box. */
interface BetaRanges {
  lo: Float64Array;
  hi: Float64Array;
}

/** +1 when βₖ's range lies in [0, ∞) and reaches above the tolerance, −1 in mirror, else 0. */
function rangeSign(lo: number, hi: number, tolerance: number): number {
  return hi > tolerance && lo >= -tolerance ? 1 : lo < -tolerance && hi <= tolerance ? -1 : 0;
}

/**
 * Solves the LP with HiGHS; with `refine` and a separating solution, also the 2q
 * LPs min/max eₖᵀβ. NumericalError when HiGHS fails or stops short of an optimum.
 */
function solveModelData(
  highs: Highs, lp: ModelData, refine: boolean, tolerance: number,
): { solution: Float64Array; objective: number; ranges: BetaRanges | null } {
  const optimal = highs.constants.modelStatus.optimal;
  const q = lp.numCols;
  try {
    const out = highs.withModel(lp, (model) => {
      // Keep coefficients down to 1e-12 (HiGHS's floor; its default drops |a| ≤ 1e-9).
      model.options.set({ output_flag: false, small_matrix_value: 1e-12 });
      model.run();
      const status = model.getModelStatus();
      const colValue = model.getSolution().colValue;
      const value = model.getObjectiveValue();
      let range: BetaRanges | null = null;
      if (refine && status === optimal && colValue.some((b) => Math.abs(b) > tolerance)) {
        // Range of each βₖ over C ∩ box: minimise and maximise eₖᵀβ.
        range = { lo: new Float64Array(q), hi: new Float64Array(q) };
        const zero = new Float64Array(q);
        for (let k = 0; k < q; k++) {
          model.changeColsCost({ kind: "range", from: 0, to: q - 1 }, zero);
          model.changeColCost(k, 1);
          for (const sense of [highs.constants.objectiveSense.minimize, highs.constants.objectiveSense.maximize]) {
            model.changeObjectiveSense(sense);
            model.run();
            if (model.getModelStatus() !== optimal) {
              throw new NumericalError(`separation LP (refine, column ${k + 1}): HiGHS stopped with model status ${model.getModelStatus()}`);
            }
            const v = model.getSolution().colValue[k]!;
            if (sense === highs.constants.objectiveSense.minimize) range.lo[k] = v;
            else range.hi[k] = v;
          }
        }
      }
      return { status, colValue, objective: value, range };
    });
    if (out.status !== optimal) {
      throw new NumericalError(`separation LP: HiGHS stopped with model status ${out.status}, not optimal (the LP always has an optimum)`);
    }
    return { solution: out.colValue, objective: out.objective, ranges: out.range };
  } catch (err) {
    if (err instanceof GlmkitError) throw err;
    throw new NumericalError(`separation LP: HiGHS failed: ${(err as Error).message ?? String(err)}`);
  }
}

/* ---------------- exact column checks (no LP) ---------------- */

/** What the exact column checks found (see the module comment). */
export interface ColumnSeparationResult {
  /** True when a column check proved that the maximum-likelihood estimate does not exist. */
  separation: boolean;
  /** Coefficients the proven directions move, with their sign (none moved both ways). */
  infinite: Record<string, "+Inf" | "-Inf">;
  /** The sum of the proven directions of recession (0 where none moves a coefficient). */
  direction: Float64Array;
  /** One line per direction found, naming the column (or factor reference rows) and the outcome. */
  evidence: string[];
}

/** Outcome class of a used row: +1 all successes, −1 all failures, 0 mixed (0 < y < 1). */
function outcomeClass(y: number): number {
  return y === 1 ? 1 : y === 0 ? -1 : 0;
}

/**
 * (a): the sign c with c·eⱼ a direction of recession, or 0. Column j qualifies when
 * it is non-zero somewhere, zero on every mixed row, and sign(xᵢⱼ)·classᵢ is the
 * same c on every row where it is non-zero.
 */
function columnDirection(X: ArrayLike<number>, p: number, j: number, y: ArrayLike<number>, used: Int32Array): number {
  let c = 0;
  for (let r = 0; r < used.length; r++) {
    const i = used[r]!;
    const v = X[i * p + j]!;
    if (v === 0) continue;
    const s = Math.sign(v) * outcomeClass(y[i]!);
    if (s === 0 || (c !== 0 && s !== c)) return 0;
    c = s;
  }
  return c;
}

/** Whether column j is 0/1 on the rows used (and not all 0). */
function isIndicator(X: ArrayLike<number>, p: number, j: number, used: Int32Array): boolean {
  let any = false;
  for (let r = 0; r < used.length; r++) {
    const v = X[used[r]! * p + j]!;
    if (v === 1) any = true;
    else if (v !== 0) return false;
  }
  return any;
}

/** The intercept-like column: the first kept column that is one non-zero constant on the rows used, or −1. */
function constantColumn(X: ArrayLike<number>, n: number, p: number, kept: readonly number[], used: Int32Array): number {
  // On every row, the design's checked facts say which columns are constant (no pass over X).
  const facts = used.length === n ? checkedFacts(X, n, p) : null;
  for (const j of kept) {
    const k = X[used[0]! * p + j]!;
    if (k === 0) continue;
    if (facts !== null ? facts.constant[j] === k : columnEquals(X, p, j, used, k)) return j;
  }
  return -1;
}

/** Whether x_ij === k on every row used. */
function columnEquals(X: ArrayLike<number>, p: number, j: number, used: Int32Array, k: number): boolean {
  for (let r = 0; r < used.length; r++) if (X[used[r]! * p + j] !== k) return false;
  return true;
}

/** Whether every x_ij of the rows used is ≥ 0 (sign 1) or ≤ 0 (sign −1). */
function columnSigned(X: ArrayLike<number>, p: number, j: number, used: Int32Array, sign: 1 | -1): boolean {
  for (let r = 0; r < used.length; r++) if (sign * X[used[r]! * p + j]! < 0) return false;
  return true;
}

/**
 * (b): groups of 0/1 columns with disjoint supports (greedily, in column order, so a
 * factor's dummies form one group), each with the sign c for which
 * c·(e₀/k − Σ_G eⱼ) is a direction of recession (its reference rows share one outcome).
 */
function referenceDirections(
  X: ArrayLike<number>, p: number, n: number, y: ArrayLike<number>, used: Int32Array, indicators: readonly number[],
): { group: number[]; sign: number; rows: number }[] {
  const out: { group: number[]; sign: number; rows: number }[] = [];
  const covered = new Uint8Array(n);
  let group: number[] = [];
  const close = (): void => {
    if (group.length === 0) return;
    let c = 0;
    let rows = 0;
    let ok = true;
    for (let r = 0; r < used.length; r++) {
      const i = used[r]!;
      if (covered[i]) continue;
      rows++;
      const s = outcomeClass(y[i]!);
      if (s === 0 || (c !== 0 && s !== c)) { ok = false; break; }
      c = s;
    }
    if (ok && rows > 0) out.push({ group, sign: c, rows });
    covered.fill(0);
    group = [];
  };
  for (const j of indicators) {
    let disjoint = true;
    for (let r = 0; r < used.length; r++) {
      const i = used[r]!;
      if (X[i * p + j] === 1 && covered[i]) { disjoint = false; break; }
    }
    if (!disjoint) close();
    for (let r = 0; r < used.length; r++) {
      const i = used[r]!;
      if (X[i * p + j] === 1) covered[i] = 1;
    }
    group.push(j);
  }
  close();
  return out;
}

/**
 * Exact checks for directions of recession made of one column, or of an intercept
 * and the dummies of a factor (see the module comment). O(n·p) after the aliasing
 * check, synchronous, no LP solver. Aliased columns (R's QR of the rows with
 * positive weight, or `options.aliased`) are left out. Throws as `detectSeparationSync`
 * for invalid input.
 * @example detectSeparationByColumns({ X: [1, 0, 1, 0, 1, 1, 1, 1], n: 4, p: 2, columnNames: ["(Intercept)", "rare"], y: [1, 0, 0, 0] }).infinite // { rare: "-Inf" }
 */
export function detectSeparationByColumns(
  problem: SeparationProblem, options: { aliased?: ArrayLike<number>; declared?: boolean } = {},
): ColumnSeparationResult {
  const w = validate(problem, options.declared);
  const { X, n, p, columnNames, y } = problem;
  const direction = new Float64Array(p);
  const none: ColumnSeparationResult = { separation: false, infinite: {}, direction, evidence: [] };
  let count = 0;
  for (let i = 0; i < n; i++) if (w[i]! > 0) count++;
  const used = new Int32Array(count);
  for (let i = 0, r = 0; i < n; i++) if (w[i]! > 0) used[r++] = i;
  if (p === 0 || used.length === 0) return none;
  const aliased = options.aliased ?? keptColumnsMask(X, Array.from(used), p);
  const kept: number[] = [];
  for (let j = 0; j < p; j++) if (!aliased[j]) kept.push(j);
  const pos = new Uint8Array(p);
  const neg = new Uint8Array(p);
  const evidence: string[] = [];
  const move = (j: number, amount: number): void => {
    direction[j] += amount;
    if (amount > 0) pos[j] = 1;
    else neg[j] = 1;
  };
  const outcome = (c: number): string => (c > 0 ? "y = 1" : "y = 0");
  for (const j of kept) {
    const c = columnDirection(X, p, j, y, used);
    if (c === 0) continue;
    move(j, c);
    const oneSign = columnSigned(X, p, j, used, 1) || columnSigned(X, p, j, used, -1);
    evidence.push(oneSign
      ? `every row where "${columnNames[j]}" is non-zero has ${outcome(c * Math.sign(sumColumn(X, p, j, used)))}`
      : `the sign of "${columnNames[j]}" gives the outcome on every row where it is non-zero`);
  }
  const j0 = constantColumn(X, n, p, kept, used);
  if (j0 >= 0) {
    const indicators = kept.filter((j) => j !== j0 && isIndicator(X, p, j, used));
    const k = X[used[0]! * p + j0]!;
    for (const { group, sign, rows } of referenceDirections(X, p, n, y, used, indicators)) {
      move(j0, sign / k);
      for (const j of group) move(j, -sign);
      const names = group.map((j) => `"${columnNames[j]}"`).join(", ");
      evidence.push(`the ${rows} rows where ${names} ${group.length === 1 ? "is" : "are all"} 0 have ${outcome(sign)}`);
    }
  }
  if (evidence.length === 0) return none;
  const infinite: Record<string, "+Inf" | "-Inf"> = {};
  for (let j = 0; j < p; j++) if (pos[j]! !== neg[j]!) infinite[columnNames[j]!] = pos[j] ? "+Inf" : "-Inf";
  return { separation: true, infinite, direction, evidence };
}

function sumColumn(X: ArrayLike<number>, p: number, j: number, used: Int32Array): number {
  let s = 0;
  for (let r = 0; r < used.length; r++) s += X[used[r]! * p + j]!;
  return s;
}

function keptColumnsMask(X: ArrayLike<number>, used: readonly number[], p: number): Uint8Array {
  return qrKeptColumns(X, p, used).aliased;
}

/* ---------------- the verdict the fitters attach ---------------- */

/**
 * Above this many design entries (n·p) the LP is not run by default: at 2.5·10⁶
 * entries HiGHS takes ~4 s, more than the fit (bench: 500k × 5 logistic); the exact
 * column checks run at any size.
 */
export const LP_AUTO_LIMIT = 2_000_000;

/** The infinite-estimate verdict on one problem. */
export interface InfiniteEstimateVerdict {
  /** True: some MLE is infinite (proven). False: none is (the LP found no direction). Null: not known (only the column checks ran, and found none). */
  detected: boolean | null;
  /** Coefficients whose MLE is infinite, with its sign. */
  infinite: Record<string, "+Inf" | "-Inf">;
  /** "lp": the full linear program ran (the verdict is complete); "columns": only the exact column checks did. */
  coverage: "lp" | "columns";
  /** Why the LP asked for did not run or failed. */
  lpError?: string;
  /** What the column checks found (empty when they found nothing). */
  evidence: string[];
}

/**
 * The binomial form of a problem for the infinite-estimate check `check`: for
 * "logCount" (log-link counts), a direction with xᵢ·d = 0 where yᵢ > 0 and xᵢ·d ≤ 0
 * where yᵢ = 0 drives the fitted rates of the zero counts to 0: that is the binomial
 * problem with positive counts as mixed rows (y = ½) and zero counts as failures.
 */
export function separationResponse(y: ArrayLike<number>, check: InfiniteEstimateCheck): ArrayLike<number> {
  return check === "logCount" ? Float64Array.from(y as ArrayLike<number>, (v) => (v > 0 ? 0.5 : 0)) : y;
}

/**
 * Whether some MLE of `problem` (response on the family's scale) is infinite: the
 * exact column checks always, and the LP when `options.lp` (and the solver is
 * loaded). A direction the column checks prove is kept even if the LP, within its
 * tolerance, misses it. Never throws for an LP failure: it is reported in `lpError`.
 */
export function checkInfiniteEstimates(
  problem: SeparationProblem, check: InfiniteEstimateCheck,
  /** `declared`: the problem of a model's declaration (weights, y, X already checked there), not re-checked. */
  options: { lp: boolean; aliased?: ArrayLike<number>; declared?: boolean },
): InfiniteEstimateVerdict {
  const yb = separationResponse(problem.y, check);
  const w = problem.weights;
  if (check === "logCount" && !Array.from(yb).some((v, i) => v === 0 && (w === null || w === undefined || w[i]! > 0)))
    return { detected: false, infinite: {}, coverage: "lp", evidence: [] }; // no zero count: Xd = 0 on every row
  const bp: SeparationProblem = { ...problem, y: yb };
  const cols = detectSeparationByColumns(bp, { aliased: options.aliased, declared: options.declared });
  const partial = (lpError?: string): InfiniteEstimateVerdict => ({
    detected: cols.separation ? true : null, infinite: cols.infinite, coverage: "columns", evidence: cols.evidence,
    ...(lpError !== undefined ? { lpError } : {}),
  });
  if (!options.lp) return partial();
  if (!separationReady()) return partial("the LP solver is not loaded (call `await loadLpSolver()` once before fitting)");
  try {
    const lp = detectSeparationSync(bp);
    if (lp.separation) return { detected: true, infinite: lp.infinite, coverage: "lp", evidence: cols.evidence };
    return { detected: cols.separation, infinite: cols.infinite, coverage: "lp", evidence: cols.evidence };
  } catch (err) {
    return partial(`LP check failed: ${(err as Error).message}`);
  }
}

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
 * References: [1] Konis K. (2007) Linear programming algorithms for detecting
 * separated data in binary logistic regression models, DPhil thesis, Oxford.
 * [2] Albert A. & Anderson J.A. (1984) Biometrika 71:1–10 (definitions).
 * [3] Kosmidis I. & Schumacher D., detectseparation: Detect and Check for
 * Separation and Infinite Maximum Likelihood Estimates, R package (CRAN).
 */
import type { Highs, ModelData } from "highs";
import { ArgumentError, DataError, GlmkitError, NumericalError } from "./errors.js";
import { qrKeptColumns } from "./linalg/qr-columns.js";

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

type HighsLoader = () => Promise<Highs>;

let solver: Highs | null = null;
let loading: Promise<Highs> | null = null;

/**
 * Loads the HiGHS WebAssembly solver once (about 50 ms) and caches it; later
 * calls return at once. After it resolves, {@link detectSeparationSync} works.
 * @example await initSeparation(); separationReady() // true
 */
export function initSeparation(): Promise<void> {
  if (loading === null) {
    loading = import("highs")
      .then((m) => {
        // The package's types are CommonJS-flavoured (default under .default.default) while
        // Node's ESM entry exports the loader as the default export: accept both shapes.
        const mod = m as unknown as { default: HighsLoader | { default: HighsLoader } };
        const load = typeof mod.default === "function" ? mod.default : mod.default.default;
        return load();
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

function validate(problem: SeparationProblem): Float64Array {
  const { X, n, p, columnNames, y } = problem;
  if (!Number.isInteger(n) || n < 0) throw new ArgumentError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(p) || p < 0) throw new ArgumentError(`p must be a non-negative integer, got ${p}`);
  if (X.length !== n * p) throw new ArgumentError(`X has ${X.length} entries, expected n × p = ${n} × ${p} = ${n * p}`);
  if (columnNames.length !== p) throw new ArgumentError(`columnNames has ${columnNames.length} names for p = ${p} columns`);
  if (y.length !== n) throw new ArgumentError(`y has length ${y.length}, expected n = ${n}`);
  const w = new Float64Array(n);
  if (problem.weights === undefined || problem.weights === null) {
    w.fill(1);
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
  for (let i = 0; i < n; i++) {
    const yi = y[i]!;
    if (!(yi >= 0 && yi <= 1)) {
      throw new DataError(`y: row ${i + 1} is ${yi}; a binomial response must be a proportion in [0, 1]`, { column: "y", row: i + 1 });
    }
    for (let j = 0; j < p; j++) {
      const v = X[i * p + j]!;
      if (!Number.isFinite(v)) {
        throw new DataError(`X: column "${columnNames[j]}" row ${i + 1} is ${v}`, { column: columnNames[j], row: i + 1 });
      }
    }
  }
  return w;
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

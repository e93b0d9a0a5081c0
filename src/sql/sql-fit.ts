/**
 * Maximum likelihood by IRLS where the rows live in a SQL engine: glm.fit's
 * algorithm (R 4.2, src/library/stats/R/glm.R) step for step — starting values from
 * mustart, one aggregate query per iteration (irls-sql.ts), the p×p solve here
 * (normal-equations.ts), the two step-halving loops, |D − D_old|/(|D| + 0.1) < ε —
 * then what summary.glm reports: SEs, deviance, null deviance (glm's refit of the
 * intercept with the offset when there is one), AIC, Pearson dispersion.
 * Only p-sized data cross into JavaScript, so its memory does not grow with n.
 *
 * The engine is anything that runs a query (`SqlRunner`): DuckDB in
 * src/engines/duckdb; the SQL goes through a dialect (dialect.ts).
 */
import { ArgumentError, DataError, NumericalError } from "../errors.js";
import type { Family } from "../types.js";
import { coefficientTable } from "../fit/inference.js";
import type { MlFit } from "../fit/ml-fit.js";
import type { SqlDialect } from "./dialect.js";
import { sqlFamily, type SqlFamily } from "./family-sql.js";
import { frameSql, levelsQuery, planFormula, sortLevels, type FrameSql, type SqlColumnType, type SqlLevel } from "./formula-sql.js";
import { RowSums } from "./row-sums.js";
import { aName, activeColumns, bName, etaSql, finalQuery, iterationQuery, metaQuery, rawStreamQuery, separationCounts, distinctRowsQuery, fittedQuery, streamQuery, type EtaSource, type FrameQuery } from "./irls-sql.js";
import { solveCrossprod, type CrossprodSolution } from "./normal-equations.js";
import { checkInfiniteEstimates, initSeparation } from "../separation.js";

/** The LP separation check runs when the distinct (design row, class) pairs are at most this many. */
export const SEPARATION_LP_ROWS = 100_000;

/** What the fit needs of an engine. */
export interface SqlRunner {
  readonly dialect: SqlDialect;
  /** The rows of a query, each an object of column values (numbers as JS numbers). */
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
  /** The columns of a FROM item and their types. */
  describe(from: string): Promise<Map<string, SqlColumnType>>;
  /**
   * Optional: streams the rows of `sql` (all DOUBLE columns) chunk by chunk to `onChunk`
   * (n rows, one array per column). With it, `aggregate: "stream"` computes the iteration
   * sums in JavaScript (row-sums.ts) instead of by SQL aggregates.
   */
  stream?(sql: string, onChunk: (n: number, columns: Float64Array[]) => void): Promise<void>;
}

/** One IRLS iteration, as reported to `onIteration` (the CLI prints it on stderr). */
export interface SqlIterationRecord { iteration: number; deviance: number; halvings: number; criterion: number; seconds: number }

export interface SqlFitOptions {
  epsilon?: number;
  maxit?: number;
  /** Starting coefficients (R's start), in the design's column order. */
  start?: Float64Array | null;
  weights?: string | null;
  offset?: string | null;
  onIteration?: (r: SqlIterationRecord) => void;
  /**
   * Where the sums of an iteration are computed: "sql" (default), one aggregate query with
   * η, μ, W, z in SQL (irls-sql.ts); "stream", the engine streams η and the design and the
   * family's JavaScript functions sum them (row-sums.ts), for engines whose aggregates are slow.
   */
  aggregate?: "sql" | "stream";
}

/** The ML fit of the SQL engine: the numbers of summary.glm, as data (the in-memory fit's fields, by the same names). */
export interface SqlMlFit extends Pick<MlFit,
  "coefficients" | "coef" | "covUnscaled" | "dispersion" | "dispersionEstimated" | "deviance" | "nullDeviance" |
  "dfResidual" | "dfNull" | "aic" | "logLik" | "nObs" | "warnings"> {
  formula: string;
  family: string;
  link: string;
  columnNames: string[];
  aliased: Uint8Array;
  rank: number;
  /** Rows of the source dropped by na.omit. */
  naDropped: number;
  iterations: number;
  converged: boolean;
  boundary: boolean;
  history: SqlIterationRecord[];
  /** Aggregate queries run. */
  queries: number;
  /**
   * The SELECT of the fitted values and residuals of every row (irls-sql.ts fittedQuery),
   * valid in the engine session of the fit (a CSV source is a temporary table there).
   */
  fittedQuery: string;
  /**
   * Binomial fits: the separation check. coverage "lp": the LP of src/separation.ts
   * (Konis 2007) on the distinct (design row, class) pairs, run when there are at most
   * 100 000 of them: the in-memory engine's verdict. coverage "columns": only the exact
   * single-column check by aggregates (a column non-zero only on rows of one outcome),
   * which proves an infinite MLE when `detected` but cannot rule one out.
   * Null for other families.
   */
  separation: { detected: boolean; infinite: Record<string, "+Inf" | "-Inf">; coverage: "columns" | "lp" } | null;
}

/** The sums of one iteration query. */
export interface IterationSums { dev: number; invalid: number; ngood: number; zeroVar: number; A: Float64Array; b: Float64Array }

export const num = (v: unknown): number => (v === null || v === undefined ? Number.NaN : typeof v === "bigint" ? Number(v) : Number(v));

/** R's QR tolerance in glm.fit: min(1e-7, epsilon/1000). */
const qrTolerance = (epsilon: number): number => Math.min(1e-7, epsilon / 1000);

/** Counts the queries a fit runs and reads the sums of an iteration query. */
export class Session {
  queries = 0;
  constructor(readonly runner: SqlRunner, public family: Family | null = null, readonly aggregate: "sql" | "stream" = "sql") {
    if (aggregate === "stream" && (runner.stream === undefined || family === null))
      throw new ArgumentError(`aggregate: "stream" needs an engine that streams rows (the ${runner.dialect.name} runner does not)`);
  }
  async one(sql: string): Promise<Record<string, unknown>> {
    this.queries++;
    const rows = await this.runner.rows(sql);
    return rows[0] ?? {};
  }
  async iteration(q: FrameQuery, src: EtaSource): Promise<IterationSums> {
    if (this.aggregate === "stream") return this.streamed(q, src);
    const r = await this.one(iterationQuery(q, src));
    const p = activeColumns(q).length;
    const A = new Float64Array(p * p);
    const b = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      b[j] = num(r[bName(j)]);
      for (let k = j; k < p; k++) A[j * p + k] = A[k * p + j] = num(r[aName(j, k)]);
    }
    return { dev: num(r.dev), invalid: num(r.invalid), ngood: num(r.ngood), zeroVar: num(r.zero_var), A, b };
  }
  streamed(q: FrameQuery, src: EtaSource): Promise<IterationSums> {
    return streamedSums(this, q, src);
  }
}

/**
 * The sums of an iteration from streamed rows, by the family record's functions. At
 * coefficients, the engine streams the unshifted design (the same query every
 * iteration) and η = Σ_j (r_j − c_j)·β_j + offset is computed here, term by term in
 * column order as etaSql writes it; at mustart or an η expression, the engine computes η.
 */
async function streamedSums(s: Session, q: FrameQuery, src: EtaSource): Promise<IterationSums> {
  const cols = activeColumns(q);
  const p = cols.length;
  const sums = new RowSums(s.family!, p);
  s.queries++;
  if (src.kind !== "beta") {
    await s.runner.stream!(streamQuery(q, src), (n, c) => sums.add(n, c[0]!, c[1]!, c[2]!, c[3]!, c.slice(4)));
  } else {
    const shift = cols.map((j) => (q.shift ? q.shift[j]! : 0));
    const beta = src.beta;
    let xs: Float64Array[] = [];
    let eta = new Float64Array(0);
    let filled: Float64Array[] = [];
    const raw = rawStreamQuery(q);
    await s.runner.stream!(raw.sql, (n, streamed) => {
      if (eta.length < n) {
        eta = new Float64Array(n); xs = cols.map(() => new Float64Array(n));
        filled = raw.constants.map((v) => new Float64Array(n).fill(v ?? 0));
      }
      // Items 0 … p+2 (y, w, off, r_j): streamed ones in order, constants from `filled`.
      let next = 0;
      const c = raw.constants.map((v, k) => (v === null ? streamed[next++]! : filled[k]!));
      const off = c[2]!;
      for (let a = 0; a < p; a++) {
        const r = c[3 + a]!, x = xs[a]!, cj = shift[a]!;
        if (cj === 0) x.set(r.subarray(0, n)); else for (let i = 0; i < n; i++) x[i] = r[i]! - cj;
      }
      // η in etaSql's order: the non-zero, non-aliased terms left to right, then the offset.
      let first = true;
      for (let a = 0; a < p; a++) {
        const b = beta[a]!;
        if (Number.isNaN(b) || b === 0) continue;
        const x = xs[a]!;
        if (first) { for (let i = 0; i < n; i++) eta[i] = x[i]! * b; first = false; } else for (let i = 0; i < n; i++) eta[i] = eta[i]! + x[i]! * b;
      }
      if (first) eta.set(off.subarray(0, n)); else for (let i = 0; i < n; i++) eta[i] = eta[i]! + off[i]!;
      sums.add(n, eta, c[0]!, c[1]!, off, xs);
    });
  }
  return { dev: sums.dev, invalid: sums.invalid, ngood: sums.ngood, zeroVar: sums.zeroVar, A: sums.symmetric(), b: sums.b };
}

export interface IrlsRun {
  beta: Float64Array;
  final: EtaSource;
  /** Where the weights of the last solve were computed (R's fit$weights). */
  previous: EtaSource;
  solution: CrossprodSolution | null;
  deviance: number;
  iterations: number;
  converged: boolean;
  boundary: boolean;
  warnings: string[];
  history: SqlIterationRecord[];
}

/** glm.fit's loop over the engine, from `start` (mustart, or coefficients with `coefold` = them). */
export async function runIrls(s: Session, q: FrameQuery, start: EtaSource, opts: SqlFitOptions): Promise<IrlsRun> {
  const epsilon = opts.epsilon ?? 1e-8;
  const maxit = opts.maxit ?? 25;
  const tol = qrTolerance(epsilon);
  const p = activeColumns(q).length;
  let cur = start;
  let st = await s.iteration(q, cur);
  if (st.invalid > 0) throw new NumericalError("cannot find valid starting values: please specify some (start, etastart or mustart)");
  let coefold: Float64Array | null = start.kind === "beta" ? Float64Array.from(start.beta) : null;
  let beta = new Float64Array(p);
  let devold = st.dev;
  let previous: EtaSource = cur;
  let solution: CrossprodSolution | null = null;
  let converged = false;
  let boundary = false;
  let iterations = 0;
  const warnings: string[] = [];
  const history: SqlIterationRecord[] = [];
  const t0 = Date.now();
  for (let iter = 1; iter <= maxit; iter++) {
    iterations = iter;
    if (st.zeroVar > 0) throw new NumericalError("0s in V(mu)");
    if (st.ngood === 0) { warnings.push(`no observations informative at iteration ${iter}`); break; }
    const sol = solveCrossprod(st.A, st.b, p, tol);
    if (sol.coef.some((c, j) => !sol.aliased[j] && !Number.isFinite(c))) { warnings.push(`non-finite coefficients at iteration ${iter}`); break; }
    if (st.ngood < sol.rank) throw new DataError(`X matrix has rank ${sol.rank}, but only ${st.ngood} observations`);
    solution = sol;
    previous = cur;
    beta = Float64Array.from(sol.coef, (c) => (Number.isNaN(c) ? 0 : c));
    let next = await s.iteration(q, { kind: "beta", beta });
    let halvings = 0;
    const halve = async (ok: () => boolean, warning: string, error: string): Promise<void> => {
      if (ok()) return;
      if (coefold === null) throw new NumericalError("no valid set of coefficients has been found: please supply starting values");
      warnings.push(warning);
      for (let ii = 1; !ok(); ii++) {
        if (ii > maxit) throw new NumericalError(error);
        for (let j = 0; j < p; j++) beta[j] = (beta[j]! + coefold[j]!) / 2;
        next = await s.iteration(q, { kind: "beta", beta });
        halvings++;
      }
      boundary = true;
    };
    await halve(() => Number.isFinite(next.dev), "step size truncated due to divergence",
      "inner loop 1; cannot correct step size: the deviance stayed non-finite however far the step was halved (give start, try another link, or check the response and the predictors for extreme values)");
    await halve(() => next.invalid === 0, "step size truncated: out of bounds",
      "inner loop 2; cannot correct step size: the linear predictor or mean stayed outside the family's domain however far the step was halved (give start, or try another link)");
    cur = { kind: "beta", beta: Float64Array.from(beta) };
    st = next;
    const criterion = Math.abs(st.dev - devold) / (Math.abs(st.dev) + 0.1);
    const rec = { iteration: iter, deviance: st.dev, halvings, criterion, seconds: (Date.now() - t0) / 1000 };
    history.push(rec);
    opts.onIteration?.(rec);
    if (criterion < epsilon) { converged = true; break; }
    devold = st.dev;
    coefold = Float64Array.from(beta);
  }
  if (!converged) warnings.push("algorithm did not converge");
  if (boundary) warnings.push("algorithm stopped at boundary value");
  return { beta, final: cur, previous, solution, deviance: st.dev, iterations, converged, boundary, warnings, history };
}

/** Reads the factor levels the formula needs (one SELECT DISTINCT each). */
async function readLevels(s: Session, plan: ReturnType<typeof planFormula>, from: string, d: SqlDialect): Promise<Map<number, SqlLevel[]>> {
  const levels = new Map<number, SqlLevel[]>();
  for (const i of plan.factorIndices) {
    s.queries++;
    const rows = await s.runner.rows(levelsQuery(plan, i, from, d));
    levels.set(i, sortLevels(plan, i, rows.map((r) => r.level as string | number | boolean), d));
  }
  return levels;
}

/** β and (XᵀWX)⁻¹ of the shifted design back on the original columns: β₀ = β̃₀ − Σ c_j β̃_j. */
export function unshift(sol: Pick<CrossprodSolution, "coef" | "covUnscaled" | "aliased">, shift: Float64Array | null, p: number): { coef: Float64Array; cov: Float64Array } {
  const coef = Float64Array.from(sol.coef);
  const cov = Float64Array.from(sol.covUnscaled);
  if (shift === null || sol.aliased[0]) return { coef, cov };
  // T = I with row 0 = (1, −c₁, …, −c_{p−1}) on the kept columns; cov = T C̃ Tᵀ.
  const t = Float64Array.from(shift, (c, j) => (j === 0 ? 1 : sol.aliased[j] ? 0 : -c));
  let b0 = 0;
  for (let j = 0; j < p; j++) if (!sol.aliased[j]) b0 += t[j]! * sol.coef[j]!;
  coef[0] = b0;
  const row0 = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    if (sol.aliased[k]) continue;
    let s = 0;
    for (let j = 0; j < p; j++) if (!sol.aliased[j]) s += t[j]! * sol.covUnscaled[j * p + k]!;
    row0[k] = s;
  }
  let c00 = 0;
  for (let k = 0; k < p; k++) if (!sol.aliased[k]) c00 += row0[k]! * t[k]!;
  for (let k = 1; k < p; k++) if (!sol.aliased[k]) { cov[k] = row0[k]!; cov[k * p] = row0[k]!; }
  cov[0] = c00;
  return { coef, cov };
}

/** A model read against the engine: the frame query (shifted when `shift`), its family, the frame's meta sums. */
export interface PreparedSqlModel {
  s: Session;
  q: FrameQuery;
  sfam: SqlFamily;
  frame: FrameSql;
  meta: Record<string, unknown>;
  naDropped: number;
}

/**
 * Reads the formula against the source (column types, factor levels), builds the
 * frame query and runs the meta query with its checks (rows left, support of y,
 * weights). `shifted`: centre the design columns when there is an intercept.
 */
export async function prepareSqlModel(
  runner: SqlRunner, from: string, formula: string, family: Family, opts: SqlFitOptions, shifted: boolean,
): Promise<PreparedSqlModel> {
  const d = runner.dialect;
  const s = new Session(runner, family, opts.aggregate ?? "sql");
  const sfam: SqlFamily = sqlFamily(family, d);
  const types = await runner.describe(from);
  const plan = planFormula(formula, types, d, { weights: opts.weights, offset: opts.offset });
  const levels = await readLevels(s, plan, from, d);
  const frame: FrameSql = frameSql(plan, levels, d, family.proportionResponse);
  const p = frame.x.length;
  const base: FrameQuery = { d, family: sfam, frame, from, shift: null };
  const meta = await s.one(metaQuery(base, from));
  const nFrame = num(meta.n_frame);
  const naDropped = num(meta.n_source) - nFrame;
  if (nFrame === 0) throw new DataError(`no rows left to fit: ${naDropped} of ${num(meta.n_source)} rows have a missing value in a column the model uses`);
  if (num(meta.n_bad_y) > 0) throw new DataError(`y must be ${sfam.support.text} for the ${family.name} family; ${num(meta.n_bad_y)} row(s) of ${frame.responseName} are not`, { column: frame.responseName });
  if (num(meta.n_neg_w) > 0 || num(meta.n_bad_w) > 0) throw new DataError(`weights must be finite and non-negative; ${num(meta.n_neg_w) + num(meta.n_bad_w)} row(s) are not`);
  const shift = shifted && frame.hasIntercept ? Float64Array.from({ length: p }, (_, j) => (j === 0 ? 0 : num(meta[`mean_${j}`]))) : null;
  // R's binomial aic takes the trials when any row has more than one, else the weights.
  const m = frame.trials !== null && num(meta.max_m) > 1 ? frame.trials : null;
  const q: FrameQuery = { ...base, frame: { ...frame, trials: m }, shift };
  return { s, q, sfam, frame, meta, naDropped };
}

/**
 * Fits `formula` to the rows of `from` (a FROM item of the runner's dialect) by
 * maximum likelihood. The family is a record built by makeFamily (its recipe
 * names the family and link, which sqlFamily translates).
 */
export async function fitSql(runner: SqlRunner, from: string, formula: string, family: Family, opts: SqlFitOptions = {}): Promise<SqlMlFit> {
  const prep = await prepareSqlModel(runner, from, formula, family, opts, true);
  const run = await runIrls(prep.s, prep.q, startOf(prep.q, opts), opts);
  return finishSqlFit(prep, prep.q, family, formula, run, opts);
}

/** R's start as an η source on the (shifted) design: coefficients when given, else mustart. */
export function startOf(q: FrameQuery, opts: SqlFitOptions): EtaSource {
  if (!opts.start) return { kind: "mustart" };
  const p = q.frame.x.length;
  if (opts.start.length !== p) throw new DataError(`start has length ${opts.start.length}, but the design has ${p} columns`);
  const b = Float64Array.from(opts.start);
  if (q.shift) for (let j = 1; j < p; j++) b[0] = b[0]! + q.shift[j]! * opts.start[j]!;
  return { kind: "beta", beta: b };
}

/** The design with a constant column appended and only it active: glm's intercept-only refit. */
export function interceptOnly(q: FrameQuery): FrameQuery {
  const p = q.frame.x.length;
  return { ...q, frame: { ...q.frame, x: [...q.frame.x, q.d.num(1)] }, shift: q.shift ? Float64Array.from([...q.shift, 0]) : null, columns: [p] };
}

/** What a caller (the negative binomial's alternation) replaces in the finished fit. */
export interface FinishOverrides {
  /** The null deviance computed by the caller (skips glm's refit). */
  nullDeviance?: number;
  /** The AIC and log-likelihood computed by the caller. */
  aic?: { aic: number; logLik: number };
}

/**
 * The numbers of summary.glm after IRLS: the final query (Pearson sum, AIC pieces,
 * counts, the null deviance or glm's intercept refit, the separation counts), then SEs,
 * dispersion and the coefficient table. `q` carries the family of the run.
 */
export async function finishSqlFit(
  prep: PreparedSqlModel, q: FrameQuery, family: Family, formula: string, run: IrlsRun, opts: SqlFitOptions, over: FinishOverrides = {},
): Promise<SqlMlFit> {
  const { s, frame, meta, naDropped } = prep;
  const d = q.d;
  const sfam = q.family;
  const p = frame.x.length;
  const shift = q.shift;
  const warnings = [...run.warnings];
  if (naDropped > 0) warnings.unshift(`${naDropped} observation${naDropped === 1 ? "" : "s"} deleted due to missingness`);

  // Null deviance: the weighted mean (intercept, no offset), μ = g⁻¹(offset) (no intercept), or glm's refit of the intercept.
  const hasOffset = frame.offset !== null;
  const nullMu = over.nullDeviance !== undefined ? null : frame.hasIntercept && !hasOffset ? d.num(num(meta.sum_wy) / num(meta.sum_w)) : !frame.hasIntercept ? sfam.link.linkinv("off") : null;
  const checkSeparation = family.infiniteEstimateCheck === "binomial" && run.solution !== null;
  const fin = await s.one(finalQuery(q, run.final, run.previous, nullMu, checkSeparation));
  let nullDeviance = over.nullDeviance ?? num(fin.null_dev);
  if (nullMu === null && over.nullDeviance === undefined) {
    const etaFinal = etaSql(q, run.final);
    const nf = await runIrls(s, interceptOnly(q), { kind: "fitted", eta: etaFinal }, { ...opts, onIteration: undefined, start: null });
    nullDeviance = nf.deviance;
    if (!nf.converged) warnings.push("fitting to calculate the null deviance did not converge -- increase maxit?");
  }

  const sol = run.solution;
  const rank = sol ? sol.rank : 0;
  const nObs = num(fin.n_obs);
  const nRows = num(fin.n_rows);
  const dfResidual = nObs - rank;
  const dfNull = nObs - (frame.hasIntercept ? 1 : 0);
  const dispersionEstimated = family.dispersion === "estimated";
  const dispersion = dispersionEstimated ? (dfResidual > 0 ? num(fin.pearson) / dfResidual : Number.NaN) : 1;
  if (dispersionEstimated && nObs < nRows) warnings.push("observations with zero weight not used for calculating dispersion");
  if (sfam.boundary && num(fin.n_boundary) > 0) warnings.push(sfam.boundary.warning);
  let aic = Number.NaN;
  let logLik = Number.NaN;
  if (over.aic) {
    ({ aic, logLik } = over.aic);
  } else if (sfam.aic) {
    const sums: Record<string, number> = {};
    for (const k of Object.keys(fin)) if (k.startsWith("aic_")) sums[k.slice(4)] = num(fin[k]);
    aic = sfam.aic.value(sums, run.deviance, nRows) + 2 * rank;
    logLik = rank + (family.dispersionModel !== null ? 1 : 0) - aic / 2;
  }
  let separation: SqlMlFit["separation"] = null;
  if (checkSeparation && sol) {
    const r = fin;
    const infinite: Record<string, "+Inf" | "-Inf"> = {};
    for (let j = 0; j < p; j++) {
      if (sol.aliased[j]) continue;
      const { pos, neg, mixed } = separationCounts(r, j, num);
      if (mixed === 0 && pos > 0 && neg === 0) infinite[frame.columnNames[j]!] = "+Inf";
      if (mixed === 0 && neg > 0 && pos === 0) infinite[frame.columnNames[j]!] = "-Inf";
    }
    separation = { detected: Object.keys(infinite).length > 0, infinite, coverage: "columns" };
    // The LP (Konis 2007, src/separation.ts) on the distinct design rows when they are few enough.
    if (num(r.sep_distinct) <= SEPARATION_LP_ROWS * 1.2) {
      s.queries++;
      const rows = await s.runner.rows(distinctRowsQuery(q, SEPARATION_LP_ROWS));
      if (rows.length <= SEPARATION_LP_ROWS) {
        const X = new Float64Array(rows.length * p);
        rows.forEach((row, i) => { for (let j = 0; j < p; j++) X[i * p + j] = num(row[`r${j}`]); });
        const y = Float64Array.from(rows, (row) => num(row.sep_cls));
        await initSeparation();
        const v = checkInfiniteEstimates({ X, n: rows.length, p, columnNames: frame.columnNames, y, weights: null }, "binomial", { lp: true, aliased: sol.aliased });
        if (v.coverage === "lp") separation = { detected: v.detected === true, infinite: v.infinite, coverage: "lp" };
      }
    }
    const { detected, infinite: inf } = separation;
    if (detected) warnings.push(`separation detected: the maximum-likelihood estimate does not exist (${Object.entries(inf).map(([k, v]) => `${k}: ${v}`).join(", ")}); the estimates shown are where IRLS stopped`);
  }
  const { coef, cov } = sol ? unshift(sol, shift, p) : { coef: new Float64Array(p).fill(NaN), cov: new Float64Array(p * p).fill(NaN) };
  const aliased = sol ? sol.aliased : new Uint8Array(p).fill(1);
  const coefficients = coefficientTable(frame.columnNames, coef, aliased, cov.map((v) => v * dispersion), dispersionEstimated, dfResidual);
  return {
    formula, family: family.name, link: family.link.name, columnNames: frame.columnNames, coefficients, coef, aliased, rank,
    covUnscaled: cov, dispersion, dispersionEstimated, deviance: run.deviance, nullDeviance, dfResidual, dfNull, aic, logLik,
    nObs, naDropped, iterations: run.iterations, converged: run.converged, boundary: run.boundary, warnings, history: run.history,
    queries: s.queries, separation, fittedQuery: fittedQuery(q, run.final),
  };
}

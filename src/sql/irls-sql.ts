/**
 * The queries of IRLS by SQL aggregates. Each iteration of glm.fit needs, at the
 * current β, only sums over rows: the deviance Σ w·d(y, μ), whether η and μ are
 * valid, and the weighted least-squares cross-products XᵀWX (upper triangle) and
 * XᵀWz with W = w·μ′(η)²/V(μ) and z = η − offset + (y − μ)/μ′(η) over R's "good"
 * rows (w > 0, μ′(η) ≠ 0). One aggregate query returns them all; the p×p solve is
 * done by the caller (normal-equations.ts).
 *
 * The design columns are shifted by constants c_j (their means) when the model has
 * an intercept: an exact reparametrisation (the intercept absorbs Σ c_j β_j) that
 * keeps the cross-products as well conditioned as the QR of the in-memory engine.
 */
import type { SqlDialect } from "./dialect.js";
import type { SqlFamily } from "./family-sql.js";
import type { FrameSql } from "./formula-sql.js";

/** Where η comes from: R's mustart (first iteration), coefficients on the (shifted) design, or an expression of the frame. */
export type EtaSource =
  | { readonly kind: "mustart" }
  | { readonly kind: "beta"; readonly beta: Float64Array }
  /** R's mustart = the fitted values of another fit: η = g(g⁻¹(eta)), `eta` an expression of the frame (computed in layers). */
  | { readonly kind: "fitted"; readonly eta: string };

export interface FrameQuery {
  readonly d: SqlDialect;
  readonly family: SqlFamily;
  readonly frame: FrameSql;
  /** The FROM item of the rows. */
  readonly from: string;
  /** Shift of each design column (0 for the intercept); null: none. */
  readonly shift: Float64Array | null;
  /** The design columns that take part in the least-squares step (default: all), in order. */
  readonly columns?: readonly number[];
}

/** The design columns of the step. */
export function activeColumns(q: FrameQuery): readonly number[] {
  return q.columns ?? q.frame.x.map((_, j) => j);
}

const col = (j: number): string => `x${j}`;

/** The model frame as a CTE body: x0 … x{p−1}, y, w, off, m (trials), ms (mustart). */
export function frameSelect(q: FrameQuery): string {
  const { d, frame, family, shift } = q;
  const raw = [
    `${frame.y} AS y`, `${frame.w} AS w`, `${frame.offset ?? d.num(0)} AS off`,
    ...(frame.trials ? [`${frame.trials} AS m_raw`] : []),
    ...(frame.mustart ? [`${frame.mustart} AS ms_raw`] : []),
    ...frame.x.map((sql, j) => `${sql} AS r${j}`),
  ];
  const inner = `SELECT ${raw.join(", ")} FROM ${q.from} WHERE ${frame.where}`;
  // Two layers: the raw frame (r_j, y, w, off), then the shifted columns, trials and mustart built on y and w.
  const shifted = frame.x.map((_, j) => `${shift && shift[j] !== 0 ? `(r${j} - ${d.num(shift[j]!)})` : `r${j}`} AS ${col(j)}`);
  const ms = frame.mustart ? "ms_raw" : family.startMu("y", "w");
  const rawCols = frame.x.map((_, j) => `r${j}`);
  return `SELECT ${[...shifted, ...rawCols, "y", "w", "off", `${frame.trials ? "m_raw" : "w"} AS m`, `${ms} AS ms`].join(", ")} FROM (${inner}) AS raw_frame`;
}

/** η of a source as a SQL expression over the frame's columns. */
export function etaSql(q: FrameQuery, src: EtaSource): string {
  const { d, family } = q;
  if (src.kind === "mustart") return family.link.linkfun("ms");
  if (src.kind === "fitted") return family.link.linkfun("mu_fitted");
  const terms: string[] = [];
  const cols = activeColumns(q);
  src.beta.forEach((b, a) => { if (!Number.isNaN(b) && b !== 0) terms.push(`${col(cols[a]!)} * ${d.num(b)}`); });
  return terms.length === 0 ? "off" : `${terms.join(" + ")} + off`;
}

/**
 * The FROM item of η at `src`: the frame CTE, or for fitted values the frame with
 * eta_fitted and mu_fitted = g⁻¹(eta_fitted) as columns (so that g(g⁻¹(η)) is not one
 * expression nested in another: probit's Φ⁻¹ of Φ would repeat η thousands of times).
 */
export function etaFrom(q: FrameQuery, src: EtaSource): string {
  if (src.kind !== "fitted") return "frame";
  return `(SELECT *, ${q.family.link.linkinv("eta_fitted")} AS mu_fitted FROM (SELECT *, ${src.eta} AS eta_fitted FROM frame) AS t_fitted) AS t_mu_fitted`;
}

/** The rows with η, μ, μ′(η), V(μ), R's good, W and z at `src`, as a subquery body over the frame CTE `frame`. */
function workingRows(q: FrameQuery, src: EtaSource): string {
  const { family } = q;
  const link = family.link;
  const withEta = `SELECT *, ${etaSql(q, src)} AS eta FROM ${etaFrom(q, src)}`;
  const withMu = `SELECT *, ${link.linkinv("eta")} AS mu, ${link.muEta("eta")} AS me FROM (${withEta}) AS t_eta`;
  const withV = `SELECT *, ${family.variance("mu")} AS v, (w > 0 AND me <> 0) AS good FROM (${withMu}) AS t_mu`;
  return `SELECT *, (CASE WHEN good THEN w * me * me / v ELSE 0 END) AS ww, (CASE WHEN good THEN (eta - off) + (y - mu) / me ELSE 0 END) AS z FROM (${withV}) AS t_v`;
}

/** Names of the cross-product aggregates: a_j_k (j ≤ k) and b_j. */
export const aName = (j: number, k: number): string => `a_${j}_${k}`;
export const bName = (j: number): string => `b_${j}`;

/**
 * The one aggregate query of an iteration at `src`: dev, invalid (rows with η or μ
 * outside the family's domain), ngood, zero_var (good rows with V(μ) = 0), the
 * upper triangle of XᵀWX and XᵀWz.
 */
export function iterationQuery(q: FrameQuery, src: EtaSource): string {
  const { family } = q;
  const cols = activeColumns(q);
  const p = cols.length;
  const sums = [
    `SUM(${family.devResid("y", "mu", "w")}) AS dev`,
    `SUM(CASE WHEN ${family.link.validEta("eta")} AND ${family.validMu("mu")} THEN 0 ELSE 1 END) AS invalid`,
    "SUM(CASE WHEN good THEN 1 ELSE 0 END) AS ngood",
    "SUM(CASE WHEN w > 0 AND v = 0 THEN 1 ELSE 0 END) AS zero_var",
  ];
  for (let j = 0; j < p; j++) for (let k = j; k < p; k++) sums.push(`SUM(ww * ${col(cols[j]!)} * ${col(cols[k]!)}) AS ${aName(j, k)}`);
  for (let j = 0; j < p; j++) sums.push(`SUM(ww * z * ${col(cols[j]!)}) AS ${bName(j)}`);
  return `WITH frame AS (${frameSelect(q)}) SELECT ${sums.join(", ")} FROM (${workingRows(q, src)}) AS rows_w`;
}

/**
 * The query at the fit: the Pearson sum Σ W_old·((y − μ)/μ′(η))² of summary.glm
 * (R's working weights of the last iteration, at `previous`, times the working
 * residuals at the final η), the family's AIC aggregates, the boundary count,
 * the counts of rows, and the null deviance pieces for a model without intercept
 * or offset refit (Σ w·d(y, μ₀) at the constant `nullMu` SQL expression of the frame).
 */
export function finalQuery(q: FrameQuery, final: EtaSource, previous: EtaSource, nullMu: string | null, separation = false): string {
  const { family, d } = q;
  const link = family.link;
  const sums: string[] = [
    `SUM(CASE WHEN good_old THEN ww_old * ((y - mu) / me) * ((y - mu) / me) ELSE 0 END) AS pearson`,
    `COUNT(*) AS n_rows`,
    `SUM(CASE WHEN w <> 0 THEN 1 ELSE 0 END) AS n_obs`,
    `SUM(w) AS sum_w`,
    `SUM(${family.devResid("y", "mu", "w")}) AS dev`,
  ];
  if (family.boundary) sums.push(`SUM(CASE WHEN ${family.boundary.near("mu")} THEN 1 ELSE 0 END) AS n_boundary`);
  if (nullMu !== null) sums.push(`SUM(${family.devResid("y", `(${nullMu})`, "w")}) AS null_dev`);
  if (family.aic) for (const [k, v] of Object.entries(family.aic.aggregates(d))) sums.push(`${v} AS aic_${k}`);
  if (separation) sums.push(...separationSums(q.frame.x.length));
  const old = `SELECT *, ${etaSql(q, previous)} AS eta_old, ${etaSql(q, final)} AS eta FROM ${etaFrom(q, previous.kind === "fitted" ? previous : final)}`;
  const withMu = `SELECT *, ${link.linkinv("eta_old")} AS mu_old, ${link.muEta("eta_old")} AS me_old, ${link.linkinv("eta")} AS mu, ${link.muEta("eta")} AS me FROM (${old}) AS t_eta`;
  const withW = `SELECT *, ${separation ? `${separationColumns(d)}, ` : ""}(w > 0 AND me_old <> 0) AS good_old, (CASE WHEN w > 0 AND me_old <> 0 THEN w * me_old * me_old / ${family.variance("mu_old")} ELSE 0 END) AS ww_old FROM (${withMu}) AS t_mu`;
  return `WITH frame AS (${frameSelect(q)}) SELECT ${sums.join(", ")} FROM (${withW}) AS rows_f`;
}

/**
 * The query before the fit: rows in the source and in the frame, Σw, Σw·y (the
 * weighted mean of the null model), the largest number of trials, rows outside
 * the family's support of y, negative weights, and each design column's mean
 * (the shift).
 */
export function metaQuery(q: FrameQuery, sourceFrom: string): string {
  const { family } = q;
  const p = q.frame.x.length;
  const sums = [
    `(SELECT COUNT(*) FROM ${sourceFrom}) AS n_source`,
    "COUNT(*) AS n_frame", "SUM(w) AS sum_w", "SUM(w * y) AS sum_wy", "MAX(m) AS max_m",
    `SUM(CASE WHEN ${family.support.holds("y")} THEN 0 ELSE 1 END) AS n_bad_y`,
    "SUM(CASE WHEN w < 0 THEN 1 ELSE 0 END) AS n_neg_w",
    "SUM(CASE WHEN NOT (abs(w) < 'Infinity'::DOUBLE) THEN 1 ELSE 0 END) AS n_bad_w",
  ].map((s) => (q.d.name === "duckdb" ? s : s.replace("'Infinity'::DOUBLE", q.d.num(Infinity))));
  for (let j = 0; j < p; j++) sums.push(`AVG(x${j}) AS mean_${j}`);
  return `WITH frame AS (${frameSelect({ ...q, shift: null })}) SELECT ${sums.join(", ")} FROM frame`;
}

/**
 * The exact column check of src/separation.ts, (a), by aggregates (in the final
 * query): over rows of positive weight, for each design column j (unshifted), the
 * rows where x_j ≠ 0 with sign(x_j)·class = +1 (class +1 for y = 1, −1 for y = 0),
 * with −1, and with a mixed response (0 < y < 1). Column j alone is a direction of
 * recession when one of the first two counts is 0, the other positive and the third 0.
 * Written without a CASE per column (three CASEs per row, in the row projection
 * `separationColumns`): with c = class on rows of positive weight (else 0), g₁ = 1 on
 * those rows with class ±1 and g₀ = 1 on those with a mixed response,
 * t_j = Σ sign(x_j)·c, a_j = Σ |sign(x_j)|·g₁, mixed_j = Σ |sign(x_j)|·g₀, and the
 * counts are (a_j + t_j)/2 and (a_j − t_j)/2 (exact: integers below 2⁵³).
 */
function separationSums(p: number): string[] {
  // The approximate number of distinct (design row, class) pairs of positive weight (HyperLogLog of row hashes):
  // whether the LP check on the distinct rows is affordable (distinctRowsQuery).
  const rowHash = `hash(${[...Array.from({ length: p }, (_, j) => `r${j}`), "sep_cls"].join(", ")})`;
  const sums: string[] = [`approx_count_distinct(CASE WHEN w > 0 THEN ${rowHash} END) AS sep_distinct`];
  for (let j = 0; j < p; j++) {
    const x = `r${j}`;
    sums.push(`SUM(sign(${x}) * sep_c) AS sep_t_${j}`, `SUM(abs(sign(${x})) * sep_g1) AS sep_a_${j}`, `SUM(abs(sign(${x})) * sep_g0) AS sep_mixed_${j}`);
  }
  return sums;
}

/** The response class of the LP check (src/separation.ts): 1 success, 0 failure, ½ a mixed row (counted as both). */
const sepClass = (d: SqlDialect): string => `(CASE WHEN y = 1 THEN ${d.num(1)} WHEN y = 0 THEN ${d.num(0)} ELSE ${d.num(0.5)} END)`;

/** The per-row columns of separationSums: c, g₁, g₀ and the LP class. */
function separationColumns(d: SqlDialect): string {
  const cls = "(CASE WHEN y = 1 THEN 1 WHEN y = 0 THEN -1 ELSE 0 END)";
  return `${sepClass(d)} AS sep_cls, (CASE WHEN w > 0 THEN ${cls} ELSE 0 END) AS sep_c, (CASE WHEN w > 0 AND (y = 1 OR y = 0) THEN ${d.num(1)} ELSE ${d.num(0)} END) AS sep_g1, (CASE WHEN w > 0 AND y > 0 AND y < 1 THEN ${d.num(1)} ELSE ${d.num(0)} END) AS sep_g0`;
}

/**
 * The distinct (unshifted design row, class) pairs of positive weight, at most `limit` + 1 of
 * them: the LP of src/separation.ts on these rows has the same cone of separating directions
 * X̄β ≥ 0 as on all rows (a repeated row repeats a constraint).
 */
export function distinctRowsQuery(q: FrameQuery, limit: number): string {
  const cols = q.frame.x.map((_, j) => `r${j}`);
  return `WITH frame AS (${frameSelect(q)}) SELECT DISTINCT ${[...cols, "sep_cls"].join(", ")} FROM (SELECT *, ${sepClass(q.d)} AS sep_cls FROM frame WHERE w > 0) AS t_sep LIMIT ${limit + 1}`;
}

/** The separation counts of column j from a final-query row: rows of each sign·class and of a mixed response. */
export function separationCounts(r: Record<string, unknown>, j: number, num: (v: unknown) => number): { pos: number; neg: number; mixed: number } {
  const t = num(r[`sep_t_${j}`]), a = num(r[`sep_a_${j}`]);
  return { pos: (a + t) / 2, neg: (a - t) / 2, mixed: num(r[`sep_mixed_${j}`]) };
}

/** The rows streamed for the JavaScript sums: η at `src`, y, w, off and the active design columns, all DOUBLE. */
export function streamQuery(q: FrameQuery, src: EtaSource): string {
  const cols = activeColumns(q).map((j) => col(j));
  const items: Array<[string, string]> = [[etaSql(q, src), "eta"], ["y", "y"], ["w", "w"], ["off", "off"], ...cols.map((c): [string, string] => [c, c])];
  return `WITH frame AS (${frameSelect(q)}) SELECT ${items.map(([e, name]) => `${q.d.double(e)} AS ${name}`).join(", ")} FROM ${etaFrom(q, src)}`;
}

/**
 * The rows streamed when η is computed in JavaScript from coefficients: y, w, off and the
 * active design columns unshifted (r_j), all DOUBLE, less the constant ones (`constants[k]`
 * is the value of item k when it is a constant and not streamed, else null). The same text at every iteration:
 * the engine only scans the source and builds the design; the shift, η and the sums are
 * done by the caller (sql-fit.ts, row-sums.ts).
 */
export function rawStreamQuery(q: FrameQuery): { sql: string; constants: Array<number | null> } {
  const { d, frame } = q;
  const cols = activeColumns(q);
  // Constant columns (unit weights, no offset, the intercept) are not streamed: the caller fills them.
  const constOf = (sql: string | null, absent: number): number | null => (sql === null ? absent : sql === d.num(1) ? 1 : sql === d.num(0) ? 0 : null);
  const constants = [null, constOf(frame.w, 1), constOf(frame.offset, 0), ...cols.map((j) => constOf(frame.x[j]!, 0))];
  const items = ["y", "w", "off", ...cols.map((j) => `r${j}`)].filter((_, k) => constants[k] === null);
  return { sql: `WITH frame AS (${frameSelect(q)}) SELECT ${items.map((e) => `${d.double(e)} AS ${e}`).join(", ")} FROM frame`, constants };
}

/**
 * The fitted values and R's four residuals (residuals.glm) of every row of the model
 * frame (na.omit's rows, in the source's order) at `final`: eta (with the offset), mu,
 * and resid_response y − μ, resid_working (y − μ)/μ′(η), resid_pearson (y − μ)√w/√V(μ),
 * resid_deviance sign(y − μ)·√max(w·d(y, μ), 0). y and w are the frame's: a cbind
 * response is the proportion of successes with the trials as weights, as in memory.
 */
export function fittedQuery(q: FrameQuery, final: EtaSource): string {
  const { family } = q;
  const link = family.link;
  const withEta = `SELECT *, ${etaSql(q, final)} AS eta FROM ${etaFrom(q, final)}`;
  const withMu = `SELECT *, ${link.linkinv("eta")} AS mu, ${link.muEta("eta")} AS me FROM (${withEta}) AS t_eta`;
  const cols = [
    "eta", "mu", "(y - mu) AS resid_response", "(y - mu) / me AS resid_working",
    `(y - mu) * sqrt(w) / sqrt(${family.variance("mu")}) AS resid_pearson`,
    `sign(y - mu) * sqrt(greatest(${family.devResid("y", "mu", "w")}, 0)) AS resid_deviance`,
  ];
  return `WITH frame AS (${frameSelect(q)}) SELECT ${cols.join(", ")} FROM (${withMu}) AS t_mu`;
}

/**
 * Multinomial (softmax) GLMs: `glm({ formula, data, family: "multinomial", ref })`.
 *
 * The response is a factor with K ≥ 2 levels (its levels in the rows used, R's
 * drop.unused.levels; a numeric column is read as a factor of its sorted values, as
 * `factor(gear)`), or a count matrix `cbind(a, b, c) ~ x` of column names (row totals
 * are the trials). The reference category is the first level (nnet::multinom,
 * VGAM::multinomial(refLevel = 1)) unless `ref` names another. Prior weights are
 * frequency weights: they multiply the counts.
 *
 * R equivalent: nnet::multinom(f, data, weights) and VGAM::vglm(f, multinomial(refLevel = 1), data, weights).
 */
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { ArgumentError, DataError, FamilyError, FormulaError, ImproperPosteriorError, PriorError } from "../src/errors.js";
import { autoscale, flat, normal, parsePrior, type CoefficientPrior, type CoefficientScalarPrior } from "../src/priors/index.js";
import { multinomialLogPosterior, multinomialMap, priorsPerCoefficient, type MultinomialPriors } from "../src/multinomial/posterior.js";
import { sampleSync, type SampleResult } from "../samplers/sample.js";
import { checkSeed, createRng } from "../samplers/rng.js";
import { summarizeDraws, type SummaryRow } from "../samplers/diagnostics/summary.js";
import { psisLoo, type LooResult } from "../samplers/diagnostics/loo.js";
import gammaln from "@stdlib/math-base-special-gammaln";
import { modelFrame, type ColumnTypes, type ContrastSpec, type ModelFrame } from "../src/formula/index.js";
import { toDataTable } from "../src/data/table.js";
import { withColumnTypes } from "../src/formula/column-types.js";
import type { DataInput, DataTable } from "../src/data/index.js";
import { LP_AUTO_LIMIT, separationReady } from "../src/separation.js";
import { assembleRecord, fitMultinomial, multinomialNames, nonReference, prepareMultinomial, type MultinomialCoefficient, type MultinomialFitRecord, type NamedMultinomialProblem } from "../src/multinomial/fit.js";
import { multinomialLrTest, multinomialPredict, multinomialProfile, type LrTestRow, type ProfileBound } from "../src/multinomial/inference.js";
import { biasReducedMultinomial } from "../src/multinomial/bias-reduction.js";
import { penalizedProfile } from "../src/multinomial/penalized-profile.js";
import type { SavedMultinomialJson } from "./multinomial-saved.js";
import { compareIntervalSets, type IntervalComparison } from "../src/intervals/compare.js";
import type { IntervalMethod, IntervalSet } from "../src/intervals/types.js";
import { pooledDraws, posteriorIntervals } from "../src/intervals/posterior-intervals.js";
import { multinomialLogLik, multinomialWorkspace } from "../src/multinomial/likelihood.js";
import { detectMultinomialSeparationSync, expandedSeparationRows } from "../src/multinomial/separation.js";
import type { SeparationCheck } from "./separation-check.js";


const normalQ = (p: number) => normalQuantile(p, 0, 1);

/** The declaration of a multinomial model. */
export interface MultinomialSpec {
  formula: string;
  data: DataInput | DataTable;
  family: "multinomial";
  /** The reference category (a level of the response, or a cbind column name). Default: the first. */
  ref?: string;
  /** Frequency weights: a column name or one value per data row. */
  weights?: string | ArrayLike<number>;
  columns?: ColumnTypes;
  contrasts?: Record<string, ContrastSpec>;
  /**
   * Priors for map() / laplace() / sample(): rstanarm-style specs, `coefficients` on every
   * non-intercept coefficient of every category, `intercept` on the "(Intercept)" ones; flat
   * where none is given. `coefficients: "jeffreys"` is the Jeffreys prior (the MAP = firth()).
   */
  priors?: { coefficients?: string; intercept?: string };
}

const SPEC_KEYS = ["formula", "data", "family", "ref", "weights", "columns", "contrasts", "priors", "link"] as const;

export interface MultinomialFitControl {
  epsilon?: number;
  maxit?: number;
  /** The LP separation check: "auto" (default; skipped above 2·10⁶ expanded-design entries), "always", "never". */
  separation?: SeparationCheck;
}

/** Splits "lhs ~ rhs" at the top-level tilde. */
function splitFormula(formula: string): { lhs: string; rhs: string } {
  let depth = 0;
  for (let i = 0; i < formula.length; i++) {
    const ch = formula[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "~" && depth === 0) {
      const lhs = formula.slice(0, i).trim();
      if (lhs === "") break;
      return { lhs, rhs: formula.slice(i + 1).trim() };
    }
  }
  throw new FormulaError(`the formula "${formula}" has no response: expected "y ~ x" (a factor y) or "cbind(a, b, c) ~ x" (counts)`);
}

const NAME = /^(?:[A-Za-z.][A-Za-z0-9._]*|`[^`]+`)$/;
const unquote = (s: string) => (s.startsWith("`") ? s.slice(1, -1) : s);

/** The cbind(...) column names, or null for a single response name. */
function responseColumns(lhs: string): string[] | null {
  const m = /^cbind\s*\((.*)\)$/s.exec(lhs);
  if (m === null) {
    if (!NAME.test(lhs)) throw new FormulaError(`a multinomial response must be a column name (a factor) or cbind(a, b, …) of column names, got "${lhs}"`);
    return null;
  }
  const parts = m[1]!.split(",").map((s) => s.trim());
  for (const s of parts) if (!NAME.test(s)) throw new FormulaError(`cbind() of a multinomial response takes column names of counts, got "${s}"`);
  if (parts.length < 2) throw new DataError(`a multinomial response needs at least 2 categories, cbind() has ${parts.length}`);
  return parts.map(unquote);
}

/** R's as.character of a number as a level label. */
function numberLabel(v: number): string {
  return String(v);
}

/** Everything fits and predictions need of the resolved model. */
interface Resolved {
  problem: NamedMultinomialProblem;
  frame: ModelFrame;
  warnings: string[];
}

function resolve(spec: MultinomialSpec): Resolved {
  if (spec.formula === undefined) throw new ArgumentError("the multinomial family needs a formula with data");
  if (spec.data === undefined) throw new ArgumentError("glm() with a formula needs data");
  for (const k of Object.keys(spec)) if (!(SPEC_KEYS as readonly string[]).includes(k))
    throw new ArgumentError(`unknown option "${k}" of a multinomial glm() spec; valid: ${SPEC_KEYS.filter((x) => x !== "link").join(", ")}`);
  const link = (spec as { link?: unknown }).link;
  if (link !== undefined && link !== "logit" && link !== "softmax")
    throw new FamilyError(`the multinomial family has the softmax (multinomial logit) link only, got link "${String(link)}"`);
  const { lhs, rhs } = splitFormula(spec.formula);
  const cols = responseColumns(lhs);
  const table = withColumnTypes(toDataTable(spec.data), spec.columns);
  const frameFormula = cols === null ? `${lhs} ~ ${rhs}` : `I(${cols.map((c) => (NAME.test(c) ? c : `\`${c}\``)).join(" + ")}) ~ ${rhs}`;
  const frame = modelFrame(frameFormula, table, { weights: spec.weights, columns: spec.columns, contrasts: spec.contrasts });
  const { n, rows } = frame;
  const w = frame.weights;
  if (w) for (let i = 0; i < n; i++) if (!(w[i]! >= 0) || !Number.isFinite(w[i]!))
    throw new DataError(`weights must be finite and non-negative; row ${rows[i]! + 1} has weight ${w[i]}`, { column: "weights", row: rows[i]! + 1 });
  let levels: string[];
  let Y: Float64Array;
  if (cols === null) {
    const col = table.column(unquote(lhs));
    let codes: Int32Array;
    if (col.kind === "factor") {
      const present = new Uint8Array(col.levels.length);
      const idx = new Map(col.levels.map((l, k) => [l, k]));
      const raw = new Int32Array(n);
      for (let i = 0; i < n; i++) { raw[i] = idx.get(col.values[rows[i]!]!)!; present[raw[i]!] = 1; }
      const keep = col.levels.map((_, k) => k).filter((k) => present[k]);
      const remap = new Int32Array(col.levels.length).fill(-1);
      keep.forEach((k, t) => { remap[k] = t; });
      levels = keep.map((k) => col.levels[k]!);
      codes = raw.map((c) => remap[c]!);
    } else if (col.kind === "numeric") {
      const vals = Array.from(rows, (r) => col.values[r]!);
      const uniq = [...new Set(vals)].sort((a, b) => a - b);
      const at = new Map(uniq.map((v, k) => [v, k]));
      levels = uniq.map(numberLabel);
      codes = Int32Array.from(vals, (v) => at.get(v)!);
    } else {
      const vals = Array.from(rows, (r) => col.values[r]!);
      levels = ["FALSE", "TRUE"].filter((l) => vals.some((v) => String(v).toUpperCase() === l));
      codes = Int32Array.from(vals, (v) => levels.indexOf(v ? "TRUE" : "FALSE"));
    }
    const K = levels.length;
    if (K < 2) throw new DataError(`a multinomial response needs at least 2 categories; "${lhs}" has ${K === 1 ? `the single level "${levels[0]}"` : "none"} in the ${n} rows used`, { column: lhs });
    Y = new Float64Array(n * K);
    for (let i = 0; i < n; i++) Y[i * K + codes[i]!] = w ? w[i]! : 1;
  } else {
    levels = cols;
    const K = cols.length;
    Y = new Float64Array(n * K);
    cols.forEach((name, k) => {
      const col = table.column(name);
      if (col.kind !== "numeric") throw new DataError(`cbind() column "${name}" must be numeric counts, it is a ${col.kind} column`, { column: name });
      for (let i = 0; i < n; i++) {
        const v = col.values[rows[i]!]!;
        if (!(v >= 0) || !Number.isFinite(v)) throw new DataError(`cbind() column "${name}" is ${v} at row ${rows[i]! + 1}; counts must be finite and non-negative`, { column: name, row: rows[i]! + 1 });
        Y[i * K + k] = w ? w[i]! * v : v;
      }
    });
  }
  let ref = 0;
  if (spec.ref !== undefined) {
    ref = levels.indexOf(String(spec.ref));
    if (ref < 0) throw new ArgumentError(`ref "${spec.ref}" is not a category of the response; categories: ${levels.map((l) => `"${l}"`).join(", ")}`);
  }
  if (frame.offset !== null) throw new ArgumentError("offsets are not supported by the multinomial family");
  const warnings = [...(table.warnings ?? []), ...frame.warnings];
  if (frame.naDropped > 0) warnings.push(`${frame.naDropped} observation${frame.naDropped === 1 ? "" : "s"} deleted due to missingness`);
  const problem: NamedMultinomialProblem = {
    X: frame.X, n, p: frame.p, Y, K: levels.length, ref, offset: null,
    columnNames: frame.columnNames, levels, hasIntercept: frame.hasIntercept, counts: cols !== null,
  };
  return { problem, frame, warnings };
}

/**
 * The priors of a Bayesian multinomial fit as reported: as declared (or the defaults'
 * specified priors), whether they are the defaults (nothing declared: normal(0, 2.5) on every
 * coefficient, autoscaled by 1/sd(x_j) as rstanarm's autoscale, normal(0, 2.5) on the raw
 * intercepts), and for the defaults the priors as used per coefficient (`adjusted`).
 */
export interface MultinomialPriorDescription {
  coefficients: string;
  intercept: string;
  defaults: boolean;
  autoscale: boolean;
  /** The intercept prior acts on the raw intercept of each category (predictors not centred). */
  intercept_on: "raw";
  adjusted?: Record<string, string>;
}

/** JSON of a multinomial ML fit: the CLI contract's fields plus the categories. */
export interface MultinomialFitJson {
  method: "mle" | "firth" | "map" | "laplace";
  family: "multinomial";
  prior?: MultinomialPriorDescription;
  link: "softmax";
  formula: string;
  n: number;
  na_dropped: number;
  converged: boolean;
  iterations: number;
  warnings: string[];
  categories: string[];
  reference: string;
  coefficients: Array<{ name: string; estimate: number; se: number; statistic: number; p_value: number; aliased: boolean }>;
  deviance: number;
  null_deviance: number | null;
  df_residual: number;
  df_null: number | null;
  aic: number;
  log_likelihood: number;
  dispersion: 1;
  theta: null;
  separation: { detected: boolean | null; infinite: Record<string, "+Inf" | "-Inf">; checked: boolean; note?: string } | null;
}

/** A multinomial ML fit: data, with predictions, intervals and tests. */
export class MultinomialFit {
  readonly warnings: string[];
  constructor(
    readonly formula: string, readonly record: MultinomialFitRecord, readonly separation: MultinomialFitJson["separation"],
    private readonly frame: ModelFrame, contextWarnings: string[], readonly naDropped: number, readonly method: MultinomialFitJson["method"] = "mle",
    readonly prior: MultinomialPriorDescription | null = null,
    /** The penalty of a firth/map/laplace fit (its penalised profile), null for ML. */
    readonly penalty: MultinomialPriors | null = null,
  ) {
    this.warnings = [...contextWarnings, ...record.warnings];
    if (separation?.detected) {
      const names = Object.entries(separation.infinite).map(([k, v]) => `${k} (${v})`).join(", ");
      this.warnings.push(`separation: the maximum-likelihood estimates of ${names || "some coefficients"} are infinite; the reported values are where Newton stopped`);
    }
  }
  get coefficients(): MultinomialCoefficient[] {
    return this.record.coefficients;
  }
  get categories(): readonly string[] {
    return this.record.problem.levels;
  }
  get reference(): string {
    return this.record.problem.levels[this.record.problem.ref]!;
  }
  get deviance(): number { return this.record.deviance; }
  get nullDeviance(): number | null { return this.record.nullDeviance; }
  get aic(): number { return this.record.aic; }
  get logLik(): number { return this.record.logLik; }
  get dfResidual(): number { return this.record.dfResidual; }

  /** The fitted probabilities, one row per observation used, one column per category. */
  fitted(): number[][] {
    const { K } = this.record.problem;
    const out: number[][] = [];
    for (let i = 0; i < this.record.problem.n; i++) out.push(Array.from(this.record.fitted.subarray(i * K, (i + 1) * K)));
    return out;
  }

  /** Covariance of the coefficients (names, row-major D×D; NaN for aliased). */
  vcov(): { names: string[]; matrix: number[][] } {
    const D = this.coefficients.length;
    const matrix: number[][] = [];
    for (let a = 0; a < D; a++) matrix.push(Array.from(this.record.vcov.subarray(a * D, (a + 1) * D)));
    return { names: this.coefficients.map((c) => c.name), matrix };
  }

  /**
   * Predictions for new data: probabilities (with delta-method SEs), the most probable class,
   * and the linear predictors log(π_k/π_ref) with SEs. R: predict(multinom, newdata, type = "probs" | "class").
   */
  predict(newdata: DataInput | DataTable) {
    const d = this.frame.design.modelMatrix(newdata);
    const pr = multinomialPredict(this.record, d.X, d.n);
    const K = this.record.problem.K, K1 = K - 1;
    const cats = this.categories, nonref = nonReference(cats, this.record.problem.ref);
    const rows = Array.from({ length: d.n }, (_, i) => ({
      probabilities: Object.fromEntries(cats.map((c, k) => [c, pr.probabilities[i * K + k]!])),
      se_probabilities: Object.fromEntries(cats.map((c, k) => [c, pr.seProbabilities[i * K + k]!])),
      link: Object.fromEntries(nonref.map((c, q) => [c, pr.link[i * K1 + q]!])),
      se_link: Object.fromEntries(nonref.map((c, q) => [c, pr.seLink[i * K1 + q]!])),
      class: cats[pr.classes[i]!]!,
    }));
    return rows;
  }

  /**
   * Profile-likelihood intervals (R: confint of a profiled fit; bounds ±Infinity when the profile
   * never reaches the cut-off). For firth() (Jeffreys) and map()/laplace() fits: the penalised
   * profile of ℓ + ½ log|I| or of the log posterior (src/multinomial/penalized-profile.ts).
   */
  profile(level = 0.95, which?: readonly string[]): ProfileBound[] {
    if (this.method !== "mle") return this.#penalizedProfile(level, which);
    const bounds = multinomialProfile(this.record, level, which);
    // A coefficient the LP proves infinite: the profile is monotone towards the divergence.
    const inf = this.separation?.infinite ?? {};
    return bounds.map((b) => (inf[b.name] === "+Inf" ? { ...b, upper: Infinity } : inf[b.name] === "-Inf" ? { ...b, lower: -Infinity } : b));
  }

  #penalizedProfile(level: number, which?: readonly string[]): ProfileBound[] {
    const r = this.record, penalty = this.penalty;
    if (penalty === null) throw new ArgumentError("this fit carries no penalty to profile");
    const names = r.coefficients.map((c) => c.name);
    const wanted = which ?? names;
    for (const w of wanted) if (!names.includes(w)) throw new ArgumentError(`no coefficient "${w}" (coefficients: ${names.join(", ")})`);
    const p = r.problem.p, pr = r.reduced.p, kept = Array.from(r.keptColumns);
    const reducedIndex = (c: number) => Math.floor(c / p) * pr + kept.indexOf(c % p);
    const redNames: string[] = [], redSe: number[] = [];
    names.forEach((nm, c) => { if (!r.coefficients[c]!.aliased) { redNames[reducedIndex(c)] = nm; redSe[reducedIndex(c)] = r.coefficients[c]!.se; } });
    const live = wanted.filter((w) => !r.coefficients[names.indexOf(w)]!.aliased);
    const bounds = penalizedProfile({ problem: r.reduced, priors: penalty, mode: r.betaReduced, names: redNames, se: redSe }, level, live.map((w) => reducedIndex(names.indexOf(w))));
    return wanted.map((w) => bounds.find((b) => b.name === w) ?? { name: w, lower: NaN, upper: NaN });
  }

  /** The saved form of an ML fit (models/multinomial-saved.ts; `--save`), for predictions on new data. */
  save(): SavedMultinomialJson {
    if (this.method !== "mle") throw new ArgumentError(`only maximum-likelihood multinomial fits can be saved (this is a ${this.method} fit)`);
    const r = this.record, D = r.coefficients.length;
    const nn = (x: number) => (Number.isNaN(x) ? null : x);
    return {
      glmkit_model: 1, method: "mle", formula: this.formula, family: { name: "multinomial", link: "softmax" },
      categories: [...this.categories], reference: this.reference, columns: [...r.problem.columnNames],
      names: r.coefficients.map((c) => c.name), coefficients: Array.from(r.beta, nn),
      vcov: Array.from({ length: D }, (_, i) => Array.from(r.vcov.subarray(i * D, (i + 1) * D), nn)),
      design: this.frame.design.toJSON(),
    };
  }

  /** Wald intervals β̂ ± z·se. */
  wald(level = 0.95): ProfileBound[] {
    const z = -normalQ((1 - level) / 2);
    return this.coefficients.map((c) => ({ name: c.name, lower: c.estimate - z * c.se, upper: c.estimate + z * c.se }));
  }

  toJSON(): MultinomialFitJson {
    const r = this.record;
    return {
      method: this.method, family: "multinomial", link: "softmax", formula: this.formula,
      n: r.nObs, na_dropped: this.naDropped, converged: r.converged, iterations: r.iterations, warnings: this.warnings,
      categories: [...this.categories], reference: this.reference,
      coefficients: r.coefficients.map(({ name, estimate, se, statistic, p_value, aliased }) => ({ name, estimate, se, statistic, p_value, aliased })),
      deviance: r.deviance, null_deviance: r.nullDeviance, df_residual: r.dfResidual, df_null: r.dfNull,
      aic: r.aic, log_likelihood: r.logLik, dispersion: 1, theta: null, separation: this.separation,
      ...(this.prior ? { prior: this.prior } : {}),
    };
  }

  /** An R-like printout (nnet's summary.multinom layout: coefficients and SEs by category, then the deviance and AIC). */
  summary(): string {
    const r = this.record;
    const what = { mle: "", firth: " (mean bias reduction, brglm2 AS_mean)", map: " (posterior mode)", laplace: " (Laplace approximation)" }[this.method];
    const lines = [`Call: multinomial logit${what} ${this.formula}  (reference category "${this.reference}")`, ""];
    const w = Math.max(...r.coefficients.map((c) => c.name.length), 4);
    lines.push(`${"".padEnd(w)}  ${"Estimate".padStart(12)} ${"Std. Error".padStart(12)} ${"z value".padStart(9)} ${"Pr(>|z|)".padStart(10)}`);
    for (const c of r.coefficients) {
      const f = (x: number, d: number) => (Number.isNaN(x) ? "NA" : x.toPrecision(d));
      lines.push(`${c.name.padEnd(w)}  ${f(c.estimate, 7).padStart(12)} ${f(c.se, 7).padStart(12)} ${(Number.isNaN(c.statistic) ? "NA" : c.statistic.toFixed(3)).padStart(9)} ${(Number.isNaN(c.p_value) ? "NA" : c.p_value.toExponential(2)).padStart(10)}`);
    }
    lines.push("", `Residual Deviance: ${r.deviance.toPrecision(8)} on ${r.dfResidual} degrees of freedom`);
    if (r.nullDeviance !== null) lines.push(`Null Deviance:     ${r.nullDeviance.toPrecision(8)} on ${r.dfNull} degrees of freedom`);
    lines.push(`AIC: ${r.aic.toPrecision(8)}   log-likelihood: ${r.logLik.toPrecision(8)}`);
    if (this.prior) lines.push(...priorSummaryLines(this.prior));
    lines.push(`Newton iterations: ${r.iterations}${r.converged ? "" : " (not converged)"}`);
    if (this.warnings.length > 0) lines.push("", "Warnings:", ...this.warnings.map((x) => `  - ${x}`));
    return lines.join("\n");
  }
}

/** A declared multinomial model. */
export class MultinomialModel {
  readonly #resolved: Resolved;
  constructor(readonly spec: MultinomialSpec) {
    this.#resolved = resolve(spec);
  }
  get problem(): NamedMultinomialProblem {
    return this.#resolved.problem;
  }
  get columnNames(): string[] {
    return [...this.#resolved.problem.columnNames];
  }

  /** Maximum likelihood by Newton (R: nnet::multinom, VGAM::vglm(multinomial)), with the LP separation check. */
  fit(control: MultinomialFitControl = {}): MultinomialFit {
    for (const k of Object.keys(control)) if (!["epsilon", "maxit", "separation"].includes(k))
      throw new ArgumentError(`unknown fit() control "${k}" of a multinomial model; valid: epsilon, maxit, separation`);
    if (control.epsilon !== undefined && !(control.epsilon > 0)) throw new ArgumentError(`epsilon must be positive, got ${control.epsilon}`);
    if (control.maxit !== undefined && !(Number.isInteger(control.maxit) && control.maxit >= 1)) throw new ArgumentError(`maxit must be a positive integer, got ${control.maxit}`);
    const mode = control.separation ?? "auto";
    if (!["auto", "always", "never"].includes(mode)) throw new ArgumentError(`separation must be "auto", "always" or "never", got "${mode}"`);
    const { problem, frame, warnings } = this.#resolved;
    const record = fitMultinomial(problem, { epsilon: control.epsilon, maxit: control.maxit });
    let separation: MultinomialFitJson["separation"] = null;
    const entries = expandedSeparationRows(problem) * (problem.K - 1) * problem.p;
    if (mode !== "never" && !separationReady()) {
      // In a browser the LP solver loads lazily (Node's entry loads it on import).
      separation = { detected: null, infinite: {}, checked: false, note: "the LP solver is not loaded: call `await loadLpSolver()` once before fitting to check separation" };
    } else if (mode === "always" || (mode === "auto" && entries <= LP_AUTO_LIMIT)) {
      const s = detectMultinomialSeparationSync(problem);
      separation = { detected: s.detected, infinite: s.infinite, checked: true };
    } else if (mode === "auto") {
      separation = { detected: null, infinite: {}, checked: false, note: `the LP check was skipped (${entries} expanded-design entries > ${LP_AUTO_LIMIT}); run it with separation: "always"` };
    }
    return new MultinomialFit(this.spec.formula, record, separation, frame, warnings, frame.naDropped);
  }
  /**
   * The mean-bias-reduced fit (brglm2::brmultinom, type = "AS_mean"), equal to the
   * Jeffreys-prior MAP for the softmax link; finite under separation. SEs from the
   * inverse information at the estimate; `deviance` and `aic` are those of the estimate.
   */
  firth(control: { epsilon?: number; maxit?: number } = {}): MultinomialFit {
    for (const k of Object.keys(control)) if (!["epsilon", "maxit"].includes(k))
      throw new ArgumentError(`unknown firth() control "${k}" of a multinomial model; valid: epsilon, maxit`);
    const { problem, frame, warnings } = this.#resolved;
    const { reduced, kept, used } = prepareMultinomial(problem);
    const br = biasReducedMultinomial(reduced, control);
    const ws = multinomialWorkspace(reduced);
    const ll = multinomialLogLik(reduced, br.beta, ws);
    const own = br.converged ? [] : [`the bias-reduced fit did not converge in ${br.iterations} iterations (max |adjusted score| ${br.gradMax.toExponential(2)})`];
    const record = assembleRecord(problem, reduced, kept, ws, br.beta, br.vcov, 2 * (ws.saturated - ll), ll, used.length,
      { iterations: br.iterations, converged: br.converged, warnings: own });
    return new MultinomialFit(this.spec.formula, record, null, frame, warnings, frame.naDropped, "firth", null, { kind: "jeffreys" });
  }
  /**
   * The declared priors per coefficient, and their description. Nothing declared: the
   * defaults (see MultinomialPriorDescription; docs/multinomial.md says why these).
   */
  #priors(): { priors: MultinomialPriors; description: MultinomialPriorDescription } {
    const given = this.spec.priors ?? {};
    for (const k of Object.keys(given)) if (k !== "coefficients" && k !== "intercept")
      throw new PriorError(`unknown prior "${k}" of a multinomial model; valid: coefficients, intercept`);
    const { problem } = this.#resolved;
    if (given.coefficients === undefined && given.intercept === undefined) return defaultMultinomialPriors(problem);
    const onLine = (text: string, what: string): CoefficientPrior => {
      const pr = parsePrior(text);
      if (pr.support !== "real") throw new PriorError(`the ${what} prior "${text}" is for a positive parameter; coefficients need a prior on the real line (normal, student_t, cauchy, laplace, logistic, flat, jeffreys)`);
      return pr as CoefficientPrior;
    };
    const coefficient = given.coefficients === undefined ? flat() : onLine(given.coefficients, "coefficients");
    const intercept = given.intercept === undefined ? (coefficient.kind === "jeffreys" ? coefficient : flat()) : onLine(given.intercept, "intercept");
    if ((coefficient.kind === "jeffreys") !== (intercept.kind === "jeffreys") && given.intercept !== undefined)
      throw new PriorError("jeffreys() is a joint prior on all coefficients: do not combine it with another intercept prior");
    return {
      priors: priorsPerCoefficient(problem.columnNames, problem.K - 1, coefficient, intercept),
      description: { coefficients: coefficient.describe(), intercept: intercept.describe(), defaults: false, autoscale: false, intercept_on: "raw" },
    };
  }

  /**
   * The posterior mode under the declared priors (penalised Newton); SEs from the inverse
   * negative Hessian of the log posterior. With the Jeffreys prior it is firth() (brmultinom AS_mean).
   */
  map(control: { maxit?: number } = {}): MultinomialFit {
    return this.#mode("map", control);
  }

  /** The Laplace approximation N(mode, (−H)⁻¹): the same numbers as map(), labelled "laplace". */
  laplace(control: { maxit?: number } = {}): MultinomialFit {
    return this.#mode("laplace", control);
  }

  #mode(method: "map" | "laplace", control: { maxit?: number }): MultinomialFit {
    const { priors, description } = this.#priors();
    const { problem, frame, warnings } = this.#resolved;
    if (priors.kind === "jeffreys") {
      const f = this.firth(control);
      return new MultinomialFit(this.spec.formula, f.record, null, frame, warnings, frame.naDropped, method, description, priors);
    }
    const { reduced, kept, used } = prepareMultinomial(problem);
    if (kept.length !== problem.p) throw new ArgumentError(`aliased columns (${problem.columnNames.filter((_, j) => !Array.from(kept).includes(j)).join(", ")}) leave the posterior improper under flat priors; remove them`);
    const names = multinomialNames(problem.levels, problem.ref, problem.columnNames);
    const m = multinomialMap(reduced, priors.priors, names, control);
    const ws = multinomialWorkspace(reduced);
    const ll = multinomialLogLik(reduced, m.beta, ws);
    const own = m.converged ? [] : [`the posterior mode search did not converge in ${m.iterations} iterations`];
    const record = assembleRecord(problem, reduced, kept, ws, m.beta, m.vcov, 2 * (ws.saturated - ll), ll, used.length,
      { iterations: m.iterations, converged: m.converged, warnings: own });
    return new MultinomialFit(this.spec.formula, record, null, frame, warnings, frame.naDropped, method, description, priors);
  }

  /**
   * NUTS draws from the posterior under the declared priors (samplers/, Stan's algorithm and
   * warmup), with posterior::summarise_draws' summary per coefficient. Flat priors on a
   * separated fit leave the posterior improper: refused (ImproperPosteriorError).
   */
  sample(options: { seed: number; chains?: number; warmup?: number; draws?: number; adaptDelta?: number; maxTreeDepth?: number }): MultinomialPosterior {
    const { priors, description } = this.#priors();
    const { problem } = this.#resolved;
    const names = multinomialNames(problem.levels, problem.ref, problem.columnNames);
    const { kept } = prepareMultinomial(problem);
    if (kept.length !== problem.p) throw new ArgumentError("aliased columns: remove them before sampling");
    if (priors.kind === "scalar" && priors.priors.some((p) => !p.proper)) {
      if (!separationReady())
        throw new ArgumentError("flat priors need the separation check before sampling (an improper posterior is refused): call `await loadLpSolver()` once first, or give proper priors");
      const sep = detectMultinomialSeparationSync(problem);
      const improper = Object.keys(sep.infinite).filter((nm) => !priors.priors[names.indexOf(nm)]!.proper);
      if (improper.length > 0) throw new ImproperPosteriorError(`the posterior is improper: flat priors on coefficients with infinite ML estimates (${improper.join(", ")}); give them proper priors`, "infinite-estimates", improper, sep.infinite);
    }
    const target = multinomialLogPosterior(problem, priors, names);
    const res = sampleSync(target, { ...options, init: "uniform" });
    const summary = summarizeDraws(res.draws, names);
    const divergences = res.sampler.reduce((s, sp) => s + sp.divergent__.reduce((a: number, d: number) => a + d, 0), 0);
    return new MultinomialPosterior(this.spec.formula, summary, res, divergences, description, problem);
  }
}

/** NUTS draws of a multinomial posterior with their summary. */
export class MultinomialPosterior {
  constructor(
    readonly formula: string, readonly summary: SummaryRow[], readonly result: SampleResult, readonly divergences: number,
    readonly prior: MultinomialPriorDescription, private readonly problem: NamedMultinomialProblem,
  ) {}

  /**
   * Pointwise log-likelihoods, per chain a draws × n matrix (draws-major): Σ_k y_ik log π_ik
   * (plus log(m_i!/Π y_ik!) for count rows), for loo. R: rstanarm's log_lik(fit).
   */
  logLik(): { chains: Float64Array[]; n: number } {
    const pr = this.problem;
    const { n, K } = pr;
    const D = (K - 1) * pr.p;
    const ws = multinomialWorkspace(pr);
    const constant = new Float64Array(n);
    if (pr.counts) for (let i = 0; i < n; i++) {
      let m = 0, c = 0;
      for (let k = 0; k < K; k++) { const y = pr.Y[i * K + k]!; m += y; c -= gammaln(y + 1); }
      constant[i] = c + gammaln(m + 1);
    }
    const chains = this.result.draws.map((draws) => {
      const S = draws.length / D;
      const out = new Float64Array(S * n);
      for (let s = 0; s < S; s++) {
        multinomialLogLik(pr, draws.subarray(s * D, (s + 1) * D), ws);
        for (let i = 0; i < n; i++) {
          let v = constant[i]!;
          for (let k = 0; k < K; k++) { const y = pr.Y[i * K + k]!; if (y > 0) v += y * Math.log(ws.P[i * K + k]!); }
          out[s * n + i] = v;
        }
      }
      return out;
    });
    return { chains, n };
  }

  /**
   * Posterior predictive draws: per posterior draw s (chains pooled, chain 1 first) and row i,
   * counts ỹ_i ~ Multinomial(m_i, π_i(β_s)) over the K categories (m_i = 1 for a factor response
   * without weights: one category per row; frequency weights and count rows give their totals,
   * which must be whole numbers). Each of the m_i trials is an inverse-CDF categorical draw
   * from one seeded MT19937 stream. R: rstanarm's posterior_predict (brms' for categorical/multinomial).
   * @example post.predictiveDraws({ seed: 1 }).counts // Float64Array of draws × n × K
   */
  predictiveDraws(options: { seed: number; draws?: number }): { categories: string[]; n: number; draws: number; counts: Float64Array } {
    const pr = this.problem, { n, K } = pr, D = (K - 1) * pr.p;
    checkSeed(options.seed);
    const total = this.result.draws.reduce((a, d) => a + d.length / D, 0);
    const S = options.draws ?? total;
    if (!(Number.isInteger(S) && S >= 1 && S <= total)) throw new ArgumentError(`draws must be an integer in [1, ${total}] (the posterior draws), got ${options.draws}`);
    const ws = multinomialWorkspace(pr);
    const m = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const t = ws.m[i]!;
      if (!Number.isInteger(t)) throw new DataError(`posterior predictive counts need whole-number row totals; row ${i + 1} of the model frame totals ${t} (non-integer weights?)`, { row: i + 1 });
      m[i] = t;
    }
    const rng = createRng(options.seed);
    const counts = new Float64Array(S * n * K);
    let s = 0;
    for (const draws of this.result.draws) {
      for (let t = 0; t < draws.length / D && s < S; t++, s++) {
        multinomialLogLik(pr, draws.subarray(t * D, (t + 1) * D), ws);
        const base = s * n * K;
        for (let i = 0; i < n; i++) {
          for (let trial = 0; trial < m[i]!; trial++) {
            const u = rng.uniform();
            let k = 0, cum = ws.P[i * K]!;
            while (u >= cum && k < K - 1) cum += ws.P[i * K + ++k]!;
            counts[base + i * K + k] += 1;
          }
        }
      }
    }
    return { categories: [...pr.levels], n, draws: S, counts };
  }

  /** PSIS-LOO of the draws (loo::loo with r_eff from the chains). */
  loo(): LooResult {
    return psisLoo(this.logLik());
  }
  toJSON() {
    const r = this.result;
    return {
      method: "nuts", family: "multinomial", link: "softmax", formula: this.formula, prior: this.prior,
      posterior: { summary: this.summary, divergences: this.divergences, chains: r.draws.length, seconds: r.seconds.total },
    };
  }
}



/** The default priors (nothing declared): normal(0, 2.5/sd(x_j)) on coefficients, normal(0, 2.5) on the raw intercepts. */
function defaultMultinomialPriors(problem: NamedMultinomialProblem): { priors: MultinomialPriors; description: MultinomialPriorDescription } {
  const base = problem.columnNames.map(() => normal(0, 2.5));
  // rstanarm's autoscale (src/priors/autoscale.ts): scale/sd(x_j); constant columns (the intercept) unchanged; y unused off the gaussian family
  const scaled = autoscale(base, problem.X, problem.columnNames, new Float64Array(problem.n), { autoscaleBySdY: false }).priors;
  const priors: CoefficientScalarPrior[] = [];
  for (let q = 0; q < problem.K - 1; q++) for (let j = 0; j < problem.p; j++) priors.push(scaled[j] as CoefficientScalarPrior);
  const names = multinomialNames(problem.levels, problem.ref, problem.columnNames);
  return {
    priors: { kind: "scalar", priors },
    description: {
      coefficients: "normal(0, 2.5)", intercept: "normal(0, 2.5)", defaults: true, autoscale: true, intercept_on: "raw",
      adjusted: Object.fromEntries(names.map((nm, a) => [nm, priors[a]!.describe()])),
    },
  };
}

/** The printed prior summary lines of a Bayesian multinomial fit. */
export function priorSummaryLines(prior: MultinomialPriorDescription): string[] {
  if (!prior.defaults) return [`Priors: coefficients ${prior.coefficients}, intercepts ${prior.intercept}`];
  const lines = [`Priors (defaults, none declared): coefficients ${prior.coefficients} autoscaled by 1/sd(x), intercepts ${prior.intercept} (raw intercepts)`];
  if (prior.adjusted) for (const [k, v] of Object.entries(prior.adjusted)) lines.push(`  ${k}: ${v}`);
  return lines;
}

/** Declares a multinomial model (also reached through `glm({ family: "multinomial" })`). */
export function multinomial(spec: Omit<MultinomialSpec, "family"> & { family?: "multinomial" }): MultinomialModel {
  return new MultinomialModel({ ...spec, family: "multinomial" });
}

/** Likelihood-ratio tests between nested multinomial fits, in the order given (R: anova(fit0, fit1) of nnet; VGAM::lrtest). */
export function multinomialAnova(fits: readonly MultinomialFit[]): LrTestRow[] {
  return multinomialLrTest(fits.map((f) => f.record));
}

/** True for the family name "multinomial" (any case). */
export function isMultinomialFamily(family: unknown): boolean {
  return typeof family === "string" && family.trim().toLowerCase() === "multinomial";
}

/** What compareIntervals(model, …) takes for a multinomial model. */
export interface MultinomialIntervalRequest {
  methods?: readonly IntervalMethod[];
  level?: number;
  /** A sampled posterior (model.sample()), for "posterior" / "posterior-hdi". */
  posterior?: MultinomialPosterior | null;
  /** Fits already made (saves refitting). */
  fits?: { mle?: MultinomialFit; firth?: MultinomialFit; map?: MultinomialFit };
}

/**
 * Intervals side by side for a multinomial model: "wald" and "profile" of the ML fit,
 * "firth-wald" and "firth-profile" (penalised profile) of the bias-reduced fit, "laplace"
 * (= "map-wald": the Laplace normal's quantiles) of the MAP, "posterior" / "posterior-hdi"
 * of NUTS draws. Default methods: wald, profile. R: confint.default / profile / logistf-style
 * penalised profile / posterior quantiles.
 */
export function multinomialIntervalSets(model: MultinomialModel, req: MultinomialIntervalRequest = {}): IntervalSet[] {
  const level = req.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new ArgumentError(`level must be in (0, 1), got ${level}`);
  const methods = req.methods ?? (["wald", "profile"] as IntervalMethod[]);
  const z = normalQ((1 + level) / 2);
  let mle: MultinomialFit | null = req.fits?.mle ?? null, firth: MultinomialFit | null = req.fits?.firth ?? null, map: MultinomialFit | null = req.fits?.map ?? null;
  const set = (method: IntervalMethod, fit: MultinomialFit, bounds: ProfileBound[]): IntervalSet => {
    const warnings = bounds.filter((b) => b.lower === -Infinity || b.upper === Infinity).map((b) => `${b.name}: the interval is unbounded (${b.lower === -Infinity ? "lower" : "upper"} end)`);
    return {
      method, level, cutoff: { distribution: "normal", df: null, value: z }, warnings,
      rows: fit.coefficients.map((c, k) => ({ name: c.name, estimate: c.estimate, lower: bounds[k]!.lower, upper: bounds[k]!.upper, ...(c.aliased ? { aliased: true } : {}) })),
    };
  };
  return methods.map((m): IntervalSet => {
    switch (m) {
      case "wald": case "profile": {
        mle ??= model.fit();
        return set(m, mle, m === "wald" ? mle.wald(level) : mle.profile(level));
      }
      case "firth-wald": case "firth-profile": {
        firth ??= model.firth();
        return set(m, firth, m === "firth-wald" ? firth.wald(level) : firth.profile(level));
      }
      case "laplace": case "map-wald": {
        map ??= model.map();
        return set(m, map, map.wald(level));
      }
      case "posterior": case "posterior-hdi": {
        const post = req.posterior;
        if (!post) throw new ArgumentError(`interval method "${m}" needs a sampled posterior (model.sample()), which was not given`);
        const draws = pooledDraws({ names: post.summary.map((s) => s.name), draws: post.result.draws });
        return posteriorIntervals({ names: post.summary.map((s) => s.name), values: draws.values }, { level, kind: m === "posterior" ? "equal-tailed" : "hdi" });
      }
      default:
        throw new ArgumentError(`unknown interval method "${String(m)}" for a multinomial model; known: wald, profile, firth-wald, firth-profile, laplace, map-wald, posterior, posterior-hdi`);
    }
  });
}

/** The comparison table of multinomialIntervalSets (compareIntervals(model, …) on a multinomial model). */
export function multinomialCompareIntervals(model: MultinomialModel, req: MultinomialIntervalRequest = {}): IntervalComparison {
  return compareIntervalSets(multinomialIntervalSets(model, req));
}

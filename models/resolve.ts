/**
 * From a declared model to what every fitter consumes: data, formula (or a design
 * matrix), family and weights resolved once into a GlmProblem, and the fit context
 * that results keep (formula, rows dropped, data warnings, new-data design).
 */
import type { Family, Link } from "../src/types.js";
import { ArgumentError, DataError } from "../src/errors.js";
import { makeFamily } from "../src/families/index.js";
import { modelFrame, type ModelFrame } from "../src/formula/index.js";
import { isDataTable, toDataTable } from "../src/data/table.js";
import type { TermLayout } from "../src/diagnostics/term-layout.js";
import type { GlmProblem } from "../src/fit/ml-fit.js";
import { sharedFloat64 } from "../src/linalg/parallel-crossprod.js";
import { checkDesign, noteDesign } from "../src/fit/design-scaling.js";
import { parallelRows } from "../src/fit/irls-engine.js";
import { helperThreads } from "../src/util/worker-pool.js";
import { prepareResponse, checkWeights, type Response } from "./response.js";
import type { DesignInput, GlmSpec } from "./spec.js";
import type { DataInput, DataTable } from "../src/data/index.js";
import type { FitContext, FormulaFrame } from "./result.js";

/** Resolved data of a declared model, shared by every fitting method. */
export interface ResolvedModel {
  problem: GlmProblem;
  /** True when a negative binomial θ is to be estimated. */
  estimateTheta: boolean;
  linkName: string | Link;
  /** What results keep of the model. */
  context: FitContext;
}

function familyFrom(spec: GlmSpec): { family: Family; estimateTheta: boolean } {
  if (typeof spec.family === "object" && spec.family !== null) {
    if (spec.link !== undefined) throw new ArgumentError("give the link inside the Family record or as a family name, not both");
    return { family: spec.family, estimateTheta: false };
  }
  const name = (spec.family ?? "gaussian").trim();
  const lower = name.toLowerCase();
  const isNb = lower === "negative_binomial" || lower === "negbin" || lower === "negative.binomial";
  if (isNb && spec.theta === undefined) {
    // θ to be estimated: start from a family with θ = 1 only to validate the link.
    return { family: makeFamily(name, { link: spec.link, theta: 1 }), estimateTheta: true };
  }
  return { family: makeFamily(name, { link: spec.link, theta: spec.theta, power: spec.power }), estimateTheta: false };
}

function toRowMajor(d: DesignInput): { X: Float64Array; n: number; p: number } {
  if (d.X instanceof Float64Array) {
    const n = d.n ?? d.y.length;
    const p = d.p ?? (n > 0 ? d.X.length / n : 0);
    if (!Number.isInteger(p) || n * p !== d.X.length)
      throw new ArgumentError(`design.X has ${d.X.length} entries, which is not n × p with n = ${n}${d.p ? `, p = ${d.p}` : ""}`);
    return { X: d.X, n, p };
  }
  const rows = d.X as ArrayLike<number>[];
  const n = rows.length;
  const p = n > 0 ? rows[0]!.length : (d.columnNames?.length ?? 0);
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    if (r.length !== p) throw new ArgumentError(`design.X row ${i + 1} has ${r.length} entries, expected ${p}`);
    for (let j = 0; j < p; j++) X[i * p + j] = r[j]!;
  }
  return { X, n, p };
}

function arrayArg(name: string, v: ArrayLike<number>, n: number): Float64Array {
  if (v.length !== n) throw new ArgumentError(`${name} has length ${v.length}, but there are ${n} observations`);
  return Float64Array.from(v);
}

/** Resolves data, formula, family and weights into the problem every fitter consumes. */
export function resolveModel(spec: GlmSpec): ResolvedModel {
  const { family, estimateTheta } = familyFrom(spec);
  const linkName = spec.link ?? family.link.name;
  const { problem, context } = spec.design ? resolveDesign(spec, spec.design, family) : resolveFormula(spec, family);
  return { problem, estimateTheta, linkName, context };
}

/** A model given as a design matrix: checked, with weights and offset as arrays; no new-data design. */
function resolveDesign(spec: GlmSpec, design: DesignInput, family: Family): { problem: GlmProblem; context: FitContext } {
  if (spec.formula) throw new ArgumentError("give either a formula with data, or a design, not both");
  if (spec.columns !== undefined || spec.contrasts !== undefined)
    throw new ArgumentError("columns and contrasts apply to formula models (a design matrix is already coded)");
  const { X, n, p } = toRowMajor(design);
  if (n === 0) throw new DataError("the design has no rows");
  if (design.y.length !== n) throw new ArgumentError(`design.y has length ${design.y.length}, but X has ${n} rows`);
  // One pass: the column maxima for the scaling and the separation check, and the finiteness check.
  checkDesign(X, n, p, (i, j, v) => {
    throw new DataError(`design.X must be finite; row ${i + 1}, column ${j + 1} is ${v}`, { row: i + 1 });
  });
  const columnNames = design.columnNames ?? Array.from({ length: p }, (_, j) => `x${j + 1}`);
  if (columnNames.length !== p) throw new ArgumentError(`columnNames has ${columnNames.length} names for ${p} columns`);
  if (typeof spec.weights === "string" || typeof spec.offset === "string")
    throw new ArgumentError("with a design matrix, weights and offset must be arrays, not column names");
  const caseWeights = spec.weights ? arrayArg("weights", spec.weights, n) : null;
  if (caseWeights) checkWeights(caseWeights);
  const offset = spec.offset ? arrayArg("offset", spec.offset, n) : null;
  if (offset) for (let i = 0; i < n; i++) if (!Number.isFinite(offset[i]!)) throw new DataError(`offset must be finite; row ${i + 1} has ${offset[i]}`, { row: i + 1 });
  const yIn = design.y;
  const resp: Response = { kind: "numeric", name: "y", values: yIn instanceof Float64Array ? yIn : Float64Array.from(yIn) };
  const shared = typeof SharedArrayBuffer !== "undefined" && X.buffer instanceof SharedArrayBuffer;
  const prepared = prepareResponse(resp, family, caseWeights, undefined, shared ? sharedFloat64 : undefined, parallelRows(X, n, p, helperThreads()));
  const hasIntercept = design.hasIntercept ?? columnNames[0] === "(Intercept)";
  return {
    problem: { X, n, p, columnNames, hasIntercept, y: prepared.y, weights: prepared.weights, offset, trials: prepared.trials, mustart: prepared.mustart, family },
    context: { formula: null, naDropped: 0, warnings: prepared.warnings, newDesign: null },
  };
}

/** The terms of a model frame with the term of each column (R's assign). */
function frameTerms(frame: ModelFrame): TermLayout {
  const t = frame.terms;
  return {
    labels: [...frame.termLabels],
    variables: t.terms.map((vars) => vars.map((v) => t.variableNames[v]!)),
    assign: Int32Array.from(frame.assign),
    intercept: frame.hasIntercept,
  };
}

/** A model given as a formula with data: the model frame, its response prepared, rows with missing cells dropped. */
function resolveFormula(spec: GlmSpec, family: Family): { problem: GlmProblem; context: FitContext } {
  if (!spec.formula) throw new ArgumentError("glm() needs a formula (with data) or a design matrix");
  if (spec.data === undefined) throw new ArgumentError("glm() with a formula needs data");
  const data = spec.data;
  const fitted = formulaProblem(spec.formula, data, spec, family);
  const { problem, frame } = fitted;
  // What reading the data noticed (a mostly numeric column read as a factor, a guessed separator) comes first.
  const warnings = [...(isDataTable(data) ? data.warnings ?? [] : []), ...fitted.warnings];
  // The data as a table, converted only when another formula is built on it (add1).
  let table: DataTable | null = null;
  const tableOf = (): DataTable => (table ??= toDataTable(data));
  const reframe: FormulaFrame = {
    get dataNames() {
      return tableOf().names;
    },
    problem: (formula) => {
      const r = formulaProblem(formula, tableOf(), spec, family);
      return { problem: r.problem, terms: frameTerms(r.frame), rows: r.frame.rows };
    },
    column: (name) => {
      const c = tableOf().column(name);
      return c.kind === "numeric" ? Array.from(c.values) : c.values;
    },
  };
  return {
    problem,
    context: {
      formula: spec.formula, naDropped: frame.naDropped, warnings, newDesign: (newdata) => frame.design.modelMatrix(newdata),
      terms: frameTerms(frame), rows: frame.rows, frame: reframe, contrasts: frame.contrasts, design: frame.design,
    },
  };
}

/** The model frame of `formula` over the table, its response prepared for the family. */
function formulaProblem(formula: string, table: DataInput | DataTable, spec: GlmSpec, family: Family) {
  const frame = modelFrame(formula, table, { weights: spec.weights, offset: spec.offset, columns: spec.columns, contrasts: spec.contrasts });
  if (frame.weights) checkWeights(frame.weights, frame.rows);
  const prepared = prepareResponse(frame.response as Response, family, frame.weights, frame.rows);
  // One pass over the model matrix for the scaling and the separation check (remembered when all finite).
  noteDesign(frame.X, frame.n, frame.p);
  const warnings = [...frame.warnings, ...prepared.warnings];
  if (frame.naDropped > 0) warnings.push(`${frame.naDropped} observation${frame.naDropped === 1 ? "" : "s"} deleted due to missingness`);
  const problem: GlmProblem = {
    X: frame.X, n: frame.n, p: frame.p, columnNames: frame.columnNames, hasIntercept: frame.hasIntercept,
    y: prepared.y, weights: prepared.weights, offset: frame.offset, trials: prepared.trials, mustart: prepared.mustart, family,
  };
  return { problem, frame, warnings };
}

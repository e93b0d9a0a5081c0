/**
 * Data-dependent transforms inside a formula: `poly(x, degree, raw)`,
 * `ns(x, df, knots, intercept, Boundary.knots)`, `bs(x, df, knots, degree,
 * intercept, Boundary.knots)` and `scale(x, center, scale)`. Each is computed
 * once over the training data (all rows, before na.omit, as model.frame
 * evaluates variables) and its state kept, keyed by the call node, so that the
 * model matrix for new data reuses the training coefficients, knots, centre
 * and scale: R's "safe prediction" (`makepredictcall`, Chambers & Hastie 1992
 * §2.4.3), which R 4.2 applies to poly, ns and bs but not to scale.
 */
import { ArgumentError, DataError } from "../errors.js";
import type { CallNode, Node } from "./ast.js";
import type { CallContext } from "./factor-calls.js";
import { constantOf, constantVector } from "./functions.js";
import { polyFit, polyPredict, polyRaw, scaleApply, scaleFit, type Columns, type PolyState, type ScaleArg, type ScaleState } from "./poly-scale.js";
import { bsBasis, nsBasis, type SplineArgs, type SplineState } from "./splines.js";
import type { MatrixValue, Value } from "./values.js";

/** What prediction needs of a transform fitted on the training data. */
export type TransformState =
  | { readonly fn: "poly"; readonly coefs: PolyState | null }
  | { readonly fn: "ns" | "bs"; readonly state: SplineState }
  | { readonly fn: "scale"; readonly state: ScaleState };

/** The evaluator's side for transforms: the states (written when fitting, read when predicting) and warnings. */
export interface TransformContext extends CallContext {
  readonly states: Map<Node, TransformState>;
  readonly warnings: string[];
}

/** The numeric vector a transform applies to (logicals as 0/1). */
function numericArg(ctx: CallContext, node: Node, fn: string, term: string): Float64Array {
  const v: Value = ctx.evaluate(node, term);
  if (v.kind === "numeric") return v.values;
  if (v.kind === "matrix" && v.columns.length === 1) return v.columns[0];
  if (v.kind === "factor") throw new DataError(`formula term "${term}": ${fn}() needs a numeric variable, but ${node.type === "name" ? node.name : "its argument"} is a factor (strings)`, node.type === "name" ? { column: node.name } : {});
  if (v.kind === "matrix") throw new DataError(`formula term "${term}": ${fn}() takes one column, not a matrix of ${v.columns.length}`);
  throw new ArgumentError(`formula term "${term}": ${fn}() needs a column of the data, not a constant`);
}

function matrixValue(c: Columns, named: boolean): MatrixValue {
  const columns = Array.from({ length: c.ncol }, (_, j) => c.values.subarray(j * c.n, (j + 1) * c.n));
  return { kind: "matrix", columns, columnNames: named ? columns.map((_, j) => String(j + 1)) : null };
}

function numberArg(args: Map<string, Node>, name: string): number | undefined {
  const n = args.get(name);
  return n ? (constantOf(n) as number) : undefined;
}

function integerArg(args: Map<string, Node>, name: string, fn: string, term: string, min: number): number | undefined {
  const v = numberArg(args, name);
  if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new ArgumentError(`formula term "${term}": ${fn}(): ${name} must be an integer of at least ${min}, not ${v}`);
  return v;
}

function poly(ctx: TransformContext, node: CallNode, args: Map<string, Node>, term: string, x: Float64Array): MatrixValue {
  const degree = integerArg(args, "degree", "poly", term, 1) ?? 1;
  const raw = args.has("raw") && constantOf(args.get("raw") as Node) === true;
  if (raw) return matrixValue(polyRaw(x, degree), true);
  if (ctx.predicting) {
    const st = ctx.states.get(node) as Extract<TransformState, { fn: "poly" }>;
    return matrixValue(polyPredict(x, degree, st.coefs as PolyState), true);
  }
  const fit = polyFit(x, degree, term);
  ctx.states.set(node, { fn: "poly", coefs: fit.state });
  return matrixValue(fit.columns, true);
}

function spline(ctx: TransformContext, node: CallNode, args: Map<string, Node>, term: string, x: Float64Array): MatrixValue {
  const fn = node.fn as "ns" | "bs";
  const vec = (name: string): number[] | undefined => {
    const n = args.get(name);
    if (!n) return undefined;
    const v = constantVector(n) as unknown[];
    if (!v.every((u) => typeof u === "number" && Number.isFinite(u))) throw new ArgumentError(`formula term "${term}": ${fn}(): ${name} must be numbers`);
    return v as number[];
  };
  const splineArgs: SplineArgs = {
    df: integerArg(args, "df", fn, term, 1),
    knots: vec("knots"),
    degree: fn === "bs" ? integerArg(args, "degree", fn, term, 1) : undefined,
    intercept: args.has("intercept") ? constantOf(args.get("intercept") as Node) === true : undefined,
    boundaryKnots: vec("Boundary.knots"),
  };
  // The basis over the non-missing values; NA rows stay NA (R's ns/bs).
  const keep: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) { keep.push(i); values.push(x[i]); }
  const saved = ctx.predicting ? (ctx.states.get(node) as Extract<TransformState, { fn: "ns" | "bs" }>).state : undefined;
  const out = (fn === "ns" ? nsBasis : bsBasis)(values, splineArgs, term, saved);
  if (!ctx.predicting) ctx.states.set(node, { fn, state: out.state });
  ctx.warnings.push(...out.warnings);
  const { basis } = out;
  const full = new Float64Array(x.length * basis.ncol).fill(NaN);
  for (let j = 0; j < basis.ncol; j++) keep.forEach((row, k) => { full[row + j * x.length] = basis.values[k + j * basis.n]; });
  return matrixValue({ n: x.length, ncol: basis.ncol, values: full }, true);
}

function scale(ctx: TransformContext, node: CallNode, args: Map<string, Node>, x: Float64Array): MatrixValue {
  let state: ScaleState;
  if (ctx.predicting) state = (ctx.states.get(node) as Extract<TransformState, { fn: "scale" }>).state;
  else {
    const arg = (name: string): ScaleArg => (args.has(name) ? (constantOf(args.get(name) as Node) as ScaleArg) : true);
    state = scaleFit(x, arg("center"), arg("scale"));
    ctx.states.set(node, { fn: "scale", state });
  }
  return { kind: "matrix", columns: [scaleApply(x, state)], columnNames: null };
}

/** Evaluates poly(), ns(), bs() or scale(); null for any other function. */
export function evaluateTransformCall(ctx: TransformContext, node: CallNode, args: Map<string, Node>, term: string): MatrixValue | null {
  if (node.fn !== "poly" && node.fn !== "ns" && node.fn !== "bs" && node.fn !== "scale") return null;
  if (ctx.predicting && !ctx.states.has(node) && !(node.fn === "poly" && args.has("raw") && constantOf(args.get("raw") as Node) === true)) {
    throw new ArgumentError(`formula term "${term}": ${node.fn}() has no fitted state to predict with`);
  }
  const x = numericArg(ctx, args.get("x") as Node, node.fn, term);
  switch (node.fn) {
    case "poly": return poly(ctx, node, args, term, x);
    case "scale": return scale(ctx, node, args, x);
    default: return spline(ctx, node, args, term, x);
  }
}

/**
 * R's factor constructors and modifiers inside a formula: `factor(x, levels,
 * labels, exclude, ordered)`, `as.factor(x)`, `ordered(x, levels, labels)`,
 * `relevel(x, ref)` and `C(object, contr, how.many)`.
 *
 * - `factor()` matches `as.character(x)` against the levels (default: the sorted
 *   distinct values: numbers numerically, strings in en_US collation); a value
 *   outside the levels is NA, and model.frame's na.omit drops its row.
 * - `relevel()` moves `ref` to the front, so it becomes the baseline of
 *   treatment contrasts; only the parameterization changes.
 * - `C()` sets R's contrasts attribute: a name (`sum`, `"contr.sum"`) is applied
 *   to the levels that remain, a function (`contr.sum`) is called with the number
 *   of levels and its matrix fixed, as R's `contrasts<-` does.
 * String columns count as factors here (read.csv's stringsAsFactors = TRUE), so
 * `relevel(g, ref = "b")` works on a column of strings.
 *
 * Reference: R's `factor`, `relevel`, `C` and `contrasts<-` (R 4.2, base and stats).
 */
import { DataError, FormulaError } from "../errors.js";
import type { CallNode, Node } from "./ast.js";
import {
  attachContrastMatrix, contrastMatrix, contrastName,
  type ContrastAttr, type ContrastMatrix, type ContrastName,
} from "./contrasts.js";
import { deparse } from "./deparse.js";
import { CONTRAST_FUNCTIONS, callError, constantOf, constantVector, matchArgs, type Constant } from "./functions.js";
import { formatRNumber } from "./r-format.js";
import type { FactorValue, Value } from "./values.js";

/** What a formula function needs from the evaluator. */
export interface CallContext {
  readonly n: number;
  evaluate(node: Node, term: string): Value;
  /** True when evaluating new data for prediction: levels come from the fit, not from here. */
  readonly predicting: boolean;
}

/** R's as.character of a constant. */
function asCharacter(c: Constant): string {
  return typeof c === "number" ? formatRNumber(c) : typeof c === "boolean" ? (c ? "TRUE" : "FALSE") : c;
}

/** The label of each row of a value (null where missing), as R's as.character(x). */
function labelsOf(v: Value, term: string, fn: string): { labels: Array<string | null>; sortedDistinct: string[]; ordered: boolean } {
  if (v.kind === "factor") {
    const labels = Array.from(v.codes, (c) => (c < 0 ? null : v.levels[c]));
    const present = new Uint8Array(v.levels.length);
    for (const c of v.codes) if (c >= 0) present[c] = 1;
    return { labels, sortedDistinct: v.levels.filter((_, k) => present[k]), ordered: v.ordered === true };
  }
  if (v.kind === "numeric") {
    const xs = v.values;
    const label = (x: number): string => (v.logical ? (x ? "TRUE" : "FALSE") : formatRNumber(x));
    const labels = Array.from(xs, (x) => (Number.isNaN(x) ? null : label(x)));
    const distinct = Array.from(new Set(Array.from(xs).filter((x) => !Number.isNaN(x)))).sort((a, b) => a - b);
    return { labels, sortedDistinct: Array.from(new Set(distinct.map(label))), ordered: false };
  }
  if (v.kind === "matrix") throw new DataError(`formula term "${term}": ${fn}() needs a single column, not a matrix of ${v.columns.length}`);
  throw new FormulaError(`formula term "${term}": ${fn}() needs a column, not a constant`);
}

/** A factor over `labels` with the given levels (a label outside them → NA, code −1). */
function factorOver(labels: ReadonlyArray<string | null>, levels: readonly string[], ordered: boolean): FactorValue {
  const index = new Map<string, number>();
  levels.forEach((l, k) => { if (!index.has(l)) index.set(l, k); });
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    codes[i] = l === null ? -1 : index.get(l) ?? -1;
  }
  return { kind: "factor", codes, levels: [...levels], character: false, ordered };
}

/**
 * R's factor(x) with default levels: the sorted distinct values (a factor keeps
 * its level order and drops unused levels; its contrasts are dropped).
 */
export function defaultFactor(v: Value, term: string, fn = "factor"): FactorValue {
  const { labels, sortedDistinct, ordered } = labelsOf(v, term, fn);
  return factorOver(labels, sortedDistinct, ordered);
}

/** R's `factor(x, levels, labels, exclude, ordered)`, and `ordered(x, …)` with `forceOrdered`. */
function factorCall(ctx: CallContext, node: CallNode, args: Map<string, Node>, term: string, forceOrdered: boolean): FactorValue {
  const fn = node.fn;
  const v = ctx.evaluate(args.get("x") as Node, term);
  const { labels, sortedDistinct, ordered: wasOrdered } = labelsOf(v, term, fn);
  let levels = args.has("levels") ? (constantVector(args.get("levels") as Node) as Constant[]).map(asCharacter) : sortedDistinct;
  if (args.has("exclude")) {
    const ex = new Set((constantVector(args.get("exclude") as Node) as Constant[]).map(asCharacter));
    levels = levels.filter((l) => !ex.has(l));
  }
  const ordered = forceOrdered || (args.has("ordered") ? constantOf(args.get("ordered") as Node) === true : wasOrdered);
  const f = factorOver(labels, levels, ordered);
  if (!args.has("labels")) return f;
  const labs = (constantVector(args.get("labels") as Node) as Constant[]).map(asCharacter);
  if (labs.length === 1 && levels.length !== 1) return { ...f, levels: levels.map((_, k) => `${labs[0]}${k + 1}`) };
  if (labs.length !== levels.length) {
    throw new FormulaError(`formula term "${term}": ${fn}() has ${labs.length} labels for ${levels.length} levels (invalid 'labels'; length ${labs.length} should be 1 or ${levels.length})`);
  }
  // Duplicated labels merge their levels, as in R.
  const merged = Array.from(new Set(labs));
  const map = labs.map((l) => merged.indexOf(l));
  const codes = f.codes.map((c) => (c < 0 ? -1 : map[c]));
  return { ...f, codes, levels: merged };
}

/** The variable's name for messages: the column name when x is a plain column, else its deparsed text. */
function subjectOf(node: Node): string {
  return node.type === "name" ? node.name : deparse(node);
}

/** R's `relevel(x, ref)`: ref first, the other levels in their order. */
function relevelCall(ctx: CallContext, args: Map<string, Node>, term: string): FactorValue {
  const xNode = args.get("x") as Node;
  const v = ctx.evaluate(xNode, term);
  const subject = subjectOf(xNode);
  if (v.kind !== "factor") {
    throw new DataError(`formula term "${term}": relevel() needs a factor, but ${subject} is ${v.kind === "numeric" ? (v.logical ? "logical" : "numeric") : "a constant"}; use relevel(factor(${subject}), ref = ...)`, { column: subject });
  }
  if (v.ordered) throw new DataError(`formula term "${term}": relevel() is only for unordered factors, and ${subject} is ordered`, { column: subject });
  const ref = constantOf(args.get("ref") as Node) as string | number;
  const k = typeof ref === "string" ? v.levels.indexOf(ref) : Number.isInteger(ref) && ref >= 1 && ref <= v.levels.length ? ref - 1 : -1;
  if (k < 0) {
    if (ctx.predicting) return v; // new data may lack the level; the fitted levels decide the coding
    const what = typeof ref === "string" ? `level "${ref}"` : `ref = ${ref}`;
    throw new DataError(`formula term "${term}": ${what} not among the levels of ${subject}: ${v.levels.join(", ")}`, { column: subject });
  }
  const order = [k, ...v.levels.map((_, j) => j).filter((j) => j !== k)];
  const pos = new Int32Array(v.levels.length);
  order.forEach((old, nw) => { pos[old] = nw; });
  const codes = v.codes.map((c) => (c < 0 ? -1 : pos[c]));
  return { kind: "factor", codes, levels: order.map((j) => v.levels[j]), character: false, ordered: false };
}

/** The value of C()'s `contr` argument: a contrast name, a contrast function, or a matrix from a call. */
type ContrValue = { kind: "name"; name: ContrastName } | { kind: "function"; name: ContrastName } | { kind: "matrix"; matrix: ContrastMatrix };

function contrValue(node: Node, text: string): ContrValue {
  if (node.type === "name") {
    const full = contrastName(node.name) as ContrastName;
    return node.name === full ? { kind: "function", name: full } : { kind: "name", name: full };
  }
  if (node.type === "str") return { kind: "name", name: contrastName(node.value) as ContrastName };
  const call = node as CallNode;
  const spec = CONTRAST_FUNCTIONS[call.fn];
  const args = matchArgs(call, spec, callError(text));
  const n = constantVector(args.get("n") as Node) as Constant[];
  const levels = n.length === 1 && typeof n[0] === "number" ? n[0] : n.map(asCharacter);
  const base = args.has("base") ? (constantOf(args.get("base") as Node) as number) : undefined;
  const scores = args.has("scores") ? (constantVector(args.get("scores") as Node) as number[]) : undefined;
  return { kind: "matrix", matrix: contrastMatrix(call.fn as ContrastName, levels, { base, scores }) };
}

/** R's `C(object, contr, how.many)`: the factor with its contrasts attribute set. */
function cCall(ctx: CallContext, node: CallNode, args: Map<string, Node>, term: string, text: string): FactorValue {
  const objNode = args.get("object") as Node;
  const v = ctx.evaluate(objNode, term);
  if (v.kind !== "factor") {
    const subject = subjectOf(objNode);
    throw new DataError(`formula term "${term}": C() needs a factor, but ${subject} is not one (object not interpretable as a factor); use C(factor(${subject}), ...)`, { column: subject });
  }
  if (ctx.predicting) return v;
  const label = deparse(node);
  const nlev = v.levels.length;
  const howMany = args.has("how.many") ? (constantOf(args.get("how.many") as Node) as number) : undefined;
  let contr: ContrValue = args.has("contr")
    ? contrValue(args.get("contr") as Node, text)
    : { kind: "name", name: v.ordered ? "contr.poly" : "contr.treatment" };
  if (nlev < 2) throw new DataError(`formula term "${term}": contrasts can be applied only to factors with 2 or more levels`, { column: subjectOf(objNode) });
  let attr: ContrastAttr;
  if (contr.kind === "name" && howMany === undefined) attr = { kind: "name", name: contr.name };
  else {
    if (contr.kind !== "matrix") contr = { kind: "matrix", matrix: contrastMatrix(contr.name, nlev) };
    attr = { kind: "matrix", matrix: attachContrastMatrix(contr.matrix, nlev, label, howMany) };
  }
  return { ...v, contrasts: attr };
}

/** Evaluates factor(), as.factor(), ordered(), relevel() or C(); null for any other function. */
export function evaluateFactorCall(ctx: CallContext, node: CallNode, args: Map<string, Node>, term: string, text: string): FactorValue | null {
  switch (node.fn) {
    case "factor": return factorCall(ctx, node, args, term, false);
    case "ordered": return factorCall(ctx, node, args, term, true);
    case "as.factor": {
      const v = ctx.evaluate(args.get("x") as Node, term);
      return v.kind === "factor" ? v : defaultFactor(v, term, "as.factor");
    }
    case "relevel": return relevelCall(ctx, args, term);
    case "C": return cCall(ctx, node, args, term, text);
    default: return null;
  }
}

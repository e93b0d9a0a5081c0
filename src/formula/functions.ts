/**
 * The functions a formula may call, their formal arguments in R's order, and
 * R's argument matching (exact names first, then the unnamed arguments fill the
 * remaining formals in order). Arguments other than the data are constants,
 * read here once: `levels = c("a", "b")`, `df = 3`, `raw = TRUE`,
 * `Boundary.knots = c(-3, 3)`, `C(x, contr.treatment(3, base = 2))`.
 */
import { FormulaError } from "../errors.js";
import type { CallNode, Node } from "./ast.js";
import { contrastName } from "./contrasts.js";

/** What an argument must be: an expression over the data, or a constant of some kind. */
export type ArgKind = "data" | "number" | "bool" | "boolOrNumber" | "vector" | "ref" | "contrast";

/** Formal arguments; only the first `positional` may be matched by position. */
export interface FunctionSpec {
  readonly params: readonly string[];
  readonly required: number;
  readonly positional?: number;
  readonly kinds?: Readonly<Record<string, ArgKind>>;
}

const one: FunctionSpec = { params: ["x"], required: 1 };

/** Functions a formula may call (R's name → formals). */
export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  I: one,
  log: { params: ["x", "base"], required: 1 },
  exp: one, sqrt: one, abs: one, log2: one, log10: one, log1p: one, expm1: one, sin: one, cos: one, tan: one,
  "as.numeric": one,
  offset: { params: ["object"], required: 1 },
  cbind: { params: ["successes", "failures"], required: 2 },
  factor: { params: ["x", "levels", "labels", "exclude", "ordered"], required: 1, kinds: { levels: "vector", labels: "vector", exclude: "vector", ordered: "bool" } },
  "as.factor": one,
  ordered: { params: ["x", "levels", "labels"], required: 1, kinds: { levels: "vector", labels: "vector" } },
  relevel: { params: ["x", "ref"], required: 2, kinds: { ref: "ref" } },
  C: { params: ["object", "contr", "how.many"], required: 1, kinds: { contr: "contrast", "how.many": "number" } },
  poly: { params: ["x", "degree", "raw"], required: 1, positional: 2, kinds: { degree: "number", raw: "bool" } },
  ns: { params: ["x", "df", "knots", "intercept", "Boundary.knots"], required: 1, kinds: { df: "number", knots: "vector", intercept: "bool", "Boundary.knots": "vector" } },
  bs: { params: ["x", "df", "knots", "degree", "intercept", "Boundary.knots"], required: 1, kinds: { df: "number", knots: "vector", degree: "number", intercept: "bool", "Boundary.knots": "vector" } },
  scale: { params: ["x", "center", "scale"], required: 1, kinds: { center: "boolOrNumber", scale: "boolOrNumber" } },
};

/** Contrast functions, callable only as the second argument of C(). */
export const CONTRAST_FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  "contr.treatment": { params: ["n", "base"], required: 1, kinds: { n: "vector", base: "number" } },
  "contr.sum": { params: ["n"], required: 1, kinds: { n: "vector" } },
  "contr.helmert": { params: ["n"], required: 1, kinds: { n: "vector" } },
  "contr.poly": { params: ["n", "scores"], required: 1, kinds: { n: "vector", scores: "vector" } },
  "contr.SAS": { params: ["n"], required: 1, kinds: { n: "vector" } },
};

/** Names of the functions a formula may call. */
export const KNOWN_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);

/** A constant: a number, string or logical. */
export type Constant = number | string | boolean;

/** The value of a constant node (`2`, `-1.5`, `"a"`, `TRUE`), or undefined. */
export function constantOf(node: Node): Constant | undefined {
  switch (node.type) {
    case "num": case "str": case "bool": return node.value;
    case "paren": return constantOf(node.expr);
    case "unary":
      if ((node.op === "-" || node.op === "+") && node.arg.type === "num") return node.op === "-" ? -node.arg.value : node.arg.value;
      return undefined;
    default: return undefined;
  }
}

/** The values of a constant vector: one constant, or `c(...)` of constants; undefined otherwise. */
export function constantVector(node: Node): Constant[] | undefined {
  if (node.type === "call" && node.fn === "c") {
    const out: Constant[] = [];
    for (const a of node.args) {
      const v = constantOf(a.value);
      if (v === undefined || a.name !== null) return undefined;
      out.push(v);
    }
    return out;
  }
  const v = constantOf(node);
  return v === undefined ? undefined : [v];
}

function describeCount(spec: FunctionSpec): string {
  const max = spec.positional ?? spec.params.length;
  if (spec.required === spec.params.length) return `${spec.required}`;
  if (max === spec.required + 1 && max === spec.params.length) return `${spec.required} or ${max}`;
  return `${spec.required} to ${spec.params.length}`;
}

/**
 * R's argument matching for a call to a known function: a map from formal name
 * to argument. Errors name the function, the argument and the column.
 * @example matchArgs(call, FUNCTIONS.ns, fail).get("df") // the node of `3` in ns(x, df = 3)
 */
export function matchArgs(node: CallNode, spec: FunctionSpec, fail: (at: Node, message: string) => Error): Map<string, Node> {
  const out = new Map<string, Node>();
  const n = node.args.length;
  const positional = spec.positional ?? spec.params.length;
  if (n < spec.required || n > spec.params.length) {
    throw fail(node, `${node.fn}() takes ${describeCount(spec)} argument${spec.params.length === 1 ? "" : "s"}, not ${n}`);
  }
  node.args.forEach((a, k) => {
    if (a.name === null) return;
    if (k === 0) throw fail(a.value, `the first argument of ${node.fn}() must not be named`);
    if (!spec.params.includes(a.name)) throw fail(a.value, `${node.fn}() has no argument named "${a.name}" (its arguments: ${spec.params.slice(1).join(", ")})`);
    if (out.has(a.name)) throw fail(a.value, `${node.fn}() has the argument "${a.name}" twice`);
    out.set(a.name, a.value);
  });
  let next = 0;
  for (const a of node.args) {
    if (a.name !== null) continue;
    while (next < positional && out.has(spec.params[next])) next++;
    if (next >= positional) throw fail(a.value, `${node.fn}() takes at most ${positional} unnamed argument${positional === 1 ? "" : "s"}; name the others (${spec.params.slice(positional).join(", ")})`);
    out.set(spec.params[next++], a.value);
  }
  for (let k = 0; k < spec.required; k++) {
    if (!out.has(spec.params[k])) throw fail(node, `${node.fn}() needs the argument "${spec.params[k]}"`);
  }
  return out;
}

/** Checks that a constant argument has the kind its function expects. */
export function checkConstant(fn: string, param: string, kind: ArgKind, node: Node, fail: (at: Node, message: string) => Error): void {
  const what = `${fn}(): ${param} =`;
  const v = constantOf(node);
  switch (kind) {
    case "data": return;
    case "number":
      if (typeof v !== "number" || !Number.isFinite(v)) throw fail(node, `${what} must be a number`);
      return;
    case "bool":
      if (typeof v !== "boolean") throw fail(node, `${what} must be TRUE or FALSE`);
      return;
    case "boolOrNumber":
      if (typeof v !== "boolean" && typeof v !== "number") throw fail(node, `${what} must be TRUE, FALSE or a number`);
      return;
    case "ref":
      if (typeof v !== "string" && typeof v !== "number") throw fail(node, `${what} must be a level (a string) or a level number`);
      return;
    case "vector":
      if (!constantVector(node)) throw fail(node, `${what} must be a constant or c(...) of constants`);
      return;
    case "contrast":
      if (node.type === "name" && contrastName(node.name)) return;
      if (node.type === "str" && contrastName(node.value)) return;
      if (node.type === "call" && CONTRAST_FUNCTIONS[node.fn]) {
        const spec = CONTRAST_FUNCTIONS[node.fn];
        const args = matchArgs(node, spec, fail);
        for (const [p, a] of args) checkConstant(node.fn, p, (spec.kinds ?? {})[p] ?? "data", a, fail);
        return;
      }
      throw fail(node, `C(): the contrasts must be one of treatment, sum, helmert, poly, SAS (or contr.treatment, ..., "contr.sum", contr.treatment(3, base = 2))`);
  }
}

/** Reads a formula-level error message helper for calls outside a Checker. */
export function callError(text: string): (at: Node, message: string) => Error {
  return (at, message) => new FormulaError(`${message} at column ${at.pos + 1} in "${text}"`);
}

/**
 * The new-data design of a fitted formula as JSON, and back: what a saved model
 * needs to rebuild X for new rows (R keeps the same in a glm object: terms with
 * predvars, xlevels, contrasts). The formula is re-parsed and re-expanded over the
 * training data's column names; the column layout (names, level indicators,
 * contrast weights), the variables' shapes (factor levels), the offset option
 * given as a column name, the declared column types and the transform states
 * (poly, ns, bs, scale) are stored as data. A transform state is keyed by the
 * position of its call node in a depth-first walk of its variable's syntax tree.
 */
import { ArgumentError } from "../errors.js";
import type { Node } from "./ast.js";
import type { ColumnTypes } from "./column-types.js";
import type { Terms } from "./terms.js";

/** What of a design's parts the JSON holds (design.ts's DesignParts, structurally: no import cycle). */
export interface SavableDesignParts {
  readonly terms: Terms;
  readonly layout: unknown;
  readonly shapes: unknown;
  readonly offsetOption: string | ArrayLike<number> | undefined;
  readonly states: ReadonlyMap<Node, unknown>;
  readonly columns: ColumnTypes | undefined;
}

/** The JSON form of a new-data design (version 1). */
export interface DesignJson {
  readonly glmkit_design: 1;
  readonly formula: string;
  /** The training data's column names (what "." stands for). */
  readonly dataNames: readonly string[];
  readonly layout: unknown;
  readonly shapes: unknown;
  readonly offsetOption: string | null;
  readonly columns: ColumnTypes | null;
  readonly states: ReadonlyArray<{ readonly variable: number; readonly node: number; readonly state: unknown }>;
}

/** The nodes of a tree in a fixed depth-first order (iterative: long sums are deep left chains). */
export function nodesOf(root: Node): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    out.push(node);
    if (node.type === "paren") stack.push(node.expr);
    else if (node.type === "unary") stack.push(node.arg);
    else if (node.type === "binary") stack.push(node.right, node.left);
    else if (node.type === "call") for (let k = node.args.length - 1; k >= 0; k--) stack.push(node.args[k]!.value);
  }
  return out;
}

/** Typed arrays, maps and non-finite numbers as tagged JSON values. */
export function encodeValue(v: unknown): unknown {
  if (typeof v === "number") return Number.isFinite(v) ? v : { $num: String(v) };
  if (v instanceof Float64Array) return { $f64: Array.from(v, (x) => encodeValue(x)) };
  if (v instanceof Int32Array) return { $i32: Array.from(v) };
  if (v instanceof Map) return { $map: Array.from(v, ([k, x]) => [encodeValue(k), encodeValue(x)]) };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = encodeValue(x);
    return out;
  }
  return v;
}

/** The inverse of {@link encodeValue}. */
export function decodeValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeValue);
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  if ("$num" in o) return Number(o.$num);
  if ("$f64" in o) return Float64Array.from((o.$f64 as unknown[]).map((x) => decodeValue(x) as number));
  if ("$i32" in o) return Int32Array.from(o.$i32 as number[]);
  if ("$map" in o) return new Map((o.$map as unknown[][]).map(([k, x]) => [decodeValue(k), decodeValue(x)]));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = decodeValue(x);
  return out;
}

/** The JSON of a design's parts; `dataNames` are the training data's column names. */
export function designPartsToJson(parts: SavableDesignParts, dataNames: readonly string[]): DesignJson {
  const states: { variable: number; node: number; state: unknown }[] = [];
  const seen = new Set<Node>();
  parts.terms.variables.forEach((root, v) => {
    nodesOf(root).forEach((node, k) => {
      const st = parts.states.get(node);
      if (st === undefined || seen.has(node)) return;
      seen.add(node);
      states.push({ variable: v, node: k, state: encodeValue(st) });
    });
  });
  const opt = parts.offsetOption;
  if (opt !== undefined && opt !== null && typeof opt !== "string")
    throw new ArgumentError("a design whose offset was given as values (not a column name) cannot be saved for new data");
  return {
    glmkit_design: 1, formula: parts.terms.formula.text, dataNames: [...dataNames],
    layout: encodeValue(parts.layout), shapes: encodeValue(parts.shapes),
    offsetOption: opt ?? null, columns: parts.columns ?? null, states,
  };
}

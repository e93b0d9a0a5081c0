/**
 * lme4's group-level ("bar") terms of a formula: `findbars`, `nobars`, `expandDoubleVerts`
 * and `expandSlash` of lme4 (R/utilities.R), on glmkit's formula syntax tree.
 *
 * - `y ~ x + (1 + x | g)`: the population-level formula `y ~ x` and one bar `(1 + x | g)`;
 * - `(x || g)` → `(1 | g) + (0 + x | g)`: one uncorrelated term per column (lme4's
 *   expandDoubleVerts: the intercept first, then `0 + t` for each term label t);
 * - `(1 | a/b)` → `(1 | b:a) + (1 | a)` (lme4's expandSlash names the inner level `b:a`);
 * - `(1 | a:b)`: the interaction factor, levels of `a` varying slowest (R's `:` on factors).
 */
import { FormulaError } from "../errors.js";
import { leftSpine, type Formula, type Node } from "../formula/ast.js";
import { deparse } from "../formula/deparse.js";
import { isBarTerm, parseFormula } from "../formula/parse.js";
import { termsOf } from "../formula/terms.js";

/** One bar term after expansion: `(lhs | factor)`. */
export interface BarTerm {
  /** The left side as text, as model.matrix(~ lhs) reads it: "1 + Days", "0 + Days". */
  readonly lhs: string;
  /** The grouping factor's name as lme4 prints it: "Subject", "cask:batch". */
  readonly factor: string;
  /** The variables whose interaction is the factor, slowest first: ["cask", "batch"]. */
  readonly variables: readonly string[];
  /** False for the terms of `(x || g)`. */
  readonly correlated: boolean;
}

/** A formula split into its population-level part and its group-level terms. */
export interface SplitFormula {
  /** The formula without bar terms (lme4's nobars): "Reaction ~ Days"; "y ~ 1" when only bars were given. */
  readonly fixed: string;
  /** The response as text ("Reaction", "cbind(s, f)"). */
  readonly response: string;
  readonly bars: readonly BarTerm[];
  /** Every data column the bar terms use (left sides and grouping factors). */
  readonly variables: readonly string[];
}

const SUM = (op: string): boolean => op === "+" || op === "-";

function namesIn(node: Node, out: Set<string>): void {
  switch (node.type) {
    case "name": if (node.name !== ".") out.add(node.name); return;
    case "paren": namesIn(node.expr, out); return;
    case "unary": namesIn(node.arg, out); return;
    case "binary": namesIn(node.left, out); namesIn(node.right, out); return;
    case "call": for (const a of node.args) namesIn(a.value, out); return;
    default: return;
  }
}

/** `a/b/c` → [a, b, c]; any other grouping node is one component. */
function slashComponents(g: Node): Node[] {
  if (g.type === "paren") return slashComponents(g.expr);
  if (g.type === "binary" && g.op === "/") return [...slashComponents(g.left), ...slashComponents(g.right)];
  return [g];
}

/** The variables of an interaction `a:b` (slowest first). */
function interactionNames(g: Node, text: string): string[] {
  if (g.type === "paren") return interactionNames(g.expr, text);
  if (g.type === "name") return [g.name];
  if (g.type === "binary" && g.op === ":") return [...interactionNames(g.left, text), ...interactionNames(g.right, text)];
  throw new FormulaError(`the grouping factor ${deparse(g)} in "${text}" must be column names joined by ":" or "/"`);
}

/**
 * lme4's expandSlash: the grouping factors of `a/b/c` are `c:b:a`, `b:a`, `a` (in that order).
 * Each factor is returned as its variables, slowest first.
 */
function groupings(g: Node, text: string): string[][] {
  const comps = slashComponents(g).map((c) => interactionNames(c, text));
  const out: string[][] = [];
  for (let d = comps.length - 1; d >= 0; d--) {
    const vars: string[] = [];
    for (let e = d; e >= 0; e--) vars.push(...comps[e]!);
    out.push(vars);
  }
  return out;
}

/**
 * Splits a formula with lme4 bar terms. Bars may only be added at the top level of the
 * right-hand side (not subtracted, not inside `*` or `:`), as lme4 reads them.
 * @example splitBars("y ~ x + (x || g)").bars.map((b) => b.lhs) // ["1", "0 + x"]
 */
export function splitBars(text: string, dataNames: readonly string[] | null = null): SplitFormula {
  const f: Formula = parseFormula(text, { bars: true });
  if (!f.lhs) throw new FormulaError(`the formula "${text}" has no response (left-hand side)`);
  const { first, steps } = leftSpine(f.rhs, SUM);
  const items: Array<{ op: string; node: Node }> = [{ op: "+", node: first }, ...steps.map((s) => ({ op: s.op, node: s.right }))];
  const kept: Array<{ op: string; node: Node }> = [];
  const bars: BarTerm[] = [];
  const used = new Set<string>();
  for (const it of items) {
    if (!isBarTerm(it.node)) {
      if (containsBar(it.node)) throw new FormulaError(`group-level terms such as (1 | g) must be added at the top level of "${text}", not combined with other operators`);
      kept.push(it);
      continue;
    }
    if (it.op === "-") throw new FormulaError(`a group-level term cannot be subtracted in "${text}"`);
    const b = (it.node as { expr: Node }).expr as Node & { type: "binary" };
    namesIn(b.left, used);
    namesIn(b.right, used);
    const lhs = deparse(b.left);
    for (const vars of groupings(b.right, text)) {
      const factor = vars.join(":");
      if (b.op === "|") { bars.push({ lhs, factor, variables: vars, correlated: true }); continue; }
      // expandDoubleVerts: (1 | g) when the left side has an intercept, then (0 + t | g) for each term.
      const t = termsOf(parseFormula(`~ ${lhs}`), dataNames);
      if (t.intercept) bars.push({ lhs: "1", factor, variables: vars, correlated: false });
      for (const label of t.termLabels) bars.push({ lhs: `0 + ${label}`, factor, variables: vars, correlated: false });
    }
  }
  if (bars.length === 0) throw new FormulaError(`"${text}" has no group-level term such as (1 | g)`);
  const response = deparse(f.lhs);
  let rhs: string;
  if (kept.length === 0) rhs = "1";
  else {
    const parts = kept.map((k, i) => (i === 0 ? (k.op === "-" ? `1 - ${deparse(k.node)}` : deparse(k.node)) : ` ${k.op} ${deparse(k.node)}`));
    rhs = parts.join("");
  }
  return { fixed: `${response} ~ ${rhs}`, response, bars, variables: [...used] };
}

function containsBar(node: Node): boolean {
  switch (node.type) {
    case "paren": return isBarTerm(node) || containsBar(node.expr);
    case "unary": return containsBar(node.arg);
    case "binary": return containsBar(node.left) || containsBar(node.right);
    case "call": return node.args.some((a) => containsBar(a.value));
    default: return false;
  }
}

/** Whether a formula text has lme4 bar terms (the CLI and glm() use it to point to glmer()). */
export function hasBars(text: string): boolean {
  try {
    const f = parseFormula(text, { bars: true });
    return containsBar(f.rhs);
  } catch {
    return false;
  }
}

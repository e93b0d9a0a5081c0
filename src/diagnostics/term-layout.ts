/**
 * The terms of a model as the term-wise tests need them (R's anova.glm, drop1.glm,
 * add1.glm): the term labels, the variables of each term (for marginality), and the
 * term of each design column (R's attr(model.matrix, "assign")); R's drop.scope and
 * add.scope (stats 4.2, R/add.R: factor.scope), and update.formula's "." substitution.
 *
 * Marginality (factor.scope): with f[i][j] the number of variables terms i and j share,
 *   drop.scope  term i may be dropped unless it is contained in another term
 *               (max_{j≠i} f[i][j] = f[i][i]);
 *   add.scope   a candidate j (a term of the upper formula not in the model) is offered
 *               unless another candidate i is contained in it (f[i][j] = f[i][i]).
 * Labels are matched as R does, after sorting the parts of "a:b" (terms(y ~ a + b:a)
 * labels the interaction "b:a"; PR#7842).
 */
import { ArgumentError, FormulaError } from "../errors.js";
import { deparse, parseFormula, termsOf } from "../formula/index.js";
import type { Formula, Node } from "../formula/index.js";

/** The terms of a model and the term of each design column. */
export interface TermLayout {
  /** R's attr(terms, "term.labels"). */
  labels: string[];
  /** The variables (deparsed) of each term, as the rows of R's attr(terms, "factors"). */
  variables: string[][];
  /** Term of each design column: 0 for the intercept, t + 1 for labels[t] (R's assign). */
  assign: Int32Array;
  intercept: boolean;
}

/** Term labels and variables of a formula (no design). */
export type TermSet = Pick<TermLayout, "labels" | "variables" | "intercept">;

/**
 * The layout of a design given without a formula: each column its own term, named by
 * the column, "(Intercept)" (when `hasIntercept` and first) term 0.
 * @example layoutFromColumns(["(Intercept)", "x1", "x2"], true).assign // Int32Array [0, 1, 2]
 */
export function layoutFromColumns(columnNames: readonly string[], hasIntercept: boolean): TermLayout {
  const skip = hasIntercept && columnNames[0] === "(Intercept)" ? 1 : 0;
  const labels = columnNames.slice(skip);
  return {
    labels: [...labels],
    variables: labels.map((nm) => [nm]),
    assign: Int32Array.from(columnNames, (_, j) => (j < skip ? 0 : j - skip + 1)),
    intercept: skip === 1,
  };
}

/** "b:a" → "a:b": the parts of an interaction label sorted (R's sort(strsplit(x, ":"))). */
export function canonicalLabel(label: string): string {
  return label.split(":").sort().join(":");
}

/** f[i][j] = number of variables terms i and j share (R's crossprod(factors > 0)). */
function sharedCounts(variables: readonly (readonly string[])[]): number[][] {
  const sets = variables.map((v) => new Set(v));
  return sets.map((a) => sets.map((b) => [...a].filter((x) => b.has(x)).length));
}

/**
 * R's drop.scope(fit): the terms that can be dropped without leaving an interaction
 * without its margins (see the module comment).
 * @example dropScope({ labels: ["a", "b", "a:b"], variables: [["a"], ["b"], ["a", "b"]] }) // ["a:b"]
 */
export function dropScope(terms: Pick<TermSet, "labels" | "variables">): string[] {
  const { labels } = terms;
  if (labels.length <= 1) return [...labels];
  const f = sharedCounts(terms.variables);
  return labels.filter((_, i) => {
    let max = -Infinity;
    for (let j = 0; j < labels.length; j++) if (j !== i) max = Math.max(max, f[i]![j]!);
    return max !== f[i]![i];
  });
}

/**
 * R's add.scope(fit, upper): the terms of `upper` not in `model` that respect
 * marginality among themselves. Throws as R when `upper` lacks a term of the model.
 * @example addScope({ labels: ["a"], ... }, { labels: ["a", "b", "a:b"], ... }) // ["b"]
 */
export function addScope(model: Pick<TermSet, "labels">, upper: Pick<TermSet, "labels" | "variables">): string[] {
  const upperCanon = upper.labels.map(canonicalLabel);
  const missing = model.labels.filter((l) => !upperCanon.includes(canonicalLabel(l)));
  if (missing.length > 0) throw new ArgumentError(`scope: the upper scope has term${missing.length === 1 ? "" : "s"} ${missing.map((m) => `"${m}"`).join(", ")} not included in the model's terms (R: "upper scope has term(s) … not included in model")`);
  const inModel = new Set(model.labels.map(canonicalLabel));
  const idx = upper.labels.map((_, j) => j).filter((j) => !inModel.has(upperCanon[j]!));
  const vars = idx.map((j) => upper.variables[j]!);
  const keep = idx.map(() => true);
  if (idx.length > 1) {
    const f = sharedCounts(vars);
    for (let i = 0; i < idx.length; i++) for (let j = 0; j < idx.length; j++) if (j !== i && !(f[i]![j]! < f[i]![i]!)) keep[j] = false;
  }
  return idx.filter((_, a) => keep[a]).map((j) => upper.labels[j]!);
}

/** Replaces every `.` name in `node` with `replacement` (R's C updateform: ExpandDots). */
function substituteDot(node: Node, replacement: Node): Node {
  const sub = (x: Node): Node => substituteDot(x, replacement);
  switch (node.type) {
    case "name": return node.name === "." ? replacement : node;
    case "paren": return { ...node, expr: sub(node.expr) };
    case "unary": return { ...node, arg: sub(node.arg) };
    case "binary": return { ...node, left: sub(node.left), right: sub(node.right) };
    case "call": return { ...node, args: node.args.map((a) => ({ ...a, value: sub(a.value) })) };
    default: return node;
  }
}

/**
 * R's update.formula(old, new) before simplification: `.` on the right of `new` stands
 * for the old right-hand side, on the left for the old response; a one-sided `new`
 * keeps the old response.
 * @example updateFormula("y ~ a + b", "~ . + c") // "y ~ (a + b) + c"
 */
export function updateFormula(old: string, update: string): string {
  const f0: Formula = parseFormula(old);
  const f1: Formula = parseFormula(update);
  if (!f0.lhs) throw new FormulaError(`the model's formula "${old}" has no response`);
  const lhs = f1.lhs ? substituteDot(f1.lhs, f0.lhs) : f0.lhs;
  // The old right-hand side goes in parentheses unless it is a single name or call, as R does.
  const rhs0 = f0.rhs.type === "binary" || f0.rhs.type === "unary" ? { type: "paren" as const, expr: f0.rhs, pos: f0.rhs.pos } : f0.rhs;
  return `${deparse(lhs)} ~ ${deparse(substituteDot(f1.rhs, rhs0))}`;
}

/**
 * The term labels and variables of a formula over data with columns `dataNames`
 * (R's terms(formula, data = data)).
 */
export function formulaTerms(formula: string, dataNames: readonly string[] | null): TermSet {
  const t = termsOf(parseFormula(formula), dataNames);
  return {
    labels: [...t.termLabels],
    variables: t.terms.map((vars) => vars.map((v) => t.variableNames[v]!)),
    intercept: t.intercept,
  };
}

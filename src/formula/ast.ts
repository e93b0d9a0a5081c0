/**
 * Syntax tree of an R model formula. Parentheses are kept as nodes, as R's
 * parser keeps the `(` call, so that deparsing reproduces R's variable names.
 * `pos` is the 0-based offset of the node's first character in the formula text.
 */

/** A numeric literal; `integer` for R's `2L`. */
export interface NumNode { readonly type: "num"; readonly value: number; readonly integer: boolean; readonly pos: number }
/** A string literal. */
export interface StrNode { readonly type: "str"; readonly value: string; readonly pos: number }
/** TRUE or FALSE. */
export interface BoolNode { readonly type: "bool"; readonly value: boolean; readonly pos: number }
/** A name (symbol): a column, or `.` in a formula. */
export interface NameNode { readonly type: "name"; readonly name: string; readonly pos: number }
/** `( expr )`. */
export interface ParenNode { readonly type: "paren"; readonly expr: Node; readonly pos: number }
/** Unary `-`, `+`, `!` or `~`. */
export interface UnaryNode { readonly type: "unary"; readonly op: string; readonly arg: Node; readonly pos: number }
/** Binary operator (`+ - * / ^ : %in% %% %/% == != < > <= >= & | ~`). */
export interface BinaryNode { readonly type: "binary"; readonly op: string; readonly left: Node; readonly right: Node; readonly pos: number }
/** One argument of a call, possibly named (`base = 2`). */
export interface CallArg { readonly name: string | null; readonly value: Node }
/** A function call `fn(args)`. */
export interface CallNode { readonly type: "call"; readonly fn: string; readonly args: readonly CallArg[]; readonly pos: number }

/** Any node of a formula's syntax tree. */
export type Node = NumNode | StrNode | BoolNode | NameNode | ParenNode | UnaryNode | BinaryNode | CallNode;

/** A parsed formula `lhs ~ rhs` (lhs null for a one-sided formula `~ rhs`). */
export interface Formula {
  /** The formula text as given. */
  readonly text: string;
  readonly lhs: Node | null;
  readonly rhs: Node;
}

/** One step of a left-deep chain `((first op1 r1) op2 r2) …`: the operator, its node and right operand. */
export interface SpineStep { readonly op: string; readonly node: BinaryNode; readonly right: Node }

/**
 * Unrolls a left-deep chain of binary nodes whose operator satisfies `inChain`
 * (a flat sum of thousands of terms is one such chain), without recursion, so
 * that tree walks need stack only for genuine nesting.
 * @example leftSpine(parse("a + b - c"), isSum) // first a; steps + b, - c
 */
export function leftSpine(node: Node, inChain: (op: string) => boolean): { readonly first: Node; readonly steps: readonly SpineStep[] } {
  const steps: SpineStep[] = [];
  let cur = node;
  while (cur.type === "binary" && inChain(cur.op)) {
    steps.push({ op: cur.op, node: cur, right: cur.right });
    cur = cur.left;
  }
  steps.reverse();
  return { first: cur, steps };
}

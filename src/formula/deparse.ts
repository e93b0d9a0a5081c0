/**
 * Deparsing a formula node back to text exactly as R 4.2's `deparse()` does,
 * because the text becomes variable names, term labels and column names:
 * spaces around `+ - * == != < > <= >= & | ~` and `%op%` (but not `%%`, `%/%`),
 * none around `/ ^ :`; unary operators without a space (`-x`, `!a`); call
 * arguments separated by ", " with named ones as `base = 2`; numbers with 15
 * significant digits (`1e+05`); non-syntactic names in backquotes.
 */
import { leftSpine, type Formula, type Node } from "./ast.js";
import { deparseName, deparseString, formatRNumber } from "./r-format.js";

const TIGHT = new Set(["/", "^", ":", "%%", "%/%"]);

/**
 * R's deparse of one node.
 * @example deparse(parseFormula("y ~ I(a*b/c^2-1)").rhs) // "I(a * b/c^2 - 1)"
 */
export function deparse(node: Node): string {
  switch (node.type) {
    // terms() deparses without keeping the integer suffix: I(2L * x) is named "I(2 * x)".
    case "num": return formatRNumber(node.value);
    case "str": return deparseString(node.value);
    case "bool": return node.value ? "TRUE" : "FALSE";
    case "name": return deparseName(node.name);
    case "paren": return `(${deparse(node.expr)})`;
    case "unary": return node.op + deparse(node.arg);
    case "binary": {
      // A left-deep chain (a flat sum of any length) is unrolled, not recursed into.
      const { first, steps } = leftSpine(node, () => true);
      const parts = [deparse(first)];
      for (const s of steps) parts.push(TIGHT.has(s.op) ? s.op : ` ${s.op} `, deparse(s.right));
      return parts.join("");
    }
    case "call": {
      const args = node.args.map((a) => (a.name !== null ? `${deparseName(a.name)} = ` : "") + deparse(a.value));
      return `${node.fn}(${args.join(", ")})`;
    }
  }
}

/** R's deparse of a whole formula: "y ~ a + b" or "~a + b". */
export function deparseFormula(f: Formula): string {
  return f.lhs ? `${deparse(f.lhs)} ~ ${deparse(f.rhs)}` : `~${deparse(f.rhs)}`;
}

/**
 * Recursive-descent parser for R model formulas, with R's operator precedence
 * (R's gram.y, loosest first): `~`; `|` `||`; `&` `&&`; unary `!`; comparisons;
 * `+ -`; `* /`; `%op%`; `:`; unary `+ -`; `^` (right-associative). All binary
 * operators but `^` associate to the left, so `-x^2` is `-(x^2)` and `-1:2` is `(-1):2`.
 *
 * After parsing, the tree is checked: formula operators (`+ - * / : ^ %in%`,
 * `0`, `1`, `.`) at the formula level, arithmetic inside function arguments,
 * only known functions, each with R's argument matching (src/formula/functions.ts).
 */
export { KNOWN_FUNCTIONS } from "./functions.js";
import { FormulaError } from "../errors.js";
import { leftSpine, type CallArg, type CallNode, type Formula, type Node } from "./ast.js";
import { CONTRAST_FUNCTIONS, FUNCTIONS, KNOWN_FUNCTIONS, callError, checkConstant, matchArgs } from "./functions.js";
import { syntaxError, tokenize, type Token } from "./tokenize.js";
import { deparse as deparseNode } from "./deparse.js";

const BINARY_PRECEDENCE: Record<string, number> = {
  "~": 1, "|": 2, "||": 2, "&": 3, "&&": 3,
  "==": 5, "!=": 5, "<": 5, ">": 5, "<=": 5, ">=": 5,
  "+": 6, "-": 6, "*": 7, "/": 7, ":": 9, "^": 11,
};
const SPECIAL_PRECEDENCE = 8; // %op%
const UNARY_MINUS_PRECEDENCE = 10;
const NOT_OPERAND_PRECEDENCE = 5; // `!a == b` is `!(a == b)`
const TILDE_OPERAND_PRECEDENCE = 2;

function precedenceOf(t: Token): number {
  if (t.type !== "op") return -1;
  if (t.text.startsWith("%")) return SPECIAL_PRECEDENCE;
  return BINARY_PRECEDENCE[t.text] ?? -1;
}

function describeToken(t: Token): string {
  if (t.type === "eof") return "end of formula";
  return `"${t.text}"`;
}

/** R's parser allows at most 50 nested brackets (gram.y's CONTEXTSTACK_SIZE: "contextstack overflow"). */
export const MAX_BRACKET_DEPTH = 50;
/** Any other nesting (unary operators, `^` chains) is capped so that every tree walk stays far from the call-stack limit. */
export const MAX_NESTING_DEPTH = 500;

class Parser {
  private i = 0;
  private depth = 0;
  private brackets = 0;
  constructor(private readonly text: string, private readonly tokens: Token[]) {}

  peek(): Token { return this.tokens[this.i]; }
  next(): Token { return this.tokens[this.i++]; }

  expect(type: Token["type"], what: string): Token {
    const t = this.peek();
    if (t.type !== type) throw syntaxError(this.text, t.pos, describeToken(t), what);
    return this.next();
  }

  private enterBracket(t: Token): void {
    if (++this.brackets > MAX_BRACKET_DEPTH) {
      throw new FormulaError(`the formula nests more than ${MAX_BRACKET_DEPTH} brackets at column ${t.pos + 1} in "${abbreviate(this.text)}" (R's parser stops there too: "contextstack overflow")`);
    }
  }

  /**
   * expr := unary (binop expr)*, by precedence climbing. A chain of left-associative
   * operators (a flat sum of any length) is built in this loop, without recursion.
   */
  parseExpr(minPrec: number): Node {
    if (++this.depth > MAX_NESTING_DEPTH) {
      throw new FormulaError(`the formula nests more than ${MAX_NESTING_DEPTH} levels deep at column ${this.peek().pos + 1} in "${abbreviate(this.text)}"`);
    }
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      const prec = precedenceOf(t);
      if (prec < 0 || prec < minPrec) break;
      this.next();
      const rightAssoc = t.text === "^";
      const right = this.parseOperand(rightAssoc ? prec : prec + 1, t.text);
      left = { type: "binary", op: t.text, left, right, pos: left.pos };
    }
    this.depth--;
    return left;
  }

  private parseOperand(minPrec: number, after: string): Node {
    const t = this.peek();
    if (t.type === "eof" || t.type === ")" || t.type === "," || (t.type === "op" && !["-", "+", "!", "~"].includes(t.text))) {
      throw syntaxError(this.text, t.pos, describeToken(t), `a term after "${after}"`);
    }
    return this.parseExpr(minPrec);
  }

  parseUnary(): Node {
    const t = this.peek();
    if (t.type === "op" && (t.text === "-" || t.text === "+")) {
      this.next();
      return { type: "unary", op: t.text, arg: this.parseOperand(UNARY_MINUS_PRECEDENCE, t.text), pos: t.pos };
    }
    if (t.type === "op" && t.text === "!") {
      this.next();
      return { type: "unary", op: "!", arg: this.parseOperand(NOT_OPERAND_PRECEDENCE, "!"), pos: t.pos };
    }
    if (t.type === "op" && t.text === "~") {
      this.next();
      return { type: "unary", op: "~", arg: this.parseOperand(TILDE_OPERAND_PRECEDENCE, "~"), pos: t.pos };
    }
    return this.parsePrimary();
  }

  parsePrimary(): Node {
    const t = this.next();
    switch (t.type) {
      case "num": return { type: "num", value: t.value as number, integer: t.integer === true, pos: t.pos };
      case "str": return { type: "str", value: t.value as string, pos: t.pos };
      case "(": {
        this.enterBracket(t);
        const expr = this.parseExpr(1);
        this.expect(")", `")" to close the "(" at column ${t.pos + 1}`);
        this.brackets--;
        return { type: "paren", expr, pos: t.pos };
      }
      case "name": {
        const name = t.value as string;
        if (!t.quoted && (name === "TRUE" || name === "FALSE")) return { type: "bool", value: name === "TRUE", pos: t.pos };
        if (!t.quoted && ["if", "else", "for", "while", "repeat", "function", "next", "break", "NULL", "NA", "Inf", "NaN", "in"].includes(name)) {
          throw syntaxError(this.text, t.pos, `reserved word "${name}"`, "a term");
        }
        if (this.peek().type === "(") return this.parseCall(name, t);
        return { type: "name", name, pos: t.pos };
      }
      default:
        throw syntaxError(this.text, t.pos, describeToken(t), "a term");
    }
  }

  parseCall(fn: string, at: Token): Node {
    this.enterBracket(this.next()); // "("
    const args: CallArg[] = [];
    if (this.peek().type === ")") { this.next(); this.brackets--; return { type: "call", fn, args, pos: at.pos }; }
    for (;;) {
      let name: string | null = null;
      const t = this.peek();
      const after = this.tokens[this.i + 1];
      if (t.type === "name" && after.type === "op" && after.text === "=") {
        name = t.value as string;
        this.i += 2;
      }
      args.push({ name, value: this.parseOperand(TILDE_OPERAND_PRECEDENCE, name ? "=" : "(") });
      const sep = this.peek();
      if (sep.type === ",") { this.next(); continue; }
      if (sep.type === ")") { this.next(); break; }
      throw syntaxError(this.text, sep.pos, describeToken(sep), `"," or ")" in the call to ${fn}() at column ${at.pos + 1}`);
    }
    this.brackets--;
    return { type: "call", fn, args, pos: at.pos };
  }
}

/** The formula text, shortened for an error message. */
function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 60)} … ${text.slice(-15)}` : text;
}

const FORMULA_OPERATORS = new Set(["+", "-", "*", "/", ":", "^", "%in%"]);
const EXPRESSION_OPERATORS = new Set(["+", "-", "*", "/", "^", "%%", "%/%", "==", "!=", "<", ">", "<=", ">=", "&", "|"]);
const FORMULA_CHAIN = (op: string): boolean => FORMULA_OPERATORS.has(op) && op !== "^";
const ANY_BINARY = (op: string): boolean => op !== "~";

/**
 * Whether a node is an lme4 group-level ("bar") term `(expr | g)` or `(expr || g)`:
 * a parenthesised `|` / `||` at the formula level.
 * @example isBarTerm(parseFormula("y ~ x + (1 | g)", { bars: true }).rhs.right) // true
 */
export function isBarTerm(node: Node): boolean {
  return node.type === "paren" && node.expr.type === "binary" && (node.expr.op === "|" || node.expr.op === "||");
}

/** Options of {@link parseFormula}. */
export interface ParseOptions {
  /** Accept lme4's group-level terms `(1 + x | g)`, `(x || g)` (multilevel models); otherwise they are a FormulaError pointing to glmer(). */
  readonly bars?: boolean;
}

class Checker {
  private readonly fail: (at: Node, message: string) => Error;
  constructor(text: string, private readonly opts: ParseOptions = {}) {
    this.fail = callError(text);
  }

  /** A bar term `(lhs | g)`: the left side is a formula right-hand side, the grouping factor names joined by `:` or `/`. */
  private bar(node: Node): void {
    const b = (node as { expr: Node }).expr as Node & { type: "binary" };
    if (!this.opts.bars) {
      throw this.fail(node, `group-level term ${deparseNode(node)}: "${b.op}" terms belong to multilevel models; fit them with glmer() (CLI: the same formula with glmkit fit dispatches there), not glm()`);
    }
    this.rhs(b.left);
    const grouping = (g: Node): void => {
      if (g.type === "name") {
        if (g.name === ".") throw this.fail(g, '"." cannot be a grouping factor');
        return;
      }
      if (g.type === "paren") { grouping(g.expr); return; }
      if (g.type === "binary" && (g.op === ":" || g.op === "/")) { grouping(g.left); grouping(g.right); return; }
      throw this.fail(g, `the grouping factor of a group-level term must be a column name, or names joined by ":" or "/" (as in (1 | g1/g2)); got ${deparseNode(g)}`);
    };
    grouping(b.right);
  }

  private call(node: CallNode, where: "lhs" | "rhs" | "expr"): void {
    if (node.fn === "c") throw this.fail(node, "c(...) may only give constant values to an argument such as levels = c(...)");
    if (CONTRAST_FUNCTIONS[node.fn]) throw this.fail(node, `${node.fn}() may only give the contrasts of C(), as in C(x, ${node.fn}(3))`);
    const spec = FUNCTIONS[node.fn];
    if (!spec) throw this.fail(node, `unknown function "${node.fn}" (formulas may use ${KNOWN_FUNCTIONS.join(", ")})`);
    if (node.fn === "offset" && where !== "rhs") throw this.fail(node, "offset() may only appear as a term on the right-hand side");
    if (node.fn === "cbind" && where !== "lhs") throw this.fail(node, "cbind(successes, failures) may only be the whole left-hand side");
    const args = matchArgs(node, spec, this.fail);
    for (const [param, value] of args) {
      const kind = (spec.kinds ?? {})[param] ?? "data";
      if (kind === "data") this.expr(value);
      else checkConstant(node.fn, param, kind, value, this.fail);
    }
  }

  /** An arithmetic expression (inside a function's arguments). */
  expr(node: Node): void {
    switch (node.type) {
      case "num": case "str": case "bool": return;
      case "name":
        if (node.name === ".") throw this.fail(node, '"." may only stand for a term of the formula');
        return;
      case "paren": this.expr(node.expr); return;
      case "unary":
        if (node.op === "~") throw this.fail(node, 'unexpected "~" inside an expression');
        this.expr(node.arg);
        return;
      case "binary": {
        const { first, steps } = leftSpine(node, ANY_BINARY);
        for (const s of steps) {
          if (s.op === "&&" || s.op === "||") throw this.fail(s.node, `"${s.op}" compares single values; use "${s.op[0]}"`);
          if (!EXPRESSION_OPERATORS.has(s.op)) throw this.fail(s.node, `operator "${s.op}" is not supported inside an expression`);
        }
        if (first.type === "binary") throw this.fail(first, 'a formula has only one "~"');
        this.expr(first);
        for (const s of steps) this.expr(s.right);
        return;
      }
      case "call": this.call(node, "expr"); return;
    }
  }

  /** A formula-level term expression (right-hand side). */
  rhs(node: Node): void {
    switch (node.type) {
      case "num":
        if (node.value !== 0 && node.value !== 1) throw this.fail(node, `invalid term ${node.value} (only 0 and 1 may appear as terms)`);
        return;
      case "str": case "bool": throw this.fail(node, "invalid term (a constant)");
      case "name": return;
      case "paren":
        if (isBarTerm(node)) { this.bar(node); return; }
        this.rhs(node.expr);
        return;
      case "unary":
        if (node.op === "~") throw this.fail(node, 'a formula has only one "~"');
        if (node.op === "-" || node.op === "+") { this.rhs(node.arg); return; }
        this.expr(node);
        return;
      case "binary":
        if (node.op === "~") throw this.fail(node, 'a formula has only one "~"');
        if (node.op === "^") {
          this.rhs(node.left);
          if (node.right.type !== "num" || node.right.value < 2) throw this.fail(node.right, "the power of a formula term must be a number of at least 2, as in (a + b)^2");
          return;
        }
        if (FORMULA_CHAIN(node.op)) {
          const { first, steps } = leftSpine(node, FORMULA_CHAIN);
          this.rhs(first);
          for (const s of steps) this.rhs(s.right);
          return;
        }
        this.expr(node);
        return;
      case "call": this.call(node, "rhs"); return;
    }
  }

  lhs(node: Node): void {
    if (node.type === "call" && node.fn === "cbind") { this.call(node, "lhs"); return; }
    this.expr(node);
  }
}

/**
 * Parses R formula text into a {@link Formula}. Malformed text → FormulaError
 * naming the column and what was expected; unknown functions → FormulaError naming the function.
 * @example parseFormula("y ~ a*b + log(x)").rhs // binary "+" node
 */
export function parseFormula(text: string, opts: ParseOptions = {}): Formula {
  if (typeof text !== "string") throw new FormulaError(`the formula must be a string, not ${typeof text}`);
  const parser = new Parser(text, tokenize(text));
  if (parser.peek().type === "eof") throw new FormulaError(`the formula is empty: expected "y ~ terms"`);
  const root = parser.parseExpr(1);
  const rest = parser.peek();
  if (rest.type !== "eof") throw syntaxError(text, rest.pos, describeToken(rest), "an operator or the end of the formula");
  let lhs: Node | null;
  let rhs: Node;
  if (root.type === "binary" && root.op === "~") { lhs = root.left; rhs = root.right; }
  else if (root.type === "unary" && root.op === "~") { lhs = null; rhs = root.arg; }
  else throw new FormulaError(`"${text}" is not a formula: expected "y ~ terms" (no "~" found at the top level)`);
  const checker = new Checker(text, opts);
  if (lhs) checker.lhs(lhs);
  checker.rhs(rhs);
  return { text, lhs, rhs };
}

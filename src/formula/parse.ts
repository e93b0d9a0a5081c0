/**
 * Recursive-descent parser for R model formulas, with R's operator precedence
 * (R's gram.y, loosest first): `~`; `|` `||`; `&` `&&`; unary `!`; comparisons;
 * `+ -`; `* /`; `%op%`; `:`; unary `+ -`; `^` (right-associative). All binary
 * operators but `^` associate to the left, so `-x^2` is `-(x^2)` and `-1:2` is `(-1):2`.
 *
 * After parsing, the tree is checked: formula operators (`+ - * / : ^ %in%`,
 * `0`, `1`, `.`) at the formula level, arithmetic inside function arguments,
 * only known functions.
 */
import { FormulaError } from "../errors.js";
import type { CallArg, Formula, Node } from "./ast.js";
import { syntaxError, tokenize, type Token } from "./tokenize.js";

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

class Parser {
  private i = 0;
  constructor(private readonly text: string, private readonly tokens: Token[]) {}

  peek(): Token { return this.tokens[this.i]; }
  next(): Token { return this.tokens[this.i++]; }

  expect(type: Token["type"], what: string): Token {
    const t = this.peek();
    if (t.type !== type) throw syntaxError(this.text, t.pos, describeToken(t), what);
    return this.next();
  }

  /** expr := unary (binop expr)*, by precedence climbing. */
  parseExpr(minPrec: number): Node {
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
        const expr = this.parseExpr(1);
        this.expect(")", `")" to close the "(" at column ${t.pos + 1}`);
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
    this.next(); // "("
    const args: CallArg[] = [];
    if (this.peek().type === ")") { this.next(); return { type: "call", fn, args, pos: at.pos }; }
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
    return { type: "call", fn, args, pos: at.pos };
  }
}

/** Functions a formula may call, with their number of arguments. */
const FUNCTIONS: Record<string, { min: number; max: number; named?: string[] }> = {
  I: { min: 1, max: 1 },
  log: { min: 1, max: 2, named: ["base"] },
  exp: { min: 1, max: 1 }, sqrt: { min: 1, max: 1 }, abs: { min: 1, max: 1 },
  log2: { min: 1, max: 1 }, log10: { min: 1, max: 1 }, log1p: { min: 1, max: 1 }, expm1: { min: 1, max: 1 },
  sin: { min: 1, max: 1 }, cos: { min: 1, max: 1 }, tan: { min: 1, max: 1 },
  factor: { min: 1, max: 1 }, "as.numeric": { min: 1, max: 1 },
  offset: { min: 1, max: 1 }, cbind: { min: 2, max: 2 },
};

/** Names of the functions a formula may call. */
export const KNOWN_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);

const FORMULA_OPERATORS = new Set(["+", "-", "*", "/", ":", "^", "%in%"]);
const EXPRESSION_OPERATORS = new Set(["+", "-", "*", "/", "^", "%%", "%/%", "==", "!=", "<", ">", "<=", ">=", "&", "|"]);

class Checker {
  constructor(private readonly text: string) {}

  private fail(node: Node, message: string): FormulaError {
    return new FormulaError(`${message} at column ${node.pos + 1} in "${this.text}"`);
  }

  private call(node: Node & { type: "call" }, where: "lhs" | "rhs" | "expr"): void {
    const spec = FUNCTIONS[node.fn];
    if (!spec) throw this.fail(node, `unknown function "${node.fn}" (formulas may use ${KNOWN_FUNCTIONS.join(", ")})`);
    if (node.fn === "offset" && where !== "rhs") throw this.fail(node, "offset() may only appear as a term on the right-hand side");
    if (node.fn === "cbind" && where !== "lhs") throw this.fail(node, "cbind(successes, failures) may only be the whole left-hand side");
    const n = node.args.length;
    if (n < spec.min || n > spec.max) {
      const want = spec.min === spec.max ? `${spec.min}` : `${spec.min} or ${spec.max}`;
      throw this.fail(node, `${node.fn}() takes ${want} argument${spec.max === 1 ? "" : "s"}, not ${n}`);
    }
    node.args.forEach((a, k) => {
      if (a.name !== null && !(spec.named ?? []).includes(a.name)) {
        throw this.fail(a.value, `${node.fn}() has no argument named "${a.name}"`);
      }
      if (k === 0 && a.name !== null) throw this.fail(a.value, `the first argument of ${node.fn}() must not be named`);
      this.expr(a.value);
    });
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
      case "binary":
        if (node.op === "~") throw this.fail(node, 'a formula has only one "~"');
        if (node.op === "&&" || node.op === "||") throw this.fail(node, `"${node.op}" compares single values; use "${node.op[0]}"`);
        if (!EXPRESSION_OPERATORS.has(node.op)) throw this.fail(node, `operator "${node.op}" is not supported inside an expression`);
        this.expr(node.left);
        this.expr(node.right);
        return;
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
      case "paren": this.rhs(node.expr); return;
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
        if (FORMULA_OPERATORS.has(node.op)) { this.rhs(node.left); this.rhs(node.right); return; }
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
export function parseFormula(text: string): Formula {
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
  const checker = new Checker(text);
  if (lhs) checker.lhs(lhs);
  checker.rhs(rhs);
  return { text, lhs, rhs };
}

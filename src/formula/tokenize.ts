/**
 * Tokenizer for R formula text: names (with dots and underscores, or
 * backquoted), numbers (decimal, exponent, hexadecimal, `L` suffix), strings,
 * operators (`~ + - * / ^ ** : %op% == != < > <= >= ! & && | || =`), parentheses
 * and commas.
 */
import { FormulaError } from "../errors.js";

/** Kinds of tokens. */
export type TokenType = "num" | "str" | "name" | "op" | "(" | ")" | "," | "eof";

/** One token; `pos` is the 0-based offset in the text. */
export interface Token {
  readonly type: TokenType;
  /** Source text of the token (operators normalised: `**` → `^`). */
  readonly text: string;
  readonly pos: number;
  /** Numeric value (num), string value (str) or name (name, unquoted). */
  readonly value?: number | string;
  /** For num: an integer literal with the `L` suffix. */
  readonly integer?: boolean;
  /** For name: written in backquotes. */
  readonly quoted?: boolean;
}

/** `unexpected <what> at column <c> in "<text>"`, plus what was expected. */
export function syntaxError(text: string, pos: number, what: string, expected?: string): FormulaError {
  return new FormulaError(`unexpected ${what} at column ${pos + 1} in "${text}"${expected ? `: expected ${expected}` : ""}`);
}

const NAME_START = /[\p{L}.]/u;
const NAME_CHAR = /[\p{L}\p{N}._]/u;
const NUMBER = /^(?:0[xX][0-9a-fA-F]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)/;
const OPERATORS = ["**", "==", "!=", "<=", ">=", "&&", "||", "~", "+", "-", "*", "/", "^", ":", "<", ">", "!", "&", "|", "="];

/** Splits formula text into tokens, ending with an `eof` token. Throws a FormulaError at the first bad character. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") { i++; continue; }
    const start = i;
    // Numbers: a digit, or "." followed by a digit.
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      const m = NUMBER.exec(text.slice(i)) as RegExpExecArray;
      let lit = m[0];
      i += lit.length;
      const value = /^0[xX]/.test(lit) ? parseInt(lit.slice(2), 16) : Number(lit);
      let integer = false;
      if (text[i] === "L") { integer = true; i++; lit += "L"; }
      if (i < n && NAME_CHAR.test(text[i])) throw syntaxError(text, i, `"${text[i]}" after the number ${lit}`);
      tokens.push({ type: "num", text: lit, pos: start, value, integer });
      continue;
    }
    if (NAME_START.test(c)) {
      while (i < n && NAME_CHAR.test(text[i])) i++;
      const name = text.slice(start, i);
      tokens.push({ type: "name", text: name, pos: start, value: name, quoted: false });
      continue;
    }
    if (c === "`") {
      let name = "";
      i++;
      while (i < n && text[i] !== "`") {
        if (text[i] === "\\" && i + 1 < n) { name += text[i + 1]; i += 2; } else name += text[i++];
      }
      if (i >= n) throw syntaxError(text, start, "unterminated backquoted name", "a closing backquote");
      i++;
      if (name === "") throw syntaxError(text, start, "empty backquoted name");
      tokens.push({ type: "name", text: text.slice(start, i), pos: start, value: name, quoted: true });
      continue;
    }
    if (c === '"' || c === "'") {
      let s = "";
      i++;
      while (i < n && text[i] !== c) {
        if (text[i] === "\\" && i + 1 < n) {
          const e = text[i + 1];
          s += e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : e;
          i += 2;
        } else s += text[i++];
      }
      if (i >= n) throw syntaxError(text, start, "unterminated string", `a closing ${c}`);
      i++;
      tokens.push({ type: "str", text: text.slice(start, i), pos: start, value: s });
      continue;
    }
    if (c === "%") {
      const end = text.indexOf("%", i + 1);
      if (end < 0) throw syntaxError(text, start, '"%"', "an operator such as %in%");
      const op = text.slice(i, end + 1);
      tokens.push({ type: "op", text: op, pos: start });
      i = end + 1;
      continue;
    }
    if (c === "(" || c === ")" || c === ",") {
      tokens.push({ type: c, text: c, pos: start });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ type: "op", text: op === "**" ? "^" : op, pos: start });
      i += op.length;
      continue;
    }
    throw syntaxError(text, start, `character "${c}"`);
  }
  tokens.push({ type: "eof", text: "", pos: n });
  return tokens;
}

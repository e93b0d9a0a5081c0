/**
 * Printing numbers and names exactly as R 4.2 prints them in `deparse()` and
 * `as.character()`: 15 significant digits, fixed notation unless scientific is
 * narrower (R's formatReal with scipen = 0), two-digit exponents ("1e+05");
 * non-syntactic names in backquotes. The number format is src/util/format-r.ts.
 */
export { formatRNumber } from "../util/format-r.js";

/** R's reserved words, which are not syntactic names. */
const RESERVED = new Set([
  "if", "else", "repeat", "while", "function", "for", "next", "break", "TRUE", "FALSE", "NULL",
  "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_", "NA_complex_", "in",
]);

/**
 * Whether `name` is a syntactic R name (usable without backquotes): letters,
 * digits, "." and "_", starting with a letter or with "." not followed by a digit;
 * not a reserved word. `...` and `..1` are syntactic too.
 * @example isSyntacticName("my.var") // true
 * @example isSyntacticName("my var") // false
 */
export function isSyntacticName(name: string): boolean {
  if (RESERVED.has(name)) return false;
  if (name === "..." || /^\.\.[0-9]+$/.test(name)) return true;
  return /^(?:\p{L}|\.(?![0-9]))[\p{L}\p{N}._]*$/u.test(name);
}

/**
 * A name as R deparses it: backquoted when not syntactic.
 * @example deparseName("my var") // "`my var`"
 */
export function deparseName(name: string): string {
  return isSyntacticName(name) ? name : "`" + name.replace(/\\/g, "\\\\").replace(/`/g, "\\`") + "`";
}

/**
 * A string literal as R deparses it: double quotes, with backslash escapes.
 * @example deparseString('a"b') // "\"a\\\"b\""
 */
export function deparseString(s: string): string {
  const body = s.replace(/[\\"\n\t\r]/g, (c) => ({ "\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r" })[c] as string);
  return `"${body}"`;
}

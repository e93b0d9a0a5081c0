/**
 * Printing numbers and names exactly as R 4.2 prints them in `deparse()` and
 * `as.character()`: 15 significant digits, fixed notation unless scientific is
 * narrower (R's formatReal with scipen = 0), two-digit exponents ("1e+05");
 * non-syntactic names in backquotes.
 */

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
 * A double as R prints it with 15 significant digits (R's formatReal, as used by
 * `deparse()` and by `as.character()` in R 4.2): the fewest significant digits
 * that give the same 15-digit value; fixed notation when its width is at most
 * that of scientific notation.
 * @example formatRNumber(1e5) // "1e+05"
 * @example formatRNumber(123456) // "123456"
 * @example formatRNumber(1 / 3) // "0.333333333333333"
 */
export function formatRNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Inf";
  if (x === -Infinity) return "-Inf";
  if (x === 0) return "0";
  const neg = x < 0 ? 1 : 0;
  const ax = Math.abs(x);
  // 15 significant digits, then drop trailing zeros of the mantissa.
  const sci15 = ax.toExponential(14);
  const [mant, expText] = sci15.split("e");
  const e = Number(expText);
  const digits = mant.replace(".", "").replace(/0+$/, "");
  const nsig = Math.max(digits.length, 1);
  const rgt = Math.max(0, nsig - e - 1);
  const fixedWidth = neg + (e >= 0 ? e + 1 : 1) + (rgt > 0 ? rgt + 1 : 0);
  const sciWidth = neg + (nsig > 1 ? nsig + 1 : 1) + (Math.abs(e) >= 100 ? 5 : 4);
  if (fixedWidth <= sciWidth) return (neg ? "-" : "") + (rgt === 0 ? integerText(ax) : ax.toFixed(rgt));
  const m = nsig > 1 ? digits[0] + "." + digits.slice(1) : digits[0];
  const ae = Math.abs(e);
  return (neg ? "-" : "") + m + "e" + (e < 0 ? "-" : "+") + (ae < 10 ? "0" : "") + ae;
}

/**
 * C's sprintf("%.0f", x) for x ≥ 0: the nearest integer, ties to even (JavaScript's
 * toFixed(0) rounds ties up). Ties occur only below 2^53, where x − floor(x) is exact.
 */
function integerText(x: number): string {
  const fl = Math.floor(x);
  if (x - fl === 0.5 && x < 2 ** 53) return (fl % 2 === 0 ? fl : fl + 1).toFixed(0);
  return x.toFixed(0);
}

/**
 * A string literal as R deparses it: double quotes, with backslash escapes.
 * @example deparseString('a"b') // "\"a\\\"b\""
 */
export function deparseString(s: string): string {
  const body = s.replace(/[\\"\n\t\r]/g, (c) => ({ "\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r" })[c] as string);
  return `"${body}"`;
}

/**
 * Numbers printed exactly as R prints them (R's formatReal with scipen = 0):
 * `format(x, digits = d)`, and with 15 digits `deparse()` and `as.character()`.
 *
 * Reference: [1] R, src/main/format.c (formatReal, scientific); src/main/deparse.c.
 */

/**
 * A double as R prints it with `digits` significant digits (R's formatReal with
 * scipen = 0: `format(x, digits = d)`; with the default 15, `deparse()` and
 * `as.character()` in R 4.2): the fewest significant digits that give the same
 * `digits`-digit value; fixed notation when its width is at most that of
 * scientific notation, two-digit exponents.
 * @example formatRNumber(1e5) // "1e+05"
 * @example formatRNumber(123456) // "123456"
 * @example formatRNumber(1 / 3) // "0.333333333333333"
 * @example formatRNumber(1.52727, 4) // "1.527"
 */
export function formatRNumber(x: number, digits = 15): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Inf";
  if (x === -Infinity) return "-Inf";
  if (x === 0) return "0";
  const neg = x < 0 ? 1 : 0;
  const ax = Math.abs(x);
  // `digits` significant digits, then drop trailing zeros of the mantissa.
  const [mant, expText] = ax.toExponential(digits - 1).split("e") as [string, string];
  const e = Number(expText);
  const kept = mant.replace(".", "").replace(/0+$/, "");
  const nsig = Math.max(kept.length, 1);
  const rgt = Math.max(0, nsig - e - 1);
  const fixedWidth = neg + (e >= 0 ? e + 1 : 1) + (rgt > 0 ? rgt + 1 : 0);
  const sciWidth = neg + (nsig > 1 ? nsig + 1 : 1) + (Math.abs(e) >= 100 ? 5 : 4);
  if (fixedWidth <= sciWidth) return (neg ? "-" : "") + (rgt === 0 ? integerText(ax) : ax.toFixed(rgt));
  const m = nsig > 1 ? kept[0] + "." + kept.slice(1) : kept[0];
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

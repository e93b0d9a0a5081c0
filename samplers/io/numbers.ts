/**
 * Numbers in the draws files: written in the shortest decimal form that reads back to
 * the same double (JavaScript's Number#toString, as ECMA-262 Number::toString specifies),
 * with CmdStan's spellings of the non-finite values.
 */
import { DataError } from "../../src/errors.js";

/** Shortest round-trip decimal; CmdStan's nan/inf/-inf; "-0" keeps the sign of zero. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0 && Object.is(x, -0)) return "-0";
  return String(x);
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Inverse of formatNumber (also accepts NaN/Infinity and CmdStan's -nan); throws on anything else. */
export function parseNumber(s: string, where: string): number {
  const t = s.trim();
  switch (t.toLowerCase()) {
    case "nan": case "-nan": return Number.NaN;
    case "inf": case "+inf": case "infinity": return Infinity;
    case "-inf": case "-infinity": return -Infinity;
  }
  const v = DECIMAL.test(t) ? Number(t) : Number.NaN;
  if (Number.isNaN(v)) throw new DataError(`${where}: "${s}" is not a number`);
  return v;
}


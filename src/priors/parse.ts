/**
 * The CLI's prior spec syntax, rstanarm-style and whitespace-tolerant:
 * `name`, `name()` or `name(arg, …)`, where each argument is a number or
 * `argname = number`, e.g. "student_t(3, 0, 2.5)", "normal(scale = 1)", "flat".
 *
 * Omitted arguments take rstanarm's defaults:
 *   normal(location = 0, scale = 2.5)      student_t(df = 1, location = 0, scale = 2.5)
 *   cauchy(location = 0, scale = 2.5)      laplace(location = 0, scale = 2.5)
 *   logistic(location = 0, scale = 2.5)    exponential(rate = 1)
 *   half_normal(scale = 1)                 half_student_t(df = 1, scale = 1)
 *   gamma(shape, rate)  (both required)    flat, jeffreys  (no arguments)
 * `describe()` of every prior reads back to an identical prior.
 */
import { PriorError } from "../errors.js";
import { cauchy, COEFFICIENT_DEFAULTS, flat, jeffreys, laplace, logistic, normal, studentT } from "./coefficient.js";
import { AUX_DEFAULTS, exponential, gamma, halfNormal, halfStudentT } from "./auxiliary.js";
import type { Prior } from "./types.js";

interface Grammar {
  /** Argument names in positional order. */
  args: readonly string[];
  /** Default for each argument; undefined = required. */
  defaults: readonly (number | undefined)[];
  build(values: readonly number[]): Prior;
}

const C = COEFFICIENT_DEFAULTS;
const A = AUX_DEFAULTS;

const GRAMMARS: Readonly<Record<string, Grammar>> = Object.freeze({
  flat: { args: [], defaults: [], build: () => flat() },
  jeffreys: { args: [], defaults: [], build: () => jeffreys() },
  normal: { args: ["location", "scale"], defaults: [C.location, C.scale], build: (v) => normal(v[0], v[1]) },
  student_t: { args: ["df", "location", "scale"], defaults: [C.df, C.location, C.scale], build: (v) => studentT(v[0], v[1], v[2]) },
  cauchy: { args: ["location", "scale"], defaults: [C.location, C.scale], build: (v) => cauchy(v[0], v[1]) },
  laplace: { args: ["location", "scale"], defaults: [C.location, C.scale], build: (v) => laplace(v[0], v[1]) },
  logistic: { args: ["location", "scale"], defaults: [C.location, C.scale], build: (v) => logistic(v[0], v[1]) },
  exponential: { args: ["rate"], defaults: [A.rate], build: (v) => exponential(v[0]) },
  half_normal: { args: ["scale"], defaults: [A.scale], build: (v) => halfNormal(v[0]) },
  half_student_t: { args: ["df", "scale"], defaults: [A.df, A.scale], build: (v) => halfStudentT(v[0], v[1]) },
  gamma: { args: ["shape", "rate"], defaults: [undefined, undefined], build: (v) => gamma(v[0]!, v[1]!) },
});

const EXPECTED =
  "normal(location, scale), student_t(df, location, scale), cauchy(location, scale), laplace(location, scale), " +
  "logistic(location, scale), flat, jeffreys, exponential(rate), half_normal(scale), half_student_t(df, scale), gamma(shape, rate)";

const SPEC = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^()]*)\))?\s*$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NAMED = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/s;

function signature(name: string, g: Grammar): string {
  return `${name}(${g.args.join(", ")})`;
}

/**
 * Parses an rstanarm-style prior spec (see the module comment for the syntax
 * and defaults). Malformed text → PriorError quoting the text and saying what
 * was expected; invalid values → the constructor's PriorError, prefixed by the text.
 * @example parsePrior(" student_t( 3 , 0, 2.5 ) ").describe() // "student_t(3, 0, 2.5)"
 */
export function parsePrior(text: string): Prior {
  if (typeof text !== "string") throw new PriorError(`prior spec must be a string, got ${String(text)}`);
  const m = SPEC.exec(text);
  if (m === null) {
    throw new PriorError(`cannot parse prior "${text}": expected name(arguments), one of ${EXPECTED}`);
  }
  const name = m[1]!;
  const g = Object.prototype.hasOwnProperty.call(GRAMMARS, name) ? GRAMMARS[name] : undefined;
  if (g === undefined) {
    throw new PriorError(`unknown prior "${name}" in "${text}": expected one of ${EXPECTED}`);
  }
  const body = m[2];
  const values: (number | undefined)[] = g.defaults.slice();
  const seen = new Set<number>();
  if (body !== undefined && body.trim() !== "") {
    const parts = body.split(",");
    let sawNamed = false;
    parts.forEach((raw, position) => {
      const part = raw.trim();
      let slot: number;
      let valueText: string;
      const named = NAMED.exec(part);
      if (named !== null) {
        sawNamed = true;
        slot = g.args.indexOf(named[1]!);
        if (slot < 0) {
          throw new PriorError(`"${text}": unknown argument "${named[1]}"; expected ${signature(name, g)}`);
        }
        valueText = named[2]!.trim();
      } else {
        if (sawNamed) throw new PriorError(`"${text}": a positional argument follows a named one; expected ${signature(name, g)}`);
        if (position >= g.args.length) {
          throw new PriorError(
            `"${text}": ${name} takes ${g.args.length === 0 ? "no arguments" : `at most ${g.args.length} argument${g.args.length > 1 ? "s" : ""}`}; expected ${g.args.length === 0 ? name : signature(name, g)}`,
          );
        }
        slot = position;
        valueText = part;
      }
      if (seen.has(slot)) throw new PriorError(`"${text}": argument "${g.args[slot]}" is given twice; expected ${signature(name, g)}`);
      seen.add(slot);
      if (!NUMBER.test(valueText)) {
        throw new PriorError(`"${text}": argument "${g.args[slot]}" must be a number, got "${valueText}"; expected ${signature(name, g)}`);
      }
      values[slot] = Number(valueText);
    });
  }
  const missing = g.args.filter((_, j) => values[j] === undefined);
  if (missing.length > 0) {
    throw new PriorError(`"${text}": ${name} needs ${missing.join(" and ")} (no defaults); expected ${signature(name, g)}`);
  }
  try {
    return g.build(values as number[]);
  } catch (err) {
    if (err instanceof PriorError) throw new PriorError(`in "${text}": ${err.message}`);
    throw err;
  }
}

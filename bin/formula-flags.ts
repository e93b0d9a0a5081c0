/**
 * The formula flags of `glmkit fit`: `--factor COL[:l1,l2,…]` and `--ordered COL[:…]`
 * (repeatable; declared column types, src/formula/column-types.ts) and
 * `--contrasts a=contr.sum[,b=contr.helmert]` (repeatable; R's glm(contrasts = list(…))),
 * and the JSON form of the contrasts used (R's attr(X, "contrasts")).
 */
import { ArgumentError } from "../src/errors.js";
import { CONTRAST_NAMES, parseColumnFlags, type ColumnTypes, type ContrastMatrix } from "../src/formula/index.js";
import { contrastName } from "../src/formula/contrasts.js";

/** What the formula flags declare; undefined fields when not given. */
export interface FormulaFlags {
  columns: ColumnTypes | undefined;
  contrasts: Record<string, string> | undefined;
  /** Whether any of the flags was given (the fit JSON then carries `contrasts`). */
  given: boolean;
}

/** Splits at commas outside parentheses and backquotes. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0, quoted = false, start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "`") quoted = !quoted;
    else if (!quoted && c === "(") depth++;
    else if (!quoted && c === ")") depth--;
    else if (!quoted && depth === 0 && c === ",") { out.push(s.slice(start, i)); start = i + 1; }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim());
}

/** `--contrasts a=contr.sum,b=helmert` (repeatable) → { a: "contr.sum", b: "contr.helmert" }. */
export function parseContrastsFlag(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    for (const item of splitTopLevel(value)) {
      const k = item.lastIndexOf("=");
      if (k <= 0 || k === item.length - 1)
        throw new ArgumentError(`--contrasts ${value}: expected VARIABLE=CONTRAST, as --contrasts a=contr.sum,b=contr.helmert`);
      const variable = item.slice(0, k).trim().replace(/^`(.*)`$/, "$1");
      const name = contrastName(item.slice(k + 1).trim());
      if (name === null)
        throw new ArgumentError(`--contrasts ${item}: unknown contrast "${item.slice(k + 1).trim()}"; valid: ${CONTRAST_NAMES.join(", ")}`);
      if (out[variable] !== undefined) throw new ArgumentError(`--contrasts: "${variable}" is given twice`);
      out[variable] = name;
    }
  }
  return out;
}

/** The formula flags' values, checked. */
export function formulaFlags(factor: readonly string[] | undefined, ordered: readonly string[] | undefined, contrasts: readonly string[] | undefined): FormulaFlags {
  const given = factor !== undefined || ordered !== undefined || contrasts !== undefined;
  return {
    columns: factor || ordered ? parseColumnFlags(factor ?? [], ordered ?? []) : undefined,
    contrasts: contrasts ? parseContrastsFlag(contrasts) : undefined,
    given,
  };
}

/** The contrasts record as JSON: a function's name, or { column_names, matrix } (rows by level). */
export function contrastsJson(c: Readonly<Record<string, string | ContrastMatrix>> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(c ?? {})) {
    if (typeof v === "string") out[name] = v;
    else out[name] = { column_names: v.columnNames, matrix: Array.from({ length: v.nrow }, (_, i) => Array.from(v.values.subarray(i * v.ncol, (i + 1) * v.ncol))) };
  }
  return out;
}

/** Names the flag in modelFrame's errors about the contrasts option. */
export function withContrastsFlag<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof ArgumentError && e.message.startsWith("contrasts: ")) throw new ArgumentError(`--contrasts: ${e.message.slice(11)}`);
    throw e;
  }
}

/**
 * Evaluation of formula variables (`x`, `log(u)`, `I(x^2)`, `factor(k)`,
 * `I(a == "b")`; the factor functions of factor-calls.ts and the stateful
 * transforms of transform-calls.ts) over the rows of a DataTable, with R's arithmetic: logicals
 * count as 0/1, `^` squares exactly for power 2, `log(x, base)` uses log10/log2
 * for bases 10 and 2 (R's logbase), `%%` and `%/%` follow R's myfmod/myfloor.
 * Missing cells evaluate to NaN (numeric) or code -1 (factor); the caller drops
 * those rows, so NaN never needs to be told apart from NA here.
 */
import expm1 from "@stdlib/math-base-special-expm1";
import log1p from "@stdlib/math-base-special-log1p";
import { DataError, FormulaError } from "../errors.js";
import { compareLevels } from "../data/collate.js";
import type { Column, DataTable } from "../data/types.js";
import { leftSpine, type CallNode, type Node } from "./ast.js";
import { evaluateFactorCall } from "./factor-calls.js";
import { FUNCTIONS, matchArgs } from "./functions.js";
import { parseRNumber } from "../data/csv.js";
import { evaluateTransformCall, type TransformContext, type TransformState } from "./transform-calls.js";
import type { FactorValue, NumericValue, ScalarValue, Value } from "./values.js";

/** How an Evaluator runs: on training data (transforms record their state) or on new data (they reuse it). */
export interface EvaluatorOptions {
  readonly predicting?: boolean;
  /** Transform states by call node: filled when fitting, read when predicting. */
  readonly states?: Map<Node, TransformState>;
  /** Warnings (R's) collected while evaluating. */
  readonly warnings?: string[];
}

export type { FactorValue, MatrixValue, NumericValue, ScalarValue, StringValue, Value } from "./values.js";

/** Levenshtein distance (for "did you mean" hints). */
function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The column name closest to `name`, if close enough to be a likely typo. */
export function nearestName(name: string, names: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const nm of names) {
    const d = editDistance(name.toLowerCase(), nm.toLowerCase());
    if (d < bestD) { bestD = d; best = nm; }
  }
  return best !== null && bestD <= Math.max(1, Math.floor(name.length / 3)) ? best : null;
}

/**
 * Evaluates expressions over one table. Caches column conversions; records
 * which columns were read (their missing cells decide which rows are dropped).
 */
export class Evaluator implements TransformContext {
  readonly n: number;
  readonly predicting: boolean;
  readonly states: Map<Node, TransformState>;
  readonly warnings: string[];
  /** Names of the columns read so far. */
  readonly columnsUsed = new Set<string>();
  /** Missing rows (0-based, ascending) of each column read. */
  readonly missingRows = new Map<string, Int32Array>();
  private readonly cache = new Map<string, Value>();
  /** Numeric arrays taken straight from columns: finite wherever not missing. */
  private readonly raw = new Set<Float64Array>();

  constructor(private readonly table: DataTable, opts: EvaluatorOptions = {}) {
    this.n = table.nrow;
    this.predicting = opts.predicting ?? false;
    this.states = opts.states ?? new Map();
    this.warnings = opts.warnings ?? [];
  }

  /** Evaluates `node`; `term` is the variable it belongs to (named in errors). */
  evaluate(node: Node, term: string): Value {
    switch (node.type) {
      case "num": return { kind: "scalar", value: node.value, logical: false };
      case "bool": return { kind: "scalar", value: node.value ? 1 : 0, logical: true };
      case "str": return { kind: "string", value: node.value };
      case "name": return this.column(node.name, term);
      case "paren": return this.evaluate(node.expr, term);
      case "unary": return this.unary(node.op, this.evaluate(node.arg, term), term);
      case "binary": {
        // A left-deep chain (x1 + x2 + … of any length) is evaluated in a loop.
        const { first, steps } = leftSpine(node, () => true);
        let acc = this.evaluate(first, term);
        for (const st of steps) acc = this.binary(st.op, acc, this.evaluate(st.right, term), term);
        return acc;
      }
      case "call": return this.call(node, term);
    }
  }

  /**
   * The column `name`, as a value. Unknown column → FormulaError with a
   * nearest-name hint, prefixed by `context` (default: the formula term).
   */
  column(name: string, term: string, context = `formula term "${term}"`): Value {
    const cached = this.cache.get(name);
    if (cached) return cached;
    if (!this.table.names.includes(name)) {
      const hint = nearestName(name, this.table.names);
      throw new FormulaError(`${context}: no column "${name}" in the data${hint ? `; did you mean "${hint}"?` : ` (columns: ${this.table.names.join(", ")})`}`);
    }
    const col = this.table.column(name);
    this.missingRows.set(name, scanColumn(col));
    this.columnsUsed.add(name);
    const v = columnValue(col);
    if (col.kind === "numeric") this.raw.add(col.values);
    this.cache.set(name, v);
    return v;
  }

  /** Whether `x` is a numeric column of the data as is (already checked: finite where not missing). */
  isRaw(x: Float64Array): boolean {
    return this.raw.has(x);
  }

  private toNumeric(v: Value, op: string, term: string): NumericValue | ScalarValue {
    if (v.kind === "numeric" || v.kind === "scalar") return v;
    if (v.kind === "matrix") {
      if (v.columns.length === 1) return { kind: "numeric", values: v.columns[0], logical: false };
      throw new DataError(`formula term "${term}": "${op}" cannot take a matrix of ${v.columns.length} columns; use it as a term by itself`);
    }
    if (v.kind === "factor") throw new DataError(`formula term "${term}": "${op}" is not meaningful for a factor (strings); only numeric and logical columns can enter arithmetic`);
    throw new FormulaError(`formula term "${term}": "${op}" cannot take the string ${JSON.stringify(v.value)}`);
  }

  private map1(v: Value, op: string, term: string, f: (x: number) => number, logical = false): Value {
    const a = this.toNumeric(v, op, term);
    if (a.kind === "scalar") return { kind: "scalar", value: f(a.value), logical };
    const out = new Float64Array(a.values.length);
    const src = a.values;
    for (let i = 0; i < src.length; i++) out[i] = f(src[i]);
    return { kind: "numeric", values: out, logical };
  }

  private unary(op: string, v: Value, term: string): Value {
    switch (op) {
      case "-": return this.map1(v, "-", term, (x) => -x);
      case "+": return this.map1(v, "+", term, (x) => x);
      case "!": return this.map1(v, "!", term, (x) => (Number.isNaN(x) ? NaN : x === 0 ? 1 : 0), true);
      default: throw new FormulaError(`formula term "${term}": unary "${op}" is not supported`);
    }
  }

  private binary(op: string, l: Value, r: Value, term: string): Value {
    if ((op === "==" || op === "!=") && (l.kind === "factor" || r.kind === "factor" || l.kind === "string" || r.kind === "string")) {
      return compareLabels(op, l, r, term);
    }
    const f = ARITHMETIC[op];
    if (!f) throw new FormulaError(`formula term "${term}": operator "${op}" is not supported`);
    const a = this.toNumeric(l, op, term), b = this.toNumeric(r, op, term);
    const logical = LOGICAL_RESULT.has(op);
    if (a.kind === "scalar" && b.kind === "scalar") return { kind: "scalar", value: f(a.value, b.value), logical };
    const out = new Float64Array(this.n);
    if (a.kind === "scalar") {
      const x = a.value, ys = (b as NumericValue).values;
      for (let i = 0; i < out.length; i++) out[i] = f(x, ys[i]);
    } else if (b.kind === "scalar") {
      const xs = a.values, y = b.value;
      if (op === "^" && y === 2) for (let i = 0; i < out.length; i++) out[i] = xs[i] * xs[i];
      else for (let i = 0; i < out.length; i++) out[i] = f(xs[i], y);
    } else {
      const xs = a.values, ys = b.values;
      for (let i = 0; i < out.length; i++) out[i] = f(xs[i], ys[i]);
    }
    return { kind: "numeric", values: out, logical };
  }

  private call(node: CallNode, term: string): Value {
    const args = matchArgs(node, FUNCTIONS[node.fn], (_, m) => new FormulaError(`formula term "${term}": ${m}`));
    const arg = (k: number): Value => this.evaluate(node.args[k].value, term);
    const special = evaluateFactorCall(this, node, args, term, term) ?? evaluateTransformCall(this, node, args, term);
    if (special) return special;
    switch (node.fn) {
      case "I": return arg(0);
      case "offset": return this.map1(arg(0), "offset", term, (x) => x);
      case "log": {
        if (node.args.length === 1) return this.map1(arg(0), "log", term, Math.log);
        const base = this.toNumeric(this.evaluate(args.get("base") as Node, term), "log", term);
        const x = this.evaluate(args.get("x") as Node, term);
        if (base.kind === "scalar") return this.map1(x, "log", term, (v) => logBase(v, base.value));
        return this.binaryNumeric(x, base, term, logBase);
      }
      case "exp": return this.map1(arg(0), "exp", term, Math.exp);
      case "sqrt": return this.map1(arg(0), "sqrt", term, Math.sqrt);
      case "abs": return this.map1(arg(0), "abs", term, Math.abs);
      case "log2": return this.map1(arg(0), "log2", term, Math.log2);
      case "log10": return this.map1(arg(0), "log10", term, Math.log10);
      case "log1p": return this.map1(arg(0), "log1p", term, log1p);
      case "expm1": return this.map1(arg(0), "expm1", term, expm1);
      case "sin": return this.map1(arg(0), "sin", term, Math.sin);
      case "cos": return this.map1(arg(0), "cos", term, Math.cos);
      case "tan": return this.map1(arg(0), "tan", term, Math.tan);
      case "as.numeric": return this.asNumeric(arg(0), term);
      default:
        throw new FormulaError(`formula term "${term}": ${node.fn}() cannot be used here`);
    }
  }

  private binaryNumeric(l: Value, r: Value, term: string, f: (a: number, b: number) => number): Value {
    const a = this.toNumeric(l, "log", term), b = this.toNumeric(r, "log", term);
    const out = new Float64Array(this.n);
    for (let i = 0; i < out.length; i++) {
      out[i] = f(a.kind === "scalar" ? a.value : a.values[i], b.kind === "scalar" ? b.value : b.values[i]);
    }
    return { kind: "numeric", values: out, logical: false };
  }

  /** R's as.numeric: numbers unchanged, logicals 0/1, strings parsed, factors their 1-based level codes. */
  private asNumeric(v: Value, term: string): Value {
    if (v.kind === "numeric") return { kind: "numeric", values: v.values, logical: false };
    if (v.kind === "scalar") return { kind: "scalar", value: v.value, logical: false };
    if (v.kind === "string") {
      const x = parseRNumber(v.value);
      if (x === undefined) throw new DataError(`formula term "${term}": as.numeric() cannot read ${JSON.stringify(v.value)} as a number`);
      return { kind: "scalar", value: x, logical: false };
    }
    if (v.kind === "matrix") return { kind: "numeric", values: (this.toNumeric(v, "as.numeric", term) as NumericValue).values, logical: false };
    const out = new Float64Array(v.codes.length);
    if (v.character) {
      const parsed = v.levels.map((lab) => parseRNumber(lab));
      for (let i = 0; i < out.length; i++) {
        const c = v.codes[i];
        if (c < 0) { out[i] = NaN; continue; }
        const x = parsed[c];
        if (x === undefined) throw new DataError(`formula term "${term}": as.numeric() cannot read ${JSON.stringify(v.levels[c])} (row ${i + 1}) as a number`, { row: i + 1 });
        out[i] = x;
      }
    } else {
      for (let i = 0; i < out.length; i++) out[i] = v.codes[i] < 0 ? NaN : v.codes[i] + 1;
    }
    return { kind: "numeric", values: out, logical: false };
  }
}

/** R's logbase(x, base). */
function logBase(x: number, base: number): number {
  if (base === 10) return x > 0 ? Math.log10(x) : x < 0 ? NaN : x === 0 ? -Infinity : x;
  if (base === 2) return x > 0 ? Math.log2(x) : x < 0 ? NaN : x === 0 ? -Infinity : x;
  return Math.log(x) / Math.log(base);
}

/** R's x^y (R_pow): exact square, 1 when x is 1 or y is 0. */
function rPow(x: number, y: number): number {
  if (y === 2) return x * x;
  if (x === 1 || y === 0) return 1;
  return Math.pow(x, y);
}

/** R's x %% y (myfmod). */
function rMod(x: number, y: number): number {
  if (y === 0) return NaN;
  const q = x / y;
  const tmp = x - Math.floor(q) * y;
  return tmp - Math.floor(tmp / y) * y;
}

/** R's x %/% y (myfloor). */
function rIntDiv(x: number, y: number): number {
  const q = x / y;
  if (y === 0 || !Number.isFinite(q) || Math.abs(q) * Number.EPSILON > 1) return q;
  const tmp = x - Math.floor(q) * y;
  return Math.floor(q) + Math.floor(tmp / y);
}

const nan3 = (f: (a: number, b: number) => boolean) => (a: number, b: number): number =>
  (Number.isNaN(a) || Number.isNaN(b) ? NaN : f(a, b) ? 1 : 0);

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => a / b,
  "^": rPow,
  "%%": rMod,
  "%/%": rIntDiv,
  "==": nan3((a, b) => a === b),
  "!=": nan3((a, b) => a !== b),
  "<": nan3((a, b) => a < b),
  ">": nan3((a, b) => a > b),
  "<=": nan3((a, b) => a <= b),
  ">=": nan3((a, b) => a >= b),
  // R's three-valued logic: FALSE & NA is FALSE, TRUE | NA is TRUE.
  "&": (a, b) => (a === 0 || b === 0 ? 0 : Number.isNaN(a) || Number.isNaN(b) ? NaN : 1),
  "|": (a, b) => ((a !== 0 && !Number.isNaN(a)) || (b !== 0 && !Number.isNaN(b)) ? 1 : Number.isNaN(a) || Number.isNaN(b) ? NaN : 0),
};
const LOGICAL_RESULT = new Set(["==", "!=", "<", ">", "<=", ">=", "&", "|"]);

/** `factor == "level"` (or !=), comparing labels. */
function compareLabels(op: string, l: Value, r: Value, term: string): Value {
  const [f, s] = l.kind === "factor" ? [l, r] : [r, l];
  if (f.kind !== "factor" || s.kind !== "string") {
    if (l.kind === "string" && r.kind === "string") return { kind: "scalar", value: (l.value === r.value) === (op === "==") ? 1 : 0, logical: true };
    throw new FormulaError(`formula term "${term}": "${op}" compares a factor with a string constant, as in I(g == "a")`);
  }
  const target = f.levels.indexOf(s.value);
  const out = new Float64Array(f.codes.length);
  const eq = op === "==" ? 1 : 0;
  for (let i = 0; i < out.length; i++) {
    const c = f.codes[i];
    out[i] = c < 0 ? NaN : c === target ? eq : 1 - eq;
  }
  return { kind: "numeric", values: out, logical: true };
}

/**
 * The factor keeping only the levels flagged in `used` (in their order), codes
 * renumbered (R's `x[, drop = TRUE]`); ordered and contrasts are carried over
 * (the caller decides whether R would drop the contrasts).
 */
export function dropUnusedLevels(f: FactorValue, used: Uint8Array): FactorValue {
  const { codes, levels } = f;
  const map = new Int32Array(levels.length).fill(-1);
  const kept: string[] = [];
  for (let k = 0; k < levels.length; k++) if (used[k]) { map[k] = kept.length; kept.push(levels[k]); }
  if (kept.length === levels.length) return f;
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = codes[i] < 0 ? -1 : map[codes[i]];
  return { ...f, codes: out, levels: kept };
}

/** The value of a data column. */
function columnValue(col: Column): Value {
  switch (col.kind) {
    case "numeric": return { kind: "numeric", values: col.values, logical: false };
    case "logical": {
      const out = new Float64Array(col.values.length);
      for (let i = 0; i < out.length; i++) { const b = col.values[i]; out[i] = b === null || b === undefined ? NaN : b ? 1 : 0; }
      return { kind: "numeric", values: out, logical: true };
    }
    case "factor": {
      const index = new Map(col.levels.map((l, k) => [l, k]));
      const codes = new Int32Array(col.values.length);
      let levels = col.levels;
      for (let i = 0; i < codes.length; i++) {
        const s = col.values[i];
        if (s === null || s === undefined) { codes[i] = -1; continue; }
        let k = index.get(s);
        if (k === undefined) {
          // A value missing from the declared levels: add it (kept sorted as R would after factor()).
          levels = [...levels, s].sort(compareLevels);
          index.clear();
          levels.forEach((l, j) => index.set(l, j));
          for (let j = 0; j < i; j++) if (codes[j] >= 0) codes[j] = index.get(col.values[j] as string) as number;
          k = index.get(s) as number;
        }
        codes[i] = k;
      }
      return { kind: "factor", codes, levels, character: true, ordered: col.ordered === true };
    }
  }
}

/**
 * The missing rows of a column, in one pass. Throws a DataError naming the
 * column and 1-based row of the first NaN or ±Infinity *value* of a numeric
 * column (not a missing cell): R would carry it into the fit and fail there.
 */
function scanColumn(col: Column): Int32Array {
  const missing: number[] = [];
  if (col.kind !== "numeric") {
    const v = col.values;
    for (let i = 0; i < v.length; i++) if (v[i] === null || v[i] === undefined) missing.push(i);
    return Int32Array.from(missing);
  }
  const v = col.values;
  const bad = col.nonFiniteRows;
  let nextBad = bad && bad.length > 0 ? bad[0] : -1;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x - x === 0) continue;
    if (x === x || i === nextBad) {
      throw new DataError(`column "${col.name}" has the value ${x} at row ${i + 1}; values must be finite (use null or "NA" for a missing value)`, { column: col.name, row: i + 1 });
    }
    missing.push(i);
  }
  if (nextBad >= 0) {
    // A recorded bad row whose value was later overwritten by a finite number: still bad input.
    throw new DataError(`column "${col.name}" has a non-finite value at row ${nextBad + 1}; values must be finite (use null or "NA" for a missing value)`, { column: col.name, row: nextBad + 1 });
  }
  return Int32Array.from(missing);
}

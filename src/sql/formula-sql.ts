/**
 * Formula → SQL: the model frame and design matrix of src/formula as SQL
 * expressions over a table, with the same column names and the same design
 * (R's terms, model.frame's na.omit, model.matrix's column layout from
 * src/formula/model-matrix.ts, treatment contrasts over levels sorted as R sorts them).
 *
 * Two steps, because factor levels come from the data: `planFormula` reads the
 * formula against the table's column types and says which factor expressions need
 * their distinct values (one SELECT DISTINCT each, run by the engine), then
 * `frameSql` builds the SELECT of the model frame from those levels.
 *
 * Supported: numeric and string/boolean columns (a string column is a factor),
 * `factor(x)`, interactions (`:`, `*`, `/`, `^`), `I()` arithmetic (+ − * / ^),
 * `log` (one argument), `exp`, `sqrt`, `abs`, `offset()`, case weights, an offset
 * column, and `cbind(successes, failures)` as the binomial response. Anything else
 * (poly, ns, contrasts other than treatment, `.`) is a FormulaError naming the term.
 */
import { FormulaError, DataError } from "../errors.js";
import type { Node } from "../formula/ast.js";
import { parseFormula } from "../formula/parse.js";
import { termsOf, type Terms } from "../formula/terms.js";
import { deparse } from "../formula/deparse.js";
import { formatRNumber } from "../formula/r-format.js";
import { contrastMatrix } from "../formula/contrasts.js";
import { columnLayout, type ColumnLayout, type ColumnPart, type VariableShape } from "../formula/model-matrix.js";
import { compareLevels } from "../data/collate.js";
import type { SqlDialect } from "./dialect.js";
import { sqlMath } from "./family-sql.js";

/** The type of a source column as the engine reports it. */
export type SqlColumnType = "numeric" | "string" | "boolean";

/** A variable of the formula: a numeric expression, or a factor over a value expression. */
export type SqlVariable =
  | { readonly kind: "numeric"; readonly name: string; readonly sql: string; readonly columns: readonly string[] }
  | {
    readonly kind: "factor"; readonly name: string; readonly columns: readonly string[];
    /** The expression whose distinct values are the levels. */
    readonly valueSql: string;
    /** How levels sort: as strings (R's collation), numbers (factor of a numeric), or FALSE < TRUE. */
    readonly order: "string" | "numeric" | "logical";
  }
  | { readonly kind: "cbind"; readonly name: string; readonly successes: string; readonly failures: string; readonly columns: readonly string[] };

export interface FormulaPlan {
  readonly formula: string;
  readonly terms: Terms;
  /** Per variable of the terms (the response first). */
  readonly variables: readonly SqlVariable[];
  /** Factor variables whose levels must be read: index into `variables`. */
  readonly factorIndices: readonly number[];
  readonly weights: string | null;
  readonly offset: string | null;
  /** The source columns any of it reads (NA in one drops the row). */
  readonly columns: readonly string[];
}

/** A level of a factor: its label (the column name suffix) and the SQL literal it equals. */
export interface SqlLevel { readonly label: string; readonly literal: string }

/** The SELECT of a model frame and what the design is. */
export interface FrameSql {
  readonly columnNames: string[];
  readonly hasIntercept: boolean;
  readonly layout: ColumnLayout;
  /** The design columns, x0 … x{p−1}. */
  readonly x: readonly string[];
  readonly y: string;
  /** Prior weights (cbind: trials × case weights). */
  readonly w: string;
  readonly offset: string | null;
  /** Binomial trials for the aic (cbind responses), or null. */
  readonly trials: string | null;
  /** R's mustart when the response brings its own (binomial cbind), else null (the family's startMu). */
  readonly mustart: string | null;
  /** The row filter of na.omit. */
  readonly where: string;
  readonly responseName: string;
}

interface Ctx { readonly d: SqlDialect; readonly types: ReadonlyMap<string, SqlColumnType>; readonly term: string }

function columnType(ctx: Ctx, name: string): SqlColumnType {
  const t = ctx.types.get(name);
  if (t === undefined) {
    const names = [...ctx.types.keys()];
    throw new DataError(`formula term "${ctx.term}": the data have no column "${name}" (columns: ${names.slice(0, 20).join(", ")}${names.length > 20 ? ", …" : ""})`, { column: name });
  }
  return t;
}

/** A numeric SQL expression for an arithmetic node (inside I() or a function call); collects the columns read. */
function numericSql(ctx: Ctx, node: Node, cols: Set<string>): string {
  const m = sqlMath(ctx.d);
  switch (node.type) {
    case "num": return ctx.d.num(node.value);
    case "paren": return `(${numericSql(ctx, node.expr, cols)})`;
    case "name": {
      const t = columnType(ctx, node.name);
      if (t !== "numeric") throw new FormulaError(`formula term "${ctx.term}": "${node.name}" is a ${t} column, not a number (arithmetic needs numeric columns)`);
      cols.add(node.name);
      return ctx.d.double(ctx.d.ident(node.name));
    }
    case "unary":
      if (node.op === "-") return `(-${numericSql(ctx, node.arg, cols)})`;
      if (node.op === "+") return numericSql(ctx, node.arg, cols);
      break;
    case "binary": {
      const a = numericSql(ctx, node.left, cols);
      const b = numericSql(ctx, node.right, cols);
      if (node.op === "+" || node.op === "-" || node.op === "*" || node.op === "/") return `(${a} ${node.op} ${b})`;
      if (node.op === "^") {
        // R's x^2 is x*x exactly (R_pow_di for integer exponents); other powers by pow.
        if (node.right.type === "num" && node.right.value === 2) return `(${a} * ${a})`;
        return `pow(${a}, ${b})`;
      }
      break;
    }
    case "call": {
      const args = node.args;
      const one = (): string => {
        if (args.length !== 1 || args[0]!.name !== null) throw new FormulaError(`formula term "${ctx.term}": ${node.fn}() takes one argument in the SQL engine`);
        return numericSql(ctx, args[0]!.value, cols);
      };
      switch (node.fn) {
        case "I": return one();
        case "log": return m.ln(one());
        case "exp": return m.exp(one());
        case "sqrt": { const x = one(); return `(CASE WHEN ${x} >= 0 THEN sqrt(${x}) ELSE ${ctx.d.num(NaN)} END)`; }
        case "abs": return `abs(${one()})`;
        case "log1p": return m.log1p(one());
        case "expm1": return m.expm1(one());
      }
      break;
    }
  }
  throw new FormulaError(`formula term "${ctx.term}": ${deparse(node)} has no SQL translation (the SQL engine takes columns, factor(), I() arithmetic, log, exp, sqrt, abs, offset() and cbind(); use the in-memory engine)`);
}

function variableOf(ctx: Ctx, node: Node, isResponse: boolean): SqlVariable {
  const name = deparse(node);
  const cols = new Set<string>();
  if (node.type === "name") {
    const t = columnType(ctx, node.name);
    const id = ctx.d.ident(node.name);
    if (t === "numeric") return { kind: "numeric", name, sql: ctx.d.double(id), columns: [node.name] };
    if (t === "boolean") return { kind: "factor", name, valueSql: `(CASE WHEN ${id} THEN 'TRUE' ELSE 'FALSE' END)`, order: "logical", columns: [node.name] };
    return { kind: "factor", name, valueSql: id, order: "string", columns: [node.name] };
  }
  if (node.type === "call" && (node.fn === "factor" || node.fn === "as.factor")) {
    if (node.args.length !== 1 || node.args[0]!.value.type !== "name")
      throw new FormulaError(`formula term "${name}": the SQL engine takes ${node.fn}(column) with one column and no other arguments`);
    const col = (node.args[0]!.value as Node & { type: "name" }).name;
    const t = columnType({ ...ctx, term: name }, col);
    const id = ctx.d.ident(col);
    if (t === "numeric") return { kind: "factor", name, valueSql: ctx.d.double(id), order: "numeric", columns: [col] };
    if (t === "boolean") return { kind: "factor", name, valueSql: `(CASE WHEN ${id} THEN 'TRUE' ELSE 'FALSE' END)`, order: "logical", columns: [col] };
    return { kind: "factor", name, valueSql: id, order: "string", columns: [col] };
  }
  if (node.type === "call" && node.fn === "cbind") {
    if (!isResponse) throw new FormulaError(`formula term "${name}": cbind() is a response (successes, failures), not a predictor`);
    if (node.args.length !== 2) throw new FormulaError(`the response ${name} must be cbind(successes, failures)`);
    const s = numericSql({ ...ctx, term: name }, node.args[0]!.value, cols);
    const f = numericSql({ ...ctx, term: name }, node.args[1]!.value, cols);
    return { kind: "cbind", name, successes: s, failures: f, columns: [...cols] };
  }
  if (node.type === "call" && node.fn === "offset") {
    if (node.args.length !== 1) throw new FormulaError(`formula term "${name}": offset() takes one argument`);
    return { kind: "numeric", name, sql: numericSql({ ...ctx, term: name }, node.args[0]!.value, cols), columns: [...cols] };
  }
  return { kind: "numeric", name, sql: numericSql({ ...ctx, term: name }, node, cols), columns: [...cols] };
}

/**
 * Reads the formula against the source's column types. `weights` and `offset` name columns.
 * @example planFormula("y ~ x + g", new Map([["y","numeric"],["x","numeric"],["g","string"]]), duckdbDialect).factorIndices // [2]
 */
export function planFormula(
  formula: string, types: ReadonlyMap<string, SqlColumnType>, d: SqlDialect,
  opts: { weights?: string | null; offset?: string | null } = {},
): FormulaPlan {
  const f = parseFormula(formula);
  if (f.lhs === null) throw new FormulaError(`the formula "${formula}" has no response (write y ~ …)`);
  const terms = termsOf(f, [...types.keys()]);
  const variables = terms.variables.map((node, v) => variableOf({ d, types, term: terms.variableNames[v]! }, node, v === 0));
  const factorIndices = variables.flatMap((v, i) => (v.kind === "factor" ? [i] : []));
  const columns = new Set<string>();
  variables.forEach((v) => v.columns.forEach((c) => columns.add(c)));
  for (const [label, col] of [["weights", opts.weights], ["offset", opts.offset]] as const) {
    if (col === null || col === undefined) continue;
    const t = types.get(col);
    if (t === undefined) throw new DataError(`${label} names the column "${col}", which the data do not have`, { column: col });
    if (t !== "numeric") throw new DataError(`${label} column "${col}" must be numeric, not ${t}`, { column: col });
    columns.add(col);
  }
  return { formula, terms, variables, factorIndices, weights: opts.weights ?? null, offset: opts.offset ?? null, columns: [...columns] };
}

/** The SQL that lists a factor's distinct values over the rows na.omit keeps. */
export function levelsQuery(plan: FormulaPlan, index: number, from: string, d: SqlDialect): string {
  const v = plan.variables[index]!;
  if (v.kind !== "factor") throw new FormulaError(`variable ${v.name} is not a factor`);
  return `SELECT DISTINCT ${v.valueSql} AS level FROM ${from} WHERE ${notMissing(plan, d)}`;
}

/** Sorts distinct values as R's factor() does and gives each its label and literal. */
export function sortLevels(plan: FormulaPlan, index: number, values: ReadonlyArray<string | number | boolean>, d: SqlDialect): SqlLevel[] {
  const v = plan.variables[index]!;
  if (v.kind !== "factor") throw new FormulaError(`variable ${v.name} is not a factor`);
  if (v.order === "numeric") {
    const xs = values.map(Number).sort((a, b) => a - b);
    return xs.map((x) => ({ label: formatRNumber(x), literal: d.num(x) }));
  }
  const strs = values.map(String);
  const sorted = v.order === "logical" ? ["FALSE", "TRUE"].filter((l) => strs.includes(l)) : strs.sort(compareLevels);
  return sorted.map((s) => ({ label: s, literal: d.str(s) }));
}

/** na.omit: every column the model reads is present (and its numeric variables are not NaN). */
function notMissing(plan: FormulaPlan, d: SqlDialect): string {
  const conds = plan.columns.map((c) => `${d.ident(c)} IS NOT NULL`);
  for (const v of plan.variables) if (v.kind === "numeric" && v.sql !== d.double(d.ident(v.columns[0] ?? ""))) conds.push(`NOT ${d.isNan(v.sql)}`);
  return conds.length === 0 ? "TRUE" : conds.join(" AND ");
}

/** The SQL of one design column: the product of its parts. */
function partSql(part: ColumnPart, plan: FormulaPlan, levels: ReadonlyMap<number, readonly SqlLevel[]>, d: SqlDialect): string {
  const v = plan.variables[part.variable]!;
  if (part.kind === "value") {
    if (v.kind !== "numeric") throw new FormulaError(`variable ${v.name} is not numeric`);
    return v.sql;
  }
  if (v.kind !== "factor") throw new FormulaError(`variable ${v.name} is not a factor`);
  const lv = levels.get(part.variable)!;
  if (part.kind === "level") return `(CASE WHEN ${v.valueSql} = ${lv[part.level]!.literal} THEN ${d.num(1)} ELSE ${d.num(0)} END)`;
  return `(CASE ${v.valueSql} ${lv.map((l, k) => `WHEN ${l.literal} THEN ${d.num(part.weights[k]!)}`).join(" ")} END)`;
}

/**
 * The model frame's SELECT pieces, given the levels of each factor variable
 * (sorted by `sortLevels`): the design columns in model.matrix's order with R's names.
 */
export function frameSql(plan: FormulaPlan, levels: ReadonlyMap<number, readonly SqlLevel[]>, d: SqlDialect, proportionResponse: boolean): FrameSql {
  const { terms, variables } = plan;
  const shapes: VariableShape[] = variables.map((v, i) => {
    if (v.kind !== "factor" || i === 0) return { kind: "numeric" };
    const lv = levels.get(i);
    if (!lv) throw new FormulaError(`the levels of ${v.name} were not read`);
    return { kind: "factor", levels: lv.map((l) => l.label), logical: false };
  });
  const layout = columnLayout(terms, shapes, (v) => contrastMatrix("contr.treatment", shapes[v]!.kind === "factor" ? (shapes[v] as { levels: readonly string[] }).levels : 0));
  const x = [...(layout.intercept ? [d.num(1)] : []), ...layout.parts.map((ps) => ps.map((p) => partSql(p, plan, levels, d)).join(" * "))];
  const caseWeights = plan.weights ? d.double(d.ident(plan.weights)) : null;
  const offsets = [...terms.offsets.map((o) => (variables[o] as SqlVariable & { kind: "numeric" }).sql), ...(plan.offset ? [d.double(d.ident(plan.offset))] : [])];
  const offset = offsets.length === 0 ? null : offsets.join(" + ");
  const resp = variables[0]!;
  let y: string, w: string, trials: string | null = null, mustart: string | null = null;
  const cw = caseWeights ?? d.num(1);
  if (resp.kind === "cbind") {
    if (!proportionResponse) throw new FormulaError(`the response ${resp.name} is a binomial cbind(successes, failures): use the binomial or quasibinomial family`);
    const n = `(${resp.successes} + ${resp.failures})`;
    trials = n;
    y = `(CASE WHEN ${n} = 0 THEN ${d.num(0)} ELSE ${resp.successes} / ${n} END)`;
    w = caseWeights ? `(${caseWeights} * ${n})` : n;
    // R's binomial initialize for a two-column response: mustart = (n·y + 0.5)/(n + 1).
    mustart = `((${n} * ${y} + ${d.num(0.5)}) / (${n} + 1))`;
  } else if (resp.kind === "factor") {
    if (!proportionResponse) throw new FormulaError(`the response ${resp.name} is a ${resp.order === "numeric" ? "factor" : "string"} column: the SQL engine takes a factor response for the binomial family only`);
    const lv = levels.get(0);
    if (!lv || lv.length === 0) throw new DataError(`the response ${resp.name} has no values`);
    // R's binomial: the first level is failure, every other level success.
    y = `(CASE WHEN ${resp.valueSql} = ${lv[0]!.literal} THEN ${d.num(0)} ELSE ${d.num(1)} END)`;
    w = cw;
  } else {
    y = resp.sql;
    w = cw;
  }
  return {
    columnNames: layout.columnNames, hasIntercept: layout.intercept, layout, x, y, w, offset, trials, mustart,
    where: notMissing(plan, d), responseName: resp.name,
  };
}

/** The factor variables whose levels `frameSql` needs: the predictors', and the response's when it is a factor. */
export function neededLevels(plan: FormulaPlan): number[] {
  return plan.factorIndices.slice();
}


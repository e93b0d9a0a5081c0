/**
 * Expansion of a formula into model terms, following R's `terms.formula`
 * (src/library/stats/src/model.c: ExtractVars, EncodeVars, TermCode):
 *
 * - the *variables* are the distinct expressions of the formula in order of
 *   appearance, the response first; a term is a set of variables (a bit set);
 * - `a + b` concatenates, `a:b` interacts, `a*b` = a + b + a:b,
 *   `a/b` = a + a:b (b nested in all of a), `a %in% b` = a:b,
 *   `(a + b)^k` = all interactions up to order k, `a - b` removes b's terms,
 *   `0`/`-1` drop the intercept, `1` keeps it (the sign flips inside `-`);
 *   duplicates are removed keeping the first;
 * - terms containing an `offset(...)` variable are removed;
 * - terms are sorted by order of interaction, otherwise kept in order;
 * - the *factors* code of variable v in term T is 1 (coded by contrasts) when
 *   T without v is empty or contained in a preceding term, else 2 (coded by
 *   indicators): R's heuristic from Chambers & Hastie (1992), Statistical Models in S, p. 38.
 */
import { FormulaError } from "../errors.js";
import { leftSpine, type Formula, type Node } from "./ast.js";
import { deparse } from "./deparse.js";

/** The terms of a formula, as R's `terms()` object. */
export interface Terms {
  readonly formula: Formula;
  /** R's `attr(terms, "variables")`: response first (if any), then in order of appearance. */
  readonly variables: readonly Node[];
  /** Deparsed variables (R's rownames of `attr(terms, "factors")`). */
  readonly variableNames: readonly string[];
  /** Whether variable 0 is the response. */
  readonly response: boolean;
  readonly intercept: boolean;
  /** Variable indices of each term, ascending. */
  readonly terms: ReadonlyArray<readonly number[]>;
  /** R's `attr(terms, "term.labels")`. */
  readonly termLabels: readonly string[];
  /** Order of interaction of each term. */
  readonly order: readonly number[];
  /** `factors[t][v]`: 0 absent, 1 coded by contrasts, 2 by indicators (R's `attr(terms, "factors")`, transposed). */
  readonly factors: ReadonlyArray<readonly number[]>;
  /** `codes[t][k]`: the factors code of variable `terms[t][k]` in term t (the sparse form of `factors`). */
  readonly codes: ReadonlyArray<readonly number[]>;
  /** Indices of the `offset(...)` variables. */
  readonly offsets: readonly number[];
}

const bit = (i: number): bigint => 1n << BigInt(i);

/** The formula operators that chain to the left (all but `^`). */
const CHAIN = (op: string): boolean => op === "+" || op === "-" || op === "*" || op === "/" || op === ":" || op === "%in%";

/** Indices of the set bits of t, ascending (via the binary string: linear in the number of variables). */
function bitsOf(t: bigint): number[] {
  const s = t.toString(2);
  const out: number[] = [];
  for (let k = s.length - 1, i = 0; k >= 0; k--, i++) if (s.charCodeAt(k) === 49) out.push(i);
  return out;
}

/** Removes zero terms and repeated terms, keeping first occurrences (R's TrimRepeats). */
function trimRepeats(list: bigint[]): bigint[] {
  const seen = new Set<bigint>();
  const out: bigint[] = [];
  for (const t of list) {
    if (t === 0n || seen.has(t)) continue;
    seen.add(t);
    out.push(t);
  }
  return out;
}

function product(left: bigint[], right: bigint[]): bigint[] {
  const out: bigint[] = [];
  for (const l of left) for (const r of right) out.push(l | r);
  return out;
}

class TermsBuilder {
  readonly variables: Node[] = [];
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  intercept = true;
  private parity = true;

  constructor(private readonly formula: Formula, private readonly frameNames: readonly string[] | null) {}

  install(node: Node): number {
    const key = deparse(node);
    const found = this.index.get(key);
    if (found !== undefined) return found;
    this.index.set(key, this.variables.length);
    this.variables.push(node);
    this.names.push(key);
    return this.variables.length - 1;
  }

  private dotNames(node: Node): readonly string[] {
    if (this.frameNames === null) {
      throw new FormulaError(`"." in "${this.formula.text}" at column ${node.pos + 1} stands for the data's columns, but no data was given`);
    }
    return this.frameNames;
  }

  private dotNode(name: string, pos: number): Node {
    return { type: "name", name, pos };
  }

  /** R's ExtractVars: installs every variable in order of appearance (chains of operators unrolled). */
  extract(node: Node): void {
    switch (node.type) {
      case "num": return;
      case "name":
        if (node.name === ".") { for (const nm of this.dotNames(node)) this.install(this.dotNode(nm, node.pos)); return; }
        this.install(node);
        return;
      case "paren": this.extract(node.expr); return;
      case "unary":
        if (node.op === "+" || node.op === "-") { this.extract(node.arg); return; }
        break;
      case "binary":
        if (node.op === "^") { this.extract(node.left); return; }
        if (CHAIN(node.op)) {
          const { first, steps } = leftSpine(node, CHAIN);
          this.extract(first);
          for (const st of steps) this.extract(st.right);
          return;
        }
        break;
      default: break;
    }
    this.install(node);
  }

  /** R's EncodeVars: the expanded list of terms of `node`. */
  encode(node: Node): bigint[] {
    switch (node.type) {
      case "num":
        if (node.value === 1) this.intercept = this.parity;
        else this.intercept = !this.parity; // 0 (the checker admits only 0 and 1)
        return [];
      case "name":
        if (node.name === ".") return this.dotNames(node).map((nm) => bit(this.install(this.dotNode(nm, node.pos))));
        return [bit(this.install(node))];
      case "paren": return this.encode(node.expr);
      case "unary":
        if (node.op === "+") return this.encode(node.arg);
        if (node.op === "-") return this.remove([], node.arg);
        break;
      case "binary":
        if (node.op === "^") {
          const power = Math.trunc((node.right as Node & { type: "num" }).value);
          const base = this.encode(node.left);
          let acc = base;
          for (let k = 1; k < power; k++) acc = trimRepeats(product(base, acc));
          return acc;
        }
        if (CHAIN(node.op)) return this.encodeChain(node);
        break;
      default: break;
    }
    return [bit(this.install(node))];
  }

  /** A left-deep chain `t0 op1 t1 op2 t2 …`, left to right, with R's meaning of each operator. */
  private encodeChain(node: Node): bigint[] {
    const { first, steps } = leftSpine(node, CHAIN);
    let acc = this.encode(first);
    let seen: Set<bigint> | null = null; // kept in step with acc while terms are appended
    for (const st of steps) {
      if (st.op === "+") {
        const right = this.encode(st.right);
        if (!seen) { acc = trimRepeats(acc); seen = new Set(acc); }
        for (const t of right) if (t !== 0n && !seen.has(t)) { seen.add(t); acc.push(t); }
        continue;
      }
      seen = null;
      if (st.op === "-") { acc = this.remove(acc, st.right); continue; }
      const l = acc, r = this.encode(st.right);
      switch (st.op) {
        case ":": acc = trimRepeats(product(l, r)); break;
        case "*": acc = trimRepeats([...l, ...r, ...product(l, r)]); break;
        case "%in%": {
          const all = r.reduce((a, t) => a | t, 0n);
          acc = trimRepeats(l.map((t) => t | all));
          break;
        }
        case "/": {
          const all = l.reduce((a, t) => a | t, 0n);
          acc = trimRepeats([...l, ...r.map((t) => t | all)]);
          break;
        }
      }
    }
    return acc;
  }

  /** R's DeleteTerms: `left - right`, encoding `right` with the opposite parity. */
  private remove(left: bigint[], rightNode: Node): bigint[] {
    this.parity = !this.parity;
    const right = this.encode(rightNode);
    this.parity = !this.parity;
    let out = left;
    for (const r of right) {
      if (r === 0n) this.intercept = false;
      out = out.filter((t) => t !== r);
    }
    return out;
  }
}

/** The names of the symbols in `node` (R's CheckRHS collects those of the left-hand side). */
function symbolsOf(node: Node | null, into: Set<string>): Set<string> {
  if (!node) return into;
  switch (node.type) {
    case "name": into.add(node.name); break;
    case "paren": symbolsOf(node.expr, into); break;
    case "unary": symbolsOf(node.arg, into); break;
    case "binary": {
      const { first, steps } = leftSpine(node, () => true);
      symbolsOf(first, into);
      for (const st of steps) symbolsOf(st.right, into);
      break;
    }
    case "call": for (const a of node.args) symbolsOf(a.value, into); break;
    default: break;
  }
  return into;
}

/**
 * A term that contains the response (alone, or in an interaction or nesting such
 * as `low:age` or `y %in% g`) → FormulaError naming the term. R drops the response
 * alone with a warning, and keeps it as a regressor inside an interaction; neither
 * is a model anyone means to fit.
 */
function checkResponseNotInTerms(list: readonly bigint[], names: readonly string[], text: string): void {
  for (const t of list) {
    if ((t & 1n) === 0n) continue;
    if (t === 1n) throw new FormulaError(`the response ${names[0]} also appears as a term on the right-hand side of "${text}"`);
    const label = bitsOf(t).map((v) => names[v]).join(":");
    throw new FormulaError(`the response ${names[0]} appears in the term ${label} on the right-hand side of "${text}": a term may not contain the response (give a copy of the column another name to use it as a regressor)`);
  }
}

/**
 * The terms of a parsed formula (R's `terms(formula, data = data)`). `dataNames`
 * are the data's column names, used for `.` (all columns except the symbols of
 * the left-hand side). A term containing the response → FormulaError.
 * @example termsOf(parseFormula("y ~ a*b"), null).termLabels // ["a", "b", "a:b"]
 */
export function termsOf(formula: Formula, dataNames: readonly string[] | null): Terms {
  const lhsSymbols = symbolsOf(formula.lhs, new Set());
  const frameNames = dataNames === null ? null : dataNames.filter((nm) => !lhsSymbols.has(nm));
  const b = new TermsBuilder(formula, frameNames);
  if (formula.lhs) b.install(formula.lhs);
  b.extract(formula.rhs);
  let list = b.encode(formula.rhs);
  const response = formula.lhs !== null;

  const isOffset = b.names.map((nm) => nm.startsWith("offset("));
  const offsets = isOffset.flatMap((o, i) => (o && (!response || i > 0) ? [i] : []));
  const offsetBits = offsets.reduce((a, i) => a | bit(i), 0n);
  list = list.filter((t) => (t & offsetBits) === 0n);
  if (response) checkResponseNotInTerms(list, b.names, formula.text);

  // Sort by order of interaction, stable.
  const counted = list.map((t, k) => ({ t, vars: bitsOf(t), k }));
  counted.sort((x, y) => x.vars.length - y.vars.length || x.k - y.k);
  const sorted = counted.map((c) => c.t);
  const terms = counted.map((c) => c.vars);
  const codes = sorted.map((t, j) => terms[j].map((v) => {
    const reduced = t & ~bit(v);
    if (reduced === 0n) return 1;
    for (let s = 0; s < j; s++) if ((reduced & ~sorted[s]) === 0n) return 1;
    return 2;
  }));
  const nvar = b.variables.length;
  let factors: number[][] | null = null;
  return {
    formula,
    variables: b.variables,
    variableNames: b.names,
    response,
    intercept: b.intercept,
    terms,
    termLabels: terms.map((vars) => vars.map((v) => b.names[v]).join(":")),
    order: terms.map((vars) => vars.length),
    codes,
    // Dense (terms × variables) only when asked for: a formula of thousands of terms would need millions of cells.
    get factors(): ReadonlyArray<readonly number[]> {
      factors ??= terms.map((vars, j) => {
        const row = new Array<number>(nvar).fill(0);
        vars.forEach((v, k) => { row[v] = codes[j][k]; });
        return row;
      });
      return factors;
    },
    offsets,
  };
}

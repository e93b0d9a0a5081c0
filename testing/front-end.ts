/**
 * Arbitraries for fuzzing the model front end:
 *
 * - `priorSpec()`: rstanarm-style prior spec strings (positional or named
 *   arguments, defaults omitted, spacing and number formats varied) with the
 *   prior they denote; `priorSpec({ valid: false })` gives malformed or
 *   out-of-range specs that must be refused with a PriorError.
 * - `formulaSpec()`: a formula over a small data table (numeric a, b, c > 0,
 *   factors f (levels A, B, C) and g (levels p, q)) with the model-matrix column
 *   names R gives it: terms are ordered by degree, then as written; a factor is
 *   coded by treatment contrasts unless the term without it is absent from the
 *   model (then by indicators: the first factor of a no-intercept model);
 *   interactions only join variables whose main effects are present.
 */
import fc from "fast-check";
import type { DataInput } from "../src/data/index.js";
import { ArgumentError } from "../src/errors.js";
import { intArb, seedArb, type IntRange } from "./arbitrary-helpers.js";
import { simulationRng } from "./rng.js";

/** Kinds of prior a spec can name. */
export type PriorKindName =
  | "normal" | "student_t" | "cauchy" | "laplace" | "logistic" | "flat" | "jeffreys"
  | "exponential" | "half_normal" | "half_student_t" | "gamma";

const ARGS: Readonly<Record<PriorKindName, readonly string[]>> = {
  normal: ["location", "scale"],
  student_t: ["df", "location", "scale"],
  cauchy: ["location", "scale"],
  laplace: ["location", "scale"],
  logistic: ["location", "scale"],
  flat: [],
  jeffreys: [],
  exponential: ["rate"],
  half_normal: ["scale"],
  half_student_t: ["df", "scale"],
  gamma: ["shape", "rate"],
};

/** rstanarm's defaults as the parser applies them (gamma has none). */
const DEFAULTS: Readonly<Record<string, number>> = { location: 0, scale: 2.5, df: 1, rate: 1 };
const AUX_SCALE_DEFAULT = 1;

const COEFFICIENT_KINDS: readonly PriorKindName[] = ["normal", "student_t", "cauchy", "laplace", "logistic", "flat", "jeffreys"];
const AUX_KINDS: readonly PriorKindName[] = ["exponential", "half_normal", "half_student_t", "gamma", "flat"];

/** A prior spec string and what it denotes. */
export interface PriorSpecCase {
  text: string;
  valid: boolean;
  /** Valid specs: the kind and every parameter, defaults filled in. */
  kind: PriorKindName | null;
  params: Record<string, number>;
  /** Invalid specs: what is wrong, in words. */
  reason: string | null;
  toString(): string;
}

function withPrint(c: Omit<PriorSpecCase, "toString">): PriorSpecCase {
  const line = c.valid ? `priorSpec(${JSON.stringify(c.text)} = ${c.kind}${JSON.stringify(c.params)})` : `priorSpec(${JSON.stringify(c.text)}: ${c.reason})`;
  const out = { ...c, toString: () => line };
  Object.defineProperty(out, fc.toStringMethod, { value: () => line, enumerable: false });
  return out;
}

const valueArb: Readonly<Record<string, fc.Arbitrary<number>>> = {
  location: fc.integer({ min: -8, max: 8 }).map((k) => k / 4),
  scale: fc.constantFrom(2.5, 0.5, 1, 5, 10, 0.1),
  df: fc.constantFrom(3, 1, 7, 30),
  rate: fc.constantFrom(1, 0.5, 2),
  shape: fc.constantFrom(2, 1, 5),
};

/** Number formats the parser must read: 2.5, 2.50, 2.5e0, +2.5, .5 */
const formatArb = fc.constantFrom<(x: number) => string>(
  (x) => String(x),
  (x) => x.toFixed(2),
  (x) => x.toExponential(),
  (x) => (x >= 0 ? `+${x}` : String(x)),
  (x) => String(x).replace(/^(-?)0\./, "$1."),
);

const spaceArb = fc.constantFrom("", " ", "  ");

/** Options of {@link priorSpec}. */
export interface PriorSpecOptions {
  /** Priors for coefficients, auxiliary parameters, or both (default "any"). */
  target?: "coefficient" | "aux" | "any";
  /** false: malformed or out-of-range specs (default true). */
  valid?: boolean;
}

function validPriorSpec(kinds: readonly PriorKindName[]): fc.Arbitrary<PriorSpecCase> {
  return fc
    .record({
      kind: fc.constantFrom(...kinds),
      values: fc.record({ location: valueArb.location!, scale: valueArb.scale!, df: valueArb.df!, rate: valueArb.rate!, shape: valueArb.shape! }),
      style: fc.constantFrom("positional", "named", "defaults", "bare"),
      given: fc.nat({ max: 3 }),
      fmt: formatArb,
      sp: spaceArb,
      reverse: fc.boolean(),
    })
    .map(({ kind, values, style, given, fmt, sp, reverse }) => {
      const args = ARGS[kind];
      const params: Record<string, number> = {};
      // "defaults": a positional prefix of the arguments, the rest left to the defaults.
      const count = kind === "gamma" ? args.length : style === "defaults" ? Math.min(given, args.length) : style === "bare" ? 0 : args.length;
      const shown = args.slice(0, count);
      for (const a of args) {
        const dflt = (kind === "half_normal" || kind === "half_student_t") && a === "scale" ? AUX_SCALE_DEFAULT : DEFAULTS[a];
        params[a] = shown.includes(a) ? values[a as keyof typeof values] : dflt!;
      }
      let body: string;
      if (style === "named" && shown.length > 0) {
        const parts = shown.map((a) => `${a}${sp}=${sp}${fmt(params[a]!)}`);
        body = (reverse ? parts.reverse() : parts).join(`,${sp}`);
      } else {
        body = shown.map((a) => fmt(params[a]!)).join(`,${sp}`);
      }
      const text = style === "bare" && shown.length === 0 && !reverse ? `${sp}${kind}${sp}` : `${sp}${kind}(${sp}${body}${sp})${sp}`;
      return withPrint({ text, valid: true, kind, params, reason: null });
    });
}

const INVALID: readonly fc.Arbitrary<Omit<PriorSpecCase, "toString">>[] = [
  fc.constantFrom("normall(0, 1)", "Normal(0, 1)", "t(3, 0, 1)", "student-t(3, 0, 1)").map((text) => ({ text, reason: "unknown prior name" })),
  fc.constantFrom("normal(0, -1)", "normal(0, 0)", "cauchy(0, -2.5)", "laplace(1, 0)", "half_normal(-1)").map((text) => ({ text, reason: "scale must be positive" })),
  fc.constantFrom("student_t(0, 0, 1)", "student_t(-3, 0, 1)", "half_student_t(0, 1)").map((text) => ({ text, reason: "df must be positive" })),
  fc.constantFrom("exponential(0)", "exponential(-1)", "gamma(0, 1)", "gamma(2, -1)").map((text) => ({ text, reason: "rate/shape must be positive" })),
  fc.constantFrom("normal(0, 1", "normal 0, 1)", "normal((0, 1))", "normal(0; 1)").map((text) => ({ text, reason: "malformed parentheses or separators" })),
  fc.constantFrom("normal(a, 1)", "normal(0, one)", "normal(0, 1e)", "normal(0, NaN)", "normal(0, Inf)").map((text) => ({ text, reason: "an argument is not a number" })),
  fc.constantFrom("normal(0, 1, 2)", "flat(1)", "jeffreys(0)", "exponential(1, 2)").map((text) => ({ text, reason: "too many arguments" })),
  fc.constantFrom("gamma(1)", "gamma()", "gamma").map((text) => ({ text, reason: "a required argument is missing" })),
  fc.constantFrom("normal(scale = 1, scale = 2)", "normal(0, location = 1)", "normal(scale = 1, 0)", "normal(sd = 1)").map((text) => ({ text, reason: "bad named arguments" })),
  fc.constantFrom("", "   ", "()", "(0, 1)").map((text) => ({ text, reason: "empty or nameless" })),
].map((a) => a.map((c) => ({ ...c, valid: false, kind: null, params: {} })));

/**
 * Arbitrary prior spec strings with what they denote (or why they are invalid).
 * @example fc.sample(priorSpec({ target: "coefficient" }), 1)[0].valid // true
 */
export function priorSpec(options: PriorSpecOptions = {}): fc.Arbitrary<PriorSpecCase> {
  if (options.valid === false) return fc.oneof(...INVALID).map(withPrint);
  const target = options.target ?? "any";
  const kinds = target === "coefficient" ? COEFFICIENT_KINDS : target === "aux" ? AUX_KINDS : [...COEFFICIENT_KINDS, ...AUX_KINDS.filter((k) => k !== "flat")];
  return validPriorSpec(kinds);
}

/** A formula, its data and the model matrix R builds from them. */
export interface FormulaSpecCase {
  formula: string;
  data: DataInput;
  response: string;
  intercept: boolean;
  /** Term labels in R's order (degree, then as written). */
  terms: string[];
  /** Model-matrix column names in order, as R's model.matrix gives them. */
  columnNames: string[];
  seed: number;
  toString(): string;
}

type Variable = { name: string; factor: boolean; levels?: string[] };

const VARIABLES: readonly Variable[] = [
  { name: "a", factor: false },
  { name: "f", factor: true, levels: ["A", "B", "C"] },
  { name: "b", factor: false },
  { name: "g", factor: true, levels: ["p", "q"] },
  { name: "log(c)", factor: false },
  { name: "I(a^2)", factor: false },
];

/** Options of {@link formulaSpec}. */
export interface FormulaSpecOptions {
  /** Rows of the data (default 8…20). */
  n?: IntRange;
}

/** Column names of one term, given which of its factors are coded by contrasts. */
function termColumns(vars: readonly Variable[], contrast: readonly boolean[]): string[] {
  let cols: string[] = [""];
  vars.forEach((v, k) => {
    const pieces = v.factor ? (contrast[k] ? v.levels!.slice(1) : v.levels!).map((l) => `${v.name}${l}`) : [v.name];
    // The first variable varies fastest: new pieces go outside.
    const next: string[] = [];
    for (const piece of pieces) for (const c of cols) next.push(c === "" ? piece : `${c}:${piece}`);
    cols = next;
  });
  return cols;
}

/** What determines a formula case; {@link formulaCase} is a pure function of it. */
export interface FormulaParameters {
  /** Rows of the data (≥ 6). */
  n: number;
  /** Indices into the variables a, f, b, g, log(c), I(a^2) of the main effects, ascending. */
  mains: readonly number[];
  /** Interactions among the pairs (a,b), (a,f), (f,g), (b,g), (a,g), kept only when both main effects are present. */
  pairs: readonly (readonly [number, number])[];
  noIntercept: boolean;
  /** Write the first interaction as u*v when its variables are adjacent main effects. */
  star: boolean;
  /** " " or "": spacing around operators. */
  sp: string;
  seed: number;
}

/** The interactions formulaSpec draws from (indices into the variables). */
export const FORMULA_PAIRS: readonly (readonly [number, number])[] = [
  [0, 2],
  [0, 1],
  [1, 3],
  [2, 3],
  [0, 3],
];

/**
 * Builds a formula, its data, and the column names R's model.matrix gives them.
 * @example formulaCase({ n: 8, mains: [0, 1], pairs: [[0, 1]], noIntercept: false, star: true, sp: " ", seed: 1 }).formula // "y ~ a*f"
 */
export function formulaCase(q: FormulaParameters): FormulaSpecCase {
  const { n, mains, pairs, noIntercept, star, sp, seed } = q;
  if (!Number.isInteger(n) || n < 6) throw new ArgumentError(`n must be an integer ≥ 6 (every factor level must occur), got ${n}`);
  for (const j of mains) if (!Number.isInteger(j) || j < 0 || j >= VARIABLES.length) throw new ArgumentError(`mains: ${j} is not a variable index 0…${VARIABLES.length - 1}`);
  const main = mains.map((j) => VARIABLES[j]!);
  const present = new Set(mains);
  const inter = pairs.filter(([u, v]) => present.has(u) && present.has(v)).map(([u, v]) => [VARIABLES[u]!, VARIABLES[v]!] as const);
  const intercept = !noIntercept || main.length === 0;
  // R's coding rule: a factor in a term gets contrasts iff the term without it is in the model.
  const labels = new Set(main.map((v) => v.name));
  const columns: string[] = intercept ? ["(Intercept)"] : [];
  let firstFactorFull = !intercept;
  for (const v of main) {
    const full = v.factor && firstFactorFull;
    if (v.factor) firstFactorFull = false;
    columns.push(...termColumns([v], [!full]));
  }
  for (const [u, v] of inter) columns.push(...termColumns([u, v], [labels.has(v.name), labels.has(u.name)]));
  const terms = [...main.map((v) => v.name), ...inter.map(([u, v]) => `${u.name}:${v.name}`)];
  // Render: optionally write the first interaction as u*v when u, v are adjacent main effects.
  const pieces = main.map((v) => v.name);
  const interPieces = inter.map(([u, v]) => `${u.name}:${v.name}`);
  if (star && inter.length > 0) {
    const [u, v] = inter[0]!;
    const iu = pieces.indexOf(u.name);
    if (pieces[iu + 1] === v.name) {
      pieces.splice(iu, 2, `${u.name}*${v.name}`);
      interPieces.shift();
    }
  }
  const rhs = [...pieces, ...interPieces];
  const plus = `${sp}+${sp}`;
  const formula = `y${sp}~${sp}${rhs.length === 0 ? "1" : rhs.join(plus)}${intercept ? "" : `${sp}-${sp}1`}`;
  // Data: every level of every factor appears.
  const rng = simulationRng(seed);
  const col = (f: () => number) => Array.from({ length: n }, f);
  const data: Record<string, (number | string)[]> = {
    y: col(() => Math.round(10 * rng.normal(0, 1)) / 10),
    a: col(() => Math.round(4 * rng.normal(0, 1)) / 2),
    b: col(() => Math.round(4 * rng.normal(0, 1)) / 2),
    c: col(() => 0.5 + Math.round(9 * rng.uniform()) / 2),
    f: Array.from({ length: n }, (_, i) => (i < 3 ? ["A", "B", "C"][i]! : ["A", "B", "C"][Math.floor(3 * rng.uniform())]!)),
    g: Array.from({ length: n }, (_, i) => (i < 2 ? ["p", "q"][i]! : ["p", "q"][Math.floor(2 * rng.uniform())]!)),
  };
  const line = `formulaSpec(${JSON.stringify(formula)}, n=${n}, seed=${seed})`;
  const out: FormulaSpecCase = { formula, data, response: "y", intercept, terms, columnNames: columns, seed, toString: () => line };
  Object.defineProperty(out, fc.toStringMethod, { value: () => line, enumerable: false });
  return out;
}

/**
 * Arbitrary formulas over a small table, with the column names R's model.matrix gives.
 * Shrinks to `y ~ 1`.
 * @example fc.sample(formulaSpec(), 1)[0].columnNames[0] // "(Intercept)" (when the formula keeps the intercept)
 */
export function formulaSpec(options: FormulaSpecOptions = {}): fc.Arbitrary<FormulaSpecCase> {
  return fc
    .record({
      n: intArb("n", options.n ?? { min: 8, max: 20 }, 6),
      mains: fc.subarray(VARIABLES.map((_, j) => j)),
      pairs: fc.subarray(FORMULA_PAIRS as (readonly [number, number])[]),
      noIntercept: fc.boolean(),
      star: fc.boolean(),
      sp: fc.constantFrom(" ", ""),
      seed: seedArb,
    })
    .map(formulaCase);
}

/**
 * Generators of fuzz cases: random data (numbers at extreme scales, strings,
 * booleans, NA/empty cells, Inf, constant columns, separated and collinear designs,
 * tiny n), formulas (valid ones over the columns, and soup from R's formula tokens),
 * families, links, methods, priors and controls, valid and not.
 */
import fc from "fast-check";

export type Cell = number | string | boolean | null;
export type Row = Record<string, Cell>;

export interface FuzzCase {
  rows: Row[];
  formula: string;
  family: string | undefined;
  link: string | undefined;
  theta: number | undefined;
  power: number | undefined;
  method: "mle" | "firth" | "map" | "laplace" | "nuts";
  prior: string | undefined;
  priorAux: string | undefined;
  maxit: number | undefined;
  epsilon: number | undefined;
  weights: string | undefined;
}

const PREDICTORS = ["x1", "x2", "g", "b"];

const scale = fc.constantFrom(1, 1, 1, 1e-200, 1e200, 1e8, 1e-8);
const number = fc.double({ min: -5, max: 5, noNaN: true });
const oddCell = fc.constantFrom<Cell>(null, "", "NA", Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);

/** A numeric column: random, constant, at an extreme scale, or collinear with x1 (kind "collinear"). */
function numericColumn(n: number) {
  return fc.record({
    kind: fc.constantFrom("random", "random", "random", "constant", "collinear", "integer"),
    scale,
    values: fc.array(number, { minLength: n, maxLength: n }),
  });
}

/** The response: binary (possibly separated by x1), counts, all zero, positive, real, proportions, a factor. */
const responseKind = fc.constantFrom("binary", "binary", "separated", "count", "zeros", "positive", "real", "proportion", "factor", "boolean");

function responseValue(kind: string, u: number, x1: number, i: number): Cell {
  switch (kind) {
    case "binary": return u > 0 ? 1 : 0;
    case "separated": return x1 > 0 ? 1 : 0;
    case "count": return Math.floor(Math.abs(u) * 3);
    case "zeros": return 0;
    case "positive": return Math.abs(u) + 0.01;
    case "proportion": return Math.min(1, Math.abs(u) / 5);
    case "factor": return ["lo", "hi", "mid"][i % 3]!;
    case "boolean": return u > 0;
    default: return u;
  }
}

/** A data set of n rows (0 to 30) with y, x1, x2, a factor g, a logical b, a weight w, and sprinkled odd cells. */
export const dataArb = (yKind: fc.Arbitrary<string> = responseKind) => fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 5, max: 30 }), fc.integer({ min: 5, max: 30 })).chain((n) =>
  fc.record({
    n: fc.constant(n),
    y: yKind,
    yu: fc.array(number, { minLength: n, maxLength: n }),
    x1: numericColumn(n),
    x2: numericColumn(n),
    g: fc.array(fc.constantFrom("a", "b", "c", "a b", ""), { minLength: n, maxLength: n }),
    b: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    w: fc.array(fc.constantFrom(1, 1, 1, 1, 1, 1, 2, 0, 0.5), { minLength: n, maxLength: n }),
    odd: fc.oneof(
      { weight: 3, arbitrary: fc.constant([]) },
      { weight: 1, arbitrary: fc.array(fc.record({ row: fc.nat(), col: fc.constantFrom("y", ...PREDICTORS, "w"), cell: fc.oneof(oddCell, fc.constant<Cell>(-1)) }), { minLength: 1, maxLength: 3 }) },
    ),
  }),
).map((d) => {
  const col = (c: { kind: string; scale: number; values: number[] }, i: number, x1: number): number => {
    if (c.kind === "constant") return 3 * c.scale;
    if (c.kind === "collinear") return 2 * x1 + 1;
    if (c.kind === "integer") return Math.round(c.values[i]!) * c.scale;
    return c.values[i]! * c.scale;
  };
  const rows: Row[] = [];
  for (let i = 0; i < d.n; i++) {
    const x1 = col(d.x1, i, 0);
    rows.push({ y: responseValue(d.y, d.yu[i]!, x1, i), x1, x2: col(d.x2, i, x1), g: d.g[i]!, b: d.b[i]!, w: d.w[i]! });
  }
  for (const o of d.odd) if (rows.length > 0) rows[o.row % rows.length]![o.col] = o.cell;
  return rows;
});

const TERMS = ["x1", "x2", "g", "b", "log(x1)", "I(x1^2)", "poly(x1, 2)", "x1:g", "x1*x2", "exp(x2)", "sqrt(x2)", "offset(x2)", "factor(b)", "0", "1", "-1", "."];
const validFormula = fc
  .tuple(fc.constantFrom("y", "y", "y", "y", "y", "y", "cbind(y, x2)", "log(y)"), fc.subarray(TERMS, { minLength: 1, maxLength: 4 }), fc.constantFrom(" + ", " * ", " + "))
  .map(([lhs, terms, op]) => `${lhs} ~ ${terms.join(op)}`);

const TOKENS = ["y", "x1", "x2", "g", "b", "z", "~", "~", "+", "-", "*", ":", "^", "(", ")", "|", "1", "0", "2", "log(", "I(", ".", "%in%", "/", "cbind(", ",", "offset(", "poly(", "`", "\"", " ", "||", "==", "-1", "1e400", "NA"];
const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { minLength: 0, maxLength: 9 }).map((t) => t.join(" "));

export const formulaArb = fc.oneof({ weight: 4, arbitrary: validFormula }, { weight: 1, arbitrary: tokenSoup });

const FAMILIES = ["gaussian", "binomial", "poisson", "Gamma", "inverse.gaussian", "quasibinomial", "quasipoisson", "negbin", "negative_binomial", "tweedie", "BINOMIAL", "binomal", ""];
const LINKS = ["identity", "log", "logit", "probit", "cloglog", "cauchit", "inverse", "1/mu^2", "sqrt", "power(0.5)", "power(-2)", "bogus"];
const PRIORS = ["normal(0, 2.5)", "student_t(3, 0, 2.5)", "cauchy(0, 2.5)", "laplace(0, 1)", "logistic(0, 1)", "flat", "jeffreys", "normal(0, -1)", "normal(0)", "foo(1)", "student_t(0, 0, 1)"];
const AUX = ["exponential(1)", "half_normal(1)", "half_student_t(3, 1)", "gamma(2, 0.1)", "exponential(-1)", "normal(0, 1)"];

const maybe = <T>(a: fc.Arbitrary<T>, freq = 3) => fc.option(a, { nil: undefined, freq });

/** Responses that suit each family, so that most cases reach the fit (the rest stay random). */
const SUITED: Record<string, string[]> = {
  gaussian: ["real", "positive", "count", "zeros"],
  binomial: ["binary", "separated", "proportion", "factor", "boolean"],
  quasibinomial: ["binary", "separated", "proportion"],
  poisson: ["count", "zeros", "count"],
  quasipoisson: ["count", "zeros"],
  negbin: ["count", "count", "zeros"],
  negative_binomial: ["count"],
  Gamma: ["positive"],
  "inverse.gaussian": ["positive"],
  tweedie: ["count", "positive", "zeros"],
};

const familyAndData = maybe(fc.constantFrom(...FAMILIES), 6).chain((family) => {
  const suited = SUITED[family ?? "gaussian"];
  const y = suited ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...suited) }, { weight: 1, arbitrary: responseKind }) : responseKind;
  return fc.record({ family: fc.constant(family), rows: dataArb(y) });
});

export const caseArb: fc.Arbitrary<FuzzCase> = fc.record({
  fd: familyAndData,
  formula: formulaArb,
  link: maybe(fc.constantFrom(...LINKS), 1),
  theta: maybe(fc.constantFrom(0.5, 2, 10, 0, -1, 1e300), 1),
  power: maybe(fc.constantFrom(0, 1, 1.5, 2, 3, 0.5, -1), 1),
  method: fc.constantFrom("mle", "mle", "mle", "firth", "map", "laplace", "nuts"),
  prior: maybe(fc.constantFrom(...PRIORS), 1),
  priorAux: maybe(fc.constantFrom(...AUX), 1),
  maxit: maybe(fc.constantFrom(1, 2, 25, 100, 0, -3, 2.5), 1),
  epsilon: maybe(fc.constantFrom(1e-8, 1e-3, 0, -1), 1),
  weights: maybe(fc.constant("w"), 1),
}).map(({ fd, ...c }) => ({
  // θ and the power only with the family that takes them (the mismatches have unit tests)
  ...c,
  family: fd.family,
  rows: fd.rows,
  theta: c.family?.toLowerCase().includes("neg") ? c.theta : undefined,
  power: c.family === "tweedie" ? (c.power ?? 1.5) : undefined,
}));

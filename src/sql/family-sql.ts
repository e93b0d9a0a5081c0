/**
 * The families and links of glmkit as SQL expressions, transcribing the scalar
 * functions of src/links.ts and src/families/*.ts (R 4.2's make.link, family.c and
 * family.R) clamp for clamp, so that η, μ, dμ/dη, V(μ), the unit deviance and the
 * AIC terms computed by the engine equal the in-memory ones to rounding.
 * Every logarithm is guarded (DuckDB raises an error on ln(0) where JavaScript
 * gives −Infinity or NaN), and expm1/log1p, which DuckDB lacks, are series near 0.
 *
 * probit's Φ, φ and Φ⁻¹ are rational approximations written out in SQL (normal-sql.ts).
 * A link or family without a SQL form (Tweedie, a custom record) is refused with a FamilyError naming it.
 */
import gammaln from "@stdlib/math-base-special-gammaln";
import { FamilyError } from "../errors.js";
import { isPowerLinkSpec, makeLink } from "../links.js";
import type { Family } from "../types.js";
import type { SqlDialect } from "./dialect.js";
import { normalSql } from "./normal-sql.js";
import { qnormStd } from "../families/rmath.js";

/** A SQL expression builder of one argument (an expression itself). */
export type Sql1 = (x: string) => string;

export interface SqlLink {
  readonly name: string;
  linkfun: Sql1;
  linkinv: Sql1;
  muEta: Sql1;
  /** A boolean expression: R's valideta. */
  validEta: Sql1;
}

/** How the AIC of a family is assembled: aggregates over rows at the fit, then a scalar formula (R's family$aic). */
export interface SqlAic {
  /** Named aggregate expressions (SUM(…) etc.) over the final rows; y, mu, w, m (trials for the binomial) in scope. */
  aggregates(d: SqlDialect): Record<string, string>;
  /** −2 log L before the 2·rank term, from the aggregates, the deviance, the row count and Σw. */
  value(sums: Record<string, number>, dev: number, nRows: number): number;
}

export interface SqlFamily {
  readonly name: string;
  readonly link: SqlLink;
  variance: Sql1;
  /** Weighted unit deviance w·d(y, μ) (R's dev.resids). */
  devResid(y: string, mu: string, w: string): string;
  validMu: Sql1;
  /** R's mustart for a numeric response (the binomial cbind response brings its own). */
  startMu(y: string, w: string): string;
  /** Rows whose μ is on the boundary R's glm.fit warns about, with the warning; null when none. */
  readonly boundary: { readonly near: Sql1; readonly warning: string } | null;
  /** The support of y as a condition and its wording (R's initialize checks). */
  readonly support: { readonly holds: Sql1; readonly text: string };
  /** Null for quasi families (no likelihood: AIC NaN, as R's NA). */
  readonly aic: SqlAic | null;
}

const EPS = Number.EPSILON;
const lgammaJs = (x: number): number => gammaln(x);

/** Expression builders that need literals: bound to one dialect. */
export interface SqlMath {
  num(x: number): string;
  /** ln with JavaScript's Math.log semantics: −Infinity at 0, NaN below. */
  ln: Sql1;
  /** e^x with overflow to +Infinity (DuckDB raises an error instead). */
  exp: Sql1;
  expm1: Sql1;
  log1p: Sql1;
  isFinite: Sql1;
}

/** R's 709.78…: log of the largest double; beyond it e^x overflows. */
const EXP_MAX = 709.782712893384;

export function sqlMath(d: SqlDialect): SqlMath {
  const num = d.num;
  const ln: Sql1 = (x) => `(CASE WHEN ${x} > 0 THEN ${d.ln(x)} WHEN ${x} = 0 THEN ${num(-Infinity)} ELSE ${num(NaN)} END)`;
  const exp: Sql1 = (x) => `(CASE WHEN ${x} > ${num(EXP_MAX)} THEN ${num(Infinity)} ELSE exp(${x}) END)`;
  // Taylor series to x⁶ for |x| < 0.01 (truncation below 2e-17 relative), the plain formula elsewhere (cancellation ≤ 2e-14 relative).
  const expm1: Sql1 = (x) =>
    `(CASE WHEN abs(${x}) < ${num(0.01)} THEN ${x} * (1 + ${x} / 2 * (1 + ${x} / 3 * (1 + ${x} / 4 * (1 + ${x} / 5 * (1 + ${x} / 6))))) ELSE ${exp(x)} - 1 END)`;
  const log1p: Sql1 = (x) =>
    `(CASE WHEN abs(${x}) < ${num(0.01)} THEN ${x} * (1 - ${x} * (${num(1 / 2)} - ${x} * (${num(1 / 3)} - ${x} * (${num(1 / 4)} - ${x} * (${num(1 / 5)} - ${x} * (${num(1 / 6)} - ${x} * (${num(1 / 7)} - ${x} / 8))))))) ELSE ${ln(`(1 + ${x})`)} END)`;
  const isFinite: Sql1 = (x) => `(NOT ${d.isNan(x)} AND abs(${x}) < ${num(Infinity)})`;
  return { num, ln, exp, expm1, log1p, isFinite };
}

/** The λ of "power(λ)" as makeLink reads it (the link record's name is rounded, so the recipe's text is parsed). */
function powerOf(spec: string): number {
  makeLink(spec); // validates the text (a FamilyError for an unreadable exponent)
  const m = /^\s*power\s*\(\s*(.*?)\s*\)\s*$/.exec(spec)!;
  const parts = m[1]!.split("/").map((p) => Number(p.trim()));
  return parts.length === 2 ? parts[0]! / parts[1]! : parts[0]!;
}

/** The SQL form of the link the family was built with. */
export function sqlLink(spec: string, d: SqlDialect): SqlLink {
  const m = sqlMath(d);
  const { num } = m;
  const notNan: Sql1 = (e) => `(NOT ${d.isNan(e)})`;
  const finitePositive: Sql1 = (e) => `(${m.isFinite(e)} AND ${e} > 0)`;
  const name = isPowerLinkSpec(spec) ? spec : makeLink(spec).name;
  if (isPowerLinkSpec(spec)) {
    const lambda = powerOf(spec);
    if (lambda <= 0) return sqlLink("log", d);
    if (lambda === 1) return sqlLink("identity", d);
    const inv = 1 / lambda;
    const pow = (e: string, k: number) => `(CASE WHEN ${e} >= 0 THEN pow(${e}, ${num(k)}) ELSE ${num(NaN)} END)`;
    return {
      name,
      linkfun: (mu) => pow(mu, lambda),
      linkinv: (e) => `greatest(${pow(e, inv)}, ${num(EPS)})`,
      muEta: (e) => `greatest(${num(inv)} * ${pow(e, inv - 1)}, ${num(EPS)})`,
      validEta: finitePositive,
    };
  }
  switch (name) {
    case "identity":
      return { name, linkfun: (mu) => mu, linkinv: (e) => e, muEta: () => num(1), validEta: notNan };
    case "log":
      return { name, linkfun: (mu) => m.ln(mu), linkinv: (e) => `greatest(${m.exp(e)}, ${num(EPS)})`, muEta: (e) => `greatest(${m.exp(e)}, ${num(EPS)})`, validEta: notNan };
    case "logit": {
      // R's C logit_linkinv: e^η replaced by ε below −30 and by 1/ε above 30.
      const t = (e: string) => `(CASE WHEN ${e} < -30 THEN ${num(EPS)} WHEN ${e} > 30 THEN ${num(1 / EPS)} ELSE exp(${e}) END)`;
      return {
        name,
        linkfun: (mu) => `(CASE WHEN ${mu} >= 0 AND ${mu} <= 1 THEN ${m.ln(`(${mu} / (1 - ${mu}))`)} ELSE ${num(NaN)} END)`,
        linkinv: (e) => `(${t(e)} / (1 + ${t(e)}))`,
        muEta: (e) => `(CASE WHEN ${e} > 30 OR ${e} < -30 THEN ${num(EPS)} ELSE exp(${e}) / ((1 + exp(${e})) * (1 + exp(${e}))) END)`,
        validEta: notNan,
      };
    }
    case "cloglog": {
      const capped = (e: string) => m.exp(`least(${e}, 700)`);
      return {
        name,
        linkfun: (mu) => m.ln(`(-${m.log1p(`(-${mu})`)})`),
        linkinv: (e) => `greatest(least(-${m.expm1(`(-${m.exp(e)})`)}, ${num(1 - EPS)}), ${num(EPS)})`,
        muEta: (e) => `greatest(${capped(e)} * exp(-${capped(e)}), ${num(EPS)})`,
        validEta: notNan,
      };
    }
    case "cauchit": {
      const thresh = 1 / Math.tan(Math.PI * EPS);
      const c = (e: string) => `greatest(least(${e}, ${num(thresh)}), ${num(-thresh)})`;
      // rmath's pcauchyStd: atan(1/x) beyond |x| > 1, so that the tails keep their precision.
      const p = (x: string) => `(CASE WHEN abs(${x}) > 1 THEN (CASE WHEN ${x} > 0 THEN ${num(0.5)} - atan(1 / ${x}) / pi() + ${num(0.5)} ELSE -atan(1 / ${x}) / pi() END) ELSE ${num(0.5)} + atan(${x}) / pi() END)`;
      return {
        name,
        linkfun: (mu) => `tan(pi() * (${mu} - ${num(0.5)}))`,
        linkinv: (e) => p(c(e)),
        muEta: (e) => `greatest(1 / (pi() * (1 + ${e} * ${e})), ${num(EPS)})`,
        validEta: notNan,
      };
    }
    case "probit": {
      // R's probit: μ = Φ(η) with η clamped to ±(−Φ⁻¹(ε)), dμ/dη = max(φ(η), ε), η = Φ⁻¹(μ) (normal-sql.ts).
      const nm = normalSql(num, m.ln, d.isNan);
      const thresh = -qnormStd(EPS);
      return {
        name,
        linkfun: (mu) => nm.qnorm(mu),
        linkinv: (e) => nm.pnorm(`greatest(least(${e}, ${num(thresh)}), ${num(-thresh)})`),
        muEta: (e) => `greatest(${nm.dnorm(e)}, ${num(EPS)})`,
        validEta: notNan,
      };
    }
    case "inverse":
      return {
        name, linkfun: (mu) => `(1 / ${mu})`, linkinv: (e) => `(1 / ${e})`, muEta: (e) => `(-1 / (${e} * ${e}))`,
        validEta: (e) => `(${m.isFinite(e)} AND ${e} <> 0)`,
      };
    case "1/mu^2":
      return {
        name, linkfun: (mu) => `(1 / (${mu} * ${mu}))`,
        linkinv: (e) => `(CASE WHEN ${e} >= 0 THEN 1 / sqrt(${e}) ELSE ${num(NaN)} END)`,
        muEta: (e) => `(CASE WHEN ${e} >= 0 THEN -1 / (2 * pow(${e}, ${num(1.5)})) ELSE ${num(NaN)} END)`,
        validEta: finitePositive,
      };
    case "sqrt":
      return {
        name, linkfun: (mu) => `(CASE WHEN ${mu} >= 0 THEN sqrt(${mu}) ELSE ${num(NaN)} END)`,
        linkinv: (e) => `(${e} * ${e})`, muEta: (e) => `(2 * ${e})`, validEta: finitePositive,
      };
    default:
      throw new FamilyError(`the ${name} link has no SQL form here: fit it with the in-memory engine (--engine memory)`);
  }
}

/** y·log(y/μ) with 0·log 0 = 0 (R's C y_log_y). */
const yLogY = (m: SqlMath, y: string, mu: string): string => `(CASE WHEN ${y} <> 0 THEN ${y} * ${m.ln(`(${y} / ${mu})`)} ELSE 0 END)`;

/** The SQL family for a family record built by makeFamily (its recipe names the family and link). */
export function sqlFamily(family: Family, d: SqlDialect): SqlFamily {
  const recipe = family.recipe;
  if (!recipe || typeof recipe.link !== "string")
    throw new FamilyError(`the ${family.name} family was built around a custom Link record, which has no SQL form: fit it with the in-memory engine`);
  const link = sqlLink(recipe.link, d);
  const m = sqlMath(d);
  const { num } = m;
  const name = family.name;
  const positive: Sql1 = (mu) => `(${m.isFinite(mu)} AND ${mu} > 0)`;
  const notNan: Sql1 = (mu) => `(NOT ${d.isNan(mu)})`;
  const lgammaOf = (what: string): Sql1 => {
    const lg = d.lgamma;
    if (lg === null) return () => { throw new FamilyError(`the ${d.name} dialect has no lgamma, which the ${what} AIC needs`); };
    return lg;
  };
  const key = name.toLowerCase();
  if (key === "gaussian") {
    return {
      name, link, variance: () => num(1),
      devResid: (y, mu, w) => `(${w} * ((${y} - ${mu}) * (${y} - ${mu})))`,
      validMu: notNan, startMu: (y) => y, boundary: null, support: { holds: (y) => m.isFinite(y), text: "finite" },
      aic: {
        // R 4.2: nobs·(log(dev/nobs·2π) + 1) + 2 − Σ log(wt) (a zero weight makes it +Inf).
        aggregates: () => ({ sum_log_w: `SUM(${m.ln("w")})` }),
        value: (s, dev, nRows) => nRows * (Math.log((dev / nRows) * 2 * Math.PI) + 1) + 2 - s.sum_log_w!,
      },
    };
  }
  if (key === "binomial" || key === "quasibinomial") {
    const lg = key === "binomial" ? lgammaOf("binomial") : null;
    return {
      name, link, variance: (mu) => `(${mu} * (1 - ${mu}))`,
      devResid: (y, mu, w) => `(CASE WHEN ${w} = 0 THEN 0 ELSE 2 * ${w} * (${yLogY(m, y, mu)} + ${yLogY(m, `(1 - ${y})`, `(1 - ${mu})`)}) END)`,
      validMu: (mu) => `(${m.isFinite(mu)} AND ${mu} > 0 AND ${mu} < 1)`,
      startMu: (y, w) => `(CASE WHEN ${w} = 0 THEN ${num(0.5)} ELSE (${w} * ${y} + ${num(0.5)}) / (${w} + 1) END)`,
      support: { holds: (y) => `(${y} >= 0 AND ${y} <= 1)`, text: "in [0, 1]" },
      boundary: key === "binomial" ? { near: (mu) => `(${mu} > ${num(1 - 10 * EPS)} OR ${mu} < ${num(10 * EPS)})`, warning: "fitted probabilities numerically 0 or 1 occurred" } : null,
      aic: key === "quasibinomial" ? null : {
        // −2 Σ [m > 0 ? w/m : 0]·log dbinom(round(m·y), round(m), μ), y zeroed where w = 0 (R's binomial()$aic);
        // m is the trials column (or w when no row has more than one trial).
        aggregates: () => {
          const size = d.roundEven("m");
          const k = d.roundEven(`(m * (CASE WHEN w = 0 THEN 0 ELSE y END))`);
          const general = `(${lg!(`(${size} + 1)`)} - ${lg!(`(${k} + 1)`)} - ${lg!(`(${size} - ${k} + 1)`)} + ${k} * ${m.ln("mu")} + (${size} - ${k}) * ${m.log1p("(-mu)")})`;
          const logDbinom = `(CASE WHEN ${size} = 1 AND mu > 0 AND mu < 1 AND ${k} = 1 THEN ${m.ln("mu")} WHEN ${size} = 1 AND mu > 0 AND mu < 1 AND ${k} = 0 THEN ${m.log1p("(-mu)")} WHEN ${k} = 0 THEN ${size} * ${m.log1p("(-mu)")} WHEN ${k} = ${size} THEN ${size} * ${m.ln("mu")} ELSE ${general} END)`;
          return { sum_log_dbinom: `SUM(CASE WHEN m > 0 THEN w / m * ${logDbinom} ELSE 0 END)` };
        },
        value: (s) => -2 * s.sum_log_dbinom!,
      },
    };
  }
  if (key === "poisson" || key === "quasipoisson") {
    const lg = key === "poisson" ? lgammaOf("Poisson") : null;
    return {
      name, link, variance: (mu) => mu,
      devResid: (y, mu, w) => `(2 * (CASE WHEN ${y} > 0 THEN ${w} * (${y} * ${m.ln(`(${y} / ${mu})`)} - (${y} - ${mu})) ELSE ${mu} * ${w} END))`,
      validMu: positive, startMu: (y) => `(${y} + ${num(0.1)})`,
      support: { holds: (y) => `(${y} >= 0)`, text: ">= 0" },
      boundary: key === "poisson" ? { near: (mu) => `(${mu} < ${num(10 * EPS)})`, warning: "fitted rates numerically 0 occurred" } : null,
      aic: key === "quasipoisson" ? null : {
        // −2 Σ w·log dpois(y, μ); y more than 1e-7 (relative) from an integer has density 0 (R_nonint).
        aggregates: () => ({
          sum_log_dpois: `SUM(w * (CASE WHEN abs(y - round(y)) > ${num(1e-7)} * greatest(1, abs(y)) THEN ${num(-Infinity)} WHEN round(y) = 0 THEN -mu ELSE round(y) * ${m.ln("mu")} - mu - ${lg!("(round(y) + 1)")} END))`,
        }),
        value: (s) => -2 * s.sum_log_dpois!,
      },
    };
  }
  if (key === "gamma") {
    return {
      name, link, variance: (mu) => `(${mu} * ${mu})`,
      devResid: (y, mu, w) => `(-2 * ${w} * (${m.ln(`(CASE WHEN ${y} = 0 THEN 1 ELSE ${y} / ${mu} END)`)} - (${y} - ${mu}) / ${mu}))`,
      validMu: positive, startMu: (y) => y, boundary: null, support: { holds: (y) => `(${y} > 0)`, text: "> 0" },
      aic: {
        // −2 Σ w·log dgamma(y; 1/φ, scale μφ) + 2 with φ = dev/Σw:
        // log dgamma = (1/φ − 1) log y − y/(μφ) − lgamma(1/φ) − (1/φ) log(μφ).
        aggregates: () => ({ sw: "SUM(w)", sw_log_y: `SUM(w * ${m.ln("y")})`, sw_y_mu: "SUM(w * y / mu)", sw_log_mu: `SUM(w * ${m.ln("mu")})` }),
        value: (s, dev) => {
          const phi = dev / s.sw!;
          const shape = 1 / phi;
          const ll = (shape - 1) * s.sw_log_y! - s.sw_y_mu! / phi - s.sw! * lgammaJs(shape) - shape * (s.sw_log_mu! + s.sw! * Math.log(phi));
          return -2 * ll + 2;
        },
      },
    };
  }
  if (key === "inverse.gaussian") {
    return {
      name, link, variance: (mu) => `(${mu} * ${mu} * ${mu})`,
      devResid: (y, mu, w) => `((${w} * ((${y} - ${mu}) * (${y} - ${mu}))) / (${y} * (${mu} * ${mu})))`,
      validMu: notNan, startMu: (y) => y, boundary: null, support: { holds: (y) => `(${y} > 0)`, text: "> 0" },
      aic: {
        // Σw(1 + log(2π·dev/Σw)) + 3 Σ w log y + 2.
        aggregates: () => ({ sw: "SUM(w)", sw_log_y: `SUM(w * ${m.ln("y")})` }),
        value: (s, dev) => s.sw! * (1 + Math.log((dev / s.sw!) * 2 * Math.PI)) + 3 * s.sw_log_y! + 2,
      },
    };
  }
  const theta = family.parameters.theta;
  if (key.startsWith("negative binomial") && theta !== undefined) {
    const th = num(theta);
    const lg = lgammaOf("negative binomial");
    return {
      name, link, variance: (mu) => `(${mu} + (${mu} * ${mu}) / ${th})`,
      devResid: (y, mu, w) => `(2 * ${w} * (${y} * ${m.ln(`(greatest(1, ${y}) / ${mu})`)} - (${y} + ${th}) * ${m.ln(`((${y} + ${th}) / (${mu} + ${th}))`)}))`,
      validMu: (mu) => `(${mu} > 0)`,
      startMu: (y) => `(${y} + (CASE WHEN ${y} = 0 THEN ${num(1 / 6)} ELSE 0 END))`,
      boundary: null, support: { holds: (y) => `(${y} >= 0)`, text: ">= 0" },
      aic: {
        // MASS: 2 Σ w{(y+θ) log(μ+θ) − y log μ + lgamma(y+1) − θ log θ + lgamma(θ) − lgamma(θ+y)}.
        aggregates: () => ({
          sum_term: `SUM(w * ((y + ${th}) * ${m.ln(`(mu + ${th})`)} - (CASE WHEN y = 0 THEN 0 ELSE y * ${m.ln("mu")} END) + ${lg("(y + 1)")} - ${lg(`(${th} + y)`)}))`,
          sw: "SUM(w)",
        }),
        value: (s) => 2 * (s.sum_term! + s.sw! * (-theta * Math.log(theta) + lgammaJs(theta))),
      },
    };
  }
  throw new FamilyError(`the ${name} family has no SQL form here (families with one: gaussian, binomial, quasibinomial, poisson, quasipoisson, Gamma, inverse.gaussian, negative binomial with θ given): fit it with the in-memory engine`);
}


/**
 * Link functions η = g(μ), transcribing R 4.2's `make.link` and `power` (including
 * the C code of the logit link), with every clamp where R puts it, plus the second
 * and third derivatives d²μ/dη², d³μ/dη³ in closed form (the third unclamped: the
 * links clamp μ and μ′ only far in the tails).
 *
 * References:
 * [1] R Core Team. R 4.2 `src/library/stats/R/family.R` (make.link, power) and
 *     `src/library/stats/src/family.c` (logit_link, logit_linkinv, logit_mu_eta).
 * [2] McCullagh, P. and Nelder, J. A. (1989). Generalized Linear Models, 2nd ed., §2.2.
 */
import expm1 from "@stdlib/math-base-special-expm1";
import log1p from "@stdlib/math-base-special-log1p";
import pnorm from "@stdlib/stats-base-dists-normal-cdf";
import { ArgumentError, FamilyError } from "./errors.js";
import type { Link } from "./types.js";
import {
  DBL_EPSILON,
  dcauchyStd,
  dnormStd,
  formatR,
  pcauchyStd,
  qcauchyStd,
  qnormStd,
  roundR,
} from "./families/rmath.js";

export { DBL_EPSILON };

/** The link names `makeLink` knows, besides "power(λ)". */
export const LINK_NAMES = [
  "identity",
  "log",
  "logit",
  "probit",
  "cloglog",
  "cauchit",
  "inverse",
  "1/mu^2",
  "sqrt",
] as const;

/** One of R's named links. */
export type LinkName = (typeof LINK_NAMES)[number];

/** |η| beyond which R's C logit code clamps (family.c: THRESH = 30, MTHRESH = −30). */
const LOGIT_THRESH = 30;
/** 1/ε, the value that replaces exp(η) for η > 30 in R's logit_linkinv (INVEPS). */
const INV_EPS = 1 / DBL_EPSILON;
/** −qnorm(ε) ≈ 8.125890664701906: probit clamps η to ± this. */
const PROBIT_THRESH = -qnormStd(DBL_EPSILON);
/** −qcauchy(ε) = 1/tan(πε) ≈ 1.4335e15: cauchit clamps η to ± this. */
const CAUCHIT_THRESH = -qcauchyStd(DBL_EPSILON);
/** cloglog's mu.eta caps η at 700 so that exp(η) stays finite. */
const CLOGLOG_ETA_CAP = 700;

function outOfRange(link: string, mu: number, domain: string): ArgumentError {
  return new ArgumentError(`mu = ${mu} is out of range ${domain} for the ${link} link`);
}

/** R's valideta is TRUE for these links; we only refuse NaN. */
const notNaN = (eta: number): boolean => !Number.isNaN(eta);
const finitePositive = (eta: number): boolean => Number.isFinite(eta) && eta > 0;

/**
 * Identity link η = μ; dμ/dη = 1, d²μ/dη² = d³μ/dη³ = 0.
 * @example identityLink.linkinv(2.5) // 2.5
 */
export const identityLink: Link = Object.freeze({
  name: "identity",
  linkfun: (mu: number) => mu,
  linkinv: (eta: number) => eta,
  muEta: (_eta: number) => 1,
  muEta2: (_eta: number) => 0,
  muEta3: (_eta: number) => 0,
  validEta: notNaN,
});

/**
 * Log link η = log μ; μ = max(e^η, ε), dμ/dη = max(e^η, ε), d²μ/dη² = d³μ/dη³ = e^η.
 * @example logLink.linkinv(0) // 1
 */
export const logLink: Link = Object.freeze({
  name: "log",
  linkfun: (mu: number) => {
    if (mu < 0) throw outOfRange("log", mu, "[0, Inf)");
    return Math.log(mu);
  },
  linkinv: (eta: number) => Math.max(Math.exp(eta), DBL_EPSILON),
  muEta: (eta: number) => Math.max(Math.exp(eta), DBL_EPSILON),
  muEta2: (eta: number) => Math.exp(eta),
  muEta3: (eta: number) => Math.exp(eta),
  validEta: notNaN,
});

/**
 * Logit link η = log(μ/(1−μ)), transcribing R's C code [1]: e^η is replaced by ε
 * when η < −30 and by 1/ε when η > 30, so μ = e/(1+e) ∈ [ε/(1+ε), 1/(1+ε)];
 * dμ/dη = e^η/(1+e^η)², and ε when |η| > 30; d²μ/dη² = μ(1−μ)(1−2μ);
 * d³μ/dη³ = μ(1−μ)(1 − 6μ(1−μ)).
 * @example logitLink.linkinv(0) // 0.5
 */
export const logitLink: Link = Object.freeze({
  name: "logit",
  linkfun: (mu: number) => {
    if (mu < 0 || mu > 1) throw outOfRange("logit", mu, "[0, 1]");
    return Math.log(mu / (1 - mu));
  },
  linkinv: (eta: number) => {
    const t = eta < -LOGIT_THRESH ? DBL_EPSILON : eta > LOGIT_THRESH ? INV_EPS : Math.exp(eta);
    return t / (1 + t);
  },
  muEta: (eta: number) => {
    if (eta > LOGIT_THRESH || eta < -LOGIT_THRESH) return DBL_EPSILON;
    const e = Math.exp(eta);
    const opexp = 1 + e;
    return e / (opexp * opexp);
  },
  muEta2: (eta: number) => {
    // μ(1−μ) = e^{−|η|}/(1+e^{−|η|})² and 1 − 2μ = −tanh(η/2): no overflow for any η.
    const e = Math.exp(-Math.abs(eta));
    const ope = 1 + e;
    return (-Math.tanh(eta / 2) * e) / (ope * ope);
  },
  muEta3: (eta: number) => {
    const e = Math.exp(-Math.abs(eta));
    const v = e / ((1 + e) * (1 + e)); // μ(1−μ) without overflow
    return v * (1 - 6 * v);
  },
  validEta: notNaN,
});

/**
 * Probit link η = Φ⁻¹(μ); μ = Φ(η) with η clamped to ±8.1259 (= −Φ⁻¹(ε)),
 * dμ/dη = max(φ(η), ε), d²μ/dη² = −η·φ(η), d³μ/dη³ = (η² − 1)φ(η).
 * @example probitLink.linkinv(0) // 0.5
 */
export const probitLink: Link = Object.freeze({
  name: "probit",
  linkfun: (mu: number) => {
    if (mu < 0 || mu > 1) throw outOfRange("probit", mu, "[0, 1]");
    return qnormStd(mu);
  },
  linkinv: (eta: number) => pnorm(Math.min(Math.max(eta, -PROBIT_THRESH), PROBIT_THRESH), 0, 1),
  muEta: (eta: number) => Math.max(dnormStd(eta), DBL_EPSILON),
  muEta2: (eta: number) => -eta * dnormStd(eta),
  muEta3: (eta: number) => (eta * eta - 1) * dnormStd(eta),
  validEta: notNaN,
});

/**
 * Cauchit link η = tan(π(μ − ½)); μ = ½ + atan(η)/π with η clamped to ±1/tan(πε),
 * dμ/dη = max(1/(π(1+η²)), ε), d²μ/dη² = −2η/(π(1+η²)²), d³μ/dη³ = (6η² − 2)/(π(1+η²)³).
 * @example cauchitLink.linkinv(1) // 0.75
 */
export const cauchitLink: Link = Object.freeze({
  name: "cauchit",
  linkfun: (mu: number) => {
    if (mu < 0 || mu > 1) throw outOfRange("cauchit", mu, "[0, 1]");
    return qcauchyStd(mu);
  },
  linkinv: (eta: number) => pcauchyStd(Math.min(Math.max(eta, -CAUCHIT_THRESH), CAUCHIT_THRESH)),
  muEta: (eta: number) => Math.max(dcauchyStd(eta), DBL_EPSILON),
  muEta2: (eta: number) => {
    const s = 1 + eta * eta;
    // A product of ratios, so that (1+η²)² cannot overflow before the division.
    return (-2 * eta) / (Math.PI * s) / s;
  },
  muEta3: (eta: number) => {
    const s = 1 + eta * eta;
    return (6 * eta * eta - 2) / (Math.PI * s) / s / s;
  },
  validEta: notNaN,
});

/**
 * Complementary log-log link η = log(−log(1−μ)) (computed with log1p); μ = −expm1(−e^η)
 * clamped to [ε, 1−ε]; dμ/dη = max(e^η·exp(−e^η), ε) with η capped at 700;
 * d²μ/dη² = e^η·exp(−e^η)·(1 − e^η) and d³μ/dη³ = e^η·exp(−e^η)·((1 − e^η)² − e^η), with the same cap.
 * @example cloglogLink.linkinv(0) // ≈ 0.6321205588285577
 */
export const cloglogLink: Link = Object.freeze({
  name: "cloglog",
  linkfun: (mu: number) => {
    if (mu < 0 || mu > 1) throw outOfRange("cloglog", mu, "[0, 1]");
    return Math.log(-log1p(-mu));
  },
  linkinv: (eta: number) => Math.max(Math.min(-expm1(-Math.exp(eta)), 1 - DBL_EPSILON), DBL_EPSILON),
  muEta: (eta: number) => {
    const e = Math.exp(Math.min(eta, CLOGLOG_ETA_CAP));
    return Math.max(e * Math.exp(-e), DBL_EPSILON);
  },
  muEta2: (eta: number) => {
    const e = Math.exp(Math.min(eta, CLOGLOG_ETA_CAP));
    return e * Math.exp(-e) * (1 - e);
  },
  muEta3: (eta: number) => {
    const e = Math.exp(Math.min(eta, CLOGLOG_ETA_CAP));
    const d1 = e * Math.exp(-e);
    return d1 * ((1 - e) * (1 - e) - e);
  },
  validEta: notNaN,
});

/**
 * Inverse link η = 1/μ; μ = 1/η, dμ/dη = −1/η², d²μ/dη² = 2/η³, d³μ/dη³ = −6/η⁴; valid η: finite and ≠ 0.
 * @example inverseLink.linkinv(4) // 0.25
 */
export const inverseLink: Link = Object.freeze({
  name: "inverse",
  linkfun: (mu: number) => 1 / mu,
  linkinv: (eta: number) => 1 / eta,
  muEta: (eta: number) => -1 / (eta * eta),
  muEta2: (eta: number) => 2 / (eta * eta * eta),
  muEta3: (eta: number) => -6 / (eta * eta * eta * eta),
  validEta: (eta: number) => Number.isFinite(eta) && eta !== 0,
});

/**
 * Inverse-square link η = 1/μ²; μ = 1/√η, dμ/dη = −1/(2η^1.5), d²μ/dη² = ¾η^(−5/2),
 * d³μ/dη³ = −(15/8)η^(−7/2); valid η: finite and > 0.
 * @example inverseSquareLink.linkinv(4) // 0.5
 */
export const inverseSquareLink: Link = Object.freeze({
  name: "1/mu^2",
  linkfun: (mu: number) => 1 / (mu * mu),
  linkinv: (eta: number) => 1 / Math.sqrt(eta),
  muEta: (eta: number) => -1 / (2 * Math.pow(eta, 1.5)),
  muEta2: (eta: number) => 0.75 * Math.pow(eta, -2.5),
  muEta3: (eta: number) => -1.875 * Math.pow(eta, -3.5),
  validEta: finitePositive,
});

/**
 * Square-root link η = √μ; μ = η², dμ/dη = 2η, d²μ/dη² = 2, d³μ/dη³ = 0; valid η: finite and > 0.
 * @example sqrtLink.linkinv(3) // 9
 */
export const sqrtLink: Link = Object.freeze({
  name: "sqrt",
  linkfun: (mu: number) => {
    if (mu < 0) throw outOfRange("sqrt", mu, "[0, Inf)");
    return Math.sqrt(mu);
  },
  linkinv: (eta: number) => eta * eta,
  muEta: (eta: number) => 2 * eta,
  muEta2: (_eta: number) => 2,
  muEta3: (_eta: number) => 0,
  validEta: finitePositive,
});

const NAMED_LINKS: Readonly<Record<LinkName, Link>> = Object.freeze({
  identity: identityLink,
  log: logLink,
  logit: logitLink,
  probit: probitLink,
  cloglog: cloglogLink,
  cauchit: cauchitLink,
  inverse: inverseLink,
  "1/mu^2": inverseSquareLink,
  sqrt: sqrtLink,
});

/** Whether `name` is one of R's named links (not "power(λ)"). */
export function isLinkName(name: string): name is LinkName {
  return Object.prototype.hasOwnProperty.call(NAMED_LINKS, name);
}

/**
 * R's `power(lambda)`: η = μ^λ. As in R, λ ≤ 0 gives the log link (R's documentation:
 * a non-positive λ "is taken as zero") and λ = 1 the identity link; otherwise the link
 * is named "mu^" + round(λ, 3), μ = max(η^(1/λ), ε), dμ/dη = max((1/λ)η^(1/λ−1), ε),
 * d²μ/dη² = (1/λ)(1/λ−1)η^(1/λ−2), d³μ/dη³ = (1/λ)(1/λ−1)(1/λ−2)η^(1/λ−3), valid η: finite and > 0.
 * @example powerLink(1 / 3).name // "mu^0.333"
 * @example powerLink(0.5).linkinv(3) // 9
 */
export function powerLink(lambda: number): Link {
  if (typeof lambda !== "number" || Number.isNaN(lambda)) {
    throw new ArgumentError(`invalid argument 'lambda' of power(): ${String(lambda)}`);
  }
  if (lambda <= 0) return logLink;
  if (lambda === 1) return identityLink;
  const inv = 1 / lambda;
  const invm1 = inv - 1;
  const invm2 = inv - 2;
  const invm3 = inv - 3;
  const c3 = inv * invm1 * invm2;
  const name = `mu^${formatR(roundR(lambda, 3), 15)}`;
  return Object.freeze({
    name,
    linkfun: (mu: number) => {
      if (mu < 0) throw outOfRange(name, mu, "[0, Inf)");
      return Math.pow(mu, lambda);
    },
    linkinv: (eta: number) => Math.max(Math.pow(eta, inv), DBL_EPSILON),
    muEta: (eta: number) => Math.max(inv * Math.pow(eta, invm1), DBL_EPSILON),
    muEta2: (eta: number) => inv * invm1 * Math.pow(eta, invm2),
    muEta3: (eta: number) => c3 * Math.pow(eta, invm3),
    validEta: finitePositive,
  });
}

/** Relative step of the central-difference fallback: ε^(1/3), the optimum for a first derivative by central differences. */
const FALLBACK_STEP = 6.055454452393343e-6;

/**
 * A custom link record without `muEta3` (from JavaScript, as R takes any "link-glm"
 * object) completed with a central difference of its analytic second derivative:
 * μ‴(η) ≈ (μ″(η + h) − μ″(η − h)) / (2h), h = ε^{1/3}·max(1, |η|) (error O(h²) ≈ 1e-11
 * relative). Records that have `muEta3` are returned as they are.
 * @example const { muEta3: _, ...mylog } = { ...logLink, name: "mylog" }; withMuEta3(mylog as Link).muEta3(0) // ≈ 1 (e⁰)
 */
export function withMuEta3(link: Link): Link {
  if (typeof link.muEta3 === "function") return link;
  const muEta3 = (eta: number): number => {
    const h = FALLBACK_STEP * Math.max(1, Math.abs(eta));
    return (link.muEta2(eta + h) - link.muEta2(eta - h)) / (2 * h);
  };
  return Object.freeze({ ...link, muEta3 });
}

const POWER_PATTERN = /^\s*power\s*\(\s*(.*?)\s*\)\s*$/;
const NUMBER_PATTERN = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Parses the λ of "power(λ)": a decimal number or a fraction "a/b". */
function parsePowerArgument(text: string, original: string): number {
  const parts = text.split("/").map((p) => p.trim());
  if ((parts.length === 1 || parts.length === 2) && parts.every((p) => NUMBER_PATTERN.test(p))) {
    const value = parts.length === 1 ? Number(parts[0]) : Number(parts[0]) / Number(parts[1]);
    if (Number.isFinite(value)) return value;
  }
  throw new FamilyError(
    `cannot read the exponent of link "${original}": write power(λ) with a number or a fraction, e.g. power(0.5) or power(1/3)`,
  );
}

/** Whether `name` has the form "power(…)". */
export function isPowerLinkSpec(name: string): boolean {
  return POWER_PATTERN.test(name);
}

/**
 * R's `make.link(name)` for "identity", "log", "logit", "probit", "cloglog",
 * "cauchit", "inverse", "1/mu^2", "sqrt", plus "power(λ)" (λ a number or a fraction),
 * which is R's `power(λ)`. Unknown names throw a FamilyError listing the valid ones.
 * @example makeLink("logit").linkfun(0.5) // 0
 * @example makeLink("power(1/3)").name // "mu^0.333"
 */
export function makeLink(name: string): Link {
  if (typeof name !== "string") {
    throw new FamilyError(`link must be a string or a Link; got ${String(name)}`);
  }
  if (isLinkName(name)) return NAMED_LINKS[name];
  const m = POWER_PATTERN.exec(name);
  if (m) return powerLink(parsePowerArgument(m[1]!, name));
  throw new FamilyError(`link "${name}" is not recognised; valid links: ${LINK_NAMES.join(", ")}, power(λ)`);
}

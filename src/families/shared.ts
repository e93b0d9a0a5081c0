/**
 * Pieces every family uses: resolving and vetting the link a caller asks for, the
 * row-naming support check of y, and the y·log(y/μ) convention of R's C code.
 * Families are built by `buildFamily` from a spec of plain functions, so the link
 * boilerplate lives here once (R copies it into every family).
 */
import { ArgumentError, DataError, FamilyError } from "../errors.js";
import { isLinkName, isPowerLinkSpec, makeLink } from "../links.js";
import type { DispersionKind, Family, Link } from "../types.js";

/** A link as callers give it: one of R's names, "power(λ)", or a Link record. */
export type LinkSpec = string | Link;

/** Whether a link record is a power link built by `powerLink` (named "mu^λ"). */
function isPowerLinkName(name: string): boolean {
  return name.startsWith("mu^");
}

/**
 * Resolves `link` for `family`, accepting the names in `okLinks`, any power(λ) link
 * (R's families all take `power()` objects) and any custom Link record whose name is
 * not one of R's named links (R takes any "link-glm" object). A named link outside
 * `okLinks` throws a FamilyError naming the family and its valid links.
 */
export function resolveLink(family: string, link: LinkSpec, okLinks: readonly string[]): Link {
  let resolved: Link;
  if (typeof link === "string") {
    if (!isLinkName(link) && !isPowerLinkSpec(link)) {
      throw new FamilyError(
        `link "${link}" is not available for the ${family} family; valid links: ${okLinks.join(", ")}, power(λ)`,
      );
    }
    resolved = makeLink(link);
  } else if (link !== null && typeof link === "object" && typeof link.linkinv === "function") {
    resolved = link;
  } else {
    throw new FamilyError(`link for the ${family} family must be a link name or a Link; got ${String(link)}`);
  }
  const name = resolved.name;
  if (okLinks.includes(name) || isPowerLinkName(name) || !isLinkName(name)) return resolved;
  const asked = typeof link === "string" && link !== name ? ` (from "${link}")` : "";
  throw new FamilyError(
    `link "${name}"${asked} is not available for the ${family} family; valid links: ${okLinks.join(", ")}, power(λ)`,
  );
}

/** y·log(y/μ) with 0·log 0 = 0, as R's C `y_log_y`. */
export function yLogY(y: number, mu: number): number {
  return y !== 0 ? y * Math.log(y / mu) : 0;
}

/** R's `round(x)`: to the nearest integer, halves to even (IEC 60559). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Throws an ArgumentError unless y and wt have the same length. */
export function checkLengths(y: Float64Array, wt: Float64Array): void {
  if (y.length !== wt.length) {
    throw new ArgumentError(`y has ${y.length} values but the weights wt have ${wt.length}`);
  }
}

/**
 * Checks every y: throws a DataError naming the first row (1-based) that is not
 * finite or fails `inSupport`, e.g. "y must be in [0, 1] for the binomial family;
 * row 7 has y = 2". Rows for which `skip(i)` is true are not range-checked.
 */
export function checkSupport(
  y: Float64Array,
  wt: Float64Array,
  family: string,
  supportText: string,
  inSupport: (y: number) => boolean,
  skip?: (i: number) => boolean,
): void {
  checkLengths(y, wt);
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) {
      throw new DataError(`y must be finite for the ${family} family; row ${i + 1} has y = ${v}`, {
        column: "y",
        row: i + 1,
      });
    }
    if (skip !== undefined && skip(i)) continue;
    if (!inSupport(v)) {
      throw new DataError(`y must be ${supportText} for the ${family} family; row ${i + 1} has y = ${v}`, {
        column: "y",
        row: i + 1,
      });
    }
  }
}

/** Throws an ArgumentError unless `x` is a finite positive number; `what` names the argument. */
export function requirePositive(x: unknown, what: string): number {
  if (typeof x !== "number" || !Number.isFinite(x) || !(x > 0)) {
    throw new ArgumentError(`${what} must be a finite number > 0; got ${String(x)}`);
  }
  return x;
}

/** Everything a family supplies besides its link. */
export interface FamilySpec {
  name: string;
  canonicalLink: string | null;
  dispersion: DispersionKind;
  quasi: boolean;
  variance(mu: number): number;
  varianceDeriv(mu: number): number;
  devResid(y: number, mu: number, wt: number): number;
  aic(y: Float64Array, n: Float64Array, mu: Float64Array, wt: Float64Array, dev: number): number;
  logLikObs(y: number, mu: number, wt: number, dispersion: number): number;
  validMu(mu: number): boolean;
  startMu(y: Float64Array, wt: Float64Array): Float64Array;
  checkY(y: Float64Array, wt: Float64Array): void;
  /** R's boundary warning on the fitted values; default: none. */
  fittedWarning?(mu: Float64Array): string | null;
  /** brglm2's nudged starting response; default: unchanged. */
  nudgeResponse?(y: Float64Array, wt: Float64Array, a: number): { y: Float64Array; weights: Float64Array };
}

/** The first μ within 10ε of a bound makes R's glm.fit warn with `message`. */
export function boundaryWarning(
  message: string,
  nearBound: (mu: number, eps: number) => boolean,
): (mu: Float64Array) => string | null {
  return (mu) => {
    const eps = 10 * Number.EPSILON;
    for (let i = 0; i < mu.length; i++) if (nearBound(mu[i]!, eps)) return message;
    return null;
  };
}

/** Joins a family spec and its link into a frozen Family record. */
export function buildFamily(spec: FamilySpec, link: Link): Family {
  return Object.freeze({
    name: spec.name,
    link,
    canonicalLink: spec.canonicalLink,
    dispersion: spec.dispersion,
    quasi: spec.quasi,
    variance: spec.variance,
    varianceDeriv: spec.varianceDeriv,
    devResid: spec.devResid,
    aic: spec.aic,
    logLikObs: spec.logLikObs,
    validMu: spec.validMu,
    startMu: spec.startMu,
    checkY: spec.checkY,
    fittedWarning: spec.fittedWarning ?? (() => null),
    nudgeResponse: spec.nudgeResponse ?? ((y: Float64Array, weights: Float64Array) => ({ y, weights })),
  });
}

/** Maps y to a new array by `f(y, wt)` (starting values: never mutates its inputs). */
export function mapStart(
  y: Float64Array,
  wt: Float64Array,
  f: (y: number, wt: number) => number,
): Float64Array {
  checkLengths(y, wt);
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = f(y[i]!, wt[i]!);
  return out;
}

/** NaN, the aic and log-likelihood of families without a likelihood (quasi, Tweedie). */
export const noLikelihood = {
  aic: (_y: Float64Array, _n: Float64Array, _mu: Float64Array, _wt: Float64Array, _dev: number) => NaN,
  logLikObs: (_y: number, _mu: number, _wt: number, _dispersion: number) => NaN,
};

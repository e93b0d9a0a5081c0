/**
 * Pieces every family uses: resolving and vetting the link a caller asks for, the
 * row-naming support check of y, the y·log(y/μ) convention of R's C code, R's
 * `initialize` for a numeric response, the aux-free parts of an observation model
 * and the χ² dispersion model. Families are built by `buildFamily` from a spec of
 * plain functions, so the link boilerplate and the defaults live here once (R copies
 * them into every family). See docs/adding-a-family.md.
 */
import { ArgumentError, DataError, FamilyError } from "../errors.js";
import { isLinkName, isPowerLinkSpec, makeLink, withMuEta3 } from "../links.js";
import type {
  AicRows, AuxParameter, DispersionKind, DispersionModel, Family, FamilyLikelihood, FamilyParameters,
  InfiniteEstimateCheck, Link, ObservationModel, PreparedResponse, Response,
} from "../types.js";
import type { FamilyRowKernels } from "../linalg/kernels/rows.js";

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
    resolved = withMuEta3(link);
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

/** Everything a family supplies besides its link; the optional members have the defaults of `buildFamily`. */
export interface FamilySpec {
  name: string;
  canonicalLink: string | null;
  dispersion: DispersionKind;
  quasi: boolean;
  /** θ, the Tweedie power; default {}. */
  parameters?: FamilyParameters;
  /** The likelihood is a probability mass function; default false. */
  discrete?: boolean;
  /** rstanarm autoscales by sd(y) (gaussian only); default false. */
  autoscaleBySdY?: boolean;
  /** y is a proportion of the prior weights' trials (binomial families); default false. */
  proportionResponse?: boolean;
  /** Default null (no auxiliary parameter). */
  aux?: AuxParameter | null;
  /** Default null (no likelihood: quasi families, Tweedie). */
  likelihood?: FamilyLikelihood | null;
  /** Default null (φ fixed, or no bias reduction of φ). */
  dispersionModel?: DispersionModel | null;
  /** Default null (no infinite-MLE check). */
  infiniteEstimateCheck?: InfiniteEstimateCheck | null;
  /** R's initialize; default `numericResponse(name, checkY)` (a numeric response checked by checkY). */
  prepareResponse?: Family["prepareResponse"];
  /** R's simulate for one observation; default null (no generative model). */
  simulate?: Family["simulate"];
  /** Default: any prior weights can be simulated at. */
  checkSimulationWeights?(w: Float64Array): void;
  variance(mu: number): number;
  varianceDeriv(mu: number): number;
  devResid(y: number, mu: number, wt: number): number;
  /** Default: from aicRows ({@link aicOfRows}); one of the two is required. */
  aic?(y: Float64Array, n: Float64Array, mu: Float64Array, wt: Float64Array, dev: number): number;
  /** R's aic as sums over rows (row blocks on the IRLS workers); default none. */
  aicRows?: AicRows;
  /** R's warnings from aic, and why it is not finite; default none. */
  aicWarnings?(y: Float64Array, wt: Float64Array): string[];
  logLikObs(y: number, mu: number, wt: number, dispersion: number): number;
  validMu(mu: number): boolean;
  startMu(y: Float64Array, wt: Float64Array): Float64Array;
  checkY(y: Float64Array, wt: Float64Array): void;
  /** R's boundary warning on the fitted values; default: none. */
  fittedWarning?(mu: Float64Array): string | null;
  /** The monomorphic IRLS row loops for this link (row-kernels.ts), or null; default: none. */
  rowKernels?(link: Link): FamilyRowKernels | null;
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

/** Joins a family spec and its link into a frozen Family record, filling in the defaults of the optional members. */
export function buildFamily(spec: FamilySpec, link: Link): Family {
  return Object.freeze({
    name: spec.name,
    link,
    canonicalLink: spec.canonicalLink,
    canonical: spec.canonicalLink !== null && link.name === spec.canonicalLink,
    parameters: Object.freeze({ ...spec.parameters }),
    discrete: spec.discrete ?? false,
    autoscaleBySdY: spec.autoscaleBySdY ?? false,
    proportionResponse: spec.proportionResponse ?? false,
    aux: spec.aux ?? null,
    likelihood: spec.likelihood ?? null,
    dispersionModel: spec.dispersionModel ?? null,
    infiniteEstimateCheck: spec.infiniteEstimateCheck ?? null,
    prepareResponse: spec.prepareResponse ?? numericResponse(spec.name, spec.checkY),
    simulate: spec.simulate ?? null,
    checkSimulationWeights: spec.checkSimulationWeights ?? (() => {}),
    dispersion: spec.dispersion,
    quasi: spec.quasi,
    variance: spec.variance,
    varianceDeriv: spec.varianceDeriv,
    devResid: spec.devResid,
    aic: spec.aic ?? aicOfRows(spec.aicRows!),
    aicRows: spec.aicRows ?? null,
    aicWarnings: spec.aicWarnings ?? (() => []),
    logLikObs: spec.logLikObs,
    validMu: spec.validMu,
    startMu: spec.startMu,
    checkY: spec.checkY,
    fittedWarning: spec.fittedWarning ?? (() => null),
    nudgeResponse: spec.nudgeResponse ?? ((y: Float64Array, weights: Float64Array) => ({ y, weights })),
    rows: spec.rowKernels?.(link) ?? null,
  });
}

/** The aic of {@link AicRows} over all rows as one block: context, add over [0, n), finish. */
export function aicOfRows(r: AicRows): Family["aic"] {
  return (y, n, mu, wt, dev) => {
    const c = r.context?.(y, n, wt, dev) ?? 0;
    const s = new Float64Array(r.sums);
    r.add(y, n, mu, wt, c, 0, y.length, s);
    return r.finish(s, dev, y.length, c);
  };
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

/* ---------------- R's initialize: response preparation ---------------- */

/** The allocator of `prepareResponse` by default. */
const newFloat64 = (n: number): Float64Array => new Float64Array(n);

/** Row i of the rows used, as a 1-based row of the data as given. */
export function dataRow(i: number, rowsUsed?: Int32Array): number {
  return rowsUsed ? rowsUsed[i]! + 1 : i + 1;
}

/** The prior weights: the case weights, or ones, in a vector from `alloc`. */
export function priorWeights(n: number, caseWeights: Float64Array | null, alloc: (n: number) => Float64Array = newFloat64): Float64Array {
  const weights = alloc(n);
  if (caseWeights) weights.set(caseWeights);
  else weights.fill(1);
  return weights;
}

/** Throws a DataError naming the row unless every value of the response is finite. */
export function checkFiniteResponse(name: string, y: Float64Array, rowsUsed?: Int32Array): void {
  for (let i = 0; i < y.length; i++)
    if (!Number.isFinite(y[i]!))
      throw new DataError(`response "${name}" must be finite; row ${dataRow(i, rowsUsed)} has ${y[i]}`, {
        column: name,
        row: dataRow(i, rowsUsed),
      });
}

/** responseRowFlags: every y of the block finite and accepted by checkY. */
export const ROWS_OK = 1;
/** responseRowFlags: a row of weight 0 has y ≠ 0 (the binomial zeroes it). */
export const ROWS_ZERO_WEIGHT_Y = 2;
/** responseRowFlags: some w·y is more than 1e-3 from an integer (the binomial warns). */
export const ROWS_NON_INTEGER = 4;

/**
 * The row-local checks of a numeric response's prepareResponse over rows [start, end) of
 * y and the prior weights w, as flags: {@link ROWS_OK} when every y is finite and checkY
 * accepts the block (checkY is row-local: checkSupport), {@link ROWS_ZERO_WEIGHT_Y},
 * {@link ROWS_NON_INTEGER}. Blocks combine by AND of ROWS_OK and OR of the others, so
 * any split of the rows gives the flags of the whole; a failing block is re-checked
 * serially, which throws the serial error (the first bad row of all).
 */
export function responseRowFlags(checkY: Family["checkY"], y: Float64Array, w: Float64Array, start: number, end: number): number {
  let flags = 0;
  for (let i = start; i < end; i++) {
    const v = y[i]!, wi = w[i]!;
    if (!Number.isFinite(v)) return 0;
    if (wi === 0 && v !== 0) flags |= ROWS_ZERO_WEIGHT_Y;
    const m = wi * v;
    if (Math.abs(m - Math.round(m)) > 1e-3) flags |= ROWS_NON_INTEGER;
  }
  try {
    checkY(y.subarray(start, end), w.subarray(start, end));
  } catch {
    return 0;
  }
  return flags | ROWS_OK;
}

/** `checkY`, with the row it names mapped back to the row of the data as given. */
export function checkYRows(checkY: FamilySpec["checkY"], y: Float64Array, w: Float64Array, rowsUsed?: Int32Array): void {
  try {
    checkY(y, w);
  } catch (err) {
    if (err instanceof DataError && err.row !== undefined && rowsUsed) {
      const row = rowsUsed[err.row - 1]! + 1;
      throw new DataError(err.message.replace(`row ${err.row}`, `row ${row}`), { column: err.column, row });
    }
    throw err;
  }
}

/**
 * R's `initialize` of the families that take a numeric response only (all but the
 * binomial ones): the response as it is (never copied or mutated), the case weights
 * (or ones) as prior weights, y checked to be finite and by `checkY`.
 */
export function numericResponse(family: string, checkY: FamilySpec["checkY"]): Family["prepareResponse"] {
  return (response: Response, caseWeights, rowsUsed, alloc, checked): PreparedResponse => {
    if (response.kind === "cbind")
      throw new DataError(`cbind(successes, failures) responses need the binomial or quasibinomial family, not ${family}`, {
        column: response.name,
      });
    if (response.kind === "factor")
      throw new DataError(
        `response "${response.name}" is a factor (levels ${response.levels.join(", ")}); only binomial families take a factor response`,
        { column: response.name },
      );
    const y = response.values;
    if (checked) return { y, weights: checked.weights, trials: null, mustart: null, warnings: [] }; // checked on the workers
    const weights = priorWeights(y.length, caseWeights, alloc);
    checkFiniteResponse(response.name, y, rowsUsed);
    checkYRows(checkY, y, weights, rowsUsed);
    return { y, weights, trials: null, mustart: null, warnings: [] };
  };
}

/* ---------------- likelihood and dispersion pieces ---------------- */

/** The auxiliary-parameter members of an observation model without one: φ = 1, all derivatives in u zero. */
export const NO_AUX: Pick<
  ObservationModel,
  "setAux" | "dU" | "dUU" | "dMuU" | "expectedAuxInfo" | "logOmegaU" | "logOmegaUU" | "logOmegaMuU" | "auxInfoHalfLog" | "startAux"
> = Object.freeze({
  setAux: (_u: number) => 1,
  dU: () => 0,
  dUU: () => 0,
  dMuU: () => 0,
  expectedAuxInfo: () => 0,
  logOmegaU: () => 0,
  logOmegaUU: () => 0,
  logOmegaMuU: () => 0,
  auxInfoHalfLog: () => false,
  startAux: () => 0,
});

/** log 2π. */
export const LN_2PI = 1.8378770664093453;

/** Number of rows with positive weight and Σ w over them. */
export function positiveWeights(w: Float64Array): { count: number; sum: number } {
  let count = 0;
  let sum = 0;
  for (let i = 0; i < w.length; i++) if (w[i]! > 0) { count++; sum += w[i]!; }
  return { count, sum };
}

/**
 * The dispersion model of the normal and inverse Gaussian families, which share the
 * cumulant derivatives (d(y, μ)/φ is χ²₁ in both): w a′ = φ, a″ = 1/k², a‴ = 2/k³,
 * k = w/φ (Kosmidis & Firth 2009, Biometrika 96, 793–804; brglm2 0.9 R/brglmFit.R,
 * enrichwith 0.3 R/family.R). `logDensity` is the exact density with precision k.
 */
export function chiSquareDispersion(name: string, logDensity: DispersionModel["logDensity"]): DispersionModel {
  return Object.freeze({
    name,
    expectedDeviance: (_w: number, phi: number) => phi,
    a2: (k: number) => 1 / (k * k),
    a3: (k: number) => 2 / (k * k * k),
    logDensity,
  });
}

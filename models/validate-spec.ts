/**
 * Argument checks of the public API (the root entry, models/index.ts): every
 * argument a user passes is checked here, before any numerics, and a wrong one
 * is a typed error naming it (and, for an unknown key, the nearest valid one).
 * The numerical core keeps its own checks; these only make the API's errors
 * typed and specific instead of a TypeError from deep inside.
 */
import { ArgumentError, DataError, FamilyError, PriorError } from "../src/errors.js";
import type { GlmProblem } from "../src/fit/ml-fit.js";

/** Keys of a GlmSpec (extend it when GlmSpec grows a field). */
export const SPEC_KEYS = ["formula", "data", "design", "family", "link", "weights", "offset", "theta", "power", "priors", "columns", "contrasts"] as const;

/** The keys of a design input (models/spec.ts DesignInput). */
const DESIGN_KEYS = ["X", "y", "n", "p", "columnNames", "hasIntercept"] as const;
/** Keys of PriorsSpec. */
export const PRIORS_KEYS = ["coefficients", "intercept", "aux", "autoscale", "interceptOn"] as const;
/** Keys of FitControl (glm(...).fit). */
export const FIT_CONTROL_KEYS = ["method", "separation", "epsilon", "maxit", "start", "etastart", "mustart", "separationWording"] as const;
/** Keys of the Firth control (glm(...).firth). */
export const FIRTH_CONTROL_KEYS = ["maxit", "epsilon"] as const;
/** Keys of MapControl (glm(...).map / laplace). */
export const MAP_CONTROL_KEYS = ["maxit", "tol", "start", "jacobian"] as const;
/** Keys of PosteriorSampleOptions (glm(...).sample). */
export const SAMPLE_KEYS = [
  "chains", "warmup", "draws", "seed", "adaptDelta", "maxTreeDepth", "metric", "init", "initRadius",
  "parallel", "thin", "saveWarmup", "onProgress", "fixedAux", "allowImproper", "reparameterize",
  "adaptation",
] as const;
export const SEPARATION_CHECKS = ["auto", "always", "never"] as const;

/** Most chains a run may ask for. */
export const MAX_CHAINS = 1024;
/** Most warmup or sampling iterations per chain. */
export const MAX_ITERATIONS = 100_000_000;
/** Most iterations of an iterative fit (maxit). */
export const MAX_MAXIT = 1_000_000;
/** Largest seed the samplers accept (samplers/rng.ts: integers in [0, 2^53 − 1]). */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;
/** Memory the stored draws may take: 2 GiB. */
export const MAX_DRAWS_BYTES = 2 ** 31;
/** Columns of Stan's sampler diagnostics stored per draw (accept_stat, stepsize, treedepth, n_leapfrog, divergent, energy) plus lp__. */
export const SAMPLER_COLUMNS = 7;

/** Levenshtein distance (for "did you mean"). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = t;
    }
  }
  return d[b.length]!;
}

/** The valid name nearest to `name`. */
export function nearest(name: string, valid: readonly string[]): string {
  const lower = name.toLowerCase();
  const prefixed = valid.find((v) => v.toLowerCase().startsWith(lower) || lower.startsWith(v.toLowerCase()));
  if (prefixed !== undefined && lower.length >= 2) return prefixed;
  let best = valid[0]!;
  for (const v of valid) if (editDistance(name, v) < editDistance(name, best)) best = v;
  return best;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}

/** Throws unless `v` is a plain object whose keys are all in `valid`; `what` names it ("glm() spec"). */
export function checkKeys(v: unknown, valid: readonly string[], what: string): void {
  if (v === undefined) return;
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ArgumentError(`${what} must be an object, got ${describe(v)}`);
  for (const key of Object.keys(v))
    if (!valid.includes(key))
      throw new ArgumentError(`unknown key "${key}" in ${what} (did you mean "${nearest(key, valid)}"?); valid keys: ${valid.join(", ")}`);
}

/** Throws unless `v` is undefined or an integer in [min, max]. */
export function checkInteger(name: string, v: unknown, min: number, max: number): void {
  if (v === undefined) return;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
    throw new ArgumentError(`${name} must be an integer in [${min}, ${max}], got ${describe(v)}`);
}

/** Throws unless `v` is undefined or a finite number > 0 (R: "value of 'epsilon' must be > 0"). */
export function checkPositive(name: string, v: unknown): void {
  if (v === undefined) return;
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new ArgumentError(`${name} must be a finite number > 0, got ${describe(v)}`);
}

/** Throws unless `v` is undefined or a number strictly inside (0, 1). */
export function checkUnitOpen(name: string, v: unknown): void {
  if (v === undefined) return;
  if (typeof v !== "number" || !(v > 0 && v < 1)) throw new ArgumentError(`${name} must be a number in (0, 1), got ${describe(v)}`);
}

/** Throws unless `v` is undefined or one of `valid`. */
export function checkChoice(name: string, v: unknown, valid: readonly (string | null)[]): void {
  if (v === undefined || valid.includes(v as string)) return;
  throw new ArgumentError(`${name} must be one of ${valid.map((x) => (x === null ? "null" : `"${x}"`)).join(", ")}; got ${describe(v)}`);
}

function checkArrayLike(name: string, v: unknown): void {
  if (v === undefined || typeof v === "string") return;
  if (typeof v !== "object" || v === null || typeof (v as { length?: unknown }).length !== "number")
    throw new ArgumentError(`${name} must be a column name or an array of numbers, got ${describe(v)}`);
}

/** The family argument: a name or a Family record with its functions. */
function checkFamilyArg(family: unknown): void {
  if (family === undefined || typeof family === "string") return;
  if (typeof family !== "object" || family === null)
    throw new FamilyError(`family must be a family name (e.g. "binomial") or a Family record (makeFamily, binomial(), …), got ${describe(family)}`);
  const f = family as Record<string, unknown>;
  const missing = ["variance", "devResid", "startMu", "checkY", "validMu", "logLikObs"].filter((k) => typeof f[k] !== "function");
  if (typeof f.name !== "string") missing.unshift("name");
  const link = f.link as Record<string, unknown> | undefined;
  if (typeof link !== "object" || link === null || typeof link.linkinv !== "function") missing.push("link");
  if (missing.length > 0)
    throw new FamilyError(`family is not a Family record (make one with makeFamily or binomial(), poisson(), …): missing ${missing.join(", ")}`);
}

/** Checks the spec of glm() before it is resolved. */
export function checkSpec(spec: unknown): void {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec))
    throw new ArgumentError(`glm() takes a spec object ({ formula, data, family, … }), got ${describe(spec)}`);
  checkKeys(spec, SPEC_KEYS, "the glm() spec");
  const s = spec as Record<string, unknown>;
  if (s.formula !== undefined && typeof s.formula !== "string") throw new ArgumentError(`formula must be a string such as "y ~ x", got ${describe(s.formula)}`);
  if (s.data !== undefined && (typeof s.data !== "object" || s.data === null))
    throw new ArgumentError(`data must be an array of row objects, an object of columns or a DataTable, got ${describe(s.data)}`);
  if (s.design !== undefined && (typeof s.design !== "object" || s.design === null)) throw new ArgumentError(`design must be an object { X, y }, got ${describe(s.design)}`);
  if (s.design !== undefined) {
    // weights and offset belong to the spec (they apply to formula and design fits alike): never read from design, so never silently dropped.
    for (const key of ["weights", "offset"])
      if (key in (s.design as object)) throw new ArgumentError(`design.${key} is not read: give ${key} at the top level of the glm() spec ({ design, ${key}, … })`);
    checkKeys(s.design, DESIGN_KEYS, "design");
  }
  checkFamilyArg(s.family);
  if (s.link !== undefined && typeof s.link !== "string" && (typeof s.link !== "object" || s.link === null))
    throw new FamilyError(`link must be a link name (e.g. "logit") or a Link record, got ${describe(s.link)}`);
  checkArrayLike("weights", s.weights);
  checkArrayLike("offset", s.offset);
  if (s.theta !== undefined) checkPositive("theta (the negative binomial θ)", s.theta);
  if (s.power !== undefined && (typeof s.power !== "number" || !Number.isFinite(s.power)))
    throw new ArgumentError(`power (the Tweedie variance power) must be 0 or a number >= 1, got ${describe(s.power)}`);
  checkPriorsSpec(s.priors);
}

const POSITIVE_PARAMS = ["scale", "df", "rate", "shape"] as const;

/** A prior given as a record: made by normal(), … (it has a kind and describe()), with valid parameters. */
function checkPriorRecord(p: unknown, where: string): void {
  if (typeof p === "string") return;
  if (typeof p !== "object" || p === null || typeof (p as { kind?: unknown }).kind !== "string")
    throw new PriorError(`${where} must be a prior spec string such as "normal(0, 2.5)" or a prior made by normal(), student_t(), …, got ${describe(p)}`);
  const r = p as { kind: string; params?: Record<string, unknown>; describe?: unknown };
  if (r.kind === "jeffreys") return;
  const loose = Object.keys(r).find((k) => k === "location" || (POSITIVE_PARAMS as readonly string[]).includes(k));
  if (loose !== undefined)
    throw new PriorError(`${where}: a top-level "${loose}" on a prior record is ignored; make the prior with its parameters, e.g. normal(0, 2.5)`);
  if (typeof r.describe !== "function" || typeof r.params !== "object" || r.params === null)
    throw new PriorError(`${where} (kind "${r.kind}") is not a prior record: make it with normal(), student_t(), cauchy(), … or parsePrior()`);
  for (const [k, v] of Object.entries(r.params)) {
    const positive = (POSITIVE_PARAMS as readonly string[]).includes(k);
    if (typeof v !== "number" || !Number.isFinite(v) || (positive && v <= 0))
      throw new PriorError(`${where}: ${k} must be ${positive ? "positive and finite" : "finite"}, got ${describe(v)}`);
  }
}

/** Checks the priors of a spec: strings or prior records, one for all coefficients or one per name. */
export function checkPriorsSpec(priors: unknown): void {
  if (priors === undefined) return;
  if (typeof priors !== "object" || priors === null || Array.isArray(priors)) throw new PriorError(`priors must be an object { coefficients, intercept, aux, autoscale, interceptOn }, got ${describe(priors)}`);
  checkKeys(priors, PRIORS_KEYS, "priors");
  const p = priors as Record<string, unknown>;
  const c = p.coefficients;
  if (c !== undefined) {
    if (typeof c === "object" && c !== null && !Array.isArray(c) && typeof (c as { kind?: unknown }).kind !== "string")
      for (const [name, v] of Object.entries(c)) checkPriorRecord(v, `priors.coefficients["${name}"]`);
    else checkPriorRecord(c, "priors.coefficients");
  }
  if (p.intercept !== undefined) checkPriorRecord(p.intercept, "priors.intercept");
  if (p.aux !== undefined) checkPriorRecord(p.aux, "priors.aux");
  if (p.autoscale !== undefined && typeof p.autoscale !== "boolean") throw new PriorError(`priors.autoscale must be true or false, got ${describe(p.autoscale)}`);
  if (p.interceptOn !== undefined && p.interceptOn !== "raw" && p.interceptOn !== "centered")
    throw new PriorError(`priors.interceptOn must be "raw" or "centered", got ${describe(p.interceptOn)}`);
}

/** The controls of an iterative fit: maxit an integer ≥ 1, epsilon/tol > 0 (R's glm.control). */
export function checkFitControl(control: unknown, valid: readonly string[], what: string): void {
  checkKeys(control, valid, what);
  const c = (control ?? {}) as Record<string, unknown>;
  checkInteger("maxit (the maximum number of iterations)", c.maxit, 1, MAX_MAXIT);
  checkPositive("epsilon (the convergence tolerance)", c.epsilon);
  checkPositive("tol (the convergence tolerance)", c.tol);
  checkChoice("method", c.method, ["mle"]);
  checkChoice("separation", c.separation, SEPARATION_CHECKS);
  if (c.jacobian !== undefined && typeof c.jacobian !== "boolean") throw new ArgumentError(`jacobian must be true or false, got ${describe(c.jacobian)}`);
}

/** Names of the sampler's counts, as the caller spells them (flags in the CLI). */
export interface CountNames {
  chains: string;
  warmup: string;
  draws: string;
}
const API_NAMES: CountNames = { chains: "chains", warmup: "warmup", draws: "draws" };

/**
 * Bytes the draws of a run keep: per chain and stored iteration, the constrained and
 * unconstrained positions (2·dim) and the sampler's columns, 8 bytes each.
 */
export function drawsBytes(chains: number, warmup: number, draws: number, dim: number, saveWarmup: boolean): number {
  return chains * (draws + (saveWarmup ? warmup : 0)) * (2 * dim + SAMPLER_COLUMNS) * 8;
}

function formatBytes(b: number): string {
  return b >= 2 ** 30 ? `${(b / 2 ** 30).toPrecision(3)} GiB` : `${(b / 2 ** 20).toPrecision(3)} MiB`;
}

/** Throws before allocating when the draws would take more than MAX_DRAWS_BYTES. */
export function checkDrawsMemory(chains: number, warmup: number, draws: number, dim: number, saveWarmup: boolean, names: CountNames = API_NAMES): void {
  const bytes = drawsBytes(chains, warmup, draws, dim, saveWarmup);
  if (bytes > MAX_DRAWS_BYTES)
    throw new ArgumentError(
      `${names.chains} ${chains} × ${names.draws} ${draws}${saveWarmup ? ` (+ ${names.warmup} ${warmup})` : ""} draws of ${dim} parameters would need ` +
        `${Math.round(bytes)} bytes (${formatBytes(bytes)}); the limit is ${MAX_DRAWS_BYTES} bytes (2 GiB): lower ${names.chains} or ${names.draws}`,
    );
}

/** The options of glm(...).sample: counts in range, seed, adaptation, and the memory of the draws for `dim` parameters. */
export function checkSampleOptions(options: unknown, dim: number, names: CountNames = API_NAMES): void {
  if (typeof options !== "object" || options === null) throw new ArgumentError(`sample() takes an options object with a seed, got ${describe(options)}`);
  checkKeys(options, SAMPLE_KEYS, "the sample() options");
  const o = options as Record<string, unknown>;
  if (o.seed === undefined) throw new ArgumentError("seed is required (an integer) so that runs are reproducible");
  checkInteger("seed", o.seed, 0, MAX_SEED);
  checkInteger(names.chains, o.chains, 1, MAX_CHAINS);
  checkInteger(names.warmup, o.warmup, 0, MAX_ITERATIONS);
  checkInteger(names.draws, o.draws, 1, MAX_ITERATIONS);
  checkInteger("thin", o.thin, 1, MAX_ITERATIONS);
  checkUnitOpen("adaptDelta", o.adaptDelta);
  checkInteger("maxTreeDepth", o.maxTreeDepth, 1, 30);
  checkChoice("metric", o.metric, ["diag", "dense"]);
  checkChoice("adaptation", o.adaptation, ["stan", "nutpie"]);
  if (o.fixedAux !== undefined) checkPositive("fixedAux", o.fixedAux);
  if (o.allowImproper !== undefined && typeof o.allowImproper !== "boolean") throw new ArgumentError(`allowImproper must be true or false, got ${describe(o.allowImproper)}`);
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") throw new ArgumentError(`onProgress must be a function, got ${describe(o.onProgress)}`);
  checkDrawsMemory((o.chains as number) ?? 4, (o.warmup as number) ?? 1000, (o.draws as number) ?? 1000, dim, o.saveWarmup === true, names);
}

/**
 * The negative binomial θ has no maximum-likelihood estimate when every count is 0
 * (the fitted means go to 0 and the profile likelihood is flat in θ): say so instead of a NaN θ.
 */
export function checkThetaEstimable(problem: Pick<GlmProblem, "y" | "weights" | "n">): void {
  for (let i = 0; i < problem.n; i++) if (problem.y[i]! !== 0 && problem.weights[i]! > 0) return;
  throw new DataError("θ of the negative binomial cannot be estimated when all counts are 0 (θ has no maximum-likelihood estimate); give theta, or use the poisson family");
}

export const RESIDUAL_TYPES = ["deviance", "pearson", "working", "response"] as const;
const PREDICT_KEYS = ["type", "seFit"] as const;

/** The options of predict(newdata, opts): type link or response, seFit a boolean. */
export function checkPredictOptions(opts: unknown): void {
  checkKeys(opts, PREDICT_KEYS, "the predict() options");
  const o = (opts ?? {}) as Record<string, unknown>;
  checkChoice("predict type", o.type, ["link", "response"]);
  if (o.seFit !== undefined && typeof o.seFit !== "boolean") throw new ArgumentError(`seFit must be true or false, got ${describe(o.seFit)}`);
}

function cellOf(newdata: object, variable: string, i: number): unknown {
  if (Array.isArray(newdata)) return (newdata[i] as Record<string, unknown> | undefined)?.[variable];
  const col = (newdata as Record<string, unknown>)[variable];
  return col !== null && typeof col === "object" ? (col as ArrayLike<unknown>)[i] : undefined;
}

/**
 * The data columns a term's variable reads: "x" → x, "log(t)" → t, "poly(x, 2)" → x,
 * "ns(x, df = 3)" → x (function names, named arguments and numbers are not columns).
 */
export function variableColumns(expr: string): string[] {
  const bare = expr.match(/^`(.*)`$/);
  if (bare) return [bare[1]!];
  const out: string[] = [];
  for (const m of expr.matchAll(/[A-Za-z._][\w.]*/g)) {
    const rest = expr.slice(m.index! + m[0].length);
    if (/^\s*\(/.test(rest) || /^\s*=(?!=)/.test(rest) || /^\.?\d/.test(m[0])) continue;
    if (["TRUE", "FALSE", "T", "F", "pi", "Inf", "NA", "NULL"].includes(m[0])) continue;
    out.push(m[0]);
  }
  return out;
}

/**
 * New data for predict: rows (or columns) with every variable of the model's terms,
 * no missing cell (R's predict would give NA there; we name the row instead).
 * DataTables are checked by the model matrix itself.
 */
export function checkNewdata(newdata: unknown, variables: readonly string[]): void {
  if (newdata === undefined) return;
  if (typeof newdata !== "object" || newdata === null) throw new ArgumentError(`newdata must be an array of rows or an object of columns, got ${describe(newdata)}`);
  if (typeof (newdata as { column?: unknown }).column === "function") return;
  const isRows = Array.isArray(newdata);
  const names = isRows ? [...new Set((newdata as object[]).flatMap((r) => (r && typeof r === "object" ? Object.keys(r) : [])))] : Object.keys(newdata);
  const n = isRows ? (newdata as unknown[]).length : Math.max(0, ...names.map((k) => ((newdata as Record<string, { length?: number }>)[k]?.length ?? 0)));
  if (n === 0) throw new DataError(`newdata has no rows; predict needs the columns ${variables.join(", ") || "(none: the model has only an intercept)"}`);
  for (const v of variables) {
    if (!names.includes(v) && !isRows) continue;
    if (!names.includes(v)) throw new DataError(`newdata has no column "${v}" (the model needs ${variables.join(", ")}; newdata has ${names.join(", ") || "no columns"})`, { column: v });
    for (let i = 0; i < n; i++) {
      const cell = cellOf(newdata, v, i);
      if (cell === null || cell === undefined || (typeof cell === "number" && Number.isNaN(cell)) || cell === "")
        throw new DataError(`newdata column "${v}" is missing in row ${i + 1}; predict needs a value there`, { column: v, row: i + 1 });
    }
  }
}

/** Throws an ArgumentError unless `v` is an object with the property `key` (e.g. a GlmModel's "fit"). */
export function checkHas(v: unknown, key: string, what: string): void {
  if (typeof v !== "object" || v === null || !(key in v)) throw new ArgumentError(`${what}, got ${describe(v)}`);
}

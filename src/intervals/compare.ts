/**
 * Side-by-side comparison of interval methods: one row per coefficient and
 * method with lower, upper, width and flags (infinite, asymmetric), a text
 * rendering in the style of R's printouts, and JSON.
 *
 * Sources are whatever fits exist: an ML fit (wald, profile), a MAP fit (laplace,
 * map-wald), a Firth fit (firth-wald, firth-profile) and posterior draws
 * (posterior, posterior-hdi). Asking for a method whose fit is missing throws an
 * ArgumentError naming both.
 */
import type { MlFit } from "../fit/ml-fit.js";
import type { MapFit } from "../fit/map.js";
import type { BiasReducedFit } from "../fit/firth.js";
import { ArgumentError } from "../errors.js";
import { checkLevel } from "./level.js";
import { waldIntervals, firthWaldIntervals, mapWaldIntervals, type WaldQuantile } from "./wald.js";
import { profileIntervals } from "./profile.js";
import { penalizedProfileIntervals } from "./penalized-profile.js";
import { laplaceIntervals } from "./laplace.js";
import { posteriorIntervals, type NamedDraws } from "./posterior-intervals.js";
import type { IntervalMethod, IntervalSet } from "./types.js";

/** Every method, in display order. */
export const INTERVAL_METHODS: readonly IntervalMethod[] = [
  "wald", "profile", "firth-wald", "firth-profile", "map-wald", "laplace", "posterior", "posterior-hdi",
];

/** An interval is flagged asymmetric when its midpoint is off the estimate by more than this share of its width. */
export const ASYMMETRY_SHARE = 0.05;

/**
 * Posterior draws kept per chain, as a sampled posterior holds them (the API
 * layer's GlmPosterior is one): the intervals pool the chains and pass the
 * sampler's warnings on.
 */
export interface ChainDraws {
  /** Column names of every chain's draws. */
  names: readonly string[];
  /** Per chain: draws × names.length, row-major. */
  draws: readonly Float64Array[];
  /** Diagnostic warnings of the run (R̂, ESS, divergences, …). */
  warnings: readonly string[];
}

/** The fits (and draws) intervals can be computed from; any may be missing. */
export interface IntervalSources {
  ml?: MlFit | null;
  map?: MapFit | null;
  firth?: BiasReducedFit | null;
  /** Draws per chain (a sampled posterior), or pooled draws of named quantities (draws × names, row-major). */
  posterior?: ChainDraws | NamedDraws | null;
}

export interface CompareOptions {
  /** Methods to compute; default every method whose source is present (availableMethods). */
  methods?: readonly IntervalMethod[];
  /** Confidence/credible level, default 0.95. */
  level?: number;
  /** Quantile of the ML Wald interval (see wald.ts), default "auto". */
  waldQuantile?: WaldQuantile;
  /** Progress of the profile methods ("profile", "firth-profile"): (0, total) first, then (k, total) after the k-th coefficient. */
  onProgress?: (method: "profile" | "firth-profile", done: number, total: number) => void;
}

/** One row of the comparison table. */
export interface ComparisonRow {
  name: string;
  method: IntervalMethod;
  estimate: number;
  lower: number;
  upper: number;
  /** upper − lower (Infinity when an end is unbounded). */
  width: number;
  /** An end is ±Infinity. */
  infinite: boolean;
  /** |(lower + upper)/2 − estimate| > ASYMMETRY_SHARE·width, or exactly one end infinite. */
  asymmetric: boolean;
}

export interface IntervalComparison {
  level: number;
  methods: IntervalMethod[];
  /** Grouped by coefficient (in the order first seen), then by method. */
  rows: ComparisonRow[];
  sets: IntervalSet[];
  warnings: string[];
}

function isChainDraws(x: ChainDraws | NamedDraws): x is ChainDraws {
  return Array.isArray((x as ChainDraws).draws);
}

/** All chains stacked, chain 1 first: (Σ draws) × names.length, row-major. */
function pooled(src: ChainDraws): NamedDraws {
  const values = new Float64Array(src.draws.reduce((s, d) => s + d.length, 0));
  let at = 0;
  for (const d of src.draws) {
    values.set(d, at);
    at += d.length;
  }
  return { names: src.names, values };
}

function requireSource<T>(x: T | null | undefined, method: IntervalMethod, what: string): T {
  if (x === null || x === undefined) throw new ArgumentError(`interval method "${method}" needs ${what}, which was not given`);
  return x;
}

/**
 * The methods whose sources are present, in display order ("map-wald" is left out:
 * for coefficients it equals "laplace").
 */
export function availableMethods(sources: IntervalSources): IntervalMethod[] {
  return INTERVAL_METHODS.filter((m) => {
    if (m === "map-wald") return false;
    if (m === "wald" || m === "profile") return !!sources.ml;
    if (m === "firth-wald" || m === "firth-profile") return !!sources.firth;
    if (m === "laplace") return !!sources.map;
    return !!sources.posterior;
  });
}

/**
 * Computes the interval sets of the requested methods from the given sources.
 * @example intervalSets({ ml: fit.ml }, { methods: ["wald", "profile"], level: 0.95 })
 */
export function intervalSets(sources: IntervalSources, options: CompareOptions = {}): IntervalSet[] {
  const level = checkLevel(options.level ?? 0.95);
  const methods = options.methods ?? availableMethods(sources);
  if (!Array.isArray(methods)) throw new ArgumentError("methods must be an array of interval method names");
  const hook = options.onProgress;
  if (hook !== undefined && typeof hook !== "function") throw new ArgumentError("onProgress must be a function (method, done, total) => void");
  const progressOf = (m: "profile" | "firth-profile") => (hook ? (done: number, total: number) => hook(m, done, total) : undefined);
  return methods.map((m) => {
    switch (m) {
      case "wald":
        return waldIntervals(requireSource(sources.ml, m, "a maximum-likelihood fit (ml)"), { level, quantile: options.waldQuantile });
      case "profile":
        return profileIntervals(requireSource(sources.ml, m, "a maximum-likelihood fit (ml)"), { level, onProgress: progressOf(m) });
      case "firth-wald":
        return firthWaldIntervals(requireSource(sources.firth, m, "a bias-reduced fit (firth)"), { level });
      case "firth-profile":
        return penalizedProfileIntervals(requireSource(sources.firth, m, "a bias-reduced fit (firth)"), { level, onProgress: progressOf(m) });
      case "map-wald":
        return mapWaldIntervals(requireSource(sources.map, m, "a MAP fit (map)"), { level });
      case "laplace":
        return laplaceIntervals(requireSource(sources.map, m, "a MAP fit (map)"), { level });
      case "posterior":
      case "posterior-hdi": {
        const src = requireSource(sources.posterior, m, "posterior draws (posterior)");
        const draws = isChainDraws(src) ? pooled(src) : src;
        const set = posteriorIntervals(draws, { level, kind: m === "posterior" ? "equal-tailed" : "hdi" });
        if (isChainDraws(src)) set.warnings.push(...src.warnings);
        return set;
      }
      default:
        throw new ArgumentError(`unknown interval method "${String(m)}"; known: ${INTERVAL_METHODS.join(", ")}`);
    }
  });
}

/** The comparison table of interval sets computed elsewhere (they must share one level). */
export function compareIntervalSets(sets: readonly IntervalSet[]): IntervalComparison {
  if (sets.length === 0) throw new ArgumentError("compareIntervalSets needs at least one interval set");
  const level = sets[0]!.level;
  for (const s of sets)
    if (s.level !== level) throw new ArgumentError(`interval sets have different levels (${level} and ${s.level}): compare at one level`);
  const order: string[] = [];
  for (const s of sets) for (const r of s.rows) if (!order.includes(r.name)) order.push(r.name);
  const rows: ComparisonRow[] = [];
  for (const name of order)
    for (const s of sets) {
      const r = s.rows.find((x) => x.name === name);
      if (!r) continue;
      const infinite = r.lower === -Infinity || r.upper === Infinity;
      const width = r.upper - r.lower;
      const oneSided = (r.lower === -Infinity) !== (r.upper === Infinity);
      const asymmetric = oneSided || (!infinite && Math.abs((r.lower + r.upper) / 2 - r.estimate) > ASYMMETRY_SHARE * width);
      rows.push({ name, method: s.method, estimate: r.estimate, lower: r.lower, upper: r.upper, width, infinite, asymmetric });
    }
  const warnings = sets.flatMap((s) => s.warnings.map((w) => `${s.method}: ${w}`));
  return { level, methods: sets.map((s) => s.method), rows, sets: [...sets], warnings };
}

/**
 * `compareIntervals(sources, { methods, level })`: compute the methods and tabulate them.
 * @example formatComparison(compareIntervals({ ml: fit.ml, firth }, { methods: ["wald", "profile", "firth-profile"] }))
 */
export function compareIntervals(sources: IntervalSources, options: CompareOptions = {}): IntervalComparison {
  return compareIntervalSets(intervalSets(sources, options));
}

/** R-style number: 5 significant digits, "Inf"/"-Inf", "NA" for NaN. */
function fmt(x: number): string {
  if (Number.isNaN(x)) return "NA";
  if (x === Infinity) return "Inf";
  if (x === -Infinity) return "-Inf";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-4) return x.toExponential(4).replace(/\.?0+e/, "e");
  return String(Number(x.toPrecision(5)));
}

/**
 * A text table in the style of R's printouts: the level, then one line per coefficient
 * and method with estimate, lower, upper, width and flags; warnings at the end.
 */
export function formatComparison(cmp: IntervalComparison): string {
  const pct = (p: number) => `${String(Number((100 * p).toPrecision(4)))} %`;
  const a = (1 - cmp.level) / 2;
  const header = ["", "method", "estimate", pct(a), pct(1 - a), "width", "flags"];
  const lines: string[][] = [header];
  let last = "";
  for (const r of cmp.rows) {
    const flags = [r.infinite ? "infinite" : "", r.asymmetric ? "asymmetric" : ""].filter(Boolean).join(",");
    lines.push([r.name === last ? "" : r.name, r.method, fmt(r.estimate), fmt(r.lower), fmt(r.upper), fmt(r.width), flags]);
    last = r.name;
  }
  const widths = header.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)));
  const text = lines.map((l) =>
    l.map((cell, c) => (c === 0 || c === 1 || c === 6 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ").trimEnd(),
  );
  const out = [`Confidence/credible intervals, level ${pct(cmp.level).replace(" ", "")}`, "", ...text];
  if (cmp.warnings.length > 0) out.push("", "Warnings:", ...cmp.warnings.map((w) => `  ${w}`));
  return out.join("\n");
}

/** A bound for JSON text: ±Infinity as the strings "Infinity"/"-Infinity", NaN as null. */
export function jsonBound(x: number): number | string | null {
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  return Number.isNaN(x) ? null : x;
}

/** JSON-safe comparison: bounds and widths through jsonBound. */
export function comparisonJson(cmp: IntervalComparison): {
  level: number;
  methods: IntervalMethod[];
  rows: Array<Omit<ComparisonRow, "estimate" | "lower" | "upper" | "width"> & { estimate: number | string | null; lower: number | string | null; upper: number | string | null; width: number | string | null }>;
  warnings: string[];
} {
  return {
    level: cmp.level,
    methods: cmp.methods,
    rows: cmp.rows.map((r) => ({ ...r, estimate: jsonBound(r.estimate), lower: jsonBound(r.lower), upper: jsonBound(r.upper), width: jsonBound(r.width) })),
    warnings: cmp.warnings,
  };
}

/**
 * The CLI's `intervals` block: { wald: [{ name, lower, upper }], profile: […], … }, one
 * key per set. Unbounded ends stay ±Infinity (numbers); pass `stringify: true` to get
 * "Infinity"/"-Infinity" strings ready for JSON.stringify.
 */
export function intervalsJson(sets: readonly IntervalSet[], options: { stringify?: boolean } = {}): Record<string, Array<{ name: string; lower: number | string | null; upper: number | string | null }>> {
  const out: Record<string, Array<{ name: string; lower: number | string | null; upper: number | string | null }>> = {};
  for (const s of sets)
    out[s.method] = s.rows.map((r) => ({
      name: r.name,
      lower: options.stringify ? jsonBound(r.lower) : r.lower,
      upper: options.stringify ? jsonBound(r.upper) : r.upper,
    }));
  return out;
}

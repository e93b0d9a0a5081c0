/**
 * Pieces shared by the plot spec builders: the spec type (a Vega-Lite v6 JSON
 * specification, data included), the theme, a Gaussian kernel density estimate
 * with R's default bandwidth, and input checks. Every builder is a pure function of
 * its input: the same input gives the same spec, byte for byte.
 */
import { ArgumentError } from "../errors.js";

/** A Vega-Lite specification (plain JSON: no functions, no Infinity, no NaN). */
export type VlSpec = { [key: string]: unknown };

/** Options every builder takes. */
export interface CommonPlotOptions {
  /** Title; each builder has its own default. */
  title?: string;
  /** Width of the plotting area (of one facet panel for faceted plots), px. */
  width?: number;
  /** Height of the plotting area (of one panel), px. */
  height?: number;
}

export const VL_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Okabe–Ito colours (colour-blind safe), in the order methods and chains take them. */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];

/** The top-level frame of a spec: schema, title, white background, fonts. */
export function frame(title: string, subtitle?: string): VlSpec {
  return {
    $schema: VL_SCHEMA,
    title: subtitle ? { text: title, subtitle } : { text: title },
    background: "white",
    padding: 8,
    config: {
      font: "DejaVu Sans, Helvetica, Arial, sans-serif",
      title: { fontSize: 14, subtitleFontSize: 11, anchor: "start" },
      axis: { labelFontSize: 10, titleFontSize: 11 },
      legend: { labelFontSize: 10, titleFontSize: 11 },
      header: { labelFontSize: 11, titleFontSize: 11 },
      view: { stroke: "#ddd" },
    },
  };
}

export function checkPositive(name: string, x: unknown, fallback: number): number {
  if (x === undefined) return fallback;
  if (typeof x !== "number" || !Number.isFinite(x) || x <= 0) throw new ArgumentError(`${name} must be a positive finite number, got ${String(x)}`);
  return x;
}

export function checkTitle(x: unknown, fallback: string): string {
  if (x === undefined) return fallback;
  if (typeof x !== "string") throw new ArgumentError(`title must be a string, got ${typeof x}`);
  return x;
}

/** Rounds to 6 significant digits for the spec's data (keeps SVGs small and stable across platforms). */
export function r6(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x;
}

/** Type-7 sample quantile of sorted values. */
export function quantileSorted(s: ArrayLike<number>, q: number): number {
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/**
 * R's bw.nrd0: 0.9 · min(sd, IQR/1.34) · n^(−1/5), falling back as R does when the spread is 0.
 * @example bwNrd0(Float64Array.of(1, 2, 3, 4)) // 0.9 * min(1.29099, 1.5/1.34) * 4^-0.2 ≈ 0.7635
 */
export function bwNrd0(x: Float64Array): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i]! - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const s = Float64Array.from(x).sort();
  const iqr = quantileSorted(s, 0.75) - quantileSorted(s, 0.25);
  let lo = Math.min(sd, iqr / 1.34);
  if (!(lo > 0)) lo = sd > 0 ? sd : Math.abs(s[0]!) > 0 ? Math.abs(s[0]!) : 1;
  return 0.9 * lo * Math.pow(n, -0.2);
}

/** A density on a grid. */
export interface Density {
  x: Float64Array;
  density: Float64Array;
}

/**
 * Gaussian kernel density of x on `points` equally spaced points over [from, to]
 * (default: the range of x widened by 3 bandwidths, as R's density()), f(t) = Σ φ((t − xᵢ)/h)/(n h).
 */
export function kde(x: Float64Array, options: { points?: number; from?: number; to?: number; bw?: number } = {}): Density {
  const n = x.length;
  if (n === 0) throw new ArgumentError("a density needs at least one value");
  const h = options.bw ?? bwNrd0(x);
  let mn = Infinity;
  let mx = -Infinity;
  for (let i = 0; i < n; i++) {
    if (x[i]! < mn) mn = x[i]!;
    if (x[i]! > mx) mx = x[i]!;
  }
  const from = options.from ?? mn - 3 * h;
  const to = options.to ?? mx + 3 * h;
  const m = options.points ?? 128;
  const gx = new Float64Array(m);
  const gd = new Float64Array(m);
  const c = 1 / (n * h * Math.sqrt(2 * Math.PI));
  for (let j = 0; j < m; j++) {
    const t = m === 1 ? from : from + ((to - from) * j) / (m - 1);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = (t - x[i]!) / h;
      s += Math.exp(-0.5 * z * z);
    }
    gx[j] = t;
    gd[j] = s * c;
  }
  return { x: gx, density: gd };
}

/** Draws per chain, chains × (draws × names) row-major, as a sampled posterior keeps them. */
export interface ChainDrawsInput {
  names: readonly string[];
  draws: readonly Float64Array[];
}

/** Checks chain draws and picks the parameters to show (all by default); returns their column indices. */
export function pickParameters(input: ChainDrawsInput, parameters?: readonly string[]): number[] {
  if (input === null || typeof input !== "object" || !Array.isArray(input.names) || !Array.isArray(input.draws))
    throw new ArgumentError("posterior draws must be { names: string[], draws: Float64Array[] } (one array per chain)");
  const p = input.names.length;
  if (p === 0 || input.draws.length === 0) throw new ArgumentError("posterior draws are empty");
  input.draws.forEach((d, c) => {
    if (!(d instanceof Float64Array) || d.length === 0 || d.length % p !== 0)
      throw new ArgumentError(`chain ${c + 1}: draws must be a non-empty Float64Array of draws × ${p} values`);
    for (let k = 0; k < d.length; k++) if (!Number.isFinite(d[k]!)) throw new ArgumentError(`chain ${c + 1}: draw ${Math.floor(k / p) + 1} of ${input.names[k % p]} is ${d[k]}`);
  });
  if (parameters === undefined) return input.names.map((_, j) => j);
  if (!Array.isArray(parameters) || parameters.length === 0) throw new ArgumentError("parameters must be a non-empty array of parameter names");
  return parameters.map((name) => {
    const j = input.names.indexOf(name);
    if (j < 0) throw new ArgumentError(`unknown parameter "${name}"; the draws have ${input.names.join(", ")}`);
    return j;
  });
}

/** Pooled draws of column j over all chains. */
export function column(input: ChainDrawsInput, j: number): Float64Array {
  const p = input.names.length;
  const total = input.draws.reduce((s, d) => s + d.length / p, 0);
  const out = new Float64Array(total);
  let at = 0;
  for (const d of input.draws) for (let k = j; k < d.length; k += p) out[at++] = d[k]!;
  return out;
}

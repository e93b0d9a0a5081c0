/**
 * Density plots: each parameter's posterior (a Gaussian kernel density of the pooled
 * draws, R's bw.nrd0) against its prior density on the same grid; and the posterior
 * predictive check, the observed data's density over the densities of replicated
 * data sets (bayesplot's ppc_dens_overlay), or for discrete data with few distinct
 * values the observed counts against the replicated counts' median and 90% band
 * (ppc_bars).
 */
import { ArgumentError } from "../errors.js";
import { PALETTE, checkPositive, checkTitle, column, frame, kde, pickParameters, quantileSorted, r6, type ChainDrawsInput, type CommonPlotOptions, type VlSpec } from "./common.js";

/** A prior density for one parameter: a log density function (normalised) and its description. */
export interface PriorCurve {
  describe(): string;
  logDensity(x: number): number;
}

export interface DensityInput extends ChainDrawsInput {
  /** The prior of each parameter by name; a missing, null or improper one draws no curve. */
  priors?: Readonly<Record<string, PriorCurve | null | undefined>>;
}

export interface DensityOptions extends CommonPlotOptions {
  parameters?: readonly string[];
  /** Grid points per density, default 128. */
  points?: number;
  /** Panels per row, default 3. */
  columns?: number;
}

/** A prior's description with long decimals cut to 3 significant digits (autoscaled scales), for panel titles. */
export function shortNumbers(text: string): string {
  return text.replace(/-?\d+\.\d{4,}(e[-+]?\d+)?/g, (m) => String(Number(Number(m).toPrecision(3))));
}

/**
 * Posterior density against the prior, one panel per parameter.
 * @example densitySpec({ names, draws, priors: { age: normal(0, 2.5) } })
 */
export function densitySpec(input: DensityInput, options: DensityOptions = {}): VlSpec {
  const cols = pickParameters(input, options.parameters);
  const points = options.points ?? 128;
  if (!Number.isInteger(points) || points < 8) throw new ArgumentError(`points must be an integer ≥ 8, got ${String(points)}`);
  const values: { parameter: string; source: string; x: number; density: number }[] = [];
  const panels: string[] = [];
  for (const j of cols) {
    const name = input.names[j]!;
    const at = values.length;
    const d = kde(column(input, j), { points });
    for (let k = 0; k < points; k++) values.push({ parameter: name, source: "posterior", x: r6(d.x[k]!), density: r6(d.density[k]!) });
    let panel = name;
    const prior = input.priors?.[name];
    if (prior && typeof prior.logDensity === "function") {
      const f = Array.from(d.x, (x) => Math.exp(prior.logDensity(x)));
      if (f.every((v) => Number.isFinite(v))) {
        panel = `${name} ~ ${shortNumbers(prior.describe())}`;
        f.forEach((v, k) => values.push({ parameter: name, source: "prior", x: r6(d.x[k]!), density: r6(v) }));
      }
    }
    for (let k = at; k < values.length; k++) values[k]!.parameter = panel;
    panels.push(panel);
  }
  const names = panels;
  const subtitle = panels.some((t) => t.includes(" ~ ")) ? "dashed: the prior density (panel titles name the priors)" : "no proper prior to draw";
  return {
    ...frame(checkTitle(options.title, "Posterior density against the prior"), subtitle),
    data: { values },
    facet: { field: "parameter", type: "nominal", sort: names, title: null },
    columns: options.columns ?? 3,
    resolve: { scale: { x: "independent", y: "independent" } },
    spec: {
      width: checkPositive("width", options.width, 180),
      height: checkPositive("height", options.height, 110),
      mark: { type: "line", strokeWidth: 1.5 },
      encoding: {
        x: { field: "x", type: "quantitative", title: "value", scale: { zero: false, nice: false } },
        y: { field: "density", type: "quantitative", title: "density" },
        color: { field: "source", type: "nominal", title: null, scale: { domain: ["posterior", "prior"], range: [PALETTE[0], "#555"] } },
        strokeDash: { field: "source", type: "nominal", title: null, scale: { domain: ["posterior", "prior"], range: [[1, 0], [5, 3]] } },
      },
    },
  };
}

/** Replicated data: draws × n, row-major. */
export interface PpcInput {
  y: ArrayLike<number>;
  yRep: { draws: number; n: number; values: Float64Array };
}

export interface PpcOptions extends CommonPlotOptions {
  /** Replicated data sets drawn (the first ones), default 50. */
  draws?: number;
  /** Discrete data with at most this many distinct values get bars, default 20. */
  maxBars?: number;
}

function checkPpc(input: PpcInput): { y: Float64Array; S: number; n: number; v: Float64Array } {
  if (input === null || typeof input !== "object" || !input.yRep || !(input.yRep.values instanceof Float64Array))
    throw new ArgumentError("ppc input must be { y, yRep: { draws, n, values: Float64Array } }");
  const y = Float64Array.from(input.y ?? []);
  const { draws: S, n, values: v } = input.yRep;
  if (y.length === 0 || y.length !== n) throw new ArgumentError(`ppc: y has ${y.length} values but yRep has n = ${n}`);
  if (!Number.isInteger(S) || S < 1 || v.length !== S * n) throw new ArgumentError(`ppc: yRep.values has length ${v.length}, expected draws × n = ${S} × ${n}`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(y[i]!)) throw new ArgumentError(`ppc: y has ${y[i]} at observation ${i + 1}`);
  for (let k = 0; k < v.length; k++) if (!Number.isFinite(v[k]!)) throw new ArgumentError(`ppc: yRep has ${v[k]} at draw ${Math.floor(k / n) + 1}, observation ${(k % n) + 1}`);
  return { y, S, n, v };
}

/**
 * Posterior predictive check: density overlay, or bars for discrete data.
 * @example ppcSpec({ y, yRep: posteriorPredict(post, { seed: 1 }) })
 */
export function ppcSpec(input: PpcInput, options: PpcOptions = {}): VlSpec {
  const { y, S, n, v } = checkPpc(input);
  const shown = Math.min(S, options.draws ?? 50);
  if (!Number.isInteger(shown) || shown < 1) throw new ArgumentError(`draws must be a positive integer, got ${String(options.draws)}`);
  const maxBars = options.maxBars ?? 20;
  const distinct = new Set<number>();
  let integer = true;
  for (const a of [y, v.subarray(0, shown * n)]) for (let i = 0; i < a.length && integer; i++) {
    if (!Number.isInteger(a[i]!)) integer = false;
    else if (distinct.size <= maxBars) distinct.add(a[i]!);
  }
  const width = checkPositive("width", options.width, 420);
  const height = checkPositive("height", options.height, 220);
  const color = { field: "data", type: "nominal", title: null, scale: { domain: ["y", "y_rep"], range: ["#111", "#8fb8de"] } };
  if (integer && distinct.size <= maxBars) {
    const levels = [...distinct].sort((a, b) => a - b);
    const at = new Map(levels.map((l, k) => [l, k]));
    const obs = new Array<number>(levels.length).fill(0);
    for (let i = 0; i < n; i++) obs[at.get(y[i]!)!]!++;
    const rep = levels.map(() => new Float64Array(shown));
    for (let s = 0; s < shown; s++) for (let i = 0; i < n; i++) rep[at.get(v[s * n + i]!)!]![s]!++;
    const values = levels.map((l, k) => {
      const r = rep[k]!.sort();
      return { value: l, observed: obs[k]!, median: quantileSorted(r, 0.5), lo: quantileSorted(r, 0.05), hi: quantileSorted(r, 0.95) };
    });
    return {
      ...frame(checkTitle(options.title, "Posterior predictive check"), `bars: observed counts; points and lines: median and 90% interval over ${shown} replicated data sets`),
      width, height, data: { values },
      encoding: { x: { field: "value", type: "ordinal", title: "y", axis: { labelAngle: 0 } } },
      layer: [
        { name: "observed", mark: { type: "bar", color: "#bbb" }, encoding: { y: { field: "observed", type: "quantitative", title: "count" } } },
        { name: "replicated_band", mark: { type: "rule", color: PALETTE[0], strokeWidth: 2 }, encoding: { y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } } },
        { name: "replicated", mark: { type: "point", filled: true, color: PALETTE[0], size: 50 }, encoding: { y: { field: "median", type: "quantitative" } } },
      ],
    };
  }
  let mn = Infinity;
  let mx = -Infinity;
  for (const a of [y, v.subarray(0, shown * n)]) for (let i = 0; i < a.length; i++) {
    if (a[i]! < mn) mn = a[i]!;
    if (a[i]! > mx) mx = a[i]!;
  }
  const pad = mx > mn ? 0.05 * (mx - mn) : 1;
  const grid = { from: mn - pad, to: mx + pad, points: 128 };
  const values: { data: string; draw: number; x: number; density: number }[] = [];
  for (let s = 0; s < shown; s++) {
    const d = kde(v.slice(s * n, (s + 1) * n), grid);
    for (let k = 0; k < grid.points; k++) values.push({ data: "y_rep", draw: s + 1, x: r6(d.x[k]!), density: r6(d.density[k]!) });
  }
  const dy = kde(y, grid);
  for (let k = 0; k < grid.points; k++) values.push({ data: "y", draw: 0, x: r6(dy.x[k]!), density: r6(dy.density[k]!) });
  return {
    ...frame(checkTitle(options.title, "Posterior predictive check"), `density of y and of ${shown} replicated data sets y_rep`),
    width, height, data: { values },
    encoding: {
      x: { field: "x", type: "quantitative", title: "y", scale: { zero: false, nice: false } },
      y: { field: "density", type: "quantitative", title: "density" },
      color,
      detail: { field: "draw", type: "nominal" },
    },
    layer: [
      { name: "replicated", transform: [{ filter: "datum.data === 'y_rep'" }], mark: { type: "line", strokeWidth: 0.6, opacity: 0.7 } },
      { name: "observed", transform: [{ filter: "datum.data === 'y'" }], mark: { type: "line", strokeWidth: 2 } },
    ],
  };
}

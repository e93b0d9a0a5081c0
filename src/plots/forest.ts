/**
 * Forest plot of intervals side by side: one row per coefficient, one mark per
 * method (a rule from lower to upper with a dot at the method's estimate), a colour
 * legend of the methods, and unbounded ends (±Infinity, e.g. under separation)
 * drawn as filled arrowheads just past the finite range of the plot; finite ends far
 * outside it (or outside `xlim`) are clipped and drawn as open arrowheads.
 */
import { ArgumentError } from "../errors.js";
import { PALETTE, checkPositive, checkTitle, frame, r6, type CommonPlotOptions, type VlSpec } from "./common.js";

/** One interval of one method; `estimate` is optional (CLI JSON has none). */
export interface ForestRow {
  name: string;
  method: string;
  lower: number;
  upper: number;
  estimate?: number;
}

export interface ForestInput {
  /** Confidence/credible level, for the axis title. */
  level?: number;
  rows: readonly ForestRow[];
}

export interface ForestOptions extends CommonPlotOptions {
  /** Reference line on the x axis (default 0; null for none). */
  reference?: number | null;
  /** The plotted x range; ends outside it are clipped (open arrowheads). Default: every estimate and finite end except far ones (FAR_FACTOR). */
  xlim?: readonly [number, number];
}

/** Display names of glmkit's interval methods. */
export const METHOD_LABELS: Readonly<Record<string, string>> = Object.freeze({
  wald: "Wald",
  profile: "profile",
  "firth-wald": "penalized Wald",
  "firth-profile": "penalized profile",
  "map-wald": "MAP Wald",
  laplace: "Laplace",
  posterior: "posterior",
  "posterior-hdi": "posterior HDI",
});

/** Share of the finite span by which an unbounded end sticks out past the finite range. */
export const ARROW_OVERHANG = 0.08;

type EndKind = "finite" | "unbounded" | "clipped";

/** A finite end is "far" when it lies more than this many times its coefficient's median half-width from the centre. */
export const FAR_FACTOR = 10;

/**
 * Finite ends far outside the other methods' intervals of the same coefficient (e.g. the
 * ML Wald interval of a separated coefficient, ±3000 against ±3): left out of the default
 * x range and drawn clipped, with an open arrowhead.
 */
function farEnds(rows: readonly { name: string; lower: number; upper: number; estimate: number | null }[]): { lower: boolean; upper: boolean }[] {
  const centre = (r: (typeof rows)[number]) => (r.estimate !== null && Number.isFinite(r.estimate) ? r.estimate : Number.isFinite(r.lower) && Number.isFinite(r.upper) ? (r.lower + r.upper) / 2 : NaN);
  const half = new Map<string, number[]>();
  for (const r of rows) {
    const c = centre(r);
    if (Number.isNaN(c)) continue;
    const h = half.get(r.name) ?? [];
    if (Number.isFinite(r.lower)) h.push(c - r.lower);
    if (Number.isFinite(r.upper)) h.push(r.upper - c);
    half.set(r.name, h);
  }
  const median = new Map([...half].map(([k, h]) => {
    const s = h.filter((v) => v > 0).sort((a, b) => a - b);
    return [k, s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN];
  }));
  return rows.map((r) => {
    const c = centre(r);
    const m = median.get(r.name) ?? NaN;
    const far = (d: number) => Number.isFinite(d) && m > 0 && d > FAR_FACTOR * m;
    return { lower: far(c - r.lower), upper: far(r.upper - c) };
  });
}

function endValue(x: unknown, what: string, i: number): number {
  if (x === "Infinity") return Infinity;
  if (x === "-Infinity") return -Infinity;
  if (typeof x !== "number" || Number.isNaN(x)) throw new ArgumentError(`forest plot: row ${i + 1} has ${what} ${String(x)}; expected a number or ±Infinity`);
  return x;
}

/**
 * The Vega-Lite spec of the forest plot. Aliased rows (both ends NaN, or null as in JSON) are left out.
 * @example forestSpec({ level: 0.95, rows: [{ name: "x", method: "wald", lower: -1, upper: 2, estimate: 0.5 }] })
 */
export function forestSpec(input: ForestInput, options: ForestOptions = {}): VlSpec {
  if (input === null || typeof input !== "object" || !Array.isArray(input.rows)) throw new ArgumentError("forest plot input must be { level?, rows: [{ name, method, lower, upper, estimate? }] }");
  const missing = (x: unknown) => x === null || (typeof x === "number" && Number.isNaN(x)); // aliased: NaN, or null in JSON
  const rows = input.rows.filter((r) => !(missing(r?.lower) && missing(r?.upper)));
  if (rows.length === 0) throw new ArgumentError("forest plot: no intervals to draw");
  const parsed = rows.map((r, i) => {
    if (typeof r.name !== "string" || typeof r.method !== "string") throw new ArgumentError(`forest plot: row ${i + 1} needs a name and a method`);
    const lower = endValue(r.lower, "lower", i);
    const upper = endValue(r.upper, "upper", i);
    const estimate = r.estimate === undefined || r.estimate === null ? null : endValue(r.estimate, "estimate", i);
    if (lower > upper) throw new ArgumentError(`forest plot: row ${i + 1} (${r.name}, ${r.method}) has lower ${lower} > upper ${upper}`);
    return { name: r.name, method: METHOD_LABELS[r.method] ?? r.method, lower, upper, estimate };
  });
  const reference = options.reference === undefined ? 0 : options.reference;
  if (reference !== null && typeof reference !== "number") throw new ArgumentError("reference must be a number or null");
  const far = farEnds(parsed);
  let lo: number;
  let hi: number;
  if (options.xlim !== undefined) {
    const xl = options.xlim;
    if (!Array.isArray(xl) || xl.length !== 2 || !Number.isFinite(xl[0]) || !Number.isFinite(xl[1]) || !(xl[0] < xl[1])) throw new ArgumentError("xlim must be [low, high], finite with low < high");
    [lo, hi] = xl;
  } else {
    const finite: number[] = [];
    parsed.forEach((r, i) => {
      if (r.estimate !== null && Number.isFinite(r.estimate)) finite.push(r.estimate);
      if (Number.isFinite(r.lower) && !far[i]!.lower) finite.push(r.lower);
      if (Number.isFinite(r.upper) && !far[i]!.upper) finite.push(r.upper);
    });
    if (reference !== null) finite.push(reference);
    lo = finite.length ? Math.min(...finite) : -1;
    hi = finite.length ? Math.max(...finite) : 1;
    if (!(hi > lo)) {
      lo -= 1;
      hi += 1;
    }
  }
  const span = hi - lo;
  const left = lo - ARROW_OVERHANG * span;
  const right = hi + ARROW_OVERHANG * span;
  const names = [...new Set(parsed.map((r) => r.name))];
  const methods = [...new Set(parsed.map((r) => r.method))];
  const values = parsed.map((r) => {
    const lowerEnd: EndKind = r.lower === -Infinity ? "unbounded" : r.lower < lo ? "clipped" : "finite";
    const upperEnd: EndKind = r.upper === Infinity ? "unbounded" : r.upper > hi ? "clipped" : "finite";
    const visible = r.estimate !== null && Number.isFinite(r.estimate) && r.estimate >= lo && r.estimate <= hi;
    return {
      name: r.name,
      method: r.method,
      lower: r6(lowerEnd === "finite" ? r.lower : r.lower > hi ? right : left),
      upper: r6(upperEnd === "finite" ? r.upper : r.upper < lo ? left : right),
      estimate: visible ? r6(r.estimate!) : null,
      lowerText: r.lower === -Infinity ? "-Inf" : String(r6(r.lower)),
      upperText: r.upper === Infinity ? "Inf" : String(r6(r.upper)),
      estimateText: r.estimate === null ? "" : String(r6(r.estimate)),
      lowerEnd,
      upperEnd,
    };
  });
  const level = input.level;
  const pct = typeof level === "number" && level > 0 && level < 1 ? `${r6(100 * level)}% ` : "";
  const width = checkPositive("width", options.width, 420);
  const step = 12; // px per method within a coefficient's band
  const y = { field: "name", type: "nominal", sort: names, title: "coefficient", axis: { grid: true, gridColor: "#eee" } };
  const yOffset = { field: "method", type: "nominal", sort: methods };
  const color = {
    field: "method", type: "nominal", sort: methods, title: "method",
    scale: { domain: methods, range: PALETTE.slice(0, Math.max(methods.length, 1)) },
  };
  const tooltip = [
    { field: "name", title: "coefficient" }, { field: "method" }, { field: "estimateText", title: "estimate" },
    { field: "lowerText", title: "lower" }, { field: "upperText", title: "upper" },
  ];
  const arrows = values.some((v) => v.lowerEnd !== "finite" || v.upperEnd !== "finite");
  const pad = arrows ? 1.5 * ARROW_OVERHANG * span : 0.04 * span; // room for the arrowheads
  const x = { type: "quantitative", scale: { domain: [r6(lo - pad), r6(hi + pad)], nice: false, zero: false } };
  const anyInf = values.some((v) => v.lowerEnd === "unbounded" || v.upperEnd === "unbounded");
  const anyClip = values.some((v) => v.lowerEnd === "clipped" || v.upperEnd === "clipped");
  const layer: VlSpec[] = [];
  if (reference !== null) layer.push({ name: "reference", mark: { type: "rule", color: "#888", strokeDash: [4, 3] }, encoding: { x: { datum: reference, type: "quantitative" } } });
  layer.push({
    name: "interval",
    mark: { type: "rule", strokeWidth: 2 },
    encoding: { y, yOffset, x: { ...x, field: "lower", title: `${pct}interval` }, x2: { field: "upper" }, color, tooltip },
  });
  layer.push({
    name: "estimate",
    transform: [{ filter: "datum.estimate !== null" }],
    mark: { type: "point", filled: true, size: 30 },
    encoding: { y, yOffset, x: { ...x, field: "estimate" }, color, tooltip },
  });
  const arrow = (name: string, end: "lower" | "upper", kind: EndKind) => ({
    name,
    transform: [{ filter: `datum.${end}End === '${kind}'` }],
    mark: { type: "point", shape: end === "upper" ? "triangle-right" : "triangle-left", filled: kind === "unbounded", size: 90, opacity: 1, strokeWidth: 1.5 },
    encoding: { y, yOffset, x: { ...x, field: end }, color, tooltip },
  });
  if (anyInf) layer.push(arrow("arrow_upper", "upper", "unbounded"), arrow("arrow_lower", "lower", "unbounded"));
  if (anyClip) layer.push(arrow("clip_upper", "upper", "clipped"), arrow("clip_lower", "lower", "clipped"));
  const notes = [anyInf ? "filled arrowheads: unbounded end" : "", anyClip ? "open arrowheads: end beyond the plotted range (see the table)" : ""].filter(Boolean);
  return {
    ...frame(checkTitle(options.title, "Intervals by method"), notes.length ? notes.join("; ") : undefined),
    width,
    height: options.height !== undefined ? checkPositive("height", options.height, 0) : { step },
    data: { values },
    layer,
  };
}

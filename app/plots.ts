/**
 * Stand-in for the plotting module (models/plots.ts, another engineer's): the same
 * contract, `plotSvg(kind, input, options?) → Promise<string>`, drawing the three
 * kinds the app shows (forest, trace, rank) as plain SVG. The app imports plotSvg
 * from this file only (app/plot-source.ts), so swapping in the real module is a
 * one-line change there. Every mark carries data-coefficient / data-method (forest)
 * or data-chain (trace, rank) so that tests can count them.
 */
export type PlotKind = "forest" | "trace" | "rank" | "density" | "ppc" | "residuals" | "qq" | "calibration";

/** One interval of the forest plot. */
export interface ForestRow { name: string; method: string; estimate: number; lower: number; upper: number }
/** Draws of one parameter: per chain, the values in order. */
export interface ChainSeries { name: string; chains: Float64Array[] }
export type PlotInput = { rows: ForestRow[] } | ChainSeries;
export interface PlotOptions { width?: number; title?: string }

const COLORS = ["#1b6ca8", "#d1495b", "#2e933c", "#8d5fd3", "#e69f00", "#555555"];
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
const fmt = (x: number) => (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-2) ? x.toExponential(1) : Number(x.toPrecision(3)).toString());

function svg(width: number, height: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}" font-family="system-ui, sans-serif" font-size="12"><title>${esc(title)}</title><text x="${width / 2}" y="16" text-anchor="middle" font-weight="600">${esc(title)}</text>${body}</svg>`;
}

function forest(rows: ForestRow[], o: PlotOptions): string {
  const names = [...new Set(rows.map((r) => r.name))];
  const methods = [...new Set(rows.map((r) => r.method))];
  const width = o.width ?? 640, left = 150, right = 20, top = 28, rowH = 14 * Math.max(1, methods.length) + 10;
  const height = top + names.length * rowH + 50;
  const finite = rows.flatMap((r) => [r.lower, r.upper, r.estimate]).filter(Number.isFinite);
  let lo = Math.min(...finite), hi = Math.max(...finite);
  if (!(hi > lo)) { lo -= 1; hi += 1; }
  const pad = (hi - lo) * 0.05;
  lo -= pad; hi += pad;
  const x = (v: number) => left + ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * (width - left - right);
  const parts: string[] = [];
  const zero = lo < 0 && hi > 0 ? `<line x1="${x(0)}" x2="${x(0)}" y1="${top}" y2="${height - 40}" stroke="#999" stroke-dasharray="3 3"/>` : "";
  parts.push(zero);
  names.forEach((name, i) => {
    const y0 = top + i * rowH;
    parts.push(`<text x="${left - 8}" y="${y0 + rowH / 2 + 4}" text-anchor="end">${esc(name)}</text>`);
    methods.forEach((m, k) => {
      const r = rows.find((q) => q.name === name && q.method === m);
      if (!r) return;
      const y = y0 + 8 + k * 14, c = COLORS[k % COLORS.length];
      const arrow = (at: number, dir: number) => `<path d="M${at},${y} l${-6 * dir},-4 v8 z" fill="${c}"/>`;
      parts.push(`<g class="mark" data-coefficient="${esc(name)}" data-method="${esc(m)}"><title>${esc(`${name}, ${m}: ${fmt(r.lower)} to ${fmt(r.upper)}`)}</title>`
        + `<line x1="${x(r.lower)}" x2="${x(r.upper)}" y1="${y}" y2="${y}" stroke="${c}" stroke-width="2"/>`
        + (Number.isFinite(r.lower) ? "" : arrow(x(r.lower), -1)) + (Number.isFinite(r.upper) ? "" : arrow(x(r.upper), 1))
        + (Number.isFinite(r.estimate) ? `<circle cx="${x(r.estimate)}" cy="${y}" r="3" fill="${c}"/>` : "") + `</g>`);
    });
  });
  const axisY = height - 40;
  parts.push(`<g class="axis"><line x1="${left}" x2="${width - right}" y1="${axisY}" y2="${axisY}" stroke="#333"/>`);
  for (let t = 0; t <= 4; t++) {
    const v = lo + ((hi - lo) * t) / 4;
    parts.push(`<line x1="${x(v)}" x2="${x(v)}" y1="${axisY}" y2="${axisY + 4}" stroke="#333"/><text x="${x(v)}" y="${axisY + 16}" text-anchor="middle">${fmt(v)}</text>`);
  }
  parts.push(`</g>`);
  methods.forEach((m, k) => parts.push(`<g class="legend"><rect x="${left + k * 120}" y="${height - 14}" width="10" height="10" fill="${COLORS[k % COLORS.length]}"/><text x="${left + k * 120 + 14}" y="${height - 5}">${esc(m)}</text></g>`));
  return svg(width, height, o.title ?? "Intervals by method", parts.join(""));
}

function trace(s: ChainSeries, o: PlotOptions): string {
  const width = o.width ?? 320, height = 160, left = 44, top = 24, bottom = 20;
  const all = s.chains.flatMap((c) => Array.from(c));
  const lo = Math.min(...all), hi = Math.max(...all) + (Math.max(...all) === Math.min(...all) ? 1 : 0);
  const n = Math.max(...s.chains.map((c) => c.length));
  const x = (i: number) => left + (i / Math.max(1, n - 1)) * (width - left - 8);
  const y = (v: number) => top + (1 - (v - lo) / (hi - lo)) * (height - top - bottom);
  const lines = s.chains.map((c, k) => `<polyline class="mark" data-chain="${k + 1}" fill="none" stroke="${COLORS[k % COLORS.length]}" stroke-width="0.7" points="${Array.from(c, (v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ")}"/>`);
  const axis = `<g class="axis"><text x="${left - 4}" y="${top + 8}" text-anchor="end">${fmt(hi)}</text><text x="${left - 4}" y="${height - bottom}" text-anchor="end">${fmt(lo)}</text></g>`;
  return svg(width, height, o.title ?? `Trace: ${s.name}`, axis + lines.join(""));
}

function rank(s: ChainSeries, o: PlotOptions): string {
  const width = o.width ?? 320, height = 160, top = 24, bins = 20;
  const pooled = s.chains.flatMap((c, k) => Array.from(c, (v) => ({ v, k })));
  pooled.sort((a, b) => a.v - b.v);
  const counts = s.chains.map(() => new Array<number>(bins).fill(0));
  pooled.forEach((d, r) => counts[d.k]![Math.min(bins - 1, Math.floor((r / pooled.length) * bins))]!++);
  const max = Math.max(...counts.flat(), 1);
  const panelW = (width - 16) / s.chains.length;
  const bars = counts.map((cs, k) => `<g class="mark" data-chain="${k + 1}">` + cs.map((c, b) => {
    const h = (c / max) * (height - top - 16);
    return `<rect x="${(8 + k * panelW + (b * (panelW - 6)) / bins).toFixed(1)}" y="${(height - 8 - h).toFixed(1)}" width="${((panelW - 6) / bins - 0.5).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[k % COLORS.length]}"/>`;
  }).join("") + `</g>`);
  return svg(width, height, o.title ?? `Rank: ${s.name}`, bars.join(""));
}

export async function plotSvg(kind: PlotKind, input: PlotInput, options: PlotOptions = {}): Promise<string> {
  if (kind === "forest" && "rows" in input) return forest(input.rows, options);
  if (kind === "trace" && "chains" in input) return trace(input, options);
  if (kind === "rank" && "chains" in input) return rank(input, options);
  throw new Error(`the app's stand-in plots draw forest, trace and rank; not ${kind}`);
}

/**
 * Node-only plot output: PNG through @resvg/resvg-js (a native module, loaded on first
 * use) and writing plots to a folder. The browser path (models/plots.ts) imports none of this.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ArgumentError } from "../src/errors.js";
import { plotSpec, specToSvg, type PlotInputs, type PlotKind, type PlotOptions } from "./plots.js";

export interface PngOptions {
  /** Pixels per SVG unit, default 2. */
  scale?: number;
}

/**
 * Renders SVG text to PNG bytes (system fonts; the SVG's "DejaVu Sans" first).
 * @example writeFileSync("qq.png", await svgToPng(await plotSvg("qq", fit)))
 */
export async function svgToPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  const scale = options.scale ?? 2;
  if (!(typeof scale === "number" && scale > 0 && scale <= 16)) throw new ArgumentError(`PNG scale must be a number in (0, 16], got ${String(scale)}`);
  let Resvg: typeof import("@resvg/resvg-js").Resvg;
  try {
    ({ Resvg } = await import("@resvg/resvg-js"));
  } catch (e) {
    throw new ArgumentError(`PNG output needs the @resvg/resvg-js package: ${(e as Error).message}`);
  }
  const r = new Resvg(svg, { fitTo: { mode: "zoom", value: scale }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" }, background: "white" });
  return r.render().asPng();
}

/**
 * The PNG of a plot.
 * @example await plotPng("calibration", fit)
 */
export async function plotPng<K extends PlotKind>(kind: K, input: PlotInputs[K], options?: PlotOptions[K] & PngOptions): Promise<Uint8Array> {
  return svgToPng(await specToSvg(plotSpec(kind, input, options)), options);
}

export type PlotFormat = "svg" | "png";

/** One file written. */
export interface WrittenPlot {
  kind: PlotKind;
  format: PlotFormat;
  path: string;
}

/**
 * Writes one plot as DIR/KIND.svg and/or DIR/KIND.png (creating DIR).
 * @example await writePlot("out", "forest", comparison, ["svg", "png"])
 */
export async function writePlot<K extends PlotKind>(dir: string, kind: K, input: PlotInputs[K], formats: readonly PlotFormat[], options?: PlotOptions[K] & PngOptions): Promise<WrittenPlot[]> {
  const svg = await specToSvg(plotSpec(kind, input, options));
  mkdirSync(dir, { recursive: true });
  const out: WrittenPlot[] = [];
  for (const format of formats) {
    const path = join(dir, `${kind}.${format}`);
    writeFileSync(path, format === "svg" ? svg : await svgToPng(svg, options));
    out.push({ kind, format, path });
  }
  return out;
}

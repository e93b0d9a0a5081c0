/**
 * `--plot KINDS --plot-dir DIR [--plot-format svg,png]`: which plots the flags ask for,
 * checked against the method and family before the data are read, and writing them after
 * the fit (DIR/KIND.svg, DIR/KIND.png). The plotting code is imported only when plots
 * are written, so the flags cost nothing otherwise.
 */
import { UsageError } from "./validate-options.js";
import type { GlmResult } from "../models/result.js";
import type { IntervalSet } from "../src/intervals/types.js";

/** The flags this module adds to `glmkit fit`. */
export const PLOT_OPTIONS = {
  plot: { type: "string" },
  "plot-dir": { type: "string" },
  "plot-format": { type: "string" },
} as const;

/** Kinds in the CLI's order (the same list as PLOT_KINDS of models/plots.ts). */
export const CLI_PLOT_KINDS = ["forest", "trace", "rank", "density", "ppc", "residuals", "qq", "calibration"] as const;
export type CliPlotKind = (typeof CLI_PLOT_KINDS)[number];
const FORMATS = ["svg", "png"] as const;
export type CliPlotFormat = (typeof FORMATS)[number];

/** What to draw and where. */
export interface PlotPlan {
  kinds: CliPlotKind[];
  dir: string;
  formats: CliPlotFormat[];
}

const POSTERIOR_KINDS: readonly CliPlotKind[] = ["trace", "rank", "density", "ppc"];
const ML_KINDS: readonly CliPlotKind[] = ["residuals", "qq", "calibration"];
/** Families whose randomized quantile residuals are defined (src/diagnostics/quantile-residuals.ts). */
const QRESID_FAMILIES = ["binomial", "poisson", "negative_binomial", "negbin", "gaussian", "gamma"];

type Values = Record<string, string | readonly string[] | boolean | undefined>;

function list(flag: string, v: string): string[] {
  const items = v.split(",").map((x) => x.trim()).filter((x) => x !== "");
  if (items.length === 0) throw new UsageError(`--${flag} needs at least one value`);
  const seen = new Set<string>();
  for (const x of items) {
    if (seen.has(x)) throw new UsageError(`--${flag} names "${x}" twice`);
    seen.add(x);
  }
  return items;
}

/**
 * The plot plan of the flags, or null without --plot. Usage errors: an unknown kind or
 * format, a kind the method cannot draw (trace of an ML fit), forest without --intervals,
 * calibration of a non-binomial family, a missing --plot-dir, --plot-dir/--plot-format without --plot.
 */
export function checkPlotFlags(values: Values, method: string, intervals: readonly string[] | null): PlotPlan | null {
  const plot = values.plot as string | undefined;
  const dir = values["plot-dir"] as string | undefined;
  const format = values["plot-format"] as string | undefined;
  if (plot === undefined) {
    if (dir !== undefined) throw new UsageError("--plot-dir applies to --plot");
    if (format !== undefined) throw new UsageError("--plot-format applies to --plot");
    return null;
  }
  const kinds = list("plot", plot);
  for (const k of kinds) if (!(CLI_PLOT_KINDS as readonly string[]).includes(k)) throw new UsageError(`unknown plot kind "${k}" in --plot; valid: ${CLI_PLOT_KINDS.join(", ")}`);
  const formats = format === undefined ? ["svg"] : list("plot-format", format);
  for (const f of formats) if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown --plot-format "${f}"; valid: ${FORMATS.join(", ")}`);
  if (dir === undefined || dir.trim() === "") throw new UsageError("--plot needs --plot-dir DIR, the folder the plots are written to");
  const family = String(values.family ?? "gaussian").toLowerCase();
  for (const k of kinds as CliPlotKind[]) {
    if (POSTERIOR_KINDS.includes(k) && method !== "nuts") throw new UsageError(`--plot ${k} draws posterior draws and needs --method nuts (got --method ${method})`);
    if (ML_KINDS.includes(k) && method !== "mle") throw new UsageError(`--plot ${k} is a check of the maximum-likelihood fit and needs --method mle (got --method ${method})`);
    if (k === "forest" && (intervals === null || intervals.length === 0)) throw new UsageError("--plot forest draws the intervals side by side and needs --intervals, e.g. --intervals wald,profile");
    if (k === "calibration" && family !== "binomial" && family !== "quasibinomial") throw new UsageError(`--plot calibration needs a binomial fit (got --family ${values.family ?? "gaussian"})`);
    if ((k === "residuals" || k === "qq") && !QRESID_FAMILIES.includes(family))
      throw new UsageError(`--plot ${k} draws randomized quantile residuals, defined for the binomial, poisson, negative_binomial, gaussian and Gamma families (got --family ${values.family})`);
  }
  return { kinds: kinds as CliPlotKind[], dir, formats: formats as CliPlotFormat[] };
}

/** The results a plot can be drawn from. */
export interface PlotSources {
  fit: GlmResult;
  /** The interval sets of --intervals (for forest). */
  sets: readonly IntervalSet[] | null;
  /** --seed of the sampler (the ppc's predictive draws); the quantile residuals use seed 1. */
  seed: number;
}

/** One file written, as the JSON's `plots` lists it. */
export interface PlotFile {
  kind: CliPlotKind;
  format: CliPlotFormat;
  path: string;
}

/** Writes the plots of the plan; returns the files in kind, then format order. */
export async function writeCliPlots(plan: PlotPlan, src: PlotSources): Promise<PlotFile[]> {
  const { writePlot } = await import("../models/plots-node.js");
  const fit = src.fit as unknown as Record<string, unknown>;
  const out: PlotFile[] = [];
  for (const kind of plan.kinds) {
    const input = kind === "forest" ? src.sets : POSTERIOR_KINDS.includes(kind) ? fit.posterior : fit;
    const options = kind === "ppc" ? { seed: Math.max(1, src.seed) } : kind === "residuals" || kind === "qq" ? { seed: 1 } : {};
    const files = await writePlot(plan.dir, kind, input as never, plan.formats, options as never);
    out.push(...files.map((f) => ({ kind, format: f.format, path: f.path })));
  }
  return out;
}

/** The text block listing the files. */
export function plotsText(files: readonly PlotFile[]): string {
  return `Plots written to:\n${files.map((f) => `  ${f.path}`).join("\n")}`;
}

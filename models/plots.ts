/**
 * Plots of glmkit results as Vega-Lite specifications (data included) and as SVG.
 *
 *   plotSpec(kind, input, options?)  pure: the Vega-Lite v6 spec, plain JSON
 *   plotSvg(kind, input, options?)   the SVG text, rendered by vega headlessly
 *                                    (renderer "none"); the same in Node and in a browser
 *   plotPng(...)                     Node only: glmkit/plots-node (models/plots-node.ts)
 *
 * Inputs are the result objects glmkit already returns: an IntervalComparison (or
 * interval sets, or the CLI's `intervals` JSON) for "forest"; a sampled posterior for
 * "trace", "rank", "density" and "ppc"; an ML fit for "residuals", "qq" and (binomial)
 * "calibration". vega and vega-lite are imported on the first render only, so
 * importing this module costs nothing until a plot is drawn. Why Vega-Lite and not
 * Observable Plot: docs/plots.md.
 */
import { ArgumentError } from "../src/errors.js";
import type { VlSpec, ChainDrawsInput } from "../src/plots/common.js";
import { forestSpec, type ForestInput, type ForestOptions, type ForestRow } from "../src/plots/forest.js";
import { traceSpec, rankSpec, type ChainPlotOptions, type RankOptions } from "../src/plots/chains.js";
import { densitySpec, ppcSpec, type DensityInput, type DensityOptions, type PpcInput, type PpcOptions, type PriorCurve } from "../src/plots/densities.js";
import { residualsSpec, qqSpec, calibrationSpec, type CalibrationPlotInput } from "../src/plots/fit-checks.js";
import type { CommonPlotOptions } from "../src/plots/common.js";
import { quantileResiduals } from "../src/diagnostics/quantile-residuals.js";
import { calibrationOfFit } from "../src/diagnostics/calibration.js";
import { residuals as mlResiduals, type MlFit } from "../src/fit/ml-fit.js";
import type { IntervalComparison } from "../src/intervals/compare.js";
import type { IntervalSet } from "../src/intervals/types.js";
import type { GlmPosterior } from "./posterior.js";
import { posteriorPredict } from "./posterior-predict.js";

export type { VlSpec } from "../src/plots/common.js";

/** The plots glmkit draws. */
export type PlotKind = "forest" | "trace" | "rank" | "density" | "ppc" | "residuals" | "qq" | "calibration";

/** Every kind, in the CLI's order. */
export const PLOT_KINDS: readonly PlotKind[] = Object.freeze(["forest", "trace", "rank", "density", "ppc", "residuals", "qq", "calibration"]);

/** Something that holds an ML fit: an MlFit, or a GlmFit (`.ml`). */
export type MlFitInput = MlFit | { ml: MlFit };
/** Something that holds posterior draws: a GlmPosterior, a PosteriorFit (`.posterior`), or bare chain draws. */
export type PosteriorInput = GlmPosterior | { posterior: GlmPosterior } | ChainDrawsInput;
/** The CLI's `intervals` JSON: method → [{ name, lower, upper }] (ends may be "Infinity"/"-Infinity"). */
export type IntervalsJson = Readonly<Record<string, readonly { name: string; lower: number | string; upper: number | string; estimate?: number }[]>>;
export type ForestPlotInput = IntervalComparison | readonly IntervalSet[] | ForestInput | IntervalsJson;

/** The input each kind takes. */
export interface PlotInputs {
  forest: ForestPlotInput;
  trace: PosteriorInput;
  rank: PosteriorInput;
  density: PosteriorInput | DensityInput;
  ppc: PosteriorInput | PpcInput;
  residuals: MlFitInput | { fitted: ArrayLike<number>; residuals: ArrayLike<number> };
  qq: MlFitInput | { residuals: ArrayLike<number> };
  calibration: MlFitInput | CalibrationPlotInput;
}

/** Residual kinds of the residual and Q–Q plots. */
export type PlotResidualType = "quantile" | "deviance" | "pearson";

export interface ResidualPlotOptions extends CommonPlotOptions {
  /** Default "quantile" (randomized for discrete families, seeded). */
  residualType?: PlotResidualType;
  /** Seed of the quantile residuals' uniforms, default 1. */
  seed?: number;
  /** x axis of the residual plot: the linear predictor (default, as R's plot.glm) or the fitted mean. */
  fittedScale?: "link" | "response";
}

/** The options each kind takes. */
export interface PlotOptions {
  forest: ForestOptions;
  trace: ChainPlotOptions;
  rank: RankOptions;
  density: DensityOptions;
  ppc: PpcOptions & { seed?: number };
  residuals: ResidualPlotOptions;
  qq: ResidualPlotOptions;
  calibration: CommonPlotOptions & { g?: number };
}

function checkKind(kind: unknown): asserts kind is PlotKind {
  if (typeof kind !== "string" || !(PLOT_KINDS as readonly string[]).includes(kind))
    throw new ArgumentError(`unknown plot kind ${JSON.stringify(kind)}; expected one of ${PLOT_KINDS.join(", ")}`);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object";
}

function mlOf(input: unknown, kind: PlotKind): MlFit | null {
  if (!isObject(input)) throw new ArgumentError(`plot "${kind}" needs an ML fit`);
  if (isObject(input.ml) && isObject((input.ml as Record<string, unknown>).irls)) return input.ml as unknown as MlFit;
  if (isObject(input.irls) && isObject(input.problem)) return input as unknown as MlFit;
  return null;
}

/** A plain-data input of an ML-fit plot: the fields must be there, else the error names what the plot needs. */
function needFields(input: unknown, kind: PlotKind, fields: readonly string[]): Record<string, unknown> {
  if (isObject(input) && fields.every((f) => f in input)) return input;
  throw new ArgumentError(`plot "${kind}" needs a maximum-likelihood fit (GlmFit or MlFit) or { ${fields.join(", ")} }`);
}

function posteriorOf(input: unknown, kind: PlotKind): GlmPosterior | ChainDrawsInput {
  if (!isObject(input)) throw new ArgumentError(`plot "${kind}" needs posterior draws (a sampled posterior, --method nuts)`);
  if (isObject(input.posterior) && Array.isArray((input.posterior as Record<string, unknown>).draws)) return input.posterior as unknown as GlmPosterior;
  if (Array.isArray(input.names) && Array.isArray(input.draws)) return input as unknown as ChainDrawsInput;
  throw new ArgumentError(`plot "${kind}" needs posterior draws (a sampled posterior, --method nuts)`);
}

function isGlmPosterior(x: GlmPosterior | ChainDrawsInput): x is GlmPosterior {
  return isObject((x as GlmPosterior).problem) && isObject((x as GlmPosterior).priors);
}

/** The forest rows of any accepted interval input. */
export function forestInput(input: ForestPlotInput): ForestInput {
  if (Array.isArray(input)) {
    const sets = input as readonly IntervalSet[];
    return { level: sets[0]?.level, rows: sets.flatMap((s) => s.rows.filter((r) => !r.aliased).map((r) => ({ name: r.name, method: s.method, lower: r.lower, upper: r.upper, estimate: r.estimate }))) };
  }
  if (!isObject(input)) throw new ArgumentError('plot "forest" needs intervals: compareIntervals(...), interval sets, or the CLI\'s intervals JSON');
  if (Array.isArray(input.rows)) {
    const c = input as unknown as ForestInput;
    return { level: c.level, rows: c.rows.filter((r) => !(r as { aliased?: boolean }).aliased) };
  }
  const rows: ForestRow[] = [];
  for (const [method, list] of Object.entries(input as IntervalsJson)) {
    if (!Array.isArray(list)) throw new ArgumentError(`intervals.${method} must be an array of { name, lower, upper }`);
    for (const r of list) rows.push({ name: r.name, method, lower: r.lower as number, upper: r.upper as number, estimate: r.estimate });
  }
  return { rows };
}

/** The priors of a sampled posterior by parameter name, for the density plot (none for a centred intercept or the joint Jeffreys prior). */
export function posteriorPriors(post: GlmPosterior): Record<string, PriorCurve | null> {
  const out: Record<string, PriorCurve | null> = {};
  const centred = post.priors.interceptOn === "centered";
  post.coefficientNames.forEach((name, j) => {
    const pr = post.priors.coefficients[j];
    out[name] = !pr || pr.kind === "jeffreys" || !pr.proper || (centred && name === "(Intercept)") ? null : pr;
  });
  const aux = post.priors.aux;
  if (post.auxName && aux && aux.proper) out[post.auxName] = aux;
  return out;
}

function ppcInput(post: GlmPosterior, seed: number): PpcInput {
  const yRep = posteriorPredict(post, { seed });
  const { y, weights, family } = post.problem;
  if (family.name !== "binomial" || weights.every((w) => w === 1)) return { y, yRep };
  const n = y.length;
  const counts = Float64Array.from(y, (v, i) => Math.round(v * weights[i]!)); // proportions of trials → successes
  const values = Float64Array.from(yRep.values, (v, k) => Math.round(v * weights[k % n]!));
  return { y: counts, yRep: { draws: yRep.draws, n, values } };
}

function residualsOf(fit: MlFit, options: ResidualPlotOptions): { r: Float64Array; label: string } {
  const type = options.residualType ?? "quantile";
  if (type === "quantile") {
    const discrete = ["binomial", "poisson"].includes(fit.problem.family.name) || fit.problem.family.name.startsWith("Negative Binomial");
    return { r: quantileResiduals(fit, { seed: options.seed }), label: discrete ? "randomized quantile residual" : "quantile residual" };
  }
  if (type !== "deviance" && type !== "pearson") throw new ArgumentError(`residualType must be "quantile", "deviance" or "pearson", got ${JSON.stringify(type)}`);
  const r = mlResiduals(fit, type);
  const w = fit.problem.weights;
  return { r: r.map((v, i) => (w[i]! > 0 ? v : Number.NaN)), label: `${type} residual` };
}

/**
 * The Vega-Lite spec of a plot (pure; data included).
 * @example plotSpec("forest", compareIntervals(model, { methods: ["wald", "profile"] }))
 */
export function plotSpec<K extends PlotKind>(kind: K, input: PlotInputs[K], options?: PlotOptions[K]): VlSpec;
export function plotSpec(kind: PlotKind, input: unknown, options: Record<string, unknown> = {}): VlSpec {
  checkKind(kind);
  if (options !== undefined && !isObject(options)) throw new ArgumentError("plot options must be an object");
  switch (kind) {
    case "forest":
      return forestSpec(forestInput(input as ForestPlotInput), options as ForestOptions);
    case "trace":
      return traceSpec(posteriorOf(input, kind), options as ChainPlotOptions);
    case "rank":
      return rankSpec(posteriorOf(input, kind), options as RankOptions);
    case "density": {
      const post = posteriorOf(input, kind);
      const priors = isGlmPosterior(post) ? posteriorPriors(post) : (post as DensityInput).priors;
      return densitySpec({ names: post.names, draws: post.draws, priors }, options as DensityOptions);
    }
    case "ppc": {
      if (isObject(input) && isObject(input.yRep)) return ppcSpec(input as unknown as PpcInput, options as PpcOptions);
      const post = posteriorOf(input, kind);
      if (!isGlmPosterior(post)) throw new ArgumentError('plot "ppc" needs a sampled GLM posterior or { y, yRep }');
      return ppcSpec(ppcInput(post, (options.seed as number | undefined) ?? 1), options as PpcOptions);
    }
    case "residuals": {
      const fit = mlOf(input, kind);
      if (!fit) return residualsSpec(needFields(input, kind, ["fitted", "residuals"]) as { fitted: ArrayLike<number>; residuals: ArrayLike<number> }, options);
      const o = options as ResidualPlotOptions;
      const { r, label } = residualsOf(fit, o);
      const scale = o.fittedScale ?? "link";
      if (scale !== "link" && scale !== "response") throw new ArgumentError(`fittedScale must be "link" or "response", got ${JSON.stringify(scale)}`);
      const fitted = scale === "link" ? fit.irls.eta : fit.irls.mu;
      return residualsSpec({ fitted, residuals: r, residualLabel: label, fittedLabel: scale === "link" ? "linear predictor" : "fitted mean" }, o);
    }
    case "qq": {
      const fit = mlOf(input, kind);
      if (!fit) return qqSpec(needFields(input, kind, ["residuals"]) as { residuals: ArrayLike<number> }, options);
      const { r, label } = residualsOf(fit, options as ResidualPlotOptions);
      return qqSpec({ residuals: r, residualLabel: label }, options as CommonPlotOptions);
    }
    case "calibration": {
      const fit = mlOf(input, kind);
      if (!fit) return calibrationSpec(needFields(input, kind, ["reliability"]) as unknown as CalibrationPlotInput, options);
      return calibrationSpec(calibrationOfFit(fit, { g: options.g as number | undefined }), options);
    }
  }
}

type VegaModule = typeof import("vega");
type VegaLiteModule = typeof import("vega-lite");
let libs: Promise<[VegaModule, VegaLiteModule]> | null = null;

/** vega and vega-lite, loaded on first use. */
function loadLibs(): Promise<[VegaModule, VegaLiteModule]> {
  libs ??= Promise.all([import("vega"), import("vega-lite")]).catch((e: unknown) => {
    libs = null;
    throw new ArgumentError(`plots need the vega and vega-lite packages: ${(e as Error).message}`);
  });
  return libs;
}

let activeRenders = 0;
let savedWidth: unknown = null;

/**
 * Renders a Vega-Lite spec to SVG text (headless vega, renderer "none"; no DOM needed).
 * Text is measured by vega's estimate (not a canvas) in every environment, so the SVG is
 * byte-identical in Node and in a browser; vega's own setting is restored after the render.
 * @example await specToSvg(plotSpec("qq", fit)) // "<svg xmlns=…"
 */
export async function specToSvg(spec: VlSpec): Promise<string> {
  const [vega, vl] = await loadLibs();
  const compiled = vl.compile(spec as unknown as Parameters<VegaLiteModule["compile"]>[0]).spec;
  const metrics = (vega as unknown as { textMetrics: { width: unknown; estimateWidth: unknown } }).textMetrics; // vega-scenegraph's, re-exported by vega (not in its types)
  if (activeRenders++ === 0) {
    savedWidth = metrics.width;
    metrics.width = metrics.estimateWidth;
  }
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
    if (--activeRenders === 0) metrics.width = savedWidth;
  }
}

/**
 * The SVG of a plot.
 * @example await plotSvg("trace", posteriorFit, { parameters: ["age"] })
 */
export async function plotSvg<K extends PlotKind>(kind: K, input: PlotInputs[K], options?: PlotOptions[K]): Promise<string> {
  return specToSvg(plotSpec(kind, input, options));
}

/**
 * glmkit/plots: plots of glmkit results as Vega-Lite specs and SVG, the same in Node and
 * in a browser (vega renders headlessly; loaded on the first render). PNG: glmkit/plots/node.
 *
 *   import { plotSvg } from "glmkit/plots";
 *   const svg = await plotSvg("forest", compareIntervals(model, { methods: ["wald", "profile"] }));
 */
export {
  plotSpec, plotSvg, specToSvg, forestInput, posteriorPriors, PLOT_KINDS,
  type PlotKind, type PlotInputs, type PlotOptions, type VlSpec, type MlFitInput, type PosteriorInput, type IntervalsJson,
  type ForestPlotInput, type PlotResidualType, type ResidualPlotOptions,
} from "../plots.js";
export { quantileResiduals, quantileBounds, type QuantileBounds, type QuantileResidualOptions } from "../../src/diagnostics/quantile-residuals.js";
export { METHOD_LABELS, type ForestInput, type ForestRow, type ForestOptions } from "../../src/plots/forest.js";

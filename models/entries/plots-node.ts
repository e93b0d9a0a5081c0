/**
 * glmkit/plots/node: PNG output (@resvg/resvg-js) and writing plots to a folder; Node only.
 *
 *   import { writePlot } from "glmkit/plots/node";
 *   await writePlot("out", "qq", fit, ["svg", "png"]);
 */
export { plotPng, svgToPng, writePlot, type PngOptions, type PlotFormat, type WrittenPlot } from "../plots-node.js";

/**
 * The app's plotting bundle (dist-app/plots.js): the library's plotting module,
 * models/plots.ts (Vega-Lite specs rendered to SVG by headless vega). A bundle of its
 * own, imported by the fitting worker on its first plot, so the page and the chain
 * workers never load vega. GlmkitError is this bundle's copy, for the worker's error
 * wording of a plot that cannot be drawn.
 */
export { plotSvg } from "../models/plots.js";
export { GlmkitError } from "../src/errors.js";

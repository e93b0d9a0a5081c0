// The one place the app gets its plots from: swap for the library's module (models/plots.ts) here.
export { plotSvg } from "./plots.js";

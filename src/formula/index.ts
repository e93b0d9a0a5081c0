/** Model formulas: parser, terms, model frame and design matrix (R's terms / model.frame / model.matrix). */
export type { Formula, Node } from "./ast.js";
export { parseFormula, KNOWN_FUNCTIONS } from "./parse.js";
export { deparse, deparseFormula } from "./deparse.js";
export { termsOf, type Terms } from "./terms.js";
export { formatRNumber, deparseName, isSyntacticName } from "./r-format.js";
export {
  modelFrame,
  type ModelFrame,
  type ModelFrameOptions,
  type ModelResponse,
  type DesignSpec,
  type NewDesign,
} from "./model-frame.js";
export { contrastMatrix, CONTRAST_NAMES, type ContrastMatrix, type ContrastName, type ContrastSpec } from "./contrasts.js";
export { withColumnTypes, parseFactorFlag, parseColumnFlags, type ColumnType, type ColumnTypes } from "./column-types.js";
export { splineDesign } from "./splines.js";
export { designFromJSON } from "./design.js";
export type { DesignJson } from "./design-json.js";

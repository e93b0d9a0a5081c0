/**
 * glmkit/formula: R's model formulas: the parser, terms, the model frame and the
 * design matrix (R's terms / model.frame / model.matrix), and deparsing.
 *
 *   import { modelFrame } from "glmkit/formula";
 *   modelFrame("y ~ a * b", data).columnNames
 */
export type { Formula, Node } from "../../src/formula/ast.js";
export { parseFormula } from "../../src/formula/parse.js";
export { deparseFormula } from "../../src/formula/deparse.js";
export { termsOf, type Terms } from "../../src/formula/terms.js";
export {
  modelFrame, type ModelFrame, type ModelFrameOptions, type ModelResponse, type DesignSpec, type NewDesign,
} from "../../src/formula/model-frame.js";

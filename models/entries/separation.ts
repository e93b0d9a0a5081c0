/**
 * glmkit/separation: the linear-programming check for separation in binomial
 * data (Konis 2007, as R's detectseparation), on HiGHS compiled to WebAssembly.
 * `initSeparation()` loads the solver once; after it `detectSeparationSync` works.
 *
 *   import { detectSeparation } from "glmkit/separation";
 *   (await detectSeparation({ X, n, p, columnNames, y })).infinite // { NV: "+Inf" }
 */
export {
  detectSeparation, detectSeparationSync, initSeparation, loadLpSolver, separationReady, SEPARATION_TOLERANCE,
  type LpSolverOptions,
  type SeparationProblem, type SeparationOptions, type SeparationResult, type CoefficientVerdict,
} from "../../src/separation.js";

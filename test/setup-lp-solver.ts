/**
 * The tests import the sources (models/index.ts, …), whose root entry no longer loads
 * HiGHS on import (it bundles for a browser); in Node, `glmkit` (models/entries/node.ts)
 * and the CLI load it first. So do the tests: every fit checks separation exactly.
 */
import { loadLpSolver } from "../src/separation.js";

await loadLpSolver();

/**
 * The tests import the sources (models/index.ts, …), whose root entry no longer loads
 * HiGHS on import (it bundles for a browser); in Node, `glmkit` (models/entries/node.ts)
 * and the CLI load it first. So do the tests: every fit checks separation exactly.
 * A test file that checks the behaviour before the solver is loaded says so in its
 * first lines with the marker comment `@lp-solver-not-preloaded`.
 */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { loadLpSolver } from "../src/separation.js";

const testPath = (expect.getState() as { testPath?: string }).testPath;
const optedOut = testPath !== undefined && readFileSync(testPath, "utf8").slice(0, 2000).includes("@lp-solver-not-preloaded");
if (!optedOut) await loadLpSolver();

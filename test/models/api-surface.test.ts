/**
 * The package's public surface and layering: the root entry and every subpath of
 * package.json `exports` name their exports explicitly (no `export *`), the root
 * carries what a user calls and no internals, a name exported twice is one
 * binding. The layer rules and cycles are checked by scripts/check-deps.mjs
 * (dependency-cruiser), which the test command runs first.
 */
import { describe, it, expect } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import ts from "typescript";
import * as root from "../../models/index.js";
import * as intervals from "../../models/entries/intervals.js";
import * as priors from "../../models/entries/priors.js";
import * as data from "../../models/entries/data.js";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
  exports: Record<string, { types: string; import: string }>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

/** The TypeScript source of a dist path ("./dist/models/index.js" → "models/index.ts"). */
const sourceOf = (distPath: string) => distPath.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts");

describe("entries", () => {
  // Code entries only ("./highs.wasm" is an asset: a plain path).
  const entries = Object.entries(pkg.exports).filter(([, e]) => typeof e === "object");

  it("every subpath has its own index source, and the types sit beside the code", () => {
    expect(entries.map(([k]) => k)).toEqual(expect.arrayContaining([
      ".", "./fit", "./likelihood", "./intervals", "./priors", "./formula", "./separation", "./samplers", "./testing",
    ]));
    for (const [, e] of entries) {
      expect(existsSync(sourceOf(e.import)), e.import).toBe(true);
      expect(e.types).toBe(e.import.replace(/\.js$/, ".d.ts"));
    }
  });

  it("the root entry and the subpaths that models/ owns list every name (no export *)", () => {
    for (const [, e] of entries) {
      const file = sourceOf(e.import);
      if (!file.startsWith("models/")) continue;
      expect(readFileSync(file, "utf8"), file).not.toMatch(/export\s+\*/);
    }
  });

  it("the root carries what a user calls", () => {
    const expected = [
      "glm", "GlmModel", "readCsv", "parseCsv", "anova", "compareIntervals", "formatComparison",
      "GlmFit", "PenalizedFit", "PosteriorFit", "parsePrior", "normal", "studentT", "cauchy", "laplace", "logistic",
      "flat", "jeffreys", "exponential", "halfNormal", "halfStudentT", "gamma",
      "GlmkitError", "DataError", "FormulaError", "FamilyError", "PriorError", "ArgumentError", "NumericalError",
      "makeFamily", "gaussian", "binomial", "quasibinomial", "poisson", "quasipoisson", "Gamma", "inverseGaussian",
      "negativeBinomial", "tweedie", "makeLink", "powerLink",
    ];
    expect(Object.keys(root)).toEqual(expect.arrayContaining(expected));
  });

  it("internals stay out of the root", () => {
    for (const name of ["sharedFloat64", "solveIncreasing", "jsonBound", "irls", "fitMl", "glmLogPosterior", "intervalSets", "priorGradientInto"])
      expect(Object.keys(root), name).not.toContain(name);
  });

  it("a name in two entries is one binding (nothing is shadowed)", () => {
    expect(intervals.compareIntervals).toBe(root.compareIntervals);
    expect(intervals.formatComparison).toBe(root.formatComparison);
    expect(priors.normal).toBe(root.normal);
    expect(data.readCsv).toBe(root.readCsv);
  });
});

describe("dependencies", () => {
  it("fast-check is an optional peer (for glmkit/testing) and a dev dependency; ml-matrix is for tests only", () => {
    expect(pkg.dependencies["fast-check"]).toBeUndefined();
    expect(pkg.peerDependencies?.["fast-check"]).toBeDefined();
    expect(pkg.peerDependenciesMeta?.["fast-check"]?.optional).toBe(true);
    expect(pkg.devDependencies["fast-check"]).toBeDefined();
    expect(pkg.dependencies["ml-matrix"]).toBeUndefined();
    expect(pkg.devDependencies["ml-matrix"]).toBeDefined();
  });
});

/**
 * The package's public surface and layering: the root entry and every subpath of
 * package.json `exports` name their exports explicitly (no `export *`), the root
 * carries what a user calls and no internals, a name exported twice is one
 * binding, and imports follow the layers (src/ and samplers/ never import
 * models/, bin/ or testing/; models/ never imports bin/ or testing/) with no cycles.
 */
import { describe, it, expect } from "vitest";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
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
  const entries = Object.entries(pkg.exports);

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

const LAYERS = ["src", "samplers", "models", "bin", "testing"] as const;
const FORBIDDEN: Record<string, readonly string[]> = {
  src: ["models", "bin", "testing"],
  samplers: ["models", "bin", "testing"],
  models: ["bin", "testing"],
};

function sources(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (p.endsWith(".ts") && !p.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

/** Relative imports (type-only ones included) of every source file, as repository paths. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of LAYERS.flatMap((d) => sources(d))) {
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const deps = info.importedFiles
      .map((im) => im.fileName)
      .filter((name) => name.startsWith("."))
      .map((name) => relative(".", resolve(dirname(file), name)).replace(/\.js$/, ".ts"))
      .filter((p) => existsSync(p));
    graph.set(relative(".", file), deps);
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("layers", () => {
  const graph = importGraph();

  it("imports never run up the layers", () => {
    const violations: string[] = [];
    for (const [file, deps] of graph) {
      const from = file.split("/")[0]!;
      for (const d of deps) if ((FORBIDDEN[from] ?? []).includes(d.split("/")[0]!)) violations.push(`${file} → ${d}`);
    }
    expect(violations).toEqual([]);
  });

  it("there are no import cycles (type-only imports included)", () => {
    expect(cycles(graph)).toEqual([]);
  });
});

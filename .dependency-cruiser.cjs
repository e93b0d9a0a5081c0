/**
 * Layer rules for glmkit, checked by `npm run lint:deps` and, first of all, by `npm test`
 * (scripts/run-tests.mjs → scripts/check-deps.mjs).
 *
 * Layers, bottom up:
 *   foundation  src/errors.ts, src/util/**, src/linalg/**   (imports only the foundation)
 *   samplers/   generic HMC/NUTS                          (samplers + foundation, nothing of the GLMs)
 *   src/        the numerical GLM core                     (never models/, bin/, testing/; of samplers/
 *                                                          only the contract samplers/types.ts, index.ts)
 *   models/     the API layer                              (never bin/, testing/)
 *   testing/, bin/, bench/, scripts/, examples/, test/     (may import anything below them)
 *
 * scripts/check-deps.mjs also applies the `forbidden` rules below to modules that are loaded
 * through `new URL("./x.js", import.meta.url)` (worker entries, loader hooks), which
 * dependency-cruiser itself does not see.
 */

/** The foundation every layer may use: keep this list small and explicit. */
const FOUNDATION = ["^src/errors\\.ts$", "^src/util/", "^src/linalg/"];
/** Project folders (anything else resolved is an npm package or a Node built-in). */
const PROJECT = "^(src|samplers|models|bin|testing|bench|scripts|examples|test)/";

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import cycles (type-only imports included) make the layering meaningless: break the cycle by moving the shared piece down a layer.",
      from: {},
      to: { circular: true },
    },
    {
      name: "foundation-self-contained",
      severity: "error",
      comment: "The foundation (src/errors.ts, src/util/, src/linalg/) may import only the foundation.",
      from: { path: FOUNDATION },
      to: { path: PROJECT, pathNot: FOUNDATION },
    },
    {
      name: "samplers-generic",
      severity: "error",
      comment: "samplers/ is generic HMC/NUTS: it may import samplers/ and the foundation only, nothing of the GLM code.",
      from: { path: "^samplers/" },
      to: { path: PROJECT, pathNot: ["^samplers/", ...FOUNDATION] },
    },
    {
      name: "core-not-above",
      severity: "error",
      comment: "src/ is the numerical core: it must not import the API layer (models/), the CLI (bin/) or glmkit/testing (testing/).",
      from: { path: "^src/" },
      to: { path: "^(models|bin|testing)/" },
    },
    {
      name: "core-samplers-contract-only",
      severity: "error",
      comment: "src/ may use the samplers only through their public contract (samplers/types.ts, samplers/index.ts), never their internals (kernels, parallel machinery, loader hooks).",
      from: { path: "^src/" },
      to: { path: "^samplers/", pathNot: "^samplers/(types|index)\\.ts$" },
    },
    {
      name: "models-not-above",
      severity: "error",
      comment: "models/ is the API layer: it must not import the CLI (bin/) or glmkit/testing (testing/).",
      from: { path: "^models/" },
      to: { path: "^(bin|testing)/" },
    },
    {
      name: "core-no-fast-check",
      severity: "error",
      comment: "fast-check is for property tests (testing/, test/): the numerical core (src/, samplers/) must not load it.",
      from: { path: "^(src|samplers)/" },
      to: { path: "(^|/)node_modules/fast-check/" },
    },
    {
      name: "sql-pure",
      severity: "error",
      comment: "src/sql/ is the engine-independent SQL layer (formula→SQL, dialects, family SQL, the IRLS loop over a SqlRunner): no engine driver, no Node built-in, no DuckDB.",
      from: { path: "^src/sql/" },
      to: { path: ["^src/engines/", "(^|/)node_modules/@duckdb/"] },
    },
    {
      name: "sql-pure-no-node",
      severity: "error",
      comment: "src/sql/ must run anywhere the core runs: no Node built-in modules.",
      from: { path: "^src/sql/" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "duckdb-contained",
      severity: "error",
      comment: "@duckdb/node-api is Node-only: only the driver (src/engines/duckdb/), the benchmark and the tests load it; models/ reaches the driver by dynamic import from models/duckdb.ts only.",
      from: { pathNot: "^(src/engines/duckdb/|bench/|test/)" },
      to: { path: "(^|/)node_modules/@duckdb/" },
    },
    {
      name: "engines-lazy",
      severity: "error",
      comment: "The root entry must not load an engine driver: only models/duckdb.ts (itself imported lazily) may import src/engines/.",
      from: { path: "^(models|src)/", pathNot: "^(models/duckdb\\.ts|src/engines/)" },
      to: { path: "^src/engines/" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import that does not resolve cannot be checked against the rules above.",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^dist/" },
    // Type-only imports are dependencies of the layering too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
  },
};

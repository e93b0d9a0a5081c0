import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    setupFiles: ["test/setup-fast-check.ts", "test/setup-lp-solver.ts"],
    // builds dist/ when stale: the fuzz suites run the CLI binary and the API on worker threads
    globalSetup: ["test/fuzz/build-dist.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

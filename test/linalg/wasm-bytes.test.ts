/**
 * The committed WebAssembly bytes (src/linalg/kernels/wasm-bytes.ts) are what
 * assembly/kernels.ts compiles to: `npm run build:wasm -- --check` passes.
 */
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";

describe("embedded wasm bytes", () => {
  it("are current (scripts/build-wasm.mjs --check)", () => {
    const r = spawnSync(process.execPath, ["scripts/build-wasm.mjs", "--check"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/is current/);
  });
});

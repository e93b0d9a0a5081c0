// The SIMD kernels in headless Chromium (scripts/check-kernels-browser.mjs): they compile
// there and give the plain loops' bits for XᵀWX, XᵀWz, the hat values and the blocked
// binary-logit IRLS rows (fastExp: no host Math.* in the kernel, so wasm there too); and the math
// probe (scripts/check-math-browser.mjs): wasmMathMatchesHost() says false exactly when
// Chromium's Math.exp/log/log1p differ from fdlibm's (they do in Chromium 156), which is
// what keeps the transcendental row steps and the one-call gradient in TypeScript there.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHROMIUM } from "../browser-support/harness.js";

const ROOT = join(import.meta.dirname, "..", "..");
const run = (script: string): string =>
  execFileSync(process.execPath, [join(ROOT, "scripts", script), CHROMIUM], { encoding: "utf8", timeout: 120_000 });

describe("the kernels in Chromium", () => {
  it("the SIMD kernels give the plain loops' bits (XᵀWX, XᵀWz, hat values, the blocked binary-logit rows)", () => {
    const out = run("check-kernels-browser.mjs"); // exits 1 (execFileSync throws) unless the bits agree
    expect(out).toMatch(/"sameBits":true/);
    expect(out).toMatch(/"hatSameBits":true/);
    expect(out).toMatch(/"blockedKinds":\["ts","wasm"\],"blockedSameBits":true/);
  }, 150_000);

  it("the math probe says whether this browser's Math.* are fdlibm's", () => {
    const out = run("check-math-browser.mjs"); // exits 1 unless the probe agrees with a direct comparison
    expect(out).toMatch(/"probe":(true|false)/);
  }, 150_000);
});

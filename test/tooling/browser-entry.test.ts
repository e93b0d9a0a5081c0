/**
 * The root entry (models/index.ts) bundles for a browser with esbuild and with Vite,
 * with no configuration beyond the wasm asset, imports nothing Node-only, and fits in
 * headless Chromium as in R: a gaussian (mtcars) and a logistic (birthwt) model equal
 * to test/reference/glm.json; the logistic fit's separation verdict is `checked: false`
 * with a note before `loadLpSolver()`, exact (`checked: true`) after.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchChromium, serveStatic } from "../browser-support/harness.js";

const ROOT = join(import.meta.dirname, "..", "..");
const reference = JSON.parse(readFileSync(join(ROOT, "test/reference/glm.json"), "utf8")) as {
  id: string; result: { coefficients: { name: string; estimate: number; se: number }[]; deviance: number; aic: number };
}[];
const refOf = (id: string) => reference.find((c) => c.id === id)!.result;

let out: string;
let server: { url: string; close: () => Promise<void> };
let browser: Browser;
let esbuildImports: string[] = [];

function relClose(actual: number, expected: number, tol = 1e-6): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}

/** Static imports, dynamic imports and requires of node: modules in bundled code (outside string literals of worker sources). */
function nodeImports(code: string): string[] {
  return [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["'](node:[a-z_/]+)["']/g)]
    .filter((m) => !/`[^`]*$/.test(code.slice(Math.max(0, m.index - 400), m.index))) // inside a template literal (worker source)
    .map((m) => m[1]!);
}

beforeAll(async () => {
  execFileSync(process.execPath, [join(ROOT, "scripts/highs-browser.mjs")]);
  out = mkdtempSync(join(tmpdir(), "glmkit-browser-"));
  const esbuild = await import("esbuild");
  // esbuild: platform browser, nothing else; the wasm asset copied next to the bundle.
  const r = await esbuild.build({
    entryPoints: [join(ROOT, "models/index.ts")], bundle: true, platform: "browser", format: "esm", minify: true,
    outfile: join(out, "esbuild/glmkit.js"), metafile: true, logLevel: "silent",
  });
  esbuildImports = Object.values(r.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  copyFileSync(join(ROOT, "vendor/highs.wasm"), join(out, "esbuild/highs.wasm"));
  // Vite: a library build of the entry, nothing else (it finds highs.wasm itself, by new URL(…, import.meta.url)).
  const vite = await import("vite");
  await vite.build({
    configFile: false, root: ROOT, logLevel: "silent",
    build: { outDir: join(out, "vite"), emptyOutDir: true, lib: { entry: join(ROOT, "models/index.ts"), formats: ["es"], fileName: "glmkit" } },
  });
  mkdirSync(join(out, "data"), { recursive: true });
  for (const f of ["mtcars.csv", "birthwt.csv"]) copyFileSync(join(ROOT, "data", f), join(out, "data", f));
  writeFileSync(join(out, "index.html"), "<!doctype html><title>glmkit</title>");
  server = await serveStatic(out);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

describe("browser bundles of the root entry", () => {
  it("esbuild: no node: import, no external module", () => {
    expect(esbuildImports).toEqual([]);
    expect(nodeImports(readFileSync(join(out, "esbuild/glmkit.js"), "utf8"))).toEqual([]);
  });

  it("Vite: no node: import", () => {
    const files = readdirSync(join(out, "vite")).filter((f) => f.endsWith(".js"));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(nodeImports(readFileSync(join(out, "vite", f), "utf8"))).toEqual([]);
  });

  for (const bundle of ["esbuild/glmkit.js", "vite/glmkit.js"]) {
    it(`${bundle} fits in Chromium as R does`, async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(server.url);
      // A string, so that vitest's transform does not rewrite import() inside the page's code.
      const got = await page.evaluate(`(async () => {
        const g = await import("/${bundle}");
        const text = async (f) => (await fetch("/data/" + f)).text();
        const mtcars = g.parseCsv(await text("mtcars.csv"));
        const birthwt = g.parseCsv(await text("birthwt.csv"));
        const gaussian = g.glm({ formula: "mpg ~ wt + hp", data: mtcars, family: "gaussian" }).fit().toJSON();
        const spec = { formula: "low ~ age + lwt + race + smoke + ptl + ht + ui", data: birthwt, family: "binomial" };
        const before = g.glm(spec).fit().toJSON().separation;
        const ready = g.separationReady();
        await g.loadLpSolver();
        const logistic = g.glm(spec).fit().toJSON();
        return { gaussian, logistic, before, ready, after: g.separationReady(), hasProcess: typeof globalThis.process };
      })()`) as {
        gaussian: { coefficients: { name: string; estimate: number; se: number }[]; deviance: number; aic: number };
        logistic: { coefficients: { name: string; estimate: number; se: number }[]; deviance: number; aic: number; separation: unknown };
        before: { checked: boolean; note?: string }; ready: boolean; after: boolean; hasProcess: string;
      };
      expect(errors).toEqual([]);
      expect(got.hasProcess).toBe("undefined");
      for (const [fit, id] of [[got.gaussian, "mtcars_gaussian_identity"], [got.logistic, "birthwt_logit"]] as const) {
        const ref = refOf(id);
        expect(fit.coefficients.map((c) => c.name)).toEqual(ref.coefficients.map((c) => c.name));
        fit.coefficients.forEach((c, k) => {
          relClose(c.estimate, ref.coefficients[k]!.estimate);
          relClose(c.se, ref.coefficients[k]!.se);
        });
        relClose(fit.deviance, ref.deviance);
        relClose(fit.aic, ref.aic);
      }
      expect(got.ready).toBe(false);
      expect(got.before.checked).toBe(false);
      expect(got.before.note).toMatch(/loadLpSolver/);
      expect(got.after).toBe(true);
      expect(got.logistic.separation).toMatchObject({ detected: false, checked: true });
      await page.close();
    }, 60_000);
  }
});

describe("the Node entry", () => {
  it("glmkit/node (what `glmkit` is in Node) exports every name of the root entry, the same bindings", async () => {
    const root = await import("../../models/index.js");
    const node = (await import("../../models/entries/node.js")) as Record<string, unknown>;
    for (const [name, value] of Object.entries(root)) expect(node[name], name).toBe(value);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { exports: Record<string, unknown> };
    expect(pkg.exports["."]).toMatchObject({ node: "./dist/models/entries/node.js", import: "./dist/models/index.js" });
    expect(pkg.exports["./highs.wasm"]).toBe("./vendor/highs.wasm");
  });
});

/**
 * The layer checker (scripts/check-deps.mjs, run first by `npm test`) must catch what it
 * exists to catch: a tree with an upward import, an import cycle and a GLM import from the
 * samplers fails with each rule named; the same tree without them passes.
 */
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "glmkit-deps-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(root: string): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, ["scripts/check-deps.mjs"], {
    env: { ...process.env, GLMKIT_DEPS_ROOT: root },
    encoding: "utf8",
  });
  return { status: run.status, out: run.stdout + run.stderr };
}

const clean = {
  "tsconfig.json": JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022" } }),
  "src/errors.ts": "export class E extends Error {}\n",
  "src/fit/solve.ts": 'import { E } from "../errors.js";\nexport const solve = () => new E();\n',
  "samplers/kernel.ts": 'import { E } from "../src/errors.js";\nexport const step = () => new E();\n',
  "models/api.ts": 'import { solve } from "../src/fit/solve.js";\nexport const fit = () => solve();\n',
};

describe("layer checker", () => {
  it("passes a tree that follows the layers", () => {
    const root = tree(clean);
    try {
      const r = check(root);
      expect(r.out).toContain("dependency rules: ok: 0 violations; import cycles: 0");
      expect(r.status).toBe(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("fails on an upward import, a cycle and a GLM import from the samplers, naming each", () => {
    const root = tree({
      ...clean,
      "src/fit/solve.ts": 'import { fit } from "../../models/api.js";\nexport const solve = () => fit;\n',
      "samplers/kernel.ts": 'import { solve } from "../src/fit/solve.js";\nexport const step = () => solve;\n',
    });
    try {
      const r = check(root);
      expect(r.status).toBe(1);
      expect(r.out).toContain("core-not-above: src/fit/solve.ts → models/api.ts");
      expect(r.out).toContain("samplers-generic: samplers/kernel.ts → src/fit/solve.ts");
      expect(r.out).toMatch(/no-circular: (src\/fit\/solve\.ts → models\/api\.ts|models\/api\.ts → src\/fit\/solve\.ts)/);
      expect(r.out).toContain("dependency rules: FAILED");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

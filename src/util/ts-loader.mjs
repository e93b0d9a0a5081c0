// Development-only module hooks for worker threads started from TypeScript sources
// (tests run the .ts files directly); startModuleWorker (worker-pool.ts) registers
// them. They (1) resolve a relative "./x.js" import made from a .ts module to
// "./x.ts" when only the .ts exists, and (2) strip types from .ts modules with
// typescript.transpileModule. The compiled package (dist/) never registers them.
// Uses the "typescript" devDependency.
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

let ts = null;

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (parent && parent.endsWith(".ts") && specifier.endsWith(".js") && (specifier.startsWith("./") || specifier.startsWith("../"))) {
    const url = new URL(specifier, parent);
    if (!existsSync(fileURLToPath(url))) {
      const tsUrl = new URL(url.href.slice(0, -3) + ".ts");
      if (existsSync(fileURLToPath(tsUrl))) return { url: tsUrl.href, shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url.startsWith("file:") && url.endsWith(".ts")) {
    if (ts === null) ts = (await import("typescript")).default;
    const path = fileURLToPath(url);
    const source = await readFile(path, "utf8");
    const out = ts.transpileModule(source, {
      fileName: path,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
    });
    return { format: "module", source: out.outputText, shortCircuit: true };
  }
  return nextLoad(url, context);
}

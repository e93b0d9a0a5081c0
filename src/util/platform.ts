/**
 * What the host offers, looked up at call time so that no module of the root entry
 * imports anything Node-only (it bundles for a browser without shims): Node's
 * built-in modules through `process.getBuiltinModule` (Node ≥ 20.16), environment
 * variables through `globalThis.process?.env`, the number of cores through
 * `os.availableParallelism()` or `navigator.hardwareConcurrency`.
 */

interface ProcessLike {
  env?: Record<string, string | undefined>;
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

function host(): ProcessLike | undefined {
  return (globalThis as { process?: ProcessLike }).process;
}

/** True in Node (not in a browser, nor in a Web Worker). */
export function isNode(): boolean {
  return typeof host()?.versions?.node === "string";
}

/**
 * A Node built-in module (`"node:fs"`, `"node:os"`, …), or null outside Node.
 * @example nodeBuiltin<typeof import("node:os")>("node:os")?.availableParallelism() // 2 on this machine
 */
export function nodeBuiltin<T>(id: string): T | null {
  const p = host();
  if (!isNode() || typeof p?.getBuiltinModule !== "function") return null;
  return (p.getBuiltinModule(id) as T | undefined) ?? null;
}

/** A Node built-in module, or a thrown Error naming what needs Node. */
export function requireNodeBuiltin<T>(id: string, what: string): T {
  const m = nodeBuiltin<T>(id);
  if (m === null) throw new Error(`${what} needs Node (${id}); it is not available in this environment`);
  return m;
}

/** An environment variable, or undefined (always undefined in a browser). */
export function envVar(name: string): string | undefined {
  return host()?.env?.[name];
}

/** Number of logical cores: Node's availableParallelism, the browser's hardwareConcurrency, else 1. */
export function coreCount(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>("node:os");
  if (os !== null) return os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof n === "number" && n >= 1 ? n : 1;
}

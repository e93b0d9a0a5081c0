/** Building a target from a serialisable `TargetFactory` (in any thread). */
import { ArgumentError } from "../../src/errors.js";
import { isNode, nodeBuiltin } from "../../src/util/platform.js";
import type { LogDensity, TargetFactory } from "../types.js";

type Builder = (args: unknown) => LogDensity | Promise<LogDensity>;

/**
 * Builders known by export name, for hosts that cannot import a factory's module by
 * URL (a browser Web Worker running a bundle, where `factory.module` is the bundle's
 * URL): the library's own builders register here when their module loads.
 */
const builders = new Map<string, Builder>();

/** Registers `builder` under `exportName`, used by {@link buildTarget} outside Node. */
export function registerTargetBuilder(exportName: string, builder: Builder): void {
  builders.set(exportName, builder);
}

/** True when `m` is an absolute path (POSIX or Windows). */
function isAbsolutePath(m: string): boolean {
  return m.startsWith("/") || /^[A-Za-z]:[\\/]/.test(m) || m.startsWith("\\\\");
}

/** True when `x` looks like a TargetFactory (has a string `module` and no `logDensityGrad`). */
export function isTargetFactory(x: unknown): x is TargetFactory {
  return typeof x === "object" && x !== null && typeof (x as TargetFactory).module === "string" && typeof (x as LogDensity).logDensityGrad !== "function";
}

/** `file:` URL of a factory's module; throws ArgumentError for a relative path (workers resolve paths differently). */
function factoryModuleUrl(factory: TargetFactory): string {
  const m = factory.module;
  if (m.startsWith("file:")) return m;
  if (isAbsolutePath(m)) {
    const url = nodeBuiltin<typeof import("node:url")>("node:url");
    if (url !== null) return url.pathToFileURL(m).href;
  }
  throw new ArgumentError(`factory.module must be an absolute path or a file: URL, got "${m}"`);
}

/**
 * Imports the factory's module and calls its builder with `args`; checks that the
 * result is a LogDensity and remembers the recipe on it (`factory`).
 */
export async function buildTarget(factory: TargetFactory): Promise<LogDensity> {
  const name = factory.exportName ?? "default";
  const registered = isNode() ? undefined : builders.get(name);
  const builder = registered ?? ((await import(/* @vite-ignore */ factoryModuleUrl(factory))) as Record<string, unknown>)[name];
  if (typeof builder !== "function") throw new ArgumentError(`factory.exportName: module ${factory.module} has no exported function "${name}"`);
  const target = (await (builder as (a: unknown) => LogDensity | Promise<LogDensity>)(factory.args)) as LogDensity;
  if (!target || typeof target.logDensityGrad !== "function" || !Number.isInteger(target.dim)) {
    throw new ArgumentError(`factory: "${name}" of ${factory.module} did not return a LogDensity ({ dim, logDensityGrad })`);
  }
  return target.factory ? target : { dim: target.dim, names: target.names, logDensityGrad: target.logDensityGrad.bind(target), factory };
}

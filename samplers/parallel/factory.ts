/** Building a target from a serialisable `TargetFactory` (in any thread). */
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import { ArgumentError } from "../../src/errors.js";
import type { LogDensity, TargetFactory } from "../types.js";

/** True when `x` looks like a TargetFactory (has a string `module` and no `logDensityGrad`). */
export function isTargetFactory(x: unknown): x is TargetFactory {
  return typeof x === "object" && x !== null && typeof (x as TargetFactory).module === "string" && typeof (x as LogDensity).logDensityGrad !== "function";
}

/** `file:` URL of a factory's module; throws ArgumentError for a relative path (workers resolve paths differently). */
function factoryModuleUrl(factory: TargetFactory): string {
  const m = factory.module;
  if (m.startsWith("file:")) return m;
  if (isAbsolute(m)) return pathToFileURL(m).href;
  throw new ArgumentError(`factory.module must be an absolute path or a file: URL, got "${m}"`);
}

/**
 * Imports the factory's module and calls its builder with `args`; checks that the
 * result is a LogDensity and remembers the recipe on it (`factory`).
 */
export async function buildTarget(factory: TargetFactory): Promise<LogDensity> {
  const mod = (await import(factoryModuleUrl(factory))) as Record<string, unknown>;
  const name = factory.exportName ?? "default";
  const builder = mod[name];
  if (typeof builder !== "function") throw new ArgumentError(`factory.exportName: module ${factory.module} has no exported function "${name}"`);
  const target = (await (builder as (a: unknown) => LogDensity | Promise<LogDensity>)(factory.args)) as LogDensity;
  if (!target || typeof target.logDensityGrad !== "function" || !Number.isInteger(target.dim)) {
    throw new ArgumentError(`factory: "${name}" of ${factory.module} did not return a LogDensity ({ dim, logDensityGrad })`);
  }
  return target.factory ? target : { dim: target.dim, names: target.names, logDensityGrad: target.logDensityGrad.bind(target), factory };
}

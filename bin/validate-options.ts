/**
 * Checks of the `glmkit fit` flags: each numeric flag in its range, flags that do
 * not apply to the method, flags given twice. The errors name the flag; ranges are
 * those of the API (models/validate-spec.ts) and of R where R has one
 * (glm.control: "value of 'epsilon' must be > 0", "maximum number of iterations must be > 0").
 */
import { MAX_CHAINS, MAX_ITERATIONS, MAX_MAXIT, MAX_SEED, SEPARATION_CHECKS, checkDrawsMemory } from "../models/validate-spec.js";
import { samplerDefaults } from "../models/posterior.js";

/** A misuse of the command line (exit code 2). */
export class UsageError extends Error {}

/** The flag's value as a finite number. */
export function numberFlag(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === "" || !Number.isFinite(x)) throw new UsageError(`--${name} must be a number, got "${v}"`);
  return x;
}

/** The flag's value as an integer in [min, max]. */
export function integerFlag(name: string, v: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const x = numberFlag(name, v);
  if (x === undefined) return undefined;
  if (!Number.isInteger(x) || x < min || x > max) throw new UsageError(`--${name} must be an integer in [${min}, ${max}], got "${v}"`);
  return x;
}

/** A number > 0 (R: "value of 'epsilon' must be > 0"). */
function positiveFlag(name: string, v: string | undefined): number | undefined {
  const x = numberFlag(name, v);
  if (x !== undefined && !(x > 0)) throw new UsageError(`--${name} must be > 0, got "${v}"`);
  return x;
}

/** A number strictly inside (0, 1). */
function unitFlag(name: string, v: string | undefined): number | undefined {
  const x = numberFlag(name, v);
  if (x !== undefined && !(x > 0 && x < 1)) throw new UsageError(`--${name} must be in (0, 1), got "${v}"`);
  return x;
}

/** The sampler's counts (defaults as Stan's), each in range. */
export interface SamplerCounts {
  chains: number;
  warmup: number;
  draws: number;
  seed: number;
  adaptDelta: number | undefined;
  maxTreeDepth: number | undefined;
  /** --metric diag|dense (undefined: the API's default, diag). */
  metric: "diag" | "dense" | undefined;
  /** --reparameterize laplace|qr|center|none (undefined: the API's default, laplace). */
  reparameterize: "laplace" | "qr" | "center" | "none" | undefined;
  /** --adapt stan|nutpie, the warmup algorithm (the API's default when absent; --warmup's default follows it). */
  adaptation: "stan" | "nutpie";
}

/** A flag whose value is one of `choices`, or undefined when absent. */
function choiceFlag<T extends string>(name: string, v: string | undefined, choices: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${choices.join(", ")}, got "${v}"`);
  return v as T;
}

type Values = Record<string, string | readonly string[] | boolean | undefined>;

/** The sampler flags checked: counts, seed (the samplers take [0, 2^53 − 1]), --adapt-delta in (0, 1), --max-treedepth in [1, 30], --metric, --reparameterize, --adapt. */
export function samplerFlags(values: Values): SamplerCounts {
  const s = (k: string) => values[k] as string | undefined;
  const metric = choiceFlag("metric", s("metric"), ["diag", "dense"] as const);
  const adapt = choiceFlag("adapt", s("adapt"), ["stan", "nutpie"] as const);
  if (adapt === "nutpie" && metric === "dense") throw new UsageError(`--adapt nutpie estimates a diagonal metric only: use --metric diag, or --adapt stan with --metric dense`);
  const defaults = samplerDefaults({ ...(adapt ? { adaptation: adapt } : {}), ...(metric ? { metric } : {}) });
  return {
    chains: integerFlag("chains", s("chains"), 1, MAX_CHAINS) ?? 4,
    warmup: integerFlag("warmup", s("warmup"), 0, MAX_ITERATIONS) ?? defaults.warmup,
    draws: integerFlag("draws", s("draws"), 1, MAX_ITERATIONS) ?? 1000,
    seed: integerFlag("seed", s("seed"), 0, MAX_SEED) ?? 1,
    adaptDelta: unitFlag("adapt-delta", s("adapt-delta")),
    maxTreeDepth: integerFlag("max-treedepth", s("max-treedepth"), 1, 30),
    metric,
    reparameterize: choiceFlag("reparameterize", s("reparameterize"), ["laplace", "qr", "center", "none"] as const),
    adaptation: defaults.adaptation,
  };
}

/** Throws before sampling when the draws of `dim` parameters would take more than 2 GiB. */
export function checkSamplerMemory(c: SamplerCounts, dim: number): void {
  checkDrawsMemory(c.chains, c.warmup, c.draws, dim, false, { chains: "--chains", warmup: "--warmup", draws: "--draws" });
}

const ITERATIVE = ["mle", "firth", "map", "laplace"];

/** Checks the numeric flags and the flags that do not apply to the method (before the data are read). */
export function checkOptionFlags(values: Values, method: string): void {
  const s = (k: string) => values[k] as string | undefined;
  samplerFlags(values);
  unitFlag("level", s("level"));
  integerFlag("maxit", s("maxit"), 1, MAX_MAXIT);
  positiveFlag("epsilon", s("epsilon"));
  positiveFlag("theta", s("theta"));
  const power = numberFlag("power", s("power"));
  if (power !== undefined && power !== 0 && power < 1) throw new UsageError(`--power (the Tweedie variance power) must be 0 or >= 1, got "${s("power")}"`);
  if (values.maxit !== undefined && !ITERATIVE.includes(method)) throw new UsageError(`--maxit applies to --method mle, firth, map and laplace (got --method ${method})`);
  if (values.epsilon !== undefined && method !== "mle" && method !== "firth")
    throw new UsageError(`--epsilon applies to --method mle and firth (got --method ${method}${method === "map" || method === "laplace" ? "; its tolerance is fixed" : ""})`);
  if (values.autoscale !== undefined && !["map", "laplace", "nuts"].includes(method))
    throw new UsageError(`--autoscale scales the priors and applies to --method map, laplace and nuts (got --method ${method})`);
  const sep = s("separation");
  if (sep !== undefined) {
    if (!(SEPARATION_CHECKS as readonly string[]).includes(sep)) throw new UsageError(`--separation must be one of ${SEPARATION_CHECKS.join(", ")}; got "${sep}"`);
    if (method !== "mle") throw new UsageError(`--separation applies to --method mle (got --method ${method})`);
  }
}

/** Flags given twice (parseArgs keeps the last silently): a usage error naming the flag. */
export function checkRepeatedFlags(argv: readonly string[], known: readonly string[]): void {
  const seen = new Set<string>();
  for (const arg of argv) {
    if (arg === "--") break;
    const m = /^--([^=]+)/.exec(arg);
    const name = m ? m[1]! : arg === "-f" ? "formula" : null;
    if (name === null || !known.includes(name)) continue;
    if (seen.has(name)) throw new UsageError(`--${name} is given twice; give it once`);
    seen.add(name);
  }
}

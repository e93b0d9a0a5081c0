/**
 * Posterior draws as JSON (write and read), all chains in one document:
 *   { "format": "glmkit-draws", "version": 1, "chains": [ { "chain", "names", "metric",
 *     "stepsize", "inv_metric", "lp__", "sampler": { accept_stat__: [...], ... },
 *     "draws": [[row of dim values], ...], "warmup"?: { lp__, sampler, draws }, "config"?, "seconds"? } ] }
 * Finite numbers are written by JSON.stringify, which uses the shortest round-trip decimal
 * form, so they read back exactly; NaN, ±Infinity and −0 (which JSON cannot hold) are the
 * strings "NaN", "Infinity", "-Infinity" and "-0".
 */
import { ArgumentError, DataError } from "../../src/errors.js";
import { SAMPLER_PARAM_NAMES, type SamplerParams } from "../chain.js";
import { drawCount, type DrawsChain } from "./draws.js";

type JsonNumber = number | string;

function enc(x: number): JsonNumber {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (x === 0 && Object.is(x, -0)) return "-0";
  return x;
}

function dec(v: unknown, where: string): number {
  if (typeof v === "number") return v;
  switch (v) {
    case "NaN": return Number.NaN;
    case "Infinity": return Infinity;
    case "-Infinity": return -Infinity;
    case "-0": return -0;
  }
  throw new DataError(`${where}: ${JSON.stringify(v)} is not a number`);
}

const encArray = (a: Float64Array): JsonNumber[] => Array.from(a, enc);

function decArray(v: unknown, where: string): Float64Array {
  if (!Array.isArray(v)) throw new DataError(`${where} must be an array`);
  return Float64Array.from(v, (x, j) => dec(x, `${where}[${j}]`));
}

function encRows(draws: Float64Array, dim: number): JsonNumber[][] {
  return Array.from({ length: draws.length / dim }, (_, s) => encArray(draws.subarray(s * dim, (s + 1) * dim)));
}

function decRows(v: unknown, dim: number, where: string): Float64Array {
  if (!Array.isArray(v)) throw new DataError(`${where} must be an array of rows`);
  const out = new Float64Array(v.length * dim);
  v.forEach((row, s) => {
    if (!Array.isArray(row) || row.length !== dim) throw new DataError(`${where}[${s}] must have ${dim} values`);
    row.forEach((x, j) => (out[s * dim + j] = dec(x, `${where}[${s}][${j}]`)));
  });
  return out;
}

const encSampler = (p: SamplerParams) => Object.fromEntries(SAMPLER_PARAM_NAMES.map((k) => [k, encArray(p[k])]));

function decSampler(v: unknown, where: string): SamplerParams {
  if (v === null || typeof v !== "object") throw new DataError(`${where} must be an object`);
  const o = v as Record<string, unknown>;
  return Object.fromEntries(SAMPLER_PARAM_NAMES.map((k) => [k, decArray(o[k], `${where}.${k}`)])) as unknown as SamplerParams;
}

/**
 * All chains as one JSON document (see the module comment).
 * @example JSON.parse(writeDrawsJson(chains)).chains[0].stepsize
 */
export function writeDrawsJson(chains: readonly DrawsChain[]): string {
  if (!Array.isArray(chains) || chains.length === 0) throw new ArgumentError("writeDrawsJson needs a non-empty array of chains");
  const out = chains.map((c) => {
    drawCount(c);
    const dim = c.names.length;
    return {
      chain: c.chain, names: c.names, metric: c.metric, stepsize: enc(c.stepSize), inv_metric: encArray(c.invMetric),
      lp__: encArray(c.lp), sampler: encSampler(c.sampler), draws: encRows(c.draws, dim),
      ...(c.warmup ? { warmup: { lp__: encArray(c.warmup.lp), sampler: encSampler(c.warmup.sampler), draws: encRows(c.warmup.draws, dim) } } : {}),
      ...(c.config ? { config: c.config } : {}),
      ...(c.seconds ? { seconds: c.seconds } : {}),
    };
  });
  return JSON.stringify({ format: "glmkit-draws", version: 1, chains: out });
}

/**
 * Reads writeDrawsJson's document back (the same doubles).
 * @example readDrawsJson(writeDrawsJson(chains))[0].draws
 */
export function readDrawsJson(text: string): DrawsChain[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new DataError(`draws JSON does not parse: ${(e as Error).message}`);
  }
  const d = doc as { format?: unknown; version?: unknown; chains?: unknown };
  if (d === null || typeof d !== "object" || d.format !== "glmkit-draws") throw new DataError('not a glmkit draws document (format must be "glmkit-draws")');
  if (d.version !== 1) throw new DataError(`unsupported draws document version ${String(d.version)}`);
  if (!Array.isArray(d.chains)) throw new DataError("chains must be an array");
  return d.chains.map((raw, k) => {
    const c = raw as Record<string, unknown>;
    const where = `chains[${k}]`;
    if (!Array.isArray(c.names) || !c.names.every((x) => typeof x === "string")) throw new DataError(`${where}.names must be an array of strings`);
    const names = c.names as string[];
    const chain: DrawsChain = {
      chain: dec(c.chain, `${where}.chain`), names, metric: c.metric === "dense" ? "dense" : "diag",
      stepSize: dec(c.stepsize, `${where}.stepsize`), invMetric: decArray(c.inv_metric, `${where}.inv_metric`),
      lp: decArray(c.lp__, `${where}.lp__`), sampler: decSampler(c.sampler, `${where}.sampler`),
      draws: decRows(c.draws, names.length, `${where}.draws`),
    };
    const w = c.warmup as Record<string, unknown> | undefined;
    if (w) chain.warmup = { lp: decArray(w.lp__, `${where}.warmup.lp__`), sampler: decSampler(w.sampler, `${where}.warmup.sampler`), draws: decRows(w.draws, names.length, `${where}.warmup.draws`) };
    if (c.config) chain.config = c.config as DrawsChain["config"];
    if (c.seconds) chain.seconds = c.seconds as DrawsChain["seconds"];
    drawCount(chain);
    return chain;
  });
}

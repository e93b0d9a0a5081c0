/**
 * Reading a CmdStan-style CSV (cmdstan-csv.ts's format, and CmdStan's own output of the
 * NUTS sampler) back into a DrawsChain: the configuration comments as a dotted-path map,
 * the column names, warmup rows (before "# Adaptation terminated"), the step size, the
 * diagonal or dense inverse metric, the sampling rows and the elapsed times.
 */
import { ArgumentError, DataError } from "../../src/errors.js";
import { SAMPLER_PARAM_NAMES, type SamplerParams } from "../chain.js";
import { parseNumber } from "./numbers.js";
import type { DrawsChain } from "./draws.js";

/** A chain read back, with every configuration entry of the header. */
export interface CmdStanCsv extends DrawsChain {
  /** Header comments as dotted paths ("method.sample.adapt.delta" → "0.8"), " (Default)" removed. */
  header: Record<string, string>;
}

/** Splits a CSV header line, honouring RFC 4180 quotes. */
function splitHeader(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") out.push(cur), (cur = "");
    else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

/** Parses the indented "key = value" comments before the column line. */
function parseHeader(comments: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  const stack: string[] = [];
  for (const raw of comments) {
    const body = raw.replace(/^#/, "").replace(/^ /, "");
    if (body.trim() === "") continue;
    const indent = Math.floor((body.length - body.trimStart().length) / 2);
    const content = body.trim();
    const eq = content.indexOf(" = ");
    const key = eq >= 0 ? content.slice(0, eq).trim() : content;
    stack.length = indent;
    stack[indent] = key;
    if (eq >= 0) map[stack.join(".")] = content.slice(eq + 3).replace(/ \(Default\)$/, "").trim();
  }
  return map;
}

/** The value of the header entry whose last path segment is `key`. */
function lookup(map: Record<string, string>, key: string): string | undefined {
  for (const k of Object.keys(map)) if (k === key || k.endsWith(`.${key}`)) return map[k];
  return undefined;
}

interface Block {
  rows: number[][];
}

function toChainArrays(block: Block, dim: number, lead: number): { draws: Float64Array; lp: Float64Array; sampler: SamplerParams } {
  const S = block.rows.length;
  const draws = new Float64Array(S * dim);
  const lp = new Float64Array(S);
  const cols = Object.fromEntries(SAMPLER_PARAM_NAMES.map((k) => [k, new Float64Array(S)])) as unknown as SamplerParams;
  block.rows.forEach((r, s) => {
    lp[s] = r[0]!;
    SAMPLER_PARAM_NAMES.forEach((k, j) => (cols[k][s] = r[j + 1]!));
    for (let j = 0; j < dim; j++) draws[s * dim + j] = r[lead + j]!;
  });
  return { draws, lp, sampler: cols };
}

/** Reads the adaptation comments (step size, inverse metric) from the lines after "Adaptation terminated". */
function adaptation(lines: string[], dim: number): { stepSize: number; invMetric: Float64Array; metric: "diag" | "dense" } {
  let stepSize = Number.NaN;
  let metric: "diag" | "dense" = "diag";
  const values: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.replace(/^#\s*/, "");
    const m = /^Step size = (.*)$/.exec(l);
    if (m) stepSize = parseNumber(m[1]!, "Step size");
    const diag = l.startsWith("Diagonal elements of inverse mass matrix:");
    const dense = !diag && l.startsWith("Elements of inverse mass matrix:");
    if (diag || dense) {
      metric = diag ? "diag" : "dense";
      const rows = diag ? 1 : dim;
      for (let r = 1; r <= rows; r++) {
        const row = (lines[i + r] ?? "").replace(/^#\s*/, "");
        values.push(...row.split(",").map((v) => parseNumber(v, "inverse metric")));
      }
    }
  }
  return { stepSize, invMetric: Float64Array.from(values), metric };
}

/**
 * Parses one CmdStan-style CSV string (see cmdstan-csv.ts). Throws DataError naming the
 * line when a row has the wrong number of cells or a cell is not a number.
 * @example readCmdStanCsv(writeCmdStanCsv(chain)).draws // the same doubles
 */
export function readCmdStanCsv(text: string): CmdStanCsv {
  if (typeof text !== "string") throw new ArgumentError("readCmdStanCsv needs the file's text");
  const lines = text.split(/\r?\n/);
  const headerComments: string[] = [];
  let i = 0;
  for (; i < lines.length && lines[i]!.startsWith("#"); i++) headerComments.push(lines[i]!);
  if (i >= lines.length || lines[i]!.trim() === "") throw new DataError("no column header line found");
  const columns = splitHeader(lines[i]!);
  const lead = columns.indexOf("energy__") + 1;
  if (columns[0] !== "lp__" || lead !== 7) throw new DataError(`the first columns must be lp__, ${SAMPLER_PARAM_NAMES.join(", ")}; got ${columns.slice(0, 7).join(", ")}`);
  const names = columns.slice(lead);
  const warm: Block = { rows: [] };
  const main: Block = { rows: [] };
  let current = warm;
  let adaptStart = -1;
  const seconds: number[] = [];
  for (i = i + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("#")) {
      if (/Adaptation terminated/.test(line)) (current = main), (adaptStart = i);
      const t = /(\S+) seconds \((Warm-up|Sampling)\)/.exec(line);
      if (t) seconds.push(parseNumber(t[1]!, `line ${i + 1}`));
      continue;
    }
    if (line.trim() === "") continue;
    const cells = line.split(",");
    if (cells.length !== columns.length) throw new DataError(`line ${i + 1} has ${cells.length} values, the header has ${columns.length}`, { row: i + 1 });
    current.rows.push(cells.map((c, j) => parseNumber(c, `line ${i + 1}, column ${columns[j]}`)));
  }
  // Without an "Adaptation terminated" line (no adaptation) every row is a sampling row.
  const sampling = adaptStart < 0 ? warm : main;
  const warmup = adaptStart < 0 || warm.rows.length === 0 ? undefined : toChainArrays(warm, names.length, lead);
  const ad = adaptStart < 0 ? { stepSize: Number.NaN, invMetric: new Float64Array(0), metric: "diag" as const } : adaptation(lines.slice(adaptStart), names.length);
  const header = parseHeader(headerComments);
  const num = (k: string): number | undefined => {
    const v = lookup(header, k);
    return v === undefined || v === "-1" ? undefined : Number(v);
  };
  return {
    chain: num("id") ?? 1,
    names,
    ...toChainArrays(sampling, names.length, lead),
    stepSize: ad.stepSize,
    invMetric: ad.invMetric,
    metric: ad.metric,
    ...(warmup ? { warmup } : {}),
    config: {
      warmup: num("num_warmup"), draws: num("num_samples"), thin: num("thin"), adaptDelta: num("delta"),
      maxTreeDepth: num("max_depth"), seed: num("seed"), model: lookup(header, "model"),
    },
    ...(seconds.length >= 2 ? { seconds: { warmup: seconds[0]!, sampling: seconds[1]! } } : {}),
    header,
  };
}

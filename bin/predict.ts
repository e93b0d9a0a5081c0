/**
 * `glmkit predict MODEL.json NEW.csv [--type link|response] [--se]
 * [--interval confidence|prediction] [--level 0.95] [--json|--csv]`: predictions
 * of a model saved by `glmkit fit … --save MODEL.json` (models/saved-model.ts).
 * One output row per row of NEW.csv; rows with a missing value in a variable the
 * model uses are NA (null in JSON), as R's predict with na.exclude.
 */
import { readFileSync } from "node:fs";
import { ArgumentError } from "../src/errors.js";
import { formatR } from "../src/families/rmath.js";
import type { DataTable } from "../src/data/index.js";
import { loadModel, type SavedPrediction, type SavedPredictOptions } from "../models/saved-model.js";
import { isSavedMultinomial, type SavedMultinomialJson } from "../models/multinomial-saved.js";
import { runMultinomialPredict } from "./multinomial.js";

export const PREDICT_OPTIONS = {
  type: { type: "string" },
  se: { type: "boolean" },
  interval: { type: "string" },
  level: { type: "string" },
  json: { type: "boolean" },
  csv: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export interface PredictValues {
  type?: string;
  se?: boolean;
  interval?: string;
  level?: string;
  json?: boolean;
  csv?: boolean;
}

/** The checked predict flags as SavedModel.predict options. */
export function predictOptions(values: PredictValues): SavedPredictOptions {
  const type = values.type ?? "link";
  if (type !== "link" && type !== "response") throw new ArgumentError(`--type must be link or response, got "${type}"`);
  const interval = values.interval ?? "none";
  if (interval !== "none" && interval !== "confidence" && interval !== "prediction")
    throw new ArgumentError(`--interval must be confidence or prediction, got "${interval}"`);
  let level: number | undefined;
  if (values.level !== undefined) {
    level = Number(values.level);
    if (values.level.trim() === "" || !(level > 0 && level < 1)) throw new ArgumentError(`--level must be a number strictly between 0 and 1, got "${values.level}"`);
    if (interval === "none") throw new ArgumentError("--level applies to --interval");
  }
  if (values.json && values.csv) throw new ArgumentError("give --json or --csv, not both");
  return { type, se: values.se === true, interval, level };
}

/** The saved model file when it holds a multinomial model (bin/multinomial.ts predicts it), else null. */
function savedMultinomial(path: string): SavedMultinomialJson | null {
  let obj: unknown;
  try { obj = JSON.parse(readFileSync(path, "utf8")); } catch { return null; } // readSavedModel reports the error
  return isSavedMultinomial(obj) ? obj : null;
}

/** Reads the saved model file (errors name the file). */
export function readSavedModel(path: string) {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ArgumentError(`cannot read the saved model "${path}": ${(e as Error).message}`);
  }
  return loadModel(text);
}

type Column = "fit" | "se_fit" | "lower" | "upper";
const COLUMNS: readonly Column[] = ["fit", "se_fit", "lower", "upper"];

/** Each output column over all rows of the new data (null where a row was dropped or the value not asked for). */
function byRow(pred: SavedPrediction): Record<Column, (number | null)[]> {
  const nrow = pred.rows.length + pred.naDropped;
  const src: Record<Column, Float64Array | null> = { fit: pred.fit, se_fit: pred.se, lower: pred.lower, upper: pred.upper };
  const out = {} as Record<Column, (number | null)[]>;
  for (const c of COLUMNS) {
    const col: (number | null)[] = new Array(nrow).fill(null);
    const v = src[c];
    if (v) pred.rows.forEach((r, k) => { col[r] = v[k]!; });
    out[c] = col;
  }
  return out;
}

/** The output of `glmkit predict`: text table, CSV (fit, se_fit, lower, upper) or JSON. */
export function formatPrediction(pred: SavedPrediction, opts: SavedPredictOptions, format: "text" | "csv" | "json"): string {
  const cols = byRow(pred);
  const nrow = cols.fit.length;
  if (format === "json") {
    return JSON.stringify({
      type: opts.type ?? "link", interval: opts.interval ?? "none",
      level: opts.interval && opts.interval !== "none" ? (opts.level ?? 0.95) : null,
      n: nrow, na_dropped: pred.naDropped, warnings: pred.warnings,
      fit: cols.fit, se_fit: pred.se ? cols.se_fit : null,
      lower: pred.lower ? cols.lower : null, upper: pred.upper ? cols.upper : null,
    }, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? (Number.isNaN(v) ? null : v > 0 ? "Infinity" : "-Infinity") : v), 2);
  }
  if (format === "csv") {
    const cell = (x: number | null): string => (x === null ? "NA" : Number.isNaN(x) ? "NaN" : Number.isFinite(x) ? String(x) : x > 0 ? "Inf" : "-Inf");
    const lines = ["fit,se_fit,lower,upper"];
    for (let i = 0; i < nrow; i++) lines.push(COLUMNS.map((c) => cell(cols[c][i]!)).join(","));
    return lines.join("\n");
  }
  const shown: Column[] = ["fit", ...(pred.se ? (["se_fit"] as Column[]) : []), ...(pred.lower ? (["lower", "upper"] as Column[]) : [])];
  const table = [["", ...shown], ...Array.from({ length: nrow }, (_, i) => [String(i + 1), ...shown.map((c) => { const x = cols[c][i]!; return x === null ? "NA" : formatR(x, 7); })])];
  const width = table[0]!.map((_, j) => Math.max(...table.map((r) => r[j]!.length)));
  const text = table.map((r) => r.map((x, j) => x.padStart(width[j]!)).join(" ")).join("\n");
  return pred.warnings.length > 0 ? `${text}\n\nWarnings:\n${pred.warnings.map((w) => `  ${w}`).join("\n")}` : text;
}

/** Runs `glmkit predict` on parsed flags; `readData` reads NEW.csv (or standard input for "-"). */
export function runPredict(positionals: string[], values: PredictValues, readData: (path: string) => DataTable): string {
  if (positionals.length !== 2) throw new ArgumentError(`predict takes a saved model and a data file: glmkit predict MODEL.json NEW.csv (got ${positionals.length} arguments)`);
  const multinomial = savedMultinomial(positionals[0]!);
  if (multinomial) return runMultinomialPredict(multinomial, values, readData(positionals[1]!));
  const opts = predictOptions(values);
  const model = readSavedModel(positionals[0]!);
  const pred = model.predict(readData(positionals[1]!), opts);
  return formatPrediction(pred, opts, values.json ? "json" : values.csv ? "csv" : "text");
}

/**
 * The thin node:fs layer over the pure draws writers and readers: one CmdStan-style CSV
 * file per chain (CmdStan's naming, PREFIX_1.csv, PREFIX_2.csv, …) and one JSON file.
 * Everything else in samplers/io is free of Node APIs (browser-clean).
 */
import { requireNodeBuiltin } from "../../src/util/platform.js";
import { ArgumentError } from "../../src/errors.js";
import { readCmdStanCsv, writeCmdStanCsv, type CmdStanCsv } from "./cmdstan-csv.js";
import { readDrawsJson, writeDrawsJson } from "./draws-json.js";
import type { DrawsChain } from "./draws.js";

type Fs = typeof import("node:fs");
const readFileSync = (path: string, enc: "utf8"): string => requireNodeBuiltin<Fs>("node:fs", "reading draws files").readFileSync(path, enc);
const writeFileSync = (path: string, text: string, enc: "utf8"): void => requireNodeBuiltin<Fs>("node:fs", "writing draws files").writeFileSync(path, text, enc);

/**
 * Writes PREFIX_k.csv for each chain k (its `chain` id) and returns the paths.
 * @example writeCmdStanCsvFiles("out/birthwt", chains) // ["out/birthwt_1.csv", …]
 */
export function writeCmdStanCsvFiles(prefix: string, chains: readonly DrawsChain[]): string[] {
  if (typeof prefix !== "string" || prefix === "") throw new ArgumentError("prefix must be a non-empty path prefix");
  return chains.map((c) => {
    const path = `${prefix}_${c.chain}.csv`;
    writeFileSync(path, writeCmdStanCsv(c), "utf8");
    return path;
  });
}

/** Reads CmdStan-style CSV files, one chain each. */
export function readCmdStanCsvFiles(paths: readonly string[]): CmdStanCsv[] {
  return paths.map((p) => readCmdStanCsv(readFileSync(p, "utf8")));
}

/** Writes all chains to one JSON file. */
export function writeDrawsJsonFile(path: string, chains: readonly DrawsChain[]): void {
  writeFileSync(path, writeDrawsJson(chains), "utf8");
}

/** Reads a JSON draws file. */
export function readDrawsJsonFile(path: string): DrawsChain[] {
  return readDrawsJson(readFileSync(path, "utf8"));
}

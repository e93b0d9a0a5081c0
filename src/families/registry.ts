/**
 * The names `makeFamily` knows: each family file exports a `FamilyEntry` (its names and
 * how to build it from makeFamily's options), src/families/index.ts registers the
 * built-in entries in the order its error message lists them, and `registerFamily`
 * adds a family defined elsewhere (see docs/adding-a-family.md).
 */
import { ArgumentError } from "../errors.js";
import type { Family } from "../types.js";
import type { LinkSpec } from "./shared.js";

/** Options of `makeFamily`. */
export interface FamilyOptions {
  /** Link name, "power(λ)" or a Link; the family's default (R's) when absent. */
  link?: LinkSpec;
  /** θ of the negative binomial family (required: the θ-estimating fit lives elsewhere). */
  theta?: number;
  /** Variance power of the Tweedie family (required). */
  power?: number;
}

/** How `makeFamily` finds and builds one family. */
export interface FamilyEntry {
  /** The names makeFamily lists in its error message (case-insensitive). */
  readonly names: readonly string[];
  /** Further names it accepts without listing them. */
  readonly aliases?: readonly string[];
  /** The option beyond `link` that the family takes; makeFamily refuses it for every other family. */
  readonly takes?: "theta" | "power";
  /** Builds the family; throws a FamilyError when a required option is missing. */
  build(opts: FamilyOptions): Family;
}

const ENTRIES = new Map<string, FamilyEntry>();
const LISTED: string[] = [];

const keyOf = (name: string): string => name.trim().toLowerCase();

/**
 * Makes `makeFamily` accept the entry's names and aliases (case-insensitive). A name
 * that is already registered throws an ArgumentError.
 * @example registerFamily({ names: ["mypoisson"], build: (o) => myPoisson(o.link) })
 */
export function registerFamily(entry: FamilyEntry): void {
  const keys = [...entry.names, ...(entry.aliases ?? [])].map(keyOf);
  for (const k of keys) if (ENTRIES.has(k)) throw new ArgumentError(`family name "${k}" is already registered`);
  for (const k of keys) ENTRIES.set(k, entry);
  LISTED.push(...entry.names);
}

/** The entry registered under `name` (case-insensitive), if any. */
export function findFamily(name: string): FamilyEntry | undefined {
  return ENTRIES.get(keyOf(name));
}

/** The listed names of every registered family, in registration order. */
export function familyNames(): readonly string[] {
  return LISTED.slice();
}

/**
 * Ordering of factor levels as R orders them with `sort()` / `factor()` in an
 * en_US.UTF-8 locale (ICU/glibc collation: case-insensitive first, lower case
 * before upper case on ties, punctuation before digits before letters).
 * Checked against R 4.2 in test/data/data.test.ts.
 */

const collator = new Intl.Collator("en-US");

/**
 * Compares two level names: en-US collation, then code units so that distinct
 * strings the collator calls equal still get a fixed order.
 * @example compareLevels("a", "B") // < 0
 */
export function compareLevels(a: string, b: string): number {
  const c = collator.compare(a, b);
  if (c !== 0) return c;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The distinct strings of `values` (nulls skipped) sorted by {@link compareLevels}.
 * @example sortedLevels(["b", "A", "a", null]) // ["a", "A", "b"]
 */
export function sortedLevels(values: Iterable<string | null>): string[] {
  const seen = new Set<string>();
  for (const v of values) if (v !== null) seen.add(v);
  return Array.from(seen).sort(compareLevels);
}

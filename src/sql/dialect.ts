/**
 * The SQL dialects the formula→SQL translation and the IRLS aggregates are written
 * in. Everything engine-specific in the generated text goes through one of these
 * records: identifier and string quoting, number literals (17 significant digits,
 * so that β round-trips exactly), the data source, and the few functions whose
 * names differ. DuckDB is the dialect that is run and tested; Spark SQL is
 * generated and checked against golden query text (test/engines/dialect.test.ts).
 *
 * References: DuckDB SQL (duckdb.org/docs/sql), Spark SQL built-in functions
 * (spark.apache.org/docs/latest/api/sql).
 */
import { ArgumentError } from "../errors.js";

/** Where the rows come from: a Parquet or CSV file, or a query (a table name is `SELECT * FROM t`). */
export type SqlSource =
  | { readonly kind: "parquet"; readonly path: string }
  | { readonly kind: "csv"; readonly path: string }
  | { readonly kind: "query"; readonly sql: string };

export interface SqlDialect {
  readonly name: "duckdb" | "spark";
  /** A quoted identifier. */
  ident(name: string): string;
  /** A quoted string literal. */
  str(value: string): string;
  /** A DOUBLE literal that reads back as exactly `x` (NaN and ±Infinity included). */
  num(x: number): string;
  /** The FROM item of a source. */
  from(source: SqlSource): string;
  /** Natural logarithm (callers guard the argument: DuckDB raises an error on ln(0)). */
  ln(x: string): string;
  /** Rounding half to even (R's round of a count in the binomial aic). */
  roundEven(x: string): string;
  /** log Γ(x) for x ≥ 1 (the AIC constants of count families: x = count + 1), null when it cannot be written. */
  readonly lgamma: ((x: string) => string) | null;
  /** Whether x is NaN. */
  isNan(x: string): string;
  /** The expression cast to DOUBLE. */
  double(x: string): string;
}

/** The shortest decimal that reads back as exactly x (JavaScript's Number→string is round-trip exact). */
function numberText(x: number, nan: string, posInf: string, negInf: string): string {
  if (Number.isNaN(x)) return nan;
  if (x === Infinity) return posInf;
  if (x === -Infinity) return negInf;
  return String(x);
}

const quoteString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** DuckDB (the embedded engine of @duckdb/node-api). */
export const duckdbDialect: SqlDialect = Object.freeze({
  name: "duckdb",
  ident: (name: string) => `"${name.replace(/"/g, '""')}"`,
  str: quoteString,
  num: (x: number) => {
    const t = numberText(x, "'NaN'::DOUBLE", "'Infinity'::DOUBLE", "'-Infinity'::DOUBLE");
    // A bare literal like 0.5 is a DECIMAL in DuckDB: make it a DOUBLE so that arithmetic stays binary64.
    return t.startsWith("'") ? t : x < 0 ? `(${t}::DOUBLE)` : `${t}::DOUBLE`;
  },
  from: (s: SqlSource) => {
    switch (s.kind) {
      case "parquet": return `read_parquet(${quoteString(s.path)})`;
      // R's read.csv: "NA" and empty cells are missing.
      case "csv": return `read_csv(${quoteString(s.path)}, header = true, nullstr = ['NA', ''])`;
      case "query": return `(${s.sql})`;
    }
  },
  ln: (x: string) => `ln(${x})`,
  roundEven: (x: string) => `round_even(${x}, 0)`,
  lgamma: (x: string) => `lgamma(${x})`,
  isNan: (x: string) => `isnan(${x})`,
  double: (x: string) => `CAST(${x} AS DOUBLE)`,
});

/** Spark SQL (3.x): the same queries for a Spark cluster (generated only; see README "Beyond one machine"). */
export const sparkDialect: SqlDialect = Object.freeze({
  name: "spark",
  ident: (name: string) => `\`${name.replace(/`/g, "``")}\``,
  str: (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`,
  num: (x: number) => {
    const t = numberText(x, "CAST('NaN' AS DOUBLE)", "CAST('Infinity' AS DOUBLE)", "CAST('-Infinity' AS DOUBLE)");
    // Spark reads 0.5 as a DECIMAL too; the D suffix makes a DOUBLE literal.
    return t.startsWith("CAST") ? t : x < 0 ? `(${t}D)` : `${t}D`;
  },
  from: (s: SqlSource) => {
    switch (s.kind) {
      case "parquet": return `parquet.\`${s.path}\``;
      case "csv": return `csv.\`${s.path}\``;
      case "query": return `(${s.sql}) AS src`;
    }
  },
  ln: (x: string) => `ln(${x})`,
  roundEven: (x: string) => `bround(${x}, 0)`,
  // Spark SQL has no lgamma: Stirling's series, written out (stirlingLgamma).
  lgamma: (x: string) => stirlingLgamma(x, (v) => `${v}D`),
  isNan: (x: string) => `isnan(${x})`,
  double: (x: string) => `CAST(${x} AS DOUBLE)`,
});

/**
 * log Γ(x) for x ≥ 1 without a built-in: shift to x + 8 by log Γ(x) = log Γ(x + 8) − log(x(x+1)…(x+7)),
 * then Stirling's series to the x⁻⁹ term, whose truncation error at x + 8 ≥ 9 is below
 * 691/(360360·9¹¹) ≈ 6e-14 absolute
 * (Abramowitz & Stegun 6.1.41). `lit` writes a DOUBLE literal of the dialect.
 */
export function stirlingLgamma(x: string, lit: (v: string) => string): string {
  const z = `(${x} + ${lit("8.0")})`;
  const prod = Array.from({ length: 8 }, (_, k) => (k === 0 ? x : `(${x} + ${lit(`${k}.0`)})`)).join(" * ");
  const series = `(${z} - ${lit("0.5")}) * ln(${z}) - ${z} + ${lit("0.9189385332046728")} + 1 / (${lit("12.0")} * ${z}) - 1 / (${lit("360.0")} * pow(${z}, 3)) + 1 / (${lit("1260.0")} * pow(${z}, 5)) - 1 / (${lit("1680.0")} * pow(${z}, 7)) + 1 / (${lit("1188.0")} * pow(${z}, 9))`;
  return `(${series} - ln(${prod}))`;
}

/** The dialect called `name`. */
export function sqlDialect(name: string): SqlDialect {
  switch (name.toLowerCase()) {
    case "duckdb": return duckdbDialect;
    case "spark": case "sparksql": return sparkDialect;
    default: throw new ArgumentError(`unknown SQL dialect "${name}": use duckdb or spark`);
  }
}

/** The source a `data: { duckdb: … }` string names: a .parquet or .csv path, else a query. */
export function sourceOf(text: string): SqlSource {
  const t = text.trim();
  if (/^(select|with|from)\b/i.test(t)) return { kind: "query", sql: t };
  if (/\.parquet$/i.test(t) || /\*\.parquet$/i.test(t)) return { kind: "parquet", path: t };
  if (/\.(csv|tsv|txt)(\.gz)?$/i.test(t)) return { kind: "csv", path: t };
  throw new ArgumentError(`data.duckdb must be a .parquet or .csv path or a SELECT query; got "${t.length > 60 ? t.slice(0, 57) + "…" : t}"`);
}

/** Data that live in a SQL engine: `{ duckdb: "file.parquet" | "file.csv" | "SELECT …" }` (no Node-only imports here). */

export interface SqlData {
  /** A Parquet or CSV path, or a query DuckDB runs. */
  readonly duckdb: string;
}

/** Whether a spec's data name a SQL source rather than rows in memory. */
export function isSqlData(data: unknown): data is SqlData {
  return typeof data === "object" && data !== null && !Array.isArray(data) && typeof (data as { duckdb?: unknown }).duckdb === "string";
}

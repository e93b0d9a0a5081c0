/**
 * The embedded DuckDB engine (@duckdb/node-api): a SqlRunner over one in-process
 * database, and the FROM item of a source (a Parquet file is scanned where it is,
 * a CSV file is read once into a temporary table, a query is used as given).
 * Node-only: loaded lazily (dynamic import) by models/duckdb.ts, never by the root entry.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { DataError } from "../../errors.js";
import { duckdbDialect, type SqlSource } from "../../sql/dialect.js";
import type { SqlColumnType } from "../../sql/formula-sql.js";
import type { SqlRunner } from "../../sql/sql-fit.js";

export interface DuckdbOptions {
  /** DuckDB's threads setting (default: its own, the number of cores). */
  threads?: number;
  /** DuckDB's memory_limit, e.g. "1GB". */
  memoryLimit?: string;
}

/** The type of a DuckDB column as the formula translation sees it. */
function columnTypeOf(t: string): SqlColumnType {
  const u = t.toUpperCase();
  if (u === "BOOLEAN") return "boolean";
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL)/.test(u)) return "numeric";
  return "string";
}

/** The values of a DOUBLE vector as a Float64Array: its buffer when the vector exposes one, else item by item. */
function doubles(vector: unknown, n: number): Float64Array {
  const items = (vector as { items?: unknown }).items;
  if (items instanceof Float64Array && items.length >= n) return items;
  const v = vector as { getItem(i: number): number | null };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = v.getItem(i) ?? Number.NaN;
  return out;
}

/** One open DuckDB database: run queries, describe sources, close. */
export class DuckdbRunner implements SqlRunner {
  readonly dialect = duckdbDialect;
  private tables = 0;
  private constructor(private readonly instance: DuckDBInstance, private readonly conn: DuckDBConnection) {}

  static async open(opts: DuckdbOptions = {}): Promise<DuckdbRunner> {
    const config: Record<string, string> = {};
    if (opts.threads !== undefined) config.threads = String(opts.threads);
    if (opts.memoryLimit !== undefined) config.memory_limit = opts.memoryLimit;
    const instance = await DuckDBInstance.create(":memory:", config);
    const conn = await instance.connect();
    return new DuckdbRunner(instance, conn);
  }

  async rows(sql: string): Promise<Array<Record<string, unknown>>> {
    const reader = await this.conn.runAndReadAll(sql);
    return reader.getRowObjectsJS() as Array<Record<string, unknown>>;
  }

  /** Streams the rows of `sql` (DOUBLE columns without NULLs) chunk by chunk: only one chunk is in memory at a time. */
  async stream(sql: string, onChunk: (n: number, columns: Float64Array[]) => void): Promise<void> {
    const result = await this.conn.stream(sql);
    // The next chunk is fetched (on a worker thread) while this one is summed in JavaScript.
    let next = result.fetchChunk();
    for (;;) {
      const chunk = await next;
      if (chunk === null || chunk.rowCount === 0) break;
      next = result.fetchChunk();
      const n = chunk.rowCount;
      const cols: Float64Array[] = [];
      for (let k = 0; k < chunk.columnCount; k++) cols.push(doubles(chunk.getColumnVector(k), n));
      onChunk(n, cols);
    }
  }

  async run(sql: string): Promise<void> {
    await this.conn.run(sql);
  }

  async describe(from: string): Promise<Map<string, SqlColumnType>> {
    const rows = await this.rows(`DESCRIBE SELECT * FROM ${from}`);
    return new Map(rows.map((r) => [String(r.column_name), columnTypeOf(String(r.column_type))]));
  }

  /** The FROM item of a source; a CSV file is read into a temporary table first (by DuckDB's parallel reader). */
  async prepare(source: SqlSource): Promise<string> {
    const from = this.dialect.from(source);
    try {
      if (source.kind === "csv") {
        const name = `glmkit_csv_${++this.tables}`;
        await this.run(`CREATE TEMP TABLE ${name} AS SELECT * FROM ${from}`);
        return name;
      }
      await this.rows(`SELECT * FROM ${from} LIMIT 0`);
      return from;
    } catch (e) {
      const what = source.kind === "query" ? `the query ${source.sql.slice(0, 80)}` : `the ${source.kind} file ${source.path}`;
      throw new DataError(`DuckDB cannot read ${what}: ${(e as Error).message.split("\n")[0]}`);
    }
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

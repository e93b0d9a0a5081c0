/**
 * glmkit/sql: IRLS by SQL aggregates for data that live in a SQL engine. The
 * engine-independent part (formula→SQL, the dialects, the families' SQL, the fit
 * loop over any `SqlRunner`); the embedded DuckDB engine is `glm({ data: { duckdb } }).fitAsync()`
 * or `fitDuckdb` here (loaded on demand: importing this entry does not load DuckDB).
 *
 *   import { fitSql, sparkDialect, type SqlRunner } from "glmkit/sql";
 *   const runner: SqlRunner = { dialect: sparkDialect, rows: (sql) => mySparkClient.query(sql), describe: … };
 *   const fit = await fitSql(runner, "parquet.`s3://bucket/claims/`", "claims ~ age + region", makeFamily("poisson"));
 */
export { duckdbDialect, sparkDialect, sqlDialect, sourceOf, stirlingLgamma, type SqlDialect, type SqlSource } from "../../src/sql/dialect.js";
export { sqlFamily, sqlLink, type SqlFamily, type SqlLink } from "../../src/sql/family-sql.js";
export { planFormula, frameSql, levelsQuery, sortLevels, type FormulaPlan, type FrameSql, type SqlColumnType, type SqlLevel } from "../../src/sql/formula-sql.js";
export { iterationQuery, finalQuery, metaQuery, frameSelect, type EtaSource, type FrameQuery } from "../../src/sql/irls-sql.js";
export { fitSql, type SqlRunner, type SqlFitOptions, type SqlMlFit, type SqlIterationRecord } from "../../src/sql/sql-fit.js";
export { laplaceSql, type SqlLaplaceOptions } from "../../src/sql/sql-laplace.js";
export { solveCrossprod, type CrossprodSolution } from "../../src/sql/normal-equations.js";
export type { SqlData } from "../sql-data.js";

/** The ML fit in an embedded DuckDB (loads @duckdb/node-api on first call). */
export async function fitDuckdb(...args: Parameters<typeof import("../duckdb.js").fitDuckdb>) {
  return (await import("../duckdb.js")).fitDuckdb(...args);
}
/** The Laplace approximation in an embedded DuckDB (loads @duckdb/node-api on first call). */
export async function laplaceDuckdb(...args: Parameters<typeof import("../duckdb.js").laplaceDuckdb>) {
  return (await import("../duckdb.js")).laplaceDuckdb(...args);
}

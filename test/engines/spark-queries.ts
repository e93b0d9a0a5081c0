/** The queries of one logistic IRLS iteration in the Spark SQL dialect, for the golden-text test and the README. */
import { sparkDialect, duckdbDialect, type SqlDialect } from "../../src/sql/dialect.js";
import { sqlFamily } from "../../src/sql/family-sql.js";
import { frameSql, levelsQuery, planFormula, sortLevels, type SqlColumnType } from "../../src/sql/formula-sql.js";
import { finalQuery, iterationQuery, metaQuery } from "../../src/sql/irls-sql.js";
import { makeFamily } from "../../src/families/index.js";

/** low ~ age + race + smoke over parquet `birthwt.parquet`, race with levels black, other, white. */
export function exampleQueries(d: SqlDialect = sparkDialect): Record<string, string> {
  const types = new Map<string, SqlColumnType>([["low", "numeric"], ["age", "numeric"], ["race", "string"], ["smoke", "numeric"]]);
  const plan = planFormula("low ~ age + race + smoke", types, d);
  const from = d.from({ kind: "parquet", path: "/data/birthwt.parquet" });
  const race = plan.factorIndices[0]!;
  const levels = new Map([[race, sortLevels(plan, race, ["white", "black", "other"], d)]]);
  const frame = frameSql(plan, levels, d, true);
  const family = sqlFamily(makeFamily("binomial"), d);
  const q = { d, family, frame, from, shift: Float64Array.from([0, 23.24, 0.26, 0.35, 0.39]) };
  return {
    levels: levelsQuery(plan, race, from, d),
    meta: metaQuery({ ...q, shift: null }, from),
    iteration: iterationQuery(q, { kind: "beta", beta: Float64Array.from([-0.5, -0.02, 0.9, 0.4, 1.1]) }),
    final: finalQuery(q, { kind: "beta", beta: Float64Array.from([-0.5, -0.02, 0.9, 0.4, 1.1]) }, { kind: "mustart" }, null),
  };
}

export { duckdbDialect };

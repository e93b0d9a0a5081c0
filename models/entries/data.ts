/**
 * glmkit/data: data tables as R's data.frame: CSV reading (read.csv's rules), and
 * tables from rows or columns with R's factor level order.
 *
 *   import { toDataTable } from "glmkit/data";
 *   toDataTable([{ y: 1, g: "a" }, { y: 0, g: "b" }]).names // ["y", "g"]
 */
export type { Cell, Column, DataInput, DataTable, FactorColumn, LogicalColumn, NumericColumn } from "../../src/data/types.js";
export { toDataTable, isDataTable } from "../../src/data/table.js";
export { parseCsv, readCsv, parseRNumber } from "../../src/data/csv.js";

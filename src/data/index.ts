/** Data tables and CSV reading (R's data.frame and read.csv). */
export type { Cell, Column, DataInput, DataTable, FactorColumn, LogicalColumn, NumericColumn } from "./types.js";
export { toDataTable, tableOf, isDataTable, isMissingCell, inferColumn } from "./table.js";
export { parseCsv, readCsv, parseRNumber, type CsvOptions } from "./csv.js";
export { compareLevels, sortedLevels } from "./collate.js";

/**
 * The data records glmkit reads models from: a column-oriented table whose
 * columns are numeric, factor (strings, as R's character/factor) or logical,
 * with missing cells marked as R marks NA.
 */

/** One cell of user data. `null`, `undefined`, `"NA"` and `""` are missing (R's NA). */
export type Cell = number | string | boolean | null | undefined;

/** The part of an Arrow vector that is read. */
export interface ArrowVectorLike {
  readonly length: number;
  readonly nullCount: number;
  get(i: number): unknown;
  toArray(): ArrayLike<unknown>;
}

/** The part of an Arrow table that is read (apache-arrow's Table has it). */
export interface ArrowTableLike {
  readonly numRows: number;
  readonly schema: { readonly fields: ReadonlyArray<{ readonly name: string; readonly type: { readonly typeId: number; toString(): string } }> };
  getChild(name: string): ArrowVectorLike | null;
}

/** User data: an array of row objects, an object of equally long columns, or an Apache Arrow table. */
export type DataInput = Array<Record<string, Cell>> | Record<string, ArrayLike<Cell>> | ArrowTableLike;

/**
 * A numeric column. `values[i]` is NaN where the cell is missing (a NaN value
 * is missing too, as R's is.na(NaN)).
 * `nonFiniteRows` lists (0-based, ascending) the rows whose *value* was
 * ±Infinity in the input: such a value is bad input, not a missing cell, and a
 * model that uses the column rejects it (R fails later with
 * "NA/NaN/Inf in 'x'"). ±Infinity is also kept in `values`.
 */
export interface NumericColumn {
  readonly name: string;
  readonly kind: "numeric";
  readonly values: Float64Array;
  readonly nonFiniteRows?: Int32Array;
}

/**
 * A factor column: `null` is missing; `levels` are the distinct values sorted as
 * R sorts them in en_US.UTF-8, or the levels declared for the column; `ordered`
 * for an ordered factor (R's `ordered()`: polynomial contrasts by default).
 */
export interface FactorColumn {
  readonly name: string;
  readonly kind: "factor";
  readonly values: ReadonlyArray<string | null>;
  readonly levels: readonly string[];
  readonly ordered?: boolean;
}

/** A logical column: `null` is missing. */
export interface LogicalColumn {
  readonly name: string;
  readonly kind: "logical";
  readonly values: ReadonlyArray<boolean | null>;
}

/** One typed column of a {@link DataTable}. */
export type Column = NumericColumn | FactorColumn | LogicalColumn;

/** A rectangular table of typed columns (R's data.frame, as read.csv builds it). */
export interface DataTable {
  readonly nrow: number;
  readonly names: string[];
  /**
   * What reading the data did that R does silently (a mostly numeric column read as a
   * factor, a separator other than the comma detected); absent or [] when nothing.
   */
  readonly warnings?: readonly string[];
  /** The column called `name`; throws a DataError when there is none. */
  column(name: string): Column;
}

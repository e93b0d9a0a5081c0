/**
 * Values of formula expressions over the rows of a table, as R holds them:
 * numeric (and logical) vectors, factors with their levels (and, as R's
 * attributes, whether they are ordered and which contrasts they carry),
 * numeric matrices (poly, ns, bs, scale), and constants.
 */
import type { ContrastAttr } from "./contrasts.js";

/** A numeric vector; `logical` when it holds R logicals (0/1, NaN = NA). */
export interface NumericValue { readonly kind: "numeric"; readonly values: Float64Array; readonly logical: boolean }
/**
 * A factor: `codes[i]` indexes `levels` (-1 = NA); `character` for a raw string
 * column (R's character vector); `ordered` for R's ordered factors (contr.poly by
 * default); `contrasts` as set by C() (R's attr(x, "contrasts")).
 */
export interface FactorValue {
  readonly kind: "factor";
  readonly codes: Int32Array;
  readonly levels: readonly string[];
  readonly character: boolean;
  readonly ordered?: boolean;
  readonly contrasts?: ContrastAttr | null;
}
/** A numeric matrix: columns of n values, with R's colnames (null: none). */
export interface MatrixValue { readonly kind: "matrix"; readonly columns: readonly Float64Array[]; readonly columnNames: readonly string[] | null }
/** A numeric or logical constant. */
export interface ScalarValue { readonly kind: "scalar"; readonly value: number; readonly logical: boolean }
/** A string constant. */
export interface StringValue { readonly kind: "string"; readonly value: string }
/** The value of an expression. */
export type Value = NumericValue | FactorValue | MatrixValue | ScalarValue | StringValue;

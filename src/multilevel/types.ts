/**
 * The design of a multilevel GLM, shared by the marginal-likelihood fit (glmer's Laplace, nAGQ = 1)
 * and the posterior (NUTS on the non-centred parameterization). lme4's structure: one
 * `GroupTerm` per bar term `(cols | factor)`, each row of the data in exactly one level of
 * each term's factor, so each term's Z block has exactly `k` non-zeros per row. Stored by row
 * (the group index and the k values of every row: CSR with a constant row length) and by group
 * (CSR over groups listing the rows of each level) for O(nnz) log densities and gradients.
 */
export interface GroupTerm {
  /** The grouping factor as lme4 names it: "Subject", "g1:g2"; a nested `(1 | g1/g2)` expands to "g2:g1" (the inner factor first, as lme4) and "g1". */
  readonly factor: string;
  /** Its levels in R's order (sorted as R's factor() sorts them), one group each. */
  readonly levels: readonly string[];
  /** The term's columns as lme4 names them: ["(Intercept)", "Days"]. */
  readonly columns: readonly string[];
  /** False for `(x || g)`: the columns' effects are independent (lme4 splits them into separate terms). */
  readonly correlated: boolean;
  /** Number of columns k. */
  readonly k: number;
  /** Level (0-based) of each row: length n. */
  readonly group: Int32Array;
  /** The k values of Z for each row, row-major: length n·k. */
  readonly values: Float64Array;
  /** Rows of each level: rowsOfGroup[groupStart[j] .. groupStart[j+1]) (CSR over groups). */
  readonly groupStart: Int32Array;
  readonly rowsOfGroup: Int32Array;
}

/** Population-level design plus the group-level terms, after the model frame (NA rows dropped). */
export interface MultilevelDesign {
  readonly n: number;
  /** Population-level design, row-major n × p (the fixed effects, as lme4's X). */
  readonly X: Float64Array;
  readonly p: number;
  readonly columnNames: readonly string[];
  readonly y: Float64Array;
  /** Binomial trials (cbind(s, f) or weights) or prior weights; all 1 when not given. */
  readonly weights: Float64Array;
  /** Offset of the linear predictor; all 0 when not given. */
  readonly offset: Float64Array;
  readonly terms: readonly GroupTerm[];
}

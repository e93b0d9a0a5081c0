/**
 * Typed errors. Every message names the argument, column or row at fault so a
 * person can act on it. Numerical trouble (separation, non-convergence) is not an
 * error: it is reported in the result's `warnings`.
 */

/** Base class of every error glmkit throws on purpose. */
export class GlmkitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad data: y outside the family's support, NaN/Infinity, negative weights, empty data. */
export class DataError extends GlmkitError {
  /** Column at fault, when there is one. */
  readonly column?: string;
  /** 1-based row at fault (as a person counts rows of the data given), when there is one. */
  readonly row?: number;
  constructor(message: string, where: { column?: string; row?: number } = {}) {
    super(message);
    this.column = where.column;
    this.row = where.row;
  }
}

/** A malformed formula, or a term naming a column the data does not have. */
export class FormulaError extends GlmkitError {}

/** An unknown family, or a link the family does not accept. */
export class FamilyError extends GlmkitError {}

/** A prior with an invalid argument, or a prior that does not fit the model. */
export class PriorError extends GlmkitError {}

/** Any other invalid argument (options out of range, wrong shapes). */
export class ArgumentError extends GlmkitError {}

/** A numerical failure that leaves no usable result (e.g. a singular information matrix where none may be). */
export class NumericalError extends GlmkitError {}

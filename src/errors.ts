/**
 * Typed errors. Every message names the argument, column or row at fault so a
 * person can act on it. Numerical trouble (separation, non-convergence) is not an
 * error: it is reported in the result's `warnings` (maximum likelihood reports where
 * IRLS stopped, as R does). A posterior mode that does not exist is an error
 * ({@link NoModeError}): there is no estimate to report.
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

/**
 * The posterior mode (MAP, Laplace) does not exist: the log posterior increases without
 * bound along a direction that moves only coefficients with improper (flat) priors,
 * because their maximum-likelihood estimates are infinite (separation, or zero counts
 * fitted by rates tending to 0). Thrown instead of returning the point where the
 * optimiser stopped, which is not an estimate. Proper priors on those coefficients
 * (or the Jeffreys prior) give a mode.
 */
export class NoModeError extends NumericalError {
  /** The coefficients the direction moves, with the sign of their divergence. */
  readonly coefficients: Readonly<Record<string, "+Inf" | "-Inf">>;
  /** The coefficients with improper priors (the direction lies in their span). */
  readonly improper: readonly string[];
  constructor(message: string, coefficients: Record<string, "+Inf" | "-Inf">, improper: readonly string[]) {
    super(message);
    this.coefficients = Object.freeze({ ...coefficients });
    this.improper = Object.freeze([...improper]);
  }
}

/**
 * The posterior is improper, so there is nothing to sample: improper (flat) priors on
 * coefficients whose maximum-likelihood estimates are infinite (separation, zero counts)
 * or that are aliased (the likelihood is constant along a line), or a flat prior on an
 * auxiliary parameter the likelihood does not bound (the negative binomial θ). Thrown by
 * NUTS before sampling unless the caller opts in (`allowImproper`).
 */
export class ImproperPosteriorError extends PriorError {
  /** The parameters whose priors make the posterior improper. */
  readonly improper: readonly string[];
  /** Why: infinite ML estimates, aliased columns, or an unbounded auxiliary parameter. */
  readonly reason: "infinite-estimates" | "aliased" | "aux";
  /** For infinite estimates: the coefficients the direction moves, with the sign of their divergence. */
  readonly coefficients: Readonly<Record<string, "+Inf" | "-Inf">>;
  constructor(message: string, reason: ImproperPosteriorError["reason"], improper: readonly string[], coefficients: Record<string, "+Inf" | "-Inf"> = {}) {
    super(message);
    this.reason = reason;
    this.improper = Object.freeze([...improper]);
    this.coefficients = Object.freeze({ ...coefficients });
  }
}

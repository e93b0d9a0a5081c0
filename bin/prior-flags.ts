/**
 * The CLI's side of the priors: the checks of --prior-intercept-on and --allow-improper,
 * and the improper-posterior errors reworded with the CLI's flags instead of the API's options.
 */
import { ImproperPosteriorError, NoModeError } from "../src/errors.js";
import { IMPROPER_REMEDY } from "../src/fit/map.js";
import { UsageError } from "./validate-options.js";

type Values = Record<string, string | readonly string[] | boolean | undefined>;

const BAYESIAN = ["map", "laplace", "nuts"];

/** --prior-intercept-on raw|centered (map, laplace, nuts) and --allow-improper (nuts). */
export function checkPriorFlags(values: Values, method: string): void {
  const on = values["prior-intercept-on"] as string | undefined;
  if (on !== undefined) {
    if (on !== "raw" && on !== "centered") throw new UsageError(`--prior-intercept-on must be raw or centered, got "${on}"`);
    if (!BAYESIAN.includes(method)) throw new UsageError(`--prior-intercept-on applies to --method map, laplace and nuts (got --method ${method})`);
  }
  if (values["allow-improper"] !== undefined && method !== "nuts")
    throw new UsageError(`--allow-improper applies to --method nuts (got --method ${method}); map and laplace have no estimate without a mode`);
}

/** The API's remedies in a message, replaced by the CLI's flags. */
function cliWords(message: string): string {
  return message
    .replace(IMPROPER_REMEDY, 'give them proper priors (e.g. --prior "normal(0, 2.5)", or no --prior flags for rstanarm\'s defaults) or the Jeffreys prior (--prior jeffreys)')
    .replace(/aux: "([^"]*)"/g, '--prior-aux "$1"')
    .replace("allowImproper: true", "--allow-improper");
}

/** An improper-posterior or no-mode error in the CLI's words (other errors unchanged). */
export function cliPriorError(err: unknown): unknown {
  if (err instanceof ImproperPosteriorError) return new ImproperPosteriorError(cliWords(err.message), err.reason, err.improper, { ...err.coefficients });
  if (err instanceof NoModeError) return new NoModeError(cliWords(err.message), { ...err.coefficients }, err.improper);
  return err;
}

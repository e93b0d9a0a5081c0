/**
 * Argument checks shared by the prior constructors. Messages quote the call as
 * written and name the argument: `normal(0, -1): scale must be positive and finite, got -1`.
 */
import { PriorError } from "../errors.js";

/** The call as a person would write it, e.g. "normal(0, -1)". */
export function callText(name: string, args: readonly unknown[]): string {
  return `${name}(${args.map((a) => String(a)).join(", ")})`;
}

/** Throws PriorError unless `value` is a finite number. */
export function requireFinite(call: string, argName: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new PriorError(`${call}: ${argName} must be finite, got ${String(value)}`);
  }
  return value;
}

/** Throws PriorError unless `value` is a positive finite number. */
export function requirePositive(call: string, argName: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || !(value > 0)) {
    throw new PriorError(`${call}: ${argName} must be positive and finite, got ${String(value)}`);
  }
  return value;
}

/** Shortest text that reads back as the same double (ECMAScript Number::toString). */
export function formatNumber(x: number): string {
  return String(x);
}

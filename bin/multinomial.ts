/**
 * `glmkit fit DATA.csv --formula "y ~ x" --family multinomial [--ref LEVEL]`: the
 * multinomial-logit ML fit with the contract's JSON (coefficient rows
 * `{name, estimate, se, statistic, p_value, aliased}`, names `category:term`) plus
 * `categories` and `reference`; `--method firth` (brmultinom AS_mean); `--intervals wald,profile`.
 */
import type { DataTable } from "../src/data/index.js";
import { multinomial } from "../models/multinomial.js";
import { UsageError, numberFlag } from "./validate-options.js";
import { formulaFlags, withContrastsFlag } from "./formula-flags.js";

/** The flags a multinomial fit reads (the rest of `glmkit fit`'s flags are refused). */
export interface MultinomialFlags {
  formula?: string;
  family?: string;
  ref?: string;
  weights?: string;
  method?: string;
  intervals?: string;
  level?: string;
  maxit?: string;
  epsilon?: string;
  separation?: string;
  factor?: string[];
  ordered?: string[];
  contrasts?: string[];
  json?: boolean;
  progress?: boolean;
}

const ACCEPTED = new Set(["formula", "family", "ref", "weights", "method", "intervals", "level", "maxit", "epsilon", "separation", "factor", "ordered", "contrasts", "json", "progress", "help"]);

/** Refuses flags that do not apply to a multinomial fit, naming the first one. */
export function checkMultinomialFlags(values: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || ACCEPTED.has(k)) continue;
    throw new UsageError(`--${k} does not apply to --family multinomial (its flags: --ref, --weights, --method mle|firth, --intervals wald,profile, --level, --maxit, --epsilon, --separation, --factor, --ordered, --contrasts, --json)`);
  }
  const method = (values.method as string | undefined) ?? "mle";
  if (method !== "mle" && method !== "firth") throw new UsageError(`--family multinomial supports --method mle and firth (got --method ${method})`);
  if (method === "firth" && values.separation !== undefined) throw new UsageError("--separation applies to --method mle");
  const iv0 = values.intervals as string | undefined;
  if (method === "firth" && iv0 !== undefined && iv0.includes("profile")) throw new UsageError("--intervals profile of --family multinomial is for --method mle (the bias-reduced fit has wald intervals)");
  const iv = values.intervals as string | undefined;
  if (iv !== undefined) for (const m of iv.split(",").map((s) => s.trim()).filter((s) => s !== ""))
    if (m !== "wald" && m !== "profile") throw new UsageError(`--intervals ${m} does not apply to --family multinomial (wald, profile)`);
}

/** Fits and returns the JSON record and the text printout. */
export function runMultinomialFit(values: MultinomialFlags, data: DataTable): { json: Record<string, unknown>; text: string } {
  const f = formulaFlags(values.factor, values.ordered, values.contrasts);
  const model = withContrastsFlag(() => multinomial({
    formula: values.formula!, data,
    ...(values.ref !== undefined ? { ref: values.ref } : {}),
    ...(values.weights !== undefined ? { weights: values.weights } : {}),
    ...(f.columns ? { columns: f.columns } : {}),
    ...(f.contrasts ? { contrasts: f.contrasts } : {}),
  }));
  const maxit = numberFlag("maxit", values.maxit), epsilon = numberFlag("epsilon", values.epsilon);
  const fit = values.method === "firth"
    ? model.firth({ ...(maxit !== undefined ? { maxit } : {}), ...(epsilon !== undefined ? { epsilon } : {}) })
    : model.fit({ maxit, epsilon, separation: values.separation as "auto" | "always" | "never" | undefined });
  let json: Record<string, unknown> = fit.toJSON() as unknown as Record<string, unknown>;
  let text = fit.summary();
  const methods = values.intervals?.split(",").map((s) => s.trim()).filter((s) => s !== "") ?? [];
  if (methods.length > 0) {
    const level = numberFlag("level", values.level) ?? 0.95;
    const intervals: Record<string, unknown> = {};
    const lines: string[] = ["", `Intervals (level ${level}):`];
    for (const m of methods) {
      const rows = m === "wald" ? fit.wald(level) : fit.profile(level);
      intervals[m] = rows;
      lines.push(`  ${m}:`, ...rows.map((r) => `    ${r.name.padEnd(32)} ${r.lower.toPrecision(7).padStart(14)} ${r.upper.toPrecision(7).padStart(14)}`));
    }
    json = { ...json, intervals };
    text += "\n" + lines.join("\n");
  }
  return { json, text };
}

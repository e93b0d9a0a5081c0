/**
 * `glmkit fit DATA.csv --formula "y ~ x" --family multinomial [--ref LEVEL]`: the
 * multinomial-logit ML fit with the contract's JSON (coefficient rows
 * `{name, estimate, se, statistic, p_value, aliased}`, names `category:term`) plus
 * `categories` and `reference`; `--method firth` (brmultinom AS_mean), `map`/`laplace` and `nuts`
 * with `--prior`/`--prior-intercept`; `--intervals wald,profile` (profile: penalised for firth/map/laplace).
 */
import { writeFileSync } from "node:fs";
import type { DataTable } from "../src/data/index.js";
import { SavedMultinomialModel, type SavedMultinomialJson } from "../models/multinomial-saved.js";
import { multinomial, priorSummaryLines } from "../models/multinomial.js";
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
  prior?: string;
  "prior-intercept"?: string;
  chains?: string;
  warmup?: string;
  draws?: string;
  seed?: string;
  "adapt-delta"?: string;
  "max-treedepth"?: string;
  save?: string;
}

const ACCEPTED = new Set(["formula", "family", "ref", "weights", "method", "intervals", "level", "maxit", "epsilon", "separation", "factor", "ordered", "contrasts", "json", "progress", "help",
  "prior", "prior-intercept", "chains", "warmup", "draws", "seed", "adapt-delta", "max-treedepth", "save"]);
const SAMPLER = ["chains", "warmup", "draws", "seed", "adapt-delta", "max-treedepth"] as const;

/** Refuses flags that do not apply to a multinomial fit, naming the first one. */
export function checkMultinomialFlags(values: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || ACCEPTED.has(k)) continue;
    throw new UsageError(`--${k} does not apply to --family multinomial (its flags: --ref, --weights, --method mle|firth, --intervals wald,profile, --level, --maxit, --epsilon, --separation, --factor, --ordered, --contrasts, --save, --json)`);
  }
  const method = (values.method as string | undefined) ?? "mle";
  if (values.save !== undefined && method !== "mle") throw new UsageError(`--save of --family multinomial applies to --method mle (got --method ${method})`);
  if (!["mle", "firth", "map", "laplace", "nuts"].includes(method)) throw new UsageError(`unknown --method ${method} for --family multinomial (mle, firth, map, laplace, nuts)`);
  if ((values.prior !== undefined || values["prior-intercept"] !== undefined) && !["map", "laplace", "nuts"].includes(method))
    throw new UsageError(`--prior and --prior-intercept apply to --method map, laplace and nuts (got --method ${method})`);
  for (const f of SAMPLER) if (values[f] !== undefined && method !== "nuts") throw new UsageError(`--${f} applies to --method nuts (got --method ${method})`);
  if (method === "nuts" && values.intervals !== undefined) throw new UsageError("--intervals does not apply to --family multinomial --method nuts (see posterior.summary: q5, q95)");
  if (method !== "mle" && method !== "firth" && values.separation !== undefined) throw new UsageError("--separation applies to --method mle");
  if (method === "firth" && values.separation !== undefined) throw new UsageError("--separation applies to --method mle");
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
    ...(values.prior !== undefined || values["prior-intercept"] !== undefined
      ? { priors: { ...(values.prior !== undefined ? { coefficients: values.prior } : {}), ...(values["prior-intercept"] !== undefined ? { intercept: values["prior-intercept"] } : {}) } }
      : {}),
  }));
  if (values.method === "nuts") {
    const int = (name: string, v: string | undefined) => { const x = numberFlag(name, v); if (x !== undefined && !(Number.isInteger(x) && x >= 1)) throw new UsageError(`--${name} must be a positive integer, got "${v}"`); return x; };
    const post = model.sample({
      seed: int("seed", values.seed) ?? 1,
      ...(values.chains !== undefined ? { chains: int("chains", values.chains) } : {}),
      ...(values.warmup !== undefined ? { warmup: int("warmup", values.warmup) } : {}),
      ...(values.draws !== undefined ? { draws: int("draws", values.draws) } : {}),
      ...(values["adapt-delta"] !== undefined ? { adaptDelta: numberFlag("adapt-delta", values["adapt-delta"]) } : {}),
      ...(values["max-treedepth"] !== undefined ? { maxTreeDepth: int("max-treedepth", values["max-treedepth"]) } : {}),
    });
    const json = post.toJSON() as unknown as Record<string, unknown>;
    const rows = post.summary.map((r) => `  ${r.name.padEnd(32)} ${r.mean.toPrecision(6).padStart(12)} ${r.sd.toPrecision(6).padStart(12)} ${r.q5.toPrecision(6).padStart(12)} ${r.q95.toPrecision(6).padStart(12)} ${r.rhat.toFixed(3).padStart(7)} ${r.ess_bulk.toFixed(0).padStart(7)}`);
    const text = [`NUTS posterior of the multinomial logit ${values.formula}`, ...priorSummaryLines(post.prior), "",
      `  ${"".padEnd(32)} ${"mean".padStart(12)} ${"sd".padStart(12)} ${"q5".padStart(12)} ${"q95".padStart(12)} ${"rhat".padStart(7)} ${"ess".padStart(7)}`, ...rows,
      "", `Divergences: ${post.divergences}`].join("\n");
    return { json, text };
  }
  const maxit = numberFlag("maxit", values.maxit), epsilon = numberFlag("epsilon", values.epsilon);
  const fit = values.method === "firth"
    ? model.firth({ ...(maxit !== undefined ? { maxit } : {}), ...(epsilon !== undefined ? { epsilon } : {}) })
    : values.method === "map" || values.method === "laplace"
      ? (values.method === "map" ? model.map({ ...(maxit !== undefined ? { maxit } : {}) }) : model.laplace({ ...(maxit !== undefined ? { maxit } : {}) }))
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
  if (values.save !== undefined) {
    writeFileSync(values.save, JSON.stringify(fit.save()) + "\n");
    json = { ...json, saved_model: values.save };
    text += `\n\nModel saved to: ${values.save}`;
  }
  return { json, text };
}

/** `glmkit predict` of a saved multinomial model: --type probs|class|link (default probs), --se; text, CSV or JSON. */
export function runMultinomialPredict(saved: SavedMultinomialJson, values: { type?: string; se?: boolean; interval?: string; level?: string; json?: boolean; csv?: boolean }, data: DataTable): string {
  if (values.interval !== undefined || values.level !== undefined) throw new UsageError("--interval and --level do not apply to a multinomial model (its predict gives --type probs|class|link and --se)");
  if (values.json && values.csv) throw new UsageError("give --json or --csv, not both");
  const type = values.type ?? "probs";
  if (type !== "probs" && type !== "class" && type !== "link") throw new UsageError(`--type of a multinomial model must be probs, class or link, got "${type}"`);
  const pred = new SavedMultinomialModel(saved).predict(data, { type, se: values.se === true });
  const cols = type === "class" ? ["class"] : type === "probs" ? pred.categories : pred.categories.filter((c) => c !== saved.reference);
  if (values.json) return JSON.stringify({ type, categories: pred.categories, reference: saved.reference, n: pred.rows.length, na_dropped: pred.naDropped, warnings: pred.warnings, rows: pred.rows }, null, 2);
  const header = type === "class" ? ["class"] : [...cols, ...(values.se ? cols.map((c) => `se_${c}`) : [])];
  const cells = pred.rows.map((r) => {
    if (r === null) return header.map(() => "NA");
    if (typeof r.values === "string") return [r.values];
    const v = r.values, se = r.se;
    return [...cols.map((c) => String(v[c])), ...(se ? cols.map((c) => String(se[c])) : [])];
  });
  if (values.csv) return [header.join(","), ...cells.map((c) => c.join(","))].join("\n");
  const table = [["", ...header], ...cells.map((c, i) => [String(i + 1), ...c.map((x) => (x === "NA" || type === "class" ? x : Number(x).toPrecision(7)))])];
  const width = table[0]!.map((_, j) => Math.max(...table.map((r) => r[j]!.length)));
  return table.map((r) => r.map((x, j) => x.padStart(width[j]!)).join(" ")).join("\n");
}

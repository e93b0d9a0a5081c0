/**
 * Runs fuzz cases on a worker thread with a time budget (a hang is killed and
 * counted, never a stuck suite) and classifies each outcome: a result whose numbers
 * are all finite or absent for a documented reason, a typed glmkit error naming its
 * culprit, or a failure (crash, hang, silent NaN, vague error).
 */
import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import type { FuzzCase } from "./cases.js";

export type Outcome =
  | { kind: "result"; json: Record<string, unknown> }
  | { kind: "error" | "crash"; name: string; message: string; stack: string }
  | { kind: "hang" };

const WORKER = fileURLToPath(new URL("./case-worker.mjs", import.meta.url));

/** One worker reused across cases; replaced when a case overruns its budget. */
export class CaseRunner {
  private worker: Worker | null = null;
  constructor(readonly budgetMs = 10_000) {}
  private get w(): Worker {
    return (this.worker ??= new Worker(WORKER));
  }
  run(message: unknown): Promise<Outcome> {
    const w = this.w;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        w.removeAllListeners("message");
        void w.terminate();
        this.worker = null;
        resolve({ kind: "hang" });
      }, this.budgetMs);
      w.once("message", (m: Outcome) => {
        clearTimeout(timer);
        resolve(m);
      });
      w.postMessage(message);
    });
  }
  async close(): Promise<void> {
    if (this.worker) await this.worker.terminate();
    this.worker = null;
  }
}

/** The API call a case makes: glm(spec) then the method with its control. */
export function apiMessage(c: FuzzCase) {
  const control: Record<string, unknown> = {};
  if (c.method === "nuts") Object.assign(control, { seed: 1, chains: 1, warmup: 20, draws: 20 });
  else {
    if (c.maxit !== undefined) control.maxit = c.maxit;
    if (c.epsilon !== undefined && (c.method === "mle" || c.method === "firth")) control.epsilon = c.epsilon;
  }
  const bayes = c.method === "map" || c.method === "laplace" || c.method === "nuts";
  const priors = bayes && (c.prior !== undefined || c.priorAux !== undefined) ? { coefficients: c.prior, aux: c.priorAux } : undefined;
  const spec: Record<string, unknown> = { formula: c.formula, data: c.rows };
  for (const [k, v] of Object.entries({ family: c.family, link: c.link, theta: c.theta, power: c.power, weights: c.weights, priors }))
    if (v !== undefined) spec[k] = v;
  return { spec, method: c.method, control, predict: c.rows.slice(0, 3) };
}

export function runCase(runner: CaseRunner, c: FuzzCase): Promise<Outcome> {
  return runner.run(apiMessage(c));
}

/** Where a null or non-finite number is documented, and the reason the result gives. */
interface AbsentRule {
  path: RegExp;
  reason: string;
  when: (json: Record<string, unknown>, row: Record<string, unknown> | null) => boolean;
}

const QUASI_OR_NO_LIKELIHOOD = /^(quasi|Tweedie)/;
const family = (j: Record<string, unknown>) => String(j.family ?? "");
const warns = (j: Record<string, unknown>, re: RegExp) => ((j.warnings as string[] | undefined) ?? []).some((w) => re.test(w));

/** The allowlist: every field that may be null/NaN/±Infinity in toJSON(), and when. */
export const ABSENT_RULES: AbsentRule[] = [
  { path: /^coefficients\[\]\.(estimate|se|statistic|p_value)$/, reason: "an aliased coefficient (aliased: true)", when: (_j, r) => r?.aliased === true },
  { path: /^coefficients\[\]\.(statistic|p_value)$/, reason: "a posterior has no test statistic", when: (j) => j.method === "nuts" },
  { path: /^(aic|log_likelihood|bic|penalized_log_likelihood)$/, reason: "quasi families and Tweedie have no likelihood", when: (j) => QUASI_OR_NO_LIKELIHOOD.test(family(j)) },
  { path: /^(aic|deviance|null_deviance|bic)$/, reason: "penalized and posterior fits report no deviance/AIC", when: (j) => j.method !== "mle" },
  { path: /^(theta|se_theta)$/, reason: "θ only for the negative binomial", when: (j) => !/Negative Binomial/.test(family(j)) || j.method !== "mle" },
  { path: /^(coefficients\[\]\.(se|statistic|p_value)|aux\.se)$/, reason: "no standard errors, with a warning saying why", when: (j) => warns(j, /no standard errors|standard errors, statistics and p-values are NaN|dispersion cannot be estimated/) },
  { path: /^coefficients\[\]\.(estimate|se|statistic|p_value)$/, reason: "a number beyond double precision on a badly scaled design, with the warning", when: (j) => warns(j, /too badly scaled for double precision/) },
  { path: /^coefficients\[\]\.(se|statistic|p_value)$/, reason: "an infinite estimate (separation), with its warning", when: (j) => warns(j, /^separation detected|^infinite estimates/) },
  { path: /^(dispersion|log_likelihood|penalized_log_likelihood|aic|bic)$/, reason: "no residual degrees of freedom, with the warning", when: (j) => warns(j, /dispersion cannot be estimated/) },
  { path: /^se_theta$/, reason: "θ's iteration did not converge, with the warning", when: (j) => warns(j, /theta iteration/) },
  { path: /^aux$/, reason: "no auxiliary parameter", when: () => true },
  { path: /^separation$/, reason: "the separation check is of binomial and Poisson ML fits", when: (j) => j.method !== "mle" || !/^(binomial|poisson|quasibinomial|quasipoisson)$/.test(family(j)) },
  { path: /^prior$/, reason: "no priors: an ML or bias-reduced fit", when: (j) => j.method === "mle" || j.method === "firth" },
  { path: /^bias_reduction$/, reason: "not a bias-reduced fit", when: (j) => j.method !== "firth" },
  { path: /^posterior\.summary\[\]\.(rhat|ess_bulk|ess_tail|mcse_mean)$/, reason: "R-hat/ESS undefined for constant draws, with a warning", when: (j) => warns(j, /R-hat|ESS/) },
];

function isAbsent(v: unknown): boolean {
  return v === null || (typeof v === "number" && !Number.isFinite(v)) || v === "Infinity" || v === "-Infinity" || v === "NaN";
}

/** Paths of null/non-finite leaves the allowlist does not explain. */
export function unexplainedAbsences(json: Record<string, unknown>): string[] {
  const out: string[] = [];
  const visit = (v: unknown, path: string, row: Record<string, unknown> | null) => {
    if (Array.isArray(v)) v.forEach((x) => visit(x, `${path}[]`, typeof x === "object" && x !== null ? (x as Record<string, unknown>) : row));
    else if (v !== null && typeof v === "object") {
      if (path === "separation" || path === "prior") return; // strings and flags, "+Inf" by design
      for (const [k, x] of Object.entries(v)) visit(x, path === "" ? k : `${path}.${k}`, row);
    } else if (isAbsent(v) && !ABSENT_RULES.some((r) => r.path.test(path) && r.when(json, row))) out.push(`${path}=${String(v)}`);
  };
  visit(json, "", null);
  return out;
}

/** Words an error message may name its culprit by: columns, arguments, flags, rows. */
const CULPRIT = /\b(empty model|row|column|formula|family|link|prior|priors|theta|θ|power|weights?|offset|maxit|epsilon|tol|data|response|term|level|factor|design|method|variable|coefficients?|intercept|aux|seed|chains|draws|warmup|dispersion|jeffreys|separat\w*|y|x1|x2|g|b|w|z|cbind|log|poly|I|sqrt|exp|offset)\b|--[a-z]|"[^"]+"|\(|~/;

export function namesCulprit(message: string): boolean {
  return message.trim().length > 0 && CULPRIT.test(message);
}

/**
 * Known bugs in files this suite's author may not edit (see KNOWN-ISSUES.md, with
 * reproducers): counted and printed on every run as "known", never passed silently.
 * Each predicate is narrow: it names the method/family and the exact fields. Remove
 * an entry when its bug is fixed; the suite then holds the fix.
 */
export interface KnownIssue {
  id: string;
  where: string;
  matches: (c: FuzzCase, o: Outcome, bad: string[]) => boolean;
}
const onlyPaths = (bad: string[], re: RegExp) => bad.length > 0 && bad.every((b) => re.test(b.replace(/=.*$/, "")));
const json = (o: Outcome) => (o.kind === "result" ? o.json : {});
export const KNOWN_ISSUES: KnownIssue[] = [
  { id: "K1 firth: penalized_log_likelihood null, no warning (zero residual deviance)", where: "src/fit/firth.ts",
    matches: (_c, o, bad) => json(o).method === "firth" && onlyPaths(bad, /^(penalized_log_likelihood|log_likelihood|coefficients\[\]\.(statistic|p_value))$/) },
  { id: "K2 perfect fit (dispersion 0): NaN/±Inf se, z, p, null AIC/logLik, no warning", where: "src/fit (ml-fit/inference)",
    matches: (_c, o, bad) => json(o).dispersion_estimated === true && !((json(o).dispersion as number) > 1e-20) &&
      onlyPaths(bad, /^(coefficients\[\]\.(se|statistic|p_value)|aic|log_likelihood|bic|null_deviance|dispersion)$/) },
  { id: "K3 Poisson/NB with non-integer y: AIC/logLik null, no warning (R warns: non-integer x)", where: "src/families (logLikObs), src/fit",
    matches: (c, o, bad) => /poisson|Negative Binomial/.test(String(json(o).family)) && c.rows.some((r) => typeof r.y === "number" && !Number.isInteger(r.y)) &&
      onlyPaths(bad, /^(aic|log_likelihood|bic|coefficients\[\]\.(se|statistic|p_value))$/) },
  { id: "K4 null_deviance NaN/Infinity without a warning (no intercept, zero trials, extreme scales)", where: "src/fit (null deviance)",
    matches: (_c, o, bad) => o.kind === "result" && onlyPaths(bad, /^(null_deviance|coefficients\[\]\.(se|statistic|p_value)|aic|log_likelihood|bic|dispersion)$/) && bad.some((b) => b.startsWith("null_deviance")) },
  { id: "K5 NUTS posterior sd Infinity (improper posterior: all-zero counts, flat prior on log θ)", where: "models/posterior.ts or src/likelihood priors",
    matches: (_c, o, bad) => json(o).method === "nuts" && onlyPaths(bad, /^posterior\.summary\[\]\.(sd|mean|mad|q5|q95|median|mcse_mean)$/) },
  { id: "K7 predict(seFit) after a fit without a covariance: \"a covariance of N names needs N² entries, got 0\"", where: "src/fit (empty cov) / models/fit-diagnostics.ts",
    matches: (_c, o) => o.kind === "error" && /a covariance of \d+ names needs/.test(o.message) },
  { id: "K8 perfect gaussian-type fit with an extreme x: ±Inf z statistic or Inf se, no warning", where: "src/fit (inference)",
    matches: (_c, o, bad) => json(o).dispersion_estimated === true && !((json(o).dispersion as number) > 1e-100) && onlyPaths(bad, /^coefficients\[\]\.(se|statistic|p_value)$/) },
  { id: "K9 ML/Firth/MAP fit with a cell at an extreme scale (1e±100 and beyond): se/deviance Infinity or z ±Infinity, no warning", where: "src/fit (XᵀWX and squares under/overflow; R's QR does not)",
    matches: (c, o, bad) => o.kind === "result" && json(o).method !== "nuts" && hasExtremeCell(c) &&
      onlyPaths(bad, /^(coefficients\[\]\.(se|statistic|p_value)|aic|log_likelihood|bic|deviance|null_deviance|dispersion|se_theta)$/) },
];

function hasExtremeCell(c: FuzzCase): boolean {
  return c.rows.some((r) => Object.values(r).some((v) => typeof v === "number" && Number.isFinite(v) && v !== 0 && (Math.abs(v) > 1e100 || Math.abs(v) < 1e-100)));
}

/** The known issue an outcome matches, if any. */
export function knownIssue(c: FuzzCase, o: Outcome): KnownIssue | undefined {
  const bad = o.kind === "result" ? unexplainedAbsences(o.json) : [];
  return KNOWN_ISSUES.find((k) => k.matches(c, o, bad));
}

/** The class of an outcome, for counting. */
export type Verdict = "result" | "typed error" | "crash" | "hang" | "silent NaN" | "vague error" | "known";

export function verdict(o: Outcome): { verdict: Verdict; detail: string } {
  if (o.kind === "hang") return { verdict: "hang", detail: "" };
  if (o.kind === "crash") return { verdict: "crash", detail: `${o.name}: ${o.message}\n${o.stack.split("\n").slice(1, 4).join("\n")}` };
  if (o.kind === "error") return namesCulprit(o.message) ? { verdict: "typed error", detail: o.message } : { verdict: "vague error", detail: `${o.name}: ${o.message}\n${o.stack.split("\n").slice(1, 4).join("\n")}` };
  const bad = unexplainedAbsences(o.json);
  const w = (o.json.warnings as string[] | undefined) ?? [];
  return bad.length > 0 ? { verdict: "silent NaN", detail: `${[...new Set(bad)].join(", ")} (warnings: ${JSON.stringify(w)})` } : { verdict: "result", detail: "" };
}

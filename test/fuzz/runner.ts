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
  { path: /^se_theta$/, reason: "θ's iteration did not converge or its information is not positive, with the warning", when: (j) => warns(j, /theta iteration|^the standard error of theta is/) },
  { path: /^(aic|log_likelihood|bic|penalized_log_likelihood)$/, reason: "an exact fit of a dispersion family: unbounded likelihood, with the warning", when: (j) => warns(j, /^the fit is exact/) },
  { path: /^(aic|log_likelihood|bic|penalized_log_likelihood)$/, reason: "a response outside the family's support (Poisson/NB non-integer y: R's 'non-integer x'), with the warning", when: (j) => warns(j, /^non-integer x|are not integers|is not an integer/) },
  { path: /^(aic|log_likelihood|bic)$/, reason: "a log-likelihood that is not finite at the fitted means, with the warning", when: (j) => warns(j, /^the AIC is \S+ and the log-likelihood \S+:/) },
  { path: /^null_deviance$/, reason: "a null model outside the family's range (R: NaN), with the warning", when: (j) => warns(j, /^the null deviance is not finite/) },
  { path: /^penalized_log_likelihood$/, reason: "mean bias reduction maximises no objective when it differs from the Jeffreys form (bias_reduction.equals_other_form false)",
    when: (j) => j.method === "firth" && (j.bias_reduction as { type?: string; equals_other_form?: boolean } | null)?.type === "AS_mean" && (j.bias_reduction as { equals_other_form?: boolean }).equals_other_form === false },
  { path: /^dispersion$/, reason: "a dispersion that overflows (a fit that did not converge), with the warning", when: (j) => warns(j, /^the estimated dispersion is (Infinity|NaN):/) },
  { path: /^deviance$/, reason: "a residual deviance beyond double precision, with the warning", when: (j) => warns(j, /^the residual deviance is not finite/) },
  { path: /^aux$/, reason: "no auxiliary parameter", when: () => true },
  { path: /^posterior\.reparameterization\.reason$/, reason: "no fallback: the requested reparameterization was used (reason says why only when it fell back)",
    when: (j) => { const r = (j.posterior as { reparameterization?: { requested?: string; used?: string } } | undefined)?.reparameterization; return r !== undefined && r.requested === r.used; } },
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
];

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

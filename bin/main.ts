/**
 * The glmkit command line. `glmkit fit DATA.csv --formula "y ~ x" --family binomial [--json]`.
 * The whole shape the command grows into is in the project's CLI notes; flags and
 * JSON fields are a public contract: extend, never rename or drop.
 */
import { CLI_SEPARATION_WORDING } from "../models/separation-check.js";
import { parseArgs } from "node:util";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCsv, readCsv, type DataTable } from "../src/data/index.js";
import { glm } from "../models/glm.js";
import { GlmkitError } from "../src/errors.js";
import { progressRenderer } from "../models/posterior-progress.js";
import { profileProgress } from "./progress.js";
import { contractMethods, modelIntervalSets, penalizedBasis, type ContractIntervalMethod, type IntervalRequest } from "../models/intervals.js";
import { compareIntervalSets, formatComparison } from "../src/intervals/compare.js";
import type { GlmModel } from "../models/glm.js";
import type { GlmResult } from "../models/result.js";
import type { IntervalSet } from "../src/intervals/types.js";
import { GlmFit } from "../models/fit-result.js";
import { PosteriorFit } from "../models/posterior-result.js";
import {
  checkAfterFitFlags, chooseCovariance, exponentiate, observations, printedCovariance, robustOutput, robustWald, writeDrawsOut,
  OUTPUT_COLUMNS, type AfterFitPlan, type CovarianceChoice,
} from "./after-fit.js";
import { contrastsJson, formulaFlags, withContrastsFlag } from "./formula-flags.js";
import { PREDICT_OPTIONS, runPredict } from "./predict.js";
import { checkPriorFlags, cliPriorError } from "./prior-flags.js";
import { chooseEngine, runSqlFit } from "./sql-fit.js";
import { runMultilevelFit } from "./multilevel-fit.js";
import { hasBars } from "../src/multilevel/bars.js";
import { UsageError, checkOptionFlags, checkRepeatedFlags, checkSamplerMemory, numberFlag, samplerFlags } from "./validate-options.js";

const USAGE = `Usage: glmkit fit DATA.csv --formula "y ~ x1 + x2" [--family NAME] [--link NAME]
                  [--weights COL] [--offset COL] [--theta X] [--power P]
                  [--method mle|firth|map|nuts] [--prior SPEC] [--prior-intercept SPEC]
                  [--prior-aux SPEC] [--autoscale] [--prior-intercept-on raw|centered]
                  [--allow-improper] [--maxit N] [--epsilon E]
                  [--chains 4] [--warmup N] [--draws 1000] [--seed 1]
                  [--adapt-delta 0.8] [--max-treedepth 10] [--parallel]
                  [--metric diag|dense] [--reparameterize laplace|qr|center|none]
                  [--adapt nutpie|stan]
                  [--intervals wald,profile,laplace,posterior] [--level 0.95] [--json]
                  [--vcov model|HC0|HC1|HC2|HC3] [--cluster COL] [--exp]
                  [--output fitted,residuals,...] [--draws-out DIR] [--print-vcov]
                  [--factor COL[:l1,l2,...]] [--ordered COL[:l1,...]]
                  [--contrasts VAR=contr.sum[,VAR=...]] [--save MODEL.json]
                  [--separation auto|always|never] [--engine memory|duckdb] [--progress]
       glmkit predict MODEL.json NEW.csv [--type link|response] [--se]
                  [--interval confidence|prediction] [--level 0.95] [--json|--csv]
       glmkit --version

  DATA.csv   a CSV file, or - to read the CSV from standard input

  --family   gaussian (default), binomial, poisson, Gamma, inverse.gaussian,
             quasibinomial, quasipoisson, negative_binomial (alias negbin), tweedie
  --link     R's link names: identity, log, logit, probit, cloglog, cauchit,
             inverse, 1/mu^2, sqrt, power(λ)
  --theta    negative binomial θ (omit it to estimate θ as MASS::glm.nb)
  --power    Tweedie variance power
  --method   mle (maximum likelihood, default), firth (mean bias reduction, brglm2
             AS_mean), map (posterior mode under the priors; with --prior jeffreys
             the Jeffreys-prior MAP, brglm2 MPL_Jeffreys)
             With lme4's group-level terms in the formula, (1 + x | g), (x || g), (1 | g1/g2):
             lme4's lmer (gaussian, identity; --method reml, the default, or ml/mle) or
             glmer's Laplace (nAGQ = 1; other families, --theta for the negative binomial)
  --prior    coefficient prior, rstanarm-style: normal(0, 2.5), student_t(3, 0, 2.5),
             cauchy(0, 2.5), laplace(0, 1), logistic(0, 1), flat, jeffreys
  --prior-intercept  the intercept's prior (default: as --prior)
  --prior-aux        prior of sigma/shape/theta/lambda: exponential(1), half_normal(1),
             half_student_t(3, 1), gamma(2, 0.1)
  --autoscale  divide coefficient prior scales by sd(x) as rstanarm's autoscale = TRUE
             With no --prior, --prior-intercept or --prior-aux, map, laplace and nuts
             use rstanarm's default priors (autoscaled; printed, JSON prior.defaults);
             declare flat to get flat priors
  --prior-intercept-on  the intercept's prior on the raw intercept (default with
             declared priors) or on the intercept of centred predictors (centered,
             rstanarm's; the default with rstanarm's default priors)
  --allow-improper  (nuts) sample an improper posterior anyway (flat priors under
             separation, aliased flat columns, a flat prior on theta); flagged in the
             output (JSON prior.improper)
  --method laplace  the MAP with its Gaussian (Laplace) approximation
  --intervals  any of wald, profile, laplace, posterior, side by side (under
             --method firth, wald/profile are the Firth Wald and penalized-profile
             intervals); --level sets the level (default 0.95)
  --method nuts  sample the posterior with NUTS (Stan's algorithm): --chains, --warmup,
             --draws, --seed, --adapt-delta, --max-treedepth; --parallel runs the
             chains on worker threads (same draws as in sequence); --metric diag
             (default) or dense; --reparameterize: the linear change of variables
             sampled in, laplace (default: whitened by the Laplace covariance at the
             mode; falls back to qr when there is no mode), qr (rstanarm's QR = TRUE),
             center (rstanarm's centred intercept) or none (the raw coefficients);
             JSON: posterior.reparameterization { requested, used, reason };
             --adapt: the warmup, nutpie (default with --metric diag: the metric
             from draws and gradients, updated every iteration; --warmup 300) or
             stan (Stan's windows, to reproduce Stan; default with --metric dense;
             --warmup 1000); JSON: posterior.adaptation
  --vcov     the coefficient table's covariance (mle): model (default), or sandwich's
             HC0-HC3 (sandwich::vcovHC; z tests, and --intervals wald uses it);
             JSON: vcov_type, vcov_cluster
  --cluster  cluster-robust covariance by a data column (sandwich::vcovCL, type HC0
             unless --vcov says otherwise)
  --exp      also exp(estimate) and exp of interval bounds (odds ratios for the logit
             link, rate ratios for log-link counts); JSON: exp_estimate, exp_lower,
             exp_upper, exp_label
  --output   per-observation columns (mle), in the JSON's "observations" with the
             1-based data row, and a text table: ${OUTPUT_COLUMNS.slice(0, 3).join(", ")},
             ${OUTPUT_COLUMNS.slice(3, 6).join(", ")},
             ${OUTPUT_COLUMNS.slice(6).join(", ")}
  --print-vcov  (mle) the named covariance matrix of the coefficients (the model's, or
             the sandwich of --vcov/--cluster); JSON: vcov { type, cluster, names, matrix }
  --draws-out  (nuts) write the draws to DIR: draws_1.csv, … (CmdStan CSV, one per chain)
             and draws.json; JSON: draws_files
  --factor   treat a column as a factor, optionally with its levels in order
             (District:1,2,3,4; R's factor(x, levels = ...)); repeatable
  --ordered  the same for an ordered factor (contr.poly by default); repeatable
  --contrasts  contrasts by factor variable: a=contr.sum,b=contr.helmert
             (treatment, sum, helmert, poly, SAS); repeatable. With any of
             --factor/--ordered/--contrasts the JSON has "contrasts" (R's
             attr(X, "contrasts"))
  --save     (mle, nuts) write what prediction needs to MODEL.json (glmkit_model 1;
             a posterior keeps at most 1000 thinned draws); JSON: saved_model
  --separation  the LP separation check of binomial/count ML fits (column checks always run): auto (default;
             skipped on very large designs unless the fit shows signs), always, never
  --engine   memory (default for CSV) or duckdb (default for .parquet and CSV files of 1 GB or
             more): IRLS by SQL aggregates in an embedded DuckDB, the rows never loaded into
             memory; --method mle or laplace; progress per iteration on stderr
  --maxit, --epsilon  R's glm.control: maxit an integer >= 1, epsilon > 0 (--epsilon:
             mle and firth only). Counts are bounded: --chains <= 1024, --warmup and
             --draws <= 1e8, and the draws may take at most 2 GiB of memory
  --json     print one JSON object instead of the R-like summary
  --progress  progress of --intervals profile and of --method nuts on stderr even when
             it is not a terminal or with --json (default: only on a terminal, never
             with --json); stdout is unchanged
  --version  print glmkit's version

  predict    predictions of a saved model on NEW.csv, one row per row (NA where
             a used variable is missing): --type link (default) or response, --se
             (standard errors), --interval confidence (link-scale Wald, mapped by
             the inverse link) or prediction (gaussian identity-link fits:
             t on the residual df with sigma^2 + se^2; posterior fits: quantiles
             of posterior predictive draws, --type response); --csv writes the columns
             fit, se_fit, lower, upper; --json one object`;

/** Methods the CLI contract names that later versions add. */
const METHODS = ["mle", "firth", "map", "laplace", "nuts"];
const INTERVAL_NAMES = ["wald", "profile", "laplace", "posterior"] as const;

/** JSON with NaN as null and ±Infinity as the strings "Infinity"/"-Infinity" (the CLI contract). */
export function toJsonText(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) => {
      if (typeof v === "number") {
        if (Number.isNaN(v)) return null;
        if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
      }
      if (v instanceof Float64Array) return Array.from(v);
      return v;
    },
    2,
  );
}

/** The flags of `glmkit fit` (node:util parseArgs). */
const FIT_OPTIONS = {
  formula: { type: "string", short: "f" },
  family: { type: "string" },
  link: { type: "string" },
  weights: { type: "string" },
  offset: { type: "string" },
  theta: { type: "string" },
  power: { type: "string" },
  method: { type: "string" },
  prior: { type: "string" },
  "prior-intercept": { type: "string" },
  "prior-aux": { type: "string" },
  autoscale: { type: "boolean" },
  "prior-intercept-on": { type: "string" },
  "allow-improper": { type: "boolean" },
  chains: { type: "string" },
  warmup: { type: "string" },
  draws: { type: "string" },
  seed: { type: "string" },
  "adapt-delta": { type: "string" },
  "max-treedepth": { type: "string" },
  metric: { type: "string" },
  reparameterize: { type: "string" },
  adapt: { type: "string" },
  parallel: { type: "boolean" },
  intervals: { type: "string" },
  level: { type: "string" },
  maxit: { type: "string" },
  epsilon: { type: "string" },
  vcov: { type: "string" },
  cluster: { type: "string" },
  exp: { type: "boolean" },
  output: { type: "string" },
  "draws-out": { type: "string" },
  "print-vcov": { type: "boolean" },
  factor: { type: "string", multiple: true },
  ordered: { type: "string", multiple: true },
  contrasts: { type: "string", multiple: true },
  save: { type: "string" },
  separation: { type: "string" },
  engine: { type: "string" },
  json: { type: "boolean" },
  progress: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function parseFitArgs(argv: string[]) {
  checkRepeatedFlags(argv, Object.entries(FIT_OPTIONS).filter(([, o]) => !("multiple" in o)).map(([k]) => k));
  return parseArgs({ args: argv, allowPositionals: true, options: FIT_OPTIONS });
}

type FitValues = ReturnType<typeof parseFitArgs>["values"];

/** What the checked flags ask for. */
interface FitPlan {
  method: string;
  intervals: ContractIntervalMethod[] | null;
  level: number | undefined;
  after: AfterFitPlan;
}

/** Checks the flags against each other (before the data are read), in the order the errors are reported. */
function checkFitFlags(values: FitValues, positionals: string[]): FitPlan {
  if (positionals.length !== 1) throw new UsageError(`fit takes one data file (a CSV), got ${positionals.length}`);
  if (!values.formula) throw new UsageError(`--formula is required, e.g. --formula "y ~ x1 + x2"`);
  const method = values.method ?? "mle";
  if (!METHODS.includes(method)) throw new UsageError(`unknown --method "${method}"; valid: ${METHODS.join(", ")}`);
  const priorGiven = values.prior !== undefined || values["prior-intercept"] !== undefined || values["prior-aux"] !== undefined;
  if (priorGiven && method !== "map" && method !== "nuts" && method !== "laplace")
    throw new UsageError(`--prior, --prior-intercept and --prior-aux apply to --method map, laplace and nuts (got --method ${method})`);
  const intervalNames = values.intervals === undefined ? null : values.intervals.split(",").map((x) => x.trim()).filter((x) => x !== "");
  for (const name of intervalNames ?? [])
    if (!(INTERVAL_NAMES as readonly string[]).includes(name))
      throw new UsageError(`unknown interval method "${name}" in --intervals; valid: ${INTERVAL_NAMES.join(", ")}`);
  if (intervalNames?.includes("posterior") && method !== "nuts") throw new UsageError("--intervals posterior needs --method nuts");
  if (intervalNames !== null && intervalNames.length === 0) throw new UsageError("--intervals needs at least one method");
  checkOptionFlags(values, method);
  checkPriorFlags(values, method);
  const level = numberFlag("level", values.level);
  if (values.level !== undefined && intervalNames === null) throw new UsageError("--level applies to --intervals");
  const samplerFlags = ["chains", "warmup", "draws", "seed", "adapt-delta", "max-treedepth", "metric", "reparameterize", "adapt", "parallel"] as const;
  const givenSampler = samplerFlags.filter((f) => values[f] !== undefined);
  if (givenSampler.length > 0 && method !== "nuts")
    throw new UsageError(`--${givenSampler[0]} applies to --method nuts (got --method ${method})`);
  return { method, intervals: intervalNames as ContractIntervalMethod[] | null, level, after: checkAfterFitFlags(values, method) };
}

/** Where the CLI reads standard input from (tests pass their own). */
export interface CliIo {
  readStdin?: () => string;
}

/** The data: a CSV file, or the CSV on standard input when the path is "-". */
function readData(path: string, io: CliIo): DataTable {
  return path === "-" ? parseCsv((io.readStdin ?? (() => readFileSync(0, "utf8")))()) : readCsv(path);
}

/** The model the flags declare, on the data of `path`. */
function declareModel(values: FitValues, path: string, io: CliIo): GlmModel {
  const formula = formulaFlags(values.factor, values.ordered, values.contrasts);
  const data = readData(path, io);
  return withContrastsFlag(() => glm({
    formula: values.formula,
    data,
    family: values.family ?? "gaussian",
    link: values.link,
    weights: values.weights,
    offset: values.offset,
    theta: numberFlag("theta", values.theta),
    power: numberFlag("power", values.power),
    priors: {
      coefficients: values.prior,
      intercept: values["prior-intercept"],
      aux: values["prior-aux"],
      autoscale: values.autoscale ?? false,
      ...(values["prior-intercept-on"] !== undefined ? { interceptOn: values["prior-intercept-on"] as "raw" | "centered" } : {}),
    },
    ...(formula.columns ? { columns: formula.columns } : {}),
    ...(formula.contrasts ? { contrasts: formula.contrasts } : {}),
  }));
}

/** A fit by the method asked for, with the basis of its intervals and the fits they can reuse. */
interface MethodFit {
  fit: GlmResult;
  basis: "mle" | "firth" | "map";
  reuse: Pick<IntervalRequest, "posterior" | "fits">;
}

/** Progress on stderr: with --progress, else on a terminal without --json. */
const progressWanted = (values: FitValues): boolean => values.progress === true || (!values.json && process.stderr.isTTY === true);

/** NUTS with the sampler flags, and a progress bar on a terminal (never with --json). */
async function sampleByFlags(model: GlmModel, values: FitValues): Promise<MethodFit> {
  const counts = samplerFlags(values);
  const { chains, warmup, draws } = counts;
  checkSamplerMemory(counts, model.columnNames.length + 1);
  const progress = progressRenderer({ chains, warmup, draws, enabled: progressWanted(values) });
  const fit = await model.sample({
    chains, warmup, draws,
    seed: counts.seed,
    adaptDelta: counts.adaptDelta,
    maxTreeDepth: counts.maxTreeDepth,
    ...(counts.metric ? { metric: counts.metric } : {}),
    ...(counts.reparameterize ? { reparameterize: counts.reparameterize } : {}),
    adaptation: counts.adaptation,
    parallel: values.parallel ?? false,
    onProgress: progress.onProgress,
    allowImproper: values["allow-improper"] ?? false,
  });
  progress.done();
  return { fit, basis: "mle", reuse: { posterior: fit } };
}

async function fitByMethod(model: GlmModel, values: FitValues, method: string): Promise<MethodFit> {
  const maxit = numberFlag("maxit", values.maxit);
  const epsilon = numberFlag("epsilon", values.epsilon);
  if (method === "nuts") return sampleByFlags(model, values);
  if (method === "firth") {
    const fit = model.firth({ maxit, epsilon });
    return { fit, basis: "firth", reuse: { fits: { firth: fit } } };
  }
  if (method === "map" || method === "laplace") {
    const fit = method === "map" ? model.map({ maxit }) : model.laplace({ maxit });
    const basis = penalizedBasis(fit);
    return { fit, basis, reuse: { fits: basis === "firth" ? { firth: fit } : { map: fit } } };
  }
  const separation = values.separation as "auto" | "always" | "never" | undefined;
  const fit = model.fit({ maxit, epsilon, separation, separationWording: CLI_SEPARATION_WORDING });
  return { fit, basis: "mle", reuse: { fits: { mle: fit } } };
}

async function runFit(argv: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseFitArgs(argv);
  if (values.help) {
    process.stdout.write(USAGE + "\n");
    return;
  }
  if (positionals.length === 1 && typeof values.formula === "string" && hasBars(values.formula)) {
    // lme4's group-level terms (1 + x | g): lmer / glmer (bin/multilevel-fit.ts).
    const out = runMultilevelFit(values, readData(positionals[0]!, io));
    emit(out.json, out.text, null, values.json === true);
    return;
  }
  if (positionals.length === 1 && chooseEngine(values, positionals[0]!) === "duckdb") {
    if (!values.formula) throw new UsageError(`--formula is required, e.g. --formula "y ~ x1 + x2"`);
    const out = await runSqlFit(values, positionals[0]!);
    emit(out.json, out.text, null, values.json === true);
    return;
  }
  const plan = checkFitFlags(values, positionals);
  if (values.save !== undefined && plan.method !== "mle" && plan.method !== "nuts")
    throw new UsageError(`--save applies to --method mle and nuts (got --method ${plan.method}); saved penalized fits are not supported yet`);
  const model = declareModel(values, positionals[0]!, io);
  const { fit, basis, reuse } = await fitByMethod(model, values, plan.method).catch((err: unknown) => { throw cliPriorError(err); });
  const choice = chooseCovariance(fit, plan.after);
  const bar = profileProgress({ enabled: progressWanted(values) });
  let iv: IntervalOutput | null = null;
  try {
    iv = plan.intervals ? intervalsFor(model, plan.intervals, basis, plan.level, { ...reuse, onProgress: bar.onProgress }, choice) : null;
  } finally {
    bar.done();
  }
  const out = composeOutput(fit, choice, iv, plan.after);
  if (values.factor !== undefined || values.ordered !== undefined || values.contrasts !== undefined)
    out.json = { ...out.json, contrasts: contrastsJson(fit.context.contrasts) };
  if (values.save !== undefined && (fit instanceof GlmFit || fit instanceof PosteriorFit)) {
    writeFileSync(values.save, JSON.stringify(fit.save()) + "\n");
    out.json = { ...out.json, saved_model: values.save };
    out.text = `${out.text}\n\nModel saved to: ${values.save}`;
  }
  emit(out.json, out.text, out.intervals, values.json === true);
}

/** `glmkit predict MODEL.json NEW.csv …`. */
function runPredictCommand(argv: string[], io: CliIo): void {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: PREDICT_OPTIONS });
  if (values.help) {
    process.stdout.write(USAGE + "\n");
    return;
  }
  process.stdout.write(runPredict(positionals, values, (path) => readData(path, io)) + "\n");
}

type IntervalOutput = { json: Record<string, { name: string; lower: number; upper: number }[]>; text: string };

/** The fit's JSON and text, with what the after-the-fit flags add (nothing without them). */
function composeOutput(fit: GlmResult, choice: CovarianceChoice | null, iv: IntervalOutput | null, after: AfterFitPlan) {
  let json: Record<string, unknown>;
  let text: string;
  if (choice !== null && fit instanceof GlmFit) ({ json, text } = robustOutput(fit, choice));
  else {
    json = fit.toJSON() as unknown as Record<string, unknown>;
    text = fit.summary();
  }
  const blocks: string[] = iv ? [iv.text] : [];
  let intervals: Record<string, unknown> | null = iv ? iv.json : null;
  if (after.exp) {
    const e = exponentiate(json, iv?.json ?? null);
    json = e.json;
    intervals = e.intervals;
    blocks.push(e.text);
  }
  if (after.output) {
    const o = observations(fit, after.output);
    json = { ...json, observations: o.json };
    blocks.push(o.text);
  }
  if (after.printVcov) {
    const v = printedCovariance(fit, after);
    json = { ...json, vcov: v.json };
    blocks.push(v.text);
  }
  if (after.drawsOut !== null) {
    const paths = writeDrawsOut(fit, after.drawsOut);
    json = { ...json, draws_files: paths };
    blocks.push(`Draws written to:\n${paths.map((p) => `  ${p}`).join("\n")}`);
  }
  if (blocks.length > 0) text = [text, ...blocks].join("\n\n");
  return { json, text, intervals };
}

/** Interval sets named by the contract's method names, and their side-by-side table. */
function intervalsFor(
  model: GlmModel,
  names: ContractIntervalMethod[],
  basis: "mle" | "firth" | "map",
  level: number | undefined,
  extra: Pick<IntervalRequest, "posterior" | "fits" | "onProgress">,
  choice: CovarianceChoice | null,
): IntervalOutput {
  const methods = contractMethods(names, basis);
  const sets: IntervalSet[] = modelIntervalSets(model, { methods, level, ...extra }).map((set) => robustWald(choice, set));
  const json: IntervalOutput["json"] = {};
  sets.forEach((set, k) => {
    json[names[k]!] = set.rows.map((r) => ({ name: r.name, lower: r.lower, upper: r.upper }));
  });
  return { json, text: formatComparison(compareIntervalSets(sets)) };
}

/** Writes the JSON record (with `intervals` last, when asked for) or the text (which holds the interval table). */
function emit(json: object, text: string, intervals: Record<string, unknown> | null, asJson: boolean): void {
  if (asJson) process.stdout.write(toJsonText(intervals ? { ...json, intervals } : json) + "\n");
  else process.stdout.write(text + "\n");
}

/** glmkit's version, from the package.json above this module (dist/bin or bin). */
export function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++, dir = dirname(dir)) {
    const path = join(dir, "package.json");
    if (!existsSync(path)) continue;
    const pkg = JSON.parse(readFileSync(path, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "glmkit" && pkg.version) return pkg.version;
  }
  return "unknown";
}

/** An error message on one line of stderr (parseArgs' messages span several). */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, " ");
}

export async function main(argv: string[], io: CliIo = {}): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
      process.stdout.write(USAGE + "\n");
      return command === undefined ? 2 : 0;
    }
    if (command === "--version" || command === "-v") {
      process.stdout.write(`glmkit ${version()}\n`);
      return 0;
    }
    if (command === "predict") {
      runPredictCommand(rest, io);
      return 0;
    }
    if (command !== "fit") throw new UsageError(`unknown command "${command}"; the commands are "fit" and "predict"`);
    await runFit(rest, io);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"))) {
      process.stderr.write(`glmkit: ${oneLine(err.message)} (see glmkit fit --help)\n`);
      return 2;
    }
    if (err instanceof GlmkitError) {
      process.stderr.write(`glmkit: ${err.name}: ${oneLine(err.message)}\n`);
      return 1;
    }
    if (err instanceof Error && "code" in err && err.code === "ENOENT") {
      process.stderr.write(`glmkit: cannot read data file: ${oneLine(err.message)}\n`);
      return 1;
    }
    throw err;
  }
}


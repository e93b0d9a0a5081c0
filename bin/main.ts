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
import { loadLpSolver } from "../src/separation.js";
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
  type AfterFitPlan, type CovarianceChoice,
} from "./after-fit.js";
import { contrastsJson, formulaFlags, withContrastsFlag } from "./formula-flags.js";
import { PREDICT_OPTIONS, runPredict } from "./predict.js";
import { checkPriorFlags, cliPriorError } from "./prior-flags.js";
import { chooseEngine, runSqlFit } from "./sql-fit.js";
import { runMultilevelFit } from "./multilevel-fit.js";
import { hasBars } from "../src/multilevel/bars.js";
import { checkMultinomialFlags, runMultinomialFit } from "./multinomial.js";
import { isMultinomialFamily } from "../models/multinomial.js";
import { UsageError, checkOptionFlags, checkRepeatedFlags, checkSamplerMemory, numberFlag, samplerFlags } from "./validate-options.js";
import { PLOT_OPTIONS, checkPlotFlags, plotsText, writeCliPlots } from "./plot-flags.js";
import { USAGE } from "./usage.js";

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
  "prior-covariance": { type: "string" },
  "prior-sd": { type: "string" },
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
  ref: { type: "string" },
  engine: { type: "string" },
  json: { type: "boolean" },
  progress: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  ...PLOT_OPTIONS,
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
  for (const k of ["prior-covariance", "prior-sd"] as const)
    if (values[k] !== undefined) throw new UsageError(`--${k} applies to a multilevel model (a formula with group-level terms such as (1 | g)) with --method nuts`);
  if (isMultinomialFamily(values.family)) {
    if (positionals.length !== 1) throw new UsageError(`fit takes one data file (a CSV), got ${positionals.length}`);
    if (!values.formula) throw new UsageError(`--formula is required, e.g. --formula "y ~ x1 + x2"`);
    checkMultinomialFlags(values);
    checkOptionFlags(values, values.method ?? "mle");
    const out = runMultinomialFit(values, readData(positionals[0]!, io));
    emit(out.json, out.text, null, values.json === true);
    return;
  }
  if (values.ref !== undefined) throw new UsageError("--ref (the reference category) applies to --family multinomial");
  if (positionals.length === 1 && chooseEngine(values, positionals[0]!) === "duckdb") {
    if (!values.formula) throw new UsageError(`--formula is required, e.g. --formula "y ~ x1 + x2"`);
    if (values.plot !== undefined) throw new UsageError("--plot is not available with --engine duckdb (the rows are not loaded into memory)");
    const out = await runSqlFit(values, positionals[0]!);
    emit(out.json, out.text, null, values.json === true);
    return;
  }
  const plan = checkFitFlags(values, positionals);
  const plots = checkPlotFlags(values, plan.method, plan.intervals);
  if (values.save !== undefined && plan.method !== "mle" && plan.method !== "nuts")
    throw new UsageError(`--save applies to --method mle and nuts (got --method ${plan.method}); saved penalized fits are not supported yet`);
  await loadLpSolver(); // HiGHS for the exact separation check (lazy: --help and predict never load it)
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
  if (plots) {
    const files = await writeCliPlots(plots, { fit, sets: iv?.sets ?? null, seed: samplerFlags(values).seed });
    out.json = { ...out.json, plots: files };
    out.text = `${out.text}\n\n${plotsText(files)}`;
  }
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

type IntervalOutput = { json: Record<string, { name: string; lower: number; upper: number }[]>; text: string; sets: IntervalSet[] };

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
  return { json, text: formatComparison(compareIntervalSets(sets)), sets };
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


/**
 * `glmkit fit DATA --formula "y ~ x + (1 + x | g)"`: a formula with lme4's group-level
 * terms is fitted by glmer() (models/multilevel.ts): lmer for gaussian with the identity
 * link (REML unless `--method ml`/`mle`), glmer's Laplace (nAGQ = 1) otherwise. The JSON
 * record keeps the fields of `glmkit fit` and adds `group_effects`, `bic`,
 * `reml_criterion` and `na_dropped`. `--method nuts` samples the posterior (bin/multilevel-nuts.ts)
 * and takes the prior and sampler flags (MULTILEVEL_NUTS_FLAGS).
 */
import type { DataTable } from "../src/data/index.js";
import { glmer, type MultilevelFitResult } from "../models/multilevel.js";
import { formulaFlags, withContrastsFlag } from "./formula-flags.js";
import { UsageError, numberFlag } from "./validate-options.js";
import { MULTILEVEL_NUTS_FLAGS, runMultilevelNuts } from "./multilevel-nuts.js";

/** The flags a multilevel fit takes; any other flag given with it is a usage error. */
const MULTILEVEL_FLAGS = new Set(["formula", "family", "link", "weights", "offset", "theta", "method", "json", "factor", "ordered", "contrasts", "engine", "help", ...MULTILEVEL_NUTS_FLAGS]);
/** Methods of a multilevel fit: ml and mle are the same (maximum likelihood), reml is lmer's default. */
const MULTILEVEL_METHODS = ["ml", "mle", "reml", "nuts"];

type Values = Record<string, unknown> & { formula?: string; method?: string; json?: boolean };

/** The JSON record of a multilevel fit (the CLI contract's fields, extended). */
export function multilevelJson(fit: MultilevelFitResult): Record<string, unknown> {
  const ge = fit.groupEffects;
  return {
    method: fit.method, family: fit.family, link: fit.link, n: fit.n, converged: fit.converged,
    iterations: fit.estimate.evaluations, warnings: fit.warnings,
    coefficients: fit.coefficients,
    deviance: fit.deviance, null_deviance: null, df_residual: fit.n - fit.df,
    aic: fit.aic, bic: fit.bic, log_likelihood: fit.logLik,
    dispersion: ge.residual_sd === null ? 1 : ge.residual_sd ** 2, theta: null,
    reml_criterion: fit.method === "reml" ? fit.remlCriterion : null,
    na_dropped: fit.naDropped,
    group_effects: {
      sd: ge.sd, cor: ge.cor, residual_sd: ge.residual_sd, theta: ge.theta, groups: ge.groups,
      ranef: ge.ranef, coef: ge.coef,
    },
  };
}

/** Fits the multilevel model the flags declare on `data`; returns the JSON record and the text. */
export function runMultilevelFit(values: Values, data: DataTable): { json: Record<string, unknown>; text: string } {
  for (const [k, v] of Object.entries(values)) {
    if (v !== undefined && !MULTILEVEL_FLAGS.has(k))
      throw new UsageError(`--${k} does not apply to a multilevel model (a formula with (… | g) terms); it takes ${[...MULTILEVEL_FLAGS].filter((f) => f !== "help").map((f) => `--${f}`).join(", ")}`);
  }
  if (values.engine !== undefined && values.engine !== "memory") throw new UsageError(`multilevel models are fitted in memory (--engine memory), not by --engine ${String(values.engine)}`);
  const method = values.method ?? "default";
  if (method !== "default" && !MULTILEVEL_METHODS.includes(method)) throw new UsageError(`unknown --method "${method}" for a multilevel model; valid: ml (alias mle), reml (lmer's default), nuts`);
  const nutsOnly = MULTILEVEL_NUTS_FLAGS.find((k) => values[k] !== undefined);
  if (method !== "nuts" && nutsOnly !== undefined) throw new UsageError(`--${nutsOnly} applies to a multilevel model with --method nuts (got --method ${method === "default" ? "reml/ml, the default" : method})`);
  const flags = formulaFlags(values.factor as string[] | undefined, values.ordered as string[] | undefined, values.contrasts as string[] | undefined);
  const model = withContrastsFlag(() => glmer({
    formula: values.formula, data, family: (values.family as string | undefined) ?? "gaussian", link: values.link as string | undefined,
    weights: values.weights as string | undefined, offset: values.offset as string | undefined,
    theta: numberFlag("theta", values.theta as string | undefined),
    ...(flags.columns ? { columns: flags.columns } : {}),
    ...(flags.contrasts ? { contrasts: flags.contrasts } : {}),
  }));
  if (method === "nuts") return runMultilevelNuts(model, values);
  const REML = method === "reml" ? true : method === "ml" || method === "mle" ? false : undefined;
  const fit = model.fit(REML === undefined ? {} : { REML });
  return { json: multilevelJson(fit), text: fit.summary() };
}

/**
 * Analysis of deviance. For nested GLMs, as R's anova.glmlist: successive
 * differences of residual deviance, tested by χ² (deviance / dispersion) or F
 * ((deviance/df) / dispersion on df.residual of the largest model), the
 * dispersion taken from the model with the fewest residual degrees of freedom.
 * For one GLM, as R's anova.glm: the terms added sequentially; and R's drop1 and
 * add1 (src/diagnostics/term-tests.ts).
 */
import { fUpper } from "../src/stats/tails.js";
import { anovaChisq } from "../src/stats/anova-chisq.js";
import { ArgumentError } from "../src/errors.js";
import type { SequentialAnova, SequentialTest, TermTest, TermTestOptions, TermTestTable } from "../src/diagnostics/term-tests.js";
import { add1Of, drop1Of, sequentialAnovaOf } from "./term-tests.js";
import { GlmFit } from "./fit-result.js";

export type { SequentialAnova, SequentialAnovaRow, SequentialTest, TermTest, TermTestOptions, TermTestRow, TermTestTable } from "../src/diagnostics/term-tests.js";

export type AnovaTest = "Chisq" | "LRT" | "F";

export interface AnovaRow {
  resid_df: number;
  resid_dev: number;
  /** null on the first row. */
  df: number | null;
  deviance: number | null;
  /** F statistic (test "F" only). */
  f: number | null;
  p_value: number | null;
}

/** Options of the one-model table: the test (default "Chisq"; null for none) and a known dispersion. */
export interface SequentialAnovaOptions {
  test?: SequentialTest | null;
  dispersion?: number;
}

/**
 * `anova([fit0, fit1, …], test)`: nested models compared in order (R: anova(fit0, fit1, test)).
 * `anova(fit, test)`: one model, its terms added sequentially (R: anova(fit, test); "Rao"
 * for the score test, null for no test; MASS's anova.negbin holds θ at θ̂ for glm.nb fits).
 * @example anova(fit, "Chisq").rows.map((r) => [r.term, r.p_value])
 */
export function anova(fits: GlmFit[], test?: AnovaTest): AnovaRow[];
export function anova(fit: GlmFit, test?: SequentialTest | null | SequentialAnovaOptions): SequentialAnova;
export function anova(fits: GlmFit[] | GlmFit, test?: AnovaTest | SequentialTest | null | SequentialAnovaOptions): AnovaRow[] | SequentialAnova {
  if (fits instanceof GlmFit) {
    const options = test !== null && typeof test === "object" ? test : { test: test as SequentialTest | null | undefined };
    return sequentialAnovaOf(fits, options);
  }
  if (!Array.isArray(fits)) throw new ArgumentError("anova needs a fitted model (GlmFit) or an array of fitted models");
  return anovaList(fits, (test ?? "Chisq") as AnovaTest);
}

function termOptions<T extends TermTestOptions>(test: TermTest | T | undefined): T {
  return (typeof test === "string" ? { test } : (test ?? {})) as T;
}

/**
 * R's drop1(fit, scope, test): each term (default: those drop.scope allows) dropped in turn.
 * @example drop1(fit, "LRT").rows // <none>, then one row per term: df, deviance, aic, lrt, p_value
 */
export function drop1(fit: GlmFit, test?: TermTest | (TermTestOptions & { scope?: readonly string[] })): TermTestTable {
  if (!(fit instanceof GlmFit)) throw new ArgumentError("drop1 needs a maximum-likelihood fit (model.fit())");
  return drop1Of(fit, termOptions(test));
}

/**
 * R's add1(fit, scope, test): each term of `scope` added in turn. `scope` is a formula
 * ("~ . + ftv + age:lwt", or an upper formula such as "~ age + lwt + race + ftv") or term labels.
 * @example add1(fit, "~ . + ftv", "F").rows[1].p_value
 */
export function add1(fit: GlmFit, scope: string | readonly string[], test?: TermTest | TermTestOptions): TermTestTable {
  if (!(fit instanceof GlmFit)) throw new ArgumentError("add1 needs a maximum-likelihood fit (model.fit())");
  return add1Of(fit, scope, termOptions(test));
}

function anovaList(fits: GlmFit[], test: AnovaTest): AnovaRow[] {
  if (fits.length < 2) throw new ArgumentError("anova needs at least two fitted models");
  const n0 = fits[0]!.ml.nObs;
  for (const f of fits)
    if (f.ml.nObs !== n0) throw new ArgumentError("models were not all fitted to the same number of observations");
  let big = fits[0]!;
  for (const f of fits) if (f.dfResidual < big.dfResidual) big = f;
  const scale = big.dispersion;
  const dfScale = big.ml.dispersionEstimated ? big.dfResidual : Number.POSITIVE_INFINITY;
  return fits.map((f, k) => {
    if (k === 0) return { resid_df: f.dfResidual, resid_dev: f.deviance, df: null, deviance: null, f: null, p_value: null };
    const prev = fits[k - 1]!;
    const df = prev.dfResidual - f.dfResidual;
    const dev = prev.deviance - f.deviance;
    if (df === 0) return { resid_df: f.dfResidual, resid_dev: f.deviance, df, deviance: dev, f: null, p_value: null };
    if (test === "F") {
      const F = dev / df / scale;
      const p = F < 0 ? null : fUpper(F, Math.abs(df), dfScale);
      return { resid_df: f.dfResidual, resid_dev: f.deviance, df, deviance: dev, f: F < 0 ? null : F, p_value: p };
    }
    const { p_value } = anovaChisq(dev, df, scale);
    return { resid_df: f.dfResidual, resid_dev: f.deviance, df, deviance: dev, f: null, p_value: Number.isNaN(p_value) ? null : p_value };
  });
}

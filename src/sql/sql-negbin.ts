/**
 * The negative binomial with θ estimated where the rows live in a SQL engine:
 * MASS::glm.nb's alternation (MASS 7.3, as src/fit/negbin.ts) — a Poisson fit, then
 * IRLS at fixed θ (runIrls, the family's SQL at that θ) alternating with theta.ml's
 * Newton steps on the score of θ given μ — stopping when |ΔL|/d₁ + |Δθ|/d₂ < ε.
 *
 * θ's score and information need ψ(θ + y) and ψ′(θ + y), which are not SQL built-ins;
 * they depend on the rows through y alone, so the engine returns Σw per distinct y once
 * (one GROUP BY query) and those terms are summed here with stdlib's ψ, ψ′ and log Γ.
 * The terms in μ are one aggregate query per Newton step:
 *   score = Σ_y W_y [ψ(θ+y) − ψ(θ) + log θ + 1] − Σ w [log(θ+μ) + (y+θ)/(μ+θ)],
 *   info  = Σ_y W_y [−ψ′(θ+y) + ψ′(θ) − 1/θ] + Σ w [2/(μ+θ) − (y+θ)/(μ+θ)²],
 *   log L = Σ_y W_y [log Γ(θ+y) − log Γ(y+1)] + Σw [θ log θ − log Γ(θ)] + Σ w [y log(μ + [y=0]) − (θ+y) log(θ+μ)].
 * Reference: Venables & Ripley (2002) Modern Applied Statistics with S, §7.4.
 */
import digamma from "@stdlib/math-base-special-digamma";
import trigamma from "@stdlib/math-base-special-trigamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import { DataError } from "../errors.js";
import { makeFamily } from "../families/index.js";
import type { Family, Link } from "../types.js";
import { sqlFamily, sqlMath } from "./family-sql.js";
import { etaFrom, etaSql, frameSelect, type EtaSource, type FrameQuery } from "./irls-sql.js";
import { finishSqlFit, interceptOnly, num, prepareSqlModel, runIrls, type IrlsRun, type PreparedSqlModel, type SqlFitOptions, type SqlMlFit, type SqlRunner } from "./sql-fit.js";

export interface SqlNegbinFit extends SqlMlFit {
  theta: number;
  seTheta: number;
  twoLogLik: number;
  /** Outer alternations between IRLS and θ. */
  alternations: number;
}

/** Σw per distinct y (y and w do not change between fits). */
interface CountTable { ys: Float64Array; ws: Float64Array; sumW: number; nObs: number }

/** The rows' μ at a fit, as the FROM item and expression of an aggregate query. */
function muAt(q: FrameQuery, src: EtaSource): { from: string; mu: string } {
  const eta = etaSql(q, src);
  return { from: `(SELECT *, ${q.family.link.linkinv(`(${eta})`)} AS mu FROM ${etaFrom(q, src)}) AS t_mu`, mu: "mu" };
}

/** MASS::theta.ml from the aggregates: Newton–Raphson on θ's score given μ (tolerance ε^¼). */
async function thetaMlSql(prep: PreparedSqlModel, q: FrameQuery, src: EtaSource, counts: CountTable, limit: number): Promise<{ theta: number; se: number; warnings: string[] }> {
  const { s } = prep;
  const m = sqlMath(q.d);
  const { from } = muAt(q, src);
  const head = `WITH frame AS (${frameSelect(q)}) SELECT`;
  const r0 = await s.one(`${head} SUM(w * (y / mu - 1) * (y / mu - 1)) AS s FROM ${from}`);
  const eps = Math.pow(Number.EPSILON, 0.25);
  let t0 = counts.sumW / num(r0.s);
  let it = 0;
  let del = 1;
  let info = Number.NaN;
  while (++it < limit && Math.abs(del) > eps) {
    t0 = Math.abs(t0);
    const th = m.num(t0);
    const r = await s.one(`${head} SUM(w * (${m.ln(`(${th} + mu)`)} + (y + ${th}) / (mu + ${th}))) AS s1, SUM(w * (2 / (mu + ${th}) - (y + ${th}) / ((mu + ${th}) * (mu + ${th})))) AS i1 FROM ${from}`);
    const dg = digamma(t0), tg = trigamma(t0), lt = Math.log(t0);
    let score = -num(r.s1);
    info = num(r.i1);
    for (let k = 0; k < counts.ys.length; k++) {
      const y = counts.ys[k]!, w = counts.ws[k]!;
      score += w * (digamma(t0 + y) - dg + lt + 1);
      info += w * (-trigamma(t0 + y) + tg - 1 / t0);
    }
    del = score / info;
    t0 += del;
  }
  const warnings: string[] = [];
  if (t0 < 0) { t0 = 0; warnings.push("theta estimate truncated at zero"); }
  if (it === limit) warnings.push("theta iteration limit reached");
  return { theta: t0, se: Math.sqrt(1 / info), warnings };
}

/** MASS's log-likelihood Σ w·log f(y; μ, θ) at a fit. */
async function logLikSql(prep: PreparedSqlModel, q: FrameQuery, src: EtaSource, counts: CountTable, th: number): Promise<number> {
  const m = sqlMath(q.d);
  const t = m.num(th);
  const { from } = muAt(q, src);
  const r = await prep.s.one(`WITH frame AS (${frameSelect(q)}) SELECT SUM(w * (y * ${m.ln("(mu + (CASE WHEN y = 0 THEN 1 ELSE 0 END))")} - (${t} + y) * ${m.ln(`(${t} + mu)`)})) AS s FROM ${from}`);
  let ll = num(r.s) + counts.sumW * (th * Math.log(th) - gammaln(th));
  for (let k = 0; k < counts.ys.length; k++) ll += counts.ws[k]! * (gammaln(th + counts.ys[k]!) - gammaln(counts.ys[k]! + 1));
  return ll;
}

/**
 * Fits a negative binomial GLM with θ estimated (MASS::glm.nb) to the rows of `from`.
 * `link` is the link of the family (log by default).
 */
export async function fitSqlNegbin(runner: SqlRunner, from: string, formula: string, link: Link | string, opts: SqlFitOptions = {}): Promise<SqlNegbinFit> {
  const maxit = opts.maxit ?? 25;
  const epsilon = opts.epsilon ?? 1e-8;
  const d = runner.dialect;
  const poisson: Family = makeFamily("poisson", { link });
  const familyAt = (theta: number): Family => makeFamily("negative_binomial", { theta, link });
  const prep = await prepareSqlModel(runner, from, formula, poisson, opts, true);
  const qAt = (fam: Family): FrameQuery => ({ ...prep.q, family: sqlFamily(fam, d) });
  const inner: SqlFitOptions = { ...opts, maxit, epsilon, start: null };

  const ct = await prep.s.one(`WITH frame AS (${frameSelect(prep.q)}) SELECT COUNT(*) AS k, SUM(CASE WHEN w <> 0 THEN 1 ELSE 0 END) AS n_obs, SUM(CASE WHEN y <> 0 AND w > 0 THEN 1 ELSE 0 END) AS n_pos FROM frame`);
  if (num(ct.n_pos) === 0) throw new DataError("θ of the negative binomial cannot be estimated when all counts are 0 (θ has no maximum-likelihood estimate); give theta, or use the poisson family");
  prep.s.queries++;
  const groups = await runner.rows(`WITH frame AS (${frameSelect(prep.q)}) SELECT y, SUM(w) AS sw FROM frame GROUP BY y ORDER BY y`);
  const counts: CountTable = {
    ys: Float64Array.from(groups, (g) => num(g.y)), ws: Float64Array.from(groups, (g) => num(g.sw)),
    sumW: num(prep.meta.sum_w), nObs: num(ct.n_obs),
  };

  // The Poisson start, then θ given its μ.
  let q = prep.q;
  prep.s.family = poisson;
  // As glm.nb (and src/fit/negbin.ts), the Poisson start ignores `start`: R's mustart.
  let fit: IrlsRun = await runIrls(prep.s, q, { kind: "mustart" }, { ...opts, maxit, epsilon });
  let muSrc: EtaSource = fit.final;
  let est = await thetaMlSql(prep, q, muSrc, counts, maxit);
  let th = est.theta;
  let fam = familyAt(th);
  let iter = 0;
  const dfResidual = counts.nObs - (fit.solution ? fit.solution.rank : 0);
  const d1 = Math.sqrt(2 * Math.max(1, dfResidual));
  const d2 = 1;
  let del = 1;
  let Lm = await logLikSql(prep, q, muSrc, counts, th);
  let Lm0 = Lm + 2 * d1;
  let fitFamily = poisson;
  while (++iter <= maxit && Math.abs(Lm0 - Lm) / d1 + Math.abs(del) / d2 > epsilon) {
    // glm.nb: etastart = g(μ) of the previous fit, IRLS at the current θ, then θ given the previous μ.
    const qFam = qAt(fam);
    prep.s.family = fam;
    const next = await runIrls(prep.s, qFam, { kind: "fitted", eta: etaSql(q, muSrc) }, inner);
    const t0 = th;
    est = await thetaMlSql(prep, q, muSrc, counts, maxit);
    th = est.theta;
    fitFamily = fam;
    fam = familyAt(th);
    fit = next;
    q = qFam;
    muSrc = fit.final;
    del = t0 - th;
    Lm0 = Lm;
    Lm = await logLikSql(prep, q, muSrc, counts, th);
  }
  const warnings = [...est.warnings];
  if (iter > maxit) warnings.push("alternation limit reached");
  if (!(est.se > 0 && Number.isFinite(est.se)))
    warnings.push(`the standard error of theta is ${est.se}: the information of theta at its estimate is not positive and finite, so the SE does not exist (MASS::theta.ml: "NaNs produced" in sqrt(1/i))`);
  // glm.nb's null deviance with an offset: an intercept-only IRLS at the final θ from the family's mustart.
  let nullDeviance: number | undefined;
  if (prep.frame.offset !== null && prep.frame.hasIntercept) {
    prep.s.family = fam;
    nullDeviance = (await runIrls(prep.s, interceptOnly(qAt(fam)), { kind: "mustart" }, { ...inner, onIteration: undefined })).deviance;
  }
  prep.s.family = fitFamily;
  const rank = fit.solution ? fit.solution.rank : 0;
  const ml = await finishSqlFit(prep, q, fitFamily, formula, fit, opts, { nullDeviance, aic: { aic: -2 * Lm + 2 * rank + 2, logLik: Lm } });
  return { ...ml, warnings: [...ml.warnings, ...warnings], family: `Negative Binomial(${th.toFixed(4)})`, theta: th, seTheta: est.se, twoLogLik: 2 * Lm, alternations: iter };
}

/** The text of `glmkit --help`, in a module of its own so that --help loads nothing else. */
/** Per-observation columns --output can add to the JSON (`observations`), with the row numbers. */
export const OUTPUT_COLUMNS = [
  "fitted", "linear_predictor", "residuals", "pearson_residuals", "working_residuals", "response_residuals", "hat", "cooks_distance",
] as const;

export const USAGE = `Usage: glmkit fit DATA.csv --formula "y ~ x1 + x2" [--family NAME] [--link NAME]
                  [--weights COL] [--offset COL] [--theta X] [--power P]
                  [--method mle|firth|map|nuts] [--prior SPEC] [--prior-intercept SPEC]
                  [--prior-aux SPEC] [--autoscale] [--prior-intercept-on raw|centered]
                  [--prior-covariance "decov(1, 1, 1, 1)"|"lkj(2)"] [--prior-sd SPEC]
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
                  [--plot forest,trace,rank,density,ppc,residuals,qq,calibration]
                  [--plot-dir DIR] [--plot-format svg,png]
       glmkit predict MODEL.json NEW.csv [--type link|response] [--se]
                  [--interval confidence|prediction] [--level 0.95] [--json|--csv]
       glmkit --version

  DATA.csv   a CSV file, or - to read the CSV from standard input

  --family   gaussian (default), binomial, poisson, Gamma, inverse.gaussian,
             quasibinomial, quasipoisson, negative_binomial (alias negbin), tweedie,
             multinomial (a factor or cbind(a, b, c) response; --ref LEVEL picks the
             reference category, default the first; --method mle|firth|map|laplace|nuts,
             --intervals wald,profile)
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
             or, with --method nuts, the posterior as rstanarm's stan_glmer (non-centred
             NUTS, adapt_delta 0.95, rstanarm's default priors; a negative binomial
             without --theta samples θ); output in brms names: b_Days, sd_Subject__Days,
             cor_Subject__Intercept__Days, sigma (JSON group_effects, posterior)
  --prior    coefficient prior, rstanarm-style: normal(0, 2.5), student_t(3, 0, 2.5),
             cauchy(0, 2.5), laplace(0, 1), logistic(0, 1), flat, jeffreys
  --prior-intercept  the intercept's prior (default: as --prior)
  --prior-aux        prior of sigma/shape/theta/lambda: exponential(1), half_normal(1),
             half_student_t(3, 1), gamma(2, 0.1)
  --prior-covariance  (group-level terms, nuts) decov(regularization, concentration,
             shape, scale) (rstanarm's, default decov(1, 1, 1, 1)) or lkj(eta) (brms's,
             LKJ on the correlations with --prior-sd on the SDs)
  --prior-sd  (group-level terms, nuts, lkj) prior of the group-level SDs, default
             half_student_t(3, 2.5); with --prior-sd alone the covariance is lkj(1)
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
  --plot     write plots to --plot-dir (DIR/KIND.svg; --plot-format svg,png for PNG too):
             forest (needs --intervals), trace, rank, density (against the prior), ppc
             (nuts); residuals, qq (randomized quantile residuals), calibration
             (binomial) (mle); JSON: plots [{ kind, format, path }]
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

# Reference values for glmkit's after-the-fit diagnostics (src/diagnostics/).
#
# Run from the repository root:   Rscript test/reference/diagnostics.R
#
# Writes test/reference/diagnostics.json, an object with two arrays:
#
#   fits         One entry per glm() / MASS::glm.nb() fit (R's default control, as glm.R):
#                - influence (stats 4.2): hatvalues, cooks.distance, rstandard (type
#                  "deviance" and "pearson"), rstudent, dfbeta, dfbetas, dffits, covratio,
#                  lm.influence's sigma (the leave-one-out sigma from deviance residuals),
#                  influence.measures' infmat column cov.r and its is.inf flags (0/1, null
#                  where R gives NA). R reports these only for the rows with non-zero prior
#                  weight: `rows` holds their 0-based indices.
#                  dfbeta/dfbetas/is.inf are written row-major (one row per reported case).
#                - sandwich 3.0.2: vcovHC types HC0, HC1, HC2, HC3; vcovCL with the cluster
#                  given in `cluster` (1-based codes, one per row of the data) for its default
#                  type (NULL: "HC0" for glm objects, "HC1" only for lm objects) and for types
#                  HC1, HC2, HC3, and cadjust = FALSE (HC0); vcovCL without a cluster (each
#                  observation its own cluster). Row-major matrices over the non-aliased
#                  coefficients (`vcov_names`).
#                  With zero prior weights sandwich's HC2/HC3 recycle hatvalues() (which drops
#                  those rows) against estfun() (which keeps them): they are not recorded there.
#                - BIC(fit), logLik with its df and nobs attributes, nobs(fit). R 4.2's
#                  logLik.glm counts nobs as sum(!is.na(fit$residuals)), which includes
#                  zero-weight rows (their working residuals are not NA): BIC uses that count.
#                Weights are written as values (`weights_values`, null = none) so the tests
#                need not recompute them; offsets are column names or part of the formula.
#   calibration  Binomial fits: Brier score on the Bernoulli trials
#                sum(w (y (1 - p)^2 + (1 - y) p^2)) / sum(w) (y the proportion, w the prior
#                weights = trials), the calibration intercept glm(y ~ offset(qlogis(p)),
#                binomial, weights = w) and slope glm(y ~ qlogis(p), binomial, weights = w)
#                with their standard errors, and the Hosmer-Lemeshow test with g = 10 as
#                ResourceSelection::hoslem.test computes it (ResourceSelection is not
#                installed: `hoslem_test` below re-implements its R code, version 0.3-6 on
#                GitHub, psolymos/ResourceSelection R/hoslem.test.R: it cuts the fitted values
#                at unique(quantile(yhat, probs = seq(0, 1, 1/g))) with include.lowest = TRUE,
#                tabulates observed and expected counts of both outcomes per bin, and refers
#                X^2 = sum((O - E)^2 / E) to chi-squared with G - 2 df, G the number of
#                occupied bins; G = g whenever the g + 1 quantiles are distinct). Aggregated
#                binomial data are expanded to one 0/1 row per trial first. The reliability
#                table uses the same bins: count, mean fitted probability, observed proportion.
#
# Numbers are written in the shortest of %.15g/%.16g/%.17g that reads back exactly (common.R).

if (!file.exists("package.json") || !dir.exists("test/reference")) {
  stop("run this script from the repository root: Rscript test/reference/diagnostics.R")
}
if (Sys.setlocale("LC_COLLATE", "en_US.UTF-8") == "") {
  stop("the en_US.UTF-8 locale is not available (factor levels would sort differently from glmkit)")
}
suppressPackageStartupMessages({
  library(MASS)
  library(sandwich)
  library(jsonlite)
})
source("test/reference/common.R")
stopifnot(packageVersion("sandwich") == "3.0.2")

row_major <- function(m) as_array(t(m))
flags <- function(m) I(as.integer(t(m)))   # logical matrix -> 0/1, NA -> null

influence_result <- function(fit) {
  im <- influence.measures(fit)
  k <- fit$rank
  infl <- lm.influence(fit, do.coef = FALSE)
  db <- dfbeta(fit)
  list(
    rows = I(as.integer(which(fit$prior.weights != 0) - 1L)),
    rank = k,
    dispersion = summary(fit)$dispersion,
    hatvalues = as_array(hatvalues(fit)),
    cooks_distance = as_array(cooks.distance(fit)),
    rstandard_deviance = as_array(rstandard(fit, type = "deviance")),
    rstandard_pearson = as_array(rstandard(fit, type = "pearson")),
    rstudent = as_array(rstudent(fit)),
    sigma = as_array(infl$sigma),
    dfbeta_names = I(colnames(db)),
    dfbeta = row_major(db),
    dfbetas = row_major(dfbetas(fit)),
    dffits = as_array(dffits(fit)),
    covratio = as_array(covratio(fit)),
    infmat_cov_r = as_array(im$infmat[, "cov.r"]),
    infmat_cook_d = as_array(im$infmat[, "cook.d"]),
    is_inf_columns = I(colnames(im$is.inf)),
    is_inf = flags(im$is.inf)
  )
}

sandwich_result <- function(fit, cluster, zero_weights) {
  v <- function(m) row_major(m)
  out <- list(
    vcov_names = I(names(coef(fit))[!is.na(coef(fit))]),
    HC0 = v(vcovHC(fit, type = "HC0")),
    HC1 = v(vcovHC(fit, type = "HC1")),
    CL_default = v(vcovCL(fit, cluster = cluster)),
    CL_HC1 = v(vcovCL(fit, cluster = cluster, type = "HC1")),
    CL_HC0_no_cadjust = v(vcovCL(fit, cluster = cluster, type = "HC0", cadjust = FALSE)),
    CL_each_observation = v(vcovCL(fit))
  )
  stopifnot(isTRUE(all.equal(vcovCL(fit, cluster = cluster), vcovCL(fit, cluster = cluster, type = "HC0"))))
  if (!zero_weights) {
    out$HC2 <- v(vcovHC(fit, type = "HC2"))
    out$HC3 <- v(vcovHC(fit, type = "HC3"))
    # Clustered HC2/HC3 invert I - H_gg per cluster: singular when a cluster's rows are
    # fitted exactly (e.g. a cluster that alone determines a coefficient); then not recorded.
    for (type in c("HC2", "HC3")) {
      m <- tryCatch(vcovCL(fit, cluster = cluster, type = type), error = function(e) {
        message(sprintf("  vcovCL(type = \"%s\") fails: %s", type, conditionMessage(e))); NULL
      })
      if (!is.null(m)) out[[paste0("CL_", type)]] <- v(m)
    }
  }
  out
}

ic_result <- function(fit) {
  ll <- logLik(fit)
  list(
    bic = if (is.na(ll)) NULL else BIC(fit),
    log_lik = if (is.na(ll)) NULL else as.numeric(ll),
    df = attr(ll, "df"),
    nobs_loglik = attr(ll, "nobs"),
    nobs = nobs(fit)
  )
}

fits <- list()

# spec: id, data, formula, family (glmkit name), link, R call (d = data, w = weights,
# cl = cluster codes), weights (an R expression in d, or NULL), cluster (an R expression in d).
add_fit <- function(id, data, formula, family, link, R_call, weights = NULL, offset = NULL,
                    theta = NULL, estimate_theta = FALSE, cluster, note = NULL) {
  d <- read_data(data)
  w <- if (is.null(weights)) NULL else eval(parse(text = weights), d)
  env <- list(d = d, w = w)
  fit <- eval(parse(text = R_call)[[1]], env, globalenv())
  stopifnot(fit$converged)
  message(id)
  cl <- as.integer(factor(eval(parse(text = cluster), d)))
  zero_weights <- any(fit$prior.weights == 0)
  entry <- list(
    id = id,
    data = file.path("data", paste0(data, ".csv")),
    formula = formula, family = family, link = link,
    weights = weights,
    weights_values = if (is.null(w)) NULL else as_array(w),
    offset = offset, theta = theta, estimate_theta = estimate_theta,
    R_call = R_call,
    cluster_expression = cluster,
    cluster = I(cl),
    influence = suppressWarnings(influence_result(fit)),
    sandwich = suppressWarnings(sandwich_result(fit, cl, zero_weights)),
    information_criteria = ic_result(fit)
  )
  if (!is.null(note)) entry$note <- note
  fits[[length(fits) + 1L]] <<- entry
  invisible(fit)
}

BW <- "low ~ age + lwt + race + smoke + ptl + ht + ui"

add_fit("mtcars_gaussian", "mtcars", "mpg ~ wt + hp", "gaussian", "identity",
        "glm(mpg ~ wt + hp, family = gaussian, data = d)", cluster = "cyl")
add_fit("mtcars_gaussian_weights", "mtcars", "mpg ~ wt + hp + factor(am)", "gaussian", "identity",
        "glm(mpg ~ wt + hp + factor(am), family = gaussian, data = d, weights = w)",
        weights = "cyl", cluster = "gear")
add_fit("mtcars_gaussian_aliased", "mtcars", "mpg ~ wt + I(2 * wt) + hp", "gaussian", "identity",
        "glm(mpg ~ wt + I(2 * wt) + hp, family = gaussian, data = d)", cluster = "cyl",
        note = "I(2 * wt) is aliased: every quantity is over the rank = 3 kept columns")
add_fit("mtcars_gamma_log_zero_weights", "mtcars", "mpg ~ wt + hp", "Gamma", "log",
        "glm(mpg ~ wt + hp, family = Gamma(link = \"log\"), data = d, weights = w)",
        weights = "ifelse(seq_len(nrow(d)) %in% c(3, 7), 0, cyl)", cluster = "cyl",
        note = paste("rows 3 and 7 (1-based) have zero weight: influence measures drop them;",
                     "sandwich keeps them in n (its HC0 is scaled by (30/32)^2 against the",
                     "positive-weight count) and logLik's nobs counts them (BIC uses 32)"))
add_fit("birthwt_logit", "birthwt", BW, "binomial", "logit",
        sprintf("glm(%s, family = binomial, data = d)", BW), cluster = "ftv")
add_fit("budworm_logit_cbind", "budworm", "cbind(numdead, numalive) ~ sex + ldose", "binomial", "logit",
        "glm(cbind(numdead, numalive) ~ sex + ldose, family = binomial, data = d)", cluster = "ldose")
add_fit("budworm_probit_proportion_weights", "budworm", "prop ~ sex + ldose", "binomial", "probit",
        "glm(prop ~ sex + ldose, family = binomial(link = \"probit\"), data = d, weights = w)",
        weights = "total", cluster = "ldose")
add_fit("insurance_poisson_offset", "Insurance",
        "Claims ~ factor(District) + Group + Age + offset(log(Holders))", "poisson", "log",
        "glm(Claims ~ factor(District) + Group + Age + offset(log(Holders)), family = poisson, data = d)",
        cluster = "District")
add_fit("ships_poisson_offset_argument", "ships", "incidents ~ type + factor(year) + factor(period)",
        "poisson", "log",
        "glm(incidents ~ type + factor(year) + factor(period), family = poisson, data = d, offset = log_service)",
        offset = "log_service", cluster = "type")
add_fit("clotting_gamma_inverse", "clotting", "lot1 ~ log(u)", "Gamma", "inverse",
        "glm(lot1 ~ log(u), family = Gamma, data = d)", cluster = "rep(1:3, each = 3)")
add_fit("trees_gamma_log", "trees", "Volume ~ log(Girth) + log(Height)", "Gamma", "log",
        "glm(Volume ~ log(Girth) + log(Height), family = Gamma(link = \"log\"), data = d)",
        cluster = "rep_len(1:5, nrow(d))")
add_fit("clotting_inverse_gaussian", "clotting", "lot2 ~ log(u)", "inverse.gaussian", "1/mu^2",
        "glm(lot2 ~ log(u), family = inverse.gaussian, data = d)", cluster = "rep(1:3, 3)")
add_fit("quine_quasipoisson", "quine", "Days ~ Eth + Sex + Age + Lrn", "quasipoisson", "log",
        "glm(Days ~ Eth + Sex + Age + Lrn, family = quasipoisson, data = d)", cluster = "Age")
add_fit("esoph_quasibinomial", "esoph", "cbind(ncases, ncontrols) ~ agegp + tobgp + alcgp",
        "quasibinomial", "logit",
        "glm(cbind(ncases, ncontrols) ~ agegp + tobgp + alcgp, family = quasibinomial, data = d)",
        cluster = "agegp")
add_fit("quine_glm_nb", "quine", "Days ~ Eth + Sex + Age + Lrn", "negative_binomial", "log",
        "MASS::glm.nb(Days ~ Eth + Sex + Age + Lrn, data = d)", estimate_theta = TRUE, cluster = "Age",
        note = paste("glm.nb objects (class negbin, glm, lm) use the glm methods: theta is held fixed",
                     "at its estimate; summary.negbin's dispersion is 1 (cooks.distance, rstandard);",
                     "rstudent divides by the deletion sigma because the family name is not binomial",
                     "or poisson; logLik.negbin counts theta in df (rank + 1)"))

# ---------------------------------------------------------------------------
# Calibration of binomial fits
# ---------------------------------------------------------------------------

# ResourceSelection::hoslem.test (GitHub psolymos/ResourceSelection, R/hoslem.test.R), verbatim
# in its computations.
hoslem_test <- function(x, y, g = 10) {
  yhat <- y
  y <- x
  qq <- unique(quantile(yhat, probs = seq(0, 1, 1/g)))
  cutyhat <- cut(yhat, breaks = qq, include.lowest = TRUE)
  observed <- xtabs(cbind(y0 = 1 - y, y1 = y) ~ cutyhat)
  expected <- xtabs(cbind(yhat0 = 1 - yhat, yhat1 = yhat) ~ cutyhat)
  chisq <- sum((observed - expected)^2/expected)
  G <- length(unique(cutyhat))
  if (G < 2L) stop("The number of bins led to negative df.")
  PVAL <- 1 - pchisq(chisq, G - 2)
  list(statistic = chisq, df = G - 2, p_value = PVAL, p_value_upper = pchisq(chisq, G - 2, lower.tail = FALSE),
       breaks = as_array(qq), bin = as.integer(cutyhat),
       observed = row_major(unclass(observed)), expected = row_major(unclass(expected)))
}

calibrations <- list()
add_calibration <- function(id, data, formula, family, link, R_call, weights = NULL) {
  d <- read_data(data)
  w <- if (is.null(weights)) NULL else eval(parse(text = weights), d)
  fit <- eval(parse(text = R_call)[[1]], list(d = d, w = w), globalenv())
  stopifnot(fit$converged)
  p <- fitted(fit)
  y <- fit$y
  pw <- fit$prior.weights
  lp <- qlogis(p)
  cal_int <- glm(y ~ offset(lp), family = binomial, weights = pw)
  cal_slope <- glm(y ~ lp, family = binomial, weights = pw)
  stopifnot(cal_int$converged, cal_slope$converged)
  # Expand to one Bernoulli row per trial (identity for 0/1 data with unit weights).
  stopifnot(all(abs(pw - round(pw)) < 1e-12), all(abs(pw * y - round(pw * y)) < 1e-9))
  succ <- round(pw * y)
  yy <- unlist(mapply(function(s, m) rep(c(1, 0), c(s, m - s)), succ, round(pw), SIMPLIFY = FALSE))
  pp <- rep(p, round(pw))
  hl <- hoslem_test(yy, pp, g = 10)
  bins <- factor(hl$bin, levels = seq_len(length(hl$breaks) - 1L))
  calibrations[[length(calibrations) + 1L]] <<- list(
    id = id, data = file.path("data", paste0(data, ".csv")), formula = formula, family = family,
    link = link, weights = weights, weights_values = if (is.null(w)) NULL else as_array(w),
    R_call = R_call,
    y = as_array(y), prior_weights = as_array(pw), fitted = as_array(p),
    brier = sum(pw * (y * (1 - p)^2 + (1 - y) * p^2)) / sum(pw),
    intercept = list(estimate = unname(coef(cal_int)[1]), se = unname(sqrt(diag(vcov(cal_int)))[1])),
    slope_model = list(estimate = as_array(coef(cal_slope)), se = as_array(sqrt(diag(vcov(cal_slope))))),
    hosmer_lemeshow = hl[c("statistic", "df", "p_value", "p_value_upper", "breaks", "observed", "expected")],
    reliability = list(
      count = as_array(tapply(rep(1, length(pp)), bins, sum, default = 0)),
      mean_predicted = as_array(tapply(pp, bins, mean)),
      observed = as_array(tapply(yy, bins, mean))
    )
  )
}

add_calibration("birthwt_logit", "birthwt", BW, "binomial", "logit",
                sprintf("glm(%s, family = binomial, data = d)", BW))
add_calibration("birthwt_probit_small", "birthwt", "low ~ lwt + smoke + ht", "binomial", "probit",
                "glm(low ~ lwt + smoke + ht, family = binomial(link = \"probit\"), data = d)")
add_calibration("esoph_logit_cbind", "esoph", "cbind(ncases, ncontrols) ~ agegp + tobgp + alcgp",
                "binomial", "logit",
                "glm(cbind(ncases, ncontrols) ~ agegp + tobgp + alcgp, family = binomial, data = d)")
add_calibration("budworm_logit_cbind", "budworm", "cbind(numdead, numalive) ~ sex + ldose", "binomial", "logit",
                "glm(cbind(numdead, numalive) ~ sex + ldose, family = binomial, data = d)")
add_calibration("budworm_cloglog_proportion_weights", "budworm", "prop ~ sex + ldose", "binomial", "cloglog",
                "glm(prop ~ sex + ldose, family = binomial(link = \"cloglog\"), data = d, weights = w)",
                weights = "total")

out <- list(
  r_version = R.version.string,
  packages = list(sandwich = as.character(packageVersion("sandwich")), MASS = as.character(packageVersion("MASS"))),
  fits = fits,
  calibration = calibrations
)
write_reference(out, "test/reference/diagnostics.json")
cat(sprintf("wrote %d fits and %d calibrations to test/reference/diagnostics.json\n",
            length(fits), length(calibrations)))

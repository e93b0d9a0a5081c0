# Reference fits for glmkit's glm() reproduction.
#
# Run from the repository root:   Rscript test/reference/glm.R
#
# Writes
#   data/*.csv                      the bundled data sets (see data/README.md)
#   test/reference/glm.json         one object per glm()/glm.nb() fit
#   test/reference/anova.json       nested-model comparisons (anova(m0, m1, test = ...))
#
# Every fit reads its data back with read.csv(..., stringsAsFactors = TRUE) from the
# CSV it just wrote, so R and glmkit see byte-identical input. Numbers are written in
# the shortest decimal form (15, 16 or 17 significant digits) that reads back to the
# same double, in the CSVs and in the JSON alike.
#
# Factor levels are sorted by read.csv in the LC_COLLATE locale. glmkit sorts them
# with Intl.Collator("en-US"), so this script insists on en_US.UTF-8 (it differs
# from the C locale for labels such as "<1l" or "30+", which occur in Insurance and
# esoph). On Debian: apt-get install -y locales && sed -i
# 's/^# en_US.UTF-8 UTF-8/en_US.UTF-8 UTF-8/' /etc/locale.gen && locale-gen

if (!file.exists("package.json") || !dir.exists("test/reference")) {
  stop("run this script from the repository root: Rscript test/reference/glm.R")
}
if (Sys.setlocale("LC_COLLATE", "en_US.UTF-8") == "") {
  stop("the en_US.UTF-8 locale is not available; factor levels would be sorted ",
       "differently from glmkit (see the header of this script to install it)")
}

suppressPackageStartupMessages({
  library(MASS)      # birthwt, quine, Insurance, ships, glm.nb, negative.binomial
  library(statmod)   # tweedie
  library(jsonlite)
})
source("test/reference/common.R")  # format_double, to_verbatim, write_reference, as_array, read_data

# ---------------------------------------------------------------------------
# Number formatting: shortest of %.15g / %.16g / %.17g that round-trips.
# ---------------------------------------------------------------------------

# ---------------------------------------------------------------------------
# Data sets
# ---------------------------------------------------------------------------
dir.create("data", showWarnings = FALSE)

write_data <- function(df, name) {
  path <- file.path("data", paste0(name, ".csv"))
  # A factor whose labels all read as numbers (Insurance's District) is written as
  # numbers: read.csv, like glmkit's reader, would make it numeric anyway.
  looks_numeric <- function(col) !anyNA(suppressWarnings(as.numeric(as.character(col))))
  is_text <- vapply(df, function(col) (is.factor(col) || is.character(col)) && !looks_numeric(col),
                    logical(1))
  out <- df
  for (j in seq_along(out)) {
    col <- out[[j]]
    if (is.factor(col) || is.character(col)) {
      out[[j]] <- as.character(col)  # ordered factors too: treatment coding after read-back
    } else if (is.logical(col)) {
      stop("logical column ", names(out)[j], " in ", name, ": not expected")
    } else if (is.integer(col)) {
      out[[j]] <- ifelse(is.na(col), NA_character_, as.character(col))
    } else if (is.double(col)) {
      out[[j]] <- format_double(col)
    }
  }
  write.csv(out, path, row.names = FALSE, quote = which(is_text), na = "NA")
  # Read back and check that every number survived exactly.
  back <- read.csv(path, stringsAsFactors = TRUE)
  stopifnot(identical(names(back), names(df)), nrow(back) == nrow(df))
  for (j in seq_along(df)) {
    if (is_text[j]) {
      stopifnot(is.factor(back[[j]]), identical(as.character(back[[j]]), as.character(df[[j]])))
    } else if (is.factor(df[[j]])) {
      stopifnot(is.numeric(back[[j]]), identical(as.character(back[[j]]), as.character(df[[j]])))
    } else {
      stopifnot(is.numeric(back[[j]]), identical(as.double(back[[j]]), as.double(df[[j]])))
    }
  }
  invisible(path)
}

birthwt <- MASS::birthwt
birthwt$race <- c("white", "black", "other")[birthwt$race]   # 1 = white, 2 = black, 3 = other
write_data(birthwt, "birthwt")

data("endometrial", package = "brglm2", envir = environment())
write_data(endometrial, "endometrial")

write_data(MASS::quine, "quine")

# District is a factor with labels 1..4 in MASS; written as numbers it reads back as an
# integer column, so the fits use factor(District).
write_data(MASS::Insurance, "Insurance")

write_data(datasets::warpbreaks, "warpbreaks")
write_data(datasets::esoph, "esoph")

# Venables & Ripley (2002), Modern Applied Statistics with S, section 7.2: tobacco
# budworm, batches of 20 moths exposed to 2^ldose micrograms of cypermethrin.
budworm <- data.frame(
  ldose = rep(0:5, 2),
  sex = rep(c("M", "F"), c(6, 6)),
  numdead = c(1, 4, 9, 13, 18, 20, 0, 2, 6, 10, 12, 16)
)
budworm$numalive <- 20 - budworm$numdead
budworm$total <- 20
budworm$prop <- budworm$numdead / budworm$total
write_data(budworm, "budworm")

# McCullagh & Nelder (1989), Generalized Linear Models, 2nd ed., section 8.4.2:
# mean clotting times of blood plasma (seconds) at percentage concentration u, for two
# lots of thromboplastin (also in the examples of ?glm).
clotting <- data.frame(
  u = c(5, 10, 15, 20, 30, 40, 60, 80, 100),
  lot1 = c(118, 58, 42, 35, 27, 25, 21, 19, 18),
  lot2 = c(69, 35, 26, 21, 18, 16, 13, 12, 12)
)
write_data(clotting, "clotting")

mtcars <- cbind(model = rownames(datasets::mtcars), datasets::mtcars)
rownames(mtcars) <- NULL
write_data(mtcars, "mtcars")

# Dobson (1990), An Introduction to Generalized Linear Models, p. 93 (the first example
# of ?glm). outcome = gl(3, 1, 9) and treatment = gl(3, 3) are written as the integer
# codes 1..3, so the fits use factor(outcome) and factor(treatment).
dobson <- data.frame(
  counts = c(18, 17, 15, 20, 10, 20, 25, 13, 12),
  outcome = rep(1:3, 3),
  treatment = rep(1:3, each = 3)
)
write_data(dobson, "dobson")

# MASS::ships without the 6 rows with service == 0 (the MASS book fits with
# subset = service > 0; log(0) would be an invalid offset). log_service = log(service)
# is added for fits that pass the offset as an argument.
ships <- subset(MASS::ships, service > 0)
rownames(ships) <- NULL
ships$log_service <- log(ships$service)
write_data(ships, "ships")

write_data(datasets::cars, "cars")
write_data(datasets::trees, "trees")

# A small completely separated data set: y = 1 exactly when x > 4.5.
separated <- data.frame(
  y = c(0, 0, 0, 0, 1, 1, 1, 1),
  x = c(1, 2, 3, 4, 5, 6, 7, 8),
  z = c(2.5, -1, 0.5, 3, 1, -0.5, 2, 0)
)
write_data(separated, "separated")

# ---------------------------------------------------------------------------
# Fits
# ---------------------------------------------------------------------------

# glm.fit uses min(1e-7, epsilon / 1000) as the QR rank tolerance: epsilon below ~1e-10
# would stop it detecting exact collinearity (I(2 * wt)).
TIGHT <- glm.control(epsilon = 1e-10, maxit = 200)
PREDICT_ROWS <- c(1L, 6L)   # 1-based rows of d used as newdata

null_if_na <- function(x) if (is.null(x) || length(x) == 0 || is.na(x)) NULL else unname(x)

# Evaluate an R call given as text with `d` bound to the data; returns the fit and the
# warnings it raised.
eval_fit <- function(call_text, d, control = NULL) {
  expr <- parse(text = call_text)[[1]]
  if (!is.null(control)) expr$control <- control
  warnings <- character(0)
  fit <- withCallingHandlers(
    eval(expr, list(d = d), globalenv()),
    warning = function(w) {
      warnings <<- c(warnings, conditionMessage(w))
      invokeRestart("muffleWarning")
    }
  )
  list(fit = fit, warnings = unique(warnings))
}

coefficient_table <- function(fit, s) {
  est <- coef(fit)
  tab <- coef(s)
  lapply(names(est), function(nm) {
    if (is.na(est[[nm]])) {
      list(name = nm, estimate = NULL, se = NULL, statistic = NULL, p_value = NULL, aliased = TRUE)
    } else {
      list(name = nm, estimate = tab[nm, 1], se = tab[nm, 2], statistic = tab[nm, 3],
           p_value = tab[nm, 4], aliased = FALSE)
    }
  })
}

fit_result <- function(fit, d, is_nb_estimated, fixed_theta, dispersion = NULL) {
  s <- summary(fit, dispersion = dispersion)
  newdata <- d[PREDICT_ROWS, , drop = FALSE]
  pl <- suppressWarnings(predict(fit, newdata = newdata, type = "link", se.fit = TRUE, dispersion = dispersion))
  pr <- suppressWarnings(predict(fit, newdata = newdata, type = "response", se.fit = TRUE, dispersion = dispersion))
  head5 <- function(x) as_array(x[1:5])
  list(
    coefficients = coefficient_table(fit, s),
    deviance = fit$deviance,
    null_deviance = fit$null.deviance,
    df_residual = fit$df.residual,
    df_null = fit$df.null,
    aic = null_if_na(fit$aic),
    log_likelihood = null_if_na(as.numeric(logLik(fit))),
    dispersion = s$dispersion,
    iterations = fit$iter,
    converged = fit$converged,
    boundary = fit$boundary,
    theta = if (is_nb_estimated) fit$theta else fixed_theta,
    se_theta = if (is_nb_estimated) fit$SE.theta else NULL,
    twologlik = if (is_nb_estimated) fit$twologlik else NULL,
    fitted_head = head5(fitted(fit)),
    residuals_head = list(
      response = head5(residuals(fit, type = "response")),
      working = head5(residuals(fit, type = "working")),
      pearson = head5(residuals(fit, type = "pearson")),
      deviance = head5(residuals(fit, type = "deviance"))
    ),
    predict_newdata = list(
      rows = I(PREDICT_ROWS - 1L),
      link = as_array(pl$fit),
      link_se = as_array(pl$se.fit),
      response = as_array(pr$fit),
      response_se = as_array(pr$se.fit)
    )
  )
}

max_rel_diff <- function(a, b) {
  if (!identical(is.na(a), is.na(b))) {
    stop("the default and tight fits alias different coefficients: ",
         paste(names(a)[is.na(a)], collapse = ", "), " vs ", paste(names(b)[is.na(b)], collapse = ", "))
  }
  ok <- !is.na(a)
  max(abs(a[ok] - b[ok]) / pmax(abs(b[ok]), 1e-300))
}

fits <- list()
tight_report <- list()

# spec fields: id, data, formula, family, link, R_call, and optionally weights, offset,
# theta, estimate_theta, power, start, expect_converged (default TRUE), note, and
# summary_dispersion (a dispersion to pass to summary() and predict() instead of R's
# default; used only where R's default is not the model's).
add_fit <- function(id, data, formula, family, link, R_call, weights = NULL, offset = NULL,
                    theta = NULL, estimate_theta = FALSE, power = NULL, start = NULL,
                    expect_converged = TRUE, note = NULL, summary_dispersion = NULL) {
  d <- read_data(data)
  res <- eval_fit(R_call, d)
  fit <- res$fit
  # Consistency of the recorded fields with the call that was run.
  stopifnot(identical(deparse1(formula(fit)), formula) ||
              identical(deparse1(formula(fit)), paste(formula, "+ offset(", offset, ")")))
  r_link <- family(fit)$link
  if (!startsWith(link, "power(") && family != "tweedie") stopifnot(identical(r_link, link))
  if (!identical(fit$converged, expect_converged)) {
    stop(id, ": converged = ", fit$converged, ", expected ", expect_converged)
  }
  if (!is.null(start)) stopifnot(isTRUE(all.equal(eval(parse(text = R_call)[[1]]$start), start)))
  if (length(res$warnings)) message(id, ": R warned: ", paste(res$warnings, collapse = "; "))

  entry <- list(
    id = id,
    data = file.path("data", paste0(data, ".csv")),
    formula = formula,
    family = family,
    link = link,
    weights = weights,
    offset = offset,
    theta = theta,
    estimate_theta = estimate_theta,
    power = power,
    start = if (is.null(start)) NULL else as_array(start),
    R_call = R_call,
    result = fit_result(fit, d, estimate_theta, theta, summary_dispersion)
  )
  if (!is.null(summary_dispersion)) {
    note <- sprintf("%s (summary.glm's estimate would be %s)", note, format_double(summary(fit)$dispersion))
  }
  if (!is.null(note)) entry$note <- note
  if (length(res$warnings)) entry$r_warnings <- I(res$warnings)
  fits[[length(fits) + 1L]] <<- entry

  # How far R's default-control answer is from a tightly converged one.
  if (expect_converged) {
    tight <- eval_fit(R_call, d, control = TIGHT)$fit
    tight_report[[length(tight_report) + 1L]] <<- data.frame(
      id = id, iter = fit$iter, iter_tight = tight$iter,
      coef_rel_diff = max_rel_diff(coef(fit), coef(tight)),
      coef_diff_in_se = max(abs(coef(fit) - coef(tight)) / sqrt(diag(vcov(tight))), na.rm = TRUE),
      deviance_rel_diff = abs(fit$deviance - tight$deviance) / tight$deviance
    )
  }
}

BW <- "low ~ age + lwt + race + smoke + ptl + ht + ui"

# --- gaussian ---------------------------------------------------------------
add_fit("mtcars_gaussian_identity", "mtcars", "mpg ~ wt + hp", "gaussian", "identity",
        "glm(mpg ~ wt + hp, family = gaussian, data = d)")
add_fit("mtcars_gaussian_weights", "mtcars", "mpg ~ wt + hp + factor(am)", "gaussian", "identity",
        "glm(mpg ~ wt + hp + factor(am), family = gaussian, data = d, weights = cyl)",
        weights = "cyl", note = "prior weights = cyl: an arbitrary positive column, to exercise weights")
add_fit("mtcars_gaussian_log", "mtcars", "mpg ~ wt + hp", "gaussian", "log",
        "glm(mpg ~ wt + hp, family = gaussian(link = \"log\"), data = d)")
add_fit("mtcars_gaussian_inverse", "mtcars", "mpg ~ wt + hp", "gaussian", "inverse",
        "glm(mpg ~ wt + hp, family = gaussian(link = \"inverse\"), data = d)")
add_fit("mtcars_gaussian_rank_deficient", "mtcars", "mpg ~ wt + I(2 * wt) + hp", "gaussian", "identity",
        "glm(mpg ~ wt + I(2 * wt) + hp, family = gaussian, data = d)",
        note = "I(2 * wt) is collinear with wt: aliased (NA), as R's pivoting drops the later column")
add_fit("mtcars_gaussian_aliased_factor", "mtcars", "mpg ~ factor(cyl) + cyl + wt", "gaussian", "identity",
        "glm(mpg ~ factor(cyl) + cyl + wt, family = gaussian, data = d)",
        note = "cyl (4, 6, 8) lies in the span of the intercept and the factor(cyl) dummies: aliased")
add_fit("cars_gaussian_quadratic", "cars", "dist ~ speed + I(speed^2)", "gaussian", "identity",
        "glm(dist ~ speed + I(speed^2), family = gaussian, data = d)")
add_fit("trees_gaussian_power_third", "trees", "Volume ~ Girth + Height", "gaussian", "power(0.3333333333333333)",
        "glm(Volume ~ Girth + Height, family = gaussian(link = power(1/3)), data = d)")

# --- binomial ---------------------------------------------------------------
add_fit("birthwt_logit", "birthwt", BW, "binomial", "logit",
        sprintf("glm(%s, family = binomial, data = d)", BW))
add_fit("birthwt_probit", "birthwt", BW, "binomial", "probit",
        sprintf("glm(%s, family = binomial(link = \"probit\"), data = d)", BW))
add_fit("birthwt_cauchit", "birthwt", "low ~ lwt + race + smoke", "binomial", "cauchit",
        "glm(low ~ lwt + race + smoke, family = binomial(link = \"cauchit\"), data = d)")
add_fit("birthwt_log", "birthwt", "low ~ smoke + ht + ui", "binomial", "log",
        "glm(low ~ smoke + ht + ui, family = binomial(link = \"log\"), data = d, start = c(-1.5, 0, 0, 0))",
        start = c(-1.5, 0, 0, 0),
        note = "without start R fails: 'no valid set of coefficients has been found: please supply starting values'")
add_fit("birthwt_logit_maxit3", "birthwt", BW, "binomial", "logit",
        sprintf("glm(%s, family = binomial, data = d, control = glm.control(maxit = 3))", BW),
        expect_converged = FALSE,
        note = "deliberate non-convergence: control = glm.control(epsilon = 1e-8, maxit = 3)")
add_fit("budworm_cloglog", "budworm", "cbind(numdead, numalive) ~ sex + ldose", "binomial", "cloglog",
        "glm(cbind(numdead, numalive) ~ sex + ldose, family = binomial(link = \"cloglog\"), data = d)")
add_fit("budworm_logit_interaction", "budworm", "cbind(numdead, numalive) ~ sex * ldose", "binomial", "logit",
        "glm(cbind(numdead, numalive) ~ sex * ldose, family = binomial, data = d)")
add_fit("budworm_probit_proportion_weights", "budworm", "prop ~ sex + ldose", "binomial", "probit",
        "glm(prop ~ sex + ldose, family = binomial(link = \"probit\"), data = d, weights = total)",
        weights = "total")
add_fit("esoph_logit_cbind", "esoph", "cbind(ncases, ncontrols) ~ agegp + tobgp * alcgp", "binomial", "logit",
        "glm(cbind(ncases, ncontrols) ~ agegp + tobgp * alcgp, family = binomial, data = d)")
add_fit("endometrial_logit_separated", "endometrial", "HG ~ NV + PI + EH", "binomial", "logit",
        "glm(HG ~ NV + PI + EH, family = binomial, data = d)",
        note = paste("quasi-complete separation on NV: the ML estimate of NV is +Inf; R stops where",
                     "its deviance criterion is met, so the NV estimate and SE depend on the iteration path"))

# --- poisson ----------------------------------------------------------------
add_fit("insurance_poisson_offset", "Insurance",
        "Claims ~ factor(District) + Group + Age + offset(log(Holders))", "poisson", "log",
        "glm(Claims ~ factor(District) + Group + Age + offset(log(Holders)), family = poisson, data = d)")
add_fit("ships_poisson_offset_argument", "ships", "incidents ~ type + factor(year) + factor(period)",
        "poisson", "log",
        "glm(incidents ~ type + factor(year) + factor(period), family = poisson, data = d, offset = log_service)",
        offset = "log_service")
add_fit("dobson_poisson_log", "dobson", "counts ~ factor(outcome) + factor(treatment)", "poisson", "log",
        "glm(counts ~ factor(outcome) + factor(treatment), family = poisson, data = d)",
        note = paste("the factor(treatment) estimates are exactly 0 in exact arithmetic (every treatment",
                     "total is 50); R's are rounding noise of order 1e-15: compare them with an absolute tolerance"))
add_fit("dobson_poisson_identity", "dobson", "counts ~ factor(outcome) + factor(treatment)", "poisson", "identity",
        "glm(counts ~ factor(outcome) + factor(treatment), family = poisson(link = \"identity\"), data = d)")
add_fit("warpbreaks_poisson_sqrt", "warpbreaks", "breaks ~ wool + tension", "poisson", "sqrt",
        "glm(breaks ~ wool + tension, family = poisson(link = \"sqrt\"), data = d)")
add_fit("warpbreaks_poisson_interaction", "warpbreaks", "breaks ~ wool * tension", "poisson", "log",
        "glm(breaks ~ wool * tension, family = poisson, data = d)")

# --- Gamma ------------------------------------------------------------------
add_fit("clotting_gamma_inverse", "clotting", "lot1 ~ log(u)", "Gamma", "inverse",
        "glm(lot1 ~ log(u), family = Gamma, data = d)")
add_fit("clotting_gamma_log", "clotting", "lot2 ~ log(u)", "Gamma", "log",
        "glm(lot2 ~ log(u), family = Gamma(link = \"log\"), data = d)")
add_fit("clotting_gamma_identity", "clotting", "lot1 ~ log(u)", "Gamma", "identity",
        "glm(lot1 ~ log(u), family = Gamma(link = \"identity\"), data = d)")
add_fit("trees_gamma_power_half", "trees", "Volume ~ Girth + Height", "Gamma", "power(0.5)",
        "glm(Volume ~ Girth + Height, family = Gamma(link = power(0.5)), data = d)")

# --- inverse.gaussian -------------------------------------------------------
add_fit("clotting_inverse_gaussian", "clotting", "lot1 ~ log(u)", "inverse.gaussian", "1/mu^2",
        "glm(lot1 ~ log(u), family = inverse.gaussian, data = d)")
add_fit("trees_inverse_gaussian_log", "trees", "Volume ~ log(Girth) + log(Height)", "inverse.gaussian", "log",
        "glm(Volume ~ log(Girth) + log(Height), family = inverse.gaussian(link = \"log\"), data = d)")

# --- quasi ------------------------------------------------------------------
add_fit("esoph_quasibinomial", "esoph", "cbind(ncases, ncontrols) ~ agegp + tobgp + alcgp",
        "quasibinomial", "logit",
        "glm(cbind(ncases, ncontrols) ~ agegp + tobgp + alcgp, family = quasibinomial, data = d)")
add_fit("quine_quasipoisson", "quine", "Days ~ Eth + Sex + Age + Lrn", "quasipoisson", "log",
        "glm(Days ~ Eth + Sex + Age + Lrn, family = quasipoisson, data = d)")

# --- negative binomial ------------------------------------------------------
add_fit("quine_negbin_fixed_theta", "quine", "Days ~ Eth + Sex + Age + Lrn", "negative_binomial", "log",
        "glm(Days ~ Eth + Sex + Age + Lrn, family = MASS::negative.binomial(1.5), data = d)",
        theta = 1.5, summary_dispersion = 1,
        note = paste("result is summary(fit, dispersion = 1) and predict(..., dispersion = 1), as",
                     "?negative.binomial advises and summary.negbin does: plain summary.glm would",
                     "estimate the dispersion and use t tests, because the family name is neither",
                     "poisson nor binomial"))
add_fit("quine_glm_nb", "quine", "Days ~ Eth + Sex + Age + Lrn", "negative_binomial", "log",
        "MASS::glm.nb(Days ~ Eth + Sex + Age + Lrn, data = d)",
        estimate_theta = TRUE,
        note = paste("result.iterations is glm.nb's fit$iter: the IRLS iterations of the last inner",
                     "glm.fitter call, not the number of outer theta/beta alternations"))

# --- Tweedie ----------------------------------------------------------------
add_fit("quine_tweedie_1_5", "quine", "Days ~ Eth + Sex + Age + Lrn", "tweedie", "log",
        "glm(Days ~ Eth + Sex + Age + Lrn, family = statmod::tweedie(var.power = 1.5, link.power = 0), data = d)",
        power = 1.5,
        note = "statmod::tweedie with link.power = 0 is the log link; quasi-likelihood, so aic and log_likelihood are null")

stopifnot(length(fits) >= 24, !anyDuplicated(vapply(fits, `[[`, "", "id")))

# ---------------------------------------------------------------------------
# anova(m0, m1, test = ...)
# ---------------------------------------------------------------------------
anovas <- list()
add_anova <- function(id, data, family, link, formula0, formula1, family_call, test) {
  d <- read_data(data)
  R_call <- sprintf("anova(glm(%s, family = %s, data = d), glm(%s, family = %s, data = d), test = \"%s\")",
                    formula0, family_call, formula1, family_call, test)
  m0 <- glm(as.formula(formula0), family = eval(parse(text = family_call)), data = d)
  m1 <- glm(as.formula(formula1), family = eval(parse(text = family_call)), data = d)
  stopifnot(m0$converged, m1$converged)
  a <- anova(m0, m1, test = test)
  stopifnot(identical(a, eval(parse(text = R_call), list(d = d), globalenv())))
  p_col <- if (test == "F") "Pr(>F)" else "Pr(>Chi)"
  rows <- lapply(1:2, function(i) list(
    resid_df = a[i, "Resid. Df"],
    resid_dev = a[i, "Resid. Dev"],
    df = null_if_na(a[i, "Df"]),
    deviance = null_if_na(a[i, "Deviance"]),
    F = if (test == "F") null_if_na(a[i, "F"]) else NULL,
    p_value = null_if_na(a[i, p_col])
  ))
  anovas[[length(anovas) + 1L]] <<- list(
    id = id, data = file.path("data", paste0(data, ".csv")), family = family, link = link,
    formula0 = formula0, formula1 = formula1, test = test,
    dispersion = summary(m1)$dispersion,
    R_call = R_call, rows = rows
  )
}

add_anova("birthwt_binomial_chisq", "birthwt", "binomial", "logit", "low ~ age + lwt", BW, "binomial", "Chisq")
add_anova("warpbreaks_poisson_chisq", "warpbreaks", "poisson", "log",
          "breaks ~ wool + tension", "breaks ~ wool * tension", "poisson", "Chisq")
add_anova("insurance_poisson_offset_chisq", "Insurance", "poisson", "log",
          "Claims ~ Group + Age + offset(log(Holders))",
          "Claims ~ factor(District) + Group + Age + offset(log(Holders))", "poisson", "Chisq")
add_anova("mtcars_gaussian_f", "mtcars", "gaussian", "identity", "mpg ~ wt", "mpg ~ wt + hp + factor(cyl)",
          "gaussian", "F")
add_anova("quine_quasipoisson_f", "quine", "quasipoisson", "log", "Days ~ Eth + Sex",
          "Days ~ Eth + Sex + Age + Lrn", "quasipoisson", "F")
add_anova("trees_gamma_log_f", "trees", "Gamma", "log", "Volume ~ log(Girth)",
          "Volume ~ log(Girth) + log(Height)", "Gamma(link = \"log\")", "F")

# ---------------------------------------------------------------------------
# JSON output: every double as its shortest round-trip decimal, NA as null.
# ---------------------------------------------------------------------------


write_reference(fits, "test/reference/glm.json")
write_reference(anovas, "test/reference/anova.json")

tight <- do.call(rbind, tight_report)
cat(sprintf("wrote %d fits to test/reference/glm.json and %d comparisons to test/reference/anova.json\n",
            length(fits), length(anovas)))
cat("default control (epsilon 1e-8, maxit 25) vs tight (epsilon 1e-10, maxit 200):\n")
options(width = 200)
print(format(tight, digits = 3), row.names = FALSE)

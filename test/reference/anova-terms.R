# Reference values for glmkit's term-wise analysis of deviance (src/diagnostics/term-tests.ts):
# R's anova(fit) for one model (anova.glm, MASS's anova.negbin for glm.nb fits), drop1.glm and
# add1.glm, stats 4.2.
#
# Run from the repository root:   Rscript test/reference/anova-terms.R
#
# Writes test/reference/anova-terms.json: an object whose `fits` array has one entry per
# glm() / MASS::glm.nb() fit (R's default control, as glm.R):
#   id, data, formula, family (glmkit name), link, weights_values (null = none), offset (a
#   column passed as the offset argument), theta (fixed θ of negative.binomial), estimate_theta
#   (glm.nb), R_call, dispersion (summary(fit)$dispersion, what the tests divide by)
#   anova   anova(fit, test = "Chisq" | "F" | "Rao"): terms (row names, "NULL" first), df,
#           deviance, resid_df, resid_dev, and p_value (Pr(>Chi) or Pr(>F)), F, rao;
#           warnings: the warnings R gave (F with a fixed dispersion, glm.nb's theta note)
#   drop1   drop1(fit, test = "LRT" | "F") over drop.scope(fit): terms ("<none>" first), df,
#           deviance, aic (null when R drops the column: quasi families), lrt (the "LRT" or
#           "scaled dev." column; `scaled` says which), f, p_value
#   add1    add1(fit, scope, test = "LRT" | "F") with the formula `scope`, the same columns;
#           null when the fit has no add1 case
# Column values NA in R are null, ±Inf the strings "Inf"/"-Inf". Numbers: the shortest of %.15g/%.16g/%.17g that reads
# back exactly (common.R).

if (!file.exists("package.json") || !dir.exists("test/reference")) {
  stop("run this script from the repository root: Rscript test/reference/anova-terms.R")
}
if (Sys.setlocale("LC_COLLATE", "en_US.UTF-8") == "") {
  stop("the en_US.UTF-8 locale is not available (factor levels would sort differently from glmkit)")
}
suppressPackageStartupMessages({
  library(MASS)
  library(jsonlite)
})
source("test/reference/common.R")
# R's gaussian AIC is Inf with zero prior weights (sum(log(wt)) = -Inf): written as "Inf".
options(reference.allow_infinite = TRUE)

col_or_null <- function(tab, name) if (name %in% names(tab)) as_array(tab[[name]]) else NULL

# Evaluates expr, returning its value and the warnings it raised (verbatim).
with_warnings <- function(expr) {
  w <- character()
  value <- withCallingHandlers(expr, warning = function(cond) {
    w <<- c(w, conditionMessage(cond))
    invokeRestart("muffleWarning")
  })
  list(value = value, warnings = I(w))
}

anova_table <- function(fit, test) {
  r <- with_warnings(anova(fit, test = test))
  tab <- r$value
  list(
    terms = I(rownames(tab)),
    df = as_array(tab$Df), deviance = as_array(tab$Deviance),
    resid_df = as_array(tab[["Resid. Df"]]), resid_dev = as_array(tab[["Resid. Dev"]]),
    F = col_or_null(tab, "F"), rao = col_or_null(tab, "Rao"),
    p_value = if (test == "F") as_array(tab[["Pr(>F)"]]) else as_array(tab[["Pr(>Chi)"]]),
    warnings = r$warnings
  )
}

term_table <- function(tab, test, warnings) {
  lrt_col <- intersect(c("LRT", "scaled dev."), names(tab))
  list(
    terms = I(rownames(tab)),
    df = as_array(tab$Df), deviance = as_array(tab$Deviance),
    aic = col_or_null(tab, "AIC"),
    lrt = if (length(lrt_col)) as_array(tab[[lrt_col]]) else NULL,
    scaled = if (length(lrt_col)) identical(lrt_col, "scaled dev.") else NULL,
    f = col_or_null(tab, "F value"),
    p_value = if (test == "F") as_array(tab[["Pr(>F)"]]) else as_array(tab[["Pr(>Chi)"]]),
    warnings = warnings
  )
}

drop1_table <- function(fit, test) {
  r <- with_warnings(drop1(fit, test = test))
  term_table(r$value, test, r$warnings)
}

add1_table <- function(fit, scope, test) {
  r <- with_warnings(add1(fit, as.formula(scope), test = test))
  term_table(r$value, test, r$warnings)
}

fits <- list()

add_fit <- function(id, data, formula, family, link, R_call, weights = NULL, offset = NULL,
                    theta = NULL, estimate_theta = FALSE, add1_scope = NULL, note = NULL) {
  d <- read_data(data)
  w <- if (is.null(weights)) NULL else eval(parse(text = weights), d)
  fit <- eval(parse(text = R_call)[[1]], list(d = d, w = w), globalenv())
  stopifnot(fit$converged)
  message(id)
  entry <- list(
    id = id,
    data = file.path("data", paste0(data, ".csv")),
    formula = formula, family = family, link = link,
    weights = weights,
    weights_values = if (is.null(w)) NULL else as_array(w),
    offset = offset, theta = theta, estimate_theta = estimate_theta,
    R_call = R_call,
    dispersion = summary(fit)$dispersion,
    term_labels = I(attr(terms(fit), "term.labels")),
    drop_scope = I(drop.scope(fit)),
    anova = list(Chisq = anova_table(fit, "Chisq"), F = anova_table(fit, "F"), Rao = anova_table(fit, "Rao")),
    drop1 = list(LRT = drop1_table(fit, "LRT"), F = drop1_table(fit, "F")),
    add1 = if (is.null(add1_scope)) NULL else list(
      scope = add1_scope,
      LRT = add1_table(fit, add1_scope, "LRT"),
      F = add1_table(fit, add1_scope, "F")
    )
  )
  if (!is.null(note)) entry$note <- note
  fits[[length(fits) + 1L]] <<- entry
  invisible(fit)
}

add_fit("birthwt_logit", "birthwt", "low ~ age + lwt + race + smoke", "binomial", "logit",
        "glm(low ~ age + lwt + race + smoke, family = binomial, data = d)",
        add1_scope = "~ . + ptl + ht + ui + age:lwt + race:smoke",
        note = "race:smoke is offered because both margins are in the model; age:lwt likewise")
add_fit("budworm_logit_cbind", "budworm", "cbind(numdead, numalive) ~ sex + ldose", "binomial", "logit",
        "glm(cbind(numdead, numalive) ~ sex + ldose, family = binomial, data = d)",
        add1_scope = "~ . + sex:ldose + I(ldose^2)")
add_fit("budworm_probit_proportion_weights", "budworm", "prop ~ sex * ldose", "binomial", "probit",
        "glm(prop ~ sex * ldose, family = binomial(link = \"probit\"), data = d, weights = w)",
        weights = "total", note = "an interaction: drop.scope is sex:ldose only")
add_fit("warpbreaks_poisson", "warpbreaks", "breaks ~ wool + tension", "poisson", "log",
        "glm(breaks ~ wool + tension, family = poisson, data = d)",
        add1_scope = "~ wool * tension")
add_fit("insurance_poisson_offset", "Insurance",
        "Claims ~ factor(District) + Group + Age + offset(log(Holders))", "poisson", "log",
        "glm(Claims ~ factor(District) + Group + Age + offset(log(Holders)), family = poisson, data = d)",
        add1_scope = "~ . + Group:Age + factor(District):Age")
add_fit("ships_poisson_offset_argument", "ships", "incidents ~ type + factor(year)", "poisson", "log",
        "glm(incidents ~ type + factor(year), family = poisson, data = d, offset = log_service)",
        offset = "log_service", add1_scope = "~ . + factor(period)")
add_fit("dobson_poisson_no_intercept", "dobson", "counts ~ factor(outcome) + factor(treatment) - 1", "poisson", "log",
        "glm(counts ~ factor(outcome) + factor(treatment) - 1, family = poisson, data = d)",
        note = "no intercept: the NULL row is the deviance of mu = exp(0), and Rao's first fit has no columns")
add_fit("mtcars_gaussian_weights", "mtcars", "mpg ~ wt + hp + factor(am)", "gaussian", "identity",
        "glm(mpg ~ wt + hp + factor(am), family = gaussian, data = d, weights = w)",
        weights = "cyl", add1_scope = "~ . + qsec + wt:hp + factor(am):wt")
add_fit("cars_gaussian_zero_weights", "cars", "dist ~ speed + I(speed^2)", "gaussian", "identity",
        "glm(dist ~ speed + I(speed^2), family = gaussian, data = d, weights = w)",
        weights = "ifelse(seq_len(nrow(d)) %in% c(5, 9), 0, 1)", add1_scope = "~ . + I(speed^3)",
        note = "rows 5 and 9 have zero weight: drop1/add1's gaussian log-likelihood n log(D/n) counts them (n = nrow(x))")
add_fit("trees_gamma_log", "trees", "Volume ~ log(Girth) + log(Height)", "Gamma", "log",
        "glm(Volume ~ log(Girth) + log(Height), family = Gamma(link = \"log\"), data = d)",
        add1_scope = "~ . + log(Girth):log(Height) + Girth")
add_fit("clotting_inverse_gaussian", "clotting", "lot2 ~ log(u)", "inverse.gaussian", "1/mu^2",
        "glm(lot2 ~ log(u), family = inverse.gaussian, data = d)", add1_scope = "~ . + I(log(u)^2)")
add_fit("quine_quasipoisson_interaction", "quine", "Days ~ Eth + Sex + Age + Lrn + Eth:Lrn", "quasipoisson", "log",
        "glm(Days ~ Eth + Sex + Age + Lrn + Eth:Lrn, family = quasipoisson, data = d)",
        add1_scope = "~ . + Sex:Age", note = "quasi: no AIC column; Eth and Lrn are not in drop.scope (Eth:Lrn)")
add_fit("esoph_quasibinomial", "esoph", "cbind(ncases, ncontrols) ~ agegp + tobgp + alcgp", "quasibinomial", "logit",
        "glm(cbind(ncases, ncontrols) ~ agegp + tobgp + alcgp, family = quasibinomial, data = d)",
        add1_scope = "~ . + tobgp:alcgp")
add_fit("quine_negbin_fixed_theta", "quine", "Days ~ Eth + Sex + Age + Lrn", "negative_binomial", "log",
        "glm(Days ~ Eth + Sex + Age + Lrn, family = negative.binomial(1.5), data = d)", theta = 1.5,
        add1_scope = "~ . + Eth:Sex",
        note = "summary.glm estimates the dispersion of negative.binomial(theta) (Pearson), and the tests use it")
add_fit("quine_glm_nb", "quine", "Days ~ Eth + Sex + Age + Lrn", "negative_binomial", "log",
        "MASS::glm.nb(Days ~ Eth + Sex + Age + Lrn, data = d)", estimate_theta = TRUE,
        add1_scope = "~ . + Eth:Sex + Age:Lrn",
        note = paste("anova.negbin holds theta at its estimate ('tests made without re-estimating theta');",
                     "drop1/add1 use the glm methods with that family; summary.negbin's dispersion is 1"))

out <- list(
  r_version = R.version.string,
  packages = list(MASS = as.character(packageVersion("MASS"))),
  fits = fits
)
write_reference(out, "test/reference/anova-terms.json")
cat(sprintf("wrote %d fits to test/reference/anova-terms.json\n", length(fits)))

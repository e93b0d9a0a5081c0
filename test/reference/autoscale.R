# Reference for glmkit's prior autoscaling: the adjusted prior scales that
# rstanarm reports in prior_summary() for one logistic and one gaussian model.
#   Rscript test/reference/autoscale.R   (writes test/reference/autoscale.json)
# The fits use algorithm = "optimizing" (fast); only the priors are recorded,
# with the design matrix and y so that the test can recompute them without R.
suppressMessages(library(rstanarm))

# jsonlite 1.8 prints at most 15 significant digits, so numbers are written
# verbatim with %.17g (exact round trip); non-finite values become null.
as_json17 <- function(v) {
  if (is.list(v)) return(lapply(v, as_json17))
  if (is.numeric(v) && !is.integer(v)) {
    txt <- ifelse(is.finite(v), sprintf("%.17g", v), "null")
    if (length(v) == 1L && is.null(dim(v))) return(structure(txt, class = "json"))
    return(structure(paste0("[", paste(txt, collapse = ","), "]"), class = "json"))
  }
  v
}
write_json17 <- function(x, path) {
  writeLines(jsonlite::toJSON(as_json17(x), auto_unbox = TRUE, json_verbatim = TRUE), path)
}

case <- function(id, fit, family, prior_spec, intercept_spec, aux_spec = NULL) {
  X <- model.matrix(fit)
  ps <- prior_summary(fit)
  out <- list(
    id = id,
    family = family,
    column_names = colnames(X),
    n = nrow(X),
    X_row_major = as.numeric(t(X)),
    y = as.numeric(fit$y),
    prior = prior_spec,
    prior_intercept = intercept_spec,
    # rstanarm reports the scales of the non-intercept coefficients in column order
    coefficient_names = colnames(X)[colnames(X) != "(Intercept)"],
    adjusted_scale = as.numeric(if (is.null(ps$prior$adjusted_scale)) ps$prior$scale else ps$prior$adjusted_scale),
    adjusted_intercept_scale = as.numeric(if (is.null(ps$prior_intercept$adjusted_scale)) ps$prior_intercept$scale else ps$prior_intercept$adjusted_scale)
  )
  if (!is.null(aux_spec)) {
    out$prior_aux <- aux_spec
    # for exponential(rate), rstanarm's adjusted_scale is 1/rate of the adjusted prior
    out$adjusted_aux_rate <- 1 / as.numeric(ps$prior_aux$adjusted_scale)
  }
  out
}

data(birthwt, package = "MASS")
bw <- within(birthwt, race <- factor(race, labels = c("white", "black", "other")))
fit_logit <- stan_glm(low ~ age + lwt + smoke + race + ptl, data = bw, family = binomial(),
                      prior = student_t(3, 0, 2.5, autoscale = TRUE),
                      prior_intercept = normal(0, 5, autoscale = TRUE),
                      algorithm = "optimizing", seed = 1, refresh = 0)
fit_gauss <- stan_glm(mpg ~ wt + hp + am + factor(cyl), data = mtcars, family = gaussian(),
                      prior = normal(0, 2.5, autoscale = TRUE),
                      prior_intercept = normal(20, 2.5, autoscale = TRUE),
                      prior_aux = exponential(1, autoscale = TRUE),
                      algorithm = "optimizing", seed = 1, refresh = 0)

cases <- list(
  case("birthwt_logit", fit_logit, "binomial", "student_t(3, 0, 2.5)", "normal(0, 5)"),
  case("mtcars_gaussian", fit_gauss, "gaussian", "normal(0, 2.5)", "normal(20, 2.5)", "exponential(1)")
)
out <- file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "autoscale.json")
write_json17(list(rstanarm_version = as.character(packageVersion("rstanarm")), cases = cases), out)
cat("wrote", out, "\n")

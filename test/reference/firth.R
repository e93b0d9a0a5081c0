# Reference fits for glmkit's Firth-type corrections (src/fit/firth.ts):
# brglm2's mean bias reduction (type = "AS_mean", Kosmidis & Firth 2009) and
# Jeffreys-prior penalised likelihood (type = "MPL_Jeffreys"), for every family
# with a likelihood and a range of links.
#
# Run from the repository root:   Rscript test/reference/firth.R
#
# Writes test/reference/firth.json: an object { cases: [...] }. Each case holds the
# design exactly as brglmFit saw it (model matrix row-major, y, prior weights,
# offset, binomial trials), so the TypeScript tests do not depend on the formula
# front end, and one result per type.
#
# brglm2's default stopping rule (sum |step| < 1e-6) leaves errors of ~1e-7, so every
# fit here uses epsilon = 1e-14, maxit = 10000, and the script checks that brglm2
# converged and that its own adjusted score is ~0 at the answer (max |grad| is
# recorded as `brglm2_max_abs_grad`).
#
# Independently of brglm2's internals, the script also evaluates for MPL_Jeffreys
# (and for AS_mean where the two coincide) the penalised log-likelihood
#   l(beta, phi) + 1/2 log |I(beta, phi)|
# with the exact densities (Gamma shape w/phi, inverse Gaussian dispersion phi/w,
# normal variance phi/w) and the textbook expected information
# (I_bb = X'WX/phi; I_phiphi = sum w^2 (trigamma(w/phi) - phi/w)/phi^4 for Gamma and
# n/(2 phi^2) for normal and inverse Gaussian), and checks that I_phiphi equals
# brglm2's info_transformed_dispersion.

if (!file.exists("package.json") || !dir.exists("test/reference")) {
  stop("run this script from the repository root: Rscript test/reference/firth.R")
}
if (Sys.setlocale("LC_COLLATE", "en_US.UTF-8") == "") {
  stop("the en_US.UTF-8 locale is not available (factor levels would sort differently from glmkit)")
}
suppressPackageStartupMessages({
  library(brglm2)
  library(statmod)   # dinvgauss
  library(jsonlite)
})
source("test/reference/common.R")  # format_double, to_verbatim, write_reference, as_array, read_data

# Shortest of %.15g / %.16g / %.17g that round-trips (as in glm.R).

TYPES <- c("AS_mean", "MPL_Jeffreys")
TIGHT <- list(epsilon = 1e-14, maxit = 10000)

family_object <- function(family, link) {
  switch(family,
    binomial = binomial(link), poisson = poisson(link), Gamma = Gamma(link),
    inverse.gaussian = inverse.gaussian(link), gaussian = gaussian(link))
}

# Log-likelihood with the exact densities, at the bias-reduced dispersion phi.
log_likelihood <- function(family, y, mu, w, phi, trials) {
  switch(family,
    binomial = sum(dbinom(round(trials * y), round(trials), mu, log = TRUE) * w / trials),
    poisson = sum(w * dpois(y, mu, log = TRUE)),
    gaussian = sum(dnorm(y, mu, sqrt(phi / w), log = TRUE)),
    Gamma = sum(dgamma(y, shape = w / phi, scale = mu * phi / w, log = TRUE)),
    inverse.gaussian = sum(dinvgauss(y, mean = mu, dispersion = phi / w, log = TRUE)))
}

# Expected information of the dispersion.
info_dispersion <- function(family, w, phi) {
  w <- w[w > 0]
  switch(family,
    Gamma = sum(w^2 * (trigamma(w / phi) - phi / w)) / phi^4,
    gaussian = , inverse.gaussian = length(w) / (2 * phi^2),
    NA_real_)
}

cases <- list()

add_case <- function(id, data, formula, family, link, weights = NULL, note = NULL) {
  cat(id, "\n")
  d <- read_data(data)
  fam <- family_object(family, link)
  results <- list()
  design <- NULL
  for (type in TYPES) {
    call <- substitute(glm(FORMULA, family = FAM, data = d, weights = W, method = "brglmFit",
                           type = TYPE, epsilon = TIGHT$epsilon, maxit = TIGHT$maxit),
                       list(FORMULA = as.formula(formula), FAM = fam, TYPE = type,
                            W = if (is.null(weights)) NULL else as.name(weights)))
    warns <- character(0)
    run <- function(expr) withCallingHandlers(eval(expr),
      warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
    fit <- tryCatch(run(call), error = function(e) e)
    if (inherits(fit, "error")) {
      # brglm2 0.9 fails in its intercept-only refit for the null deviance on some data
      # (inverse.gaussian 1/mu^2 on clotting: "object 'failed_inversion_beta' not found").
      # The null fit does not touch the coefficients, so fit the same design with
      # brglmFit(intercept = FALSE), which skips it, and make the result summary()-able.
      message(id, " ", type, ": glm(method = \"brglmFit\") failed (", conditionMessage(fit),
              "); refitting with brglmFit(intercept = FALSE)")
      mlfit <- eval(substitute(glm(FORMULA, family = FAM, data = d, weights = W),
                               list(FORMULA = as.formula(formula), FAM = fam,
                                    W = if (is.null(weights)) NULL else as.name(weights))))
      call <- substitute(brglmFit(x = model.matrix(MLFIT), y = MLFIT$y, weights = MLFIT$prior.weights,
                                  offset = MLFIT$offset, family = FAM, intercept = FALSE,
                                  control = list(type = TYPE, epsilon = TIGHT$epsilon, maxit = TIGHT$maxit)),
                         list(MLFIT = mlfit, FAM = fam, TYPE = type))
      warns <- character(0)
      fit <- run(call)
      fit$model <- mlfit$model
      fit$terms <- mlfit$terms
      class(fit) <- c("brglmFit", "glm", "lm")
      call <- sprintf("brglmFit(x = model.matrix(m), y = m$y, weights = m$prior.weights, offset = m$offset, family = %s, intercept = FALSE, control = list(type = \"%s\", epsilon = %g, maxit = %d)) with m = glm(%s, family = %s, data = d)",
                      deparse(substitute(family(link = L), list(family = as.name(family), L = link))), type,
                      TIGHT$epsilon, TIGHT$maxit, formula,
                      deparse(substitute(family(link = L), list(family = as.name(family), L = link))))
    }
    if (!isTRUE(fit$converged)) stop(id, " ", type, ": brglm2 did not converge")
    grad <- fit$grad[!is.na(fit$grad)]
    s <- summary(fit)
    # Scale-free check: score times standard error (the step it would cause, in SEs).
    se_beta <- sqrt(diag(vcov(fit)))
    se_all <- c(se_beta[!is.na(coef(fit))],
                if (length(grad) > sum(!is.na(coef(fit)))) sqrt(1 / fit$info_transformed_dispersion))
    std_grad <- abs(grad) * se_all
    if (max(std_grad) > 1e-9) stop(id, " ", type, ": brglm2's adjusted score is not ~0: ", max(std_grad))
    est <- coef(fit)
    tab <- coef(s)
    coefficients <- lapply(names(est), function(nm) {
      if (is.na(est[[nm]])) {
        list(name = nm, estimate = NULL, se = NULL, statistic = NULL, p_value = NULL, aliased = TRUE)
      } else {
        list(name = nm, estimate = tab[nm, 1], se = tab[nm, 2], statistic = tab[nm, 3],
             p_value = tab[nm, 4], aliased = FALSE)
      }
    })
    y <- fit$y
    w <- fit$prior.weights
    mu <- fitted(fit)
    X <- model.matrix(fit)
    n <- nrow(X)
    trials <- if (family == "binomial") {
      resp <- model.response(model.frame(fit))
      if (is.matrix(resp)) rowSums(resp) else rep(1, n)
    } else NULL
    if (family == "binomial" && is.null(dim(model.response(model.frame(fit)))) && !is.null(weights)) {
      trials <- w   # a proportion with weights = trials
    }
    no_dispersion <- family %in% c("binomial", "poisson")
    phi <- if (no_dispersion) 1 else fit$dispersion
    # 1/2 log|I(beta, phi)|: I_bb = R'R / phi from brglm2's final QR of sqrt(W) X.
    R <- qr.R(fit$qr)
    rank <- fit$rank
    logdet_bb <- 2 * sum(log(abs(diag(R)[seq_len(rank)]))) - rank * log(phi)
    info_phi <- if (no_dispersion) NA_real_ else info_dispersion(family, w, phi)
    if (!no_dispersion) {
      stopifnot(abs(info_phi / fit$info_transformed_dispersion - 1) < 1e-6)
    }
    half_logdet <- 0.5 * (logdet_bb + if (no_dispersion) 0 else log(info_phi))
    loglik <- log_likelihood(family, y, mu, w, phi, if (is.null(trials)) rep(1, n) else trials)
    results[[type]] <- list(
      R_call = if (is.character(call)) call else paste(deparse(call, width.cutoff = 500L), collapse = " "),
      coefficients = coefficients,
      dispersion = if (no_dispersion) 1 else fit$dispersion,
      deviance = fit$deviance,
      aic = fit$aic,
      iterations = fit$iter,
      brglm2_max_abs_grad = max(abs(grad)),
      brglm2_max_abs_grad_times_se = max(std_grad),
      log_likelihood = loglik,
      half_log_det_information = half_logdet,
      penalised_log_likelihood = loglik + half_logdet,
      fitted_head = as_array(mu[1:min(5, n)]),
      r_warnings = I(unique(warns))
    )
    if (is.null(design)) {
      off <- fit$offset
      design <- list(
        n = n, p = ncol(X), column_names = I(colnames(X)),
        X_row_major = as_array(t(X)),
        y = as_array(y), prior_weights = as_array(w),
        offset = if (is.null(off) || all(off == 0)) NULL else as_array(off),
        trials = if (is.null(trials)) NULL else as_array(trials)
      )
    }
  }
  cases[[length(cases) + 1]] <<- c(
    list(id = id, data = paste0("data/", data, ".csv"), formula = formula, family = family, link = link,
         weights_column = weights, note = note),
    design,
    list(results = results))
}

# Binomial: quasi-complete and complete separation, every link, grouped data.
add_case("endometrial_logit", "endometrial", "HG ~ NV + PI + EH", "binomial", "logit",
         note = "NV quasi-completely separates HG: the ML estimate of NV is infinite")
add_case("separated_logit", "separated", "y ~ x + z", "binomial", "logit",
         note = "x completely separates y: every ML estimate of the slope is infinite")
add_case("separated_probit", "separated", "y ~ x + z", "binomial", "probit",
         note = "complete separation, non-canonical link")
add_case("birthwt_logit", "birthwt", "low ~ age + lwt + race + smoke + ptl + ht + ui", "binomial", "logit")
add_case("birthwt_probit", "birthwt", "low ~ age + lwt + race + smoke + ptl + ht + ui", "binomial", "probit")
add_case("birthwt_cloglog", "birthwt", "low ~ age + lwt + race + smoke + ptl + ht + ui", "binomial", "cloglog")
add_case("birthwt_cauchit", "birthwt", "low ~ age + lwt + race + smoke + ptl + ht + ui", "binomial", "cauchit")
add_case("budworm_logit_cbind", "budworm", "cbind(numdead, numalive) ~ sex * ldose", "binomial", "logit")
add_case("budworm_probit_weights", "budworm", "prop ~ sex + ldose", "binomial", "probit", weights = "total",
         note = "proportion response with weights = trials")
add_case("esoph_logit_cbind", "esoph", "cbind(ncases, ncontrols) ~ agegp + tobgp + alcgp", "binomial", "logit")
# Poisson: log (with an offset), identity, sqrt.
add_case("dobson_poisson_log", "dobson", "counts ~ factor(outcome) + factor(treatment)", "poisson", "log")
add_case("dobson_poisson_identity", "dobson", "counts ~ factor(outcome) + factor(treatment)", "poisson", "identity")
add_case("warpbreaks_poisson_sqrt", "warpbreaks", "breaks ~ wool + tension", "poisson", "sqrt")
add_case("insurance_poisson_offset", "Insurance", "Claims ~ factor(District) + Group + Age + offset(log(Holders))",
         "poisson", "log")
# Gamma: inverse (canonical), log, identity, and prior weights.
add_case("clotting_gamma_inverse", "clotting", "lot1 ~ log(u)", "Gamma", "inverse")
add_case("clotting_gamma_log", "clotting", "lot1 ~ log(u)", "Gamma", "log")
add_case("clotting_gamma_identity", "clotting", "lot2 ~ log(u)", "Gamma", "identity")
add_case("mtcars_gamma_log_weights", "mtcars", "mpg ~ wt + hp", "Gamma", "log", weights = "cyl",
         note = "prior weights enter the dispersion adjustment through w/phi")
# Inverse Gaussian and Gaussian.
add_case("clotting_inverse_gaussian", "clotting", "lot1 ~ log(u)", "inverse.gaussian", "1/mu^2")
add_case("trees_inverse_gaussian_log", "trees", "Volume ~ log(Girth) + log(Height)", "inverse.gaussian", "log")
add_case("mtcars_gaussian_identity", "mtcars", "mpg ~ wt + hp", "gaussian", "identity",
         note = "identity link: the coefficients are least squares; only the dispersion is adjusted")
add_case("mtcars_gaussian_log", "mtcars", "mpg ~ wt + hp", "gaussian", "log")
add_case("mtcars_gaussian_rank_deficient", "mtcars", "mpg ~ wt + I(2 * wt) + hp", "gaussian", "inverse",
         note = "I(2 * wt) is aliased; brglm2 drops it before fitting")

txt <- toJSON(to_verbatim(list(
  generated_by = "test/reference/firth.R",
  brglm2_version = as.character(packageVersion("brglm2")),
  control = TIGHT,
  cases = cases)), auto_unbox = TRUE, null = "null", na = "null", json_verbatim = TRUE, pretty = TRUE)
writeLines(txt, "test/reference/firth.json")
stopifnot(is.list(fromJSON("test/reference/firth.json", simplifyVector = FALSE)))

cat(sprintf("wrote %d cases to test/reference/firth.json\n", length(cases)))
for (cs in cases) {
  a <- cs$results$AS_mean; j <- cs$results$MPL_Jeffreys
  ea <- vapply(a$coefficients, function(r) if (is.null(r$estimate)) NA_real_ else r$estimate, 0)
  ej <- vapply(j$coefficients, function(r) if (is.null(r$estimate)) NA_real_ else r$estimate, 0)
  cat(sprintf("%-32s iter %4d/%4d  max|grad|*se %.1e/%.1e  max|AS_mean - MPL_Jeffreys| %.2e\n", cs$id,
              a$iterations, j$iterations, a$brglm2_max_abs_grad_times_se, j$brglm2_max_abs_grad_times_se,
              max(abs(ea - ej), na.rm = TRUE)))
}

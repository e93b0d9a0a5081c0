# Reference values for glmkit's confidence intervals and tests (src/intervals/).
#
# Run from the repository root:   Rscript test/reference/intervals.R
#
# Writes test/reference/intervals.json, an object with four arrays:
#
#   profile   For each fit (data + formula + family, fitted with R's default control,
#             exactly as test/reference/glm.R), per coefficient:
#             - exact profile-likelihood bounds at levels 0.95 and 0.8: the roots of the
#               signed root z(b) = sign(b - bhat) sqrt((D(b) - Dhat) / phi) = -/+ qnorm((1+level)/2),
#               where D(b) is the deviance of glm.fit(x = X[, -j], offset = offset + b * X[, j],
#               control = glm.control(epsilon = 1e-14, maxit = 100)) (the lowest of three starts,
#               see zfun), Dhat the deviance of the full model refitted with the same tight control
#               (or R's default fit, whichever is lower), and phi = summary(fit)$dispersion
#               (1 for binomial, Poisson and negative binomial; the Pearson estimate otherwise,
#               as MASS::profile.glm scales deviance differences). Roots by uniroot(tol = 1e-13)
#               on a bracket found by stepping out from bhat in multiples of the standard error.
#             - the same roots with the t cutoff qt((1+level)/2, df.residual) for
#               estimated-dispersion families (`exact_t`).
#             - MASS::confint(fit) (MASS 7.3-58: a spline through the profile.glm grid, cutoff
#               qnorm; `mass_error` holds its error message where it fails, e.g. complete
#               separation), confint.default(fit) (Wald, normal quantile; for the fixed-theta negative
#               binomial computed at dispersion 1, see its note), and for estimated-dispersion
#               families the Wald interval with the t quantile (coef +/- qt * se).
#             A bound that does not exist (separation) is written as the string "-Inf"/"Inf";
#             for it `asymptote` records z at bhat + (5, 10, 20, 40) * se / 100 (`asymptote_steps`),
#             which stay below the cutoff.
#   tests     Nested-model comparisons: anova(m0, m1, test = "Chisq") and anova(m0, m1,
#             test = "Rao") (R's Rao score test, stats:::anova.glmlist), plus the multi-df Wald
#             statistic b_S' V_SS^-1 b_S computed from vcov(m1). Per coefficient of m1: the
#             same three tests for dropping that one column (m0 and m1 refitted as
#             glm(response ~ 0 + X) from m1's model matrix; the Wald test is summary(m1)'s).
#             The negative binomial with fixed theta uses dispersion = 1 (summary.glm would
#             estimate one, see glm.R's notes).
#   firth_profile
#             Penalised profile likelihood (logistf's profile CI of l(beta) + 1/2 log|I(beta)|):
#             for each fixed beta_j = b, the maximum over the other coefficients found by
#             optim(BFGS, analytic gradient, reltol 1e-15) and polished by Newton steps with the
#             numDeriv Hessian of the analytic gradient; bounds where
#             2 (max - profile(b)) = qchisq(level, 1), by uniroot(tol = 1e-11). The maximum
#             itself is checked against brglm2's MPL_Jeffreys fit.
#   laplace   Laplace approximation at the exact posterior mode (no Jacobian: the penalised
#             log-likelihood l(beta, a) + log p(beta) + log p(a), as src/fit/map.ts) of three
#             models; the mode by optim + Newton polishing with the analytic Hessian; the
#             covariance (-H)^-1 on theta = (beta, log a); intervals for theta, for exp(beta)
#             (odds/rate ratios: exp of the bounds, and the delta method exp(b) +/- z exp(b) se),
#             for the aux parameter (exp of the log-scale bounds), and for predictions at rows
#             1 and 6 on the link scale and on the response scale (linkinv of the link bounds,
#             and the delta method mu +/- z |dmu/deta| se).
#
# Numbers are written in the shortest of %.15g/%.16g/%.17g that reads back exactly (as glm.R).

if (!file.exists("package.json") || !dir.exists("test/reference")) {
  stop("run this script from the repository root: Rscript test/reference/intervals.R")
}
if (Sys.setlocale("LC_COLLATE", "en_US.UTF-8") == "") {
  stop("the en_US.UTF-8 locale is not available (factor levels would sort differently from glmkit)")
}
suppressPackageStartupMessages({
  library(MASS)
  library(numDeriv)
  library(brglm2)
  library(jsonlite)
})
source("test/reference/common.R")  # format_double, to_verbatim, write_reference, as_array, read_data
options(reference.allow_infinite = TRUE)  # unbounded profile ends are written as "Inf" / "-Inf"

arr <- function(x) I(unname(as.numeric(x)))
TIGHT <- glm.control(epsilon = 1e-14, maxit = 100)

# ---------------------------------------------------------------------------
# Exact profile-likelihood bounds
# ---------------------------------------------------------------------------
quiet <- function(expr) withCallingHandlers(expr, warning = function(w) invokeRestart("muffleWarning"))

profile_case <- function(id, data, formula, family, link, R_call, theta = NULL, estimate_theta = FALSE,
                         note = NULL) {
  d <- read_data(data)
  fit <- eval(parse(text = R_call))
  fam <- family(fit)
  X <- model.matrix(fit)
  y <- fit$y
  w <- fit$prior.weights
  off <- model.offset(model.frame(fit))
  if (is.null(off)) off <- rep(0, nrow(X))
  s <- summary(fit, dispersion = if (inherits(fit, "negbin") || !is.null(theta)) 1 else NULL)
  phi <- s$dispersion
  estimated <- !(fam$family %in% c("binomial", "poisson")) && !grepl("^Negative Binomial", fam$family)
  bhat <- coef(fit)
  se <- s$coefficients[, "Std. Error"]
  full_tight <- quiet(glm.fit(X, y, weights = w, offset = off, family = fam, start = bhat, control = TIGHT))
  dev0 <- min(full_tight$deviance, deviance(fit))
  p <- ncol(X)
  rows <- vector("list", p)
  for (j in seq_len(p)) {
    # Newton (IRLS) from one start can stall at a spurious point when the offset is large
    # (glm.fit's default start ignores the offset; a distant start can diverge), so every
    # refit is run from three starts and the smallest deviance is kept: the full fit's other
    # coefficients, the previous refit's (continuation), and the family's initialize.
    # (Under complete separation even this fails far out -- every start stalls -- which is
    # why data/separated.csv is not among the cases: glmkit's own test checks it.)
    last_start <- bhat[-j]
    zfun <- function(b) {
      o <- off + b * X[, j]
      attempt <- function(...) tryCatch(quiet(glm.fit(X[, -j, drop = FALSE], y, weights = w, offset = o, family = fam,
                                                       control = TIGHT, ...)), error = function(e) NULL)
      fits <- list(attempt(start = bhat[-j]), attempt(start = last_start), attempt())
      fits <- Filter(Negate(is.null), fits)
      if (length(fits) == 0) return(sign(b - bhat[j]) * Inf)  # no valid fit: outside the model's domain
      devs <- vapply(fits, function(f) if (all(is.finite(f$coefficients))) f$deviance else Inf, numeric(1))
      best <- fits[[which.min(devs)]]
      last_start <<- best$coefficients
      dev <- min(devs)
      sign(b - bhat[j]) * sqrt(max(0, (dev - dev0) / phi))
    }
    bound <- function(side, cut) {
      step <- se[j]
      lo <- bhat[j]
      for (k in 0:40) {
        b <- bhat[j] + side * step * 2^k
        z <- zfun(b)
        if (side * z >= cut) {
          if (sign(zfun(lo) - side * cut) == sign(zfun(b) - side * cut)) stop(sprintf("bracket %s j=%d side=%d lo=%g b=%g z(lo)=%g z(b)=%g", id, j, side, lo, b, zfun(lo), zfun(b)))
          r <- uniroot(function(b) zfun(b) - side * cut, sort(c(lo, b)), tol = 1e-13, maxiter = 2000)
          return(r$root)
        }
        lo <- b
        if (k >= 6) return(side * Inf)
      }
      side * Inf
    }
    exact <- list()
    for (level in c(0.95, 0.8)) {
      q <- qnorm((1 + level) / 2)
      exact[[as.character(level)]] <- arr(c(bound(-1, q), bound(1, q)))
    }
    row <- list(name = colnames(X)[j], estimate = unname(bhat[j]), se = unname(se[j]),
                exact_0.95 = exact[["0.95"]], exact_0.8 = exact[["0.8"]])
    if (estimated) {
      qt95 <- qt(0.975, fit$df.residual)
      row$exact_t_0.95 <- arr(c(bound(-1, qt95), bound(1, qt95)))
    }
    if (any(!is.finite(unlist(exact)))) {
      side <- if (!is.finite(exact[["0.95"]][2])) 1 else -1
      row$asymptote <- arr(sapply(c(5, 10, 20, 40), function(k) zfun(bhat[j] + side * k * se[j] / 100)))
      row$asymptote_steps <- arr(bhat[j] + side * c(5, 10, 20, 40) * se[j] / 100)
    }
    rows[[j]] <- row
  }
  mass_error <- NULL
  mass <- if (is.null(theta)) tryCatch(suppressMessages(quiet(confint(fit))), error = function(e) {
    mass_error <<- conditionMessage(e)
    NULL
  }) else NULL
  # confint.default takes vcov(fit), which for negative.binomial(theta) would use summary.glm's
  # estimated dispersion; with theta fixed the Wald interval is coef +/- z se at dispersion 1.
  cd <- if (is.null(theta)) confint.default(fit) else cbind(bhat - qnorm(0.975) * se, bhat + qnorm(0.975) * se)
  wald_t <- if (estimated) cbind(bhat - qt(0.975, fit$df.residual) * se, bhat + qt(0.975, fit$df.residual) * se) else NULL
  for (j in seq_len(p)) {
    rows[[j]]$mass_confint <- if (is.null(mass)) NULL else arr(mass[j, ])
    rows[[j]]$confint_default <- arr(cd[j, ])
    if (!is.null(wald_t)) rows[[j]]$wald_t <- arr(wald_t[j, ])
  }
  nb_theta <- if (grepl("^Negative Binomial", fam$family)) get(".Theta", envir = environment(fam$variance)) else NULL
  list(id = id, data = paste0("data/", data, ".csv"), formula = formula, family = family, link = link,
       theta = theta, estimate_theta = estimate_theta, family_theta = nb_theta, R_call = R_call,
       dispersion = phi, dispersion_estimated = estimated, deviance = deviance(fit),
       deviance_tight = dev0, df_residual = fit$df.residual, note = note, mass_error = mass_error,
       coefficients = rows)
}

profiles <- list(
  profile_case("birthwt_logit", "birthwt", "low ~ age + lwt + race + smoke + ptl + ht + ui", "binomial", "logit",
               "glm(low ~ age + lwt + race + smoke + ptl + ht + ui, family = binomial, data = d)"),
  profile_case("birthwt_probit", "birthwt", "low ~ age + lwt + race + smoke + ptl + ht + ui", "binomial", "probit",
               "glm(low ~ age + lwt + race + smoke + ptl + ht + ui, family = binomial(link = \"probit\"), data = d)"),
  profile_case("budworm_cloglog", "budworm", "cbind(numdead, numalive) ~ sex + ldose", "binomial", "cloglog",
               "glm(cbind(numdead, numalive) ~ sex + ldose, family = binomial(link = \"cloglog\"), data = d)"),
  profile_case("insurance_poisson_offset", "Insurance", "Claims ~ factor(District) + Group + Age + offset(log(Holders))",
               "poisson", "log",
               "glm(Claims ~ factor(District) + Group + Age + offset(log(Holders)), family = poisson, data = d)"),
  profile_case("clotting_gamma_inverse", "clotting", "lot1 ~ log(u)", "Gamma", "inverse",
               "glm(lot1 ~ log(u), family = Gamma, data = d)"),
  profile_case("clotting_gamma_log", "clotting", "lot2 ~ log(u)", "Gamma", "log",
               "glm(lot2 ~ log(u), family = Gamma(link = \"log\"), data = d)"),
  profile_case("mtcars_gaussian", "mtcars", "mpg ~ wt + hp", "gaussian", "identity",
               "glm(mpg ~ wt + hp, family = gaussian, data = d)"),
  profile_case("quine_quasipoisson", "quine", "Days ~ Eth + Sex + Age + Lrn", "quasipoisson", "log",
               "glm(Days ~ Eth + Sex + Age + Lrn, family = quasipoisson, data = d)"),
  profile_case("quine_negbin_fixed_theta", "quine", "Days ~ Eth + Sex + Age + Lrn", "negative_binomial", "log",
               "glm(Days ~ Eth + Sex + Age + Lrn, family = MASS::negative.binomial(1.5), data = d)", theta = 1.5,
               note = paste("theta fixed at 1.5, dispersion 1. MASS::confint is not recorded: profile.glm would",
                            "scale by summary.glm's estimated dispersion (1.149) for this family; confint_default",
                            "is coef +/- qnorm(0.975) * se with the dispersion-1 standard errors.")),
  profile_case("quine_glm_nb", "quine", "Days ~ Eth + Sex + Age + Lrn", "negative_binomial", "log",
               "MASS::glm.nb(Days ~ Eth + Sex + Age + Lrn, data = d)", estimate_theta = TRUE,
               note = "theta estimated by glm.nb and held at family(fit)'s theta while profiling (as MASS does)."),
  profile_case("birthwt_log_binomial", "birthwt", "low ~ smoke + ht + ui", "binomial", "log",
               "glm(low ~ smoke + ht + ui, family = binomial(link = \"log\"), data = d, start = c(-1.5, 0, 0, 0))",
               note = "log link: fitted probabilities must stay below 1, so refits far out leave the domain."),
  profile_case("endometrial_logit_separated", "endometrial", "HG ~ NV + PI + EH", "binomial", "logit",
               "glm(HG ~ NV + PI + EH, family = binomial, data = d)",
               note = "NV is quasi-completely separated: its upper bound does not exist.")
)
# The gaussian identity profile with the t cutoff is the exact t interval of lm.
mt <- read_data("mtcars")
lm_ci <- confint(lm(mpg ~ wt + hp, data = mt))
for (k in seq_along(profiles)) if (identical(profiles[[k]]$id, "mtcars_gaussian"))
  profiles[[k]]$confint_lm <- lapply(seq_len(nrow(lm_ci)), function(j) arr(lm_ci[j, ]))
stopifnot(any(vapply(profiles, function(pc) !is.null(pc$confint_lm), logical(1))))

# ---------------------------------------------------------------------------
# LR, Wald and Rao score tests
# ---------------------------------------------------------------------------
test_rows <- function(a) {
  list(df = a$Df[2], deviance = a$Deviance[2], p_value = a[["Pr(>Chi)"]][2])
}
nested_case <- function(id, data, family, link, formula0, formula1, family_call, fixed_dispersion = FALSE) {
  d <- read_data(data)
  m0 <- eval(parse(text = sprintf("glm(%s, family = %s, data = d)", formula0, family_call)))
  m1 <- eval(parse(text = sprintf("glm(%s, family = %s, data = d)", formula1, family_call)))
  disp <- if (fixed_dispersion) 1 else NULL
  lr <- anova(m0, m1, test = "Chisq", dispersion = disp)
  rao <- anova(m0, m1, test = "Rao", dispersion = disp)
  s1 <- summary(m1, dispersion = disp)
  phi <- s1$dispersion
  V <- vcov(m1, dispersion = phi)
  dropped <- setdiff(names(coef(m1)), names(coef(m0)))
  b <- coef(m1)[dropped]
  W <- as.numeric(t(b) %*% solve(V[dropped, dropped, drop = FALSE], b))
  q <- length(dropped)
  # Per coefficient of m1: drop one column of its model matrix.
  X <- model.matrix(m1)
  resp <- model.response(model.frame(m1))
  off <- model.offset(model.frame(m1))
  fam <- family(m1)
  w <- model.weights(model.frame(m1))
  full <- if (is.null(w)) glm(resp ~ 0 + X, family = fam, offset = off) else glm(resp ~ 0 + X, family = fam, offset = off, weights = w)
  per <- lapply(seq_len(ncol(X)), function(j) {
    Xj <- X[, -j, drop = FALSE]
    red <- if (is.null(w)) glm(resp ~ 0 + Xj, family = fam, offset = off) else glm(resp ~ 0 + Xj, family = fam, offset = off, weights = w)
    a_lr <- anova(red, full, test = "Chisq", dispersion = disp)
    a_rao <- anova(red, full, test = "Rao", dispersion = disp)
    ct <- summary(full, dispersion = disp)$coefficients
    list(name = colnames(X)[j],
         lr = list(statistic = a_lr$Deviance[2] / phi, deviance = a_lr$Deviance[2], p_value = a_lr[["Pr(>Chi)"]][2]),
         score = list(statistic = a_rao$Rao[2] / phi, rao = a_rao$Rao[2], p_value = a_rao[["Pr(>Chi)"]][2]),
         wald = list(statistic = ct[j, 3], p_value = ct[j, 4]))
  })
  stopifnot(isTRUE(all.equal(unname(coef(full)), unname(coef(m1)))))
  list(id = id, data = paste0("data/", data, ".csv"), family = family, link = link,
       formula0 = formula0, formula1 = formula1,
       R_call = sprintf("anova(glm(%s, family = %s, data = d), glm(%s, family = %s, data = d), test = \"Rao\"%s)",
                        formula0, family_call, formula1, family_call, if (fixed_dispersion) ", dispersion = 1" else ""),
       dispersion = phi, dispersion_estimated = !fixed_dispersion && !(m1$family$family %in% c("binomial", "poisson")),
       df_residual = m1$df.residual,
       lr = list(df = lr$Df[2], deviance = lr$Deviance[2], statistic = lr$Deviance[2] / phi, p_value = lr[["Pr(>Chi)"]][2]),
       rao = list(df = rao$Df[2], rao = rao$Rao[2], statistic = rao$Rao[2] / phi, p_value = rao[["Pr(>Chi)"]][2]),
       wald = list(df = q, columns = I(dropped), statistic = W, p_value = pchisq(W, q, lower.tail = FALSE),
                   f = W / q, p_value_f = pf(W / q, q, m1$df.residual, lower.tail = FALSE)),
       per_coefficient = per)
}
tests <- list(
  nested_case("birthwt_logit", "birthwt", "binomial", "logit", "low ~ smoke + ht",
              "low ~ age + lwt + race + smoke + ptl + ht + ui", "binomial"),
  nested_case("budworm_logit_cbind", "budworm", "binomial", "logit", "cbind(numdead, numalive) ~ ldose",
              "cbind(numdead, numalive) ~ sex * ldose", "binomial"),
  nested_case("insurance_poisson_offset", "Insurance", "poisson", "log",
              "Claims ~ Group + Age + offset(log(Holders))",
              "Claims ~ factor(District) + Group + Age + offset(log(Holders))", "poisson"),
  nested_case("quine_quasipoisson", "quine", "quasipoisson", "log", "Days ~ Eth + Sex",
              "Days ~ Eth + Sex + Age + Lrn", "quasipoisson"),
  nested_case("mtcars_gaussian", "mtcars", "gaussian", "identity", "mpg ~ wt", "mpg ~ wt + hp + factor(cyl)", "gaussian"),
  nested_case("clotting_gamma_inverse", "clotting", "Gamma", "inverse", "lot1 ~ 1", "lot1 ~ log(u)", "Gamma"),
  nested_case("quine_negbin_fixed_theta", "quine", "negative_binomial", "log", "Days ~ Eth + Sex",
              "Days ~ Eth + Sex + Age + Lrn", "MASS::negative.binomial(1.5)", fixed_dispersion = TRUE)
)

# ---------------------------------------------------------------------------
# Penalised (Jeffreys / Firth) profile likelihood
# ---------------------------------------------------------------------------
jeffreys_model <- function(X, y, m, family) {
  if (family == "binomial") {
    inv <- plogis; ll <- function(mu) sum(dbinom(round(y * m), m, mu, log = TRUE))
    wt <- function(mu) m * mu * (1 - mu); adj <- function(mu, h) h * (0.5 - mu); resid <- function(mu) m * (y - mu)
  } else {
    inv <- exp; ll <- function(mu) sum(dpois(y, mu, log = TRUE))
    wt <- function(mu) mu; adj <- function(mu, h) 0.5 * h; resid <- function(mu) y - mu
  }
  f <- function(beta) {
    mu <- inv(drop(X %*% beta)); w <- wt(mu)
    ll(mu) + 0.5 * as.numeric(determinant(crossprod(X, X * w))$modulus)
  }
  g <- function(beta) {
    mu <- inv(drop(X %*% beta)); w <- wt(mu)
    Iinv <- solve(crossprod(X, X * w))
    h <- rowSums((X %*% Iinv) * X) * w
    drop(crossprod(X, resid(mu) + adj(mu, h)))
  }
  list(f = f, g = g)
}
maximise <- function(f, g, start) {
  o <- optim(start, function(b) -f(b), function(b) -g(b), method = "BFGS",
             control = list(reltol = 1e-15, maxit = 10000))
  b <- o$par
  for (k in 1:6) {
    H <- numDeriv::jacobian(g, b)
    step <- solve(H, g(b))
    b <- b - step
    if (max(abs(step)) < 1e-13) break
  }
  list(par = b, value = f(b), max_abs_grad = max(abs(g(b))))
}
firth_case <- function(id, data, formula, family, R_call) {
  d <- read_data(data)
  fit <- eval(parse(text = R_call))
  X <- model.matrix(fit)
  y <- fit$y
  m <- fit$prior.weights
  jm <- jeffreys_model(X, y, m, family)
  br <- glm(formula(fit), family = family, data = d, method = "brglmFit", type = "MPL_Jeffreys",
            control = brglmControl(epsilon = 1e-14, maxit = 1000))
  top <- maximise(jm$f, jm$g, coef(br))
  p <- ncol(X)
  rows <- lapply(seq_len(p), function(j) {
    prev <- top$par[-j]
    prof <- function(b) {
      fj <- function(beta_j) { beta <- numeric(p); beta[j] <- b; beta[-j] <- beta_j; jm$f(beta) }
      gj <- function(beta_j) { beta <- numeric(p); beta[j] <- b; beta[-j] <- beta_j; jm$g(beta)[-j] }
      r <- maximise(fj, gj, prev)
      prev <<- r$par
      r$value
    }
    se <- sqrt(diag(solve(-numDeriv::jacobian(jm$g, top$par))))[j]
    out <- list(name = colnames(X)[j], estimate = top$par[j])
    for (level in c(0.95, 0.9)) {
      cut <- qchisq(level, 1)
      bounds <- sapply(c(-1, 1), function(side) {
        prev <<- top$par[-j]
        hi <- top$par[j]
        for (k in 0:30) {
          b <- top$par[j] + side * se * 2^k
          if (2 * (top$value - prof(b)) >= cut) break
          hi <- b
        }
        prev <<- top$par[-j]
        uniroot(function(b) 2 * (top$value - prof(b)) - cut, sort(c(hi, b)), tol = 1e-11, maxiter = 1000)$root
      })
      out[[paste0("bounds_", level)]] <- arr(bounds)
    }
    out
  })
  list(id = id, data = paste0("data/", data, ".csv"), formula = formula, family = family, link = "log/logit (canonical)",
       R_call = R_call, brglm2_mpl_jeffreys = arr(coef(br)), maximum = arr(top$par),
       penalised_loglik = top$value, max_abs_grad = top$max_abs_grad, coefficients = rows)
}
firth <- list(
  firth_case("endometrial_logit", "endometrial", "HG ~ NV + PI + EH", "binomial",
             "glm(HG ~ NV + PI + EH, family = binomial, data = d)"),
  firth_case("dobson_poisson", "dobson", "counts ~ factor(outcome) + factor(treatment)", "poisson",
             "glm(counts ~ factor(outcome) + factor(treatment), family = poisson, data = d)")
)

# ---------------------------------------------------------------------------
# Laplace approximation at the posterior mode
# ---------------------------------------------------------------------------
laplace_case <- function(id, data, formula, family, R_call, prior_mean, prior_sd, aux_rate = NULL, rows_pred = c(1, 6)) {
  d <- read_data(data)
  fit <- eval(parse(text = R_call))
  X <- model.matrix(fit); y <- fit$y; m <- fit$prior.weights
  off <- model.offset(model.frame(fit)); if (is.null(off)) off <- rep(0, nrow(X))
  p <- ncol(X)
  lprior <- function(beta) sum(dnorm(beta, prior_mean, prior_sd, log = TRUE))
  if (family == "binomial") {
    f <- function(th) { mu <- plogis(drop(X %*% th + off)); sum(dbinom(round(y * m), m, mu, log = TRUE)) + lprior(th) }
    g <- function(th) { mu <- plogis(drop(X %*% th + off)); drop(crossprod(X, m * (y - mu))) - (th - prior_mean) / prior_sd^2 }
    H <- function(th) { mu <- plogis(drop(X %*% th + off)); -crossprod(X, X * (m * mu * (1 - mu))) - diag(1 / prior_sd^2, p) }
    linkinv <- plogis; mu_eta <- dlogis
  } else if (family == "poisson") {
    f <- function(th) { mu <- exp(drop(X %*% th + off)); sum(dpois(y, mu, log = TRUE)) + lprior(th) }
    g <- function(th) { mu <- exp(drop(X %*% th + off)); drop(crossprod(X, y - mu)) - (th - prior_mean) / prior_sd^2 }
    H <- function(th) { mu <- exp(drop(X %*% th + off)); -crossprod(X, X * mu) - diag(1 / prior_sd^2, p) }
    linkinv <- exp; mu_eta <- exp
  } else {
    # gaussian identity, theta = (beta, u = log sigma), exponential(aux_rate) prior on sigma, no Jacobian
    f <- function(th) {
      b <- th[1:p]; s <- exp(th[p + 1]); r <- y - drop(X %*% b + off)
      sum(dnorm(r, 0, s, log = TRUE)) + lprior(b) + dexp(s, aux_rate, log = TRUE)
    }
    g <- function(th) {
      b <- th[1:p]; s <- exp(th[p + 1]); r <- y - drop(X %*% b + off)
      c(drop(crossprod(X, r)) / s^2 - (b - prior_mean) / prior_sd^2, sum(-1 + r^2 / s^2) - aux_rate * s)
    }
    H <- function(th) {
      b <- th[1:p]; s <- exp(th[p + 1]); r <- y - drop(X %*% b + off)
      out <- matrix(0, p + 1, p + 1)
      out[1:p, 1:p] <- -crossprod(X) / s^2 - diag(1 / prior_sd^2, p)
      out[1:p, p + 1] <- out[p + 1, 1:p] <- -2 * drop(crossprod(X, r)) / s^2
      out[p + 1, p + 1] <- -2 * sum(r^2) / s^2 - aux_rate * s
      out
    }
    linkinv <- identity; mu_eta <- function(eta) rep(1, length(eta))
  }
  start <- if (family == "gaussian") c(coef(fit), log(sqrt(mean(residuals(fit)^2)))) else coef(fit)
  o <- optim(start, function(t) -f(t), function(t) -g(t), method = "BFGS", control = list(reltol = 1e-15, maxit = 10000))
  th <- o$par
  for (k in 1:20) { step <- solve(H(th), g(th)); th <- th - step; if (max(abs(step)) < 1e-14) break }
  stopifnot(max(abs(numDeriv::hessian(f, th) - H(th))) < 1e-4 * max(abs(H(th))))
  stopifnot(max(abs(numDeriv::grad(f, th) - g(th))) < 1e-5)
  C <- solve(-H(th))
  se <- sqrt(diag(C))
  names_th <- c(colnames(X), if (family == "gaussian") "sigma")
  levels <- c(0.95, 0.9)
  iv <- lapply(levels, function(level) {
    z <- qnorm((1 + level) / 2)
    lo <- th - z * se; hi <- th + z * se
    res <- list(level = level, theta_lower = arr(lo), theta_upper = arr(hi),
                exp_lower = arr(exp(lo[1:p])), exp_upper = arr(exp(hi[1:p])),
                exp_delta_lower = arr(exp(th[1:p]) - z * exp(th[1:p]) * se[1:p]),
                exp_delta_upper = arr(exp(th[1:p]) + z * exp(th[1:p]) * se[1:p]))
    Xp <- X[rows_pred, , drop = FALSE]
    eta <- drop(Xp %*% th[1:p] + off[rows_pred])
    se_eta <- sqrt(rowSums((Xp %*% C[1:p, 1:p]) * Xp))
    res$pred <- list(rows = arr(rows_pred - 1), eta = arr(eta), se_eta = arr(se_eta),
                     link_lower = arr(eta - z * se_eta), link_upper = arr(eta + z * se_eta),
                     mu = arr(linkinv(eta)),
                     response_lower = arr(linkinv(eta - z * se_eta)), response_upper = arr(linkinv(eta + z * se_eta)),
                     delta_lower = arr(linkinv(eta) - z * abs(mu_eta(eta)) * se_eta),
                     delta_upper = arr(linkinv(eta) + z * abs(mu_eta(eta)) * se_eta))
    if (family == "gaussian") {
      res$aux_lower <- exp(lo[p + 1]); res$aux_upper <- exp(hi[p + 1])
    }
    res
  })
  prior_spec <- sprintf("normal(%s, %s)", as.character(prior_mean), as.character(prior_sd))
  list(id = id, data = paste0("data/", data, ".csv"), formula = formula, family = family, R_call = R_call,
       priors = list(coefficients = if (length(prior_spec) == 1) rep(prior_spec, p) else prior_spec,
                     aux = if (is.null(aux_rate)) NULL else sprintf("exponential(%s)", as.character(aux_rate))),
       names = names_th, mode = arr(th), se = arr(se), covariance = arr(t(C)),
       max_abs_grad = max(abs(g(th))), intervals = iv)
}
laplace <- list(
  laplace_case("birthwt_logit_normal", "birthwt", "low ~ age + lwt + race + smoke + ptl + ht + ui", "binomial",
               "glm(low ~ age + lwt + race + smoke + ptl + ht + ui, family = binomial, data = d)",
               prior_mean = 0, prior_sd = c(10, rep(2.5, 8))),
  laplace_case("insurance_poisson_normal", "Insurance", "Claims ~ factor(District) + Group + Age + offset(log(Holders))",
               "poisson", "glm(Claims ~ factor(District) + Group + Age + offset(log(Holders)), family = poisson, data = d)",
               prior_mean = c(-2, rep(0, 9)), prior_sd = c(5, rep(1, 9))),
  laplace_case("mtcars_gaussian_normal", "mtcars", "mpg ~ wt + hp", "gaussian",
               "glm(mpg ~ wt + hp, family = gaussian, data = d)",
               prior_mean = c(20, 0, 0), prior_sd = c(20, 2, 2), aux_rate = 0.2)
)

write_reference(list(
  generated_by = "test/reference/intervals.R",
  versions = list(R = R.version.string, MASS = as.character(packageVersion("MASS")),
                  brglm2 = as.character(packageVersion("brglm2")), numDeriv = as.character(packageVersion("numDeriv"))),
  profile = profiles, tests = tests, firth_profile = firth, laplace = laplace
), "test/reference/intervals.json")

# Printout: how far MASS::confint is from the exact roots.
for (pc in profiles) {
  if (is.null(pc$coefficients[[1]]$mass_confint)) next
  err <- max(sapply(pc$coefficients, function(r) {
    e <- r$exact_0.95; m <- r$mass_confint
    ok <- is.finite(e) & is.finite(m)
    if (!any(ok)) 0 else max(abs(e[ok] - m[ok]) / r$se)
  }))
  cat(sprintf("%-30s max |MASS - exact| / SE = %.2e\n", pc$id, err))
}

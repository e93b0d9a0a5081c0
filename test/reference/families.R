# Reference values for test/families/links.test.ts and test/families/families.test.ts.
# Evaluates R 4.2's make.link/power links, the stats families, MASS::negative.binomial
# and statmod::tweedie on grids of eta, mu, y and weights (extreme eta included), and
# fits a few glms to pin logLik. Writes test/reference/families.json with every double
# at 17 significant digits (exact round trip); non-finite numbers are written as the
# strings "Inf", "-Inf", "NaN", "NA".
#
# Run from the repository root:  Rscript test/reference/families.R
suppressPackageStartupMessages({
  library(MASS)
  library(statmod)
})

## ---- a JSON writer with full precision (jsonlite 1.8 caps numbers at 15 digits) ----
num_json <- function(x) {
  vapply(x, function(v) {
    if (is.na(v) && !is.nan(v)) return("\"NA\"")
    if (is.nan(v)) return("\"NaN\"")
    if (is.infinite(v)) return(if (v > 0) "\"Inf\"" else "\"-Inf\"")
    sprintf("%.17g", v)
  }, "")
}
to_json <- function(x) {
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (!is.null(names(x))) {
      items <- vapply(names(x), function(k) paste0(jsonlite::toJSON(k, auto_unbox = TRUE), ":", to_json(x[[k]])), "")
      return(paste0("{", paste(items, collapse = ","), "}"))
    }
    return(paste0("[", paste(vapply(x, to_json, ""), collapse = ","), "]"))
  }
  if (is.logical(x)) return(paste0("[", paste(ifelse(x, "true", "false"), collapse = ","), "]"))
  if (is.character(x)) {
    if (length(x) == 1) return(as.character(jsonlite::toJSON(x, auto_unbox = TRUE)))
    return(as.character(jsonlite::toJSON(x)))
  }
  if (length(x) == 1 && isTRUE(attr(x, "scalar"))) return(num_json(x))
  paste0("[", paste(num_json(as.numeric(x)), collapse = ","), "]")
}
scalar <- function(x) structure(x, scalar = TRUE)

## ---- links ----
eta_real <- c(-700, -100, -40, -30.5, -30, -29.9, -10, -8.2, -8, -5.5, -3, -1, -0.25, -1e-3,
               0, 1e-3, 0.25, 0.5, 1, 2, 3, 5.5, 8, 8.2, 10, 29.9, 30, 30.5, 40, 100, 700)
eta_pos <- c(1e-3, 0.05, 0.3, 0.5, 1, 1.7, 2, 5, 10, 100, 700)
mu_unit <- c(0, 1e-12, 1e-6, 1e-3, 0.01, 0.2, 0.37, 0.5, 0.8, 0.99, 1 - 1e-6, 1)
mu_pos <- c(1e-8, 1e-3, 0.2, 0.5, 1, 1.5, 2, 7.3, 100, 1e5)

link_specs <- list(
  list(spec = "identity", obj = make.link("identity"), eta = eta_real, mu = c(-3, -0.5, mu_pos)),
  list(spec = "log", obj = make.link("log"), eta = eta_real, mu = c(0, mu_pos)),
  list(spec = "logit", obj = make.link("logit"), eta = eta_real, mu = mu_unit),
  list(spec = "probit", obj = make.link("probit"), eta = eta_real, mu = mu_unit),
  list(spec = "cloglog", obj = make.link("cloglog"), eta = eta_real, mu = mu_unit),
  list(spec = "cauchit", obj = make.link("cauchit"), eta = c(eta_real, -1e16, 1e16), mu = mu_unit),
  list(spec = "inverse", obj = make.link("inverse"), eta = c(-5, -0.5, eta_pos), mu = c(-2, mu_pos)),
  list(spec = "1/mu^2", obj = make.link("1/mu^2"), eta = eta_pos, mu = mu_pos),
  list(spec = "sqrt", obj = make.link("sqrt"), eta = eta_pos, mu = c(0, mu_pos)),
  list(spec = "power(0.5)", obj = power(0.5), eta = eta_pos, mu = c(0, mu_pos)),
  list(spec = "power(1/3)", obj = power(1/3), eta = eta_pos[eta_pos <= 100], mu = c(0, mu_pos)),
  list(spec = "power(2)", obj = power(2), eta = eta_pos, mu = c(0, mu_pos)),
  list(spec = "power(0.25)", obj = power(0.25), eta = c(1e-5, 1e-3, 0.5, 1, 2, 10), mu = mu_pos),
  list(spec = "power(1)", obj = power(1), eta = eta_real, mu = mu_pos),
  list(spec = "power(0)", obj = power(0), eta = eta_real, mu = mu_pos),
  list(spec = "power(-1)", obj = power(-1), eta = eta_real, mu = mu_pos)
)
links <- lapply(link_specs, function(s) {
  lk <- s$obj
  list(
    spec = s$spec, name = lk$name,
    eta = s$eta,
    linkinv = lk$linkinv(s$eta),
    mu_eta = lk$mu.eta(s$eta),
    valideta = vapply(s$eta, function(e) isTRUE(lk$valideta(e)), TRUE),
    mu = s$mu,
    linkfun = suppressWarnings(lk$linkfun(s$mu)),
    # R computes the cloglog linkfun as log(-log(1 - mu)), which loses digits for tiny mu;
    # the accurate value log(-log1p(-mu)) is recorded too (we compute that one).
    linkfun_accurate = if (s$spec == "cloglog") log(-log1p(-s$mu)) else suppressWarnings(lk$linkfun(s$mu))
  )
})
consts <- list(
  probit_thresh = scalar(-qnorm(.Machine$double.eps)),
  cauchit_thresh = scalar(-qcauchy(.Machine$double.eps)),
  qnorm_p = c(1e-300, 1e-100, 1e-20, 1e-12, 1e-10, 2.220446049250313e-16, 1e-5, 0.001, 0.02425,
              0.075, 0.0751, 0.1, 0.3, 0.5, 0.7, 0.9, 0.925, 0.999, 1 - 1e-10, 1 - 2.220446049250313e-16),
  power_names = list(lambda = c(0.5, 1/3, 2, 0.25, 1.23456, 3, 1e5, 0.0004), name = vapply(
    c(0.5, 1/3, 2, 0.25, 1.23456, 3, 1e5, 0.0004), function(l) power(l)$name, "")),
  negbin_names = list(theta = c(1.52727, 2, 0.5, 10, 123456.7891, 1e-5, 3.14159265, 1e6, 0.00012345),
    name = vapply(c(1.52727, 2, 0.5, 10, 123456.7891, 1e-5, 3.14159265, 1e6, 0.00012345),
                  function(t) negative.binomial(t)$family, ""))
)
consts$qnorm_q <- qnorm(consts$qnorm_p)
round_x <- c(2.0005, 0.0005, 1.2345, 1.52727, 123456.78915, 0.00012345, -0.0025, 2.5e-5, 0.15, 1/3, 2/3, 1e-20, 12345678901234.5)
round_d <- c(3, 3, 3, 4, 4, 4, 3, 4, 1, 3, 3, 4, 4)
consts$round <- list(x = round_x, digits = round_d, value = mapply(round, round_x, round_d))
format_x <- c(1e6, 123456, 0.0012, -2.5e-10, 1e100, 1.5273, 123456.8, 1e-4, 1e5, 0.1 + 0.2, 100, 1234567, 12345678, 0.000123, -7, 2.5e15)
consts$format <- list(x = format_x,
  format7 = vapply(format_x, format, ""),
  character15 = vapply(format_x, as.character, ""))

## ---- family grids ----
eval_init <- function(fam, y, weights) {
  env <- new.env()
  env$y <- y; env$weights <- weights; env$nobs <- length(y)
  env$etastart <- NULL; env$start <- NULL; env$mustart <- NULL; env$family <- fam
  suppressWarnings(eval(fam$initialize, env))
  env$mustart
}

# ts: how test/families/families.test.ts builds the same family with makeFamily(name, opts).
fam_case <- function(label, fam, y, mu, wt, n = rep(1, length(y)), y_init = y, wt_init = wt, ts) {
  dev_res <- fam$dev.resids(y, mu, wt)
  dev <- sum(dev_res)
  ts$theta <- if (is.null(ts$theta)) NULL else scalar(ts$theta)
  ts$power <- if (is.null(ts$power)) NULL else scalar(ts$power)
  list(
    label = label, family = fam$family, link = fam$link, ts = ts,
    y = y, mu = mu, wt = wt, n = n,
    variance = fam$variance(mu),
    validmu = vapply(mu, function(m) isTRUE(fam$validmu(m)), TRUE),
    dev_resids = dev_res,
    dev = scalar(dev),
    aic = scalar(as.numeric(suppressWarnings(fam$aic(y, n, mu, wt, dev)))),
    y_init = y_init, wt_init = wt_init,
    mustart = eval_init(fam, y_init, wt_init)
  )
}

set.seed(20240611)
nn <- 12
mu_b <- c(1e-10, 0.001, 0.05, 0.2, 0.35, 0.5, 0.5, 0.64, 0.8, 0.95, 0.999, 1 - 1e-10)
y_b <- c(0, 0, 0.1, 0.25, 1, 0.5, 0, 0.6, 1, 0.9, 1, 1)
trials <- c(1, 3, 10, 4, 2, 6, 5, 5, 7, 10, 20, 1)
mu_p <- c(1e-8, 0.1, 0.5, 1, 2.5, 3, 4, 7.7, 10, 30, 100, 1000)
y_p <- c(0, 0, 1, 0, 2, 3, 7, 8, 10, 25, 111, 990)
y_c <- c(0.01, 0.3, 0.5, 1, 1.2, 2, 3.5, 4, 7, 10.5, 50, 400)
mu_c <- c(0.02, 0.25, 0.8, 1.1, 1, 2.5, 3, 5, 6, 11, 45, 380)
wt_1 <- rep(1, nn)
wt_v <- c(1, 2, 0.5, 1, 3, 1, 1.5, 2, 1, 4, 1, 0.25)

families <- list(
  fam_case("binomial logit, wt = trials, n = trials", binomial(), y_b, mu_b, trials, n = trials, ts = list(family="binomial", link="logit")),
  fam_case("binomial logit, Bernoulli", binomial(), c(0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1), mu_b, wt_1, ts = list(family="binomial", link="logit")),
  fam_case("binomial probit, fractional weights, one zero weight", binomial("probit"), y_b, mu_b,
           c(wt_v[1:11], 0), y_init = c(y_b[1:11], 0.7), wt_init = c(wt_v[1:11], 0), ts = list(family="binomial", link="probit")),
  fam_case("binomial cloglog, wt = trials, n = 1", binomial("cloglog"), y_b, mu_b, trials, ts = list(family="binomial", link="cloglog")),
  fam_case("quasibinomial cauchit", quasibinomial("cauchit"), y_b, mu_b, trials, n = trials, ts = list(family="quasibinomial", link="cauchit")),
  fam_case("poisson log", poisson(), y_p, mu_p, wt_1, ts = list(family="poisson", link="log")),
  fam_case("poisson sqrt, weights", poisson("sqrt"), y_p, mu_p, wt_v, ts = list(family="poisson", link="sqrt")),
  fam_case("poisson identity, non-integer y", poisson("identity"), y_p + c(0, 0.5, rep(0, 10)), mu_p, wt_1, ts = list(family="poisson", link="identity")),
  fam_case("quasipoisson log", quasipoisson(), y_p, mu_p, wt_v, ts = list(family="quasipoisson", link="log")),
  fam_case("gaussian identity", gaussian(), y_c - 3, mu_c - 3, wt_1, ts = list(family="gaussian", link="identity")),
  fam_case("gaussian log, weights", gaussian("log"), y_c, mu_c, wt_v, ts = list(family="gaussian", link="log")),
  fam_case("gaussian inverse", gaussian("inverse"), y_c, mu_c, wt_1, ts = list(family="gaussian", link="inverse")),
  fam_case("Gamma inverse", Gamma(), y_c, mu_c, wt_1, ts = list(family="Gamma", link="inverse")),
  fam_case("Gamma log, weights", Gamma("log"), y_c, mu_c, wt_v, ts = list(family="Gamma", link="log")),
  fam_case("Gamma identity", Gamma("identity"), y_c, mu_c, wt_v, ts = list(family="Gamma", link="identity")),
  fam_case("inverse.gaussian 1/mu^2", inverse.gaussian(), y_c, mu_c, wt_1, ts = list(family="inverse.gaussian", link="1/mu^2")),
  fam_case("inverse.gaussian log, weights", inverse.gaussian("log"), y_c, mu_c, wt_v, ts = list(family="inverse.gaussian", link="log")),
  fam_case("negative binomial(1.52727) log", negative.binomial(1.52727), y_p, mu_p, wt_1, ts = list(family="negative_binomial", link="log", theta=1.52727)),
  fam_case("negative binomial(0.5) sqrt, weights", negative.binomial(0.5, link = "sqrt"), y_p, mu_p, wt_v, ts = list(family="negbin", link="sqrt", theta=0.5)),
  fam_case("negative binomial(40) identity, non-integer y", negative.binomial(40, link = "identity"),
           y_p + c(0, 0.5, rep(0, 10)), mu_p, wt_1, ts = list(family="negative_binomial", link="identity", theta=40)),
  fam_case("tweedie p=0", tweedie(var.power = 0, link.power = 0), y_c - 0.5, mu_c, wt_v, ts = list(family="tweedie", link="log", power=0)),
  fam_case("tweedie p=1", tweedie(var.power = 1, link.power = 0), y_p, mu_p, wt_1, ts = list(family="tweedie", link="log", power=1)),
  fam_case("tweedie p=1.5", tweedie(var.power = 1.5, link.power = 0), c(0, y_c[-1]), mu_c, wt_v, ts = list(family="tweedie", link="log", power=1.5)),
  fam_case("tweedie p=2", tweedie(var.power = 2, link.power = 0), y_c, mu_c, wt_1, ts = list(family="tweedie", link="log", power=2)),
  fam_case("tweedie p=3", tweedie(var.power = 3, link.power = 0), y_c, mu_c, wt_v, ts = list(family="tweedie", link="log", power=3)),
  fam_case("tweedie p=2.5", tweedie(var.power = 2.5, link.power = 0), y_c, mu_c, wt_1, ts = list(family="tweedie", link="log", power=2.5))
)
# Family + power(lambda) passed as link objects (the TS side uses "power(λ)" strings).
families[[length(families) + 1]] <- fam_case("poisson power(0.5)", poisson(power(0.5)), y_p, mu_p, wt_1, ts = list(family="poisson", link="power(0.5)"))

## ---- fitted glms: logLik pins the dispersion plug-in of each family ----
fit_case <- function(label, fit, theta = NULL) {
  fam <- family(fit)
  y <- fit$y; mu <- fitted(fit); wt <- fit$prior.weights
  n <- if (fam$family == "binomial") wt else rep(1, length(y))
  dev <- deviance(fit)
  list(
    label = label, family = fam$family, link = fam$link,
    theta = if (is.null(theta)) NULL else scalar(theta),
    y = unname(y), mu = unname(mu), wt = unname(wt), n = unname(n),
    dev = scalar(dev),
    family_aic = scalar(fam$aic(y, n, mu, wt, dev)),
    glm_aic = scalar(AIC(fit)),
    loglik = scalar(as.numeric(logLik(fit))),
    rank = scalar(fit$rank)
  )
}
x <- seq(0.1, 3, length.out = 25)
wts <- rep(c(1, 2, 0.5, 3, 1), 5)
ygau <- 1 + 0.7 * x + rnorm(25, sd = 0.4)
ygam <- rgamma(25, shape = 3, rate = 3 / exp(0.3 + 0.4 * x))
yig <- statmod::rinvgauss(25, mean = exp(0.2 + 0.3 * x), dispersion = 0.2)
ypois <- rpois(25, exp(0.5 + 0.6 * x))
ntr <- rep(c(5, 8, 12, 3, 20), 5)
ysucc <- rbinom(25, ntr, plogis(-1 + 0.9 * x))
ynb <- rnegbin(25, exp(1 + 0.5 * x), theta = 2.3)
fits <- list(
  fit_case("gaussian identity, weights", glm(ygau ~ x, family = gaussian(), weights = wts)),
  fit_case("Gamma log, weights", glm(ygam ~ x, family = Gamma("log"), weights = wts)),
  fit_case("Gamma inverse", glm(ygam ~ x, family = Gamma())),
  fit_case("inverse.gaussian log, weights", glm(yig ~ x, family = inverse.gaussian("log"), weights = wts)),
  fit_case("poisson log, weights", glm(ypois ~ x, family = poisson(), weights = wts)),
  fit_case("binomial logit, cbind(successes, failures)", glm(cbind(ysucc, ntr - ysucc) ~ x, family = binomial())),
  fit_case("negative binomial(2.3) log", glm(ynb ~ x, family = negative.binomial(2.3)), theta = 2.3)
)

out <- list(
  r_version = R.version.string,
  links = links,
  consts = consts,
  families = families,
  fits = fits
)
writeLines(to_json(out), "test/reference/families.json")
cat("wrote test/reference/families.json\n")

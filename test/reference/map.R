# Reference values for glmkit's GLM log posterior and MAP fit
# (models/log-posterior.ts, src/fit/map.ts).
#
# Run from the repository root:   Rscript test/reference/map.R
#
# Writes test/reference/map.json, an object with four arrays. Every case carries the
# design exactly as R built it (model matrix row-major, y, prior weights, offset,
# binomial trials), so the TypeScript tests do not depend on the formula front end.
#
#   loglik    For several families and links, a few parameter points theta = (beta, log a)
#             and the log-likelihood there as the sum of R's own densities: dbinom, dpois,
#             dnorm, dgamma, statmod::dinvgauss, dnbinom (a = sigma, shape, lambda, theta).
#   map       The exact posterior mode (the maximiser of the penalised log-likelihood
#             l(beta, a) + sum_j log p_j(beta_j) + log p_a(a); no Jacobian) for normal,
#             Student-t and Cauchy priors on logistic, probit, Poisson, Gamma, gaussian
#             and negative binomial models. Found by optim(method = "BFGS") with the
#             analytic gradient and reltol = 1e-15, then polished by Newton steps whose
#             Hessian is numDeriv::jacobian of the analytic gradient (Richardson
#             extrapolation). The analytic gradient written here is checked against
#             numDeriv::grad of the log posterior at the mode (`max_abs_grad_numderiv`),
#             and the mode is proved by the gradient norm (`max_abs_grad`, and
#             `max_grad_times_se` = max |g_j| se_j, the Newton step in standard errors).
#             SEs are sqrt(diag(solve(-H))) on the unconstrained scale (beta, log a); the
#             SE of a is a * se(log a) (delta method).
#   jeffreys  brglm2's MPL_Jeffreys estimates (epsilon = 1e-14): the Jeffreys-prior MAP.
#   bayesglm  arm::bayesglm with its defaults (Cauchy(0, 2.5) slopes and Cauchy(0, 10)
#             intercept, scaled = TRUE) and with a tight tolerance, the prior scales it
#             actually applied, its final prior.sd, and the exact mode of the same log
#             posterior: student_t(prior.df, prior.mean, prior.scale) on each slope and on
#             the intercept at the mean of the predictors, colMeans(X) %*% beta (bayesglm's
#             augmented prior row when scaled = TRUE).
#
# Numbers are written in the shortest of %.15g/%.16g/%.17g that reads back exactly (as glm.R).

if (!file.exists("package.json") || !dir.exists("test/reference")) {
  stop("run this script from the repository root: Rscript test/reference/map.R")
}
if (Sys.setlocale("LC_COLLATE", "en_US.UTF-8") == "") {
  stop("the en_US.UTF-8 locale is not available (factor levels would sort differently from glmkit)")
}
suppressPackageStartupMessages({
  library(MASS)
  library(statmod)   # dinvgauss
  library(numDeriv)
  library(arm)       # bayesglm
  library(brglm2)
  library(jsonlite)
})
source("test/reference/common.R")  # format_double, to_verbatim, write_reference, as_array, read_data

# ---------------------------------------------------------------------------
# Full-precision JSON (as glm.R and firth.R)
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# Designs
# ---------------------------------------------------------------------------
family_object <- function(family, link) {
  switch(family,
    binomial = binomial(link), poisson = poisson(link), gaussian = gaussian(link),
    Gamma = Gamma(link), inverse.gaussian = inverse.gaussian(link),
    negbin = poisson(link))  # negative binomial: only the design and a start are needed here
}

AUX_NAME <- c(gaussian = "sigma", Gamma = "shape", inverse.gaussian = "lambda", negbin = "theta")
has_aux <- function(family) family %in% names(AUX_NAME)

design_of <- function(data, formula, family, link, weights = NULL) {
  d <- read_data(data)
  fam <- family_object(family, link)
  call <- substitute(glm(FORMULA, family = FAM, data = d, weights = W),
                     list(FORMULA = as.formula(formula), FAM = fam,
                          W = if (is.null(weights)) NULL else as.name(weights)))
  fit <- suppressWarnings(eval(call))
  X <- model.matrix(fit)
  n <- nrow(X)
  trials <- NULL
  if (family == "binomial") {
    resp <- model.response(model.frame(fit))
    trials <- if (is.matrix(resp)) rowSums(resp) else if (!is.null(weights)) fit$prior.weights else rep(1, n)
  }
  off <- fit$offset
  list(
    data = paste0("data/", data, ".csv"), formula = formula, family = family, link = link,
    weights_column = weights,
    n = n, p = ncol(X), column_names = I(colnames(X)),
    X = unname(X), y = unname(fit$y), w = unname(fit$prior.weights),
    offset = if (is.null(off) || all(off == 0)) rep(0, n) else unname(off),
    has_offset = !(is.null(off) || all(off == 0)),
    trials = if (is.null(trials)) NULL else unname(trials),
    mlfit = fit, frame = d)
}

design_json <- function(des) {
  list(data = des$data, formula = des$formula, family = des$family, link = des$link,
       weights_column = des$weights_column, n = des$n, p = des$p, column_names = des$column_names,
       X_row_major = as_array(t(des$X)), y = as_array(des$y), prior_weights = as_array(des$w),
       offset = if (des$has_offset) as_array(des$offset) else NULL,
       trials = if (is.null(des$trials)) NULL else as_array(des$trials))
}

# ---------------------------------------------------------------------------
# Likelihood with R's densities; score by hand (checked against numDeriv below)
# ---------------------------------------------------------------------------
log_lik <- function(des, eta, a) {
  lk <- make.link(des$link)
  mu <- lk$linkinv(eta)
  y <- des$y; w <- des$w
  # Outside the family's domain (e.g. mu < 0 under Gamma's inverse link, which optim's
  # line search may try): log-likelihood -Inf, which optim's BFGS rejects as a step.
  if (des$family %in% c("Gamma", "inverse.gaussian", "negbin", "poisson") && any(!(mu > 0))) return(-Inf)
  switch(des$family,
    binomial = {
      m <- if (any(des$trials > 1)) des$trials else w
      sum(ifelse(m > 0, w / m, 0) * dbinom(round(m * y), round(m), mu, log = TRUE))
    },
    poisson = sum(w * dpois(y, mu, log = TRUE)),
    gaussian = sum(dnorm(y, mu, a / sqrt(w), log = TRUE)[w > 0]),
    Gamma = sum(w * dgamma(y, shape = a, scale = mu / a, log = TRUE)),
    inverse.gaussian = sum(w * dinvgauss(y, mean = mu, shape = a, log = TRUE)),
    negbin = sum(w * dnbinom(y, size = a, mu = mu, log = TRUE)))
}

# d l / d eta_i and d l / d u (u = log a).
score_parts <- function(des, eta, a) {
  lk <- make.link(des$link)
  mu <- lk$linkinv(eta)
  me <- lk$mu.eta(eta)
  y <- des$y; w <- des$w
  switch(des$family,
    binomial = list(s = w * (y - mu) * me / (mu * (1 - mu)), u = 0),
    poisson = list(s = w * (y - mu) * me / mu, u = 0),
    gaussian = list(s = w * (y - mu) * me / a^2, u = sum(-(w > 0) + w * (y - mu)^2 / a^2)),
    Gamma = list(s = w * a * (y - mu) * me / mu^2,
                 u = a * sum(w * (log(a) + 1 - digamma(a) - log(mu) + log(y) - y / mu))),
    inverse.gaussian = list(s = w * a * (y - mu) * me / mu^3,
                            u = sum(w * (0.5 - a * (y - mu)^2 / (2 * mu^2 * y)))),
    negbin = list(s = w * (y - mu) * me / (mu + mu^2 / a),
                  u = a * sum(w * (digamma(y + a) - digamma(a) - log1p(mu / a) + (mu - y) / (mu + a)))))
}

# ---------------------------------------------------------------------------
# Priors: rstanarm-style spec strings (read back by glmkit's parsePrior)
# ---------------------------------------------------------------------------
P <- function(kind, ...) {
  args <- c(...)
  list(kind = kind, args = args,
       text = if (length(args)) sprintf("%s(%s)", kind, paste(format_double(args), collapse = ", ")) else kind)
}
log_prior_coef <- function(pr, b) {
  a <- pr$args
  switch(pr$kind,
    flat = 0,
    normal = dnorm(b, a[1], a[2], log = TRUE),
    student_t = dt((b - a[2]) / a[3], a[1], log = TRUE) - log(a[3]),
    cauchy = dcauchy(b, a[1], a[2], log = TRUE))
}
grad_prior_coef <- function(pr, b) {
  a <- pr$args
  switch(pr$kind,
    flat = 0,
    normal = -(b - a[1]) / a[2]^2,
    student_t = -(a[1] + 1) * (b - a[2]) / (a[1] * a[3]^2 + (b - a[2])^2),
    cauchy = -2 * (b - a[1]) / (a[2]^2 + (b - a[1])^2))
}
# Aux priors: log density of a, and a * d/da of it (the derivative in u = log a, no Jacobian).
log_prior_aux <- function(pr, x) {
  a <- pr$args
  switch(pr$kind,
    flat = 0,
    exponential = dexp(x, a[1], log = TRUE),
    half_normal = log(2) + dnorm(x, 0, a[1], log = TRUE),
    half_student_t = log(2) + dt(x / a[2], a[1], log = TRUE) - log(a[2]),
    gamma = dgamma(x, shape = a[1], rate = a[2], log = TRUE))
}
grad_prior_aux_u <- function(pr, x) {
  a <- pr$args
  switch(pr$kind,
    flat = 0,
    exponential = -a[1] * x,
    half_normal = -x^2 / a[1]^2,
    half_student_t = -(a[1] + 1) * x^2 / (a[1] * a[2]^2 + x^2),
    gamma = (a[1] - 1) - a[2] * x)
}

# The penalised log-likelihood of theta = (beta, log a) and its gradient. `rows` holds
# the vector each coefficient prior acts on (default: the identity, i.e. prior j on beta_j;
# bayesglm's intercept prior acts on colMeans(X) %*% beta).
make_objective <- function(des, coef_priors, aux_prior, rows = diag(des$p)) {
  p <- des$p
  aux <- has_aux(des$family)
  split <- function(theta) list(beta = theta[1:p], a = if (aux) exp(theta[p + 1]) else NA_real_)
  f <- function(theta) {
    s <- split(theta)
    eta <- drop(des$X %*% s$beta) + des$offset
    lb <- drop(rows %*% s$beta)
    lp <- sum(vapply(seq_len(p), function(j) log_prior_coef(coef_priors[[j]], lb[j]), 0))
    if (aux) lp <- lp + log_prior_aux(aux_prior, s$a)
    log_lik(des, eta, s$a) + lp
  }
  g <- function(theta) {
    s <- split(theta)
    eta <- drop(des$X %*% s$beta) + des$offset
    sc <- score_parts(des, eta, s$a)
    lb <- drop(rows %*% s$beta)
    gp <- vapply(seq_len(p), function(j) grad_prior_coef(coef_priors[[j]], lb[j]), 0)
    gb <- drop(crossprod(des$X, sc$s)) + drop(crossprod(rows, gp))
    if (aux) c(gb, sc$u + grad_prior_aux_u(aux_prior, s$a)) else gb
  }
  list(f = f, g = g)
}

# Exact mode: BFGS (reltol 1e-15) then Newton with the Richardson Hessian of the analytic gradient.
exact_mode <- function(obj, theta0, id) {
  opt <- optim(theta0, function(t) -obj$f(t), function(t) -obj$g(t), method = "BFGS",
               control = list(reltol = 1e-15, maxit = 100000))
  theta <- opt$par
  steps <- 0
  for (k in 1:30) {
    H <- jacobian(obj$g, theta)
    H <- (H + t(H)) / 2
    step <- -solve(H, obj$g(theta))
    cand <- theta + step
    if (!is.finite(obj$f(cand)) || obj$f(cand) < obj$f(theta) - 1e-9 * abs(obj$f(theta))) break
    theta <- cand
    steps <- steps + 1
    if (max(abs(step)) < 1e-13 * max(1, max(abs(theta)))) break
  }
  g <- obj$g(theta)
  H <- jacobian(obj$g, theta)
  H <- (H + t(H)) / 2
  cov <- solve(-H)
  se <- sqrt(diag(cov))
  gnum <- grad(obj$f, theta)
  if (max(abs(gnum - g)) > 1e-5 * max(1, max(abs(g))) + 1e-6) {
    stop(id, ": the analytic gradient disagrees with numDeriv: ", max(abs(gnum - g)))
  }
  if (any(eigen(-H, only.values = TRUE)$values <= 0)) stop(id, ": -H is not positive definite at the mode")
  if (max(abs(g) * se) > 1e-9) stop(id, ": not at the mode, max |g| se = ", max(abs(g) * se))
  list(theta = theta, g = g, gnum = gnum, H = H, cov = cov, se = se,
       optim_convergence = opt$convergence, optim_counts = opt$counts, newton_steps = steps)
}

start_theta <- function(des) {
  fit <- des$mlfit
  b <- coef(fit)
  separated <- !fit$converged || any(!is.finite(b)) ||
    (des$family == "binomial" && any(fitted(fit) > 1 - 1e-8 | fitted(fit) < 1e-8))
  if (separated) b <- rep(0, des$p)
  if (!has_aux(des$family)) return(unname(b))
  mu <- fitted(fit)
  a <- switch(des$family,
    gaussian = sqrt(mean(residuals(fit, "response")^2)),
    Gamma = 1 / summary(fit)$dispersion,
    inverse.gaussian = 1 / summary(fit)$dispersion,
    negbin = glm.nb(des$formula_obj, data = des$frame)$theta)
  c(unname(b), log(a))
}

# ---------------------------------------------------------------------------
# 1. Log-likelihood at given points
# ---------------------------------------------------------------------------
loglik_cases <- list()
add_loglik <- function(id, data, formula, family, link, weights = NULL, aux_values = NULL) {
  des <- design_of(data, formula, family, link, weights)
  b <- coef(des$mlfit)
  set.seed(20240601 + length(loglik_cases))
  points <- lapply(seq_len(3), function(k) {
    beta <- b * (1 + 0.02 * rnorm(length(b)))
    eta <- drop(des$X %*% beta) + des$offset
    a <- if (has_aux(family)) aux_values[k] else NA_real_
    theta <- if (has_aux(family)) c(beta, log(a)) else beta
    ll <- log_lik(des, eta, a)
    if (!is.finite(ll)) stop(id, ": the log-likelihood is not finite at point ", k)
    list(theta = as_array(theta), log_lik = ll)
  })
  loglik_cases[[length(loglik_cases) + 1]] <<- c(list(id = id), design_json(des), list(points = points))
}
add_loglik("birthwt_logit", "birthwt", "low ~ age + lwt + race + smoke + ptl + ht + ui", "binomial", "logit")
add_loglik("budworm_logit_cbind", "budworm", "cbind(numdead, numalive) ~ sex * ldose", "binomial", "logit")
add_loglik("budworm_probit_weights", "budworm", "prop ~ sex + ldose", "binomial", "probit", weights = "total")
add_loglik("birthwt_cloglog", "birthwt", "low ~ age + lwt + smoke + ht", "binomial", "cloglog")
add_loglik("warpbreaks_poisson_log", "warpbreaks", "breaks ~ wool * tension", "poisson", "log")
add_loglik("warpbreaks_poisson_sqrt", "warpbreaks", "breaks ~ wool + tension", "poisson", "sqrt")
add_loglik("insurance_poisson_offset", "Insurance", "Claims ~ factor(District) + Group + Age + offset(log(Holders))", "poisson", "log")
add_loglik("mtcars_gaussian_identity", "mtcars", "mpg ~ wt + hp", "gaussian", "identity", aux_values = c(2.5, 3, 1.7))
add_loglik("mtcars_gaussian_log_weights", "mtcars", "mpg ~ wt + hp", "gaussian", "log", weights = "cyl", aux_values = c(6, 8.5, 7))
add_loglik("clotting_gamma_inverse", "clotting", "lot1 ~ log(u)", "Gamma", "inverse", aux_values = c(400, 550, 120))
add_loglik("mtcars_gamma_log_weights", "mtcars", "mpg ~ wt + hp", "Gamma", "log", weights = "cyl", aux_values = c(5, 2, 12))
add_loglik("clotting_inverse_gaussian", "clotting", "lot1 ~ log(u)", "inverse.gaussian", "1/mu^2", aux_values = c(8000, 12000, 5000))
add_loglik("trees_inverse_gaussian_log", "trees", "Volume ~ log(Girth) + log(Height)", "inverse.gaussian", "log", aux_values = c(900, 2000, 1500))
add_loglik("quine_negbin_log", "quine", "Days ~ Eth + Sex + Age + Lrn", "negbin", "log", aux_values = c(1.3, 0.7, 4))
add_loglik("quine_negbin_sqrt", "quine", "Days ~ Eth + Lrn", "negbin", "sqrt", aux_values = c(1.1, 2, 0.9))

# ---------------------------------------------------------------------------
# 2. Exact MAP
# ---------------------------------------------------------------------------
map_cases <- list()
add_map <- function(id, data, formula, family, link, intercept, slopes, aux = NULL, weights = NULL, note = NULL) {
  cat("map", id, "\n")
  des <- design_of(data, formula, family, link, weights)
  des$formula_obj <- as.formula(formula)
  p <- des$p
  coef_priors <- lapply(des$column_names, function(nm) if (nm == "(Intercept)") intercept else slopes)
  aux_prior <- if (has_aux(family)) (if (is.null(aux)) P("flat") else aux) else NULL
  obj <- make_objective(des, coef_priors, aux_prior)
  m <- exact_mode(obj, start_theta(des), id)
  theta <- m$theta
  beta <- theta[1:p]
  a <- if (has_aux(family)) exp(theta[p + 1]) else NA_real_
  eta <- drop(des$X %*% beta) + des$offset
  ll <- log_lik(des, eta, a)
  lpost <- obj$f(theta)
  map_cases[[length(map_cases) + 1]] <<- c(
    list(id = id, note = note), design_json(des),
    list(priors = list(coefficients = I(vapply(coef_priors, function(q) q$text, "")),
                       aux = if (has_aux(family)) aux_prior$text else NULL),
         aux_name = if (has_aux(family)) AUX_NAME[[family]] else NULL,
         result = list(
           theta = as_array(theta), se_theta = as_array(m$se),
           estimate = as_array(beta), se = as_array(m$se[1:p]),
           aux = if (has_aux(family)) a else NULL,
           aux_se = if (has_aux(family)) a * m$se[p + 1] else NULL,
           log_lik = ll, log_prior = lpost - ll, log_posterior = lpost,
           hessian = as_array(t(m$H)),
           max_abs_grad = max(abs(m$g)), max_abs_grad_numderiv = max(abs(m$gnum)),
           max_grad_times_se = max(abs(m$g) * m$se),
           optim_convergence = m$optim_convergence, newton_steps = m$newton_steps,
           ml_coefficients = as_array(coef(des$mlfit)))))
}

BW <- "low ~ age + lwt + race + smoke + ptl + ht + ui"
add_map("birthwt_logit_normal", "birthwt", BW, "binomial", "logit", P("normal", 0, 10), P("normal", 0, 2.5))
add_map("birthwt_logit_student_t", "birthwt", BW, "binomial", "logit", P("student_t", 3, 0, 10), P("student_t", 3, 0, 2.5))
add_map("birthwt_logit_cauchy", "birthwt", BW, "binomial", "logit", P("cauchy", 0, 10), P("cauchy", 0, 2.5))
EN <- "HG ~ NV + PI + EH"
add_map("endometrial_logit_normal", "endometrial", EN, "binomial", "logit", P("normal", 0, 10), P("normal", 0, 2.5),
        note = "NV quasi-completely separates HG: the MLE does not exist, the MAP does")
add_map("endometrial_logit_student_t", "endometrial", EN, "binomial", "logit", P("student_t", 3, 0, 10), P("student_t", 3, 0, 2.5))
add_map("endometrial_logit_cauchy", "endometrial", EN, "binomial", "logit", P("cauchy", 0, 10), P("cauchy", 0, 2.5))
add_map("separated_logit_cauchy", "separated", "y ~ x + z", "binomial", "logit", P("cauchy", 0, 10), P("cauchy", 0, 2.5),
        note = "complete separation by x")
add_map("separated_logit_normal", "separated", "y ~ x + z", "binomial", "logit", P("normal", 0, 5), P("normal", 0, 1))
add_map("budworm_probit_normal", "budworm", "cbind(numdead, numalive) ~ sex + ldose", "binomial", "probit",
        P("normal", 0, 5), P("normal", 0, 1), note = "grouped binomial (20 trials per row), non-canonical link")
add_map("quine_poisson_student_t", "quine", "Days ~ Eth + Sex + Age + Lrn", "poisson", "log",
        P("normal", 0, 10), P("student_t", 4, 0, 1))
add_map("insurance_poisson_cauchy", "Insurance", "Claims ~ factor(District) + Group + Age + offset(log(Holders))",
        "poisson", "log", P("normal", -2, 5), P("cauchy", 0, 0.5), note = "offset log(Holders)")
add_map("warpbreaks_poisson_normal", "warpbreaks", "breaks ~ wool * tension", "poisson", "log",
        P("normal", 3, 2), P("normal", 0, 0.5), note = "a prior location other than 0 on the intercept")
add_map("warpbreaks_poisson_sqrt_cauchy", "warpbreaks", "breaks ~ wool + tension", "poisson", "sqrt",
        P("normal", 5, 5), P("cauchy", 0, 1))
add_map("clotting_gamma_log_normal", "clotting", "lot1 ~ log(u)", "Gamma", "log", P("normal", 0, 10), P("normal", 0, 2.5),
        aux = P("gamma", 2, 0.01), note = "prior gamma(2, 0.01) on the shape")
add_map("clotting_gamma_log_student_t", "clotting", "lot2 ~ log(u)", "Gamma", "log", P("student_t", 5, 0, 10),
        P("student_t", 3, 0, 0.5), aux = P("exponential", 0.002))
add_map("clotting_gamma_inverse_cauchy", "clotting", "lot1 ~ log(u)", "Gamma", "inverse", P("cauchy", 0, 1),
        P("cauchy", 0, 0.01), aux = P("half_student_t", 3, 1000))
add_map("mtcars_gaussian_normal", "mtcars", "mpg ~ wt + hp", "gaussian", "identity", P("normal", 20, 20),
        P("normal", 0, 2), aux = P("exponential", 0.2))
add_map("quine_negbin_normal", "quine", "Days ~ Eth + Sex + Age + Lrn", "negbin", "log", P("normal", 0, 10),
        P("normal", 0, 2.5), aux = P("gamma", 2, 1), note = "negative binomial with theta free under a gamma(2, 1) prior")
add_map("trees_inverse_gaussian_cauchy", "trees", "Volume ~ log(Girth) + log(Height)", "inverse.gaussian", "log",
        P("normal", 0, 10), P("cauchy", 0, 2.5), aux = P("flat"))

# ---------------------------------------------------------------------------
# 3. Jeffreys prior: brglm2's MPL_Jeffreys
# ---------------------------------------------------------------------------
jeffreys_cases <- list()
add_jeffreys <- function(id, data, formula, family, link) {
  cat("jeffreys", id, "\n")
  des <- design_of(data, formula, family, link)
  fam <- family_object(family, link)
  d <- des$frame
  fit <- eval(substitute(glm(FORMULA, family = FAM, data = d, method = "brglmFit", type = "MPL_Jeffreys",
                             epsilon = 1e-14, maxit = 10000),
                         list(FORMULA = as.formula(formula), FAM = fam)))
  if (!fit$converged) stop(id, ": brglm2 did not converge")
  phi <- if (family %in% c("binomial", "poisson")) NA_real_ else fit$dispersion
  aux <- switch(family, gaussian = sqrt(phi), Gamma = 1 / phi, inverse.gaussian = 1 / phi, NULL)
  jeffreys_cases[[length(jeffreys_cases) + 1]] <<- c(
    list(id = id), design_json(des),
    list(brglm2 = list(estimate = as_array(coef(fit)), dispersion = if (is.na(phi)) NULL else phi,
                       aux = aux, aux_name = if (has_aux(family)) AUX_NAME[[family]] else NULL,
                       max_abs_grad = max(abs(fit$grad), na.rm = TRUE))))
}
add_jeffreys("endometrial_logit", "endometrial", EN, "binomial", "logit")
add_jeffreys("birthwt_probit", "birthwt", BW, "binomial", "probit")
add_jeffreys("insurance_poisson_offset", "Insurance", "Claims ~ factor(District) + Group + Age + offset(log(Holders))", "poisson", "log")
add_jeffreys("clotting_gamma_log", "clotting", "lot1 ~ log(u)", "Gamma", "log")
add_jeffreys("mtcars_gaussian_identity", "mtcars", "mpg ~ wt + hp", "gaussian", "identity")
add_jeffreys("trees_inverse_gaussian_log", "trees", "Volume ~ log(Girth) + log(Height)", "inverse.gaussian", "log")

# ---------------------------------------------------------------------------
# 4. arm::bayesglm against the exact mode of the same log posterior
# ---------------------------------------------------------------------------
bayesglm_cases <- list()
add_bayesglm <- function(id, data, formula, family, link) {
  cat("bayesglm", id, "\n")
  des <- design_of(data, formula, family, link)
  fam <- family_object(family, link)
  d <- des$frame
  run <- function(...) eval(substitute(bayesglm(FORMULA, family = FAM, data = d, ...),
                                       list(FORMULA = as.formula(formula), FAM = fam)))
  warns <- character(0)
  fit_default <- withCallingHandlers(run(),
    warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  fit_tight <- run(control = list(epsilon = 1e-13), maxit = 100000)
  if (!fit_tight$converged) stop(id, ": bayesglm (tight) did not converge")
  stopifnot(identical(names(coef(fit_tight)), as.character(des$column_names)))
  x_means <- colMeans(des$X)
  rows <- diag(des$p)
  rows[1, ] <- x_means  # bayesglm's augmented prior row for the intercept when scaled = TRUE
  coef_priors <- lapply(seq_len(des$p), function(j) P("student_t", fit_tight$prior.df[j], fit_tight$prior.mean[j],
                                                      fit_tight$prior.scale[j]))
  obj <- make_objective(des, coef_priors, NULL, rows)
  m <- exact_mode(obj, unname(coef(fit_tight)), id)
  beta_b <- unname(coef(fit_tight))
  bayesglm_cases[[length(bayesglm_cases) + 1]] <<- c(
    list(id = id), design_json(des),
    list(
      R_call = sprintf("bayesglm(%s, family = %s(link = \"%s\"), data = d)", formula, family, link),
      x_means = as_array(x_means),
      priors = list(coefficients = I(vapply(coef_priors, function(q) q$text, "")),
                    intercept_acts_on = "x_means"),
      bayesglm_default = list(estimate = as_array(coef(fit_default)), iterations = fit_default$iter,
                              converged = fit_default$converged, prior_sd = as_array(fit_default$prior.sd),
                              r_warnings = I(unique(warns))),
      bayesglm_tight = list(estimate = as_array(beta_b), iterations = fit_tight$iter,
                            prior_scale = as_array(fit_tight$prior.scale), prior_df = as_array(fit_tight$prior.df),
                            prior_mean = as_array(fit_tight$prior.mean), prior_sd = as_array(fit_tight$prior.sd),
                            se = as_array(sqrt(diag(vcov(fit_tight)))),
                            log_posterior = obj$f(beta_b), max_abs_grad = max(abs(obj$g(beta_b)))),
      exact = list(estimate = as_array(m$theta), se = as_array(m$se), log_posterior = obj$f(m$theta),
                   max_abs_grad = max(abs(m$g)), max_grad_times_se = max(abs(m$g) * m$se))))
  cat(sprintf("  max |bayesglm - exact| / se = %.3g; log posterior gap %.3g\n",
              max(abs(beta_b - m$theta) / m$se), obj$f(m$theta) - obj$f(beta_b)))
}
add_bayesglm("birthwt_logit", "birthwt", BW, "binomial", "logit")
add_bayesglm("endometrial_logit", "endometrial", EN, "binomial", "logit")
add_bayesglm("separated_logit", "separated", "y ~ x + z", "binomial", "logit")
add_bayesglm("warpbreaks_poisson", "warpbreaks", "breaks ~ wool * tension", "poisson", "log")

# ---------------------------------------------------------------------------
txt <- toJSON(to_verbatim(list(
  generated_by = "test/reference/map.R",
  versions = list(R = R.version.string, arm = as.character(packageVersion("arm")),
                  brglm2 = as.character(packageVersion("brglm2")), numDeriv = as.character(packageVersion("numDeriv")),
                  statmod = as.character(packageVersion("statmod"))),
  loglik = loglik_cases, map = map_cases, jeffreys = jeffreys_cases, bayesglm = bayesglm_cases)),
  auto_unbox = TRUE, null = "null", na = "null", json_verbatim = TRUE, pretty = TRUE)
writeLines(txt, "test/reference/map.json")
stopifnot(is.list(fromJSON("test/reference/map.json", simplifyVector = FALSE)))
cat(sprintf("wrote %d loglik, %d map, %d jeffreys, %d bayesglm cases to test/reference/map.json\n",
            length(loglik_cases), length(map_cases), length(jeffreys_cases), length(bayesglm_cases)))
for (cs in map_cases) {
  cat(sprintf("%-34s max|g| %.1e  max|g|*se %.1e  newton %d\n", cs$id, cs$result$max_abs_grad,
              cs$result$max_grad_times_se, cs$result$newton_steps))
}

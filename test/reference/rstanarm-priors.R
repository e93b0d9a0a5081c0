# rstanarm references for glmkit's rstanarm prior semantics (issue 11):
# the intercept prior on the intercept of centred predictors (rstanarm's
# `prior_intercept`, "Intercept (after predictors centered)"), rstanarm's
# default priors (autoscaled), the prior summary, long-run posteriors and the
# posterior mode, for logistic, probit, Poisson, negative binomial (θ sampled),
# gaussian and Gamma models with uncentred predictors on the bundled data.
#
#   Rscript test/reference/rstanarm-priors.R   (writes test/reference/rstanarm-priors.json)
#
# Per case: the formula, family, link, the priors as rstanarm applied them
# (prior_summary(): dist, location, given scale and adjusted scale), posterior
# mean, sd, mcse_mean, mcse_sd, ess_bulk, rhat (posterior package) of
# 4 chains × DRAWS draws after WARMUP warmup (R̂ ≤ 1.005 is checked), and the
# posterior mode: the maximiser of rstan::log_prob(fit$stanfit, adjust_transform =
# FALSE) (the density of the constrained parameters, i.e. the penalised
# log-likelihood of (β, aux): what `optimizing` maximises) found by BFGS on the
# exact gradient and polished by Newton steps until max|gradient| < 1e-9, then
# mapped to the user's coefficients by rstan::constrain_pars (α = γ − x̄ᵀβ).
# Runs in about 2–4 minutes on one core.
suppressPackageStartupMessages({
  library(rstanarm)
  library(posterior)
  library(jsonlite)
})
source("test/reference/common.R")  # format_double, to_verbatim, write_reference, as_array, read_data
Sys.setlocale("LC_COLLATE", "en_US.UTF-8")

CHAINS <- 4L
WARMUP <- 1000L
DRAWS <- as.integer(Sys.getenv("RSTANARM_DRAWS", "10000"))
SEED <- 20261203L

# glmkit's name of rstanarm's auxiliary parameter.
AUX_NAMES <- c(sigma = "sigma", shape = "shape", reciprocal_dispersion = "theta", lambda = "lambda")

mode_of <- function(fit) {
  sf <- fit$stanfit
  # rstanarm keeps no draws of its internal parameters (γ = α + x̄ᵀβ, z_β = (β − location)/scale
  # for normal coefficient priors, aux_unscaled = aux · rate for an exponential aux prior):
  # start there from the posterior means
  m <- colMeans(as.matrix(fit))
  ps <- prior_summary(fit)
  X <- model.matrix(fit)
  beta <- m[colnames(X)[-1]]
  cscale <- if (is.null(ps$prior$adjusted_scale)) ps$prior$scale else ps$prior$adjusted_scale
  start <- sf@inits[[1]]
  start$gamma[] <- m[["(Intercept)"]] + sum(colMeans(X[, -1, drop = FALSE]) * beta)
  start$z_beta[] <- (beta - ps$prior$location) / cscale
  if (!is.null(ps$prior_aux)) {
    arate <- if (is.null(ps$prior_aux$adjusted_scale)) ps$prior_aux$rate else 1 / ps$prior_aux$adjusted_scale
    start$aux_unscaled[] <- m[[length(m)]] * arate
  }
  u <- rstan::unconstrain_pars(sf, start)
  f <- function(u) tryCatch(-rstan::log_prob(sf, u, adjust_transform = FALSE), error = function(e) Inf)
  g <- function(u) -rstan::grad_log_prob(sf, u, adjust_transform = FALSE)
  o <- optim(u, f, g, method = "BFGS", control = list(maxit = 100000, reltol = 1e-16))
  u <- o$par
  for (k in 1:50) {
    gr <- g(u)
    if (max(abs(gr)) < 1e-10) break
    h <- 1e-5 * pmax(1, abs(u))
    H <- sapply(seq_along(u), function(j) {
      e <- replace(numeric(length(u)), j, h[j])
      (g(u + e) - g(u - e)) / (2 * h[j])
    })
    H <- (H + t(H)) / 2
    step <- solve(H, gr)
    t <- 1
    while (!is.finite(f(u - t * step)) || f(u - t * step) > f(u) + 1e-10 * (1 + abs(f(u)))) {
      t <- t / 2
      if (t < 1e-10) stop("Newton polish: no descent")
    }
    u <- u - t * step
  }
  gmax <- max(abs(g(u)))
  stopifnot(gmax < 1e-8)
  cp <- rstan::constrain_pars(sf, u)
  coef <- c(if (!is.null(cp$alpha)) cp$alpha, cp$beta)
  has_aux <- !(fit$family$family %in% c("binomial", "poisson"))
  list(coefficients = as_array(coef), aux = if (has_aux) cp$aux else NULL, max_gradient = gmax)
}

prior_block <- function(ps) {
  one <- function(q) if (is.null(q)) NULL else list(
    dist = q$dist,
    location = if (is.null(q$location)) NULL else as_array(q$location),
    scale = if (is.null(q$scale)) NULL else as_array(q$scale),
    adjusted_scale = if (is.null(q$adjusted_scale)) NULL else as_array(q$adjusted_scale),
    df = if (is.null(q$df)) NULL else as_array(q$df),
    rate = if (is.null(q$rate)) NULL else as_array(q$rate)
  )
  list(coefficients = one(ps$prior), intercept = one(ps$prior_intercept), aux = one(ps$prior_aux))
}

case <- function(id, fit, glmkit) {
  arr <- as.array(fit)
  dr <- as_draws_array(arr)
  s <- summarise_draws(dr, mean, sd, mcse_mean, mcse_sd, rhat, ess_bulk)
  if (DRAWS >= 10000L) stopifnot(all(s$rhat <= 1.005))
  X <- model.matrix(fit)
  names_out <- s$variable
  for (a in names(AUX_NAMES)) names_out[names_out == a] <- AUX_NAMES[[a]]
  message(sprintf("%s: max rhat %.4f, min ess_bulk %.0f", id, max(s$rhat), min(s$ess_bulk)))
  list(
    id = id,
    formula = deparse(formula(fit)),
    data = glmkit$data,
    family = glmkit$family,
    link = fit$family$link,
    glmkit_priors = glmkit$priors,
    defaults = isTRUE(glmkit$defaults),
    column_names = colnames(X),
    xbar = as_array(colMeans(X[, -1, drop = FALSE])),
    prior_summary = prior_block(prior_summary(fit)),
    settings = list(chains = CHAINS, warmup = WARMUP, draws = DRAWS, seed = SEED),
    posterior = list(
      names = I(names_out), mean = as_array(s$mean), sd = as_array(s$sd),
      mcse_mean = as_array(s$mcse_mean), mcse_sd = as_array(s$mcse_sd),
      ess_bulk = as_array(s$ess_bulk), rhat = as_array(s$rhat)
    ),
    mode = mode_of(fit)
  )
}

run <- function(...) {
  suppressWarnings(stan_glm(..., chains = CHAINS, iter = WARMUP + DRAWS, warmup = WARMUP, seed = SEED,
                            refresh = 0, cores = 1,
                            # random inits in (−2, 2) on rstanarm's scaled coefficients put Φ(η) at 0 or 1,
                            # or exp(η) at 0 or ∞, for predictors such as lwt ≈ 130 or hp ≈ 150
                            init_r = 0.05))
}

bw <- read_data("birthwt")
quine <- read_data("quine")
mtcars <- read_data("mtcars")
cases <- list()

# 1. Logistic, rstanarm's default priors (autoscaled normal(0, 2.5); intercept normal(0, 2.5) centred).
fit <- run(low ~ age + lwt + race + smoke + ptl + ht + ui, data = bw, family = binomial())
cases[[length(cases) + 1]] <- case("birthwt-logit-default", fit, list(data = "birthwt", family = "binomial", defaults = TRUE, priors = NULL))

# 2. Probit, explicit priors (rstanarm multiplies probit scales by dnorm(0)/dlogis(0): see prior_summary).
#    On mtcars (n = 32): glmkit's probit gradient is the generic μ-space one, ~6× the logit's per row.
fit <- run(vs ~ hp + wt, data = mtcars, family = binomial(link = "probit"),
           prior = normal(0, 1, autoscale = FALSE), prior_intercept = normal(-0.5, 1, autoscale = FALSE))
cases[[length(cases) + 1]] <- case("mtcars-probit", fit, list(data = "mtcars", family = "binomial", priors = list(
  coefficients = sprintf("normal(0, %s)", format_double(1 * dnorm(0) / dlogis(0))),
  intercept = sprintf("normal(-0.5, %s)", format_double(1 * dnorm(0) / dlogis(0))), interceptOn = "centered")))

# 3. Poisson, an informative prior on the centred intercept.
fit <- run(carb ~ hp + wt, data = mtcars, family = poisson(),
           prior = normal(0, 2.5, autoscale = FALSE), prior_intercept = normal(1, 0.5, autoscale = FALSE))
cases[[length(cases) + 1]] <- case("mtcars-poisson", fit, list(data = "mtcars", family = "poisson", priors = list(
  coefficients = "normal(0, 2.5)", intercept = "normal(1, 0.5)", interceptOn = "centered")))

# 4. Negative binomial (θ sampled), rstanarm's default priors (θ ~ exponential(1)).
fit <- run(Days ~ Eth + Sex + Age + Lrn, data = quine, family = neg_binomial_2())
cases[[length(cases) + 1]] <- case("quine-negbin-default", fit, list(data = "quine", family = "negbin", defaults = TRUE, priors = NULL))

# 5. Gaussian, rstanarm's default priors (intercept normal(mean(y), 2.5 sd(y)); σ ~ exponential(1/sd(y))).
fit <- run(mpg ~ wt + hp, data = mtcars, family = gaussian())
cases[[length(cases) + 1]] <- case("mtcars-gaussian-default", fit, list(data = "mtcars", family = "gaussian", defaults = TRUE, priors = NULL))

# 6. Gamma (log link), explicit priors: a Student-t prior on the centred intercept, exponential shape prior.
fit <- run(mpg ~ wt + hp, data = mtcars, family = Gamma(link = "log"),
           prior = normal(0, 1, autoscale = FALSE), prior_intercept = student_t(4, 3, 1, autoscale = FALSE),
           prior_aux = exponential(0.2, autoscale = FALSE))
cases[[length(cases) + 1]] <- case("mtcars-gamma", fit, list(data = "mtcars", family = "Gamma", priors = list(
  coefficients = "normal(0, 1)", intercept = "student_t(4, 3, 1)", aux = "exponential(0.2)", interceptOn = "centered")))

options(reference.allow_infinite = isTRUE(as.logical(Sys.getenv("RSTANARM_DEBUG", "FALSE"))))
write_reference(list(
  generated_by = "test/reference/rstanarm-priors.R",
  r_version = R.version.string,
  rstanarm = as.character(packageVersion("rstanarm")),
  posterior = as.character(packageVersion("posterior")),
  cases = cases
), Sys.getenv("RSTANARM_OUT", "test/reference/rstanarm-priors.json"))

# Reference values for glmkit's PSIS-LOO, WAIC and loo_compare (samplers/diagnostics/loo.ts).
#
# Run from the repository root:   Rscript test/reference/loo.R
#
# Writes test/reference/loo.json. Each case commits its log-likelihood matrix (draws x
# observations, written row-major: draw by draw), so the tests need neither R nor the
# models: the matrices are rounded to 8 significant digits before loo sees them, and loo's
# outputs below are those of the rounded matrix.
#
# The matrices are reproducible (set.seed below): draws from a normal approximation
# N(beta_hat, vcov) of a GLM posterior, made autocorrelated within each chain by an AR(1)
# recursion theta_t = m + rho (theta_{t-1} - m) + sqrt(1 - rho^2) L z_t (L L' = vcov), so that
# relative_eff has something to measure; 4 chains x 250 draws unless stated.
#   logistic      mtcars am ~ mpg (binomial logit), rho = 0.5: every Pareto k below 0.5
#   poisson       ships incidents ~ type + factor(year) + factor(period), offset log(service),
#                 rho = 0.3 (overdispersed data: several Pareto k above 0.5)
#   poisson_small ships incidents ~ type, offset log(service), rho = 0.3 (for loo_compare)
#   outliers      a simulated Poisson regression (n = 20) with two gross outliers, iid draws
#                 (rho = 0): Pareto k above 0.7 and above 1
#   short_chains  3 chains x 77 draws of the logistic model (77 is not a product of 2, 3, 5:
#                 loo's autocovariance pads to fft_next_good_size(77) = 80 and divides by
#                 2 N^2, a factor 80/77 that var(chain_mean) does not share; the tests pin it)
# For each: relative_eff(exp(ll), chain_id) (loo 2.5.1), loo(ll, r_eff = r_eff) (estimates,
# pointwise, pareto_k, n_eff, tail lengths, mcse_loo, pareto_k_table, the normalised smoothed
# log weights of observation 1 and of the one with the largest k), loo(ll) with r_eff = 1,
# waic(ll). loo_compare(poisson, poisson_small) is recorded with its row order.
# gpdfit() is recorded on three samples, with its defaults and with wip = FALSE.
#
# Numbers are written in the shortest of %.15g/%.16g/%.17g that reads back exactly (common.R).

if (!file.exists("package.json") || !dir.exists("test/reference")) {
  stop("run this script from the repository root: Rscript test/reference/loo.R")
}
suppressPackageStartupMessages({
  library(loo)
  library(MASS)
  library(jsonlite)
})
source("test/reference/common.R")
stopifnot(packageVersion("loo") == "2.5.1")
set.seed(20240917)

row_major <- function(m) as_array(t(m))

ar1_draws <- function(m, V, chains, iter, rho) {
  L <- t(chol(V))
  p <- length(m)
  out <- matrix(NA_real_, chains * iter, p)
  for (c in seq_len(chains)) {
    th <- m + L %*% rnorm(p)
    for (t in seq_len(iter)) {
      th <- m + rho * (th - m) + sqrt(1 - rho^2) * (L %*% rnorm(p))
      out[(c - 1) * iter + t, ] <- th
    }
  }
  out
}

glm_loglik <- function(fit, draws) {
  X <- model.matrix(fit)
  off <- if (is.null(fit$offset)) 0 else fit$offset
  y <- fit$y
  eta <- draws %*% t(X)
  eta <- sweep(eta, 2, off, "+")
  fam <- family(fit)$family
  ll <- matrix(NA_real_, nrow(draws), nrow(X))
  for (i in seq_len(ncol(ll))) {
    mu <- family(fit)$linkinv(eta[, i])
    ll[, i] <- if (fam == "binomial") dbinom(y[i], 1, mu, log = TRUE) else dpois(y[i], mu, log = TRUE)
  }
  signif(ll, 8)
}

loo_case <- function(name, fit, chains = 4, iter = 250, rho, note) {
  draws <- ar1_draws(coef(fit), vcov(fit), chains, iter, rho)
  ll <- glm_loglik(fit, draws)
  chain_id <- rep(seq_len(chains), each = iter)
  r_eff <- relative_eff(exp(ll), chain_id = chain_id)
  l <- suppressWarnings(loo(ll, r_eff = r_eff, save_psis = TRUE))
  l1 <- suppressWarnings(loo(ll))
  w <- suppressWarnings(waic(ll))
  k <- pareto_k_values(l)
  show <- unique(c(1L, which.max(k)))
  lw <- weights(l$psis_object, log = TRUE, normalize = TRUE)
  tab <- pareto_k_table(l)
  mc <- mcse_loo(l)
  case <- list(
    name = name, note = note, draws = nrow(ll), n = ncol(ll),
    chain_id = I(chain_id),
    log_lik = row_major(ll),
    r_eff = as_array(r_eff),
    loo = list(
      estimates = list(elpd_loo = as_array(l$estimates["elpd_loo", ]),
                       p_loo = as_array(l$estimates["p_loo", ]),
                       looic = as_array(l$estimates["looic", ])),
      pointwise = lapply(as.data.frame(l$pointwise), as_array),
      pareto_k = as_array(k),
      n_eff = as_array(l$diagnostics$n_eff),
      tail_len = as_array(attr(l$psis_object, "tail_len")),
      mcse_elpd_loo = if (is.na(mc)) NULL else mc,
      pareto_k_table = list(count = as_array(tab[, "Count"]), proportion = as_array(tab[, "Proportion"]),
                            min_n_eff = as_array(tab[, "Min. n_eff"])),
      log_weights_observations = I(show - 1L),
      log_weights = lapply(show, function(i) as_array(lw[, i]))
    ),
    loo_r_eff_1 = list(
      estimates = list(elpd_loo = as_array(l1$estimates["elpd_loo", ]),
                       p_loo = as_array(l1$estimates["p_loo", ]),
                       looic = as_array(l1$estimates["looic", ])),
      pareto_k = as_array(pareto_k_values(l1)),
      n_eff = as_array(l1$diagnostics$n_eff),
      mcse_elpd_loo = as_array(l1$pointwise[, "mcse_elpd_loo"])
    ),
    waic = list(
      estimates = list(elpd_waic = as_array(w$estimates["elpd_waic", ]),
                       p_waic = as_array(w$estimates["p_waic", ]),
                       waic = as_array(w$estimates["waic", ])),
      pointwise = lapply(as.data.frame(w$pointwise), as_array)
    )
  )
  list(case = case, loo = l)
}

mt <- read_data("mtcars")
ships <- read_data("ships")
fit_logit <- glm(am ~ mpg, family = binomial, data = mt)
fit_pois <- glm(incidents ~ type + factor(year) + factor(period), family = poisson, data = ships,
                offset = log(service))
fit_pois_small <- glm(incidents ~ type, family = poisson, data = ships, offset = log(service))
sim <- local({
  x <- round(rnorm(20), 3)
  y <- rpois(20, exp(0.5 + 0.8 * x))
  y[c(4, 13)] <- c(25L, 40L)
  data.frame(x = x, y = y)
})
fit_out <- glm(y ~ x, family = poisson, data = sim)
stopifnot(fit_logit$converged, fit_pois$converged, fit_pois_small$converged, fit_out$converged)

cases <- list(
  loo_case("logistic", fit_logit, rho = 0.5, note = "mtcars am ~ mpg, binomial logit"),
  loo_case("poisson", fit_pois, rho = 0.3, note = "ships incidents ~ type + factor(year) + factor(period), offset log(service)"),
  loo_case("poisson_small", fit_pois_small, rho = 0.3, note = "ships incidents ~ type, offset log(service)"),
  loo_case("outliers", fit_out, rho = 0, note = "simulated Poisson regression with outliers y[4] = 25, y[13] = 40 (1-based)"),
  loo_case("short_chains", fit_logit, chains = 3, iter = 77, rho = 0.6,
           note = "3 chains x 77 draws: loo's autocovariance pads to 80, scaling acov by 80/77")
)
loos <- lapply(cases, `[[`, "loo")
names(loos) <- vapply(cases, function(c) c$case$name, "")
comp <- loo_compare(loos[c("poisson_small", "poisson")])
comparison <- list(
  models = I(c("poisson_small", "poisson")),
  order = I(rownames(comp)),
  elpd_diff = as_array(comp[, "elpd_diff"]),
  se_diff = as_array(comp[, "se_diff"]),
  elpd_loo = as_array(comp[, "elpd_loo"]), se_elpd_loo = as_array(comp[, "se_elpd_loo"]),
  p_loo = as_array(comp[, "p_loo"]), se_p_loo = as_array(comp[, "se_p_loo"]),
  looic = as_array(comp[, "looic"]), se_looic = as_array(comp[, "se_looic"])
)

gpd_samples <- list(exp = sort(rexp(40)), pareto = sort((1 - runif(120))^(-1 / 2) - 1),
                    uniform = sort(runif(9)))
gpdfits <- lapply(names(gpd_samples), function(nm) {
  x <- gpd_samples[[nm]]
  f <- loo:::gpdfit(x)
  f0 <- loo:::gpdfit(x, wip = FALSE)
  f50 <- loo:::gpdfit(x, min_grid_pts = 50)
  list(name = nm, x = as_array(x), k = f$k, sigma = f$sigma, k_no_wip = f0$k, sigma_no_wip = f0$sigma,
       k_grid_50 = f50$k, sigma_grid_50 = f50$sigma)
})

out <- list(
  r_version = R.version.string, loo_version = as.character(packageVersion("loo")),
  cases = lapply(cases, `[[`, "case"),
  loo_compare = comparison,
  gpdfit = gpdfits
)
write_reference(out, "test/reference/loo.json")
for (c in cases) {
  k <- c$case$loo$pareto_k
  cat(sprintf("%-14s S = %4d n = %3d  elpd_loo = %9.3f  max k = %.3f  k>0.5: %d  k>0.7: %d  k>1: %d\n",
              c$case$name, c$case$draws, c$case$n, c$case$loo$estimates$elpd_loo[1], max(k),
              sum(k > 0.5), sum(k > 0.7), sum(k > 1)))
}
print(comp)

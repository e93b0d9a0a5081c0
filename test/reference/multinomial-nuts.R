# Long-run Stan reference for the multinomial NUTS posterior (test/multinomial/nuts-reference.test.ts):
# the softmax model on EXACTLY glmkit's parameterisation (test/reference/stan/multinomial_logit.stan:
# raw design, intercept included, predictors not centred, reference category's predictor 0,
# independent normal(0, 2.5) priors on every coefficient, intercepts included). Not brms:
# brms::categorical puts its Intercept prior on the intercept of the CENTRED design
# (b_<cat>_Intercept = the raw intercept + Σ mean(x_j) b_j), a different prior.
# Run from the repository root:  Rscript test/reference/multinomial-nuts.R
# Writes test/reference/multinomial-nuts.json: per case the formula, priors, categories and
# per coefficient `category:term` the posterior mean, sd, q5, q95, mcse_mean, mcse_sd,
# ess_bulk, rhat of 4 chains x 25,000 draws (2,000 warmup).
if (!nzchar(system.file("include", package = "BH")) && file.exists("/usr/include/boost/version.hpp")) {
  overlay <- file.path(tempdir(), "bh-overlay")
  dir.create(overlay, showWarnings = FALSE)
  file.copy(find.package("BH"), overlay, recursive = TRUE)
  file.symlink("/usr/include", file.path(overlay, "BH", "include"))
  .libPaths(c(overlay, .libPaths()))
}
suppressPackageStartupMessages({ library(rstan); library(posterior); library(jsonlite) })
source("test/reference/common.R")
Sys.setlocale("LC_COLLATE", "C")
rstan_options(auto_write = FALSE)
CHAINS <- 4L; WARMUP <- 2000L; DRAWS <- 25000L; SEED <- 20261206L

model <- stan_model(file = "test/reference/stan/multinomial_logit.stan", model_name = "multinomial_logit")
cases <- list()
run_case <- function(id, file, formula, location = 0, scale = 2.5) {
  data <- read.csv(file.path("data", paste0(file, ".csv")))
  f <- as.formula(formula)
  y <- factor(data[[all.vars(f)[1]]])
  X <- model.matrix(f, data)
  K <- nlevels(y); P <- ncol(X)
  names_ <- as.vector(outer(colnames(X), levels(y)[-1], function(t, c) paste0(c, ":", t)))
  sd <- list(N = nrow(X), K = K, P = P, X = X, y = as.integer(y),
             prior_location = rep(location, (K - 1) * P), prior_scale = rep(scale, (K - 1) * P))
  t0 <- proc.time()[["elapsed"]]
  fit <- sampling(model, data = sd, chains = CHAINS, warmup = WARMUP, iter = WARMUP + DRAWS, seed = SEED,
                  cores = 1, refresh = 0)
  seconds <- proc.time()[["elapsed"]] - t0
  arr <- as.array(fit, pars = "B")
  dimnames(arr)[[3]] <- names_       # B[t, q] in column-major order = category-major
  s <- summarise_draws(as_draws_array(arr), "mean", "sd",
                       q5 = function(x) quantile(x, 0.05, names = FALSE), q95 = function(x) quantile(x, 0.95, names = FALSE),
                       "mcse_mean", "mcse_sd", "ess_bulk", "rhat")
  sp <- get_sampler_params(fit, inc_warmup = FALSE)
  divergences <- sum(vapply(sp, function(m) sum(m[, "divergent__"]), 0))
  stopifnot(all(s$rhat <= 1.005), divergences == 0)
  cat(sprintf("%s: %.1f s, min ess_bulk %.0f, max rhat %.5f\n", id, seconds, min(s$ess_bulk), max(s$rhat)))
  cases[[length(cases) + 1]] <<- list(
    id = id, data = paste0("data/", file, ".csv"), formula = formula,
    prior = sprintf("normal(%g, %g)", location, scale), categories = I(levels(y)),
    chains = CHAINS, warmup = WARMUP, draws = DRAWS, seed = SEED, divergences = divergences,
    params = lapply(seq_len(nrow(s)), function(j) {
      row <- as.list(s[j, ])
      c(list(name = row$variable), lapply(row[setdiff(names(row), "variable")], function(v) unname(as.numeric(v))))
    }))
}
# GLMKIT_NUTS_CASES=mtcars runs the first case only (the separated iris posterior takes much longer)
run_case("mtcars_gear_mpg_wt", "mtcars", "gear ~ mpg + wt")
if (Sys.getenv("GLMKIT_NUTS_CASES") != "mtcars") run_case("iris_sepal_separated", "iris", "Species ~ Sepal.Length + Sepal.Width")
write_reference(list(R = R.version.string, rstan = as.character(packageVersion("rstan")), cases = cases),
                "test/reference/multinomial-nuts.json")

# Long-run Stan references for test/models/posterior-glm.test.ts: GLM posteriors sampled
# by rstan on EXACTLY glmkit's parameterisation (raw Stan programs in
# test/reference/stan/, not rstanarm): the raw coefficients β of the design
# (intercept column included, predictors NOT centred), independent priors per
# coefficient (or the Jeffreys prior), the auxiliary parameter (σ, shape, θ, λ)
# sampled on the log scale with its Jacobian under its prior.
#
# Run from the repository root:  Rscript test/reference/stan-posteriors.R
# (compiling the five programs takes a few minutes the first time; the compiled
# models are cached in $GLMKIT_STAN_CACHE, default ~/.cache/glmkit-stan).
#
# Writes test/reference/stan-posteriors.json: per case the design (X row-major, y,
# offset, column names), the priors as glmkit spec strings, the sampler settings,
# and per parameter posterior's mean, sd, median, q5, q95, mcse_mean, mcse_sd,
# ess_bulk, ess_tail, rhat of 4 chains × 25,000 draws (after 2,000 warmup).
# Every double is written as its shortest round-trip decimal (up to 17 digits).
# Debian's r-cran-bh ships no include/ folder (it depends on the system Boost in
# /usr/include), and rstan refuses to compile without system.file("include", package = "BH").
# Work around it with a private library holding a copy of BH whose include/ links to /usr/include.
if (!nzchar(system.file("include", package = "BH")) && file.exists("/usr/include/boost/version.hpp")) {
  overlay <- file.path(tempdir(), "bh-overlay")
  dir.create(overlay, showWarnings = FALSE)
  file.copy(find.package("BH"), overlay, recursive = TRUE)
  file.symlink("/usr/include", file.path(overlay, "BH", "include"))
  .libPaths(c(overlay, .libPaths()))
}
suppressPackageStartupMessages({
  library(rstan)
  library(posterior)
  library(jsonlite)
})
source("test/reference/common.R")  # format_double, to_verbatim, write_reference, as_array, read_data
Sys.setlocale("LC_COLLATE", "en_US.UTF-8")
rstan_options(auto_write = FALSE)

CHAINS <- 4L
WARMUP <- 2000L
DRAWS <- 25000L
SEED <- 20250611L


cache <- Sys.getenv("GLMKIT_STAN_CACHE", file.path(Sys.getenv("HOME"), ".cache", "glmkit-stan"))
dir.create(cache, recursive = TRUE, showWarnings = FALSE)
models <- new.env()
compiled <- function(name) {
  if (!is.null(models[[name]])) return(models[[name]])
  src <- file.path("test/reference/stan", paste0(name, ".stan"))
  code <- paste(readLines(src), collapse = "\n")
  rds <- file.path(cache, paste0(name, "-", digest_of(code), ".rds"))
  m <- if (file.exists(rds)) readRDS(rds) else {
    m <- stan_model(model_code = code, model_name = name, save_dso = TRUE)
    saveRDS(m, rds)
    m
  }
  models[[name]] <- m
  m
}
digest_of <- function(text) {
  f <- tempfile(); writeLines(text, f); on.exit(unlink(f))
  unname(tools::md5sum(f))
}

# Parse a glmkit prior spec string into the Stan data encoding.
prior_code <- function(spec) {
  m <- regmatches(spec, regexec("^([a-z_]+)\\((.*)\\)$", spec))[[1]]
  args <- if (nchar(trimws(m[3])) == 0) numeric(0) else as.numeric(strsplit(m[3], ",")[[1]])
  switch(m[2],
    flat = list(kind = 0L, df = 0, location = 0, scale = 1),
    normal = list(kind = 1L, df = 0, location = args[1], scale = args[2]),
    student_t = list(kind = 2L, df = args[1], location = args[2], scale = args[3]),
    stop("unsupported coefficient prior ", spec))
}
aux_code <- function(spec) {
  m <- regmatches(spec, regexec("^([a-z_]+)\\((.*)\\)$", spec))[[1]]
  args <- as.numeric(strsplit(m[3], ",")[[1]])
  switch(m[2],
    exponential = list(kind = 1L, a = args[1], b = 1),
    gamma = list(kind = 2L, a = args[1], b = args[2]),
    stop("unsupported aux prior ", spec))
}


cases <- list()
add_case <- function(id, data, formula, family, link, program, intercept_prior, coefficient_prior,
                     aux = NULL, aux_name = NULL, jeffreys = FALSE, adapt_delta = 0.8, note = NULL) {
  d <- read_data(data)
  mf <- model.frame(as.formula(formula), d)
  X <- model.matrix(as.formula(formula), mf)
  off <- model.offset(mf); if (is.null(off)) off <- rep(0, nrow(X))
  y <- model.response(mf)
  K <- ncol(X); N <- nrow(X)
  names_ <- colnames(X)
  priors <- ifelse(names_ == "(Intercept)", intercept_prior, coefficient_prior)
  if (jeffreys) priors[] <- "jeffreys()"
  pc <- lapply(if (jeffreys) rep("flat()", K) else priors, prior_code)
  sd <- list(N = N, K = K, X = X, offset = as.numeric(off), y = if (family %in% c("binomial", "poisson", "negative_binomial")) as.integer(y) else as.numeric(y),
             prior_kind = as.array(vapply(pc, `[[`, 0L, "kind")), prior_df = as.array(vapply(pc, `[[`, 0, "df")),
             prior_location = as.array(vapply(pc, `[[`, 0, "location")), prior_scale = as.array(vapply(pc, `[[`, 0, "scale")))
  if (program == "glm_bernoulli_logit") sd$jeffreys <- as.integer(jeffreys)
  if (!is.null(aux)) { ac <- aux_code(aux); sd$aux_kind <- ac$kind; sd$aux_a <- ac$a; sd$aux_b <- ac$b }
  model <- compiled(program)
  t0 <- proc.time()[["elapsed"]]
  fit <- sampling(model, data = sd, chains = CHAINS, warmup = WARMUP, iter = WARMUP + DRAWS, seed = SEED,
                  cores = min(CHAINS, parallel::detectCores()), refresh = 0,
                  control = list(adapt_delta = adapt_delta))
  seconds <- proc.time()[["elapsed"]] - t0
  pars <- c("beta", aux_name)
  arr <- as.array(fit, pars = pars)
  dimnames(arr)[[3]] <- c(names_, aux_name)
  s <- summarise_draws(as_draws_array(arr), "mean", "sd", "median",
                       q5 = function(x) quantile(x, 0.05, names = FALSE), q95 = function(x) quantile(x, 0.95, names = FALSE),
                       "mcse_mean", "mcse_sd", "ess_bulk", "ess_tail", "rhat")
  sp <- get_sampler_params(fit, inc_warmup = FALSE)
  divergences <- sum(vapply(sp, function(m) sum(m[, "divergent__"]), 0))
  stopifnot(all(s$rhat < 1.01), all(s$ess_bulk > 10000), all(s$ess_tail > 10000))
  cat(sprintf("%-36s %6.1f s, divergences %d, min ess_bulk %.0f, step sizes %s\n", id, seconds, divergences,
              min(s$ess_bulk), paste(sprintf("%.3f", vapply(sp, function(m) m[1, "stepsize__"], 0)), collapse = " ")))
  params <- lapply(seq_len(nrow(s)), function(j) {
    row <- as.list(s[j, ])
    c(list(name = row$variable), lapply(row[setdiff(names(row), "variable")], function(v) unname(as.numeric(v))))
  })
  cases[[length(cases) + 1]] <<- list(
    id = id, data = paste0("data/", data, ".csv"), formula = formula, family = family, link = link,
    stan_program = paste0("test/reference/stan/", program, ".stan"),
    column_names = I(names_), n = N, p = K,
    X = as_array(t(X)), y = as_array(y), offset = as_array(off),
    priors = list(coefficients = I(unname(priors)), aux = aux), aux_name = aux_name,
    stan = list(chains = CHAINS, warmup = WARMUP, draws = DRAWS, seed = SEED, adapt_delta = adapt_delta,
                divergences = divergences, seconds = seconds),
    note = note,
    parameters = params)
}

add_case("birthwt_logit_normal", "birthwt", "low ~ age + lwt + race + smoke + ptl + ht + ui", "binomial", "logit",
         "glm_bernoulli_logit", "normal(0, 10)", "normal(0, 2.5)")
add_case("endometrial_logit_student_t", "endometrial", "HG ~ NV + PI + EH", "binomial", "logit",
         "glm_bernoulli_logit", "student_t(7, 0, 10)", "student_t(7, 0, 2.5)",
         note = paste("NV separates HG (quasi-complete separation): the likelihood is flat as beta_NV -> Inf, so the",
                      "right tail of beta_NV is the prior's. df = 7 keeps the fourth moment finite, which the MCSE of the sd needs."))
add_case("endometrial_logit_jeffreys", "endometrial", "HG ~ NV + PI + EH", "binomial", "logit",
         "glm_bernoulli_logit", "jeffreys()", "jeffreys()", jeffreys = TRUE,
         note = "Jeffreys prior 0.5 log|X'WX| (Firth): a proper posterior despite the separation.")
add_case("ships_negbin_offset", "ships", "incidents ~ type + factor(year) + factor(period) + offset(log(service))",
         "negative_binomial", "log", "glm_neg_binomial_2_log", "normal(0, 10)", "normal(0, 2.5)",
         aux = "exponential(0.1)", aux_name = "theta")
add_case("mtcars_gaussian_sigma", "mtcars", "mpg ~ wt + hp", "gaussian", "identity",
         "glm_gaussian_identity", "normal(0, 50)", "normal(0, 5)", aux = "exponential(0.5)", aux_name = "sigma")
add_case("clotting_gamma_log_shape", "clotting", "lot1 ~ log(u)", "Gamma", "log",
         "glm_gamma_log", "normal(0, 10)", "normal(0, 2.5)", aux = "gamma(2, 0.05)", aux_name = "shape")
add_case("clotting_inverse_gaussian_log_lambda", "clotting", "lot2 ~ log(u)", "inverse.gaussian", "log",
         "glm_inverse_gaussian_log", "normal(0, 10)", "normal(0, 2.5)", aux = "exponential(0.001)", aux_name = "lambda",
         adapt_delta = 0.95, note = "n = 9: adapt_delta = 0.95 (at 0.8 Stan reported 3 divergent transitions in 100,000).")

out <- list(r_version = R.version.string, rstan_version = as.character(packageVersion("rstan")),
            stan_version = stan_version(), posterior_version = as.character(packageVersion("posterior")),
            cases = cases)
write_reference(out, "test/reference/stan-posteriors.json")
cat(sprintf("wrote %d cases to test/reference/stan-posteriors.json\n", length(cases)))

# Reference values of posterior 1.4 diagnostics for test/samplers/diagnostics.test.ts.
# Run from the repository root:  Rscript test/reference/posterior.R
# Writes test/reference/posterior.json: for each dataset, the draws of every variable
# (one array per chain) and posterior's summaries of them. NA is written as null.
suppressPackageStartupMessages(library(posterior))
set.seed(20240611)

ar1 <- function(n, phi, sd = 1) {
  x <- numeric(n)
  x[1] <- rnorm(1, 0, sd / sqrt(1 - phi^2))
  for (i in 2:n) x[i] <- phi * x[i - 1] + rnorm(1, 0, sd)
  x
}

make_dataset <- function(name, niter, nchains, gens) {
  vars <- lapply(names(gens), function(v) sapply(seq_len(nchains), function(k) gens[[v]](niter, k)))
  names(vars) <- names(gens)
  arr <- array(NA_real_, dim = c(niter, nchains, length(gens)),
               dimnames = list(NULL, NULL, names(gens)))
  for (j in seq_along(gens)) arr[, , j] <- vars[[j]]
  d <- as_draws_array(arr)
  s <- summarise_draws(d, default_summary_measures(), default_convergence_measures(),
                       "mcse_mean", mcse_q5 = function(x) mcse_quantile(x, 0.05),
                       mcse_q95 = function(x) mcse_quantile(x, 0.95), "ess_mean", "ess_sd",
                       ess_q5 = function(x) ess_quantile(x, 0.05), ess_q100 = function(x) ess_quantile(x, 1),
                       "rhat_basic", "ess_basic", "mcse_sd")
  variables <- lapply(seq_along(gens), function(j) {
    row <- as.list(s[j, ])
    list(name = names(gens)[j],
         chains = lapply(seq_len(nchains), function(k) unname(arr[, k, j])),
         expected = row[setdiff(names(row), "variable")])
  })
  list(name = name, niter = niter, nchains = nchains, variables = variables)
}

datasets <- list(
  make_dataset("four chains", 400, 4, list(
    iid = function(n, k) rnorm(n),
    ar1 = function(n, k) ar1(n, 0.95),
    shifted = function(n, k) rnorm(n, mean = 0.4 * (k - 1)),
    heavy = function(n, k) rt(n, df = 1.5),
    nearconst = function(n, k) 1 + 1e-9 * rnorm(n),
    const = function(n, k) rep(2.5, n),
    ties = function(n, k) rpois(n, 3),
    antithetic = function(n, k) { z <- rnorm(n); z * rep(c(1, -1), length.out = n) + 0.1 * (-1)^(seq_len(n)) }
  )),
  make_dataset("odd length", 101, 3, list(
    iid = function(n, k) rnorm(n),
    ar1 = function(n, k) ar1(n, 0.7),
    skewed = function(n, k) rexp(n)
  )),
  make_dataset("one chain", 250, 1, list(
    iid = function(n, k) rnorm(n),
    ar1 = function(n, k) ar1(n, 0.9)
  ))
)

out <- list(posterior_version = as.character(packageVersion("posterior")),
            r_version = R.version.string, datasets = datasets)
# jsonlite prints at most 15 significant digits; write every double with 17 (exact
# round trip) by turning numeric vectors into verbatim JSON first.
num17 <- function(x) {
  if (is.list(x)) return(lapply(x, num17))
  if (is.numeric(x) && !is.null(x)) {
    s <- ifelse(is.na(x), "null", sprintf("%.17g", x))
    txt <- if (length(x) == 1) s else paste0("[", paste(s, collapse = ","), "]")
    return(structure(txt, class = "json"))
  }
  x
}
writeLines(jsonlite::toJSON(num17(out), auto_unbox = TRUE, json_verbatim = TRUE, na = "null"),
           "test/reference/posterior.json")
cat("wrote test/reference/posterior.json\n")

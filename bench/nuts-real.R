# R side of bench/nuts-real.ts: rstanarm::stan_glm on one data set of the benchmark.
# Arguments: csv formula family chains warmup draws seed. Prints one JSON line.
#
# Priors, the same posterior glmkit samples: normal(0, 2.5) on every slope (autoscale =
# FALSE), a flat intercept (prior_intercept = NULL: flat on the centred intercept is flat
# on the raw one, the Jacobian of centring being 1), exponential(1) on sigma or on the
# negative binomial's reciprocal_dispersion θ (autoscale = FALSE). Chains run in
# sequence (cores = 1); the time is system.time around stan_glm (rstanarm's models are
# precompiled, so there is no compilation in it).
suppressPackageStartupMessages({
  library(rstanarm)
  library(posterior)
})
args <- commandArgs(trailingOnly = TRUE)
csv <- args[1]; formula <- as.formula(args[2]); fam <- args[3]
chains <- as.integer(args[4]); warmup <- as.integer(args[5]); draws <- as.integer(args[6]); seed <- as.integer(args[7])
d <- read.csv(csv, stringsAsFactors = TRUE)
family <- switch(fam,
  binomial = binomial(link = "logit"),
  gaussian = gaussian(),
  negative_binomial = neg_binomial_2(link = "log"),
  stop("unknown family ", fam))
aux <- if (fam == "binomial") NULL else exponential(1, autoscale = FALSE)
timing <- system.time(
  fit <- stan_glm(formula, data = d, family = family,
                  prior = normal(0, 2.5, autoscale = FALSE), prior_intercept = NULL, prior_aux = aux,
                  chains = chains, cores = 1, iter = warmup + draws, warmup = warmup,
                  seed = seed, refresh = 0)
)
elapsed <- timing[["elapsed"]]
# CPU time of this process (user + system): on a shared machine, less disturbed by the load than the wall time.
cpu <- timing[["user.self"]] + timing[["sys.self"]]
arr <- as.array(fit)
ess <- apply(arr, 3, function(x) ess_bulk(x))
# rstanarm keeps no warmup draws, so the gradients counted are the sampling phase's.
sp <- rstan::get_sampler_params(fit$stanfit, inc_warmup = FALSE)
leapfrog <- mean(unlist(lapply(sp, function(m) m[, "n_leapfrog__"])))
gradients <- sum(unlist(lapply(sp, function(m) m[, "n_leapfrog__"])))
means <- apply(arr, 3, mean)
sds <- apply(arr, 3, sd)
mcse <- apply(arr, 3, function(x) mcse_mean(x))
num <- function(x) paste0("[", paste(sprintf("%.10g", x), collapse = ", "), "]")
cat(sprintf('{"seconds": %.6f, "cpu_seconds": %.6f, "min_ess_bulk": %.6f, "mean_leapfrog": %.6f, "gradients": %d, "names": [%s], "means": %s, "sds": %s, "mcse": %s, "rstanarm": "%s"}\n',
            elapsed, cpu, min(ess), leapfrog, as.integer(gradients), paste0('"', dimnames(arr)[[3]], '"', collapse = ", "),
            num(means), num(sds), num(mcse), as.character(packageVersion("rstanarm"))))

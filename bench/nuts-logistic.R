# R side of bench/nuts-logistic.ts: rstanarm::stan_glm on the benchmark's data.
# Arguments: dir n p chains warmup draws seed. Reads dir/X.bin (n × p, row-major,
# little-endian doubles, first column all ones) and dir/y.bin; prints one JSON line.
#
# Priors matched exactly to glmkit's: the design's column of ones is passed as an
# ordinary predictor (formula y ~ 0 + X), so rstanarm has no intercept, does not
# centre the predictors, and puts prior = normal(0, 2.5, autoscale = FALSE) on all p
# coefficients, the raw intercept included: the same posterior glmkit samples.
# Chains run sequentially (cores = 1); the time is system.time around stan_glm.
suppressPackageStartupMessages({
  library(rstanarm)
  library(posterior)
})
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
n <- as.integer(args[2]); p <- as.integer(args[3])
chains <- as.integer(args[4]); warmup <- as.integer(args[5]); draws <- as.integer(args[6]); seed <- as.integer(args[7])
X <- matrix(readBin(file.path(dir, "X.bin"), "double", n * p, endian = "little"), nrow = n, byrow = TRUE)
colnames(X) <- c("one", paste0("x", seq_len(p - 1)))
y <- readBin(file.path(dir, "y.bin"), "double", n, endian = "little")
d <- data.frame(y = y)
d$X <- X
elapsed <- system.time(
  fit <- stan_glm(y ~ 0 + X, data = d, family = binomial(link = "logit"),
                  prior = normal(0, 2.5, autoscale = FALSE),
                  chains = chains, cores = 1, iter = warmup + draws, warmup = warmup,
                  seed = seed, refresh = 0)
)[["elapsed"]]
arr <- as.array(fit)
ess <- apply(arr, 3, function(x) ess_bulk(x))
sp <- rstan::get_sampler_params(fit$stanfit, inc_warmup = FALSE)
leapfrog <- mean(unlist(lapply(sp, function(m) m[, "n_leapfrog__"])))
means <- apply(arr, 3, mean)
cat(sprintf('{"seconds": %.6f, "min_ess_bulk": %.6f, "mean_leapfrog": %.6f, "mean_x1": %.10f, "rstanarm": "%s"}\n',
            elapsed, min(ess), leapfrog, means[2], as.character(packageVersion("rstanarm"))))

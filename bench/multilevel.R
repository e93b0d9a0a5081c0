# R side of bench/multilevel.ts: rstanarm::stan_glmer with its default priors (the priors glmkit's
# sampleMultilevel uses by default) on one data set of test/data/multilevel. Arguments: name chains
# warmup draws seed. Chains in sequence (cores = 1), adapt_delta 0.95. Prints one JSON line: seconds
# (system.time around stan_glmer, warmup included; rstanarm's models are precompiled) and the min
# bulk ESS over b_*, sd_*, cor_*, sigma and every r_* (brms names, as glmkit reports them).
suppressPackageStartupMessages({ library(rstanarm); library(posterior) })
args <- commandArgs(trailingOnly = TRUE)
name <- args[1]; chains <- as.integer(args[2]); warmup <- as.integer(args[3]); draws <- as.integer(args[4]); seed <- as.integer(args[5])
d <- read.csv(if (name == "radon") "data/radon.csv" else file.path("test/data/multilevel", paste0(name, ".csv")), stringsAsFactors = TRUE)
spec <- switch(name,
  sleepstudy = list(f = Reaction ~ Days + (Days | Subject), family = gaussian(), prep = function(d) { d$Subject <- factor(d$Subject); d }),
  cbpp = list(f = cbind(incidence, failures) ~ period + (1 | herd), family = binomial(), prep = function(d) { d$herd <- factor(d$herd); d$period <- factor(d$period); d }),
  epilepsy = list(f = y ~ post * trt + offset(log(weeks)) + (1 | subject), family = poisson(), prep = function(d) { d$subject <- factor(d$subject); d }),
  penicillin = list(f = diameter ~ 1 + (1 | plate) + (1 | sample), family = gaussian(), prep = function(d) d),
  radon = list(f = log_radon ~ floor + (1 + floor | county), family = gaussian(), prep = function(d) d),
  stop("unknown data set ", name))
d <- spec$prep(d)
elapsed <- system.time(
  fit <- stan_glmer(spec$f, data = d, family = spec$family, chains = chains, cores = 1,
                    iter = warmup + draws, warmup = warmup, seed = seed, adapt_delta = 0.95, refresh = 0)
)[["elapsed"]]
a <- as.array(fit)
nm <- dimnames(a)[[3]]
keep <- setdiff(nm[!startsWith(nm, "Sigma[")], c("mean_PPD", "log-posterior"))
ess <- sapply(keep, function(v) ess_bulk(a[, , v]))
for (g in names(fit$glmod$reTrms$cnms)) {
  cols <- fit$glmod$reTrms$cnms[[g]]
  S <- function(i, j) { n1 <- sprintf("Sigma[%s:%s,%s]", g, cols[i], cols[j]); if (n1 %in% nm) a[, , n1] else a[, , sprintf("Sigma[%s:%s,%s]", g, cols[j], cols[i])] }
  for (i in seq_along(cols)) ess <- c(ess, ess_bulk(sqrt(S(i, i))))
  if (length(cols) > 1) for (j in 2:length(cols)) for (i in 1:(j - 1)) ess <- c(ess, ess_bulk(S(i, j) / sqrt(S(i, i) * S(j, j))))
}
sp <- rstan::get_sampler_params(fit$stanfit, inc_warmup = TRUE)
gradients <- sum(unlist(lapply(sp, function(m) m[, "n_leapfrog__"])))
divergences <- sum(unlist(lapply(rstan::get_sampler_params(fit$stanfit, inc_warmup = FALSE), function(m) m[, "divergent__"])))
cat(sprintf('{"seconds": %.6f, "min_ess_bulk": %.6f, "gradients": %d, "divergences": %d, "rstanarm": "%s"}\n',
            elapsed, min(ess), as.integer(gradients), as.integer(divergences), as.character(packageVersion("rstanarm"))))

# Long rstanarm::stan_glmer runs (4 chains x 5000 draws after 5000 warmup, adapt_delta 0.95,
# default priors: decov(1, 1, 1, 1), normal(0, 2.5) autoscaled, exponential(1) on sigma autoscaled)
# for test/multilevel/posterior-mcse.test.ts. Output names as brms: b_Intercept, sd_g__Intercept,
# cor_g__Intercept__Days, r_g[level,Intercept], sigma. Each row: mean, sd, mcse_mean, mcse_sd, rhat, ess_bulk.
# Run from the repository root: Rscript test/reference/stan-glmer.R
suppressPackageStartupMessages({ library(jsonlite); library(rstanarm); library(lme4); library(posterior) })
source("test/reference/common.R")
ITER <- as.integer(Sys.getenv("STAN_GLMER_ITER", "10000"))

data(sleepstudy, package = "lme4"); data(cbpp, package = "lme4"); data(Penicillin, package = "lme4")
epil <- MASS::epil
# Diggle et al. (2002) epilepsy model: the 8-week baseline count and the four 2-week counts, offset log(weeks)
ep_base <- epil[epil$period == 1, ]
epilepsy <- rbind(
  data.frame(subject = ep_base$subject, y = ep_base$base, weeks = 8, post = 0, trt = as.integer(ep_base$trt == "progabide")),
  data.frame(subject = epil$subject, y = epil$y, weeks = 2, post = 1, trt = as.integer(epil$trt == "progabide")))
epilepsy <- epilepsy[order(epilepsy$subject, -epilepsy$weeks), ]
epilepsy$subject <- factor(epilepsy$subject)
cbpp2 <- transform(cbpp, failures = size - incidence)
# Gelman & Hill (2007), ch. 12: the radon data of rstanarm, read back from data/radon.csv (written by glmer.R)
radon <- read.csv("data/radon.csv", stringsAsFactors = TRUE)

dir.create("test/data/multilevel", showWarnings = FALSE, recursive = TRUE)
write.csv(sleepstudy, "test/data/multilevel/sleepstudy.csv", row.names = FALSE)
write.csv(cbpp2, "test/data/multilevel/cbpp.csv", row.names = FALSE)
write.csv(Penicillin, "test/data/multilevel/penicillin.csv", row.names = FALSE)
write.csv(epilepsy, "test/data/multilevel/epilepsy.csv", row.names = FALSE)

brms_col <- function(x) ifelse(x == "(Intercept)", "Intercept", x)

# rstanarm draws (iterations x chains x parameters) -> brms-named draws_array.
to_brms <- function(fit) {
  a <- as.array(fit)
  nm <- dimnames(a)[[3]]
  out <- list()
  for (v in nm) {
    if (v %in% c("mean_PPD", "log-posterior")) next
    if (v == "sigma") { out[["sigma"]] <- a[, , v]; next }
    m <- regmatches(v, regexec("^b\\[(.+) (.+):(.+)\\]$", v))[[1]]
    if (length(m) == 4) { out[[sprintf("r_%s[%s,%s]", m[3], m[4], brms_col(m[2]))]] <- a[, , v]; next }
    if (startsWith(v, "Sigma[")) next
    out[[paste0("b_", brms_col(v))]] <- a[, , v]
  }
  # Sigma[g:(a),(b)] -> sd and cor
  cnms <- fit$glmod$reTrms$cnms
  for (g in names(cnms)) {
    cols <- cnms[[g]]
    S <- function(i, j) {
      nm1 <- sprintf("Sigma[%s:%s,%s]", g, cols[i], cols[j]); nm2 <- sprintf("Sigma[%s:%s,%s]", g, cols[j], cols[i])
      if (nm1 %in% nm) a[, , nm1] else a[, , nm2]
    }
    for (i in seq_along(cols)) out[[sprintf("sd_%s__%s", g, brms_col(cols[i]))]] <- sqrt(S(i, i))
    if (length(cols) > 1) for (j in 2:length(cols)) for (i in 1:(j - 1))
      out[[sprintf("cor_%s__%s__%s", g, brms_col(cols[i]), brms_col(cols[j]))]] <- S(i, j) / sqrt(S(i, i) * S(j, j))
  }
  arr <- array(unlist(out), dim = c(dim(a)[1], dim(a)[2], length(out)), dimnames = list(NULL, NULL, names(out)))
  as_draws_array(arr)
}

run <- function(name, formula, data, family, seed, ITER) {
  t0 <- proc.time()[["elapsed"]]
  fit <- stan_glmer(formula, data = data, family = family, chains = 4, iter = ITER, seed = seed,
                    adapt_delta = 0.95, cores = 2, refresh = 0)
  secs <- proc.time()[["elapsed"]] - t0
  d <- to_brms(fit)
  s <- summarise_draws(d, mean, sd, mcse_mean, mcse_sd, rhat, ess_bulk)
  sp <- rstan::get_sampler_params(fit$stanfit, inc_warmup = FALSE)
  ps <- prior_summary(fit)
  cat(name, ": max rhat", max(s$rhat), " min ess_bulk", min(s$ess_bulk), " seconds", secs, "\n")
  list(
    formula = deparse(formula), family = family$family, seconds = secs, iter = ITER, chains = 4L,
    divergences = as.integer(sum(sapply(sp, function(x) sum(x[, "divergent__"])))),
    prior = list(
      coefficients_adjusted_scale = as_array(if (is.null(ps$prior)) numeric(0) else if (is.null(ps$prior$adjusted_scale)) ps$prior$scale else ps$prior$adjusted_scale),
      intercept_location = ps$prior_intercept$location,
      intercept_adjusted_scale = if (is.null(ps$prior_intercept$adjusted_scale)) ps$prior_intercept$scale else ps$prior_intercept$adjusted_scale,
      aux_adjusted_rate = if (is.null(ps$prior_aux)) NULL else if (is.null(ps$prior_aux$adjusted_scale)) ps$prior_aux$rate else 1 / ps$prior_aux$adjusted_scale),
    summary = lapply(seq_len(nrow(s)), function(i) list(
      name = s$variable[i], mean = s$mean[i], sd = s$sd[i], mcse_mean = s$mcse_mean[i],
      mcse_sd = s$mcse_sd[i], rhat = s$rhat[i], ess_bulk = s$ess_bulk[i]))
  )
}

# STAN_GLMER_ONLY=epilepsy reruns one model and replaces its entry of the existing JSON;
# STAN_GLMER_ITER_<name> overrides ITER for one model (epilepsy needs 2 x 8000 for R-hat <= 1.005).
models <- list(
  sleepstudy = function(it) run("sleepstudy", Reaction ~ Days + (Days | Subject), sleepstudy, gaussian(), 101, it),
  cbpp = function(it) run("cbpp", cbind(incidence, failures) ~ period + (1 | herd), cbpp2, binomial(), 102, it),
  epilepsy = function(it) run("epilepsy", y ~ post * trt + offset(log(weeks)) + (1 | subject), epilepsy, poisson(), 103, it),
  penicillin = function(it) run("penicillin", diameter ~ 1 + (1 | plate) + (1 | sample), Penicillin, gaussian(), 104, it),
  radon = function(it) run("radon", log_radon ~ floor + (1 + floor | county), radon, gaussian(), 105, it)
)
only <- Sys.getenv("STAN_GLMER_ONLY", "")
path <- "test/reference/stan-glmer.json"
out <- if (nzchar(only)) fromJSON(path, simplifyVector = FALSE) else list()
out$versions <- list(R = R.version.string, rstanarm = as.character(packageVersion("rstanarm")),
                     rstan = as.character(packageVersion("rstan")), lme4 = as.character(packageVersion("lme4")))
for (m in names(models)) {
  if (nzchar(only) && m != only) next
  out[[m]] <- models[[m]](as.integer(Sys.getenv(paste0("STAN_GLMER_ITER_", m), ITER)))
}
write_reference(out, path)

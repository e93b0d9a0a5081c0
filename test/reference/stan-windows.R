# Measures Stan's metric-adaptation windows from a real Stan run (rstan + the
# precompiled rstanarm "continuous" model, so nothing needs compiling), for
# test/samplers/adaptation.test.ts.  Run from the repository root:
#   Rscript test/reference/stan-windows.R
# Detection: after a window ending at warmup iteration w (0-based), Stan re-initialises
# the step size, sets mu = log(10 eps) and restarts dual averaging, so the step size of
# iteration w + 2 is exactly eps_{w+1} * 10 * exp(-(0.8 - a_{w+1}) / (0.05 * 11)),
# a_{w+1} being accept_stat__ of iteration w + 1. The identity holds to rounding only
# there (and never by accident), so it reveals every metric update.
suppressPackageStartupMessages(library(rstanarm))
set.seed(1)
d <- data.frame(y = rnorm(50), x = rnorm(50))
suppressMessages(trace("sampling", signature = "stanmodel", where = asNamespace("rstan"), print = FALSE,
  tracer = quote(assign("captured", list(object = object, data = data), envir = globalenv()))))
invisible(suppressWarnings(stan_glm(y ~ x, data = d, chains = 1, iter = 20, warmup = 10, seed = 1, refresh = 0)))
untrace("sampling", signature = "stanmodel", where = asNamespace("rstan"))

warmups <- c(1000, 500, 300, 200, 150, 149, 100, 50, 20, 19, 10)
ends <- lapply(warmups, function(w) {
  f <- suppressWarnings(rstan::sampling(captured$object, data = captured$data, chains = 1, iter = w + 10,
                                        warmup = w, seed = 1, refresh = 0, save_warmup = TRUE))
  sp <- rstan::get_sampler_params(f, inc_warmup = TRUE)[[1]]
  ss <- sp[1:(w + 1), "stepsize__"]
  a <- sp[1:(w + 1), "accept_stat__"]
  pred <- log(10) - (0.8 - a[1:w]) / (0.05 * 11)
  obs <- log(ss[2:(w + 1)] / ss[1:w])
  j <- which(abs(pred - obs) < 1e-8) - 1 # 0-based iteration w + 1
  I(as.integer(j - 1))
})
out <- list(stan_headers = as.character(packageVersion("StanHeaders")),
            cases = lapply(seq_along(warmups), function(i) list(warmup = warmups[i], windowEnds = ends[[i]])))
jsonlite::write_json(out, "test/reference/stan-windows.json", auto_unbox = TRUE, pretty = TRUE)
cat("wrote test/reference/stan-windows.json\n")

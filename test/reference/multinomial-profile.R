# Penalised-profile intervals of the multinomial bias-reduced (brglm2::brmultinom AS_mean =
# Jeffreys MAP) and MAP fits, for test/multinomial/penalized-profile.test.ts.
# For coefficient c the penalised profile is f_c(b) = max over the other coefficients of
#   f(β) = ℓ(β) + ½ log|I(β)|              (Jeffreys / Firth; Heinze & Schemper 2002's
#                                          penalised likelihood ratio, as logistf's intervals), or
#   f(β) = ℓ(β) + Σ log N(β_j; 0, s_j)     (MAP: normal priors, sd 10 on intercepts, 2.5 others),
# and the bounds solve sign(b − β̂_c) √(2 (f(β̂) − f_c(b))) = ±z_{0.975}. Each constrained fit is
# an independent R computation: f written directly (softmax probabilities, the block
# information Σ_i m_i S_i ⊗ x_i x_iᵀ), maximised by optim(BFGS) from the previous solution and
# polished by a second optim run, and again from β̂ (the better of the two kept: BFGS
# can stall on the flat ridges of separated data); roots by uniroot (tol 1e-12). β̂ is brmultinom's (Jeffreys)
# or the same optim maximisation (MAP), and checked to be the unconstrained maximum.
# Run from the repository root: Rscript test/reference/multinomial-profile.R
suppressMessages({ library(jsonlite); library(brglm2) })
source("test/reference/common.R")
Sys.setlocale("LC_COLLATE", "C")

design <- function(f, data) {
  mf <- model.frame(f, data); X <- model.matrix(f, data)
  y <- factor(model.response(mf)); Y <- sapply(levels(y), function(l) as.numeric(y == l))
  list(X = X, Y = Y, levels = levels(y))
}
objective <- function(X, Y, penalty, sds) {
  n <- nrow(X); p <- ncol(X); K <- ncol(Y); K1 <- K - 1; m <- rowSums(Y)
  function(beta) {
    E <- cbind(0, X %*% matrix(beta, p, K1)); E <- E - apply(E, 1, max)
    P <- exp(E); P <- P / rowSums(P)
    ll <- sum(Y * log(P))
    if (penalty == "jeffreys") {
      I <- matrix(0, K1 * p, K1 * p)            # block (q, s): Σ_i m_i π_iq (δ_qs − π_is) x_i x_iᵀ
      for (q in seq_len(K1)) for (s in seq_len(K1))
        I[(q - 1) * p + seq_len(p), (s - 1) * p + seq_len(p)] <- crossprod(X, X * (m * P[, q + 1] * ((q == s) - P[, s + 1])))
      ll + 0.5 * as.numeric(determinant(I, logarithm = TRUE)$modulus)
    } else ll + sum(dnorm(beta, 0, sds, log = TRUE))
  }
}
maximise <- function(fn, start) {
  ctl <- list(fnscale = -1, reltol = 1e-15, maxit = 5000, ndeps = rep(1e-5, length(start)))
  o <- optim(start, fn, method = "BFGS", control = ctl)
  o <- optim(o$par, fn, method = "BFGS", control = ctl)
  list(par = o$par, value = o$value)
}
profile_case <- function(name, f, data, penalty) {
  d <- design(f, data); p <- ncol(d$X); K <- ncol(d$Y)
  sds <- rep(ifelse(colnames(d$X) == "(Intercept)", 10, 2.5), K - 1)
  fn <- objective(d$X, d$Y, penalty, sds)
  names_ <- as.vector(outer(colnames(d$X), d$levels[-1], function(t, c) paste0(c, ":", t)))
  if (penalty == "jeffreys") {
    b <- brmultinom(f, data, type = "AS_mean", control = list(epsilon = 1e-12, maxit = 500))
    bhat <- as.vector(t(coef(b))); se <- sqrt(diag(vcov(b)))
  } else {
    bhat <- maximise(fn, rep(0, length(sds)))$par
    se <- rep(1, length(bhat))
  }
  polished <- maximise(fn, bhat)
  stopifnot(polished$value - fn(bhat) < 1e-9)   # β̂ is the unconstrained maximum
  f0 <- fn(bhat)
  z <- qnorm(0.975)
  lower <- upper <- numeric(length(bhat))
  for (c in seq_along(bhat)) {
    warm <- bhat[-c]
    r <- function(b) {
      g <- function(free) { beta <- numeric(length(bhat)); beta[c] <- b; beta[-c] <- free; fn(beta) }
      o <- maximise(g, warm)                  # warm start from the previous point, and from β̂:
      o2 <- tryCatch(maximise(g, bhat[-c]), error = function(e) NULL)   # BFGS can stall on the flat ridges of separated data
      if (!is.null(o2) && o2$value > o$value) o <- o2
      warm <<- o$par
      sign(b - bhat[c]) * sqrt(max(0, 2 * (f0 - o$value)))
    }
    for (dir in c(-1, 1)) {
      warm <- bhat[-c]; step <- z * se[c]
      repeat { hi <- bhat[c] + dir * step; if (dir * (r(hi) - dir * z) >= 0) break; step <- 2 * step; if (step > 1e3 * se[c]) stop("unbounded") }
      root <- uniroot(function(b) r(b) - dir * z, sort(c(bhat[c], hi)), tol = 1e-12)$root
      if (dir < 0) lower[c] <- root else upper[c] <- root
    }
  }
  cat(name, penalty, "done\n")
  list(name = name, formula = deparse(f), penalty = penalty,
       prior = if (penalty == "map") "normal(0, 2.5), intercept normal(0, 10)" else "jeffreys",
       names = I(names_), estimate = as_array(bhat), lower = as_array(lower), upper = as_array(upper), level = 0.95)
}
iris <- read_data("iris"); mtcars <- read_data("mtcars")
mtcars$gear <- factor(mtcars$gear)
cases <- list(
  profile_case("iris_sepal_separated", Species ~ Sepal.Length + Sepal.Width, iris, "jeffreys"),
  profile_case("mtcars_gear", gear ~ mpg + wt, mtcars, "jeffreys"),
  profile_case("iris_sepal_separated", Species ~ Sepal.Length + Sepal.Width, iris, "map"),
  profile_case("mtcars_gear", gear ~ mpg + wt, mtcars, "map")
)
write_reference(list(R = R.version.string, brglm2 = as.character(packageVersion("brglm2")), cases = cases),
                "test/reference/multinomial-profile.json")

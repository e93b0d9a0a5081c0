# Reference fits for glmkit's multinomial logit (src/multinomial/):
# VGAM::vglm(multinomial(refLevel)) (Fisher scoring, tightened) and nnet::multinom
# (BFGS, maxit = 1000, reltol = 1e-16, abstol = 1e-20, Hess = TRUE) on the same fits;
# profile-likelihood bounds by an exact R loop: each constrained fit is the Poisson
# log-linear model with a factor per row (the "Poisson trick", Baker 1994), fitted by
# glm.fit to epsilon 1e-13, with the profiled coefficient moved into the offset, and the
# bound solved by uniroot (tol 1e-12); likelihood-ratio tests as anova(multinom, multinom).
# Coefficients are written category-major with nnet's names "category:term".
# Run from the repository root: Rscript test/reference/multinomial.R
suppressMessages({ library(jsonlite); library(nnet); library(VGAM); library(MASS) })
source("test/reference/common.R")
Sys.setlocale("LC_COLLATE", "C")

nnet_fit <- function(f, data, weights = NULL) {
  env <- environment(); data$.w <- if (is.null(weights)) rep(1, nrow(data)) else weights
  multinom(f, data, weights = .w, trace = FALSE, maxit = 1000, reltol = 1e-16, abstol = 1e-20, Hess = TRUE)
}

# The design and the n×K count matrix of a fit (weights folded into the counts).
design_counts <- function(f, data, weights, counts) {
  mf <- model.frame(f, data)
  X <- model.matrix(f, data)
  if (counts) Y <- as.matrix(model.response(mf)) else {
    y <- factor(model.response(mf)); Y <- sapply(levels(y), function(l) as.numeric(y == l))
    if (!is.null(weights)) Y <- Y * weights
  }
  list(X = X, Y = Y)
}

# Deviance of the multinomial fit with coefficient `c` (category-major index over the
# non-reference categories) held at b: the Poisson trick, exact by IRLS.
poisson_trick <- function(X, Y, ref) {
  n <- nrow(X); K <- ncol(Y); p <- ncol(X)
  nonref <- setdiff(seq_len(K), ref)
  y <- as.vector(t(Y))                                     # row i, category k at (i-1)K + k
  R <- kronecker(diag(n), matrix(1, K, 1))                 # a factor per row
  Z <- matrix(0, n * K, length(nonref) * p)
  for (q in seq_along(nonref)) Z[seq(nonref[q], n * K, by = K), (q - 1) * p + seq_len(p)] <- X
  list(y = y, R = R, Z = Z)
}
trick_deviance <- function(pt, c = NULL, b = 0) {
  if (is.null(c)) { M <- cbind(pt$R, pt$Z); off <- rep(0, length(pt$y)) }
  else { M <- cbind(pt$R, pt$Z[, -c, drop = FALSE]); off <- b * pt$Z[, c] }
  fit <- glm.fit(M, pt$y, family = poisson(), offset = off, control = glm.control(epsilon = 1e-13, maxit = 200))
  fit$deviance
}
profile_bounds <- function(pt, beta, se, level = 0.95) {
  z <- qnorm((1 + level) / 2)
  dev0 <- trick_deviance(pt)
  lower <- upper <- numeric(length(beta))
  for (c in seq_along(beta)) {
    r <- function(b) { d <- tryCatch(trick_deviance(pt, c, b), error = function(e) stop("profile refit failed at coefficient ", c, ", b = ", b, ": ", conditionMessage(e))); sign(b - beta[c]) * sqrt(max(0, d - dev0)) }
    for (dir in c(-1, 1)) {
      step <- z * se[c]
      repeat { hi <- beta[c] + dir * step; if (dir * (r(hi) - dir * z) >= 0) break; step <- 2 * step }
      root <- uniroot(function(b) r(b) - dir * z, sort(c(beta[c], hi)), tol = 1e-12)$root
      if (dir < 0) lower[c] <- root else upper[c] <- root
    }
  }
  list(lower = as_array(lower), upper = as_array(upper), deviance = dev0)
}

one_case <- function(name, f, data, weights = NULL, counts = FALSE, ref = 1, profile = TRUE, predict_rows = NULL) {
  message("case ", name)
  dc <- design_counts(f, data, weights, counts)
  levs <- colnames(dc$Y); K <- length(levs); nonref <- levs[-ref]
  wvec <- weights
  v <- if (is.null(wvec)) vglm(f, multinomial(refLevel = ref), data = data, control = vglm.control(epsilon = 1e-13, maxit = 200))
       else { data$.w <- wvec; vglm(f, multinomial(refLevel = ref), data = data, weights = .w, control = vglm.control(epsilon = 1e-13, maxit = 200)) }
  terms <- colnames(dc$X)
  # VGAM names "term:j" for the j-th non-reference category; reorder category-major
  idx <- unlist(lapply(seq_along(nonref), function(q) paste0(terms, ":", q)))
  if (K == 2) idx <- terms   # VGAM names a single linear predictor without ":1"
  cv <- coef(v)[idx]; sv <- sqrt(diag(vcov(v)))[idx]
  names_out <- unlist(lapply(nonref, function(l) paste0(l, ":", terms)))
  out <- list(name = name, formula = deparse(f), ref = levs[ref], categories = levs, names = names_out,
              vgam = list(coefficients = as_array(cv), se = as_array(sv), deviance = deviance(v), loglik = logLik(v),
                          df_residual = df.residual(v)))
  if (!counts) {
    # nnet's reference is always its first level: relevel for another reference
    d2 <- data; resp <- all.vars(f)[1]; d2[[resp]] <- relevel(factor(d2[[resp]]), ref = levs[ref])
    m <- nnet_fit(f, d2, weights)
    cn <- as.vector(t(coef(m))); if (K == 2) cn <- coef(m)
    out$nnet <- list(coefficients = as_array(cn), se = as_array(sqrt(diag(vcov(m)))), deviance = deviance(m), aic = AIC(m),
                     converged = m$convergence == 0)
  }
  if (profile) {
    pt <- poisson_trick(dc$X, dc$Y, ref)
    out$profile <- profile_bounds(pt, unname(cv), unname(sv))
  }
  if (!is.null(predict_rows)) {
    nd <- data[predict_rows, , drop = FALSE]
    pr <- predict(v, newdata = nd, type = "response")
    pl <- predict(v, newdata = nd, se.fit = TRUE)
    out$predict <- list(rows = as_array(predict_rows), probabilities = as_array(t(pr)),
                        link = as_array(t(pl$fitted.values)), se_link = as_array(t(pl$se.fit)))
  }
  out
}

# The data files this script reads (written here, as glm.R writes the others): R's iris,
# MASS::housing (factors as text; Sat's order Low < Medium < High is declared by the tests)
# and VGAM's pneumo (counts per category).
data(pneumo, package = "VGAM", envir = environment())
write.csv(datasets::iris, "data/iris.csv", row.names = FALSE)
write.csv(MASS::housing, "data/housing.csv", row.names = FALSE)
write.csv(pneumo, "data/pneumo.csv", row.names = FALSE)
housing2 <- MASS::housing; housing2$Sat <- factor(housing2$Sat, ordered = FALSE)
iris <- read_data("iris"); birthwt <- read_data("birthwt"); mtcars <- read_data("mtcars"); pneumo <- read_data("pneumo")
stopifnot(all.equal(iris, datasets::iris), all.equal(pneumo$severe, VGAM::pneumo$severe))
mtcars$gear <- factor(mtcars$gear)
birthwt$low <- factor(birthwt$low)

cases <- list(
  one_case("iris", Species ~ Sepal.Length, iris, predict_rows = c(1, 51, 101, 150)),
  one_case("iris_ref3", Species ~ Sepal.Length, iris, ref = 3),
  one_case("housing", Sat ~ Infl + Type + Cont, housing2, weights = housing2$Freq),
  one_case("pneumo", cbind(normal, mild, severe) ~ log(exposure.time), pneumo, counts = TRUE, predict_rows = c(1, 8)),
  one_case("mtcars_gear", gear ~ mpg + wt, mtcars),
  one_case("birthwt_k2", low ~ age + lwt + smoke + ht, birthwt)
)
g <- glm(low ~ age + lwt + smoke + ht, binomial, birthwt, control = glm.control(epsilon = 1e-14, maxit = 100))
binomial_ref <- list(coefficients = as_array(coef(g)), se = as_array(sqrt(diag(vcov(g)))), deviance = deviance(g), aic = AIC(g))

# likelihood-ratio test: anova of nested nnet fits (housing, frequency weights)
h0 <- nnet_fit(Sat ~ Infl + Type, housing2, housing2$Freq); h1 <- nnet_fit(Sat ~ Infl + Type + Cont, housing2, housing2$Freq)
a <- anova(h0, h1)
lr <- list(resid_df = as_array(a[["Resid. df"]]), resid_dev = as_array(a[["Resid. Dev"]]), df = a[["   Df"]][2],
           lr_stat = a[["LR stat."]][2], p_value = a[["Pr(Chi)"]][2])

# separated fits: nnet's optimum drifts off (recorded only to show the deviance tends to its infimum)
sep1 <- nnet_fit(Species ~ Sepal.Length + Sepal.Width, iris)
sep2 <- nnet_fit(gear ~ mpg + am, mtcars)
separated <- list(iris_sepal = list(formula = "Species ~ Sepal.Length + Sepal.Width", nnet_deviance = deviance(sep1)),
                  mtcars_am = list(formula = "gear ~ mpg + am", nnet_deviance = deviance(sep2)))

# mean bias reduction: brglm2::brmultinom(type = "AS_mean"), finite under separation
suppressMessages(library(brglm2))
br_case <- function(name, f, data, weights = NULL) {
  data$.w <- if (is.null(weights)) rep(1, nrow(data)) else weights
  b <- brmultinom(f, data, weights = .w, type = "AS_mean", control = list(epsilon = 1e-12, maxit = 500))
  list(name = name, formula = deparse(f), names = rownames(vcov(b)), coefficients = as_array(as.vector(t(coef(b)))),
       se = as_array(sqrt(diag(vcov(b)))), converged = b$converged)
}
brcases <- list(
  br_case("iris", Species ~ Sepal.Length, iris),
  br_case("iris_sepal_separated", Species ~ Sepal.Length + Sepal.Width, iris),
  br_case("housing", Sat ~ Infl + Type + Cont, housing2, housing2$Freq),
  br_case("mtcars_am_separated", gear ~ mpg + am, mtcars)
)
gb <- glm(low ~ age + lwt + smoke + ht, binomial, birthwt, method = "brglmFit", type = "AS_mean", epsilon = 1e-12)
br_binomial <- list(coefficients = as_array(coef(gb)), se = as_array(sqrt(diag(vcov(gb)))))

# MAP under normal priors (mean 0; sd 10 on intercepts, 2.5 on the others): Newton in R
# on the penalised log-likelihood with the analytic block information, to max|step| < 1e-13.
map_newton <- function(X, Y, ref, sds) {
  n <- nrow(X); p <- ncol(X); K <- ncol(Y); nonref <- setdiff(seq_len(K), ref); D <- (K - 1) * p
  m <- rowSums(Y); beta <- rep(0, D)
  probs <- function(beta) { E <- matrix(0, n, K); E[, nonref] <- X %*% matrix(beta, p, K - 1); E <- E - apply(E, 1, max); P <- exp(E); P / rowSums(P) }
  for (it in 1:200) {
    P <- probs(beta); g <- numeric(D); H <- matrix(0, D, D)
    for (q in seq_len(K - 1)) {
      iq <- (q - 1) * p + seq_len(p); kq <- nonref[q]
      g[iq] <- crossprod(X, Y[, kq] - m * P[, kq]) - beta[iq] / sds[iq]^2
      for (s in seq_len(K - 1)) { is <- (s - 1) * p + seq_len(p); ks <- nonref[s]
        H[iq, is] <- crossprod(X, X * (m * P[, kq] * ((q == s) - P[, ks]))) }
    }
    H <- H + diag(1 / sds^2)
    step <- solve(H, g); beta <- beta + step
    if (max(abs(step)) < 1e-13) break
  }
  P <- probs(beta)
  list(coefficients = as_array(beta), se = as_array(sqrt(diag(solve(H)))), iterations = it,
       loglik = sum(Y * log(P)))
}
map_case <- function(name, f, data, ref = 1) {
  dc <- design_counts(f, data, NULL, FALSE); p <- ncol(dc$X); K <- ncol(dc$Y)
  sds <- rep(ifelse(colnames(dc$X) == "(Intercept)", 10, 2.5), K - 1)
  c(list(name = name, formula = deparse(f), prior = "normal(0, 2.5), intercept normal(0, 10)"), map_newton(dc$X, dc$Y, ref, sds))
}
mapcases <- list(
  map_case("iris_sepal_separated", Species ~ Sepal.Length + Sepal.Width, iris),
  map_case("mtcars_gear", gear ~ mpg + wt, mtcars)
)

write_reference(list(
  map = mapcases,
  brglm2_version = as.character(packageVersion("brglm2")), brmultinom = brcases, brglm_binomial_k2 = br_binomial,
  r_version = R.version.string, nnet_version = as.character(packageVersion("nnet")),
  vgam_version = as.character(packageVersion("VGAM")),
  cases = cases, binomial_k2 = binomial_ref, lrtest_housing = lr, separated = separated
), "test/reference/multinomial.json")

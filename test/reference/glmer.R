# Reference fits for glmkit's multilevel maximum likelihood (lme4::lmer, lme4::glmer nAGQ = 1).
#
# Run from the repository root:   Rscript test/reference/glmer.R
#
# Writes
#   data/{sleepstudy,cbpp,epil,Penicillin,Pastes,radon}.csv   the data (see data/README.md)
#   test/reference/glmer.json                           one object per fit
#   test/reference/lme4-design.json                     X and Z (as triplets) of lme4's getME()
#
# Every fit reads its data back from the CSV just written, so R and glmkit see the same
# bytes. The optimiser runs with tight control (bobyqa rhoend = 1e-11, PIRLS tolPwrss =
# 1e-11) so that the committed optimum is the optimum, not where a default tolerance stopped.

if (!file.exists("package.json") || !dir.exists("test/reference")) stop("run from the repository root")
invisible(Sys.setlocale("LC_COLLATE", "en_US.UTF-8"))
suppressPackageStartupMessages({ library(lme4); library(MASS); library(jsonlite) })
source("test/reference/common.R")

write_data <- function(df, name) {
  for (nm in names(df)) if (is.factor(df[[nm]])) df[[nm]] <- as.character(df[[nm]])
  path <- file.path("data", paste0(name, ".csv"))
  num <- vapply(df, is.numeric, logical(1))
  out <- df
  out[num] <- lapply(df[num], function(v) if (is.integer(v)) v else format_double(v))
  write.csv(out, path, row.names = FALSE, quote = which(!num))
  back <- read.csv(path, stringsAsFactors = TRUE)
  for (nm in names(df)[num]) stopifnot(identical(as.numeric(back[[nm]]), as.numeric(df[[nm]])))
  back
}

sleep <- write_data(lme4::sleepstudy, "sleepstudy")
cbpp <- write_data(lme4::cbpp, "cbpp")
epil <- write_data(MASS::epil, "epil")
pen <- write_data(lme4::Penicillin, "Penicillin")
pastes <- write_data(lme4::Pastes, "Pastes")
utils::data("radon", package = "rstanarm", envir = environment())   # rstanarm (GPL >= 3); Gelman & Hill (2007), ch. 12
radon <- write_data(radon, "radon")

lctrl <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-11, maxfun = 1e5))
gctrl <- glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-11, maxfun = 1e5), tolPwrss = 1e-11)

mat_rows <- function(m) lapply(seq_len(nrow(m)), function(i) as_array(m[i, ]))

group_effects <- function(fit) {
  vc <- VarCorr(fit)
  terms <- lapply(names(vc), function(g) {
    v <- vc[[g]]
    list(group = g, columns = colnames(v), sd = as_array(attr(v, "stddev")),
         cor = if (ncol(v) > 1) mat_rows(attr(v, "correlation")) else list())
  })
  re <- ranef(fit)
  cf <- coef(fit)
  list(
    terms = terms,
    ranef = lapply(names(re), function(g) list(group = g, levels = rownames(re[[g]]), columns = colnames(re[[g]]), values = mat_rows(as.matrix(re[[g]])))),
    coef = lapply(names(cf), function(g) list(group = g, levels = rownames(cf[[g]]), columns = colnames(cf[[g]]), values = mat_rows(as.matrix(cf[[g]]))))
  )
}

record <- function(name, data, formula, fit, extra = list()) {
  ll <- logLik(fit)
  glmm <- isGLMM(fit)
  out <- list(
    name = name, data = data, formula = formula,
    family = family(fit)$family, link = family(fit)$link,
    REML = isREML(fit), n = nobs(fit),
    fixef_names = names(fixef(fit)), fixef = as_array(fixef(fit)),
    se = as_array(sqrt(diag(as.matrix(vcov(fit))))),
    theta = as_array(getME(fit, "theta")), theta_names = names(getME(fit, "theta")),
    sigma = sigma(fit),
    logLik = as.numeric(ll), df = attr(ll, "df"), AIC = AIC(fit), BIC = BIC(fit),
    deviance = if (isREML(fit)) deviance(fit, REML = FALSE) else deviance(fit),
    REMLcrit = if (isREML(fit)) REMLcrit(fit) else NA_real_,
    singular = isSingular(fit),
    fitted = as_array(fitted(fit)),
    lme4_version = as.character(packageVersion("lme4")), R_version = R.version.string
  )
  if (glmm) out$se_conditional <- as_array(sqrt(diag(as.matrix(vcov(fit, use.hessian = FALSE)))))
  c(out, group_effects(fit), extra)
}

fits <- list()
f <- "Reaction ~ Days + (Days | Subject)"
m <- lmer(as.formula(f), sleep, REML = TRUE, control = lctrl);  fits[[length(fits) + 1]] <- record("sleepstudy_reml", "sleepstudy", f, m)
m <- lmer(as.formula(f), sleep, REML = FALSE, control = lctrl); fits[[length(fits) + 1]] <- record("sleepstudy_ml", "sleepstudy", f, m)
f <- "Reaction ~ Days + (Days || Subject)"
m <- lmer(as.formula(f), sleep, REML = TRUE, control = lctrl);  fits[[length(fits) + 1]] <- record("sleepstudy_uncorrelated", "sleepstudy", f, m)
f <- "Reaction ~ Days + (1 | Subject)"
m <- lmer(as.formula(f), sleep, REML = FALSE, control = lctrl); fits[[length(fits) + 1]] <- record("sleepstudy_intercept_ml", "sleepstudy", f, m)
f <- "diameter ~ 1 + (1 | plate) + (1 | sample)"
m <- lmer(as.formula(f), pen, REML = TRUE, control = lctrl);    fits[[length(fits) + 1]] <- record("penicillin_crossed", "Penicillin", f, m)
f <- "strength ~ 1 + (1 | batch/cask)"
m <- lmer(as.formula(f), pastes, REML = TRUE, control = lctrl); fits[[length(fits) + 1]] <- record("pastes_nested", "Pastes", f, m)
f <- "strength ~ 1 + (1 | batch) + (1 | batch:cask)"
m <- lmer(as.formula(f), pastes, REML = FALSE, control = lctrl); fits[[length(fits) + 1]] <- record("pastes_interaction_ml", "Pastes", f, m)
f <- "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)"
m <- glmer(as.formula(f), cbpp, family = binomial, control = gctrl); fits[[length(fits) + 1]] <- record("cbpp_binomial", "cbpp", f, m)
f <- "incidence ~ factor(period) + offset(log(size)) + (1 | herd)"
m <- glmer(as.formula(f), cbpp, family = poisson, control = gctrl); fits[[length(fits) + 1]] <- record("cbpp_poisson_offset", "cbpp", f, m)
f <- "y ~ lbase * trt + lage + V4 + (1 | subject)"
m <- glmer(as.formula(f), epil, family = poisson, control = gctrl); fits[[length(fits) + 1]] <- record("epil_poisson", "epil", f, m)
f <- "Reaction ~ Days + (Days | Subject)"
sleep_w <- 1 + sleep$Days / 10    # prior weights (the tests compute 1 + Days/10 the same way)
m <- lmer(as.formula(f), sleep, weights = sleep_w, REML = TRUE, control = lctrl)
fits[[length(fits) + 1]] <- record("sleepstudy_weighted", "sleepstudy", f, m, list(weights = "1 + Days/10"))
f <- "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)"
m <- glmer(as.formula(f), cbpp, family = binomial(link = "probit"), control = gctrl); fits[[length(fits) + 1]] <- record("cbpp_probit", "cbpp", f, m)
f <- "Reaction ~ Days + (1 | Subject)"
m <- glmer(as.formula(f), sleep, family = Gamma(link = "log"), control = gctrl); fits[[length(fits) + 1]] <- record("sleepstudy_gamma_log", "sleepstudy", f, m)
m <- glmer(as.formula(f), sleep, family = gaussian(link = "log"), control = gctrl); fits[[length(fits) + 1]] <- record("sleepstudy_gaussian_log", "sleepstudy", f, m)
f <- "incidence ~ factor(period) + offset(log(size)) + (1 | herd)"
m <- glmer(as.formula(f), cbpp, family = MASS::negative.binomial(theta = 5), control = gctrl)
fits[[length(fits) + 1]] <- record("cbpp_negbin_theta5", "cbpp", f, m, list(nb_theta = 5))
f <- "log_radon ~ floor + (1 + floor | county)"
# radon's ML surface is flat along θ: bobyqa stops 4e-12 below the optimum with θ 4e-7 off, so restart it once there.
polish <- function(m) update(m, start = getME(m, "theta"), control = lctrl)
m <- polish(lmer(as.formula(f), radon, REML = TRUE, control = lctrl));  fits[[length(fits) + 1]] <- record("radon_reml", "radon", f, m)
m <- polish(lmer(as.formula(f), radon, REML = FALSE, control = lctrl)); fits[[length(fits) + 1]] <- record("radon_ml", "radon", f, m)
write_reference(fits, "test/reference/glmer.json")

design <- function(name, data, formula, df) {
  m <- lmer(as.formula(formula), df, control = lctrl)
  Z <- as(getME(m, "Z"), "TsparseMatrix")
  X <- getME(m, "X")
  list(name = name, data = data, formula = formula, n = nrow(X), q = ncol(Z),
       X_columns = colnames(X), X = as_array(t(X)),   # row-major
       Z_i = I(Z@i), Z_j = I(Z@j), Z_x = as_array(Z@x),
       cnms = lapply(getME(m, "cnms"), I), flist_names = names(getME(m, "flist")),
       nlevels = I(vapply(getME(m, "flist"), nlevels, 1L)),
       Gp = I(getME(m, "Gp")), Lind = I(getME(m, "Lind")), theta_names = names(getME(m, "theta")))
}
designs <- list(
  design("sleepstudy", "sleepstudy", "Reaction ~ Days + (Days | Subject)", sleep),
  design("sleepstudy_uncorrelated", "sleepstudy", "Reaction ~ Days + (Days || Subject)", sleep),
  design("penicillin", "Penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)", pen),
  design("pastes", "Pastes", "strength ~ 1 + (1 | batch/cask)", pastes),
  design("sleepstudy_slope_only", "sleepstudy", "Reaction ~ Days + (0 + Days | Subject) + (1 | Subject)", sleep)
)
write_reference(designs, "test/reference/lme4-design.json")

# Reference values for src/diagnostics/quantile-residuals.ts: the CDF bounds
# [F(y-), F(y)] of statmod's randomized quantile residuals (qres.binom, qres.pois,
# qres.nbinom, computed here exactly as statmod computes them before runif) and the
# deterministic quantile residuals of continuous families (statmod::qresid).
# Run from the repository root: Rscript test/reference/quantile-residuals.R
suppressPackageStartupMessages({ library(jsonlite); library(MASS); library(statmod) })
source("test/reference/common.R")

out <- list(versions = list(R = R.version.string, statmod = as.character(packageVersion("statmod")),
                            MASS = as.character(packageVersion("MASS"))))

bounds <- function(a, b) list(lower = as_array(a), upper = as_array(b))

# binomial with trials: cbind(numdead, numalive) ~ ldose * sex (statmod qres.binom)
budworm <- read_data("budworm")
f <- glm(cbind(numdead, numalive) ~ ldose * sex, family = binomial, data = budworm)
p <- fitted(f); n <- f$prior.weights; k <- n * f$y
out$budworm <- bounds(pbinom(k - 1, n, p), pbinom(k, n, p))

# binomial 0/1: birthwt
birthwt <- read_data("birthwt")
f <- glm(low ~ age + lwt + race + smoke + ptl + ht + ui, family = binomial, data = birthwt)
p <- fitted(f); y <- f$y
out$birthwt <- bounds(pbinom(y - 1, 1, p), pbinom(y, 1, p))

# poisson: dobson counts ~ outcome + treatment (statmod qres.pois)
dobson <- read_data("dobson")
f <- glm(counts ~ factor(outcome) + factor(treatment), family = poisson, data = dobson)
mu <- fitted(f); y <- f$y
out$dobson <- bounds(ppois(y - 1, mu), ppois(y, mu))

# negative binomial, θ estimated: quine (statmod qres.nbinom)
quine <- read_data("quine")
f <- glm.nb(Days ~ Eth + Sex + Age + Lrn, data = quine)
mu <- fitted(f); y <- f$y; size <- f$theta; pr <- size / (mu + size)
a <- ifelse(y > 0, pbeta(pr, size, pmax(y, 1)), 0)
b <- pbeta(pr, size, y + 1)
out$quine <- c(bounds(a, b), list(theta = size))

# gaussian: cars dist ~ speed (statmod qres.gauss)
cars <- read_data("cars")
f <- glm(dist ~ speed, family = gaussian, data = cars)
out$cars <- list(residuals = as_array(qresid(f)))

# Gamma: clotting lot1 ~ log(u) (statmod qres.gamma)
clotting <- read_data("clotting")
f <- glm(lot1 ~ log(u), family = Gamma, data = clotting)
out$clotting <- list(residuals = as_array(qresid(f)))

write_reference(out, "test/reference/quantile-residuals.json")

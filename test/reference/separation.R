# Reference verdicts for glmkit's separation check (src/separation.ts).
#   Rscript test/reference/separation.R   (writes test/reference/separation.json)
#
# brglm2 0.9 no longer contains detect_separation(): it is defunct there and
# points to the detectseparation package, which is not installed here (and not
# in Debian). So this script re-states detectseparation's linear program
# (Konis 2007, ch. 4; detectseparation's default "ROI" separator with lp_solve),
# solved by lp_solve through the lpSolve package:
#   rows with 0 < y < 1 are duplicated as one failure and one success, rows
#   with zero weight are dropped, aliased columns (qr(x)) are left out (NA);
#   with s_i = +1 for a success and -1 for a failure, X̄ = s·X,
#   maximise 1ᵀX̄β  subject to  X̄β ≥ 0,  −1 ≤ βⱼ ≤ 1;
#   separation iff some |βⱼ| > 1e-4, and coefficient j is ±Inf by the sign of βⱼ.
# The fixture is only trustworthy if the answer does not depend on which
# optimal vertex the solver returns, so for every case the script also solves
# 2p more LPs over the optimal face (min and max of each βⱼ with the objective
# held at its optimum) and stops unless every βⱼ has one sign on the whole face.
# As an independent check, the coefficients declared infinite must be exactly
# those whose glm() standard errors keep growing with the iteration limit
# (the idea of detectseparation::check_infinite_estimates).
library(lpSolve)

as_json17 <- function(v) {
  if (is.list(v)) return(lapply(v, as_json17))
  if (is.numeric(v) && !is.integer(v)) {
    txt <- ifelse(is.finite(v), sprintf("%.17g", v), "null")
    if (length(v) == 1L && is.null(dim(v))) return(structure(txt, class = "json"))
    return(structure(paste0("[", paste(txt, collapse = ","), "]"), class = "json"))
  }
  v
}
write_json17 <- function(x, path) {
  writeLines(jsonlite::toJSON(as_json17(x), auto_unbox = TRUE, json_verbatim = TRUE, null = "null"), path)
}

TOL <- 1e-4

# max c'b s.t. A b >= 0, -1 <= b <= 1, written for lpSolve (variables >= 0) as
# b = u - 1 with 0 <= u <= 2. Extra rows: list(a = coefficients, dir, rhs) on b.
lp_box <- function(A, obj, direction = "max", extra = NULL) {
  p <- ncol(A)
  con <- rbind(A, diag(p))
  dir <- c(rep(">=", nrow(A)), rep("<=", p))
  rhs <- c(rowSums(A), rep(2, p))
  if (!is.null(extra)) {
    con <- rbind(con, extra$a)
    dir <- c(dir, extra$dir)
    rhs <- c(rhs, extra$rhs + sum(extra$a))
  }
  sol <- lp(direction, obj, con, dir, rhs)
  if (sol$status != 0) stop("lp_solve status ", sol$status)
  list(beta = sol$solution - 1, objval = sol$objval - sum(obj))
}

# Verdicts ("finite", "+Inf", "-Inf") from the LP on X̄ (columns as given).
lp_verdicts <- function(Xbar) {
  obj <- colSums(Xbar)
  opt <- lp_box(Xbar, obj)
  p <- ncol(Xbar)
  sign_of <- function(v) ifelse(abs(v) <= TOL, 0, sign(v))
  # The sign of each beta_j must be the same on the whole optimal face, or the
  # answer would depend on which optimal vertex the solver returns.
  slack <- 1e-9 * max(1, abs(opt$objval))
  face <- list(a = matrix(obj, 1), dir = ">=", rhs = opt$objval - slack)
  for (j in seq_len(p)) {
    e <- numeric(p); e[j] <- 1
    lo <- lp_box(Xbar, e, "min", face)$beta[j]
    hi <- lp_box(Xbar, e, "max", face)$beta[j]
    if (sign_of(lo) != sign_of(hi)) stop("the optimal face has beta_", j, " of different signs: the answer would depend on the solver")
  }
  verdict <- ifelse(opt$beta > TOL, "+Inf", ifelse(opt$beta < -TOL, "-Inf", "finite"))
  # Canonical answer (glmkit's refine option): coefficient j is infinite when every
  # direction in the relative interior of the cone C = {X̄b >= 0} has b_j of one sign,
  # i.e. the range of b_j over C ∩ box is [0, M] or [-M, 0] with M > TOL.
  canonical <- character(p)
  for (j in seq_len(p)) {
    e <- numeric(p); e[j] <- 1
    lo <- lp_box(Xbar, e, "min")$beta[j]
    hi <- lp_box(Xbar, e, "max")$beta[j]
    canonical[j] <- if (hi > TOL && lo >= -TOL) "+Inf" else if (lo < -TOL && hi <= TOL) "-Inf" else "finite"
  }
  list(beta = opt$beta, objective = opt$objval, verdict = verdict, canonical = canonical)
}

separation_lp <- function(x, y, weights) {
  qx <- qr(x)
  aliased <- if (qx$rank < ncol(x)) colnames(x)[qx$pivot[seq.int(qx$rank + 1L, ncol(x))]] else character()
  xk <- x[, setdiff(colnames(x), aliased), drop = FALSE]
  keep <- weights > 0
  xk <- xk[keep, , drop = FALSE]
  yk <- y[keep]
  ones <- yk == 1; zeros <- yk == 0; mid <- !(ones | zeros)
  xx <- xk[c(which(ones), which(zeros), rep(which(mid), 2)), , drop = FALSE]
  yy <- c(yk[ones], yk[zeros], rep(c(0, 1), each = sum(mid)))
  s <- ifelse(yy == 1, 1, -1)
  Xbar <- xx * s
  # detectseparation's LP, unscaled, and glmkit's default: each column divided
  # by its largest absolute value first, so that the verdict does not depend on units.
  unscaled <- lp_verdicts(Xbar)
  colmax <- apply(abs(xx), 2, max)
  scaled <- lp_verdicts(sweep(Xbar, 2, colmax, "/"))
  if (!identical(scaled$verdict, scaled$canonical)) stop("scaled LP vertex differs from the canonical answer")
  full <- function(v) {
    out <- setNames(rep("aliased", ncol(x)), colnames(x))
    out[colnames(xk)] <- v
    out
  }
  list(separation = any(abs(scaled$beta) > TOL), status = full(scaled$verdict),
       separation_unscaled = any(abs(unscaled$beta) > TOL), status_unscaled = full(unscaled$verdict),
       beta = setNames(scaled$beta / colmax, colnames(xk)), objective = scaled$objective)
}

# Coefficients whose glm() standard error keeps growing with the iteration limit.
glm_diverging <- function(x, y, weights) {
  se_at <- function(maxit) {
    f <- suppressWarnings(glm.fit(x, y, weights = weights, family = binomial(),
                                  control = glm.control(epsilon = 1e-300, maxit = maxit)))
    s <- summary.glm(structure(c(f, list(call = NULL, terms = NULL)), class = c("glm", "lm")))
    se <- rep(NA_real_, ncol(x)); names(se) <- colnames(x)
    se[rownames(s$coefficients)] <- s$coefficients[, 2]
    se
  }
  ratio <- se_at(40) / se_at(20)
  names(ratio)[!is.na(ratio) & ratio > 100]
}

cases <- list()
add_case <- function(id, description, x, y, weights = rep(1, nrow(x))) {
  res <- separation_lp(x, y, weights)
  div <- glm_diverging(x[, res$status != "aliased", drop = FALSE], y, weights)
  inf <- names(res$status)[res$status %in% c("+Inf", "-Inf")]
  if (!setequal(div, inf)) stop(id, ": LP says ", paste(inf, collapse = ","), " but glm diverges on ", paste(div, collapse = ","))
  cat(sprintf("%-22s separation=%-5s %s\n", id, res$separation,
              paste(names(res$status), res$status, sep = "=", collapse = " ")))
  if (!identical(res$status, res$status_unscaled)) {
    cat(sprintf("%-22s unscaled:  %-5s %s\n", "", res$separation_unscaled,
                paste(names(res$status_unscaled), res$status_unscaled, sep = "=", collapse = " ")))
  }
  cases[[length(cases) + 1L]] <<- list(
    id = id, description = description,
    n = nrow(x), p = ncol(x), column_names = colnames(x),
    X_row_major = as.numeric(t(x)), y = as.numeric(y), weights = as.numeric(weights),
    separation = res$separation,
    status = as.list(res$status),
    separation_unscaled = res$separation_unscaled,
    status_unscaled = as.list(res$status_unscaled),
    lp_beta = as.list(res$beta), lp_objective = res$objective,
    glm_diverging = div
  )
}

# 1. Endometrial cancer (Heinze & Schemper 2002): quasi-complete separation on NV.
data("endometrial", package = "brglm2")
x <- model.matrix(HG ~ NV + PI + EH, endometrial)
add_case("endometrial", "HG ~ NV + PI + EH, brglm2::endometrial; NV = 1 only with HG = 1", x, endometrial$HG)

# 2. The same with a copy of NV: the copy is aliased (NA in detectseparation).
xa <- cbind(x, NV_copy = endometrial$NV)
add_case("endometrial_aliased", "endometrial with an exact copy of NV, which is aliased", xa, endometrial$HG)

# 3. Complete separation: y = 1 exactly when x > 5.
toy <- data.frame(x = c(1.2, 2.5, 3.1, 4.4, 4.9, 5.3, 6.0, 7.7, 8.1, 9.5))
toy$y <- as.numeric(toy$x > 5)
add_case("complete_toy", "y = 1{x > 5}: complete separation", model.matrix(y ~ x, toy), toy$y)

# 4. No separation: MASS::birthwt, low ~ age + lwt.
data("birthwt", package = "MASS")
add_case("birthwt", "MASS::birthwt low ~ age + lwt: overlapping classes", model.matrix(low ~ age + lwt, birthwt), birthwt$low)

# 5. A factor with one level all successes and one all failures.
set.seed(20240517)
g <- factor(rep(c("A", "B", "C", "D"), times = c(12, 12, 6, 7)))
xc <- round(rnorm(length(g)), 3)
yg <- numeric(length(g))
yg[g == "A"] <- rep(c(0, 1), 6)
yg[g == "B"] <- rep(c(1, 0, 0), 4)
yg[g == "C"] <- 1
yg[g == "D"] <- 0
fdat <- data.frame(g = g, xc = xc, y = yg)
add_case("factor_levels", "y ~ g + xc: level C only successes, level D only failures",
         model.matrix(y ~ g + xc, fdat), fdat$y)

# 6. Grouped binomial data (proportions with weights = trials), quasi-complete:
#    a mixed group sits on the separating boundary; a zero-weight row that
#    would break the separation is left out.
grp <- data.frame(dose = c(1, 2, 3, 4, 5, 6), succ = c(0, 0, 4, 9, 7, 0), trials = c(8, 9, 10, 9, 7, 0))
grp$prop <- ifelse(grp$trials > 0, grp$succ / grp$trials, 0)
add_case("grouped_quasi", "proportions with trials as weights; dose 3 mixed; a zero-weight row at dose 6",
         model.matrix(~ dose, grp), grp$prop, grp$trials)

# 7. Grouped binomial data without separation: MASS budworm (Venables & Ripley, §7.2).
ldose <- rep(0:5, 2)
numdead <- c(1, 4, 9, 13, 18, 20, 0, 2, 6, 10, 12, 16)
sex <- factor(rep(c("M", "F"), c(6, 6)))
add_case("budworm", "budworm: numdead/20 ~ sex + ldose, weights 20", model.matrix(~ sex + ldose), numdead / 20, rep(20, 12))

# 8. No intercept, two predictors, completely separated through the origin.
xn <- cbind(a = c(1, 2, -1, -2, 0.5, -0.3, 1.5, -1.1), b = c(0.3, -1, 0.2, 1.1, 2, -2, -0.4, 0.9))
yn <- as.numeric(xn[, "a"] - 0.5 * xn[, "b"] > 0)
add_case("no_intercept", "no intercept, y = 1{a - b/2 > 0}", xn, yn)

# 9. Units matter to the unscaled LP: the complete toy with x multiplied by 1e4
#    (as income in dollars rather than in tens of thousands). Unscaled, the box
#    |beta_j| <= 1 leaves the x coefficient at about 2e-5 < 1e-4, so
#    detectseparation's LP calls it finite although glm() diverges on it.
toy_big <- toy; toy_big$x <- toy_big$x * 1e4
add_case("large_units", "y = 1{x > 5e4}, x in large units: the unscaled LP misses x",
         model.matrix(y ~ x, toy_big), toy_big$y)

out <- file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "separation.json")
write_json17(list(r_version = R.version.string, lpSolve_version = as.character(packageVersion("lpSolve")),
                  tolerance = TOL, cases = cases), out)
cat("wrote", out, "\n")

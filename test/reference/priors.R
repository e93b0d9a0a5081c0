# Reference log densities of glmkit's scalar priors, from R's own density
# functions, on a grid of points and parameter sets.
#   Rscript test/reference/priors.R   (writes test/reference/priors.json)
# Conventions (rstanarm's): scaled t = dt((x - m)/s, df)/s; half-normal and
# half-t are 2x the density on x >= 0; gamma(shape, rate); Laplace by formula
# (R has no dlaplace): exp(-|x - m|/s)/(2 s).
# jsonlite 1.8 prints at most 15 significant digits, so numbers are written
# verbatim with %.17g (exact round trip); non-finite values become null.
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
  writeLines(jsonlite::toJSON(as_json17(x), auto_unbox = TRUE, json_verbatim = TRUE), path)
}

real_x <- c(-250, -50, -7.3, -2.5, -1, -0.3, 0, 0.2, 1, 2.5, 4.1, 12, 100, 1e4)
pos_x <- c(1e-8, 1e-3, 0.01, 0.3, 1, 2.7, 10, 55, 400, 1e4)

grid <- function(kind, params, x, f) {
  list(kind = kind, params = params, x = x, logDensity = f(x))
}

cases <- list()
add <- function(case) cases[[length(cases) + 1L]] <<- case

for (p in list(c(0, 1), c(0, 2.5), c(-1.5, 0.3), c(3, 100), c(1e3, 1e-3))) {
  add(grid("normal", list(location = p[1], scale = p[2]), real_x,
           function(x) dnorm(x, p[1], p[2], log = TRUE)))
}
for (p in list(c(1, 0, 2.5), c(3, 0, 2.5), c(7, 1, 0.5), c(0.5, -2, 3), c(30, 0, 1), c(1e6, 0, 1), c(2.5, 10, 40))) {
  add(grid("student_t", list(df = p[1], location = p[2], scale = p[3]), real_x,
           function(x) dt((x - p[2]) / p[3], p[1], log = TRUE) - log(p[3])))
}
for (p in list(c(0, 1), c(0, 2.5), c(-4, 0.1), c(2, 30))) {
  add(grid("cauchy", list(location = p[1], scale = p[2]), real_x,
           function(x) dcauchy(x, p[1], p[2], log = TRUE)))
}
for (p in list(c(0, 1), c(0, 2.5), c(-4, 0.1), c(2, 30))) {
  add(grid("laplace", list(location = p[1], scale = p[2]), real_x,
           function(x) -log(2 * p[2]) - abs(x - p[1]) / p[2]))
}
for (p in list(c(0, 1), c(0, 2.5), c(-4, 0.1), c(2, 30))) {
  add(grid("logistic", list(location = p[1], scale = p[2]), real_x,
           function(x) dlogis(x, p[1], p[2], log = TRUE)))
}
for (r in c(1, 0.1, 3.7, 250)) {
  add(grid("exponential", list(rate = r), pos_x, function(x) dexp(x, r, log = TRUE)))
}
for (s in c(1, 2.5, 0.05, 40)) {
  add(grid("half_normal", list(scale = s), pos_x, function(x) log(2) + dnorm(x, 0, s, log = TRUE)))
}
for (p in list(c(1, 1), c(3, 2.5), c(7, 0.2), c(0.7, 10), c(1e5, 1))) {
  add(grid("half_student_t", list(df = p[1], scale = p[2]), pos_x,
           function(x) log(2) + dt(x / p[2], p[1], log = TRUE) - log(p[2])))
}
for (p in list(c(2, 0.1), c(1, 1), c(0.5, 2), c(9.5, 3), c(150, 40))) {
  add(grid("gamma", list(shape = p[1], rate = p[2]), pos_x,
           function(x) dgamma(x, shape = p[1], rate = p[2], log = TRUE)))
}

out <- file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "priors.json")
write_json17(list(r_version = R.version.string, cases = cases), out)
cat("wrote", out, "with", length(cases), "cases\n")

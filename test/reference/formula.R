# Reference fixtures for test/formula/formula.test.ts and test/data/data.test.ts:
# R's terms(), model.frame() (as glm() calls it: drop.unused.levels = TRUE,
# na.action = na.omit) and model.matrix() for a set of formulas, model
# matrices for new data, and the en_US.UTF-8 ordering of tricky level names.
#
# Run from the repository root:  Rscript test/reference/formula.R
# Writes test/reference/formula.json. Doubles are written as "%.17g" strings
# (jsonlite caps numbers at 15 significant digits), so they read back exactly.
#
# R 4.2, jsonlite, splines. The nsSpans bases use set.seed(20261124); nothing else is random.
#
# Keys: csv, datasets, cases (51 model frames), predictions, labels, collation, asCharacter;
# then, for the rest of the formula language (issue 15), appended so that the keys above stay
# byte-identical: languageDatasets (d4 and new data for the bundled CSVs), languageCases (80 model
# frames over data/*.csv, d1, d2 and d4: relevel, factor(levels, labels), ordered, declared column
# types, C() and contrasts = list(...), term algebra, poly/ns/bs/scale; with xlevels, R's
# attr(X, "contrasts") and R's warnings), languagePredictions (19 model matrices for new data, with
# scale()'s training centre and scale put into the predvars: R 4.2 has no makepredictcall for scale),
# glmPredictions (7 fitted glm()s: coefficients, deviance, fitted values and predict(fit, newdata)
# on both scales) and nsSpans (ns() bases of random x).

Sys.setlocale("LC_COLLATE", "en_US.UTF-8")
options(contrasts = c("contr.treatment", "contr.poly"), na.action = "na.omit")

num <- function(x) if (is.null(x)) NULL else I(sprintf("%.17g", as.numeric(x)))
arr <- function(x) if (is.null(x)) I(character(0)) else I(x)
rows_of <- function(X) if (ncol(X) == 0) list() else lapply(seq_len(nrow(X)), function(i) num(X[i, ]))

d1 <- data.frame(
  y = c(2.3, 1.1, 4.7, 3.2, 5.5, 0.4, 2.9, 3.8, 1.6, 4.1, 2.2, 3.3),
  x = c(-1.5, 0.25, 1.75, -0.5, 2.0, 0.8, -2.25, 1.1, 0.05, -0.75, 1.6, 0.3),
  z = c(0.5, 1.2, 3.4, 2.2, 0.9, 5.1, 1.7, 2.8, 4.4, 0.3, 1.05, 2.6),
  t = c(10, 12, 8, 15, 20, 9, 11, 14, 7, 13, 16, 10),
  a = c("p", "q", "r", "p", "q", "r", "p", "q", "r", "p", "q", "r"),
  b = c("u", "u", "v", "v", "u", "v", "v", "u", "u", "v", "u", "v"),
  f = c("b", "A", "a", "B", "10", "9", "a_b", "a", "b", "A", "10", "B"),
  k = c(4, 6, 8, 4, 6, 8, 8, 6, 4, 4, 6, 8),
  lg = c(TRUE, FALSE, TRUE, TRUE, FALSE, FALSE, TRUE, FALSE, TRUE, TRUE, FALSE, TRUE),
  s = c(3, 0, 5, 2, 7, 1, 4, 6, 2, 0, 3, 5),
  fl = c(2, 4, 1, 3, 0, 5, 2, 1, 4, 6, 2, 1),
  w = c(1, 2, 1.5, 0.5, 1, 3, 2, 1, 1, 2.5, 1, 1),
  `my var` = c(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2),
  g = c("no", "yes", "yes", "no", "yes", "no", "no", "yes", "yes", "no", "no", "yes"),
  check.names = FALSE, stringsAsFactors = FALSE)

# d2: missing cells; level "s" of a only in a row dropped for a missing x.
d2 <- d1
d2$y[2] <- NA
d2$x[5] <- NA
d2$a[5] <- "s"
d2$a[7] <- NA
d2$w[9] <- NA
d2$f[3] <- NA
d2$k[10] <- NA

dsmall <- d1[, c("y", "x", "a", "lg")]

# New data for predictions (no response).
nd <- data.frame(
  x = c(0.5, -1, 2.5, 1, 0),
  z = c(1, 2, 0.7, 3, 1.5),
  t = c(5, 10, 20, 8, 12),
  a = c("q", "p", "q", NA, "r"),
  b = c("v", "u", "u", "v", "v"),
  f = c("a", "B", "10", "9", "A"),
  k = c(4, 8, 6, 8, 4),
  lg = c(FALSE, TRUE, TRUE, FALSE, TRUE),
  stringsAsFactors = FALSE)

datasets <- list(d1 = d1, d2 = d2, dsmall = dsmall, nd = nd)

cases <- list(
  list(id = "a*b", formula = "y ~ a*b", data = "d1"),
  list(id = "0+f", formula = "y ~ 0 + f", data = "d1"),
  list(id = "f:x", formula = "y ~ f:x", data = "d1"),
  list(id = "x+x:f", formula = "y ~ x + x:f", data = "d1"),
  list(id = "(a+b+x)^2", formula = "y ~ (a + b + x)^2", data = "d1"),
  list(id = "dot-x", formula = "y ~ . - x", data = "dsmall"),
  list(id = "I+log+offset", formula = "y ~ I(x^2) + log(z) + offset(log(t))", data = "d1"),
  list(id = "factor(k)", formula = "y ~ factor(k)", data = "d1"),
  list(id = "cbind", formula = "cbind(s, fl) ~ x", data = "d1"),
  list(id = "-1+x", formula = "y ~ -1 + x", data = "d1"),
  list(id = "a:b", formula = "y ~ a:b", data = "d1"),
  list(id = "lg", formula = "y ~ lg", data = "d1"),
  list(id = "0+lg+x", formula = "y ~ 0 + lg + x", data = "d1"),
  list(id = "a+lg:x", formula = "y ~ a + lg:x", data = "d1"),
  list(id = "a/x", formula = "y ~ a/x", data = "d1"),
  list(id = "x%in%a", formula = "y ~ x %in% a", data = "d1"),
  list(id = "0+a:b", formula = "y ~ 0 + a:b", data = "d1"),
  list(id = "a*b*lg", formula = "y ~ a*b*lg", data = "d1"),
  list(id = "functions", formula = "y ~ log(z, 2) + sqrt(z) + exp(x) + abs(x) + log2(z) + log10(z) + log1p(z) + expm1(x) + sin(x) + cos(x) + tan(x) + log(z, base = 3)", data = "d1"),
  list(id = "I-logical", formula = "y ~ I(x > 0) + I(a == \"q\")", data = "d1"),
  list(id = "0+x+x:f", formula = "y ~ 0 + x + x:f", data = "d1"),
  list(id = "factor(k)*x", formula = "y ~ factor(k) * x", data = "d1"),
  list(id = "b+a:b", formula = "y ~ b + a:b", data = "d1"),
  list(id = "backquote", formula = "y ~ `my var` + x", data = "d1"),
  list(id = "two-offsets", formula = "log(y) ~ x + offset(log(t)) + offset(x)", data = "d1"),
  list(id = "as.numeric", formula = "y ~ as.numeric(lg) + x", data = "d1"),
  list(id = "(a+b)/x", formula = "y ~ (a + b)/x", data = "d1"),
  list(id = "1", formula = "y ~ 1", data = "d1"),
  list(id = "0+f+a", formula = "y ~ 0 + f + a", data = "d1"),
  list(id = "factor-response", formula = "g ~ x + a", data = "d1"),
  list(id = "arithmetic", formula = "y ~ I(x * z/t^2 - 1) + I(-x) + I((x + 1)^2) + I(x %% 0.7) + I(x %/% 0.7) + I(z^0.5) + I(2^x)", data = "d1"),
  list(id = "dot", formula = "y ~ .", data = "dsmall"),
  list(id = "dot^2", formula = "y ~ .^2", data = "dsmall"),
  list(id = "a*x-a", formula = "y ~ a*x - a", data = "d1"),
  list(id = "na-weights", formula = "y ~ a + x", data = "d2", weights = "w"),
  list(id = "na-f*lg", formula = "y ~ f*lg", data = "d2"),
  list(id = "cbind-offset-weights", formula = "cbind(s, fl) ~ a + offset(log(t))", data = "d1", weights = "w"),
  list(id = "x:a+a", formula = "y ~ x:a + a", data = "d1"),
  list(id = "a:b:lg+b", formula = "y ~ a:b:lg + b", data = "d1"),
  list(id = "0", formula = "y ~ 0", data = "d1"),
  list(id = "offset-option", formula = "y ~ x + offset(t)", data = "d1", offset = "z"),
  list(id = "factor(lg)+factor(a)", formula = "y ~ factor(lg) + factor(a)", data = "d1"),
  list(id = "a+b-1", formula = "y ~ a + b - 1", data = "d1"),
  list(id = "x*z+I(x*z)", formula = "y ~ x*z + I(x*z)", data = "d1"),
  list(id = "f", formula = "y ~ f", data = "d1"),
  list(id = "logical-and", formula = "y ~ I(lg & x > 0) + I(!lg) + I(x > 0 | z > 2)", data = "d1"),
  list(id = "factor-response-na", formula = "g ~ x", data = "d2"),
  list(id = "as.numeric(factor)", formula = "y ~ as.numeric(factor(k)) + I(as.numeric(lg) * 2)", data = "d1"),
  list(id = "log(k)+factor(k)", formula = "y ~ log(k) + factor(k)", data = "d1"),
  list(id = "na-factor(k)", formula = "y ~ factor(k) + x", data = "d2"),
  list(id = "0+x:a+b", formula = "y ~ 0 + x:a + b", data = "d1")
)

predictions <- list(
  list(id = "a*b", formula = "y ~ a*b", data = "d1"),
  list(id = "factor(k)*x", formula = "y ~ factor(k) * x", data = "d1"),
  list(id = "I+log+offset", formula = "y ~ I(x^2) + log(z) + offset(log(t))", data = "d1"),
  list(id = "f:x+lg", formula = "y ~ f:x + lg", data = "d1"),
  list(id = "na-a+x", formula = "y ~ a + x", data = "d2"),
  list(id = "0+a:b", formula = "y ~ 0 + a:b", data = "d1"),
  list(id = "I-logical", formula = "y ~ I(x > 0) + lg + I(a == \"q\")", data = "d1"),
  list(id = "dot", formula = "y ~ .", data = "dsmall")
)

fit_frame <- function(cs) {
  data <- datasets[[cs$data]]
  cl <- call("glm", as.formula(cs$formula), data = quote(data), method = "model.frame")
  if (!is.null(cs$weights)) cl$weights <- as.name(cs$weights)
  if (!is.null(cs$offset)) cl$offset <- as.name(cs$offset)
  eval(cl)
}

run_case <- function(cs) {
  mf <- fit_frame(cs)
  mt <- attr(mf, "terms")
  X <- model.matrix(mt, mf)
  y <- model.response(mf, "any")
  lhs <- as.formula(cs$formula)[[2]]
  resp <- if (is.matrix(y)) {
    list(kind = "cbind", name = deparse(lhs), successes = num(y[, 1]), failures = num(y[, 2]))
  } else if (is.factor(y) || is.character(y)) {
    fy <- factor(y)
    list(kind = "factor", name = deparse(lhs), levels = arr(levels(fy)), values = num(as.numeric(fy != levels(fy)[1])))
  } else {
    list(kind = "numeric", name = deparse(lhs), values = num(y))
  }
  c(cs, list(
    columnNames = arr(colnames(X)),
    assign = arr(attr(X, "assign")),
    X = rows_of(X),
    n = nrow(X), p = ncol(X),
    termLabels = arr(attr(mt, "term.labels")),
    intercept = attr(mt, "intercept") == 1,
    rows = arr(as.integer(rownames(mf)) - 1L),
    naDropped = nrow(datasets[[cs$data]]) - nrow(mf),
    offsetValues = num(model.offset(mf)),
    weightsValues = num(model.weights(mf)),
    response = resp
  ))
}

run_prediction <- function(cs) {
  mf <- fit_frame(cs)
  mt <- attr(mf, "terms")
  tt <- delete.response(mt)
  mfn <- model.frame(tt, nd, xlev = .getXlevels(mt, mf))
  Xn <- model.matrix(tt, mfn)
  c(cs, list(
    columnNames = arr(colnames(Xn)),
    X = rows_of(Xn),
    n = nrow(Xn),
    rows = arr(as.integer(rownames(mfn)) - 1L),
    naDropped = nrow(nd) - nrow(mfn),
    offsetValues = num(model.offset(mfn))
  ))
}

# Term labels (no data): R's terms.formula.
label_formulas <- c(
  "y ~ b:a + a", "y ~ a + b:a", "y ~ (a + b)*(c + d)", "y ~ a/b", "y ~ (a + b)/c", "y ~ a/(b + c)",
  "y ~ a %in% b", "y ~ a + b %in% a", "y ~ (a + b) %in% c", "y ~ x - 0", "y ~ 0 + x - 0", "y ~ a*b - a",
  "y ~ (a + b + c)^2 - a:b", "y ~ a:b:c + a", "y ~ -1 + x", "y ~ x + offset(log(t))", "y ~ c:b + b:c:a",
  "y ~ a^2", "~ a + b", "y ~ 1", "y ~ 0", "y ~ -1", "y ~ a*b*c", "y ~ (a + b + c)^3", "y ~ a*b + offset(w) + c:offset(w)",
  "y ~ x + I(x^2) + log(x, 2) + I(a * b/c^2 - 1)", "y ~ I(-x) + I(2*-x) + I(x > 3) + I(x >= 3 & z < 1) + I(!a)",
  "y ~ I(x-1e-3) + I(x*100000) + I(x+123456) + I(x/3) + I(x+1/3) + I(x - 0.0001)",
  "y ~ `my var` + `a b`:c", "y ~ log(x, base = 2) + I((x+1)^2) + I(x^-1) + I(-x^2) + I((-x)^2)",
  "y ~ I(1e15*x) + I(x+1e-15) + I(x+.5) + I(2.50*x) + I(x+1e5+0.1)", "y ~ I(x %% 2) + I(x %/% 2)",
  "y ~ a - b - c + b", "y ~ (a + b) - a", "y ~ a:b - a", "y ~ -a + b", "y ~ a:(b + c) + d", "y ~ (a + b)^2.7",
  "y ~ a*b - 1 + 1", "y ~ a:b:c + a:b + b:c + c", "y ~ a + b:c + a:b:c", "log(y) ~ x*z", "y ~ I(x**2) + I(2L*x) + I(0x10*x)",
  "y ~ I(123456789012345678*x) + I(0.1234567890123456*x) + I(1e300*x) + I(x - -1)", "y ~ a/b/c", "y ~ (a + b):(c + d)",
  "y ~ x + I(a == 'x') + sqrt(abs(x))", "y ~ factor(cyl) + factor(gear):wt", "y ~ (a + b + c + d)^2 - (a + b)^2",
  "cbind(s, n - s) ~ x", "y ~ (a)", "y ~ ((a + b))*c", "y ~ a + +b", "y ~ - - a"
)

label_case <- function(s) {
  tt <- terms(as.formula(s))
  fac <- attr(tt, "factors")
  list(formula = s, termLabels = arr(attr(tt, "term.labels")), intercept = attr(tt, "intercept") == 1,
       # Variable names as model.matrix uses them (rownames of the factors matrix, deparse1line).
       variables = arr(if (length(fac)) rownames(fac) else vapply(as.list(attr(tt, "variables"))[-1], function(v) paste(deparse(v, width.cutoff = 500L, backtick = TRUE), collapse = " "), "")),
       factors = if (length(fac)) lapply(seq_len(ncol(fac)), function(j) arr(as.integer(fac[, j]))) else list(),
       order = arr(attr(tt, "order")))
}

level_names <- c("b", "A", "a", "B", "10", "9", "a_b", "a b", "a.b", "ab", "Ab", "_a", "-a", "\u00e9", "e", "f", "Z", "z",
                 "1", "01", "a-b", "aB", "x!", "x#", "x$", "x(", "x,", "x:", "x;", "x?", "x@", "x[", "x^", "x{", "x~",
                 "x", "X", "x1", "x0", "xa", "Xa", "a1", "a10", "a2", "A1", "1a", "1A", "\u00c4", "\u00e4", "\u00e5",
                 "\u00f8", "\u00df", "ss", "stra\u00dfe", "strasse", "Strasse", "no", "No", "NO", "yes", "Yes", "male", "female")

numbers <- c(1e5, 123456, 0.1, 1/3, 2/3, 1e-20, 1e15, 1e-15, 0.0001, 0.001, 100, 1234567, 0.5, 2.5, -1.5, -1e5, 1e-4 * 3,
             123456789012, 1e300, 3.14159265358979, 42, 1e-300, 99999, 999999, 1e6, 0.1 + 0.2, 100000.5, 5e-5, 12345.678)

# read.csv type conversion on tricky cells.
csv_text <- paste(
  "id,num,hex,ws,inf,lgl,lgl2,txt,allna,mixed,quoted,empty,expo",
  "1,1.5,0x1A, 4,Inf,T,true,a b,NA,1,\"1,5\",,1e5",
  "2,-2e3,0x10,5 ,-Inf,FALSE,false,\"x \"\"q\"\"\",,a,\"2\",3,1E-2",
  "3,.5,0xff,6,NaN,TRUE,TRUE,NA,NA,2,\"3\",,+7",
  "4,NA,NA,NA,1,F,NA,zz,NA,3,\"NA\",4,5.",
  sep = "\n")
csv_df <- read.csv(text = csv_text, stringsAsFactors = FALSE)
csv_ref <- list(text = csv_text, columns = lapply(names(csv_df), function(nm) {
  col <- csv_df[[nm]]
  kind <- if (is.numeric(col)) "numeric" else if (is.logical(col)) "logical" else "factor"
  values <- if (is.numeric(col)) num(col) else if (is.logical(col)) arr(ifelse(is.na(col), NA, ifelse(col, "TRUE", "FALSE"))) else arr(col)
  list(name = nm, kind = kind, values = values)
}))

out <- list(
  csv = csv_ref,
  datasets = lapply(datasets, function(d) lapply(d, function(col) if (is.numeric(col)) ifelse(is.na(col), NA, col) else col)),
  cases = lapply(cases, run_case),
  predictions = lapply(predictions, run_prediction),
  labels = lapply(label_formulas, label_case),
  collation = list(input = arr(level_names), sorted = arr(sort(level_names))),
  asCharacter = list(input = num(numbers), output = arr(as.character(numbers)), deparse = arr(vapply(numbers, function(x) deparse(x), "")))
)


# ---------------------------------------------------------------------------
# The rest of R's formula language (issue 15): levels and baselines, contrasts,
# term algebra, transforms with state (poly, ns, bs, scale), on the bundled CSV
# data (read as glm.R reads them) and two more data frames. Everything below is
# appended as new keys, so the entries above stay byte-identical.
library(splines)

i40 <- 1:40
d4 <- data.frame(
  y = round(2 + sin(i40 * 1.3) * 1.5 + i40 / 20, 3),
  cnt = (i40 * 7) %% 11,
  x = round(sin(i40 * 2.1) * 3 + cos(i40 * 0.7), 3),
  u = round(((i40 * 37) %% 101) / 10, 2),
  g = c("lo", "mid", "hi", "mid")[(i40 * 3) %% 4 + 1],
  dist = (i40 * 5) %% 4 + 1,
  ok = (i40 %% 3) == 0,
  stringsAsFactors = TRUE)
nd4 <- data.frame(
  x = c(-5, -3.2, 0, 1.5, 3.9, 6), u = c(0.5, 2, 5.05, 9.9, 10.5, 12),
  g = c("hi", "lo", "mid", "mid", "lo", "hi"), dist = c(1, 2, 3, 4, 2, 1),
  ok = c(TRUE, FALSE, TRUE, FALSE, FALSE, TRUE), stringsAsFactors = TRUE)
nd_mtcars <- data.frame(
  hp = c(45, 95, 150, 210, 335, 380), wt = c(1.4, 2.2, 3.1, 3.6, 4.9, 6),
  disp = c(60, 120, 200, 300, 460, 500), am = c(1, 0, 1, 0, 0, 1),
  cyl = c(4, 6, 8, 6, 8, 4), gear = c(4, 3, 5, 4, 3, 5))
nd_cars <- data.frame(speed = c(2, 4, 10.5, 17, 25, 30))
nd_trees <- data.frame(Girth = c(7, 10, 13.3, 18, 20.6, 24), Height = c(60, 70, 76, 80, 87, 90))
nd_birthwt <- data.frame(
  age = c(12, 16, 23, 30, 45, 50), lwt = c(70, 90, 121, 200, 250, 280),
  race = factor(c("white", "black", "other", "white", "other", "black")),
  smoke = c(0, 1, 0, 1, 1, 0))
nd_warpbreaks <- data.frame(wool = factor(c("A", "B", "A", "B")), tension = factor(c("L", "M", "H", "L")))

more_datasets <- list(d4 = d4, nd4 = nd4, nd_mtcars = nd_mtcars, nd_cars = nd_cars, nd_trees = nd_trees,
                      nd_birthwt = nd_birthwt, nd_warpbreaks = nd_warpbreaks)

# A data set by name: the script's frames, or "csv:NAME" = data/NAME.csv read as glm.R reads it.
get_data <- function(name) {
  if (startsWith(name, "csv:")) read.csv(file.path("data", paste0(sub("^csv:", "", name), ".csv")), stringsAsFactors = TRUE)
  else c(datasets, more_datasets)[[name]]
}

# Declared column types (glmkit's `columns` option), applied as R users would convert the columns.
apply_columns <- function(d, columns) {
  for (nm in names(columns)) {
    ct <- columns[[nm]]
    d[[nm]] <- switch(ct$type,
      factor = if (is.null(ct$levels)) factor(d[[nm]]) else factor(d[[nm]], levels = unlist(ct$levels)),
      ordered = if (is.null(ct$levels)) ordered(d[[nm]]) else ordered(d[[nm]], levels = unlist(ct$levels)),
      numeric = as.numeric(as.character(d[[nm]])))
  }
  d
}

# glmkit's `contrasts` option as R's contrasts.arg: names stay names, matrices (rows) become matrices.
contrasts_arg <- function(spec) {
  if (is.null(spec)) return(NULL)
  lapply(spec, function(s) if (is.character(s)) s else {
    m <- matrix(unlist(s$matrix), nrow = length(s$matrix), byrow = TRUE)
    if (!is.null(s$columnNames)) colnames(m) <- unlist(s$columnNames)
    m
  })
}

collect_warnings <- function(expr) {
  ws <- character(0)
  value <- withCallingHandlers(expr, warning = function(w) { ws <<- c(ws, conditionMessage(w)); invokeRestart("muffleWarning") })
  list(value = value, warnings = ws)
}

lang_frame <- function(cs) {
  data <- apply_columns(get_data(cs$data), cs$columns)
  cl <- call("glm", as.formula(cs$formula), data = quote(data), method = "model.frame")
  if (!is.null(cs$weights)) cl$weights <- as.name(cs$weights)
  if (!is.null(cs$offset)) cl$offset <- as.name(cs$offset)
  collect_warnings(eval(cl))
}

# R 4.2 has no makepredictcall method for scale(): predict() would re-centre new data by its own
# mean and sd. Safe prediction keeps the training centre and scale, as glmkit does (also for a
# scale() nested in another call, as in I(scale(x)^2)); here every scale(...) call in the predvars
# is replaced by scale(x, center = <fit>, scale = <fit>), evaluated on the training data.
fixed_scale <- function(expr, data) {
  if (!is.call(expr)) return(expr)
  if (identical(expr[[1]], as.name("scale"))) {
    m <- eval(expr, data)
    expr$center <- if (is.null(attr(m, "scaled:center"))) FALSE else unname(attr(m, "scaled:center"))
    expr$scale <- if (is.null(attr(m, "scaled:scale"))) FALSE else unname(attr(m, "scaled:scale"))
    return(expr)
  }
  for (k in seq_along(expr)[-1]) expr[[k]] <- fixed_scale(expr[[k]], data)
  expr
}
safe_scale_predvars <- function(mt, data) {
  pv <- attr(mt, "predvars")
  for (k in seq_along(pv)[-1]) pv[[k]] <- fixed_scale(pv[[k]], data)
  attr(mt, "predvars") <- pv
  mt
}

run_lang_case <- function(cs) {
  fr <- lang_frame(cs)
  mf <- fr$value
  mt <- attr(mf, "terms")
  mm <- collect_warnings(model.matrix(mt, mf, contrasts.arg = contrasts_arg(cs$contrasts)))
  X <- mm$value
  y <- model.response(mf, "any")
  lhs <- as.formula(cs$formula)[[2]]
  resp <- if (is.matrix(y)) {
    list(kind = "cbind", name = deparse(lhs), successes = num(y[, 1]), failures = num(y[, 2]))
  } else if (is.factor(y) || is.character(y)) {
    fy <- factor(y)
    list(kind = "factor", name = deparse(lhs), levels = arr(levels(fy)), values = num(as.numeric(fy != levels(fy)[1])))
  } else {
    list(kind = "numeric", name = deparse(lhs), values = num(y))
  }
  ctr <- attr(X, "contrasts")
  c(cs, list(
    columnNames = arr(colnames(X)), assign = arr(attr(X, "assign")), X = rows_of(X), n = nrow(X), p = ncol(X),
    termLabels = arr(attr(mt, "term.labels")), intercept = attr(mt, "intercept") == 1,
    rows = arr(match(rownames(mf), rownames(get_data(cs$data))) - 1L),
    naDropped = nrow(get_data(cs$data)) - nrow(mf),
    offsetValues = num(model.offset(mf)), weightsValues = num(model.weights(mf)), response = resp,
    xlevels = .getXlevels(mt, mf),
    contrastNames = if (is.null(ctr)) setNames(list(), character(0)) else lapply(ctr, function(v) if (is.character(v)) v else "matrix"),
    r_warnings = arr(c(fr$warnings, mm$warnings))
  ))
}

run_lang_prediction <- function(cs) {
  fr <- lang_frame(cs)
  mf <- fr$value
  mt <- safe_scale_predvars(attr(mf, "terms"), apply_columns(get_data(cs$data), cs$columns))
  X <- model.matrix(mt, mf, contrasts.arg = contrasts_arg(cs$contrasts))
  tt <- delete.response(mt)
  newdata <- apply_columns(get_data(cs$newdata), cs$columns[names(cs$columns) %in% names(get_data(cs$newdata))])
  nw <- collect_warnings(model.frame(tt, newdata, xlev = .getXlevels(mt, mf)))
  Xn <- model.matrix(tt, nw$value, contrasts.arg = attr(X, "contrasts"))
  c(cs, list(columnNames = arr(colnames(Xn)), X = rows_of(Xn), n = nrow(Xn),
             rows = arr(as.integer(rownames(nw$value)) - 1L), naDropped = nrow(newdata) - nrow(nw$value),
             offsetValues = num(model.offset(nw$value)), r_warnings = arr(nw$warnings)))
}

run_glm_prediction <- function(cs) {
  data <- apply_columns(get_data(cs$data), cs$columns)
  fam <- get(cs$family)()
  fit <- glm(as.formula(cs$formula), family = fam, data = data, contrasts = contrasts_arg(cs$contrasts))
  if (!fit$converged) stop("not converged: ", cs$formula)
  fit$terms <- safe_scale_predvars(fit$terms, data)
  newdata <- get_data(cs$newdata)
  pr <- collect_warnings(predict(fit, newdata = newdata, type = "link"))
  c(cs, list(coefficientNames = arr(names(coef(fit))), coefficients = num(coef(fit)), deviance = num(deviance(fit)),
             fitted = num(fitted(fit)), link = num(pr$value),
             response = num(predict(fit, newdata = newdata, type = "response")), r_warnings = arr(pr$warnings)))
}

lang_cases <- list(
  # Levels and baselines.
  list(id = "relevel-factor", formula = "y ~ relevel(factor(a), ref = \"r\") + x", data = "d1"),
  list(id = "relevel-warpbreaks", formula = "breaks ~ relevel(tension, ref = \"M\") + wool", data = "csv:warpbreaks"),
  list(id = "relevel-birthwt", formula = "low ~ relevel(race, ref = \"white\") + age", data = "csv:birthwt"),
  list(id = "relevel-number", formula = "y ~ relevel(g, ref = 3) * x", data = "d4"),
  list(id = "factor-levels-numeric", formula = "y ~ factor(k, levels = c(8, 4, 6))", data = "d1"),
  list(id = "factor-levels-strings", formula = "breaks ~ factor(tension, levels = c(\"L\", \"M\", \"H\")) * wool", data = "csv:warpbreaks"),
  list(id = "factor-labels", formula = "y ~ factor(k, levels = c(4, 6, 8), labels = c(\"four\", \"six\", \"eight\"))", data = "d1"),
  list(id = "factor-levels-subset", formula = "y ~ factor(k, levels = c(4, 6)) + x", data = "d1"),
  list(id = "factor-labels-merge", formula = "y ~ factor(dist, levels = c(1, 2, 3, 4), labels = c(\"low\", \"low\", \"high\", \"high\"))", data = "d4"),
  list(id = "as.factor", formula = "y ~ as.factor(k) + x", data = "d1"),
  list(id = "ordered-cyl", formula = "mpg ~ ordered(cyl) + wt", data = "csv:mtcars"),
  list(id = "ordered-levels", formula = "breaks ~ ordered(tension, levels = c(\"L\", \"M\", \"H\"))", data = "csv:warpbreaks"),
  list(id = "ordered-quine", formula = "Days ~ ordered(Age) + Sex", data = "csv:quine"),
  list(id = "ordered-esoph", formula = "cbind(ncases, ncontrols) ~ ordered(agegp) + ordered(alcgp)", data = "csv:esoph"),
  list(id = "0+ordered", formula = "y ~ 0 + ordered(a)", data = "d1"),
  list(id = "x:ordered", formula = "y ~ x:ordered(g, levels = c(\"lo\", \"mid\", \"hi\"))", data = "d4"),
  list(id = "columns-district", formula = "Claims ~ District + Age + offset(log(Holders))", data = "csv:Insurance",
       columns = list(District = list(type = "factor", levels = I(c("1", "2", "3", "4"))))),
  list(id = "columns-district-reversed", formula = "Claims ~ District + Group", data = "csv:Insurance",
       columns = list(District = list(type = "factor", levels = I(c("4", "3", "2", "1"))))),
  list(id = "columns-ordered", formula = "mpg ~ cyl + wt", data = "csv:mtcars", columns = list(cyl = list(type = "ordered"))),
  list(id = "columns-factor-default", formula = "y ~ dist * x", data = "d4", columns = list(dist = list(type = "factor"))),
  # Contrasts.
  list(id = "C-sum-d1", formula = "y ~ C(factor(a), sum) + x", data = "d1"),
  list(id = "C-contr.sum", formula = "breaks ~ C(tension, contr.sum) + wool", data = "csv:warpbreaks"),
  list(id = "C-string-helmert", formula = "breaks ~ C(tension, \"contr.helmert\") * wool", data = "csv:warpbreaks"),
  list(id = "C-treatment-base", formula = "breaks ~ wool + C(tension, contr.treatment(3, base = 2))", data = "csv:warpbreaks"),
  list(id = "C-treatment-name-vs-function", formula = "breaks ~ C(tension, treatment) + C(wool, contr.treatment)", data = "csv:warpbreaks"),
  list(id = "C-poly-SAS", formula = "Days ~ C(Age, poly) + C(Eth, SAS)", data = "csv:quine"),
  list(id = "C-poly-how.many", formula = "Days ~ C(Age, poly, 2) + Lrn", data = "csv:quine"),
  list(id = "C-poly-scores", formula = "Days ~ C(Age, contr.poly(4, scores = c(1, 2, 4, 8)))", data = "csv:quine"),
  list(id = "C-SAS-d1", formula = "y ~ C(factor(f), SAS)", data = "d1"),
  list(id = "C-dropped-levels", formula = "y ~ C(factor(a), sum) + x", data = "d2"),
  list(id = "contrasts-quine", formula = "Days ~ Eth * Sex + Age", data = "csv:quine",
       contrasts = list(Eth = "contr.sum", Sex = "contr.helmert", Age = "contr.SAS")),
  list(id = "contrasts-warpbreaks", formula = "breaks ~ wool * tension", data = "csv:warpbreaks",
       contrasts = list(tension = "contr.poly", wool = "contr.sum")),
  list(id = "contrasts-matrix", formula = "low ~ race + smoke", data = "csv:birthwt",
       contrasts = list(race = list(matrix = list(I(c(1, 0)), I(c(-1, 1)), I(c(0, -1)))))),
  list(id = "contrasts-matrix-named", formula = "low ~ race * age", data = "csv:birthwt",
       contrasts = list(race = list(matrix = list(I(c(-1, 1)), I(c(0, -2)), I(c(1, 1))), columnNames = I(c("BvW", "OvBW"))))),
  list(id = "contrasts-logical", formula = "y ~ lg + x", data = "d1", contrasts = list(lg = "contr.sum")),
  list(id = "contrasts-override-C", formula = "breaks ~ C(tension, contr.helmert)", data = "csv:warpbreaks",
       contrasts = list(`C(tension, contr.helmert)` = "contr.treatment")),
  list(id = "contrasts-factor-call", formula = "mpg ~ factor(cyl) + factor(gear)", data = "csv:mtcars",
       contrasts = list(`factor(cyl)` = "contr.sum")),
  list(id = "contrasts-ordered-to-treatment", formula = "Days ~ ordered(Age) + Eth", data = "csv:quine",
       contrasts = list(`ordered(Age)` = "contr.treatment")),
  list(id = "C-interaction", formula = "y ~ C(g, sum):x + u", data = "d4"),
  # Term algebra.
  list(id = "quine-(a+b+c)^2", formula = "Days ~ (Eth + Sex + Age)^2", data = "csv:quine"),
  list(id = "quine-nest", formula = "Days ~ Eth/Sex", data = "csv:quine"),
  list(id = "quine-in", formula = "Days ~ Sex %in% Eth", data = "csv:quine"),
  list(id = "quine-minus-3way", formula = "Days ~ Eth * Sex * Age - Eth:Sex:Age", data = "csv:quine"),
  list(id = "quine-minus-1", formula = "Days ~ Eth + Eth:Lrn - 1", data = "csv:quine"),
  list(id = "quine-plus-0-interaction", formula = "Days ~ Eth:Sex + 0", data = "csv:quine"),
  list(id = "quine-minus-interaction", formula = "Days ~ (Eth + Sex + Lrn)^3 - Sex:Lrn", data = "csv:quine"),
  list(id = "mtcars-dot-minus", formula = "mpg ~ . - model - qsec - drat - disp - carb", data = "csv:mtcars"),
  list(id = "birthwt-interaction-only", formula = "low ~ age + lwt + race:smoke", data = "csv:birthwt"),
  list(id = "warpbreaks-a:b", formula = "breaks ~ tension:wool", data = "csv:warpbreaks"),
  list(id = "trees-offset-first", formula = "log(Volume) ~ offset(2 * log(Girth)) + log(Height)", data = "csv:trees"),
  list(id = "insurance-offset-middle", formula = "Claims ~ Age + offset(log(Holders)) + Group", data = "csv:Insurance"),
  list(id = "mtcars-factor-by-numeric", formula = "mpg ~ wt:factor(am) + hp:factor(cyl)", data = "csv:mtcars"),
  list(id = "mtcars-numeric-nested", formula = "mpg ~ factor(cyl)/wt - 1", data = "csv:mtcars"),
  # Transforms with state.
  list(id = "poly-d1", formula = "y ~ poly(x, 2)", data = "d1"),
  list(id = "poly-cars", formula = "dist ~ poly(speed, 3)", data = "csv:cars"),
  list(id = "poly-raw", formula = "Volume ~ poly(Girth, 2, raw = TRUE) + Height", data = "csv:trees"),
  list(id = "poly-degree-named", formula = "Volume ~ poly(Girth, degree = 2) * Height", data = "csv:trees"),
  list(id = "poly-1", formula = "y ~ poly(u, 1) + x", data = "d4"),
  list(id = "poly:factor", formula = "y ~ poly(x, 2):a", data = "d1"),
  list(id = "ns-df", formula = "low ~ ns(age, df = 3) + lwt", data = "csv:birthwt"),
  list(id = "ns-knots", formula = "mpg ~ ns(hp, knots = c(100, 150, 200)) + wt", data = "csv:mtcars"),
  list(id = "ns-intercept", formula = "mpg ~ 0 + ns(wt, df = 4, intercept = TRUE)", data = "csv:mtcars"),
  list(id = "ns-boundary", formula = "mpg ~ ns(hp, df = 2, Boundary.knots = c(60, 300))", data = "csv:mtcars"),
  list(id = "ns-1", formula = "y ~ ns(x, df = 1)", data = "d4"),
  list(id = "ns-positional", formula = "y ~ ns(x, 5)", data = "d4"),
  list(id = "bs-default", formula = "dist ~ bs(speed)", data = "csv:cars"),
  list(id = "bs-df", formula = "dist ~ bs(speed, df = 5)", data = "csv:cars"),
  list(id = "bs-degree-knots", formula = "mpg ~ bs(hp, degree = 2, knots = c(120, 200))", data = "csv:mtcars"),
  list(id = "bs-intercept", formula = "mpg ~ 0 + bs(disp, df = 4, intercept = TRUE)", data = "csv:mtcars"),
  list(id = "bs-boundary", formula = "low ~ bs(lwt, Boundary.knots = c(80, 260)) + age", data = "csv:birthwt"),
  list(id = "bs-degree-1", formula = "y ~ bs(x, df = 4, degree = 1) + g", data = "d4"),
  list(id = "scale-d1", formula = "y ~ scale(x) + scale(z, center = FALSE)", data = "d1"),
  list(id = "scale-interaction", formula = "mpg ~ scale(hp) * factor(am)", data = "csv:mtcars"),
  list(id = "scale-given", formula = "mpg ~ scale(wt, center = 3, scale = 2)", data = "csv:mtcars"),
  list(id = "scale-no-scale", formula = "y ~ scale(u, scale = FALSE) + I(scale(x)^2)", data = "d4"),
  list(id = "na-ns", formula = "y ~ ns(x, df = 3) + a", data = "d2"),
  list(id = "na-scale", formula = "y ~ scale(z) + x", data = "d2"),
  list(id = "na-bs-weights", formula = "y ~ bs(z, df = 4)", data = "d2", weights = "w"),
  list(id = "transforms-together", formula = "cnt ~ ns(x, df = 3) + poly(u, 2) + relevel(g, ref = \"mid\") + scale(y)", data = "d4"),
  list(id = "math-keeps-working", formula = "log(Volume) ~ log(Girth) + I(Height^2) + sqrt(Height) + exp(I(Girth/10))", data = "csv:trees")
)

lang_predictions <- list(
  list(id = "poly-d1", formula = "y ~ poly(x, 2)", data = "d1", newdata = "nd"),
  list(id = "poly-cars", formula = "dist ~ poly(speed, 3)", data = "csv:cars", newdata = "nd_cars"),
  list(id = "poly-raw", formula = "Volume ~ poly(Girth, 2, raw = TRUE) + Height", data = "csv:trees", newdata = "nd_trees"),
  list(id = "poly-interaction", formula = "Volume ~ poly(Girth, degree = 2) * Height", data = "csv:trees", newdata = "nd_trees"),
  list(id = "ns-df", formula = "low ~ ns(age, df = 3) + lwt", data = "csv:birthwt", newdata = "nd_birthwt"),
  list(id = "ns-knots", formula = "mpg ~ ns(hp, knots = c(100, 150, 200)) + wt", data = "csv:mtcars", newdata = "nd_mtcars"),
  list(id = "ns-intercept", formula = "mpg ~ 0 + ns(wt, df = 4, intercept = TRUE)", data = "csv:mtcars", newdata = "nd_mtcars"),
  list(id = "ns-boundary", formula = "mpg ~ ns(hp, df = 2, Boundary.knots = c(60, 300))", data = "csv:mtcars", newdata = "nd_mtcars"),
  list(id = "bs-df", formula = "dist ~ bs(speed, df = 5)", data = "csv:cars", newdata = "nd_cars"),
  list(id = "bs-degree-knots", formula = "mpg ~ bs(hp, degree = 2, knots = c(120, 200))", data = "csv:mtcars", newdata = "nd_mtcars"),
  list(id = "bs-intercept", formula = "mpg ~ 0 + bs(disp, df = 4, intercept = TRUE)", data = "csv:mtcars", newdata = "nd_mtcars"),
  list(id = "bs-degree-1", formula = "y ~ bs(x, df = 4, degree = 1) + g", data = "d4", newdata = "nd4"),
  list(id = "scale-d1", formula = "y ~ scale(x) + scale(z, center = FALSE)", data = "d1", newdata = "nd"),
  list(id = "scale-interaction", formula = "mpg ~ scale(hp) * factor(am)", data = "csv:mtcars", newdata = "nd_mtcars"),
  list(id = "scale-no-scale", formula = "y ~ scale(u, scale = FALSE) + I(scale(x)^2)", data = "d4", newdata = "nd4"),
  list(id = "transforms-together", formula = "cnt ~ ns(x, df = 3) + poly(u, 2) + relevel(g, ref = \"mid\") + x:ok", data = "d4", newdata = "nd4"),
  list(id = "relevel-ordered-C", formula = "y ~ relevel(g, ref = \"mid\") + ordered(g, levels = c(\"lo\", \"mid\", \"hi\")):x + C(factor(dist), sum)", data = "d4", newdata = "nd4"),
  list(id = "contrasts-option", formula = "breaks ~ wool * tension", data = "csv:warpbreaks", newdata = "nd_warpbreaks",
       contrasts = list(tension = "contr.poly", wool = "contr.sum")),
  list(id = "columns-option", formula = "y ~ dist + x", data = "d4", newdata = "nd4", columns = list(dist = list(type = "factor", levels = I(c("2", "1", "3", "4")))))
)

glm_predictions <- list(
  list(id = "gaussian-ns", formula = "mpg ~ ns(hp, df = 3) + wt", data = "csv:mtcars", family = "gaussian", newdata = "nd_mtcars"),
  list(id = "gaussian-poly", formula = "Volume ~ poly(Girth, 2) + Height", data = "csv:trees", family = "gaussian", newdata = "nd_trees"),
  list(id = "poisson-bs", formula = "dist ~ bs(speed, df = 5)", data = "csv:cars", family = "poisson", newdata = "nd_cars"),
  list(id = "binomial-ns-relevel", formula = "low ~ ns(age, df = 3) + relevel(race, ref = \"white\") + smoke", data = "csv:birthwt", family = "binomial", newdata = "nd_birthwt"),
  list(id = "gaussian-scale", formula = "mpg ~ scale(hp) * factor(am) + scale(wt)", data = "csv:mtcars", family = "gaussian", newdata = "nd_mtcars"),
  list(id = "poisson-C-ordered", formula = "breaks ~ C(wool, sum) * ordered(tension, levels = c(\"L\", \"M\", \"H\"))", data = "csv:warpbreaks", family = "poisson", newdata = "nd_warpbreaks"),
  list(id = "gaussian-bs-boundary", formula = "low ~ bs(lwt, Boundary.knots = c(80, 260)) + age", data = "csv:birthwt", family = "gaussian", newdata = "nd_birthwt")
)

# Natural-spline bases of random x (for the span comparison in the tests).
set.seed(20261124)
ns_spans <- lapply(1:6, function(k) {
  n <- 15 + 7 * k
  x <- round(if (k %% 2) rnorm(n, 0, 2) else rexp(n, 0.5), 4)
  df <- 2 + (k %% 4)
  B <- ns(x, df = df)
  list(x = num(x), df = df, basis = rows_of(unclass(B)[, , drop = FALSE]), knots = num(attr(B, "knots")))
})

out$languageDatasets <- lapply(more_datasets, function(d) lapply(d, function(col) if (is.numeric(col)) ifelse(is.na(col), NA, col) else as.character(col)))
out$languageCases <- lapply(lang_cases, run_lang_case)
out$languagePredictions <- lapply(lang_predictions, run_lang_prediction)
out$glmPredictions <- lapply(glm_predictions, run_glm_prediction)
out$nsSpans <- ns_spans

jsonlite::write_json(out, "test/reference/formula.json", digits = NA, auto_unbox = TRUE, null = "null", na = "null", pretty = FALSE)
cat("wrote test/reference/formula.json:", length(out$cases), "model frames,", length(out$predictions), "predictions,",
    length(out$labels), "term-label formulas;", length(out$languageCases), "formula-language frames,",
    length(out$languagePredictions), "new-data matrices,", length(out$glmPredictions), "glm predictions\n")

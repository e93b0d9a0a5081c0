# Reference fixtures for test/formula.test.ts and test/data.test.ts:
# R's terms(), model.frame() (as glm() calls it: drop.unused.levels = TRUE,
# na.action = na.omit) and model.matrix() for a set of formulas, model
# matrices for new data, and the en_US.UTF-8 ordering of tricky level names.
#
# Run from the repository root:  Rscript test/reference/formula.R
# Writes test/reference/formula.json. Doubles are written as "%.17g" strings
# (jsonlite caps numbers at 15 significant digits), so they read back exactly.
#
# R 4.2, jsonlite. No randomness.

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

jsonlite::write_json(out, "test/reference/formula.json", digits = NA, auto_unbox = TRUE, null = "null", na = "null", pretty = FALSE)
cat("wrote test/reference/formula.json:", length(out$cases), "model frames,", length(out$predictions), "predictions,",
    length(out$labels), "term-label formulas\n")

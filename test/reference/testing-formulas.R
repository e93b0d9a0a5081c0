# Column names of R's model.matrix for the formulas glmkit/testing's formulaSpec
# writes (src/testing/front-end.ts), rendered here by an independent R version of
# its rules: main effects from a, f, b, g, log(c), I(a^2) in that order; the
# interactions a:b, a:f, f:g, b:g, a:g (in that order) whose two main effects are
# present; the first interaction written u*v when u and v are adjacent main
# effects; "- 1" for no intercept (dropped when there is no main effect).
# Cases: every subset of the main effects x {no interactions, all of them} x
# {intercept, none}, with the u*v form on. No numbers are involved, only names.
#
# Run from the repository root: Rscript test/reference/testing-formulas.R
# Output: test/reference/testing-formulas.json
suppressPackageStartupMessages(library(jsonlite))

vars <- c("a", "f", "b", "g", "log(c)", "I(a^2)")
pairs <- list(c(1, 3), c(1, 2), c(2, 4), c(3, 4), c(1, 4)) # 1-based: a:b, a:f, f:g, b:g, a:g
d <- data.frame(
  y = c(0.1, -1.2, 0.3, 2.1, -0.4, 0.8, 1.5, -0.7, 0.2, 1.1, -2.0, 0.6),
  a = c(1, -0.5, 2, 0, 1.5, -1, 0.5, -2, 1, 0, -0.5, 2.5),
  b = c(-1, 0.5, 1, 2, -1.5, 0, 0.5, 1, -2, 1.5, 0, -0.5),
  c = c(1, 2.5, 0.5, 3, 4, 1.5, 2, 5, 0.5, 1, 3.5, 2),
  f = factor(c("A", "B", "C", "A", "B", "C", "A", "A", "B", "C", "C", "B")),
  g = factor(c("p", "q", "p", "q", "q", "p", "p", "q", "p", "q", "p", "q"))
)

render <- function(mains, with_pairs, no_intercept) {
  inter <- Filter(function(pr) all(pr %in% mains), if (with_pairs) pairs else list())
  pieces <- vars[mains]
  inter_pieces <- vapply(inter, function(pr) paste0(vars[pr[1]], ":", vars[pr[2]]), "")
  if (length(inter) > 0) {
    u <- vars[inter[[1]][1]]; v <- vars[inter[[1]][2]]
    iu <- match(u, pieces)
    if (!is.na(iu) && iu < length(pieces) && pieces[iu + 1] == v) {
      pieces <- c(pieces[seq_len(iu - 1)], paste0(u, "*", v), pieces[-seq_len(iu + 1)])
      inter_pieces <- inter_pieces[-1]
    }
  }
  rhs <- c(pieces, inter_pieces)
  intercept <- !no_intercept || length(mains) == 0
  paste0("y ~ ", if (length(rhs) == 0) "1" else paste(rhs, collapse = " + "), if (intercept) "" else " - 1")
}

cases <- list()
for (mask in 0:63) {
  mains <- which(bitwAnd(mask, 2^(0:5)) > 0)
  for (with_pairs in c(FALSE, TRUE)) for (no_intercept in c(FALSE, TRUE)) {
    formula <- render(mains, with_pairs, no_intercept)
    cols <- colnames(model.matrix(as.formula(formula), d))
    cases[[length(cases) + 1]] <- list(
      mains = I(mains - 1), pairs = with_pairs, noIntercept = no_intercept,
      formula = formula, columns = I(cols)
    )
  }
}
write_json(list(R = R.version.string, cases = cases), "test/reference/testing-formulas.json", auto_unbox = TRUE, pretty = FALSE)
cat(length(cases), "cases\n")

# Helpers shared by the reference scripts: full-precision JSON and data loading.
# jsonlite 1.8.4 writes at most 15 significant digits even with digits = NA, so
# numbers go out as the shortest of %.15g / %.16g / %.17g that reads back exactly.
# Sourced from the repository root: source("test/reference/common.R").

# ±Inf is an error unless options(reference.allow_infinite = TRUE): then it is written
# as the JSON strings "Inf" / "-Inf" (unbounded interval ends).
format_double <- function(x) {
  allow_infinite <- isTRUE(getOption("reference.allow_infinite"))
  vapply(x, function(v) {
    if (is.na(v)) return(NA_character_)
    if (allow_infinite && v == Inf) return("\"Inf\"")
    if (allow_infinite && v == -Inf) return("\"-Inf\"")
    if (!is.finite(v)) stop("non-finite number ", v, " cannot be written")
    for (digits in 15:17) {
      s <- sprintf("%.*g", digits, v)
      if (as.numeric(s) == v) return(s)
    }
    stop("no round-trip representation for ", sprintf("%a", v))
  }, character(1), USE.NAMES = FALSE)
}

to_verbatim <- function(x) {
  if (is.list(x) && !is.data.frame(x)) {
    out <- lapply(x, to_verbatim)
    if (!is.null(names(x))) names(out) <- names(x)
    return(out)
  }
  if (is.double(x) || is.integer(x)) {
    s <- ifelse(is.na(x), "null", if (is.integer(x)) as.character(x) else format_double(x))
    json <- if (inherits(x, "AsIs") || length(x) != 1) paste0("[", paste(s, collapse = ","), "]") else s
    return(structure(json, class = "json"))
  }
  x
}

write_reference <- function(x, path) {
  txt <- toJSON(to_verbatim(x), auto_unbox = TRUE, null = "null", na = "null",
                json_verbatim = TRUE, pretty = TRUE)
  writeLines(txt, path)
  stopifnot(is.list(fromJSON(path, simplifyVector = FALSE)))
}


as_array <- function(x) I(unname(as.numeric(x)))   # I(): a JSON array even of length 1
read_data <- function(name) read.csv(file.path("data", paste0(name, ".csv")), stringsAsFactors = TRUE)

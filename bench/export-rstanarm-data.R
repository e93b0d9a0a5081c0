# Writes the rstanarm data sets of the nuts-real benchmark to data/*.csv (run from the
# repository root: Rscript bench/export-rstanarm-data.R). Numbers in the shortest form
# that reads back to the same double (checked), as test/reference/glm.R writes its data.
suppressPackageStartupMessages(library(rstanarm))
shortest <- function(x) {
  vapply(x, function(v) {
    for (d in 15:17) { s <- formatC(v, digits = d, format = "g"); if (as.numeric(s) == v) return(trimws(s)) }
    stop("no round trip")
  }, "")
}
write_data <- function(d, file) {
  out <- as.data.frame(lapply(d, function(col) if (is.numeric(col)) shortest(col) else as.character(col)), stringsAsFactors = FALSE)
  write.csv(out, file, row.names = FALSE, quote = FALSE)
  back <- read.csv(file)
  for (k in names(d)) if (is.numeric(d[[k]]) && !isTRUE(all(back[[k]] == d[[k]]))) stop(file, ": column ", k, " does not round-trip")
  cat(file, nrow(d), "rows\n")
}
data(wells, package = "rstanarm"); data(roaches, package = "rstanarm"); data(kidiq, package = "rstanarm")
wells$dist100 <- wells$dist / 100  # as in Gelman, Hill & Vehtari (2020), ROS ch. 13
write_data(wells, "data/wells.csv")
roaches$roach100 <- roaches$roach1 / 100  # as in rstanarm's count-models vignette and ROS ch. 15 (with raw roach1, stan_glm's
# generated quantities overflow: "gamma_rng: Inverse scale parameter is inf")
write_data(roaches, "data/roaches.csv")
write_data(kidiq, "data/kidiq.csv")
cat("rstanarm", as.character(packageVersion("rstanarm")), "\n")

# R side of bench/multilevel-ml.ts: times lme4's lmer/glmer on the fixtures of test/reference/glmer.json.
# Arguments: path of a JSON array of { name, data, formula, family, link, REML, nb_theta } and the number
# of repetitions. Prints one JSON line: { name: { default: seconds, tight: seconds } } (medians), for
# lme4's default control and for the fixtures' tight control.
suppressPackageStartupMessages({ library(lme4); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
specs <- fromJSON(args[1], simplifyVector = FALSE)
reps <- as.integer(args[2])
fam <- function(s) {
  if (startsWith(s$family, "Negative Binomial")) return(MASS::negative.binomial(theta = s$nb_theta))
  get(s$family)(link = s$link)
}
out <- list()
for (s in specs) {
  d <- read.csv(file.path("data", paste0(s$data, ".csv")), stringsAsFactors = TRUE)
  f <- as.formula(s$formula)
  lmm <- s$family == "gaussian" && s$link == "identity"
  w <- if (!is.null(s$weights)) 1 + d$Days / 10 else NULL
  d$.w <- w
  run <- function(tight) {
    if (lmm) {
      ctl <- if (tight) lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-11, maxfun = 1e5)) else lmerControl()
      if (is.null(w)) lmer(f, d, REML = s$REML, control = ctl) else lmer(f, d, REML = s$REML, control = ctl, weights = .w)
    } else {
      ctl <- if (tight) glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-11, maxfun = 1e5), tolPwrss = 1e-11) else glmerControl()
      glmer(f, d, family = fam(s), control = ctl)
    }
  }
  time <- function(tight) median(vapply(seq_len(reps), function(i) system.time(suppressWarnings(suppressMessages(run(tight))))[["elapsed"]], 1))
  out[[s$name]] <- list(default = time(FALSE), tight = time(TRUE))
}
cat(toJSON(out, auto_unbox = TRUE, digits = NA), "\n")

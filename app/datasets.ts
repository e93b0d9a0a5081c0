// The bundled data sets (data/*.csv, inlined as text by the app build): usable offline.
import birthwt from "../data/birthwt.csv";
import endometrial from "../data/endometrial.csv";
import mtcars from "../data/mtcars.csv";
import quine from "../data/quine.csv";
import budworm from "../data/budworm.csv";

export interface Dataset { name: string; csv: string; formula: string; family: string; note: string }

export const DATASETS: Dataset[] = [
  { name: "birthwt", csv: birthwt, formula: "low ~ age + lwt + race + smoke + ptl + ht + ui", family: "binomial", note: "MASS::birthwt, low birth weight (189 births)" },
  { name: "endometrial", csv: endometrial, formula: "HG ~ NV + PI + EH", family: "binomial", note: "Heinze & Schemper (2002): NV separates HG (quasi-complete)" },
  { name: "mtcars", csv: mtcars, formula: "mpg ~ wt + hp", family: "gaussian", note: "Motor Trend cars (32)" },
  { name: "quine", csv: quine, formula: "Days ~ Eth + Sex + Age + Lrn", family: "poisson", note: "MASS::quine, days absent from school" },
  { name: "budworm", csv: budworm, formula: "cbind(numdead, numalive) ~ sex + ldose", family: "binomial", note: "Collett (1991), tobacco budworm dose response" },
];

/**
 * Separation in the endometrial cancer data (Heinze & Schemper 2002): every
 * patient with neovasculization (NV = 1) has a high histology grade (HG = 1), so
 * the maximum-likelihood estimate of the NV coefficient is +∞. R's glm() stops
 * after 17 iterations at NV ≈ 18.2 with a standard error of ≈ 1716; the number is
 * an artefact of the stopping rule. Firth's bias reduction (brglm2's AS_mean,
 * which for the logit link is also the Jeffreys-prior MAP) gives finite,
 * usable estimates.
 *
 * Run from the repository root, after `npm run build` (with "examples/**\/*.ts"
 * in tsconfig's include):
 *   node dist/examples/separation.js
 * or import `separationTable` / `formatSeparationTable` (vitest imports the .ts
 * directly; test/fit/firth.test.ts checks the numbers against R).
 *
 * The third column is the posterior mode under weakly informative Student-t
 * priors (rstanarm-style student_t(3, 0, 2.5) on the slopes, student_t(3, 0, 10)
 * on the intercept): finite too, pulled a little further towards 0 than Firth.
 */
import { pathToFileURL } from "node:url";
import { glm } from "../models/glm.js";
import { readCsv } from "../src/data/index.js";
import { fitBiasReduced, biasReductionLabel } from "../src/fit/firth.js";

/** One fitted method: estimates and standard errors in column order. */
export interface SeparationColumn {
  label: string;
  estimate: number[];
  se: number[];
  notes: string[];
}

export interface SeparationTable {
  names: string[];
  columns: SeparationColumn[];
}

/** Fits HG ~ NV + PI + EH (binomial, logit) by ML and by Firth's method. */
export function separationTable(path = "data/endometrial.csv"): SeparationTable {
  const model = glm({ formula: "HG ~ NV + PI + EH", data: readCsv(path), family: "binomial" });

  // Maximum likelihood, R's glm():
  //                Estimate  Std. Error
  //   (Intercept)  4.3045178  1.6372990
  //   NV          18.1855558  1715.7510   <- heading for +Inf
  //   PI          -0.0421834  0.0443320
  //   EH          -2.9026056  0.8455516
  const ml = model.fit();

  // Firth / mean bias reduction, brglm2 0.9:
  //   glm(HG ~ NV + PI + EH, binomial, d, method = "brglmFit", type = "AS_mean")
  //                Estimate  Std. Error
  //   (Intercept)  3.7745597  1.4886917
  //   NV           2.9292734  1.5507637
  //   PI          -0.0347518  0.0395781
  //   EH          -2.6041639  0.7760176
  // The convenience call is on the declared model's data; the kernel takes the
  // resolved problem (design, response, weights, family) directly.
  const firth = fitBiasReduced(model.resolved.problem, { type: "AS_mean" });

  // MAP under student_t(3, 0, 2.5) slopes and student_t(3, 0, 10) intercept; the exact
  // mode from R's optim (BFGS, reltol 1e-15) + Newton polish (test/reference/map.R):
  //                Estimate  Std. Error
  //   (Intercept)  3.8095907  1.4543595
  //   NV           3.0303026  1.5420081
  //   PI          -0.0319067  0.0395287
  //   EH          -2.6588742  0.7615138
  const weak = glm({
    formula: "HG ~ NV + PI + EH",
    data: readCsv(path),
    family: "binomial",
    priors: { coefficients: "student_t(3, 0, 2.5)", intercept: "student_t(3, 0, 10)" },
  }).map();

  const column = (label: string, rows: { estimate: number | null; se: number | null }[], notes: string[]) => ({
    label,
    estimate: rows.map((r) => r.estimate ?? Number.NaN),
    se: rows.map((r) => r.se ?? Number.NaN),
    notes,
  });
  return {
    names: model.columnNames,
    columns: [
      column("ML (glm)", ml.coefficients, ml.warnings),
      column("Firth (AS_mean)", firth.coefficients, [biasReductionLabel(firth), ...firth.warnings]),
      column("MAP, Student-t priors", weak.coefficients, weak.warnings),
    ],
  };
}

/** The table as text: one row per coefficient, "estimate (SE)" per method. */
export function formatSeparationTable(table: SeparationTable): string {
  const cell = (e: number, s: number) => `${e.toFixed(4)} (${s < 1000 ? s.toFixed(4) : s.toExponential(3)})`;
  const width = 26;
  const lines = [
    "".padEnd(13) + table.columns.map((c) => c.label.padStart(width)).join(""),
    ...table.names.map((name, j) => name.padEnd(13) + table.columns.map((c) => cell(c.estimate[j]!, c.se[j]!).padStart(width)).join("")),
    "",
  ];
  for (const c of table.columns) for (const note of c.notes) lines.push(`${c.label}: ${note}`);
  return lines.join("\n");
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatSeparationTable(separationTable()));
}

/**
 * `npm run bench -- [NAME] [--n N] [--p P] [--reps R]`: runs the named benchmark (logistic, nuts, nuts-real, nuts-gradient, profile, kernels, irls-rows, startup, multinomial, duckdb, multilevel, multilevel-ml, firth, jeffreys, negbin)
 * (default: all; duckdb only when named). Speed targets live here, never in unit tests. nuts-real takes
 * `--only birthwt,wells`, `--reparameterize laplace,qr,center,none`, `--metric diag|dense`, `--no-r`, `--short-warmup N`, `--variants default,stan:1000,nutpie:300`.
 */
import { parseArgs } from "node:util";
import { runLogisticBench } from "./logistic-irls.js";
import { runNutsBench } from "./nuts-logistic.js";
import { runNutsRealBench } from "./nuts-real.js";
import { runNutsGradientBench } from "./nuts-gradient.js";
import type { Reparameterization } from "../src/likelihood/linear-reparameterization.js";
import { runProfileBench } from "./profile-budget.js";
import { runDuckdbBench } from "./duckdb.js";
import { runMultilevelBench } from "./multilevel.js";
import { runKernelBench } from "./kernels.js";
import { runIrlsRowsBench, runNegbinFitBench } from "./irls-rows.js";
import { runStartupBench } from "./startup.js";
import { runMultinomialBench } from "./multinomial.js";
import { runMultilevelBench as runMultilevelMlBench } from "./multilevel-ml.js";
import { runFirthBench, runJeffreysBench } from "./firth.js";

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: {
    n: { type: "string" }, p: { type: "string" }, reps: { type: "string" }, seed: { type: "string" },
    only: { type: "string" }, reparameterize: { type: "string" }, metric: { type: "string" }, "no-r": { type: "boolean" },
    warmup: { type: "string" }, draws: { type: "string" }, "short-warmup": { type: "string" }, variants: { type: "string" },
    "r-max-n": { type: "string" },
  },
});
const which = positionals[0] ?? "all";
if (which === "all" || which === "logistic") {
  runLogisticBench({
    n: Number(values.n ?? 1_000_000),
    p: Number(values.p ?? 20),
    reps: Number(values.reps ?? 5),
    seed: Number(values.seed ?? 20261124),
  });
}
if (which === "all" || which === "nuts") {
  await runNutsBench({
    n: Number(values.n ?? 10_000),
    p: Number(values.p ?? 20),
    seed: Number(values.seed ?? 20261124),
  });
}
if (which === "all" || which === "nuts-real") {
  await runNutsRealBench({
    ...(values.only ? { only: values.only.split(",") } : {}),
    ...(values.reparameterize ? { reparameterize: values.reparameterize.split(",") as Reparameterization[] } : {}),
    ...(values.metric ? { metric: values.metric as "diag" | "dense" } : {}),
    ...(values.warmup ? { warmup: Number(values.warmup) } : {}),
    ...(values.draws ? { draws: Number(values.draws) } : {}),
    ...(values.seed ? { seed: Number(values.seed) } : {}),
    ...(values["short-warmup"] ? { shortWarmup: Number(values["short-warmup"]) } : {}),
    ...(values.variants ? { variants: values.variants.split(",") } : {}),
    compareR: !values["no-r"],
  });
}
if (which === "all" || which === "nuts-gradient") {
  runNutsGradientBench({
    n: Number(values.n ?? 10_000),
    p: Number(values.p ?? 20),
    seed: Number(values.seed ?? 20261124),
  });
}
if (which === "all" || which === "profile") {
  runProfileBench({
    n: Number(values.n ?? 2000),
    p: Number(values.p ?? 300),
    seed: Number(values.seed ?? 20261124),
  });
}
if (which === "multilevel") {
  // Not part of "all" (4 stan_glmer runs): `npm run bench -- multilevel [--only sleepstudy,cbpp] [--no-r]`.
  runMultilevelBench({
    ...(values.only ? { only: values.only.split(",") } : {}),
    ...(values.warmup ? { warmup: Number(values.warmup) } : {}),
    ...(values.draws ? { draws: Number(values.draws) } : {}),
    ...(values.seed ? { seed: Number(values.seed) } : {}),
    compareR: !values["no-r"],
  });
}
if (which === "all" || which === "kernels") {
  runKernelBench({ n: Number(values.n ?? 10_000), p: Number(values.p ?? 20), seed: Number(values.seed ?? 20261124) });
}
if (which === "all" || which === "irls-rows") {
  runIrlsRowsBench({ n: Number(values.n ?? 1_000_000) });
}
if (which === "all" || which === "startup") {
  runStartupBench({ reps: Number(values.reps ?? 7) });
}
if (which === "all" || which === "multinomial") {
  runMultinomialBench({
    n: Number(values.n ?? 100_000),
    p: Number(values.p ?? 10),
    reps: Number(values.reps ?? 1),
    seed: Number(values.seed ?? 20261124),
  });
}
if (which === "multilevel-ml") {
  // lmer/glmer (ML) against lme4: `npm run bench -- multilevel-ml [--reps 5] [--no-r]`.
  runMultilevelMlBench({ reps: Number(values.reps ?? 5), compareR: !values["no-r"] });
}
if (which === "all" || which === "firth") {
  runFirthBench({ n: Number(values.n ?? 100_000), p: Number(values.p ?? 20), reps: Number(values.reps ?? 3), seed: Number(values.seed ?? 20261124) });
}
if (which === "negbin") {
  // glm.nb at n = 10⁶ with and without the negative binomial's row kernels, against MASS::glm.nb.
  runNegbinFitBench({ n: Number(values.n ?? 1_000_000), p: Number(values.p ?? 10), reps: Number(values.reps ?? 2), seed: Number(values.seed ?? 20261207) });
}
if (which === "jeffreys") {
  // MAP with the Jeffreys prior and a penalised profile, SIMD and plain, against brglm2's MPL_Jeffreys.
  runJeffreysBench({ n: Number(values.n ?? 100_000), p: Number(values.p ?? 20), reps: Number(values.reps ?? 3), seed: Number(values.seed ?? 20261124) });
}
if (which === "duckdb") {
  // Not part of "all": it writes up to several GB of Parquet and CSV to the temporary folder.
  await runDuckdbBench({
    ns: (values.n ?? "1000000,10000000").split(",").map(Number),
    p: Number(values.p ?? 20),
    ...(values["r-max-n"] ? { rMaxN: Number(values["r-max-n"]) } : {}),
  });
}

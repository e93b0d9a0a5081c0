/**
 * Renders every plot kind for the birthwt logistic model and the endometrial
 * (separated) model, and the continuous-data plots of a gaussian kidiq model, to
 * docs/plots/*.png, the pictures docs/plots.md shows.
 * Run after `npm run build`: node dist/scripts/plot-gallery.js [OUT_DIR]
 */
import { glm } from "../models/glm.js";
import { compareIntervals } from "../models/intervals.js";
import { readCsv } from "../src/data/index.js";
import { writePlot } from "../models/plots-node.js";

async function main(): Promise<void> {
  const out = process.argv[2] ?? "docs/plots";
  const written: string[] = [];
  const keep = (w: { path: string }[]) => written.push(...w.map((x) => x.path));

  const birthwt = glm({ formula: "low ~ age + lwt + race + smoke + ptl + ht + ui", data: readCsv("data/birthwt.csv"), family: "binomial" });
  const bFit = birthwt.fit();
  const bPost = await birthwt.sample({ chains: 4, warmup: 300, draws: 500, seed: 1 });
  const bCmp = compareIntervals(birthwt, { methods: ["wald", "profile", "laplace", "posterior"], posterior: bPost });
  keep(await writePlot(`${out}/birthwt`, "forest", bCmp, ["png"], { title: "birthwt: 95% intervals by method", scale: 1.5 }));
  keep(await writePlot(`${out}/birthwt`, "trace", bPost, ["png"], { parameters: ["(Intercept)", "age", "lwt", "smoke"] , scale: 1.5 }));
  keep(await writePlot(`${out}/birthwt`, "rank", bPost, ["png"], { parameters: ["(Intercept)", "age", "lwt", "smoke"] , scale: 1.5 }));
  keep(await writePlot(`${out}/birthwt`, "density", bPost, ["png"], { scale: 1.5 }));
  keep(await writePlot(`${out}/birthwt`, "ppc", bPost, ["png"], { seed: 1 , scale: 1.5 }));
  keep(await writePlot(`${out}/birthwt`, "residuals", bFit, ["png"], { seed: 1 , scale: 1.5 }));
  keep(await writePlot(`${out}/birthwt`, "qq", bFit, ["png"], { seed: 1 , scale: 1.5 }));
  keep(await writePlot(`${out}/birthwt`, "calibration", bFit, ["png"], { scale: 1.5 }));

  const endo = glm({
    formula: "HG ~ NV + PI + EH", data: readCsv("data/endometrial.csv"), family: "binomial",
    priors: { coefficients: "student_t(3, 0, 2.5)", intercept: "student_t(3, 0, 10)" },
  });
  const eFit = endo.fit();
  const ePost = await endo.sample({ chains: 4, warmup: 300, draws: 500, seed: 1 });
  const eCmp = compareIntervals(endo, { methods: ["wald", "profile", "firth-wald", "firth-profile", "laplace", "posterior"], posterior: ePost });
  keep(await writePlot(`${out}/endometrial`, "forest", eCmp, ["png"], { title: "endometrial: 95% intervals (NV separated)", scale: 1.5 }));
  keep(await writePlot(`${out}/endometrial`, "trace", ePost, ["png"], { scale: 1.5 }));
  keep(await writePlot(`${out}/endometrial`, "rank", ePost, ["png"], { scale: 1.5 }));
  keep(await writePlot(`${out}/endometrial`, "density", ePost, ["png"], { scale: 1.5 }));
  keep(await writePlot(`${out}/endometrial`, "ppc", ePost, ["png"], { seed: 1 , scale: 1.5 }));
  keep(await writePlot(`${out}/endometrial`, "residuals", eFit, ["png"], { seed: 1 , scale: 1.5 }));
  keep(await writePlot(`${out}/endometrial`, "qq", eFit, ["png"], { seed: 1 , scale: 1.5 }));
  keep(await writePlot(`${out}/endometrial`, "calibration", eFit, ["png"], { g: 5 , scale: 1.5 }));

  const kidiq = glm({ formula: "kid_score ~ mom_hs + mom_iq", data: readCsv("data/kidiq.csv"), family: "gaussian" });
  const kPost = await kidiq.sample({ chains: 4, warmup: 300, draws: 500, seed: 1 });
  keep(await writePlot(`${out}/kidiq`, "ppc", kPost, ["png"], { seed: 1, scale: 1.5 }));
  keep(await writePlot(`${out}/kidiq`, "density", kPost, ["png"], { scale: 1.5 }));
  keep(await writePlot(`${out}/kidiq`, "qq", kidiq.fit(), ["png"], { scale: 1.5 }));
  process.stdout.write(written.join("\n") + "\n");
}

await main();

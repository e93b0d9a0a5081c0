/**
 * Structure of the rendered SVGs: one mark per coefficient and method in the forest plot,
 * arrowheads exactly where ends are unbounded (filled) or beyond the plotted range (open),
 * axes, titles and legends; a line per parameter and chain in trace plots, a bar per
 * parameter, chain and bin in rank plots, prior curves where priors are proper; the number
 * of points in residual, Q–Q and calibration plots; deterministic output.
 */
import { describe, expect, it } from "vitest";
import { glm } from "../../models/glm.js";
import { compareIntervals } from "../../models/intervals.js";
import { plotSpec, plotSvg, PLOT_KINDS } from "../../models/plots.js";
import { readCsv } from "../../src/data/index.js";
import { ArgumentError } from "../../src/errors.js";
import { normal } from "../../src/priors/index.js";
import { standardNormalStream } from "../../src/util/rng.js";
import { shortNumbers } from "../../src/plots/densities.js";
import { readSvg } from "./svg.js";

const endo = glm({ formula: "HG ~ NV + PI + EH", data: readCsv("data/endometrial.csv"), family: "binomial" });
const birthwt = glm({ formula: "low ~ age + lwt + race + smoke + ptl + ht + ui", data: readCsv("data/birthwt.csv"), family: "binomial" });

/** Chains of independent N(j, 1) draws for parameters a, b, c (seeded). */
function fakeDraws(chains: number, draws: number, seed = 5) {
  const z = standardNormalStream(seed);
  const names = ["a", "b", "c"];
  return { names, draws: Array.from({ length: chains }, () => Float64Array.from({ length: draws * 3 }, (_, k) => (k % 3) + z())) };
}

describe("forest", () => {
  const cmp = compareIntervals(endo, { methods: ["wald", "profile", "firth-profile"] });

  it("one mark per coefficient and method, arrows at unbounded and clipped ends", async () => {
    const doc = readSvg(await plotSvg("forest", cmp));
    expect(doc.marks("interval")).toBe(4 * 3);
    expect(doc.marks("estimate")).toBe(4 * 3);
    const inf = cmp.rows.filter((r) => r.upper === Infinity).length;
    const infLow = cmp.rows.filter((r) => r.lower === -Infinity).length;
    expect(inf).toBe(1); // the profile interval of NV
    expect(doc.marks("arrow_upper")).toBe(inf);
    expect(doc.marks("arrow_lower")).toBe(infLow);
    expect(doc.marks("clip_upper") + doc.marks("clip_lower")).toBe(2); // the ML Wald interval of NV, ±3000
    expect(doc.axes().some((a) => a.includes("X-axis titled '95% interval'"))).toBe(true);
    expect(doc.axes().some((a) => a.includes("Y-axis titled 'coefficient'") && a.includes("(Intercept), NV, PI, EH"))).toBe(true);
    expect(doc.legends()[0]).toContain("Wald, profile, penalized profile");
    expect(doc.titles().join(" ")).toContain("Intervals by method");
    expect(doc.titles().join(" ")).toContain("filled arrowheads: unbounded end");
  });

  it("no arrows for bounded intervals; xlim clips", async () => {
    const rows = [
      { name: "x", method: "wald", lower: -1, upper: 1, estimate: 0 },
      { name: "z", method: "wald", lower: 0.5, upper: 3, estimate: 1.5 },
    ];
    const doc = readSvg(await plotSvg("forest", { level: 0.9, rows }));
    for (const m of ["arrow_upper", "arrow_lower", "clip_upper", "clip_lower"]) expect(doc.marks(m)).toBe(0);
    expect(doc.axes().some((a) => a.includes("90% interval"))).toBe(true);
    const clipped = readSvg(await plotSvg("forest", { rows }, { xlim: [-0.5, 2] }));
    expect(clipped.marks("clip_lower")).toBe(1);
    expect(clipped.marks("clip_upper")).toBe(1);
  });

  it("reads the CLI's intervals JSON (\"Infinity\" strings) and interval sets", async () => {
    const json = JSON.parse(JSON.stringify({ profile: cmp.sets[1]!.rows.map(({ name, lower, upper }) => ({ name, lower: Number.isFinite(lower) ? lower : String(lower), upper: Number.isFinite(upper) ? upper : String(upper) })) }));
    const doc = readSvg(await plotSvg("forest", json));
    expect(doc.marks("interval")).toBe(4);
    expect(doc.marks("arrow_upper")).toBe(1);
    expect(doc.marks("estimate")).toBe(0);
    expect(readSvg(await plotSvg("forest", cmp.sets)).marks("interval")).toBe(12);
    const aliased = { wald: [{ name: "x", lower: -1, upper: 1 }, { name: "x2", lower: null, upper: null }] };
    expect(readSvg(await plotSvg("forest", aliased as never)).marks("interval")).toBe(1);
  });

  it("is deterministic and pure", async () => {
    const a = plotSpec("forest", cmp);
    expect(JSON.stringify(plotSpec("forest", cmp))).toBe(JSON.stringify(a));
    expect(JSON.parse(JSON.stringify(a))).toEqual(a); // plain JSON: no Infinity, NaN or functions
    expect(await plotSvg("forest", cmp)).toBe(await plotSvg("forest", cmp));
  });

  it("measures text by vega's estimate during a render and restores vega's setting after", async () => {
    const vega = (await import("vega")) as unknown as { textMetrics: { width: unknown; estimateWidth: unknown } };
    const mine = () => 0;
    vega.textMetrics.width = mine;
    const spec = plotSpec("forest", cmp);
    const renders = [plotSvg("forest", cmp), plotSvg("qq", { residuals: [0.1, -0.2, 0.3] })];
    const [svg] = await Promise.all(renders);
    expect(vega.textMetrics.width).toBe(mine);
    vega.textMetrics.width = vega.textMetrics.estimateWidth;
    expect(svg).toBe(await plotSvg("forest", cmp)); // the same SVG whatever vega was set to
    expect(JSON.stringify(spec)).toBe(JSON.stringify(plotSpec("forest", cmp)));
  });
});

describe("posterior plots", () => {
  const post = fakeDraws(3, 60);

  it("trace: a line per parameter and chain, one panel per parameter", async () => {
    const doc = readSvg(await plotSvg("trace", post));
    expect(doc.legends()[0]).toContain("chain");
    expect(doc.texts().filter((t) => t === "iteration").length).toBeGreaterThanOrEqual(1);
    expect(plotSpec("trace", post, { parameters: ["b"] })).toMatchObject({ data: { values: expect.any(Array) } });
    const spec = plotSpec("trace", post) as { data: { values: unknown[] } };
    expect(spec.data.values.length).toBe(3 * 3 * 60);
    const svg = await plotSvg("trace", post);
    expect((svg.match(/aria-roledescription="line mark"/g) ?? []).length).toBe(3 * 3);
  });

  it("rank: a bar per parameter, chain and bin; counts add up", async () => {
    const doc = readSvg(await plotSvg("rank", post, { bins: 10 }));
    expect(doc.marks("bars")).toBe(3 * 3 * 10);
    const spec = plotSpec("rank", post, { bins: 10 }) as { data: { values: { parameter: string; chain: string; count: number }[] } };
    for (const c of ["1", "2", "3"]) expect(spec.data.values.filter((v) => v.parameter === "a" && v.chain === c).reduce((s, v) => s + v.count, 0)).toBe(60);
  });

  it("density: a posterior curve per parameter, a prior curve where the prior is proper", async () => {
    const svg = await plotSvg("density", { ...post, priors: { a: normal(0, 2.5), b: null } });
    expect((svg.match(/aria-roledescription="line mark"/g) ?? []).length).toBe(3 + 1);
    expect(readSvg(svg).texts()).toContain("a ~ normal(0, 2.5)");
    expect(shortNumbers("normal(0, 0.47181580602197765)")).toBe("normal(0, 0.472)"); // autoscaled scales in panel titles
    const spec = plotSpec("density", post) as { data: { values: { parameter: string; x: number; density: number }[] } };
    const a = spec.data.values.filter((v) => v.parameter === "a");
    let area = 0;
    for (let k = 1; k < a.length; k++) area += ((a[k]!.density + a[k - 1]!.density) / 2) * (a[k]!.x - a[k - 1]!.x);
    expect(area).toBeGreaterThan(0.99); // the grid spans the draws ± 3 bandwidths
    expect(area).toBeLessThan(1.01);
  });

  it("ppc: density overlay for continuous data, bars for few counts", async () => {
    const z = standardNormalStream(9);
    const y = Float64Array.from({ length: 40 }, () => z());
    const rep = { draws: 30, n: 40, values: Float64Array.from({ length: 1200 }, () => z()) };
    const svg = await plotSvg("ppc", { y, yRep: rep }, { draws: 20 });
    expect((svg.match(/aria-roledescription="line mark"/g) ?? []).length).toBe(20 + 1);
    const counts = { y: Float64Array.from({ length: 40 }, (_, i) => i % 3), yRep: { draws: 30, n: 40, values: Float64Array.from({ length: 1200 }, (_, k) => (k * 7) % 4) } };
    const doc = readSvg(await plotSvg("ppc", counts));
    expect(doc.marks("observed")).toBe(4); // values 0…3 seen in y or y_rep
    expect(doc.marks("replicated")).toBe(4);
  });

  it("needs draws: trace of an ML fit is an ArgumentError", () => {
    expect(() => plotSpec("trace", birthwt.fit() as never)).toThrow(ArgumentError);
    expect(() => plotSpec("rank", post, { parameters: ["nope"] })).toThrow(/unknown parameter "nope"/);
    expect(() => plotSpec("qq", post as never)).toThrow(/plot "qq" needs a maximum-likelihood fit/);
    expect(() => plotSpec("calibration", post as never)).toThrow(ArgumentError);
  });
});

describe("fit checks", () => {
  const fit = birthwt.fit();

  it("residuals and Q–Q: one point per observation, axes named", async () => {
    const r = readSvg(await plotSvg("residuals", fit));
    expect(r.marks("points")).toBe(189);
    expect(r.axes().some((a) => a.includes("randomized quantile residual"))).toBe(true);
    expect(r.axes().some((a) => a.includes("linear predictor"))).toBe(true);
    const q = readSvg(await plotSvg("qq", fit, { residualType: "deviance" }));
    expect(q.marks("points")).toBe(189);
    expect(q.axes().some((a) => a.includes("deviance residual"))).toBe(true);
    expect(q.titles().join(" ")).toContain("Normal Q–Q plot");
    expect(await plotSvg("qq", fit, { seed: 2 })).not.toBe(await plotSvg("qq", fit, { seed: 3 }));
  });

  it("calibration: one point per non-empty bin, the diagonal", async () => {
    const doc = readSvg(await plotSvg("calibration", fit));
    expect(doc.marks("bins")).toBe(10);
    expect(doc.marks("band")).toBe(10);
    expect(doc.titles().join(" ")).toContain("Hosmer–Lemeshow");
    const pois = glm({ formula: "counts ~ factor(outcome)", data: readCsv("data/dobson.csv"), family: "poisson" }).fit();
    expect(() => plotSpec("calibration", pois)).toThrow(/binomial/);
  });
});

describe("bad input", () => {
  it("unknown kinds and options are ArgumentErrors", () => {
    expect(() => plotSpec("pie" as never, {} as never)).toThrow(ArgumentError);
    expect(PLOT_KINDS).toEqual(["forest", "trace", "rank", "density", "ppc", "residuals", "qq", "calibration"]);
    expect(() => plotSpec("forest", { rows: [{ name: "x", method: "wald", lower: 2, upper: 1 }] })).toThrow(/lower 2 > upper 1/);
    expect(() => plotSpec("forest", { rows: [{ name: "x", method: "wald", lower: Number.NaN, upper: 1 }] })).toThrow(ArgumentError);
    expect(() => plotSpec("rank", fakeDraws(2, 10), { bins: 1 })).toThrow(ArgumentError);
    const bad = fakeDraws(2, 10);
    bad.draws[1]![4] = Number.NaN;
    expect(() => plotSpec("trace", bad)).toThrow(/chain 2: draw 2 of b is NaN/);
  });
});

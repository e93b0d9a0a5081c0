/**
 * End-to-end: the static web app (scripts/build-app.mjs → a temporary folder) driven in
 * headless Chromium. birthwt's logistic ML fit against test/reference/glm.json (R's glm),
 * with exactly one interval mark per coefficient and interval method in the forest plot
 * (the library's Vega-Lite SVG, read as test/plots/svg.ts does: the items of
 * `g.interval_marks`, whose aria-labels name coefficient and method) and its residual,
 * Q–Q and calibration plots; endometrial's Firth fit against test/reference/firth.json
 * (brglm2 AS_mean) and its ML separation verdict, the unbounded ends drawn as arrowheads;
 * a short NUTS run: trace and rank plots with one series per chain in every parameter's
 * panel, density and ppc plots, and chains on Web Workers giving the same draws, bit for
 * bit, as the sequential run; a quasipoisson fit's residual plots (deviance residuals);
 * offline after the first load (service worker); a bad
 * formula shown in the CLI's words. With GLMKIT_SCREENSHOTS=DIR it also saves
 * screenshots there (docs/screenshots).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchChromium, serveStatic } from "../browser-support/harness.js";
import { glm } from "../../models/index.js";
import { readCsv } from "../../src/data/csv.js";

const ROOT = join(import.meta.dirname, "..", "..");
const SHOTS = process.env.GLMKIT_SCREENSHOTS;
type Coef = { name: string; estimate: number; se: number };
const glmRef = JSON.parse(readFileSync(join(ROOT, "test/reference/glm.json"), "utf8")) as { id: string; result: { coefficients: Coef[] } }[];
const firthRef = JSON.parse(readFileSync(join(ROOT, "test/reference/firth.json"), "utf8")) as { cases: { id: string; results: { AS_mean: { coefficients: Coef[] } } }[] };

let out: string;
let server: { url: string; close: () => Promise<void> };
let browser: Browser;
let page: Page;

function relClose(actual: number, expected: number, tol = 1e-6): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}

/** The rows of a results table: name, then the full-precision values of the numeric cells. */
async function tableRows(id: string): Promise<{ name: string; cells: (number | string)[] }[]> {
  return page.$$eval(`#${id} tbody tr`, (trs) => trs.map((tr) => ({
    name: tr.querySelector("th")!.textContent ?? "",
    cells: [...tr.querySelectorAll("td")].map((td) => (td.dataset.value !== undefined ? Number(td.dataset.value) : td.textContent ?? "")),
  })));
}

/** The aria-label fields ("key: value; key: value") of the items of a Vega-Lite layer's marks (`g.NAME_marks`) in a plot. */
async function markLabels(selector: string, layer: string): Promise<Record<string, string>[]> {
  return page.$$eval(`${selector} g.${layer}_marks > *`, (els) => els.map((el) => Object.fromEntries((el.getAttribute("aria-label") ?? "").split("; ").map((kv) => {
    const at = kv.indexOf(": ");
    return [kv.slice(0, at), kv.slice(at + 2)];
  }))));
}

/** The kinds of plot drawn in a container, in order; fails on a plot that reports an error. */
async function plotKinds(container: string): Promise<string[]> {
  expect(await page.$$eval(`#${container} .plot-error`, (e) => e.map((x) => x.textContent))).toEqual([]);
  return page.$$eval(`#${container} figure.plot`, (fs) => fs.map((f) => `${f.getAttribute("data-kind")}${f.querySelector("svg") ? "" : " (no svg)"}`));
}

async function setUp(options: { dataset?: string; formula?: string; method: string; intervals?: string[] }): Promise<void> {
  if (options.dataset) await page.selectOption("#dataset", options.dataset);
  if (options.formula !== undefined) await page.fill("#formula", options.formula);
  await page.selectOption("#method", options.method);
  for (const box of await page.$$("input[name=iv]")) {
    const v = await box.getAttribute("value");
    await box.setChecked((options.intervals ?? []).includes(v ?? ""));
  }
}

/** Presses Fit (by keyboard: focus the button, Enter) and waits for the result or the error. */
async function fit(): Promise<void> {
  const before = Number((await page.getAttribute("body", "data-fitted")) ?? 0);
  const errorsBefore = await page.isVisible("#error");
  await page.focus("#fit");
  await page.keyboard.press("Enter");
  await page.waitForFunction(([n]) => Number(document.body.dataset.fitted ?? 0) > n || !document.getElementById("error")!.hidden, [before], { timeout: 30_000 });
  expect(errorsBefore).toBe(false);
}

async function shot(name: string, selector = "body"): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await (await page.$(selector))!.screenshot({ path: join(SHOTS, `${name}.png`) });
}

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "glmkit-app-"));
  execFileSync(process.execPath, [join(ROOT, "scripts/build-app.mjs")], { env: { ...process.env, GLMKIT_APP_OUT: out }, stdio: "pipe" });
  server = await serveStatic(out);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.waitForSelector("body[data-ready=true]");
  expect(errors).toEqual([]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

describe("the web app in Chromium", () => {
  it("birthwt: the logistic ML fit equals R's glm, no separation, one forest mark per coefficient and method", async () => {
    await setUp({ dataset: "birthwt", method: "mle", intervals: ["wald", "profile"] });
    await fit();
    const ref = glmRef.find((c) => c.id === "birthwt_logit")!.result.coefficients;
    const rows = await tableRows("coef-table");
    expect(rows.map((r) => r.name)).toEqual(ref.map((c) => c.name));
    rows.forEach((r, k) => {
      relClose(r.cells[0] as number, ref[k]!.estimate);
      relClose(r.cells[1] as number, ref[k]!.se);
    });
    expect(await page.textContent("#separation")).toMatch(/none \(checked by linear programming\)/);
    const expected = ref.flatMap((c) => ["Wald", "profile"].map((m) => `${c.name}|${m}`)).sort();
    const marks = (await markLabels("#forest", "interval")).map((l) => `${l.coefficient}|${l.method}`);
    expect(marks.sort()).toEqual(expected);
    expect((await markLabels("#forest", "estimate")).map((l) => `${l.coefficient}|${l.method}`).sort()).toEqual(expected);
    expect(await page.$$eval("#forest g.arrow_upper_marks, #forest g.arrow_lower_marks", (g) => g.length)).toBe(0);
    expect(await page.textContent("#summary")).toMatch(/Coefficients/);
    expect(await plotKinds("fit-checks")).toEqual(["residuals", "qq", "calibration"]);
    expect(await page.isVisible("#checks-block")).toBe(true);
    expect(await markLabels('#fit-checks [data-kind="residuals"]', "points")).toHaveLength(189);
    expect(await markLabels('#fit-checks [data-kind="qq"]', "points")).toHaveLength(189);
    await shot("app-birthwt-mle");
    await shot("forest-birthwt", "#forest");
    await shot("plots-birthwt-checks", "#checks-block");
  });

  it("endometrial: the Firth fit equals brglm2; the ML fit reports the separation of NV", async () => {
    await setUp({ dataset: "endometrial", method: "firth", intervals: ["wald", "profile"] });
    await fit();
    const ref = firthRef.cases.find((c) => c.id === "endometrial_logit")!.results.AS_mean.coefficients;
    const rows = await tableRows("coef-table");
    expect(rows.map((r) => r.name)).toEqual(ref.map((c) => c.name));
    rows.forEach((r, k) => {
      relClose(r.cells[0] as number, ref[k]!.estimate);
      relClose(r.cells[1] as number, ref[k]!.se);
    });
    const firthMarks = (await markLabels("#forest", "interval")).map((l) => `${l.coefficient}|${l.method}`);
    expect(firthMarks.sort()).toEqual(ref.flatMap((c) => ["penalized Wald", "penalized profile"].map((m) => `${c.name}|${m}`)).sort());
    expect(await plotKinds("fit-checks")).toEqual([]); // no ML fit: no residual plots
    await shot("app-endometrial-firth");
    await setUp({ method: "mle", intervals: ["wald", "profile"] });
    await fit();
    expect(await page.textContent("#separation")).toMatch(/detected; infinite maximum-likelihood estimates: NV → \+Inf/);
    // Unbounded ends (the table's ±Infinity) are drawn as arrowheads, one per end, on the right rows.
    const ivRows = await tableRows("interval-table");
    const upInf = ivRows.filter((r) => r.cells[3] === Infinity).map((r) => r.name).sort();
    const lowInf = ivRows.filter((r) => r.cells[2] === -Infinity).map((r) => r.name).sort();
    expect(upInf).toContain("NV");
    expect((await markLabels("#forest", "arrow_upper")).map((l) => l.coefficient).sort()).toEqual(upInf);
    expect((await markLabels("#forest", "arrow_lower")).map((l) => l.coefficient).sort()).toEqual(lowInf);
    expect(await markLabels("#forest", "interval")).toHaveLength(ref.length * 2);
    // NV's ML Wald interval (±3000 around a meaningless estimate) is left out of the x range: both ends clipped, open arrowheads.
    const clipped = [...await markLabels("#forest", "clip_lower"), ...await markLabels("#forest", "clip_upper")].map((l) => `${l.coefficient}|${l.method}`);
    expect(clipped).toEqual(["NV|Wald", "NV|Wald"]);
    await shot("forest-endometrial-mle", "#forest");
  });

  it("NUTS: live progress, the posterior table and trace/rank plots; Web Worker chains equal the sequential run", async () => {
    await setUp({ dataset: "birthwt", method: "nuts", intervals: ["posterior"] });
    for (const [id, v] of [["chains", "2"], ["warmup", "150"], ["draws", "150"], ["seed", "7"]]) await page.fill(`#${id}`, v!);
    await page.setChecked("#parallel", true);
    await fit();
    const parallel = await tableRows("posterior-table");
    const names = glmRef.find((c) => c.id === "birthwt_logit")!.result.coefficients.map((c) => c.name);
    expect(parallel.map((r) => r.name)).toEqual(names);
    expect(Number(await page.getAttribute("body", "data-progress-events"))).toBeGreaterThan(0);
    expect(await plotKinds("trace-rank")).toEqual(["trace", "rank"]);
    expect(await plotKinds("posterior-checks")).toEqual(["density", "ppc"]);
    // Trace: one panel per parameter, in each one line per chain, of 150 draws.
    const panels = await page.$$eval('[data-kind="trace"] g.child_pathgroup', (gs) => gs.map((g) => [...g.querySelectorAll("g.child_marks > path")].map((p) => ({
      chain: /chain: (\d+)/.exec(p.getAttribute("aria-label") ?? "")?.[1], points: (p.getAttribute("d") ?? "").split("L").length,
    }))));
    expect(panels).toHaveLength(names.length);
    for (const lines of panels) expect(lines).toEqual([{ chain: "1", points: 150 }, { chain: "2", points: 150 }]);
    // Rank: a panel per parameter and chain, each the 20 bins of one chain; the bins' counts add up to the draws.
    const rankPanels = await page.$$eval('[data-kind="rank"] g.bars_marks', (gs) => gs.map((g) => [...g.children].map((p) => /chain: (\d+)/.exec(p.getAttribute("aria-label") ?? "")?.[1] + "|" + /count: (\d+)/.exec(p.getAttribute("aria-label") ?? "")?.[1])));
    expect(rankPanels).toHaveLength(2 * names.length);
    const perChain = new Map<string, number>();
    for (const bars of rankPanels) {
      expect(bars).toHaveLength(20);
      const chains = new Set(bars.map((b) => b.split("|")[0]));
      expect(chains.size).toBe(1);
      const c = [...chains][0]!;
      perChain.set(c, (perChain.get(c) ?? 0) + bars.reduce((s, b) => s + Number(b.split("|")[1]), 0));
    }
    expect(Object.fromEntries(perChain)).toEqual({ 1: 150 * names.length, 2: 150 * names.length });
    expect(await plotKinds("fit-checks")).toEqual([]);
    await shot("app-birthwt-nuts");
    await shot("plots-birthwt-nuts", "#posterior-block");
    await page.setChecked("#parallel", false);
    await fit();
    expect(await tableRows("posterior-table")).toEqual(parallel);
  });

  it("quine, quasipoisson: residual and Q–Q plots of deviance residuals (quantile residuals are not defined)", async () => {
    await setUp({ dataset: "quine", method: "mle" });
    await page.selectOption("#family", "quasipoisson");
    await fit();
    expect(await plotKinds("fit-checks")).toEqual(["residuals", "qq"]);
    const axes = await page.$$eval("#fit-checks svg g[aria-roledescription=axis]", (gs) => gs.map((g) => g.getAttribute("aria-label") ?? ""));
    expect(axes.filter((a) => a.includes("'deviance residual'"))).toHaveLength(2);
    expect(await markLabels('#fit-checks [data-kind="residuals"]', "points")).toHaveLength(146);
  });

  it("works offline once loaded (service worker)", async () => {
    const context = await browser.newContext();
    const p = await context.newPage();
    await p.goto(server.url);
    await p.waitForSelector("body[data-ready=true]");
    await p.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await context.setOffline(true);
    await p.reload();
    await p.waitForSelector("body[data-ready=true]");
    await p.selectOption("#method", "mle");
    await p.click("#fit");
    await p.waitForSelector("body[data-fitted='1']", { timeout: 30_000 });
    const names = await p.$$eval("#coef-table tbody th", (ths) => ths.map((t) => t.textContent));
    expect(names).toEqual(glmRef.find((c) => c.id === "birthwt_logit")!.result.coefficients.map((c) => c.name));
    expect(await p.textContent("#separation")).toMatch(/checked by linear programming/);
    await context.close();
  });

  it("a bad formula: the CLI's message", async () => {
    await setUp({ dataset: "birthwt", formula: "low ~ age + weight", method: "mle" });
    await page.focus("#fit");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#error:not([hidden])");
    let expected = "";
    try {
      glm({ formula: "low ~ age + weight", data: readCsv(join(ROOT, "data/birthwt.csv")), family: "binomial" }).fit();
    } catch (e) {
      expected = `glmkit: ${(e as Error).name}: ${(e as Error).message.replace(/\s*\n\s*/g, " ")}`;
    }
    expect(expected).toMatch(/weight/);
    expect(await page.textContent("#error")).toBe(expected);
    await shot("app-error", "#results");
  });
});

/**
 * The fitting worker: every computation of the app runs here, off the page's thread,
 * on data that never leave the machine. It answers FitRequest messages, and also
 * serves as the worker of each parallel NUTS chain ("glmkit-chain" messages, which
 * the library's Web Worker runner sends to fresh copies of this script). It also draws
 * the plots, with the library's plotting module (models/plots.ts: Vega-Lite, rendered
 * to SVG by headless vega), from the fit objects themselves; that module and vega are a
 * bundle of their own (app/plots.ts → plots.js), imported on the first plot only, so the
 * chain workers never load them.
 */
import * as g from "../models/index.js";
import type { FitRequest, FitResponse, IntervalRowOut, PlotKind, PlotOut, WorkerMessage } from "./protocol.js";

type PlotsModule = typeof import("./plots.js");
let plotsModule: Promise<PlotsModule> | null = null;

const scope = self as unknown as { postMessage(m: unknown, t?: Transferable[]): void; onmessage: ((e: MessageEvent) => void) | null; location: Location };
const post = (m: WorkerMessage, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

// Parallel chains: each on a fresh copy of this worker (nested dedicated workers). A
// message posted to a module worker before its script has run can be lost in Chromium
// (the fit or the chains then never start), so every copy of this script says when it
// is listening (READY, the last line) and its parent waits for that: the page (main.ts)
// and, for the chains, spawnChainWorker.
const READY = "glmkit-worker-ready";

function spawnChainWorker(): g.WorkerLike {
  const w = new Worker(scope.location.href, { type: "module" });
  const queue: [unknown, Transferable[]][] = [];
  let ready = false;
  let handler: ((event: { data: unknown }) => void) | null = null;
  w.onmessage = (event: MessageEvent) => {
    if (!ready && (event.data as { type?: string } | null)?.type === READY) {
      ready = true;
      for (const [m, t] of queue.splice(0)) w.postMessage(m, t);
      return;
    }
    handler?.(event);
  };
  return {
    postMessage: (m, t = []) => (ready ? w.postMessage(m, t) : void queue.push([m, t])),
    terminate: () => w.terminate(),
    get onmessage() { return handler; },
    set onmessage(f) { handler = f; },
    get onerror() { return w.onerror as g.WorkerLike["onerror"]; },
    set onerror(f) { w.onerror = f as Worker["onerror"]; },
  };
}
g.setChainRunner(g.webWorkerChainRunner(spawnChainWorker));

// HiGHS (the separation LP) loads on the first fit, not in the chain workers.
let solverReady: Promise<void> | null = null;

/** The CLI's wording of an error (bin/main.ts): "glmkit: NAME: message". */
function cliMessage(err: unknown): string {
  const e = err as Error;
  const oneLine = (s: string) => s.replace(/\s*\n\s*/g, " ");
  if (err instanceof g.GlmkitError) return `glmkit: ${e.name}: ${oneLine(e.message)}`;
  return `glmkit: internal error: ${oneLine(e?.message ?? String(err))}`;
}

function priorsOf(r: FitRequest): g.PriorsSpec | undefined {
  if (r.prior === "" && r.priorIntercept === "") return undefined;
  return { ...(r.prior ? { coefficients: r.prior } : {}), ...(r.priorIntercept ? { intercept: r.priorIntercept } : {}) };
}

/** The contract's interval names mapped to the library's methods for this fit's basis (as the CLI does). */
function intervalMethods(r: FitRequest): g.IntervalMethod[] {
  const basis = r.method === "firth" ? "firth" : r.method === "map" || r.method === "laplace" ? "map" : "mle";
  const out: g.IntervalMethod[] = [];
  for (const m of r.intervals) {
    if (m === "posterior") { if (r.method === "nuts") out.push("posterior"); continue; }
    if (m === "laplace") { if (basis !== "firth") out.push("laplace"); continue; }
    if (m === "wald") out.push(basis === "firth" ? "firth-wald" : basis === "map" ? "map-wald" : "wald");
    if (m === "profile" && basis !== "map") out.push(basis === "firth" ? "firth-profile" : "profile");
  }
  return [...new Set(out)];
}

async function fit(r: FitRequest): Promise<FitResponse> {
  await (solverReady ??= g.loadLpSolver({ wasmUrl: new URL("./highs.wasm", scope.location.href) }));
  const t0 = performance.now();
  const data = g.parseCsv(r.csv);
  const model = g.glm({ formula: r.formula, data, family: r.family, ...(r.link ? { link: r.link } : {}), ...(priorsOf(r) ? { priors: priorsOf(r) } : {}) });
  let result: g.GlmFit | g.PenalizedFit | g.PosteriorFit;
  let posterior: g.PosteriorFit | null = null;
  if (r.method === "mle") result = model.fit();
  else if (r.method === "firth") result = model.firth();
  else if (r.method === "map") result = model.map();
  else if (r.method === "laplace") result = model.laplace();
  else {
    const { chains, warmup, draws, seed, parallel } = r.nuts;
    const total = chains * (warmup + draws);
    const done = new Map<number, number>();
    let last = 0;
    posterior = await model.sample({
      chains, warmup, draws, seed, ...(parallel ? { parallel: chains } : {}),
      onProgress: (p) => {
        done.set(p.chain, (p.phase === "warmup" ? 0 : warmup) + p.iteration);
        const now = performance.now();
        if (now - last < 50) return;
        last = now;
        const sum = [...done.values()].reduce((a, b) => a + b, 0);
        post({ type: "progress", fraction: Math.min(1, sum / total), text: `chain ${p.chain + 1}: ${p.phase} ${p.iteration}` });
      },
    });
    result = posterior;
  }
  const methods = intervalMethods(r);
  let intervals: IntervalRowOut[] = [];
  let intervalsText = "";
  let comparison: g.IntervalComparison | null = null;
  if (methods.length > 0) {
    const fits = result instanceof g.GlmFit ? { mle: result } : result instanceof g.PenalizedFit ? (r.method === "firth" ? { firth: result } : { map: result }) : {};
    comparison = g.compareIntervals(model, { methods, level: r.level, posterior, fits });
    intervals = comparison.rows.map((row) => ({ name: row.name, method: row.method, estimate: row.estimate, lower: row.lower, upper: row.upper }));
    intervalsText = g.formatComparison(comparison);
  }
  const json = result.toJSON() as unknown as Record<string, unknown>;
  const separation = (json.separation ?? null) as FitResponse["separation"];
  const seconds = (performance.now() - t0) / 1000;
  const plots = await drawPlots(comparison, result instanceof g.GlmFit ? result : null, posterior, Object.keys(separation?.infinite ?? {}));
  return { type: "result", summary: result.summary(), json, separation, intervals, intervalsText, plots, seconds };
}

/**
 * The forest plot's x range under separation: the ML Wald interval of a coefficient
 * whose estimate is infinite (e.g. ±3000 around a meaningless 20) would squash every
 * other interval to a dot, so its ends and estimate are left out of the range and drawn
 * clipped (open arrowheads; the table has the numbers). None without separation: the
 * plot module's own range then.
 */
function separatedXlim(cmp: g.IntervalComparison, separated: string[]): [number, number] | undefined {
  if (separated.length === 0) return undefined;
  const xs = [0];
  for (const row of cmp.rows) {
    const sep = separated.includes(row.name);
    if (sep && row.method === "wald") continue;
    if (!sep && Number.isFinite(row.estimate)) xs.push(row.estimate);
    for (const v of [row.lower, row.upper]) if (Number.isFinite(v)) xs.push(v);
  }
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return hi > lo ? [lo, hi] : undefined;
}

/**
 * The plots of a fit, from the objects the plotting module takes: the interval
 * comparison (forest); the sampled posterior (trace, rank, density with the priors,
 * posterior predictive check); the ML fit (residuals, Q–Q, and for binomial fits the
 * calibration plot). A plot that cannot be drawn is reported, not dropped.
 */
async function drawPlots(comparison: g.IntervalComparison | null, ml: g.GlmFit | null, posterior: g.PosteriorFit | null, separated: string[]): Promise<PlotOut[]> {
  const jobs: [PlotKind, (p: PlotsModule) => Promise<string>][] = [];
  if (comparison) {
    const xlim = separatedXlim(comparison, separated);
    jobs.push(["forest", (p) => p.plotSvg("forest", comparison, { title: "Intervals side by side", ...(xlim ? { xlim } : {}) })]);
  }
  // Sizes: two plots side by side in the results column (≈ 740 px).
  if (posterior) {
    jobs.push(["trace", (p) => p.plotSvg("trace", posterior, { width: 300, height: 60 })]);
    jobs.push(["rank", (p) => p.plotSvg("rank", posterior, { width: Math.max(60, Math.floor(360 / posterior.posterior.draws.length)), height: 60 })]);
    jobs.push(["density", (p) => p.plotSvg("density", posterior, { width: 150, height: 90 })]);
    jobs.push(["ppc", (p) => p.plotSvg("ppc", posterior, { width: 300, height: 180 })]);
  }
  if (ml) {
    // Quantile residuals where they are defined; deviance residuals (as R's plot.glm) for quasi and inverse Gaussian fits.
    const fam = ml.ml.problem.family.name;
    const residualType = ["binomial", "poisson", "gaussian", "Gamma"].includes(fam) || fam.startsWith("Negative Binomial") ? "quantile" : "deviance";
    jobs.push(["residuals", (p) => p.plotSvg("residuals", ml, { width: 270, height: 220, residualType })]);
    jobs.push(["qq", (p) => p.plotSvg("qq", ml, { width: 220, height: 220, residualType })]);
    if (ml.ml.problem.family.name === "binomial") jobs.push(["calibration", (p) => p.plotSvg("calibration", ml, { width: 220, height: 220 })]);
  }
  if (jobs.length === 0) return [];
  // A computed URL: the bundler leaves it alone, and plots.js stays its own file.
  const p = await (plotsModule ??= import(/* @vite-ignore */ new URL("./plots.js", scope.location.href).href) as Promise<PlotsModule>);
  const out: PlotOut[] = [];
  for (const [kind, draw] of jobs) {
    try {
      out.push({ kind, svg: await draw(p) });
    } catch (err) {
      const e = err as Error;
      out.push({ kind, error: err instanceof p.GlmkitError ? `glmkit: ${e.name}: ${e.message}` : cliMessage(err) });
    }
  }
  return out;
}

scope.onmessage = (event: MessageEvent) => {
  void (async () => {
    if (await g.serveChainTask(event.data, (m, t) => scope.postMessage(m, t))) return;
    const req = event.data as FitRequest;
    if (req?.type !== "fit") return;
    try {
      const res = await fit(req);
      post(res);
    } catch (err) {
      post({ type: "error", message: cliMessage(err) });
    }
  })();
};
scope.postMessage({ type: READY });

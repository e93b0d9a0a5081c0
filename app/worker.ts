/**
 * The fitting worker: every computation of the app runs here, off the page's thread,
 * on data that never leave the machine. It answers FitRequest messages, and also
 * serves as the worker of each parallel NUTS chain ("glmkit-chain" messages, which
 * the library's Web Worker runner sends to fresh copies of this script).
 */
import * as g from "../models/index.js";
import type { FitRequest, FitResponse, IntervalRowOut, WorkerMessage } from "./protocol.js";

const scope = self as unknown as { postMessage(m: unknown, t?: Transferable[]): void; onmessage: ((e: MessageEvent) => void) | null; location: Location };
const post = (m: WorkerMessage, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

// Parallel chains: each on a fresh copy of this worker (nested dedicated workers).
g.setChainRunner(g.webWorkerChainRunner(() => new Worker(scope.location.href, { type: "module" }) as unknown as g.WorkerLike));

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
  if (methods.length > 0) {
    const fits = result instanceof g.GlmFit ? { mle: result } : result instanceof g.PenalizedFit ? (r.method === "firth" ? { firth: result } : { map: result }) : {};
    const cmp = g.compareIntervals(model, { methods, level: r.level, posterior, fits });
    intervals = cmp.rows.map((row) => ({ name: row.name, method: row.method, estimate: row.estimate, lower: row.lower, upper: row.upper }));
    intervalsText = g.formatComparison(cmp);
  }
  const json = result.toJSON() as unknown as Record<string, unknown>;
  const separation = (json.separation ?? null) as FitResponse["separation"];
  let drawsOut: FitResponse["draws"] = null;
  if (posterior) {
    const p = posterior.posterior;
    const k = p.names.length;
    drawsOut = p.names.map((name, j) => ({ name, chains: p.draws.map((d) => Float64Array.from({ length: d.length / k }, (_, i) => d[i * k + j]!)) }));
  }
  return { type: "result", summary: result.summary(), json, separation, intervals, intervalsText, draws: drawsOut, seconds: (performance.now() - t0) / 1000 };
}

scope.onmessage = (event: MessageEvent) => {
  void (async () => {
    if (await g.serveChainTask(event.data, (m, t) => scope.postMessage(m, t))) return;
    const req = event.data as FitRequest;
    if (req?.type !== "fit") return;
    try {
      const res = await fit(req);
      post(res, (res.draws ?? []).flatMap((d) => d.chains.map((c) => c.buffer as ArrayBuffer)));
    } catch (err) {
      post({ type: "error", message: cliMessage(err) });
    }
  })();
};

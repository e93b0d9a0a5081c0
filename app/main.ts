/**
 * The page: reads the form, sends one FitRequest to the worker (app/worker.ts, where
 * glmkit runs), and renders what comes back: the R-like summary, the coefficient
 * table, the separation verdict, the intervals table and forest plot, for NUTS a live
 * progress bar, the posterior table, trace, rank, density-vs-prior and posterior
 * predictive plots, and for ML fits the residual, Q–Q and (binomial) calibration plots.
 * The plots are SVG drawn in the worker by the library's plotting module
 * (models/plots.ts); the page only places them. Errors are shown in the CLI's words.
 */
import { DATASETS } from "./datasets.js";
import type { FitRequest, FitResponse, Method, PlotKind, PlotOut, WorkerMessage } from "./protocol.js";

/** Where each kind of plot goes on the page. */
const PLOT_PLACE: Record<PlotKind, string> = {
  forest: "forest", trace: "trace-rank", rank: "trace-rank", density: "posterior-checks", ppc: "posterior-checks",
  residuals: "fit-checks", qq: "fit-checks", calibration: "fit-checks",
};
const PLOT_LABEL: Record<PlotKind, string> = {
  forest: "Forest plot of the intervals", trace: "Trace plots", rank: "Rank plots", density: "Posterior densities against the priors",
  ppc: "Posterior predictive check", residuals: "Residuals against the linear predictor", qq: "Normal Q–Q plot of the residuals", calibration: "Calibration plot",
};

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function placePlots(plots: PlotOut[]): void {
  for (const p of plots) {
    const body = "svg" in p ? p.svg : `<p class="plot-error" role="alert">${escapeHtml(p.error)}</p>`;
    $(PLOT_PLACE[p.kind]).insertAdjacentHTML("beforeend", `<figure class="plot" data-kind="${p.kind}" aria-label="${PLOT_LABEL[p.kind]}">${body}</figure>`);
  }
  $("checks-block").hidden = !plots.some((p) => PLOT_PLACE[p.kind] === "fit-checks");
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
let csv = "";
let busy = false;
/** The request waiting for the worker's ready message (see app/worker.ts). */
let workerReady = false;
let pending: FitRequest | null = null;

const fmt = (x: unknown, digits = 4): string => {
  if (typeof x === "string") return x;
  if (typeof x !== "number") return x === null || x === undefined ? "" : String(x);
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "NA" : x > 0 ? "Inf" : "-Inf";
  return Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : x.toFixed(digits);
};

function table(caption: string, columns: string[], rows: unknown[][], id: string): string {
  const head = columns.map((c) => `<th scope="col">${c}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((v, i) => (i === 0 ? `<th scope="row">${String(v)}</th>` : `<td${typeof v === "number" ? ` data-value="${String(v)}"` : ""}>${fmt(v)}</td>`)).join("")}</tr>`).join("");
  return `<table id="${id}"><caption>${caption}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function setData(text: string, label: string): void {
  csv = text;
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  $("data-info").textContent = `${label}: ${Math.max(0, lines.length - 1)} rows; columns ${lines[0] ?? ""}`;
}

function chooseDataset(name: string): void {
  const d = DATASETS.find((x) => x.name === name);
  if (!d) return;
  setData(d.csv, `${d.name} (${d.note})`);
  $<HTMLInputElement>("formula").value = d.formula;
  $<HTMLSelectElement>("family").value = d.family;
}

async function readFile(file: File): Promise<void> {
  setData(await file.text(), file.name);
  $<HTMLSelectElement>("dataset").value = "";
}

function request(): FitRequest {
  const num = (id: string) => Number($<HTMLInputElement>(id).value);
  const ivs = [...document.querySelectorAll<HTMLInputElement>("input[name=iv]:checked")].map((e) => e.value as FitRequest["intervals"][number]);
  return {
    type: "fit", csv,
    formula: $<HTMLInputElement>("formula").value,
    family: $<HTMLSelectElement>("family").value,
    link: $<HTMLSelectElement>("link").value,
    method: $<HTMLSelectElement>("method").value as Method,
    prior: $<HTMLInputElement>("prior").value.trim(),
    priorIntercept: $<HTMLInputElement>("prior-intercept").value.trim(),
    intervals: ivs, level: num("level"),
    nuts: { chains: num("chains"), warmup: num("warmup"), draws: num("draws"), seed: num("seed"), parallel: $<HTMLInputElement>("parallel").checked },
  };
}

function clearResults(): void {
  for (const id of ["summary", "coefficients", "intervals", "forest", "posterior", "trace-rank", "posterior-checks", "fit-checks"]) $(id).innerHTML = "";
  for (const id of ["error", "separation", "intervals-block", "posterior-block", "checks-block"]) $(id).hidden = true;
}

function render(r: FitResponse): void {
  $("summary").textContent = r.summary;
  const coefs = (r.json.coefficients ?? []) as { name: string; estimate: number; se: number; statistic?: number; p_value?: number }[];
  $("coefficients").innerHTML = table("Coefficients", ["", "Estimate", "Std. Error", "statistic", "p value"],
    coefs.map((c) => [c.name, c.estimate, c.se, c.statistic ?? "", c.p_value ?? ""]), "coef-table");
  const sep = r.separation;
  if (sep) {
    const el = $("separation");
    el.hidden = false;
    el.className = sep.detected ? "detected" : "";
    const inf = Object.entries(sep.infinite).map(([k, s]) => `${k} → ${s}`).join(", ");
    el.textContent = sep.detected
      ? `Separation: detected; infinite maximum-likelihood estimates: ${inf}${sep.checked ? "" : ` (not fully checked: ${sep.note ?? ""})`}`
      : sep.detected === false ? "Separation: none (checked by linear programming)" : `Separation: not known (${sep.note ?? "not checked"})`;
  }
  if (r.intervals.length > 0) {
    $("intervals-block").hidden = false;
    $("intervals").innerHTML = table("Intervals", ["", "method", "estimate", "lower", "upper"],
      r.intervals.map((i) => [i.name, i.method, i.estimate, i.lower, i.upper]), "interval-table");
  }
  if (r.json.posterior) {
    $("posterior-block").hidden = false;
    const post = r.json.posterior as { summary: Record<string, number | string>[]; divergences: number; chains: number; seconds: number };
    const cols = ["name", "mean", "sd", "median", "q5", "q95", "ess_bulk", "ess_tail", "rhat"];
    $("posterior").innerHTML = `<p>${post.chains} chains, ${post.divergences} divergences, ${post.seconds.toFixed(2)} s</p>`
      + table("Posterior summary", ["", ...cols.slice(1)], post.summary.map((s) => cols.map((c) => s[c])), "posterior-table");
  }
  placePlots(r.plots);
}

function fit(): void {
  if (busy) return;
  if (csv === "") {
    clearResults();
    $("error").hidden = false;
    $("error").textContent = "glmkit: no data: choose a bundled data set or load a CSV file";
    return;
  }
  busy = true;
  clearResults();
  $<HTMLButtonElement>("fit").disabled = true;
  const req = request();
  const bar = $<HTMLProgressElement>("progress");
  bar.hidden = req.method !== "nuts";
  bar.value = 0;
  $("progress-text").textContent = req.method === "nuts" ? "sampling…" : "fitting…";
  if (workerReady) worker.postMessage(req);
  else pending = req;
}

worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
  const m = event.data;
  if (m.type === "glmkit-worker-ready") {
    workerReady = true;
    if (pending) worker.postMessage(pending);
    pending = null;
    return;
  }
  if (m.type === "progress") {
    $<HTMLProgressElement>("progress").value = m.fraction;
    document.body.dataset.progressEvents = String(Number(document.body.dataset.progressEvents ?? 0) + 1);
    $("progress-text").textContent = `${Math.round(m.fraction * 100)}% (${m.text})`;
    return;
  }
  busy = false;
  $<HTMLButtonElement>("fit").disabled = false;
  $<HTMLProgressElement>("progress").hidden = true;
  if (m.type === "error") {
    $("progress-text").textContent = "";
    $("error").hidden = false;
    $("error").textContent = m.message;
    return;
  }
  $("progress-text").textContent = `done in ${m.seconds.toFixed(2)} s`;
  render(m);
  document.body.setAttribute("data-fitted", String(Number(document.body.getAttribute("data-fitted") ?? 0) + 1));
};

// Controls
const select = $<HTMLSelectElement>("dataset");
select.innerHTML = `<option value="">(your CSV file)</option>` + DATASETS.map((d) => `<option value="${d.name}">${d.name}</option>`).join("");
select.addEventListener("change", () => chooseDataset(select.value));
$<HTMLInputElement>("file").addEventListener("change", (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (f) void readFile(f);
});
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  const f = e.dataTransfer?.files?.[0];
  if (f) void readFile(f);
});
drop.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); $("file").click(); } });
const method = $<HTMLSelectElement>("method");
const syncNuts = () => { $("nuts-options").hidden = method.value !== "nuts"; };
method.addEventListener("change", syncNuts);
$("model").addEventListener("submit", (e) => { e.preventDefault(); fit(); });
select.value = "birthwt";
chooseDataset("birthwt");
syncNuts();

// Offline once loaded: a service worker caches the app's files (http(s) only).
if ("serviceWorker" in navigator && location.protocol.startsWith("http")) void navigator.serviceWorker.register("./sw.js").catch(() => undefined);
document.body.setAttribute("data-ready", "true");

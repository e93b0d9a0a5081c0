/**
 * Worker thread of the parallel IRLS engine: rebuilds the family from its spec,
 * then computes its block of rows on request (updateRows / weightRows) straight
 * into the shared buffers, writes its partial sums into a shared result array
 * and raises its flag. Started by irls-engine.ts.
 */
import { parentPort } from "node:worker_threads";
import { makeFamily } from "../families/index.js";
import type { Family, FamilyRecipe } from "../types.js";
import { fromView, signalJob, type SharedView as View } from "../util/worker-pool.js";
import { kernelsFromSpec, KernelArena, type WorkerKernelSpec } from "../linalg/kernels/index.js";
import type { WasmMemory } from "../linalg/kernels/wasm.js";
import { pearsonRows } from "./row-passes.js";
import { columnRanges } from "./design-scaling.js";
import { responseRowFlags } from "../families/shared.js";
import { nullDevianceRows, refreshRows, rowKernelsByCode, startRows, updateRows, weightRows, type RowBuffers } from "./irls-rows.js";

let bufs: RowBuffers | null = null;
let family: Family | null = null;
let start = 0;
let end = 0;
let control: Int32Array<ArrayBufferLike> = new Int32Array(1);
let result: Float64Array<ArrayBufferLike> = new Float64Array(0);

const signal = (state: 1 | 2): void => signalJob(control, state);

parentPort!.on("message", (m: { kind: string; [k: string]: unknown }) => {
  try {
    if (m.kind === "init") {
      const v = m as unknown as {
        X: View; y: View; w: View; offset: View | null; eta: View; mu: View; W: View; z: View; dmu: View | null; p: number;
        rowKernels: boolean; copyFrom: View | null; rowCode: number;
        start: number; end: number; control: SharedArrayBuffer; result: SharedArrayBuffer;
        spec: FamilyRecipe; kernels: WorkerKernelSpec;
      };
      const k = kernelsFromSpec(v.kernels);
      const f64 = (view: View) => k.adopt(view);
      family = makeFamily(v.spec.name, { link: v.spec.link, theta: v.spec.theta, power: v.spec.power });
      bufs = {
        k, X: k.X, p: v.p, y: f64(v.y), w: f64(v.w), offset: v.offset ? f64(v.offset) : null,
        eta: f64(v.eta), mu: f64(v.mu), W: f64(v.W), z: f64(v.z),
        dmu: v.dmu ? f64(v.dmu) : null, rows: v.rowKernels ? rowKernelsByCode(family, v.rowCode) : null,
      };
      start = v.start;
      end = v.end;
      // This block's rows of X into the kernels' memory, when the engine split the copy over the threads.
      if (v.copyFrom) k.X.set(fromView(v.copyFrom).subarray(start * v.p, end * v.p), start * v.p);
      control = new Int32Array(v.control);
      result = new Float64Array(v.result);
      signal(1);
    } else if (m.kind === "update" || m.kind === "refresh" || m.kind === "start") {
      const r = m.kind === "update" ? updateRows(bufs!, family!, m.beta as Float64Array, start, end)
        : m.kind === "start" ? startRows(bufs!, family!, start, end) : refreshRows(bufs!, family!, start, end);
      result[0] = r.deviance;
      result[1] = r.valid ? 1 : 0;
      signal(1);
    } else if (m.kind === "nullDeviance") {
      result[0] = nullDevianceRows(bufs!, family!, m.mu0 as number | "offset", start, end);
      result[1] = 1;
      signal(1);
    } else if (m.kind === "colranges") {
      // A pass outside a fit (parallel-passes.ts): this block's column ranges into result[8 .. 8 + 2p).
      const v = m as unknown as {
        X: View; p: number; start: number; end: number; control: SharedArrayBuffer; result: SharedArrayBuffer;
        wasm: { memory: WasmMemory; xOffset: number; loOffset: number; hiOffset: number } | null;
      };
      control = new Int32Array(v.control);
      result = new Float64Array(v.result);
      const rows = v.end - v.start;
      let r: { lo: Float64Array; hi: Float64Array };
      if (v.wasm !== null) {
        const a = KernelArena.attach(v.wasm.memory);
        r = { lo: a.view(v.wasm.loOffset, v.p), hi: a.view(v.wasm.hiOffset, v.p) };
        a.colranges(a.view(v.wasm.xOffset + v.start * v.p * 8, rows * v.p), rows, v.p, r.lo, r.hi);
      } else r = columnRanges(fromView(v.X).subarray(v.start * v.p, v.end * v.p), rows, v.p);
      result.set(r.lo, 8);
      result.set(r.hi, 8 + v.p);
      signal(1);
    } else if (m.kind === "responseCheck") {
      // A pass outside a fit (parallel-passes.ts): this block's response row flags into result[0].
      const v = m as unknown as { spec: FamilyRecipe; y: View; w: View; start: number; end: number; control: SharedArrayBuffer; result: SharedArrayBuffer };
      control = new Int32Array(v.control);
      result = new Float64Array(v.result);
      const fam = makeFamily(v.spec.name, { link: v.spec.link, theta: v.spec.theta, power: v.spec.power });
      result[0] = responseRowFlags(fam.checkY, fromView(v.y), fromView(v.w), v.start, v.end);
      signal(1);
    } else if (m.kind === "aic") {
      // The family's aicRows sums over this block into result[0 .. sums) (trials: R's binomial n, null for the weights).
      const ar = family!.aicRows!;
      const t = m.trials as View | null;
      const out = result.subarray(0, ar.sums);
      out.fill(0);
      ar.add(bufs!.y, t ? fromView(t) : bufs!.w, bufs!.mu, bufs!.w, m.c as number, start, end, out as Float64Array);
      signal(1);
    } else if (m.kind === "pearson") {
      result[0] = pearsonRows(bufs!, family!, start, end);
      result[1] = 1;
      signal(1);
    } else if (m.kind === "weights") {
      const p = bufs!.p;
      const A = result.subarray(8, 8 + p * p);
      const b = result.subarray(8 + p * p, 8 + p * p + p);
      const r = weightRows(bufs!, family!, start, end, A, b);
      result[2] = r.nGood;
      result[3] = r.nanVariance ? 1 : 0;
      result[4] = r.nanMuEta ? 1 : 0;
      result[5] = r.zeroVariance ? 1 : 0;
      signal(1);
    }
  } catch {
    signal(2);
  }
});

/**
 * Micro-benchmark of the IRLS row work (src/fit/irls-rows.ts) per 10⁶ rows, for
 * binomial-logit and poisson-log: the update (μ, deviance, validity from η) and the
 * weights (W, z, with a one-column XᵀWX), by the generic loop through the family
 * record, the family's TypeScript row kernel (src/families/row-kernels.ts) and its
 * wasm SIMD version (assembly/irls-rows.ts); with the floor of the update, one
 * f64x2 exp and one log pass (assembly/math.ts) over the same rows; for binomial-logit also the
 * blocked binary kernel (src/families/logit-binary-rows.ts, assembly/logit-blocked.ts). No R: there is
 * no R counterpart of these loops alone (`npm run bench -- logistic` compares fits).
 *
 *   npm run bench -- irls-rows [--n 1000000]
 */
import { designKernelSet, KernelArena, wasmKernelsAvailable } from "../src/linalg/kernels/index.js";
import { makeFamily } from "../src/families/index.js";
import { refreshRows, weightRows, type RowBuffers } from "../src/fit/irls-rows.js";
import type { Family } from "../src/types.js";
import { binomialLogitBinaryRows } from "../src/families/logit-binary-rows.js";

/** Best of seven runs of `f`, in ms. */
function best(f: () => void): number {
  let b = Infinity;
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    f();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

function buffers(fam: Family, n: number, kind: "ts" | "wasm", rows: boolean, blocked = false): RowBuffers {
  const X = new Float64Array(n).fill(1);
  const set = designKernelSet(X, n, 1, { vectors: Array.from({ length: 9 }, () => n), helpers: 0, shared: false, kind });
  const rk = blocked ? binomialLogitBinaryRows : rows ? (fam.rows ?? null) : null;
  const b: RowBuffers = {
    k: set.main, X: set.main.X, p: 1, y: set.vector(n), w: set.vector(n), offset: null, eta: set.vector(n),
    mu: set.vector(n), W: set.vector(n), z: set.vector(n), dmu: rk?.dmu ? set.vector(n) : null, rows: rk,
  };
  const binomial = fam.name === "binomial";
  for (let i = 0; i < n; i++) {
    b.eta[i] = (binomial ? 3 : 1) * Math.sin(i);
    b.y[i] = binomial ? ((i * 7919) % 3 === 0 ? 1 : 0) : (i * 7919) % 5;
    b.w[i] = 1;
  }
  return b;
}

export function runIrlsRowsBench(o: { n: number }): void {
  const { n } = o;
  const per = 1e6 / n;
  console.log(`IRLS row work, ms per 10⁶ rows (n = ${n}; best of 7)`);
  const kinds: ["ts" | "wasm", boolean, string][] = [["ts", false, "generic loop"], ["ts", true, "TS row kernel"]];
  if (wasmKernelsAvailable()) kinds.push(["wasm", true, "wasm row kernel"]);
  for (const [name, link] of [["binomial", "logit"], ["poisson", "log"]] as const) {
    const fam = makeFamily(name, { link });
    for (const [kind, rows, label] of kinds) {
      const b = buffers(fam, n, kind, rows);
      const A = new Float64Array(1);
      const bv = new Float64Array(1);
      const u = best(() => refreshRows(b, fam, 0, n)) * per;
      const w = best(() => weightRows(b, fam, 0, n, A, bv)) * per;
      console.log(`  ${`${name}(${link}),`.padEnd(17)} ${label.padEnd(16)} update ${u.toFixed(1).padStart(6)}   weights + XᵀWX(p = 1) ${w.toFixed(1).padStart(6)}`);
    }
    if (name !== "binomial") continue;
    // The blocked binary-logit kernel (y, w ∈ {0, 1}; src/families/logit-binary-rows.ts): W and z come with the update.
    const blockedKinds: ["ts" | "wasm", string][] = [["ts", "blocked TS"], ...(wasmKernelsAvailable() ? [["wasm", "blocked wasm"] as ["wasm", string]] : [])];
    for (const [kind, label] of blockedKinds) {
      const b = buffers(fam, n, kind, true, true);
      const A = new Float64Array(1);
      const bv = new Float64Array(1);
      const u = best(() => refreshRows(b, fam, 0, n)) * per;
      const w = best(() => weightRows(b, fam, 0, n, A, bv)) * per;
      console.log(`  ${`${name}(${link}),`.padEnd(17)} ${label.padEnd(16)} update ${u.toFixed(1).padStart(6)}   weights + XᵀWX(p = 1) ${w.toFixed(1).padStart(6)}`);
    }
  }
  if (wasmKernelsAvailable()) {
    const a = KernelArena.create(KernelArena.bytesFor([n, n]), false)!;
    const s = a.alloc(n);
    const d = a.alloc(n);
    for (let i = 0; i < n; i++) s[i] = 3 * Math.sin(i) + 3.5;
    const e = best(() => a.expInto(s, d)) * per;
    const l = best(() => a.logInto(s, d)) * per;
    console.log(`  floor of the logit update: one f64x2 exp pass ${e.toFixed(1)} + one log pass ${l.toFixed(1)} = ${(e + l).toFixed(1)}`);
  }
}

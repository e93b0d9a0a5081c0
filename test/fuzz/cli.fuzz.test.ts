/**
 * Fuzzing the CLI binary (node dist/bin/glmkit.js, built by the test setup): random
 * data as CSV, formulas, families, methods, priors and flags (some out of range or
 * misplaced). A result: exit 0 and output on stdout (JSON that parses with --json).
 * An error: exit 1 or 2, nothing on stdout and exactly one line on stderr. Never a
 * crash (a stack trace) or a hang (20 s). FC_RUNS/10 cases (default 25).
 */
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { caseArb, type FuzzCase, type Row } from "./cases.js";

const RUNS = Math.max(5, Math.round(Number(process.env.FC_RUNS ?? 250) / 10));
const BIN = join("dist", "bin", "glmkit.js");
const dir = mkdtempSync(join(tmpdir(), "glmkit-cli-fuzz-"));
const tally: Record<string, number> = {};
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (process.env.FUZZ_REPORT) console.log(`cli fuzz, ${RUNS} runs, by exit status:`, JSON.stringify(tally));
});

function csvCell(v: Row[string]): string {
  if (v === null || (typeof v === "number" && Number.isNaN(v))) return "";
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toCsv(rows: Row[]): string {
  const names = ["y", "x1", "x2", "g", "b", "w"];
  return [names.join(","), ...rows.map((r) => names.map((k) => csvCell(r[k] ?? null)).join(","))].join("\n") + "\n";
}

/** Flags that are wrong on purpose (each must be a one-line error, not a crash). */
const NOISE: string[][] = [
  [], [], [], [], [], [],
  ["--chains", "1e9", "--method", "nuts"], ["--draws", "1e12", "--method", "nuts"], ["--level", "2", "--intervals", "wald"],
  ["--separation", "bogus"], ["--bogus"], ["--formula", "y ~ 1"], ["--maxit", "0"], ["--epsilon", "0"], ["--autoscale"],
  ["--intervals", "wald,profile"], ["--intervals", "posterior"], ["--vcov", "HC3"], ["--output", "fitted,hat"], ["--exp"], ["--separation", "always"],
];

function argsOf(c: FuzzCase, file: string, noise: string[], json: boolean): string[] {
  const a = ["fit", file, "--formula", c.formula];
  const opt = (flag: string, v: unknown) => v !== undefined && a.push(flag, String(v));
  opt("--family", c.family);
  opt("--link", c.link);
  opt("--theta", c.theta);
  opt("--power", c.power);
  if (!noise.includes("--method")) opt("--method", c.method);
  if (c.method === "nuts" && !noise.includes("--chains") && !noise.includes("--draws")) a.push("--chains", "1", "--warmup", "20", "--draws", "20");
  if (c.method === "map" || c.method === "laplace" || c.method === "nuts") {
    opt("--prior", c.prior);
    opt("--prior-aux", c.priorAux);
  }
  if (c.method !== "nuts") opt("--maxit", noise.includes("--maxit") ? undefined : c.maxit);
  if (c.method === "mle" || c.method === "firth") opt("--epsilon", noise.includes("--epsilon") ? undefined : c.epsilon);
  opt("--weights", c.weights);
  a.push(...noise);
  if (json) a.push("--json");
  return a;
}

describe("CLI fuzz", () => {
  it("exit 0 with output, or exit 1/2 with one line on stderr and nothing on stdout", () => {
    let k = 0;
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...NOISE), fc.boolean(), (c, noise, json) => {
        const file = join(dir, `case${k++}.csv`);
        writeFileSync(file, toCsv(c.rows));
        const args = argsOf(c, file, noise, json);
        const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 20_000 });
        const what = `glmkit ${args.map((x) => JSON.stringify(x)).join(" ")}\nstatus ${r.status} signal ${r.signal}\nstderr: ${r.stderr}\nstdout: ${r.stdout.slice(0, 300)}`;
        const key = r.signal ? `signal ${r.signal}` : `exit ${r.status}`;
        tally[key] = (tally[key] ?? 0) + 1;
        expect(r.signal, `hang or kill: ${what}`).toBeNull();
        if (r.status === 0) {
          expect(r.stdout.length, what).toBeGreaterThan(0);
          if (json) expect(() => JSON.parse(r.stdout), what).not.toThrow();
        } else {
          expect([1, 2], what).toContain(r.status);
          expect(r.stdout, what).toBe("");
          expect(r.stderr, what).toMatch(/^glmkit: [^\n]+\n$/);
        }
      }),
      { numRuns: RUNS },
    );
  }, Math.max(600_000, RUNS * 4_000)); // long runs (FC_RUNS) get time in proportion: about 1 s per case on a busy 2-core machine
});

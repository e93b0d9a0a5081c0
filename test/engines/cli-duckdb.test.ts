/** `glmkit fit … --engine duckdb`: the CLI's JSON from the DuckDB engine, and its usage errors. */
import { describe, it, expect } from "vitest";
import { main } from "../../bin/main.js";
import { glm } from "../../models/glm.js";
import { readCsv } from "../../src/data/index.js";

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { err += s; return true; }) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}

const FORMULA = "low ~ age + lwt + race + smoke + ptl + ht + ui";

describe("glmkit fit --engine duckdb", () => {
  it("prints the ML fit's JSON with the in-memory estimates and per-iteration progress on stderr", async () => {
    const r = await run(["fit", "data/birthwt.csv", "--formula", FORMULA, "--family", "binomial", "--engine", "duckdb", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const mem = glm({ formula: FORMULA, data: readCsv("data/birthwt.csv"), family: "binomial" }).fit();
    expect(j.engine).toBe("duckdb");
    expect(j.iterations).toBe(mem.iterations);
    expect(j.coefficients.map((c: { name: string }) => c.name)).toEqual(mem.coefficients.map((c) => c.name));
    j.coefficients.forEach((c: { estimate: number }, k: number) => expect(Math.abs(c.estimate - mem.coefficients[k]!.estimate!)).toBeLessThan(1e-10 * Math.abs(mem.coefficients[k]!.estimate!)));
    expect(r.err.split("\n").filter((l) => l.startsWith("duckdb: iteration")).length).toBe(mem.iterations);
  });
  it("--method laplace with --intervals laplace", async () => {
    const r = await run(["fit", "data/birthwt.csv", "--formula", FORMULA, "--family", "binomial", "--engine", "duckdb", "--method", "laplace", "--prior", "normal(0, 2.5)", "--intervals", "laplace", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.method).toBe("laplace");
    expect(j.intervals.laplace.length).toBe(j.coefficients.length);
  });
  it("--method laplace without --prior: rstanarm's defaults, the in-memory laplace()'s modes; --prior-intercept-on raw", async () => {
    const mem = glm({ formula: FORMULA, data: readCsv("data/birthwt.csv"), family: "binomial" }).laplace();
    const r = await run(["fit", "data/birthwt.csv", "--formula", FORMULA, "--family", "binomial", "--engine", "duckdb", "--method", "laplace", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.prior.defaults).toBe(true);
    expect(j.prior.intercept_on).toBe("centered");
    j.coefficients.forEach((c: { estimate: number }, k: number) => expect(Math.abs(c.estimate - mem.coefficients[k]!.estimate!)).toBeLessThan(1e-8 * mem.coefficients[k]!.se!));
    const raw = await run(["fit", "data/birthwt.csv", "--formula", FORMULA, "--family", "binomial", "--engine", "duckdb", "--method", "laplace", "--prior-intercept-on", "raw", "--json"]);
    expect(JSON.parse(raw.out).prior.intercept_on).toBe("raw");
    const bad = await run(["fit", "data/birthwt.csv", "--formula", FORMULA, "--family", "binomial", "--engine", "duckdb", "--prior-intercept-on", "middle"]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--prior-intercept-on must be raw or centered/);
  });
  it("the negative binomial with θ estimated (no --theta): glm.nb's θ and SE in the JSON", async () => {
    const f = "Days ~ Eth + Sex + Age + Lrn";
    const mem = glm({ formula: f, data: readCsv("data/quine.csv"), family: "negative_binomial" }).fit();
    const r = await run(["fit", "data/quine.csv", "--formula", f, "--family", "negative_binomial", "--engine", "duckdb", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Math.abs(j.theta - mem.theta!)).toBeLessThan(1e-10 * mem.theta!);
    expect(Math.abs(j.se_theta - (mem.toJSON() as { se_theta: number }).se_theta)).toBeLessThan(1e-10 * j.se_theta);
  });
  it("refuses flags the engine does not take, naming them", async () => {
    const r = await run(["fit", "data/birthwt.csv", "--formula", FORMULA, "--family", "binomial", "--engine", "duckdb", "--vcov", "HC0"]);
    expect(r.code).not.toBe(0);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/--vcov is not supported by --engine duckdb/);
  });
  it("refuses an unknown engine", async () => {
    const r = await run(["fit", "data/birthwt.csv", "--formula", FORMULA, "--engine", "spark"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/unknown --engine "spark"/);
  });
  it("a missing column is a typed error naming it", async () => {
    const r = await run(["fit", "data/birthwt.csv", "--formula", "low ~ nosuch", "--family", "binomial", "--engine", "duckdb"]);
    expect(r.code).not.toBe(0);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/no column "nosuch"/);
  });
});

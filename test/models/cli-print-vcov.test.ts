/**
 * `--print-vcov`: the named covariance matrix in the CLI output (issue: "vcov() returns
 * names with the matrix, and --json prints it on request"), the model's or the sandwich
 * of --vcov, equal to R's vcov(fit) and sandwich::vcovHC(fit, type = "HC3").
 */
import { describe, it, expect } from "vitest";
import { runCli } from "./cli-run.js";

const run = runCli;

const FIT = ["fit", "data/birthwt.csv", "--formula", "low ~ age + lwt", "--family", "binomial"];
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("--print-vcov", () => {
  it("prints the model covariance with its names, equal to R's vcov(fit)", async () => {
    const r = await run([...FIT, "--print-vcov", "--json"]);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out).vcov;
    expect(v.type).toBe("model");
    expect(v.names).toEqual(["(Intercept)", "age", "lwt"]);
    // R 4.2: vcov(glm(low ~ age + lwt, binomial, birthwt))[1, 1]
    expect(rel(v.matrix[0][0], 0.9942015027840061)).toBeLessThan(1e-6);
    expect(v.matrix[1][2]).toBe(v.matrix[2][1]);
  });
  it("prints the sandwich of --vcov HC3, equal to sandwich::vcovHC", async () => {
    const r = await run([...FIT, "--print-vcov", "--vcov", "HC3", "--json"]);
    const v = JSON.parse(r.out).vcov;
    expect(v.type).toBe("HC3");
    // R: sandwich::vcovHC(fit, type = "HC3")[2, 3]
    expect(rel(v.matrix[1][2], -2.1026868079133358e-05)).toBeLessThan(1e-6);
  });
  it("prints the matrix in the text output, and is refused for other methods", async () => {
    const text = await run([...FIT, "--print-vcov"]);
    expect(text.out).toContain("Covariance of the coefficients (model):");
    const bad = await run([...FIT, "--print-vcov", "--method", "firth"]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain("--print-vcov");
    expect(bad.out).toBe("");
  });
});

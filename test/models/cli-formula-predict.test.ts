/**
 * The CLI's formula flags (--factor, --ordered, --contrasts and the JSON's
 * "contrasts"), --save and `glmkit predict` (text, --csv, --json; intervals; the
 * errors naming flag, column and level), in process.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { glm } from "../../models/glm.js";
import { readCsv } from "../../src/data/index.js";
import { runCli } from "./cli-run.js";

const run = runCli;

const dir = mkdtempSync(join(tmpdir(), "glmkit-cli-predict-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const INS = ["fit", "data/Insurance.csv", "--formula", "Claims ~ District + Group + Age + offset(log(Holders))", "--family", "poisson"];

describe("glmkit fit: --factor, --ordered, --contrasts", () => {
  it("--factor District:4,3,2,1 --contrasts Group=contr.sum,Age=helmert: the API's fit, and JSON contrasts", async () => {
    const r = await run([...INS, "--factor", "District:4,3,2,1", "--contrasts", "Group=contr.sum,Age=helmert", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const api = glm({
      formula: "Claims ~ District + Group + Age + offset(log(Holders))", data: readCsv("data/Insurance.csv"), family: "poisson",
      columns: { District: { type: "factor", levels: ["4", "3", "2", "1"] } }, contrasts: { Group: "contr.sum", Age: "contr.helmert" },
    }).fit();
    expect(j.coefficients.map((c: { name: string }) => c.name)).toEqual(api.coefficients.map((c) => c.name));
    expect(j.coefficients[1].name).toBe("District3");
    j.coefficients.forEach((c: { estimate: number }, k: number) => expect(c.estimate).toBe(api.coefficients[k]!.estimate));
    expect(j.contrasts).toEqual({ District: "contr.treatment", Group: "contr.sum", Age: "contr.helmert" });
  });

  it("--contrasts repeatable; --ordered gives contr.poly; without the flags the JSON has no contrasts", async () => {
    const a = JSON.parse((await run([...INS, "--contrasts", "Group=sum", "--contrasts", "Age=contr.SAS", "--json"])).out);
    expect(a.contrasts.Group).toBe("contr.sum");
    expect(a.contrasts.Age).toBe("contr.SAS");
    const b = JSON.parse((await run([...INS, "--ordered", "Age", "--json"])).out);
    expect(b.contrasts.Age).toBe("contr.poly");
    expect(b.coefficients.map((c: { name: string }) => c.name)).toContain("Age.L");
    const c = JSON.parse((await run([...INS, "--json"])).out);
    expect(c.contrasts).toBeUndefined();
  });

  it("errors name the flag", async () => {
    const cases: [string[], RegExp][] = [
      [["--contrasts", "Group"], /--contrasts Group: expected VARIABLE=CONTRAST/],
      [["--contrasts", "Group=contr.foo"], /--contrasts Group=contr.foo: unknown contrast "contr.foo"/],
      [["--contrasts", "District=sum"], /--contrasts: "District" is numeric/],
      [["--contrasts", "Nope=sum"], /--contrasts: no variable "Nope"/],
      [["--factor", "District:1,1"], /--factor District:1,1: a level is given twice/],
      [["--factor", "District", "--ordered", "District"], /declared twice/],
      [["--factor", "District:1,2,3"], /District.*4/],
    ];
    for (const [flags, msg] of cases) {
      const r = await run([...INS, ...flags]);
      expect(r.code, flags.join(" ")).not.toBe(0);
      expect(r.err, flags.join(" ")).toMatch(msg);
      expect(r.out).toBe("");
    }
  });
});

describe("glmkit fit --save and glmkit predict", () => {
  const model = join(dir, "ins.json");
  const newCsv = join(dir, "new.csv");
  writeFileSync(newCsv, 'District,Group,Age,Holders\n1,"<1l","<25",197\n2,">2l",">35",NA\n4,"1-1.5l","25-29",50\n');

  it("--save writes glmkit_model 1; predict --json equals the in-process fit.predict", async () => {
    const r = await run([...INS, "--factor", "District", "--save", model, "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).saved_model).toBe(model);
    const saved = JSON.parse(readFileSync(model, "utf8"));
    expect(saved.glmkit_model).toBe(1);
    expect(saved.family).toEqual({ name: "poisson", link: "log" });
    const p = await run(["predict", model, newCsv, "--type", "response", "--se", "--json"]);
    expect(p.code).toBe(0);
    const j = JSON.parse(p.out);
    const fit = glm({ formula: "Claims ~ District + Group + Age + offset(log(Holders))", data: readCsv("data/Insurance.csv"), family: "poisson", columns: { District: { type: "factor" } } }).fit();
    const ref = fit.predict(readCsv(newCsv), { type: "response", seFit: true });
    expect(j.n).toBe(3);
    expect(j.na_dropped).toBe(1);
    expect(j.fit[1]).toBeNull();
    expect([j.fit[0], j.fit[2]]).toEqual(Array.from(ref.fit));
    expect([j.se_fit[0], j.se_fit[2]]).toEqual(Array.from(ref.se!));
    expect(j.lower).toBeNull();
  });

  it("--csv has the columns fit, se_fit, lower, upper (NA where missing); text is a table", async () => {
    const c = await run(["predict", model, newCsv, "--interval", "confidence", "--level", "0.9", "--csv"]);
    expect(c.code).toBe(0);
    const lines = c.out.trim().split("\n");
    expect(lines[0]).toBe("fit,se_fit,lower,upper");
    expect(lines[2]).toBe("NA,NA,NA,NA");
    const [fit, se, lo, hi] = lines[1]!.split(",").map(Number) as [number, number, number, number];
    expect(hi - fit).toBeCloseTo(1.6448536269514722 * se, 12);
    expect(fit - lo).toBeCloseTo(1.6448536269514722 * se, 12);
    const t = await run(["predict", model, newCsv]);
    expect(t.code).toBe(0);
    expect(t.out.split("\n")[0]!.trim()).toBe("fit");
    expect(t.out).toMatch(/\n2 +NA\n/);
  });

  it("gaussian: --interval prediction; other families: a typed error naming --interval", async () => {
    const gm = join(dir, "mtcars.json");
    expect((await run(["fit", "data/mtcars.csv", "--formula", "mpg ~ wt + poly(hp, 2) + factor(cyl)", "--save", gm])).code).toBe(0);
    const p = JSON.parse((await run(["predict", gm, "data/mtcars.csv", "--interval", "prediction", "--json"])).out);
    const fit = glm({ formula: "mpg ~ wt + poly(hp, 2) + factor(cyl)", data: readCsv("data/mtcars.csv") }).fit();
    const ref = fit.predict(readCsv("data/mtcars.csv"), { seFit: true });
    expect(p.fit).toEqual(Array.from(ref.fit));
    const half = p.upper[3] - p.fit[3];
    expect(half).toBeGreaterThan(2 * Math.sqrt(fit.dispersion));
    const e = await run(["predict", model, newCsv, "--interval", "prediction"]);
    expect(e.code).toBe(1);
    expect(e.err).toMatch(/--interval prediction.*gaussian/);
  });

  it("--method nuts --save keeps the thinned draws; predict gives posterior means and predictive intervals", async () => {
    const pm = join(dir, "nuts.json");
    const bw = ["fit", "data/birthwt.csv", "--formula", "low ~ age + smoke", "--family", "binomial", "--method", "nuts"];
    const r = await run([...bw, "--chains", "1", "--warmup", "100", "--draws", "200", "--seed", "2", "--save", pm, "--json"]);
    expect(r.code).toBe(0);
    const saved = JSON.parse(readFileSync(pm, "utf8"));
    expect(saved.method).toBe("nuts");
    expect(saved.draws.values.length).toBe(200);
    const p = JSON.parse((await run(["predict", pm, "data/birthwt.csv", "--type", "response", "--interval", "prediction", "--json"])).out);
    expect(p.n).toBe(189);
    for (let i = 0; i < 189; i++) {
      expect(p.fit[i]).toBeGreaterThan(0);
      expect(p.fit[i]).toBeLessThan(1);
      expect([0, 1]).toContain(p.lower[i]);
    }
    const e = await run(["predict", pm, "data/birthwt.csv", "--interval", "prediction"]);
    expect(e.err).toMatch(/--type response/);
  });

  it("errors: unknown level, missing column, bad flags, --save with map, not a model", async () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, 'District,Group,Age,Holders\n9,"<1l","<25",197\n');
    const r1 = await run(["predict", model, bad]);
    expect(r1.code).toBe(1);
    expect(r1.err).toMatch(/District/);
    expect(r1.err).toMatch(/9/);
    const miss = join(dir, "miss.csv");
    writeFileSync(miss, 'District,Group,Age\n1,"<1l","<25"\n');
    expect((await run(["predict", model, miss])).err).toMatch(/Holders/);
    expect((await run(["predict", model, newCsv, "--type", "mean"])).err).toMatch(/--type must be link or response/);
    expect((await run(["predict", model, newCsv, "--level", "0.9"])).err).toMatch(/--level applies to --interval/);
    expect((await run(["predict", model, newCsv, "--json", "--csv"])).err).toMatch(/--json or --csv/);
    expect((await run(["predict", model])).err).toMatch(/predict takes a saved model and a data file/);
    expect((await run(["predict", newCsv, newCsv])).err).toMatch(/not valid JSON|glmkit_model/);
    const map = await run([...INS, "--method", "map", "--save", model]);
    expect(map.code).toBe(2);
    expect(map.err).toMatch(/--save applies to --method mle and nuts/);
  });
});

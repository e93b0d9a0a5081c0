/** Analysis of deviance against R's anova(m0, m1, test = "Chisq" | "F") (test/reference/anova.json). */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { glm } from "../../models/glm.js";
import { anova } from "../../models/anova.js";
import { readCsv } from "../../src/data/index.js";

interface Row { resid_df: number; resid_dev: number; df: number | null; deviance: number | null; F: number | null; p_value: number | null }
interface Ref { id: string; data: string; family: string; link: string; formula0: string; formula1: string; test: "Chisq" | "F"; offset?: string | null; rows: Row[] }
const refs: Ref[] = JSON.parse(readFileSync("test/reference/anova.json", "utf8"));

function close(a: number | null, b: number | null, label: string) {
  if (b === null) return expect(a, label).toBeNull();
  expect(a, label).not.toBeNull();
  expect(Math.abs(a! - b) <= Math.max(1e-10, 1e-6 * Math.abs(b)), `${label}: ${a} vs R ${b}`).toBe(true);
}

describe("anova against R", () => {
  for (const ref of refs) {
    it(`${ref.id}: ${ref.test}`, () => {
      const data = readCsv(ref.data);
      const fits = [ref.formula0, ref.formula1].map((f) =>
        glm({ formula: f, data, family: ref.family, link: ref.link, offset: ref.offset ?? undefined }).fit(),
      );
      const rows = anova(fits, ref.test);
      rows.forEach((r, k) => {
        const e = ref.rows[k]!;
        expect(r.resid_df).toBe(e.resid_df);
        close(r.resid_dev, e.resid_dev, "resid dev");
        close(r.df, e.df, "df");
        close(r.deviance, e.deviance, "deviance");
        close(r.f, e.F, "F");
        close(r.p_value, e.p_value, "p");
      });
    });
  }
});

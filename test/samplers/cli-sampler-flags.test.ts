/**
 * The CLI's sampler flags of the reparameterization work: --metric diag|dense,
 * --reparameterize laplace|qr|center|none and --adapt stan|nutpie reach the sampler (the JSON's
 * posterior.reparameterization says which map was used), and bad values or the flags
 * without --method nuts are usage errors naming the flag.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../models/cli-run.js";

const FIT = ["fit", "data/mtcars.csv", "--formula", "mpg ~ wt + hp", "--method", "nuts", "--prior", "normal(0, 5)", "--prior-aux", "exponential(0.5)",
  "--chains", "2", "--warmup", "150", "--draws", "60", "--seed", "3", "--json"];

describe("glmkit fit --method nuts --metric / --reparameterize", () => {
  it("samples in the requested parameterization with the requested metric, and says so in the JSON", async () => {
    const r = await runCli([...FIT, "--reparameterize", "qr", "--metric", "dense"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { posterior: { reparameterization: { requested: string; used: string; reason: string | null }; step_size: number[] } };
    expect(json.posterior.reparameterization).toEqual({ requested: "qr", used: "qr", reason: null });
    expect(json.posterior.step_size).toHaveLength(2);
  });

  it("defaults to the Laplace whitening; none reproduces the sampler on the raw coefficients", async () => {
    const def = JSON.parse((await runCli(FIT)).out) as { posterior: { reparameterization: { used: string }; summary: { mean: number }[] } };
    expect(def.posterior.reparameterization.used).toBe("laplace");
    const none = JSON.parse((await runCli([...FIT, "--reparameterize", "none"])).out) as { posterior: { reparameterization: { used: string }; summary: { mean: number }[] } };
    expect(none.posterior.reparameterization.used).toBe("none");
    expect(none.posterior.summary[1]!.mean).not.toBe(def.posterior.summary[1]!.mean);
  });

  it.each([
    [["--metric", "full"], /--metric must be one of diag, dense, got "full"/],
    [["--reparameterize", "whiten"], /--reparameterize must be one of laplace, qr, center, none, got "whiten"/],
    [["--adapt", "windows"], /--adapt must be one of stan, nutpie, got "windows"/],
    [["--adapt", "nutpie", "--metric", "dense"], /--adapt nutpie estimates a diagonal metric only/],
  ])("rejects %j with a usage error", async (flags, message) => {
    const r = await runCli([...FIT, ...flags]);
    expect(r.code).not.toBe(0);
    expect(r.out).toBe("");
    expect(r.err).toMatch(message);
  });

  it("--adapt stan|nutpie selects the warmup, reported as posterior.adaptation; the two differ", async () => {
    type Out = { posterior: { adaptation: string; warmup: number; step_size: number[]; summary: { mean: number }[] } };
    const stan = JSON.parse((await runCli([...FIT, "--adapt", "stan"])).out) as Out;
    const nutpie = JSON.parse((await runCli([...FIT, "--adapt", "nutpie"])).out) as Out;
    expect(stan.posterior.adaptation).toBe("stan");
    expect(nutpie.posterior.adaptation).toBe("nutpie");
    expect(nutpie.posterior.warmup).toBe(150);
    expect(nutpie.posterior.step_size).not.toEqual(stan.posterior.step_size);
    // --metric dense without --adapt uses Stan's windows (nutpie's estimate is diagonal).
    const dense = JSON.parse((await runCli([...FIT, "--metric", "dense"])).out) as Out;
    expect(dense.posterior.adaptation).toBe("stan");
  });

  it("refuses the flags without --method nuts", async () => {
    const r = await runCli(["fit", "data/mtcars.csv", "--formula", "mpg ~ wt", "--metric", "dense"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--metric applies to --method nuts/);
  });
});

/**
 * Progress of long profile computations on stderr (bin/progress.ts): on a terminal
 * one line redrawn in place; with --progress also on a log, one line per step at most
 * every second plus the last; never on stdout, so --json output stays one document.
 */
import { describe, expect, it } from "vitest";
import { profileProgress } from "../../bin/progress.js";
import { runCli } from "./cli-run.js";

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (s: string) => chunks.push(s) } };
}

describe("profile progress renderer", () => {
  it("on a terminal: redrawn in place, throttled, the first and last always drawn, one newline at the end", () => {
    const { chunks, stream } = sink(true);
    let t = 0;
    const bar = profileProgress({ enabled: true, stream, now: () => t, width: 4 });
    for (let k = 0; k <= 4; k++) { bar.onProgress("profile", k, 4); t += k === 1 ? 50 : 10; }
    bar.done();
    expect(chunks).toEqual([
      "\rprofiling [----] 0/4 coefficients (profile)\u001b[K",
      "\rprofiling [####] 4/4 coefficients (profile)\u001b[K",
      "\n",
    ]);
  });

  it("on a log (asked for): plain lines; disabled: nothing; done() after an error ends an open line", () => {
    const log = sink(false);
    let t = 0;
    const bar = profileProgress({ enabled: true, stream: log.stream, now: () => t, width: 2 });
    for (let k = 0; k <= 3; k++) { bar.onProgress("firth-profile", k, 3); t += 1500; }
    expect(log.chunks).toEqual([0, 1, 2, 3].map((k) => `profiling [${"#".repeat(Math.round((k / 3) * 2))}${"-".repeat(2 - Math.round((k / 3) * 2))}] ${k}/3 coefficients (firth-profile)\n`));
    const off = sink(true);
    const quiet = profileProgress({ enabled: false, stream: off.stream });
    quiet.onProgress("profile", 0, 2);
    quiet.done();
    expect(off.chunks).toEqual([]);
    const tty = sink(true);
    const broken = profileProgress({ enabled: true, stream: tty.stream });
    broken.onProgress("profile", 0, 2);
    broken.done();
    expect(tty.chunks.at(-1)).toBe("\n");
  });
});

describe("glmkit fit --intervals profile --progress", () => {
  const args = ["fit", "data/birthwt.csv", "--formula", "low ~ age + lwt", "--family", "binomial", "--intervals", "profile"];

  it("--json --progress: the progress on stderr, every coefficient counted, stdout one JSON document", async () => {
    const r = await runCli([...args, "--json", "--progress"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { intervals: { profile: unknown[] } };
    expect(json.intervals.profile).toHaveLength(3);
    const lines = r.err.split("\n").filter((l) => l !== "");
    expect(lines[0]).toBe("profiling [--------------------] 0/3 coefficients (profile)");
    expect(lines.at(-1)).toBe("profiling [####################] 3/3 coefficients (profile)");
  });

  it("without --progress, stderr not a terminal: nothing on stderr", async () => {
    const was = Object.getOwnPropertyDescriptor(process.stderr, "isTTY");
    Object.defineProperty(process.stderr, "isTTY", { value: false, configurable: true });
    try {
      const r = await runCli([...args, "--json"]);
      expect(r.code).toBe(0);
      expect(r.err).toBe("");
    } finally {
      if (was) Object.defineProperty(process.stderr, "isTTY", was);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
  });
});

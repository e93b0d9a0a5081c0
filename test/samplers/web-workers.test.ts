// The Web Worker chain runner (samplers/parallel/web-workers.ts) with an in-process
// stand-in for `Worker` (messages cloned as postMessage would): the draws equal
// sampleSync's bit for bit; progress arrives; a worker's error comes back typed;
// setChainRunner(null) restores the default (Node's worker threads). (Chromium runs the real
// thing in test/e2e/app.test.ts.)
import { afterEach, describe, expect, it } from "vitest";
import { sample, sampleSync, serveChainTask, announceChainWorker, setChainRunner, webWorkerChainRunner, chainRunner, type TargetFactory, type WorkerLike } from "../../samplers/index.js";
import { ArgumentError } from "../../src/errors.js";
import { normal } from "./targets.js";

const factory: TargetFactory = { module: new URL("./targets.ts", import.meta.url).href, exportName: "normal", args: { dim: 3, sds: [1, 2, 0.5] } };

/** A Worker whose other side is serveChainTask in this thread; counts the workers spawned. */
function fakeWorkers(): { spawn: () => WorkerLike; spawned: number; terminated: number } {
  const state = { spawned: 0, terminated: 0, spawn: (): WorkerLike => {
    state.spawned++;
    const w: WorkerLike = {
      onmessage: null, onerror: null,
      terminate: () => { state.terminated++; },
      postMessage: (message) => {
        void serveChainTask(structuredClone(message), (reply) => setTimeout(() => w.onmessage?.({ data: structuredClone(reply) }), 0));
      },
    };
    return w;
  } };
  return state;
}

/**
 * A module worker still loading its script: the messages posted before it "loads" are
 * dropped (`drop` true) or queued (`drop` false, as the spec says), then it installs its
 * handler and announces itself. Counts the chains it runs.
 */
function loadingWorkers(drop: boolean): { spawn: () => WorkerLike; served: number } {
  const state = { served: 0, spawn: (): WorkerLike => {
    let loaded = false;
    const queued: unknown[] = [];
    const serve = (message: unknown) => {
      void serveChainTask(structuredClone(message), (reply) => {
        if ((reply as { type: string }).type === "glmkit-chain-done") state.served++;
        setTimeout(() => w.onmessage?.({ data: structuredClone(reply) }), 0);
      });
    };
    const w: WorkerLike = {
      onmessage: null, onerror: null, terminate: () => {},
      postMessage: (message) => {
        if (loaded) serve(message);
        else if (!drop) queued.push(message);
      },
    };
    setTimeout(() => {
      loaded = true;
      for (const m of queued.splice(0)) serve(m);
      announceChainWorker((m) => setTimeout(() => w.onmessage?.({ data: structuredClone(m) }), 0));
    }, 5);
    return w;
  } };
  return state;
}

afterEach(() => setChainRunner(null));

describe("parallel chains on Web Workers", () => {
  it("the draws equal sampleSync's bit for bit, one worker per chain, with progress", async () => {
    const opts = { seed: 11, chains: 3, warmup: 150, draws: 100 };
    const seq = sampleSync(normal(factory.args as { dim: number; sds: number[] }), opts);
    const fake = fakeWorkers();
    setChainRunner(webWorkerChainRunner(fake.spawn));
    let progress = 0;
    const par = await sample(factory, { ...opts, parallel: 2, onProgress: () => progress++ });
    expect(fake.spawned).toBe(3);
    expect(fake.terminated).toBe(3);
    expect(progress).toBeGreaterThan(0);
    for (let k = 0; k < 3; k++) {
      expect(par.draws[k]).toEqual(seq.draws[k]);
      expect(par.stepSize[k]).toBe(seq.stepSize[k]);
      expect(par.sampler[k]!.treedepth__).toEqual(seq.sampler[k]!.treedepth__);
    }
  });

  it("a task dropped while the worker loads is posted again on its announcement; a queued one runs once", async () => {
    const opts = { seed: 5, chains: 2, warmup: 60, draws: 40 };
    const seq = sampleSync(normal(factory.args as { dim: number; sds: number[] }), opts);
    for (const drop of [true, false]) {
      const w = loadingWorkers(drop);
      setChainRunner(webWorkerChainRunner(w.spawn));
      const par = await sample(factory, { ...opts, parallel: 2 });
      // Queued: both copies of the task reach the worker, the second (same id) is ignored.
      expect(w.served).toBe(2);
      for (let k = 0; k < 2; k++) expect(par.draws[k]).toEqual(seq.draws[k]);
    }
  });

  it("an error in the worker comes back as the same typed error", async () => {
    setChainRunner(webWorkerChainRunner(fakeWorkers().spawn));
    const bad: TargetFactory = { ...factory, exportName: "nope" };
    await expect(sample(bad, { seed: 1, chains: 1, warmup: 10, draws: 10, parallel: 1 })).rejects.toThrow(ArgumentError);
  });

  it("serveChainTask ignores other messages; setChainRunner(null) restores the default", async () => {
    expect(await serveChainTask({ type: "fit" }, () => { throw new Error("must not post"); })).toBe(false);
    setChainRunner(webWorkerChainRunner(fakeWorkers().spawn));
    expect(chainRunner()).not.toBeNull();
    setChainRunner(null);
    expect(chainRunner()).toBeNull();
  });
});

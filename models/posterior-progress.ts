/**
 * A text progress bar for long sampling runs, drawn on a terminal stream (stderr):
 * one line, redrawn in place with a carriage return, e.g.
 *
 *   sampling [##########----------]  50%  chain 1 sampling 400/1000 | chain 2 warmup 900/1000
 *
 * It is off when the stream is not a TTY (pipes, CI logs) or when `enabled` is
 * false (the CLI passes `enabled: !json`). The renderer only formats and writes;
 * it keeps no timer, so a run without progress events writes nothing.
 */
import type { Progress } from "../samplers/chain.js";

/** Where the bar is written: anything with `write`, and `isTTY` for the default. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Options of {@link progressRenderer}. */
export interface ProgressOptions {
  chains: number;
  warmup: number;
  draws: number;
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Default: the stream is a TTY. */
  enabled?: boolean;
  /** Width of the bar in characters (default 24). */
  width?: number;
  /** Minimum milliseconds between redraws (default 100); the last event of a run always draws. */
  minIntervalMs?: number;
  /** Clock in milliseconds (tests pass a fake one). */
  now?: () => number;
}

/** The hook to pass as `onProgress`, and `done()` to end the line. */
export interface ProgressRenderer {
  readonly enabled: boolean;
  onProgress(p: Progress): void;
  /** Ends the bar's line (writes a newline if anything was drawn). */
  done(): void;
}

/**
 * Fraction done, over all chains: (Σ iterations done)/(chains·(warmup + draws)).
 * @example progressFraction([{ warmup: 500, sampling: 0 }], 1000, 1000) // 0.25
 */
export function progressFraction(perChain: readonly { warmup: number; sampling: number }[], warmup: number, draws: number): number {
  const total = perChain.length * (warmup + draws);
  if (total === 0) return 1;
  const done = perChain.reduce((s, c) => s + c.warmup + c.sampling, 0);
  return Math.min(1, done / total);
}

/**
 * Makes the progress renderer. Usage:
 * `const bar = progressRenderer({ chains, warmup, draws, enabled: !json }); await samplePosterior(p, q, { ..., onProgress: bar.onProgress }); bar.done();`
 */
export function progressRenderer(options: ProgressOptions): ProgressRenderer {
  const stderr = (globalThis as { process?: { stderr?: ProgressStream } }).process?.stderr;
  const stream: ProgressStream = options.stream ?? stderr ?? { isTTY: false, write: () => true };
  const enabled = options.enabled ?? Boolean(stream.isTTY);
  const width = options.width ?? 24;
  const minInterval = options.minIntervalMs ?? 100;
  const now = options.now ?? (() => performance.now());
  const chains = Math.max(1, options.chains);
  const state = Array.from({ length: chains }, () => ({ warmup: 0, sampling: 0, phase: "warmup" as Progress["phase"] }));
  let drawn = false;
  let last = -Infinity;

  function line(): string {
    const f = progressFraction(state, options.warmup, options.draws);
    const filled = Math.round(f * width);
    const bar = "#".repeat(filled) + "-".repeat(width - filled);
    const parts = state.map((c, k) => {
      const it = c.phase === "warmup" ? c.warmup : c.sampling;
      const total = c.phase === "warmup" ? options.warmup : options.draws;
      return `chain ${k + 1} ${c.phase} ${it}/${total}`;
    });
    let text = `sampling [${bar}] ${String(Math.floor(f * 100)).padStart(3)}%  ${parts.join(" | ")}`;
    const cols = stream.columns;
    if (cols !== undefined && cols > 10 && text.length > cols - 1) text = text.slice(0, cols - 1);
    return text;
  }

  return {
    enabled,
    onProgress(p: Progress): void {
      if (!enabled) return;
      const c = state[p.chain];
      if (c === undefined) return;
      c.phase = p.phase;
      if (p.phase === "warmup") c.warmup = p.iteration;
      else {
        c.warmup = options.warmup;
        c.sampling = p.iteration;
      }
      const t = now();
      const finished = progressFraction(state, options.warmup, options.draws) >= 1;
      if (!finished && t - last < minInterval) return;
      last = t;
      stream.write(`\r${line()}\u001b[K`);
      drawn = true;
    },
    done(): void {
      if (enabled && drawn) stream.write("\n");
      drawn = false;
    },
  };
}

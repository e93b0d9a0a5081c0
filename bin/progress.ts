/**
 * Progress of the profile-likelihood intervals on stderr, for the CLI: on a terminal
 * one line redrawn in place,
 *
 *   profiling [##########----------] 150/300 coefficients (profile)
 *
 * and, when asked for with --progress on a stream that is not a terminal (a log),
 * one plain line per step at most every `minIntervalMs` (default 1 s), plus the last.
 * Never on stdout: --json output stays one JSON document.
 */

/** Where progress is written: anything with `write`, and `isTTY` for redrawing in place. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProfileProgressOptions {
  /** Whether to write at all (the CLI: --progress, or stderr is a TTY and not --json). */
  enabled: boolean;
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Width of the bar (default 20). */
  width?: number;
  /** Minimum milliseconds between lines (default 100 on a terminal, 1000 otherwise); the first and last always draw. */
  minIntervalMs?: number;
  /** Clock in milliseconds (tests pass a fake one). */
  now?: () => number;
}

export interface ProfileProgress {
  /** The hook for modelIntervalSets' onProgress. */
  onProgress(method: "profile" | "firth-profile", done: number, total: number): void;
  /** Ends a line drawn in place. */
  done(): void;
}

export function profileProgress(options: ProfileProgressOptions): ProfileProgress {
  const stream: ProgressStream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const width = options.width ?? 20;
  const minInterval = options.minIntervalMs ?? (tty ? 100 : 1000);
  const now = options.now ?? (() => performance.now());
  let last = -Infinity;
  let open = false;
  const line = (method: string, done: number, total: number): string => {
    const filled = total === 0 ? width : Math.round((done / total) * width);
    return `profiling [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} coefficients (${method})`;
  };
  return {
    onProgress(method, done, total) {
      if (!options.enabled) return;
      const t = now();
      if (done !== 0 && done !== total && t - last < minInterval) return;
      last = t;
      if (tty) {
        stream.write(`\r${line(method, done, total)}\u001b[K`);
        open = done !== total;
        if (!open) stream.write("\n");
      } else stream.write(`${line(method, done, total)}\n`);
    },
    done() {
      if (open) stream.write("\n");
      open = false;
    },
  };
}

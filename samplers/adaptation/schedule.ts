/**
 * Stan's windowed adaptation schedule (`stan/mcmc/windowed_adaptation.hpp`; Stan
 * Reference Manual, "HMC algorithm parameters: automatic parameter tuning"):
 * a fast initial buffer (step size only), a slow phase of metric-estimation windows
 * that double in length (the last one stretched to the end of the slow phase), and a
 * fast terminal buffer. Default 75 / 25 (doubling) / 50.
 */
import { ArgumentError } from "../../src/errors.js";

/** One metric-estimation window: iterations start..end (0-based, inclusive); the metric is updated after `end`. */
export interface AdaptationWindow {
  readonly start: number;
  readonly end: number;
}

/** The warmup schedule. */
export interface AdaptationSchedule {
  readonly numWarmup: number;
  /** Effective buffers (after Stan's fallback for short warmups). */
  readonly initBuffer: number;
  readonly termBuffer: number;
  readonly baseWindow: number;
  readonly windows: readonly AdaptationWindow[];
  /** Stan's message when the requested buffers do not fit, else null. */
  readonly warning: string | null;
}

/** Options of `buildSchedule` (Stan's defaults). */
export interface ScheduleOptions {
  initBuffer?: number;
  termBuffer?: number;
  baseWindow?: number;
  /**
   * Reproduce Stan exactly in the short-warmup fallback. Stan prints the 15%/75%/10%
   * message but its `set_window_params` returns without `restart()`, so the end of the
   * window is never reached and no metric is estimated at all (measured with rstan 2.21
   * by test/reference/stan-windows.R; the current stan-dev source has the same branch).
   * Default false: run the single window the message announces (BlackJAX does the same).
   */
  emulateStanFallback?: boolean;
}

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new ArgumentError(`${name} must be a non-negative integer, got ${value}`);
}

/**
 * Builds Stan's schedule for `numWarmup` iterations:
 * - numWarmup < 20: no metric estimation at all (step size adaptation only);
 * - initBuffer + baseWindow + termBuffer > numWarmup: buffers become ⌊0.15 W⌋ and ⌊0.1 W⌋
 *   and a single window fills the rest (Stan's "15%/75%/10%" fallback; see
 *   `emulateStanFallback` for what Stan actually does there);
 * - otherwise windows of baseWindow·2ᵏ; a window is stretched to the end of the slow
 *   phase when the next one (twice as long) would not fit.
 * The windows are found by running Stan's own counter logic (`adaptation_window`,
 * `end_adaptation_window`, `compute_next_window`).
 * @example buildSchedule(1000).windows.map((w) => w.end - w.start + 1) // [25, 50, 100, 200, 500]
 */
export function buildSchedule(numWarmup: number, options: ScheduleOptions = {}): AdaptationSchedule {
  let initBuffer = options.initBuffer ?? 75;
  let termBuffer = options.termBuffer ?? 50;
  let baseWindow = options.baseWindow ?? 25;
  checkCount("numWarmup", numWarmup);
  checkCount("initBuffer", initBuffer);
  checkCount("termBuffer", termBuffer);
  checkCount("baseWindow", baseWindow);
  if (numWarmup < 20) {
    return Object.freeze({
      numWarmup,
      initBuffer: 0,
      termBuffer: 0,
      baseWindow: 0,
      windows: Object.freeze([]),
      warning: numWarmup > 0 ? "No metric estimation is performed for numWarmup < 20" : null,
    });
  }
  let warning: string | null = null;
  if (initBuffer + baseWindow + termBuffer > numWarmup) {
    initBuffer = Math.floor(0.15 * numWarmup);
    termBuffer = Math.floor(0.1 * numWarmup);
    baseWindow = numWarmup - (initBuffer + termBuffer);
    warning =
      "There aren't enough warmup iterations to fit the three stages of adaptation as currently configured. " +
      `Reducing each adaptation stage to 15%/75%/10% of the given number of warmup iterations: init_buffer = ${initBuffer}, adapt_window = ${baseWindow}, term_buffer = ${termBuffer}`;
  }
  if (baseWindow === 0 || (warning !== null && options.emulateStanFallback)) {
    return Object.freeze({ numWarmup, initBuffer, termBuffer, baseWindow, windows: Object.freeze([]), warning });
  }
  const slowEnd = numWarmup - termBuffer - 1; // last iteration of the slow phase
  const windows: AdaptationWindow[] = [];
  let windowSize = baseWindow;
  let nextWindow = initBuffer + windowSize - 1;
  let start = -1;
  for (let counter = 0; counter < numWarmup; counter++) {
    const inWindow = counter >= initBuffer && counter < numWarmup - termBuffer;
    if (inWindow && start < 0) start = counter;
    if (counter === nextWindow) {
      windows.push(Object.freeze({ start, end: counter }));
      start = -1;
      // compute_next_window
      if (nextWindow === slowEnd) continue;
      windowSize *= 2;
      nextWindow = counter + windowSize;
      if (nextWindow !== slowEnd && nextWindow + 2 * windowSize >= numWarmup - termBuffer) nextWindow = slowEnd;
    }
  }
  return Object.freeze({ numWarmup, initBuffer, termBuffer, baseWindow, windows: Object.freeze(windows), warning });
}

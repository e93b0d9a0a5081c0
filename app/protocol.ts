/** Messages between the page (main.ts) and the fitting worker (worker.ts). */
export type Method = "mle" | "firth" | "map" | "laplace" | "nuts";

export interface FitRequest {
  type: "fit";
  csv: string;
  formula: string;
  family: string;
  /** "" = the family's default link. */
  link: string;
  method: Method;
  /** rstanarm-style specs; "" = the default. */
  prior: string;
  priorIntercept: string;
  /** Interval methods of the contract: wald, profile, laplace, posterior. */
  intervals: ("wald" | "profile" | "laplace" | "posterior")[];
  level: number;
  nuts: { chains: number; warmup: number; draws: number; seed: number; parallel: boolean };
}

export interface IntervalRowOut { name: string; method: string; estimate: number; lower: number; upper: number }

export interface FitResponse {
  type: "result";
  summary: string;
  json: Record<string, unknown>;
  separation: { detected: boolean | null; infinite: Record<string, string>; checked: boolean; note?: string } | null;
  intervals: IntervalRowOut[];
  intervalsText: string;
  /** The plots, drawn by the library's plotting module (models/plots.ts) in the worker, in display order. */
  plots: PlotOut[];
  seconds: number;
}

/** One plot: its SVG text, or why it could not be drawn (the CLI's wording). */
export type PlotOut = { kind: PlotKind; svg: string } | { kind: PlotKind; error: string };
export type PlotKind = "forest" | "trace" | "rank" | "density" | "ppc" | "residuals" | "qq" | "calibration";

export interface ProgressMessage { type: "progress"; fraction: number; text: string }
export interface ErrorMessage { type: "error"; message: string }
/** Sent once by the worker when it listens: requests posted before may be lost (Chromium), so the page waits for it. */
export interface ReadyMessage { type: "glmkit-worker-ready" }
export type WorkerMessage = FitResponse | ProgressMessage | ErrorMessage | ReadyMessage;

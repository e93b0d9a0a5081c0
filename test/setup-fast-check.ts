/**
 * Every property test runs from a fixed seed, so the suite is reproducible; set
 * FC_SEED to explore other seeds (a failure prints its seed and path to replay).
 * FC_RUNS scales the tests' own run counts where they read it.
 */
import fc from "fast-check";

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261124) });

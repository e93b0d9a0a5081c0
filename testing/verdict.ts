/**
 * A property helper's answer: whether the property holds, why (one sentence),
 * and the numbers behind it. `assertVerdict` turns a failing verdict into an
 * Error whose message carries the reason and the evidence, so fast-check and
 * vitest print them next to the failing seed.
 */

/** The outcome of a property check, with the evidence. */
export interface Verdict<E = Record<string, unknown>> {
  /** True when the property holds. */
  readonly ok: boolean;
  /** One sentence: what holds, or what failed and where. */
  readonly reason: string;
  /** The numbers the decision was made on. */
  readonly evidence: E;
}

/** Builds a verdict. */
export function verdict<E>(ok: boolean, reason: string, evidence: E): Verdict<E> {
  return { ok, reason, evidence };
}

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Float64Array || value instanceof Uint8Array || value instanceof Int32Array) return Array.from(value as ArrayLike<number>);
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}

/** The evidence as compact JSON (typed arrays as arrays, ±Infinity and NaN as strings). */
export function formatEvidence(evidence: unknown): string {
  return JSON.stringify(evidence, replacer);
}

/** Error thrown by {@link assertVerdict}; keeps the verdict. */
export class PropertyViolation extends Error {
  constructor(readonly verdict: Verdict<unknown>) {
    super(`${verdict.reason}\nevidence: ${formatEvidence(verdict.evidence)}`);
    this.name = "PropertyViolation";
  }
}

/**
 * Returns true when the verdict holds; otherwise throws a {@link PropertyViolation}
 * with its reason and evidence (use inside `fc.property`).
 * @example fc.assert(fc.property(glmData(), (d) => assertVerdict(isFiniteEstimate(glm(d.spec).fit()))))
 */
export function assertVerdict(v: Verdict<unknown>): true {
  if (!v.ok) throw new PropertyViolation(v);
  return true;
}

/** All verdicts hold (the reason lists those that do not). */
export function allOf(...verdicts: Verdict<unknown>[]): Verdict<{ parts: Verdict<unknown>[] }> {
  const failed = verdicts.filter((v) => !v.ok);
  return verdict(
    failed.length === 0,
    failed.length === 0 ? verdicts.map((v) => v.reason).join("; ") : failed.map((v) => v.reason).join("; "),
    { parts: verdicts },
  );
}

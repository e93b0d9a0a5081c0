/**
 * Links against R 4.2 (fixture written by test/reference/families.R) and properties.
 * Tolerances: 1e-12 relative for R agreement unless a comment says why; the
 * finite-difference properties use a bound derived from the stencil's truncation
 * error plus its round-off (ε·|f|/h).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ArgumentError, FamilyError } from "../../src/errors.js";
import { LINK_NAMES, makeLink, powerLink } from "../../src/links.js";
import { formatR, qnormStd, roundR } from "../../src/families/rmath.js";
import { negativeBinomialName } from "../../src/families/index.js";
import type { Link } from "../../src/types.js";

/** Fixed fast-check seed: failures reproduce, and CI cannot flake. */
const SEED = 20240611;

type Num = number | string;
const decode = (v: Num): number =>
  typeof v === "number" ? v : v === "Inf" ? Infinity : v === "-Inf" ? -Infinity : NaN;
const nums = (a: Num[]): number[] => a.map(decode);

interface LinkCase {
  spec: string;
  name: string;
  eta: Num[];
  linkinv: Num[];
  mu_eta: Num[];
  valideta: boolean[];
  mu: Num[];
  linkfun: Num[];
  linkfun_accurate: Num[];
}
const ref = JSON.parse(readFileSync(new URL("../reference/families.json", import.meta.url), "utf8")) as {
  links: LinkCase[];
  consts: {
    probit_thresh: number;
    cauchit_thresh: number;
    qnorm_p: Num[];
    qnorm_q: Num[];
    power_names: { lambda: number[]; name: string[] };
    negbin_names: { theta: number[]; name: string[] };
    round: { x: number[]; digits: number[]; value: number[] };
    format: { x: number[]; format7: string[]; character15: string[] };
  };
};

const EPS = 2.220446049250313e-16;

/** |a − b| ≤ rel·|b| (+ abs); equal non-finite values count as equal. */
function expectClose(a: number, b: number, rel: number, what: string, abs = 0): void {
  if (!Number.isFinite(b) || !Number.isFinite(a)) {
    expect(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)), `${what}: ${a} vs ${b}`).toBe(true);
    return;
  }
  const err = Math.abs(a - b);
  expect(err <= rel * Math.abs(b) + abs, `${what}: got ${a}, R ${b}, rel err ${err / Math.abs(b)}`).toBe(true);
}

describe("links agree with R 4.2 make.link / power", () => {
  for (const c of ref.links) {
    it(`${c.spec}: name, linkinv, mu.eta, valideta, linkfun`, () => {
      const link = makeLink(c.spec);
      expect(link.name).toBe(c.name);
      const eta = nums(c.eta);
      const inv = nums(c.linkinv);
      const me = nums(c.mu_eta);
      eta.forEach((e, i) => {
        expectClose(link.linkinv(e), inv[i]!, 1e-12, `${c.spec} linkinv(${e})`);
        expectClose(link.muEta(e), me[i]!, 1e-12, `${c.spec} muEta(${e})`);
        expect(link.validEta(e), `${c.spec} validEta(${e})`).toBe(c.valideta[i]);
      });
      const mu = nums(c.mu);
      const accurate = nums(c.linkfun_accurate);
      const rOwn = nums(c.linkfun);
      mu.forEach((m, i) => {
        expectClose(link.linkfun(m), accurate[i]!, 1e-12, `${c.spec} linkfun(${m})`);
        // R's cloglog linkfun, log(-log(1 - mu)), loses digits to 1 − μ for tiny μ
        // (3e-6 relative at μ = 1e-12); ours uses log1p, so agreement with R's own
        // value is only to that precision.
        expectClose(link.linkfun(m), rOwn[i]!, c.spec === "cloglog" ? 1e-5 : 1e-12, `${c.spec} R linkfun(${m})`);
      });
    });
  }

  it("clamp thresholds equal R's −qnorm(ε) and −qcauchy(ε)", () => {
    // Just beyond the thresholds the links return their clamped values.
    const probit = makeLink("probit");
    const t = ref.consts.probit_thresh;
    expect(probit.linkinv(t + 1)).toBe(probit.linkinv(t));
    expect(probit.linkinv(-t - 1)).toBe(probit.linkinv(-t));
    expect(probit.linkinv(-t + 0.01)).toBeGreaterThan(probit.linkinv(-t));
    expectClose(-qnormStd(EPS), ref.consts.probit_thresh, 1e-15, "probit threshold");
    const cauchit = makeLink("cauchit");
    expect(cauchit.linkinv(-ref.consts.cauchit_thresh * 4)).toBe(cauchit.linkinv(-ref.consts.cauchit_thresh));
  });

  it("qnorm (AS 241) agrees with R to 1e-15 relative", () => {
    const p = nums(ref.consts.qnorm_p);
    const q = nums(ref.consts.qnorm_q);
    // 2 ulps: R and we evaluate the same rational functions, but log/sqrt may round differently.
    p.forEach((pi, i) => expectClose(qnormStd(pi), q[i]!, 4 * EPS, `qnorm(${pi})`));
    expect(qnormStd(0)).toBe(-Infinity);
    expect(qnormStd(1)).toBe(Infinity);
    expect(qnormStd(1.5)).toBeNaN();
  });

  it("power(λ) names are R's paste0('mu^', round(λ, 3))", () => {
    const { lambda, name } = ref.consts.power_names;
    lambda.forEach((l, i) => expect(powerLink(l).name).toBe(name[i]));
    expect(powerLink(1)).toBe(makeLink("identity"));
    expect(powerLink(0)).toBe(makeLink("log"));
    expect(powerLink(-1)).toBe(makeLink("log")); // R: non-positive λ "is taken as zero"
    expect(makeLink("power(1/3)").name).toBe("mu^0.333");
    expect(makeLink("power( 2 )").name).toBe("mu^2");
  });

  it("MASS's negative binomial name formats θ as format(round(θ, 4))", () => {
    const { theta, name } = ref.consts.negbin_names;
    theta.forEach((t, i) => expect(negativeBinomialName(t)).toBe(name[i]));
  });

  it("roundR is R's round(x, d) and formatR R's format(x) / as.character(x)", () => {
    const r = ref.consts.round;
    r.x.forEach((x, i) => expect(roundR(x, r.digits[i]!), `round(${x}, ${r.digits[i]})`).toBe(r.value[i]));
    const f = ref.consts.format;
    f.x.forEach((x, i) => {
      expect(formatR(x, 7), `format(${x})`).toBe(f.format7[i]);
      expect(formatR(x, 15), `as.character(${x})`).toBe(f.character15[i]);
    });
  });
});

describe("link errors", () => {
  it("unknown names throw a FamilyError listing the valid names", () => {
    expect(() => makeLink("logistic")).toThrow(FamilyError);
    expect(() => makeLink("logistic")).toThrow(/link "logistic" is not recognised; valid links: identity, log, logit, probit, cloglog, cauchit, inverse, 1\/mu\^2, sqrt, power\(λ\)/);
    expect(() => makeLink("power(abc)")).toThrow(FamilyError);
    expect(() => makeLink("power(1/0)")).toThrow(FamilyError);
    expect(() => makeLink("power()")).toThrow(/power\(0.5\)/);
    expect(() => powerLink(NaN)).toThrow(ArgumentError);
  });

  it("linkfun outside the link's domain throws an ArgumentError naming mu and the link", () => {
    for (const name of ["logit", "probit", "cloglog", "cauchit"]) {
      expect(() => makeLink(name).linkfun(1.5)).toThrow(ArgumentError);
      expect(() => makeLink(name).linkfun(-0.1)).toThrow(new RegExp(`mu = -0.1 .*${name}`));
    }
    for (const name of ["log", "sqrt", "power(0.5)"]) expect(() => makeLink(name).linkfun(-1)).toThrow(ArgumentError);
  });
});

/* ------------------------------------------------------------------ properties */

interface Domain {
  link: Link;
  /** μ range (inclusive) where linkinv(linkfun(μ)) must return μ. */
  mu: [number, number];
  /** η range away from the clamps, for finite differences. */
  eta: [number, number];
  /** η range over which linkinv/muEta/muEta2 must be finite (down to where μ′ or μ″ overflow for η → 0). */
  finite: [number, number];
  /** η > 0 only: finite-difference steps are then relative to η. */
  positive: boolean;
}
const unit = (name: string, eta: [number, number]): Domain => ({
  link: makeLink(name), mu: [1e-8, 1 - 1e-8], eta, finite: [-700, 700], positive: false,
});
const DOMAINS: Domain[] = [
  { link: makeLink("identity"), mu: [-1e6, 1e6], eta: [-1e3, 1e3], finite: [-700, 700], positive: false },
  { link: makeLink("log"), mu: [1e-10, 1e10], eta: [-30, 30], finite: [-700, 700], positive: false },
  unit("logit", [-15, 15]),
  unit("probit", [-7.5, 7.5]),
  unit("cauchit", [-1e3, 1e3]),
  unit("cloglog", [-15, 3.4]),
  // 2/η³ overflows below η ≈ 1e-102.
  { link: makeLink("inverse"), mu: [1e-6, 1e6], eta: [1e-3, 1e3], finite: [1e-100, 700], positive: true },
  // ¾η^(−5/2) overflows below η ≈ 1e-123.
  { link: makeLink("1/mu^2"), mu: [1e-6, 1e6], eta: [1e-3, 1e3], finite: [1e-120, 700], positive: true },
  { link: makeLink("sqrt"), mu: [0, 1e10], eta: [1e-3, 1e3], finite: [1e-300, 700], positive: true },
  { link: makeLink("power(0.5)"), mu: [1e-6, 1e10], eta: [1e-3, 1e3], finite: [1e-300, 700], positive: true },
  { link: makeLink("power(1/3)"), mu: [1e-6, 1e10], eta: [1e-3, 1e3], finite: [1e-300, 700], positive: true },
  // −¼η^(−3/2) overflows below η ≈ 1e-205.
  { link: makeLink("power(2)"), mu: [1e-6, 1e10], eta: [1e-3, 1e3], finite: [1e-200, 700], positive: true },
];

const double = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });

/** Five-point central difference of f at x with step h. */
function fivePoint(f: (x: number) => number, x: number, h: number): number {
  return (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h) - f(x + 2 * h)) / (12 * h);
}

describe("link properties (fast-check)", () => {
  for (const d of DOMAINS) {
    const L = d.link;
    it(`${L.name}: linkinv(linkfun(μ)) = μ on the link's domain`, () => {
      fc.assert(
        fc.property(double(d.mu[0], d.mu[1]), (mu) => {
          const back = L.linkinv(L.linkfun(mu));
          // Relative 1e-13 in μ, and for the (0, 1) links also relative in 1 − μ, plus
          // a few ulps for the rounding of 1 − μ itself.
          const scale = d.mu[1] === 1 - 1e-8 ? Math.min(mu, 1 - mu) : Math.abs(mu);
          return Math.abs(back - mu) <= 1e-13 * scale + 4 * EPS * Math.abs(mu);
        }),
        { numRuns: 500, seed: SEED },
      );
    });

    it(`${L.name}: muEta matches a finite difference of linkinv`, () => {
      fc.assert(
        fc.property(double(d.eta[0], d.eta[1]), (eta) => {
          const h = 1e-4 * (d.positive ? eta : Math.max(1, Math.abs(eta)));
          const fd = fivePoint(L.linkinv, eta, h);
          const exact = L.muEta(eta);
          // Truncation O(h⁴·f⁽⁵⁾) is far below 1e-6 relative here; round-off ~ ε·|μ|/h.
          const tol = 1e-6 * Math.abs(exact) + (8 * EPS * Math.abs(L.linkinv(eta))) / h;
          return Math.abs(fd - exact) <= tol;
        }),
        { numRuns: 300, seed: SEED },
      );
    });

    it(`${L.name}: muEta2 matches a finite difference of muEta`, () => {
      fc.assert(
        fc.property(double(d.eta[0], d.eta[1]), (eta) => {
          const h = 1e-4 * (d.positive ? eta : Math.max(1, Math.abs(eta)));
          // Skip the ε floor of muEta, where muEta is flat on purpose.
          const near = [eta - 2 * h, eta + 2 * h].map((e) => Math.abs(L.muEta(e)));
          if (near.some((v) => v <= 1e3 * EPS)) return true;
          const fd = fivePoint(L.muEta, eta, h);
          const exact = L.muEta2(eta);
          const tol = 1e-6 * Math.abs(exact) + 1e-7 * Math.abs(L.muEta(eta)) + (8 * EPS * Math.abs(L.muEta(eta))) / h;
          return Math.abs(fd - exact) <= tol;
        }),
        { numRuns: 300, seed: SEED },
      );
    });

    it(`${L.name}: linkinv, muEta and muEta2 are finite over the valid η range`, () => {
      fc.assert(
        fc.property(double(d.finite[0], d.finite[1]), (eta) => {
          if (!L.validEta(eta)) return true;
          return Number.isFinite(L.linkinv(eta)) && Number.isFinite(L.muEta(eta)) && Number.isFinite(L.muEta2(eta));
        }),
        { numRuns: 500, seed: SEED },
      );
      for (const e of [d.finite[0], d.finite[1]]) {
        expect(Number.isFinite(L.linkinv(e)) && Number.isFinite(L.muEta(e)) && Number.isFinite(L.muEta2(e))).toBe(true);
      }
    });
  }

  it("links defined on the whole line are finite for |η| ≤ 700 and at the clamp edges", () => {
    for (const name of ["identity", "log", "logit", "probit", "cloglog", "cauchit"]) {
      const L = makeLink(name);
      for (const e of [-700, -709, -40, -30.5, -30, 30, 30.5, 40, 700]) {
        const vals = [L.linkinv(e), L.muEta(e), L.muEta2(e)];
        expect(vals.every(Number.isFinite), `${name} at η = ${e}: ${vals}`).toBe(true);
      }
    }
  });

  it("linkinv of the (0, 1) links stays strictly inside (0, 1) and muEta ≥ ε", () => {
    for (const name of ["logit", "probit", "cloglog", "cauchit"]) {
      const L = makeLink(name);
      fc.assert(
        fc.property(double(-1e300, 1e300), (eta) => {
          const mu = L.linkinv(eta);
          return mu > 0 && mu < 1 && L.muEta(eta) >= EPS;
        }),
        { seed: SEED },
      );
    }
  });

  it("LINK_NAMES all build", () => {
    for (const n of LINK_NAMES) expect(makeLink(n).name).toBe(n);
  });
});

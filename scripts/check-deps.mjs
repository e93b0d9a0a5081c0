// The layer rules of .dependency-cruiser.cjs, checked with dependency-cruiser over every
// project folder, plus the same `forbidden` rules applied to modules loaded by URL
// (`new URL("./x.js", import.meta.url)`, `workerEntryUrl(import.meta.url, "./x")`: worker
// entries and loader hooks), which dependency-cruiser does not see.
//
//   node scripts/check-deps.mjs            (npm run lint:deps; npm test runs it first)
//   node scripts/check-deps.mjs --strict   (known violations count as failures too)
//   node scripts/check-deps.mjs --loads    (also lists the loads by URL it found)
//
// Violations listed in .dependency-cruiser-known-violations.json (dependency-cruiser's own
// known-violations format, so `npx depcruise --ignore-known` reads it as well) are printed
// as known and do not fail the run; any other violation does (exit code 1). Delete an entry
// once its violation is fixed: an entry that no longer matches is reported as stale.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { cruise } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import ts from "typescript";

const REPO = resolve(dirname(new URL(import.meta.url).pathname), "..");
// GLMKIT_DEPS_ROOT checks another tree against this repository's rules (the checker's own test).
const ROOT = process.env.GLMKIT_DEPS_ROOT ? resolve(process.env.GLMKIT_DEPS_ROOT) : REPO;
const CONFIG = join(REPO, ".dependency-cruiser.cjs");
const KNOWN = join(ROOT, ".dependency-cruiser-known-violations.json");
const FOLDERS = ["src", "samplers", "models", "bin", "testing", "bench", "scripts", "examples", "test"];
const strict = process.argv.includes("--strict");
const listLoads = process.argv.includes("--loads");

const posix = (p) => p.split(sep).join("/");
const asList = (x) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const matchesAny = (patterns, path) => asList(patterns).some((re) => new RegExp(re).test(path));

/** Dependencies by URL: string literals passed next to `import.meta.url`, resolved to files. */
function urlLoads(modules) {
  const loads = [];
  for (const from of modules) {
    if (!/\.(ts|mts|mjs|js)$/.test(from) || from.endsWith(".d.ts")) continue;
    const text = readFileSync(join(ROOT, from), "utf8");
    if (!text.includes("import.meta.url")) continue;
    const sf = ts.createSourceFile(from, text, ts.ScriptTarget.ES2022, true);
    const literals = (node, out) => {
      if (ts.isStringLiteralLike(node)) out.push(node.text);
      else if (ts.isConditionalExpression(node)) {
        literals(node.whenTrue, out);
        literals(node.whenFalse, out);
      } else if (ts.isParenthesizedExpression(node)) literals(node.expression, out);
      return out;
    };
    const visit = (node) => {
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments?.some((a) => a.getText(sf) === "import.meta.url")) {
        for (const a of node.arguments) {
          for (const spec of literals(a, [])) {
            if (!spec.startsWith("./") && !spec.startsWith("../")) continue;
            const line = sf.getLineAndCharacterOfPosition(a.getStart(sf)).line + 1;
            loads.push({ from, spec, line, to: resolveLoad(from, spec) });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return loads;
}

function resolveLoad(from, spec) {
  const base = resolve(ROOT, dirname(from), spec);
  const candidates = [base];
  if (base.endsWith(".js")) candidates.unshift(base.slice(0, -3) + ".ts");
  if (!/\.[cm]?[jt]s$/.test(base)) candidates.push(`${base}.ts`, `${base}.mjs`, `${base}.js`);
  const hit = candidates.find((c) => existsSync(c));
  return hit ? posix(relative(ROOT, hit)) : null;
}

/** The rules of `forbidden` that concern paths (or unresolvable targets) applied to one URL load. */
function urlLoadViolations(rules, load) {
  const out = [];
  for (const rule of rules) {
    const from = rule.from ?? {};
    const to = rule.to ?? {};
    if (to.circular !== undefined) continue;
    if (from.path && !matchesAny(from.path, load.from)) continue;
    if (from.pathNot && matchesAny(from.pathNot, load.from)) continue;
    if (to.couldNotResolve) {
      if (load.to === null) out.push(rule);
      continue;
    }
    if (load.to === null) continue;
    if (to.path && !matchesAny(to.path, load.to)) continue;
    if (to.pathNot && matchesAny(to.pathNot, load.to)) continue;
    out.push(rule);
  }
  return out;
}

const key = (v) => `${v.rule.name}|${v.from}|${v.to}`;

function describe(v) {
  const path = v.cycle ? [v.from, ...v.cycle.map((c) => (typeof c === "string" ? c : c.name))].join(" → ") : `${v.from} → ${v.to}`;
  return `${v.rule.name}: ${path}${v.via ? ` (${v.via})` : ""}`;
}

async function main() {
  const options = await extractDepcruiseOptions(CONFIG);
  const tsConfig = extractTSConfig(join(REPO, options.tsConfig?.fileName ?? "tsconfig.json"));
  const folders = FOLDERS.filter((f) => existsSync(join(ROOT, f)));
  const previous = process.cwd();
  process.chdir(ROOT);
  let result;
  try {
    result = (await cruise(folders, options, undefined, { tsConfig })).output;
  } finally {
    process.chdir(previous);
  }
  const project = result.modules.filter((m) => !m.coreModule && !m.couldNotResolve && !m.source.includes("node_modules/"));
  const violations = result.summary.violations.map((v) => ({ rule: { name: v.rule.name, severity: v.rule.severity }, from: v.from, to: v.to, cycle: v.cycle, type: v.type }));
  const rules = options.ruleSet?.forbidden ?? [];
  const loads = urlLoads(project.map((m) => m.source));
  for (const load of loads) {
    for (const rule of urlLoadViolations(rules, load)) {
      violations.push({
        rule: { name: rule.name, severity: rule.severity }, from: load.from, to: load.to ?? load.spec, type: "dependency",
        via: `loaded by URL "${load.spec}" at line ${load.line}`,
      });
    }
  }
  const known = !strict && existsSync(KNOWN) ? JSON.parse(readFileSync(KNOWN, "utf8")) : [];
  const knownKeys = new Set(known.map(key));
  const fresh = violations.filter((v) => !knownKeys.has(key(v)));
  const listed = violations.filter((v) => knownKeys.has(key(v)));
  const seen = new Set(violations.map(key));
  const stale = known.filter((v) => !seen.has(key(v)));
  const cycles = violations.filter((v) => v.rule.name === "no-circular").length;

  console.log(`dependency rules (.dependency-cruiser.cjs): ${project.length} modules, ${result.summary.totalCruised - project.length} packages and built-ins, ${result.summary.totalDependenciesCruised} imports, ${loads.length} loads by URL`);
  if (listLoads) for (const l of loads) console.log(`  load by URL: ${l.from}:${l.line} "${l.spec}" → ${l.to ?? "(unresolved)"}`);
  for (const v of fresh) console.log(`  ✗ ${describe(v)}`);
  if (listed.length > 0) {
    console.log(`  known violations (${relative(ROOT, KNOWN)}; fix them, then delete their entries):`);
    for (const v of listed) console.log(`  ! ${describe(v)}`);
  }
  for (const v of stale) console.log(`  stale known entry (no longer violated; delete it): ${v.rule.name}: ${v.from} → ${v.to}`);
  const rulesOk = fresh.length === 0;
  console.log(
    `dependency rules: ${rulesOk ? "ok" : "FAILED"}: ${fresh.length} violation${fresh.length === 1 ? "" : "s"}` +
      `${listed.length ? `, ${listed.length} known` : ""}; import cycles: ${cycles}`,
  );
  process.exitCode = rulesOk ? 0 : 1;
}

main().catch((err) => {
  console.error(`dependency rules: could not run dependency-cruiser: ${err?.stack ?? err}`);
  process.exitCode = 1;
});

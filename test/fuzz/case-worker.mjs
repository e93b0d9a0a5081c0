// Runs fuzz cases against the compiled API (dist/) on a worker thread, so that a case
// that hangs can be killed. Each message is one case; the reply says what happened.
import { parentPort } from "node:worker_threads";
import * as glmkit from "../../dist/models/index.js";

await glmkit.loadLpSolver(); // as `glmkit` in Node (dist/models/entries/node.js) does on import

async function run(c) {
  const model = glmkit.glm(c.spec);
  let fit;
  if (c.method === "mle") fit = model.fit(c.control);
  else if (c.method === "firth") fit = model.firth(c.control);
  else if (c.method === "map") fit = model.map(c.control);
  else if (c.method === "laplace") fit = model.laplace(c.control);
  else fit = await model.sample(c.control);
  const json = fit.toJSON();
  const summary = fit.summary();
  if (typeof summary !== "string" || summary.length === 0) throw new Error("summary() gave no text");
  if (c.method === "mle" && c.predict) fit.predict(c.predict, { type: "response", seFit: true });
  return json;
}

parentPort.on("message", async (c) => {
  try {
    const json = await run(c);
    parentPort.postMessage({ kind: "result", json });
  } catch (e) {
    const typed = e instanceof glmkit.GlmkitError;
    parentPort.postMessage({ kind: typed ? "error" : "crash", name: e?.name ?? typeof e, message: String(e?.message ?? e), stack: String(e?.stack ?? "") });
  }
});

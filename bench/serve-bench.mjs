// The server's benchmarks (docs/benchmarks.md): the p95 latency of POST /api/v1/check under load
// (autocannon, goal < 20 ms), and the findings page and filter times on a run of 1,000,000 findings in
// SQLite (written through the same writer a run uses). Measures the built server (dist/).
//
//   node bench/serve-bench.mjs [--count 1000000] [--seconds 10] [--connections 1,4] [--json-out file]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { importDist, ROOT } from "./lib/dist-library.mjs";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "1000000" },
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "1,4" },
    "json-out": { type: "string" },
  },
});
const FINDINGS = Number(values.count);
const CHECK_GOAL_MS = 20;
const PAGE = 50;

const { createServer } = await importDist("server/app.js");
const { loadCheckBase } = await importDist("server/checker.js");
const { openDatabase } = await importDist("server/storage/database.js");
const { createRunWriter, insertRun } = await importDist("server/storage/runs-store.js");
const { queryFindings, queryListings } = await importDist("server/storage/run-queries.js");

const work = mkdtempSync(path.join(os.tmpdir(), "listing-audit-serve-bench-"));
const result = { findings: FINDINGS };
try {
  result.check = [];
  for (const connections of values.connections.split(",").map(Number)) {
    const check = await benchCheck(connections);
    result.check.push(check);
    console.log(
      `check, ${connections} connection(s): p95 ${check.p95Ms} ms, p50 ${check.p50Ms} ms, p99 ${check.p99Ms} ms, ` +
        `${check.requestsPerSecond} requests/s over ${check.requests} requests — ` +
        `${check.p95Ms < CHECK_GOAL_MS ? "PASS" : "FAIL"} (goal p95 < ${CHECK_GOAL_MS} ms)`,
    );
  }
  result.findings = benchFindings();
  for (const [name, ms] of Object.entries(result.findings.queries)) console.log(`findings ${name}: ${ms} ms`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (values["json-out"]) writeFileSync(values["json-out"], JSON.stringify(result, null, 2));

/** A typical listing (title, selling point, SKUs, a detail page) against the sample shop's templates. */
async function benchCheck(connections) {
  const base = await loadCheckBase();
  if (!base.ok) throw new Error(JSON.stringify(base.errors));
  const app = await createServer({ dataDir: path.join(work, "check"), base: base.value });
  const origin = await app.listen({ host: "127.0.0.1", port: 0 });
  const sample = JSON.parse(readFileSync(path.join(ROOT, "samples", "listings.json"), "utf8")).listings.find(
    (l) => l.id === "1002",
  );
  const body = JSON.stringify({
    listing: sample,
    templateText: readFileSync(path.join(ROOT, "samples", "templates", "shop-templates.yaml"), "utf8"),
  });
  const latencies = [];
  // Warm up: the first request builds the auditor for this template text (cached after).
  await fetch(`${origin}/api/v1/check`, { method: "POST", headers: { "content-type": "application/json" }, body });
  const run = await autocannon({
    url: `${origin}/api/v1/check`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    connections,
    duration: Number(values.seconds),
    setupClient: (client) => client.on("response", (_status, _bytes, ms) => latencies.push(ms)),
  });
  await app.close();
  if (run.non2xx > 0 || run.errors > 0) throw new Error(`check answered ${run.non2xx} non-2xx, ${run.errors} errors`);
  latencies.sort((a, b) => a - b);
  const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10;
  return {
    connections,
    requests: latencies.length,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    requestsPerSecond: Math.round(run.requests.average),
  };
}

/** Writes FINDINGS findings (4 per listing) through the run writer, then times the queries the app makes. */
function benchFindings() {
  const db = openDatabase(path.join(work, "findings"));
  const runId = "0123456789abcdef";
  insertRun(db, { id: runId, shop: "bench", platform: "taobao", lang: "zh", files: [] });
  const writer = createRunWriter(db, runId, "bench", new Map());
  const rules = [
    "shipping/claim-charged-region",
    "shipping/vague-exclusion",
    "invoice/refusal",
    "shipping/overseas-not-stated",
  ];
  const severities = ["error", "info", "warning", "info"];
  const regionSets = [
    ["650000", "540000"],
    ["150000", "620000", "630000", "640000"],
    [],
    ["710000", "810000", "820000"],
  ];
  const started = performance.now();
  const listings = Math.ceil(FINDINGS / 4);
  for (let i = 0; i < listings; i++) {
    const id = String(100000 + i);
    const title = `全国包邮 商品${i} ${i % 97 === 0 ? "稀有词" : "保温杯"}`;
    const findings = rules.slice(0, Math.min(4, FINDINGS - i * 4)).map((ruleId, k) => ({
      ruleId,
      severity: severities[k],
      listingId: id,
      message: `标题宣称「全国包邮」，但运费模板 T1 对 ${regionSets[k].join("、")} 收取运费`,
      source: { file: "export.csv", row: i + 1, line: i + 2, field: "title" },
      claim: { text: "全国包邮", field: "title", start: 0, end: 4 },
      relatedClaims: [],
      regions: regionSets[k].map((code) => ({ code, name: code, fee: 20, quantity: 1 })),
      templateId: "T1",
      fix: "在标题写明「新疆西藏除外」",
      reference: "",
    }));
    writer.listing({
      record: { listing: { id, title }, source: { file: "export.csv", row: i + 1 } },
      findings,
      problems: [],
    });
  }
  writer.finish({ listings, findings: FINDINGS, error: 0, warning: 0, info: 0, problems: 0, skipped: 0 });
  const writeSeconds = Math.round((performance.now() - started) / 100) / 10;
  console.log(`findings: wrote ${FINDINGS} findings of ${listings} listings in ${writeSeconds} s`);

  const time = (fn) => {
    fn();
    const runs = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      fn();
      runs.push(performance.now() - t0);
    }
    runs.sort((a, b) => a - b);
    return Math.round(runs[2] * 100) / 100;
  };
  const page =
    (filter, cursor = 0) =>
    () =>
      queryFindings(db, runId, filter, cursor, PAGE);
  const queries = {
    "first page": time(page({})),
    "page deep in the run (cursor at 90%)": time(page({}, Math.floor(FINDINGS * 0.9))),
    "severity=error": time(page({ severity: ["error"] })),
    "rule=invoice/refusal": time(page({ rule: "invoice/refusal" })),
    "region=650000": time(page({ region: "650000" })),
    "status=new": time(page({ status: "new" })),
    "listing=<one id>": time(page({ listing: String(100000 + Math.floor(listings / 2)) })),
    "text search, common word": time(page({ q: "保温杯" })),
    "text search, rare word (1 listing in 97)": time(page({ q: "稀有词" })),
    "text search, no match (scans the run)": time(page({ q: "没有这个词" })),
    "listings worst first": time(() => queryListings(db, runId, { sort: "severity" }, 0, PAGE)),
  };
  db.close();
  return { writeSeconds, listings, queries };
}

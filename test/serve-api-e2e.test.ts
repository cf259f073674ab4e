import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "../src/audit.js";
import { reporters } from "../src/report/index.js";
import { REMOTE_TEMPLATE, startServe, type ServeHarness } from "./helpers/serve-harness.js";

const SAMPLES = path.resolve(import.meta.dirname, "..", "samples");
const TEMPLATES_YAML = readFileSync(path.join(SAMPLES, "templates", "shop-templates.yaml"), "utf8");
const LISTINGS = readFileSync(path.join(SAMPLES, "listings.json"), "utf8");

let serve: ServeHarness;
beforeAll(async () => {
  serve = await startServe();
}, 60_000);
afterAll(async () => {
  await serve?.close();
});

/** Uploads files as a run and waits, over the events stream, until it has finished. */
async function uploadRun(shop: string, files: { field: string; name: string; text: string }[]): Promise<string> {
  const form = new FormData();
  form.set("shop", shop);
  for (const file of files) form.append(file.field, new Blob([file.text]), file.name);
  const started = await serve.api("POST", "/api/v1/runs", form);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const id: string = started.body.id;
  const events = await fetch(`${serve.origin}/api/v1/runs/${id}/events`);
  expect(events.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const text = await events.text();
  expect(text).toMatch(/event: done\ndata: \{"type":"done","status":"(done|failed)"\}/);
  return id;
}

/** Every page of a findings query, following the cursor. */
async function allFindings(id: string, query: string, limit = 5) {
  const items = [];
  let cursor: string | null = "";
  let pages = 0;
  while (cursor !== null) {
    const page = await serve.api(
      "GET",
      `/api/v1/runs/${id}/findings?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ""}`,
    );
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.next;
    pages++;
  }
  return { items, pages };
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 and lists every part of the API", async () => {
    // biome-ignore lint/suspicious/noExplicitAny: the document is read as the server wrote it
    const doc: any = await (await fetch(`${serve.origin}/api/openapi.json`)).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/v1/check",
      "/api/v1/rules",
      "/api/v1/rules/{id}/page",
      "/api/v1/runs",
      "/api/v1/runs/{id}",
      "/api/v1/runs/{id}/events",
      "/api/v1/runs/{id}/facets",
      "/api/v1/runs/{id}/findings",
      "/api/v1/runs/{id}/fixed",
      "/api/v1/runs/{id}/listings",
      "/api/v1/runs/{id}/report",
      "/api/v1/shops/{shop}/compare",
      "/api/v1/shops/{shop}/runs",
      "/api/v1/shops/{shop}/settings",
      "/api/v1/templates",
      "/api/v1/templates/{id}",
      "/api/v1/templates/{id}/fees",
    ]);
    expect(doc.paths["/api/v1/runs"].post.requestBody.content).toHaveProperty("multipart/form-data");
  });
});

describe("POST /api/v1/check", () => {
  const listing = { id: "A1", title: "全国包邮 保温杯", price: 39, templateId: "T1" };

  it("answers a listing's findings in the report's shape, with the claim marked in its field", async () => {
    const res = await serve.api("POST", "/api/v1/check", { listing, templates: REMOTE_TEMPLATE });
    expect(res.status).toBe(200);
    const charged = res.body.findings.find((f: { ruleId: string }) => f.ruleId === "shipping/claim-charged-region");
    expect(charged).toMatchObject({
      severity: "error",
      listingId: "A1",
      claim: { text: "全国包邮", field: "title", start: 0, end: 4 },
      templateId: "T1",
      regions: [
        { code: "540000", fee: 20 },
        { code: "650000", fee: 20 },
      ],
    });
    expect(res.body.fields[0]).toMatchObject({
      field: "title",
      text: "全国包邮 保温杯",
      claims: [{ start: 0, end: 4 }],
    });
  });

  it("drops the finding once the text discloses the regions, and marks the disclosure", async () => {
    const fixed = { ...listing, title: "全国包邮（新疆西藏除外） 保温杯" };
    const res = await serve.api("POST", "/api/v1/check", { listing: fixed, templates: REMOTE_TEMPLATE, lang: "en" });
    expect(res.status).toBe(200);
    expect(res.body.findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain("shipping/claim-charged-region");
    expect(res.body.fields[0].disclosures[0]).toMatchObject({ text: "新疆西藏除外" });
  });

  it("answers each finding's one-click text fix; the corrected listing checks clean", async () => {
    const res = await serve.api("POST", "/api/v1/check", { listing, templates: REMOTE_TEMPLATE });
    expect(res.body.fixes).toHaveLength(res.body.findings.length);
    const at = res.body.findings.findIndex((f: { ruleId: string }) => f.ruleId === "shipping/claim-charged-region");
    const fix = res.body.fixes[at];
    expect(fix.refused).toBeUndefined();
    expect(fix.edits).toHaveLength(1);
    // The exclusion goes into the 宝贝卖点, beside the title where buyers read the claim.
    expect(fix.edits[0]).toMatchObject({ field: "subtitle", before: "" });
    expect(fix.edits[0].after).toMatch(/新疆.*西藏|西藏.*新疆/);
    const corrected = { ...listing, [fix.edits[0].field]: fix.edits[0].after };
    const again = await serve.api("POST", "/api/v1/check", { listing: corrected, templates: REMOTE_TEMPLATE });
    expect(again.status).toBe(200);
    expect(again.body.findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain("shipping/claim-charged-region");
  });

  it.each([
    ["zh", /\d+ 个省份中有 \d+ 个收运费/],
    ["en", /\d+ of \d+ provinces pay/],
  ])("refuses a fix no exclusion can make, saying why (%s)", async (lang, why) => {
    const everywhere = {
      templates: [{ ...REMOTE_TEMPLATE.templates[0], default: { first: 1, firstFee: 8, next: 1, nextFee: 2 } }],
    };
    const res = await serve.api("POST", "/api/v1/check", { listing, templates: everywhere, lang });
    const at = res.body.findings.findIndex((f: { ruleId: string }) => f.ruleId === "shipping/claim-charged-region");
    expect(at).toBeGreaterThanOrEqual(0);
    expect(res.body.fixes[at]).toMatchObject({ edits: [], refused: { reason: "most-regions-pay" } });
    expect(res.body.fixes[at].refused.message).toMatch(why);
  });

  it("takes templates as YAML text or by a stored document's id, with the same answer", async () => {
    const inline = await serve.api("POST", "/api/v1/check", { listing, templates: REMOTE_TEMPLATE });
    const asText = await serve.api("POST", "/api/v1/check", { listing, templateText: JSON.stringify(REMOTE_TEMPLATE) });
    const created = await serve.api("POST", "/api/v1/templates", {
      name: "remote",
      text: JSON.stringify(REMOTE_TEMPLATE),
    });
    const stored = await serve.api("POST", "/api/v1/check", { listing, templateId: created.body.id });
    expect(asText.body.findings).toEqual(inline.body.findings);
    expect(stored.body.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(
      inline.body.findings.map((f: { ruleId: string }) => f.ruleId),
    );
  });

  it.each([
    ["a listing without a title", { listing: { id: "x" } }, "listing/missing-title"],
    ["a price that is text", { listing: { id: "x", title: "t", price: "cheap" } }, "listing/invalid"],
    [
      "a template with an unknown area",
      {
        listing,
        templates: {
          templates: [
            {
              ...REMOTE_TEMPLATE.templates[0],
              regions: [{ areas: ["火星"], first: 1, firstFee: 1, next: 1, nextFee: 1 }],
            },
          ],
        },
      },
      "templates",
    ],
    ["templates given twice", { listing, templates: REMOTE_TEMPLATE, templateText: "templates: []" }, undefined],
    ["an unknown field", { listing, extra: 1 }, undefined],
  ])("refuses %s with a 400 and a located message", async (_name, body, where) => {
    const res = await fetch(`${serve.origin}/api/v1/check`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string; errors?: unknown[] } };
    expect(error.message).not.toBe("");
    if (where !== undefined) expect(JSON.stringify(error.errors)).toContain(where);
  });

  it("answers a body that is not JSON with a 400, never a 500", async () => {
    const res = await fetch(`${serve.origin}/api/v1/check`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
  });
});

describe("templates", () => {
  it("creates, lists, replaces and deletes a document, refusing bad ones with file, line and key", async () => {
    const created = await serve.api("POST", "/api/v1/templates", { name: "shop.yaml", text: TEMPLATES_YAML });
    expect(created.status).toBe(201);
    expect(created.body.templateIds).toContain("T-REMOTE");
    const list = await serve.api("GET", "/api/v1/templates");
    expect(list.body.templates.map((t: { id: string }) => t.id)).toContain(created.body.id);
    const bad = await serve.api("PUT", `/api/v1/templates/${created.body.id}`, {
      name: "bad.yaml",
      text: "templates:\n  - id: X\n    payer: buyer\n    valuation: piece\n    default: { first: 1, firstFee: -3, next: 1, nextFee: 0 }\n",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.errors[0]).toMatchObject({ file: "bad.yaml", line: 5 });
    expect(bad.body.error.errors[0].key).toContain("firstFee");
    const replaced = await serve.api("PUT", `/api/v1/templates/${created.body.id}`, {
      name: "remote",
      text: JSON.stringify(REMOTE_TEMPLATE),
    });
    expect(replaced.body.templateIds).toEqual(["T1"]);
    const fees = await serve.api("GET", `/api/v1/templates/${created.body.id}/fees`);
    const byName = new Map(
      fees.body.templates[0].regions.map((r: { name: string; status: string; fee: number | null }) => [r.name, r]),
    );
    expect(fees.body.templates[0].regions).toHaveLength(31);
    expect(byName.get("新疆")).toMatchObject({ status: "charged", fee: 20 });
    expect(byName.get("北京")).toMatchObject({ status: "free", fee: 0 });
    expect((await serve.api("DELETE", `/api/v1/templates/${created.body.id}`)).status).toBe(204);
    expect((await serve.api("GET", `/api/v1/templates/${created.body.id}`)).status).toBe(404);
  });
});

describe("GET /api/v1/rules/{id}/page", () => {
  const url = (id: string, lang?: string) =>
    `/api/v1/rules/${encodeURIComponent(id)}/page${lang === undefined ? "" : `?lang=${lang}`}`;

  it("answers every rule's page in Chinese by default and in English when asked, rendered from docs/rules", async () => {
    const { body: list } = await serve.api("GET", "/api/v1/rules");
    for (const { id } of list.rules as { id: string }[]) {
      const zh = await serve.api("GET", url(id));
      expect(zh.status, id).toBe(200);
      expect(zh.body).toMatchObject({
        id,
        lang: "zh",
        source: expect.stringMatching(/^docs\/rules\/[a-z-]+\.zh\.md$/),
      });
      expect(zh.body.html).toContain(`<h2>${id}</h2>`);
      expect(zh.body.html).toContain("<h3>何时触发</h3>");
    }
    const en = await serve.api("GET", url("shipping/conditional-claim-unbacked", "en"));
    expect(en.body).toMatchObject({ lang: "en", source: "docs/rules/conditional-claim-unbacked.md" });
    expect(en.body.html).toContain("<h3>What fires</h3>");
    // A link to another docs file is its text: the app serves the rule pages only.
    expect(en.body.html).toContain("(report-format.md)");
    expect(en.body.html).not.toContain("report-format.md#");
  });

  it("answers an unknown rule with a 404 naming it, and a bad language with a 400", async () => {
    const unknown = await serve.api("GET", url("shipping/no-such-rule"));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({
      code: "rules/not-found",
      message: expect.stringContaining('"shipping/no-such-rule"'),
      errors: [{ file: "request", key: "params.id" }],
    });
    expect((await serve.api("GET", url("../../package.json"))).status).toBe(404);
    expect((await serve.api("GET", url("invoice/refusal", "fr"))).status).toBe(400);
  });
});

describe("shop audits", () => {
  let runId: string;
  beforeAll(async () => {
    runId = await uploadRun("禾木生活馆", [
      { field: "exports", name: "listings.json", text: LISTINGS },
      { field: "templates", name: "shop-templates.yaml", text: TEMPLATES_YAML },
    ]);
  }, 60_000);

  it("downloads the corrected export: audited again, only the refused findings are left", async () => {
    const run = (await serve.api("GET", `/api/v1/runs/${runId}`)).body.run;
    const res = await serve.api("GET", `/api/v1/runs/${runId}/fixed?file=listings.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("filename*=UTF-8''listings.fixed.json");
    const fixed = Number(res.headers.get("x-fixed-findings"));
    const refused = Number(res.headers.get("x-refused-findings"));
    expect(fixed).toBeGreaterThan(0);
    expect(fixed + refused).toBe(run.summary.findings);
    expect(res.body).not.toBe(LISTINGS);
    JSON.parse(res.body);
    const again = await uploadRun("禾木生活馆-修正后", [
      { field: "exports", name: "listings.json", text: res.body },
      { field: "templates", name: "shop-templates.yaml", text: TEMPLATES_YAML },
    ]);
    expect((await serve.api("GET", `/api/v1/runs/${again}`)).body.run.summary.findings).toBe(refused);
  });

  it.each([
    ["a file the run does not have", "other.json"],
    ["a template file, which is no export", "shop-templates.yaml"],
    ["a path", "../runs/listings.json"],
  ])("answers the corrected export of %s with 404", async (_name, file) => {
    const res = await serve.api("GET", `/api/v1/runs/${runId}/fixed?file=${encodeURIComponent(file)}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("runs/no-such-export");
  });

  it("counts what the command line counts for the same files", async () => {
    const res = await serve.api("GET", `/api/v1/runs/${runId}`);
    expect(res.body.run).toMatchObject({ status: "done", shop: "禾木生活馆", failure: null });
    expect(res.body.run.files).toEqual([
      { name: "listings.json", kind: "export" },
      { name: "shop-templates.yaml", kind: "template" },
    ]);
    const direct = await audit({
      inputs: [path.join(SAMPLES, "listings.json")],
      templates: [path.join(SAMPLES, "templates", "shop-templates.yaml")],
      outputs: [],
    });
    if (!direct.ok) throw new Error("the samples did not audit");
    const { listings, findings, error, warning, info, problems, skipped } = direct.value.summary;
    expect(res.body.run.summary).toEqual({ listings, findings, error, warning, info, problems, skipped });
  });

  it("pages through every finding once with the cursor, in report order", async () => {
    const { items, pages } = await allFindings(runId, "");
    const summary = (await serve.api("GET", `/api/v1/runs/${runId}`)).body.run.summary;
    expect(items).toHaveLength(summary.findings);
    expect(pages).toBe(Math.ceil(summary.findings / 5) + (summary.findings % 5 === 0 ? 1 : 0) || 1);
    const ids = items.map((f: { id: number }) => f.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(items[0].source.file).toBe("listings.json");
  });

  it.each([
    ["severity=error", (f: Finding) => f.severity === "error"],
    ["severity=error&severity=info", (f: Finding) => f.severity !== "warning"],
    ["rule=shipping/vague-exclusion", (f: Finding) => f.ruleId === "shipping/vague-exclusion"],
    ["region=650000", (f: Finding) => f.regions.some((r) => r.code === "650000")],
    ["listing=1017", (f: Finding) => f.listingId === "1017"],
    ["q=%E5%8F%91%E7%A5%A8", (f: Finding) => `${f.message}${f.fix}${f.claim?.text ?? ""}`.includes("发票")],
    // Three characters or more: found through the trigram index, then checked by LIKE.
    ["q=1017", (f: Finding) => f.listingId === "1017"],
    ["q=T-REMOTE", (f: Finding) => `${f.message}${f.fix}`.toLowerCase().includes("t-remote")],
    [
      "severity=warning&region=540000",
      (f: Finding) => f.severity === "warning" && f.regions.some((r) => r.code === "540000"),
    ],
  ])("filters by %s exactly as the findings say", async (query, keep) => {
    const every = (await allFindings(runId, "", 500)).items;
    const filtered = (await allFindings(runId, `&${query}`, 3)).items;
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered).toEqual(every.filter(keep));
  });

  it("names the rules and regions its findings carry, with counts, for the filters", async () => {
    const facets = await serve.api("GET", `/api/v1/runs/${runId}/facets`);
    const every = (await allFindings(runId, "", 500)).items as Finding[];
    for (const rule of facets.body.rules) expect(rule.count).toBe(every.filter((f) => f.ruleId === rule.id).length);
    expect(facets.body.regions.find((r: { id: string }) => r.id === "650000")).toMatchObject({ name: "新疆" });
  });

  it("refuses a filter it does not know with a located 400", async () => {
    const res = await serve.api("GET", `/api/v1/runs/${runId}/findings?severity=fatal`);
    expect(res.status).toBe(400);
    expect(res.body.error.errors[0].key).toContain("querystring");
  });

  it("lists listings worst first with their counts, and the passed ones", async () => {
    const worst = await serve.api("GET", `/api/v1/runs/${runId}/listings?limit=500`);
    const rows = worst.body.items;
    expect(rows).toHaveLength(33);
    type Row = { seq: number; error: number; warning: number; info: number };
    const worstFirst = (a: Row, b: Row) =>
      b.error - a.error || b.warning - a.warning || b.info - a.info || a.seq - b.seq;
    expect(rows).toEqual(rows.toSorted(worstFirst));
    expect(rows[0].error).toBeGreaterThan(0);
    const flagged = new Set((await allFindings(runId, "", 500)).items.map((f: Finding) => f.listingId));
    const passed = await serve.api("GET", `/api/v1/runs/${runId}/listings?passed=true&limit=500`);
    expect(passed.body.items).toHaveLength(33 - flagged.size);
    expect(
      passed.body.items.every(
        (r: { error: number; warning: number; info: number }) => r.error + r.warning + r.info === 0,
      ),
    ).toBe(true);
  });

  it.each(["json", "sarif", "csv", "markdown", "junit", "html"] as const)(
    "streams the %s report as the command line writes it",
    async (format) => {
      const res = await fetch(`${serve.origin}/api/v1/runs/${runId}/report?format=${format}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-disposition")).toMatch(/^attachment/);
      const text = await res.text();
      if (format === "json") {
        const report = JSON.parse(text);
        expect(report.summary.findings).toBe(22);
      } else {
        expect(text.length).toBeGreaterThan(100);
      }
      expect(reporters[format]).toBeTypeOf("function");
    },
  );

  it("marks a failed run failed with its reason", async () => {
    const id = await uploadRun("无模板店", [{ field: "exports", name: "listings.json", text: LISTINGS }]);
    const run = (await serve.api("GET", `/api/v1/runs/${id}`)).body.run;
    expect(run.status).toBe("failed");
    expect(run.failure).toMatch(/T-/);
    expect(run.failure).not.toMatch(/export-1-/);
  });

  it("counts a record it had to skip as a problem, named after the uploaded file", async () => {
    const broken = JSON.stringify([{ id: "ok", title: "保温杯" }, { id: "no-title" }]);
    const id = await uploadRun("问题店", [{ field: "exports", name: "broken.json", text: broken }]);
    const res = await serve.api("GET", `/api/v1/runs/${id}`);
    expect(res.body.run).toMatchObject({ status: "done", summary: { listings: 1, problems: 1, skipped: 1 } });
    expect(res.body.problems).toMatchObject([
      { code: "listing/missing-title", source: { file: "broken.json", row: 2 } },
    ]);
  });

  it("refuses an upload without exports or shop, naming each missing part", async () => {
    const form = new FormData();
    form.append("templates", new Blob([TEMPLATES_YAML]), "t.yaml");
    const res = await serve.api("POST", "/api/v1/runs", form);
    expect(res.status).toBe(400);
    expect(res.body.error.errors.map((e: { key: string }) => e.key)).toEqual(["shop", "exports"]);
  });

  it("answers an unknown run with 404", async () => {
    expect((await serve.api("GET", "/api/v1/runs/0123456789abcdef")).status).toBe(404);
    expect((await serve.api("GET", "/api/v1/runs/..%2F..%2Fetc")).status).toBe(400);
  });
});

type Finding = {
  ruleId: string;
  severity: string;
  listingId: string;
  message: string;
  fix: string;
  claim: { text: string } | null;
  regions: { code: string }[];
};

describe("history", () => {
  it("compares two runs of a shop: new, fixed and unchanged by fingerprint, and marks known findings", async () => {
    const before = JSON.parse(LISTINGS) as { listings: { id: string; title: string; templateId?: string }[] };
    const after = structuredClone(before);
    // 1002 is gone (its finding is fixed); 1001 now claims 全国包邮 on a template that charges remote regions.
    after.listings = after.listings.filter((l) => l.id !== "1002");
    const l1001 = after.listings.find((l) => l.id === "1001");
    if (!l1001) throw new Error("sample 1001 missing");
    l1001.title = "全国包邮 临安手剥山核桃仁";
    l1001.templateId = "T-REMOTE";
    const shop = "历史店";
    const first = await uploadRun(shop, [
      { field: "exports", name: "a.json", text: JSON.stringify(before) },
      { field: "templates", name: "t.yaml", text: TEMPLATES_YAML },
    ]);
    const second = await uploadRun(shop, [
      { field: "exports", name: "b.json", text: JSON.stringify(after) },
      { field: "templates", name: "t.yaml", text: TEMPLATES_YAML },
    ]);
    const runs = await serve.api("GET", `/api/v1/shops/${encodeURIComponent(shop)}/runs`);
    expect(runs.body.runs.map((r: { id: string }) => r.id)).toEqual([first, second]);
    const compared = await serve.api(
      "GET",
      `/api/v1/shops/${encodeURIComponent(shop)}/compare?from=${first}&to=${second}`,
    );
    expect(compared.status).toBe(200);
    expect(compared.body.fixed.map((f: Finding) => f.listingId)).toContain("1002");
    expect(new Set(compared.body.new.map((f: Finding) => f.listingId))).toEqual(new Set(["1001"]));
    expect(compared.body.new.map((f: Finding) => f.ruleId)).toContain("shipping/claim-charged-region");
    expect(compared.body.counts).toMatchObject({ new: compared.body.new.length, fixed: 1 });
    const secondCount = (await serve.api("GET", `/api/v1/runs/${second}`)).body.run.summary.findings;
    expect(compared.body.counts.unchanged + compared.body.counts.new).toBe(secondCount);
    const known = (await allFindings(second, "&status=known", 500)).items;
    expect(known).toHaveLength(compared.body.counts.unchanged);
    const other = await serve.api("GET", `/api/v1/shops/other/compare?from=${first}&to=${second}`);
    expect(other.status).toBe(404);
  }, 60_000);
});

import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REMOTE_TEMPLATE_TEXT, startServe, type ServeHarness } from "./helpers/serve-harness.js";

const SAMPLES = path.resolve(import.meta.dirname, "..", "samples");
const TEMPLATES_YAML = readFileSync(path.join(SAMPLES, "templates", "shop-templates.yaml"), "utf8");
const LISTINGS = readFileSync(path.join(SAMPLES, "listings.json"), "utf8");

/** Free wherever it delivers: the listing's free-shipping claim holds. */
const ALL_FREE_TEMPLATE_YAML = `templates:
  - id: T1
    name: 全部包邮
    payer: seller
`;

/** Claims free shipping everywhere against T1, and refuses invoices: a rule each for the settings to change. */
const LISTING = { id: "A1", title: "全国包邮 保温杯 不开发票", price: 39, templateId: "T1" };

type Finding = { ruleId: string; severity: string; claim: { text: string } | null };
const byRule = (findings: Finding[]) => Object.fromEntries(findings.map((f) => [f.ruleId, f.severity]));

let serve: ServeHarness;
let remoteId: string;
beforeAll(async () => {
  serve = await startServe();
  const store = async (name: string, text: string) => {
    const res = await serve.api("POST", "/api/v1/templates", { name, text });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  remoteId = await store("偏远地区不包邮", REMOTE_TEMPLATE_TEXT);
}, 60_000);
afterAll(async () => {
  await serve?.close();
});

/** A PUT whose body the OpenAPI document may refuse: sent as is, the answer still checked where it is JSON. */
async function putRaw(shop: string, body: unknown) {
  const res = await fetch(`${serve.origin}/api/v1/shops/${encodeURIComponent(shop)}/settings`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** Uploads a run for a shop and waits, over its events, until it has ended; answers its id and events. */
async function uploadRun(
  shop: string,
  files: { field: string; name: string; text: string }[],
  fields: Record<string, string> = {},
  harness = serve,
): Promise<string> {
  const form = new FormData();
  form.set("shop", shop);
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  for (const file of files) form.append(file.field, new Blob([file.text]), file.name);
  const started = await harness.api("POST", "/api/v1/runs", form);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return started.body.id;
}

async function finishedRun(id: string, harness = serve) {
  const events = await (await fetch(`${harness.origin}/api/v1/runs/${id}/events`)).text();
  expect(events).toMatch(/event: done\n/);
  return (await harness.api("GET", `/api/v1/runs/${id}`)).body.run;
}

async function runFindings(id: string): Promise<Finding[]> {
  const page = await serve.api("GET", `/api/v1/runs/${id}/findings?limit=500`);
  expect(page.body.next).toBeNull();
  return page.body.items;
}

describe("a shop's settings", () => {
  it("are empty until set, and come back as stored", async () => {
    const empty = await serve.api("GET", "/api/v1/shops/%E6%96%B0%E5%BA%97/settings");
    expect(empty.body).toEqual({ shop: "新店", settings: {}, updatedAt: null });
    const settings = {
      platform: "tmall",
      templateIds: [remoteId],
      rules: { "invoice/refusal": "warning" },
      remoteRegions: ["新疆", "西藏", "青海"],
      allow: { phrases: ["偏远地区除外"] },
    };
    const put = await serve.api("PUT", "/api/v1/shops/%E6%96%B0%E5%BA%97/settings", settings);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ shop: "新店", settings });
    const got = await serve.api("GET", "/api/v1/shops/%E6%96%B0%E5%BA%97/settings");
    expect(got.body).toEqual(put.body);
    // A PUT replaces the whole: a key left out is no longer set.
    await serve.api("PUT", "/api/v1/shops/%E6%96%B0%E5%BA%97/settings", { platform: "pinduoduo" });
    expect((await serve.api("GET", "/api/v1/shops/%E6%96%B0%E5%BA%97/settings")).body.settings).toEqual({
      platform: "pinduoduo",
    });
  });

  it("refuses bad settings with a 400 naming every mistake at its key, and keeps the old ones", async () => {
    await serve.api("PUT", "/api/v1/shops/%E5%9D%8F%E5%BA%97/settings", { platform: "taobao" });
    const res = await putRaw("坏店", {
      platfrom: "tmall",
      templateIds: ["0123456789ab"],
      rules: { "invoice/refusl": "error", "shipping/claim-charged-region": "loud" },
      remoteRegions: ["火星"],
      allow: { listings: ["A*"], ids: ["x"] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("shop-settings/invalid");
    const errors: { file: string; key: string; message: string; zh?: string }[] = res.body.error.errors;
    const at = Object.fromEntries(errors.map((e) => [e.key, e]));
    expect(Object.keys(at).sort()).toEqual([
      "body.allow.ids",
      "body.platfrom",
      "body.rules.invoice/refusl",
      "body.rules.shipping/claim-charged-region",
    ]);
    expect(at["body.platfrom"]?.message).toBe('unknown key "platfrom" (did you mean platform?)');
    expect(at["body.platfrom"]?.zh).toContain("platform");
    expect(at["body.rules.invoice/refusl"]?.message).toContain("invoice/refusal");
    for (const error of errors) expect(error.file).toBe("request");
    // Ids and regions are looked up once the shape is right, and named at their index.
    const lookedUp = await putRaw("坏店", {
      templateIds: [remoteId, "0123456789ab", remoteId],
      remoteRegions: ["新疆", "火星"],
    });
    expect(lookedUp.status).toBe(400);
    expect(lookedUp.body.error.errors.map((e: { key: string }) => e.key)).toEqual([
      "body.templateIds[1]",
      "body.templateIds[2]",
      "body.remoteRegions[1]",
    ]);
    expect(JSON.stringify(lookedUp.body.error.errors)).toContain("火星");
    expect((await serve.api("GET", "/api/v1/shops/%E5%9D%8F%E5%BA%97/settings")).body.settings).toEqual({
      platform: "taobao",
    });
  });

  it("refuses a body that is not an object", async () => {
    const res = await putRaw("坏店", ["tmall"]);
    expect(res.status).toBe(400);
    expect(res.body.error.errors[0]).toMatchObject({ file: "request", key: "body" });
  });
});

describe("a check for a shop", () => {
  beforeAll(async () => {
    const res = await serve.api("PUT", "/api/v1/shops/%E5%A4%A9%E7%8C%AB%E5%BA%97/settings", {
      platform: "tmall",
      templateIds: [remoteId],
    });
    expect(res.status).toBe(200);
  });
  const check = (body: Record<string, unknown>) => serve.api("POST", "/api/v1/check", { listing: LISTING, ...body });

  it("uses the shop's platform and stored templates when the request names neither", async () => {
    const plain = await check({ templateId: remoteId });
    const forShop = await check({ shop: "天猫店" });
    expect(forShop.status).toBe(200);
    expect(forShop.body.settings).toEqual({ platform: "tmall", templateIds: [remoteId] });
    // The stored template makes the claim wrong for 新疆 and 西藏; Tmall makes refusing invoices an error.
    expect(byRule(forShop.body.findings)).toMatchObject({
      "shipping/claim-charged-region": "error",
      "invoice/refusal": "error",
    });
    expect(byRule(plain.body.findings)["invoice/refusal"]).not.toBe("error");
  });

  it("lets the request's own platform and templates win over the shop's", async () => {
    const res = await check({ shop: "天猫店", platform: "taobao", templateText: ALL_FREE_TEMPLATE_YAML });
    expect(res.status).toBe(200);
    expect(res.body.settings).toEqual({});
    const plain = await check({ platform: "taobao", templateText: ALL_FREE_TEMPLATE_YAML });
    expect(res.body.findings).toEqual(plain.body.findings);
    expect(byRule(res.body.findings)["shipping/claim-charged-region"]).toBeUndefined();
  });

  it("turns a rule off, drops findings on allowed phrases, and skips allowlisted listings", async () => {
    await serve.api("PUT", "/api/v1/shops/%E5%AE%BD%E6%9D%BE%E5%BA%97/settings", {
      templateIds: [remoteId],
      rules: { "invoice/refusal": "off" },
    });
    const off = await check({ shop: "宽松店" });
    expect(byRule(off.body.findings)).toMatchObject({ "shipping/claim-charged-region": "error" });
    expect(byRule(off.body.findings)["invoice/refusal"]).toBeUndefined();

    await serve.api("PUT", "/api/v1/shops/%E5%AE%BD%E6%9D%BE%E5%BA%97/settings", {
      templateIds: [remoteId],
      allow: { phrases: ["全国包邮"], listings: ["B*"] },
    });
    const suppressed = await check({ shop: "宽松店" });
    const unfiltered = await check({ templateId: remoteId });
    const onPhrase = unfiltered.body.findings.filter((f: Finding) => f.claim?.text.includes("全国包邮"));
    expect(onPhrase.length).toBeGreaterThan(0);
    expect(suppressed.body.suppressed).toBe(onPhrase.length);
    expect(suppressed.body.findings).toHaveLength(unfiltered.body.findings.length - onPhrase.length);
    expect(byRule(suppressed.body.findings)["shipping/claim-charged-region"]).toBeUndefined();
    const allowlisted = await serve.api("POST", "/api/v1/check", { listing: { ...LISTING, id: "B7" }, shop: "宽松店" });
    expect(allowlisted.body).toMatchObject({ listingId: "B7", allowlisted: true, findings: [] });
  });

  it("counts the shop's remote regions as 偏远地区", async () => {
    const listing = { ...LISTING, title: "偏远地区除外全国包邮 保温杯" };
    await serve.api("PUT", "/api/v1/shops/%E9%9D%92%E6%B5%B7%E5%BA%97/settings", {
      templateIds: [remoteId],
      remoteRegions: ["西藏"],
    });
    const plain = await serve.api("POST", "/api/v1/check", { listing, templateId: remoteId });
    const narrowed = await serve.api("POST", "/api/v1/check", { listing, shop: "青海店" });
    expect(byRule(plain.body.findings)["shipping/claim-charged-region"]).toBeUndefined();
    // 新疆 is no longer remote for this shop, so "偏远地区除外" does not cover its fee.
    expect(byRule(narrowed.body.findings)["shipping/claim-charged-region"]).toBe("error");
  });
});

describe("a run for a shop", () => {
  beforeAll(async () => {
    const stored = await serve.api("POST", "/api/v1/templates", { name: "shop-templates.yaml", text: TEMPLATES_YAML });
    const res = await serve.api("PUT", "/api/v1/shops/%E7%A6%BE%E6%9C%A8/settings", {
      platform: "tmall",
      templateIds: [stored.body.id],
      rules: { "invoice/refusal": "off" },
    });
    expect(res.status).toBe(200);
  });

  it("audits with the shop's templates, platform and rules, and records what it applied", async () => {
    const withSettings = await finishedRun(
      await uploadRun("禾木", [{ field: "exports", name: "listings.json", text: LISTINGS }]),
    );
    const plain = await finishedRun(
      await uploadRun("别家", [
        { field: "exports", name: "listings.json", text: LISTINGS },
        { field: "templates", name: "shop-templates.yaml", text: TEMPLATES_YAML },
      ]),
    );
    expect(withSettings).toMatchObject({ status: "done", platform: "tmall", failure: null });
    expect(withSettings.settings).toMatchObject({ platform: "tmall", rules: { "invoice/refusal": "off" } });
    expect(withSettings.files).toEqual([
      { name: "listings.json", kind: "export" },
      { name: "shop-templates.yaml", kind: "template" },
    ]);
    expect(plain.settings).toBeNull();
    const rulesOf = async (id: string) => new Set((await runFindings(id)).map((f) => f.ruleId));
    expect(await rulesOf(plain.id)).toContain("invoice/refusal");
    expect(await rulesOf(withSettings.id)).not.toContain("invoice/refusal");
    // The report is audited again with the same settings.
    const report = await fetch(`${serve.origin}/api/v1/runs/${withSettings.id}/report?format=json`);
    expect(((await report.json()) as { summary: { findings: number } }).summary.findings).toBe(
      withSettings.summary.findings,
    );
  });

  it("lets the upload's own platform and templates win", async () => {
    const run = await finishedRun(
      await uploadRun(
        "禾木",
        [
          { field: "exports", name: "listings.json", text: LISTINGS },
          { field: "templates", name: "mine.yaml", text: TEMPLATES_YAML },
        ],
        { platform: "taobao" },
      ),
    );
    expect(run).toMatchObject({ status: "done", platform: "taobao" });
    expect(run.settings).toEqual({ rules: { "invoice/refusal": "off" } });
    expect(run.files.filter((f: { kind: string }) => f.kind === "template")).toEqual([
      { name: "mine.yaml", kind: "template" },
    ]);
  });

  it("refuses a run or a check whose shop settings name a template deleted since, at that key", async () => {
    const doomed = await serve.api("POST", "/api/v1/templates", { name: "旧模板", text: TEMPLATES_YAML });
    await serve.api("PUT", "/api/v1/shops/%E6%97%A7%E5%BA%97/settings", { templateIds: [doomed.body.id] });
    expect((await serve.api("DELETE", `/api/v1/templates/${doomed.body.id}`)).status).toBe(204);
    const form = new FormData();
    form.set("shop", "旧店");
    form.append("exports", new Blob([LISTINGS]), "listings.json");
    const run = await serve.api("POST", "/api/v1/runs", form);
    expect(run.status).toBe(400);
    expect(run.body.error.errors).toMatchObject([{ file: "shop settings", key: "templateIds[0]" }]);
    const check = await serve.api("POST", "/api/v1/check", { listing: LISTING, shop: "旧店" });
    expect(check.status).toBe(400);
    expect(check.body.error.errors).toMatchObject([{ file: "shop settings", key: "templateIds[0]" }]);
    // Templates given with the request do not need the deleted ones.
    const own = await serve.api("POST", "/api/v1/check", {
      listing: LISTING,
      shop: "旧店",
      templateText: TEMPLATES_YAML,
    });
    expect(own.status).toBe(200);
  });
});

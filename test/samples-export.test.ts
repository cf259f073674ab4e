import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import type { Listing, SourceItem } from "../src/model.js";
import { readSources, resolveInputs } from "../src/sources/index.js";
import { runCli } from "./cli-io.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const JSON_FILE = "samples/listings.json";
const CSV_FILE = "samples/taobao-export.csv";

async function readListings(file: string): Promise<{ listings: Listing[]; problems: SourceItem[] }> {
  const resolved = await resolveInputs([file], { cwd: ROOT, stdin: Readable.from([]) });
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.errors));
  const listings: Listing[] = [];
  const problems: SourceItem[] = [];
  for await (const item of readSources(resolved.value)) {
    if (item.kind === "listing") listings.push(item.record.listing);
    else problems.push(item);
  }
  return { listings, problems };
}

/**
 * A JSON listing as the export carries it (samples/README.md, "The same shop as a 淘宝助理 export"): no
 * category or URL; no template is postage_id 0; the payer is always stated (2 = buyer when the
 * listing leaves it to the template); fee junk below ¥0.005 reads as 0; invoice is 1 or 0.
 */
function asExported(listing: Listing): Listing {
  const { category: _category, url: _url, templateId, freightPayer, fees, invoice, ...rest } = listing;
  const out: Listing = { ...rest, freightPayer: freightPayer ?? "buyer", invoice: invoice ?? false };
  if (templateId !== undefined && templateId !== "" && templateId !== "0") out.templateId = templateId;
  if (fees)
    out.fees = Object.fromEntries(Object.entries(fees).map(([key, fee]) => [key, Math.abs(fee) < 0.005 ? 0 : fee]));
  return out;
}

const byId = (listings: Listing[]) => new Map(listings.map((l) => [l.id, l]));

describe("samples/taobao-export.csv: the demo shop's Taobao store as a 淘宝助理 export", () => {
  test("is what scripts/make-sample-export.mjs writes from samples/listings.json", async () => {
    await expect(
      promisify(execFile)(process.execPath, ["scripts/make-sample-export.mjs", "--check"], { cwd: ROOT }),
    ).resolves.toBeDefined();
  });

  test("is UTF-16LE with BOM, TAB-separated, with the version line and both header lines", async () => {
    const bytes = await readFile(`${ROOT}${CSV_FILE}`);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const lines = bytes.subarray(2).toString("utf16le").split("\r\n");
    expect(lines[0]).toBe("version 1.00");
    expect(lines[1]?.split("\t")).toHaveLength(67);
    expect(lines[2]?.split("\t").slice(0, 3)).toEqual(["宝贝名称", "宝贝类目", "店铺类目"]);
  });

  test("yields the listings of samples/listings.json field by field, less those of other stores", async () => {
    const json = await readListings(JSON_FILE);
    const csv = await readListings(CSV_FILE);
    expect(json.problems).toEqual([]);
    expect(csv.problems).toEqual([]);
    // Listings with a platform belong to the Tmall and Pinduoduo stores: not in a Taobao store's export.
    const taobao = json.listings.filter((l) => l.platform === undefined);
    expect(json.listings.length - taobao.length).toBe(4);
    expect(csv.listings.map((l) => l.id)).toEqual(taobao.map((l) => l.id));
    const exported = byId(csv.listings);
    for (const listing of taobao) expect(exported.get(listing.id), listing.id).toEqual(asExported(listing));
    // SKU names and prices made the trip through skuProps and propAlias.
    expect(exported.get("1030")?.skus).toEqual([
      { name: "10000毫安 白色【包邮】", price: 59 },
      { name: "20000毫安 黑色【包邮】", price: 89 },
    ]);
  });

  test("audited together with the JSON form in one run, gives identical findings except their source", async () => {
    const run = await runCli(
      [JSON_FILE, CSV_FILE, "-t", "samples/templates", "-f", "json", "--quiet", "--fail-on", "never"],
      { cwd: ROOT },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      summary: Record<string, number>;
      findings: { listingId: string; source: { file: string } }[];
      problems: unknown[];
    };
    // The same ids in two files are not duplicates: nothing is renamed id#2.
    expect(report.problems).toEqual([]);
    const inFile = (file: string) => report.findings.filter((f) => f.source.file === file);
    const withoutSource = (findings: { source: unknown }[]) => findings.map(({ source: _source, ...rest }) => rest);
    const csvIds = new Set((await readListings(CSV_FILE)).listings.map((l) => l.id));
    const fromJson = inFile(JSON_FILE);
    const fromCsv = inFile(CSV_FILE);
    expect(fromCsv.length).toBeGreaterThan(0);
    expect(withoutSource(fromCsv)).toEqual(withoutSource(fromJson.filter((f) => csvIds.has(f.listingId))));
    // What the export lacks is exactly the other stores' findings (1017: a Tmall listing without invoice).
    expect(fromJson.filter((f) => !csvIds.has(f.listingId)).map((f) => f.listingId)).toEqual(["1017"]);
    expect(report.summary.listings).toBe(33 + csvIds.size);
  });
});

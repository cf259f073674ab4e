import path from "node:path";
import { describe, expect, it } from "vitest";
import { audit } from "../src/audit.js";
import type { ListingResult } from "../src/model.js";

/** English product pages through the whole pipeline: HTML page reader → JSON-LD template → rules → findings. */
const root = path.join(import.meta.dirname, "..");

async function auditPages(files: string[]): Promise<ListingResult[]> {
  const results: ListingResult[] = [];
  const outcome = await audit({ inputs: files, cwd: root, lang: "en", onResult: (r) => results.push(r) });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return results;
}

const summarise = (result: ListingResult | undefined) =>
  result?.findings.map((f) => ({
    rule: f.ruleId,
    claim: f.claim?.text ?? null,
    field: f.claim?.field ?? null,
    regions: f.regions.map((r) => r.code),
  }));

describe("English product pages end to end", () => {
  it("flags a title claim whose Alaska/Hawaii fees only a footnote discloses, read on the default platform by script", async () => {
    const [result] = await auditPages(["test/fixtures/pages/en-free-shipping.html"]);
    expect(result?.record.country).toBe("US");
    expect(result?.problems).toEqual([]);
    expect(summarise(result)).toEqual([
      {
        rule: "shipping/exclusion-only-in-description",
        claim: "Free Shipping",
        field: "title",
        regions: ["US-AK", "US-HI"],
      },
      { rule: "shipping/inconsistent-claims", claim: "Free Shipping", field: "title", regions: [] },
      {
        rule: "shipping/overseas-not-stated",
        claim: "Free Shipping",
        field: "title",
        regions: ["US-AA", "US-AE", "US-AP", "US-AS", "US-GU", "US-MP", "US-PR", "US-UM", "US-VI"],
      },
    ]);
    const hidden = result?.findings[0];
    expect(hidden?.message).toBe(
      "The title claims “Free Shipping”, but the charges for Alaska ($12.95), Hawaii ($12.95) are disclosed only in a footnote (*) of the description (“Alaska and Hawaii ship for $12.95”)",
    );
    expect(hidden?.fix).toBe(
      "Write “Excludes Alaska, Hawaii” next to the claim itself instead of an asterisk footnote",
    );
    expect(hidden?.reference).toContain("16 CFR 251.1(c)");
  });

  it("reads the demo shop's English pages: a footnote-only exclusion, and a claim every state pays for", async () => {
    const [mug, lamp] = await auditPages([
      "samples/shop-site/products/trail-mug.html",
      "samples/shop-site/products/desk-lamp.html",
    ]);
    expect(summarise(mug)).toEqual([
      {
        rule: "shipping/exclusion-only-in-description",
        claim: "Free Shipping",
        field: "title",
        regions: ["US-AK", "US-HI"],
      },
      { rule: "shipping/inconsistent-claims", claim: "Free Shipping", field: "title", regions: [] },
    ]);
    const charged = lamp?.findings.find((f) => f.ruleId === "shipping/claim-charged-region");
    expect(charged?.claim?.text).toBe("Ships Free");
    expect(charged?.regions).toHaveLength(51);
    expect(charged?.message).toBe(
      "The title claims “Ships Free”, but the page's structured shipping data (shippingDetails) charges every state (at least $6.5)",
    );
    expect(lamp?.findings.map((f) => f.ruleId)).toContain("shipping/structured-data-invalid");
  });
});

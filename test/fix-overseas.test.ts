import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { runCli } from "./cli-io.js";

// 全国包邮 with nothing said about 港澳台 and overseas: overseas-not-stated. The phrase --fix adds follows
// what the listing's template does there.
const TEMPLATES = `templates:
  - id: T-MAINLAND
    name: 全国包邮
    payer: seller
    valuation: piece
    noDelivery: [港澳台, 海外]
  - id: T-CHARGED
    name: 港澳台海外收费
    payer: buyer
    valuation: piece
    default: { first: 1, firstFee: 0, next: 1, nextFee: 0 }
    regions:
      - areas: [港澳台, 海外]
        first: 1
        firstFee: 40
        next: 1
        nextFee: 20
  - id: T-HK-ONLY
    name: 只发香港
    payer: buyer
    valuation: piece
    default: { first: 1, firstFee: 0, next: 1, nextFee: 0 }
    regions:
      - areas: [香港]
        first: 1
        firstFee: 30
        next: 1
        nextFee: 10
    noDelivery: [台湾, 澳门, 海外]
`;

const CASES = [
  { template: "T-MAINLAND", added: "港澳台及海外不发货", why: "delivers to none of them" },
  { template: "T-CHARGED", added: "港澳台及海外不包邮", why: "charges all of them" },
  { template: "T-HK-ONLY", added: "港澳台及海外不包邮", why: "delivers to 香港 only" },
] as const;

const listing = (id: string, templateId: string) => ({
  id,
  title: "纯棉短袖T恤男夏季宽松上衣",
  subtitle: "全国包邮 当天发货",
  price: 59,
  templateId,
  description: "<p>面料：100%棉</p>",
});

interface ReportFinding {
  ruleId: string;
  listingId: string;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "la-fix-overseas-"));
  await writeFile(path.join(dir, "templates.yaml"), TEMPLATES);
  const listings = CASES.map((c, i) => listing(String(2001 + i), c.template));
  await writeFile(path.join(dir, "listings.json"), `${JSON.stringify({ listings }, null, 2)}\n`);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function overseasFindings(input: string): Promise<string[]> {
  await runCli([input, "-t", "templates.yaml", "-f", "json", "-o", "report.json"], { cwd: dir });
  const { findings } = JSON.parse(await readFile(path.join(dir, "report.json"), "utf8")) as {
    findings: ReportFinding[];
  };
  return findings.filter((f) => f.ruleId === "shipping/overseas-not-stated").map((f) => f.listingId);
}

describe("--fix of overseas-not-stated: 「…不发货」 where the template does not deliver, else 「…不包邮」", () => {
  test("every listing is found before the fix", async () => {
    expect((await overseasFindings("listings.json")).sort()).toEqual(["2001", "2002", "2003"]);
  });

  test.each(CASES.map((c, i) => ({ ...c, id: String(2001 + i) })))(
    "$template ($why): 宝贝卖点 gets 「$added」, and the re-audit finds nothing overseas",
    async ({ id, added }) => {
      const run = await runCli(
        ["listings.json", "-t", "templates.yaml", "--fix-output", "fixed", "-f", "json", "-o", "r.json"],
        { cwd: dir },
      );
      expect(run.stderr).toMatch(/修复 \d+ 个问题/);
      type Shop = { listings: Array<{ id: string; subtitle: string }> };
      const fixed = JSON.parse(await readFile(path.join(dir, "fixed/listings.json"), "utf8")) as Shop;
      const subtitle = fixed.listings.find((l) => l.id === id)?.subtitle;
      expect(subtitle).toBe(`全国包邮 当天发货，${added}`);
      expect(await overseasFindings("fixed/listings.json")).not.toContain(id);
    },
  );

  test("the SARIF fixes of the JSON listings choose the phrase the same way", async () => {
    await runCli(["listings.json", "-t", "templates.yaml", "--fix-dry-run", "-f", "sarif", "-o", "r.sarif"], {
      cwd: dir,
    });
    const sarif = await readFile(path.join(dir, "r.sarif"), "utf8");
    expect(sarif).toContain("港澳台及海外不发货");
    expect(sarif).toContain("港澳台及海外不包邮");
  });
});

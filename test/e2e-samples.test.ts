import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "./cli-io.js";
import { matchGolden } from "./golden/match-golden.js";

/** The repository root: the README's main command runs from there. */
const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The README's main command, minus the binary. */
const MAIN_COMMAND = ["samples/listings.json", "samples/taobao-export.csv", "-t", "samples/templates"];

interface ReportFinding {
  ruleId: string;
  severity: string;
  listingId: string;
  source: { file: string };
  regions: Array<{ code: string }>;
}

interface Report {
  findings: ReportFinding[];
  problems: unknown[];
  summary: { listings: number; findings: number; problems: number };
}

describe("the bundled demo shop (README main command)", () => {
  it("prints findings and exits 1", async () => {
    const result = await runCli(MAIN_COMMAND, { cwd: ROOT });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("shipping/claim-charged-region");
  });

  it("produces the pinned JSON report", async () => {
    const result = await runCli([...MAIN_COMMAND, "-f", "json"], { cwd: ROOT });
    expect(result.code).toBe(1);
    matchGolden("samples-report.json", result.stdout);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.problems).toEqual([]);

    const fromJson = report.findings.filter((f) => f.source.file === "samples/listings.json");
    const fromCsv = report.findings.filter((f) => f.source.file === "samples/taobao-export.csv");
    const ruleIds = new Set(fromJson.map((f) => f.ruleId));
    const everyRuleButStructuredData = [
      "shipping/claim-charged-region",
      "shipping/claim-undeliverable-region",
      "shipping/exclusion-only-in-description",
      "shipping/vague-exclusion",
      "shipping/overseas-not-stated",
      "shipping/conditional-claim-unbacked",
      "shipping/stated-fee-mismatch",
      "shipping/payer-conflict",
      "shipping/claim-unverifiable",
      "shipping/inconsistent-claims",
      "invoice/refusal",
    ];
    expect([...ruleIds].sort()).toEqual([...everyRuleButStructuredData].sort());

    const flagged = new Set(fromJson.map((f) => f.listingId));
    const listingCount = 33;
    expect(listingCount - flagged.size).toBeGreaterThanOrEqual(5);

    // The export carries the Taobao listings of the same shop: the same findings, only located elsewhere.
    const strip = (f: ReportFinding) => JSON.stringify({ ...f, source: undefined, fingerprint: undefined });
    const csvIds = new Set(fromCsv.map((f) => f.listingId));
    expect(fromCsv.map(strip)).toEqual(fromJson.filter((f) => csvIds.has(f.listingId)).map(strip));
  });

  it("runs the English report without problems", async () => {
    const result = await runCli([...MAIN_COMMAND, "-f", "json", "--lang", "en"], { cwd: ROOT });
    const report = JSON.parse(result.stdout) as Report;
    expect(report.summary.problems).toBe(0);
    expect(report.summary.findings).toBeGreaterThan(0);
  });
});

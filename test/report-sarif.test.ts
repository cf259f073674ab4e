import { readFileSync } from "node:fs";
import AjvDraft04 from "ajv-draft-04";
import { describe, expect, it } from "vitest";
import { fingerprintFinding } from "../src/baseline/fingerprint.js";
import { createSarifReporter, toRelativeUri } from "../src/report/sarif.js";
import { matchGolden } from "./golden/match-golden.js";
import { allFindings, renderReport, reportItems, runInfo, summary } from "./fixtures/report-result.js";

const schema: object = JSON.parse(readFileSync(new URL("fixtures/sarif-schema-2.1.0.json", import.meta.url), "utf8"));

// A CommonJS module whose export is the class and also carries it as `default`.
const Ajv = AjvDraft04.default;
const ajv = new Ajv({ allErrors: true, strict: false });
// The schema uses "uri" / "uri-reference" / "date-time" formats; check URIs the way consumers parse them.
ajv.addFormat("uri", (s: string) => URL.canParse(s));
ajv.addFormat("uri-reference", (s: string) => URL.canParse(s, "file:///base/"));
ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
const validate = ajv.compile(schema);

function validateSarif(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

interface SarifLog {
  runs: Array<{
    tool: {
      driver: {
        name: string;
        version: string;
        rules: Array<{ id: string; helpUri?: string; defaultConfiguration: { level: string } }>;
      };
    };
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      baselineState?: string;
      partialFingerprints: Record<string, string>;
      locations?: Array<{
        physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number } };
      }>;
    }>;
    invocations: Array<{
      executionSuccessful: boolean;
      toolExecutionNotifications: Array<{ descriptor: { id: string } }>;
    }>;
  }>;
}

describe("sarif reporter", () => {
  const output = renderReport(createSarifReporter);
  const log = JSON.parse(output) as SarifLog;
  const run = log.runs[0]!;

  it("matches the golden file", () => matchGolden("report.sarif", output));

  it("is laid out exactly like the same log printed in one piece", () => {
    expect(output).toBe(`${JSON.stringify(log, null, 2)}\n`);
  });

  it("validates against the official SARIF 2.1.0 schema", () => {
    expect(validateSarif(log)).toEqual([]);
  });

  it("uses a validator that rejects broken logs", () => {
    const broken = JSON.parse(output) as { runs: Array<{ results: Array<{ level: string }> }> };
    broken.runs[0]!.results[0]!.level = "fatal";
    expect(validateSarif(broken).length).toBeGreaterThan(0);
  });

  it("stays valid with no results and no problems", () => {
    const empty = renderReport(createSarifReporter, runInfo, [], { ...summary, findings: 0, problems: 0 });
    expect(validateSarif(JSON.parse(empty))).toEqual([]);
    expect(empty).toBe(`${JSON.stringify(JSON.parse(empty), null, 2)}\n`);
  });

  it("stays laid out in one piece with problems but no results", () => {
    const problemsOnly = renderReport(
      createSarifReporter,
      runInfo,
      reportItems.filter((i) => i.kind === "problem"),
      { ...summary, findings: 0 },
    );
    const parsed = JSON.parse(problemsOnly) as SarifLog;
    expect(parsed.runs[0]!.results).toEqual([]);
    expect(problemsOnly).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
  });

  it("describes the tool and every rule", () => {
    expect(run.tool.driver.name).toBe("listing-auditor");
    expect(run.tool.driver.version).toBe(runInfo.tool.version);
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(runInfo.rules.map((r) => r.id));
    expect(run.tool.driver.rules[3]?.defaultConfiguration.level).toBe("note");
  });

  it("gives each finding its rule index, level, location and fingerprint", () => {
    expect(run.results).toHaveLength(allFindings.length);
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    const first = run.results[0]!;
    expect(first.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: "samples/listings.json", uriBaseId: "%SRCROOT%" },
      region: { startLine: 3 },
    });
    const crawled = run.results.find((r) => r.ruleId === "shipping/claim-undeliverable-region");
    expect(crawled?.locations?.[0]?.physicalLocation.artifactLocation).toEqual({
      uri: "https://shop.example.com/item/8848.html",
    });
    const listing = reportItems[0]!;
    if (listing.kind !== "listing") throw new Error("fixture order changed");
    expect(first.partialFingerprints["listingAuditor/v1"]).toBe(
      fingerprintFinding(listing.result.findings[0]!, listing.result.record),
    );
    expect(run.results.map((r) => r.baselineState)).toEqual(
      allFindings.map((f) => (f.baselined ? "unchanged" : "new")),
    );
  });

  it("reports input problems as tool notifications of a successful run", () => {
    const invocation = run.invocations[0]!;
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.toolExecutionNotifications.map((n) => n.descriptor.id)).toEqual([
      "listing/freight-payer-mismatch",
      "csv/unterminated-quote",
      "crawl/http-error",
    ]);
  });

  it("encodes relative paths as URI references", () => {
    expect(toRelativeUri("data\\店铺 导出.csv")).toBe("data/%E5%BA%97%E9%93%BA%20%E5%AF%BC%E5%87%BA.csv");
  });
});

import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fingerprintFinding } from "../src/baseline/index.js";
import type { Problem } from "../src/model.js";
import { createFileSpools, SPOOL_MEMORY_LIMIT } from "../src/report/file-spool.js";
import { createJsonReporter } from "../src/report/json.js";
import { FINDING, joinChunks, RESULT, RUN, SUMMARY } from "./report-fixtures.js";

function render(feed: (r: ReturnType<typeof createJsonReporter>) => (string | Iterable<string>)[]): string {
  const reporter = createJsonReporter();
  return feed(reporter).map(joinChunks).join("");
}

describe("json reporter", () => {
  it("writes the shape of docs/report-format.md#shape", () => {
    const text = render((r) => [
      r.start(RUN),
      r.listing({ ...RESULT, findings: [] }),
      r.listing(RESULT),
      r.problem({ code: "csv/unterminated-quote", source: { file: "x.csv", row: 17, line: 40 }, message: "…" }),
      r.end(SUMMARY),
    ]);
    const report = JSON.parse(text);
    expect(Object.keys(report)).toEqual(["tool", "format", "findings", "problems", "summary"]);
    expect(report.tool).toEqual({ name: "listing-auditor", version: "0.1.0" });
    expect(report.format).toBe(1);
    expect(report.summary).toEqual(SUMMARY);
    const fingerprint = fingerprintFinding(FINDING, RESULT.record);
    expect(report.findings).toEqual([
      { ...FINDING, source: { file: "samples/listings.json", row: 1, line: 3, field: "title" }, fingerprint },
    ]);
    expect(Object.keys(report.findings[0])).toEqual([
      "ruleId",
      "severity",
      "listingId",
      "message",
      "source",
      "claim",
      "relatedClaims",
      "regions",
      "templateId",
      "fix",
      "reference",
      "fingerprint",
    ]);
    expect(Object.keys(report.findings[0].source)).toEqual(["file", "row", "line", "field"]);
    expect(report.problems).toEqual([
      { code: "csv/unterminated-quote", source: { file: "x.csv", row: 17, line: 40 }, message: "…" },
    ]);
  });

  it("is valid JSON with no findings and no problems", () => {
    const report = JSON.parse(
      render((r) => [r.start(RUN), r.end({ ...SUMMARY, findings: 0, error: 0, problems: 0, skipped: 0 })]),
    );
    expect(report.findings).toEqual([]);
    expect(report.problems).toEqual([]);
  });

  it("streams findings as they come and keeps problems for the end", () => {
    const reporter = createJsonReporter();
    reporter.start(RUN);
    expect(reporter.listing(RESULT)).toContain('"ruleId":"shipping/claim-charged-region"');
    const crashed: Problem = { code: "rule/crashed", source: { file: "a.json" }, message: "boom", listingId: "1001" };
    expect(reporter.listing({ ...RESULT, findings: [], problems: [crashed] })).toBe("");
    const report = JSON.parse(`{"findings":[${joinChunks(reporter.end(SUMMARY)).replace(/^\n?\s*\],/, "],")}`);
    expect(report.problems).toEqual([crashed]);
  });

  it("marks baselined findings", () => {
    const report = JSON.parse(
      render((r) => [
        r.start(RUN),
        r.listing({ ...RESULT, findings: [{ ...FINDING, baselined: true }] }),
        r.end(SUMMARY),
      ]),
    );
    expect(report.findings[0].baselined).toBe(true);
  });

  it("adds the config's counts to the summary and a --compare run's comparison at the end", () => {
    const fixed = {
      ruleId: "invoice/refusal",
      severity: "warning" as const,
      listingId: "1018",
      message: "…",
      claim: null,
      regions: [],
    };
    const summary = {
      ...SUMMARY,
      allowlisted: 2,
      suppressed: 1,
      comparison: { previous: "old.json", new: ["ab"], unchanged: 3, fixed: [fixed] },
    };
    const report = JSON.parse(render((r) => [r.start(RUN), r.listing(RESULT), r.end(summary)]));
    expect(Object.keys(report)).toEqual(["tool", "format", "findings", "problems", "summary", "comparison"]);
    expect(report.summary).toEqual({ ...SUMMARY, allowlisted: 2, suppressed: 1 });
    expect(report.comparison).toEqual({
      previous: "old.json",
      counts: { new: 1, fixed: 1, unchanged: 3 },
      new: ["ab"],
      fixed: [fixed],
    });
  });

  it("gives the same bytes when more than 1 MiB of problems go through a temporary file", () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "json-spool-"));
    const spools = createFileSpools({ directory: folder });
    try {
      const renderWith = (run: typeof RUN): string => {
        const r = createJsonReporter();
        const out = [r.start(run)];
        for (let i = 0; i < 8000; i++) {
          const problem: Problem = {
            code: "listing/invalid-field",
            source: { file: "大店.csv", row: i + 1, line: i + 2, field: "price" },
            message: `价格「${"¥".repeat(i % 13)}🎁」无效`,
          };
          out.push(i % 3 === 0 ? r.listing({ ...RESULT, problems: [problem] }) : r.problem(problem));
        }
        return out.join("") + joinChunks(r.end(SUMMARY));
      };
      const fromDisk = renderWith({ ...RUN, spool: spools.spool });
      expect(readdirSync(folder)).toHaveLength(1);
      const inMemory = renderWith(RUN);
      expect(Buffer.byteLength(inMemory)).toBeGreaterThan(SPOOL_MEMORY_LIMIT);
      expect(fromDisk).toBe(inMemory);
      expect(JSON.parse(fromDisk).problems).toHaveLength(8000);
    } finally {
      spools.dispose();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

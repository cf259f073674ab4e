import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  applyBaseline,
  compareReports,
  createBaseline,
  fingerprintFinding,
  formatBaseline,
  identifyListing,
  parseBaseline,
  parsePreviousReport,
  readBaselineFile,
  writeBaselineFile,
} from "../src/baseline/index.js";
import type { ListingResult } from "../src/model.js";
import { reportItems } from "./fixtures/report-result.js";

const results: ListingResult[] = reportItems.flatMap((i) => (i.kind === "listing" ? [i.result] : []));
const fresh = results.map((r) => ({ ...r, findings: r.findings.map((f) => ({ ...f, baselined: undefined })) }));

/** The same audit after the hoodie listing's title claim changed from 全国包邮 to 全国包邮顺丰. */
function editHoodieClaim(input: readonly ListingResult[]): ListingResult[] {
  return input.map((r) =>
    r.record.listing.id !== "1001"
      ? r
      : {
          ...r,
          findings: r.findings.map((f, i) =>
            i === 0 && f.claim ? { ...f, claim: { ...f.claim, text: "全国包邮顺丰" } } : f,
          ),
        },
  );
}

/** A JSON report (docs/report-format.md) of `input`, as the json reporter writes it. */
function jsonReport(input: readonly ListingResult[], withFingerprints = false): string {
  const findings = input.flatMap((r) =>
    r.findings.map((f) => (withFingerprints ? { ...f, fingerprint: fingerprintFinding(f, r.record) } : f)),
  );
  return JSON.stringify(
    { tool: { name: "listing-auditor", version: "0.1.0" }, format: 1, summary: {}, findings, problems: [] },
    null,
    2,
  );
}

describe("fingerprints", () => {
  it("ignore line and row numbers", () => {
    const [hoodie] = fresh;
    const moved = { ...hoodie!.record, source: { ...hoodie!.record.source, row: 40, line: 97 } };
    const finding = hoodie!.findings[0]!;
    expect(fingerprintFinding({ ...finding, source: moved.source }, moved)).toBe(
      fingerprintFinding(finding, hoodie!.record),
    );
  });

  it("use the normalised title when the id is only the record number", () => {
    const peach = fresh.find((r) => r.record.listing.id === "1")!;
    expect(identifyListing(peach.record)).toMatch(/^title:/);
    const shifted = {
      ...peach.record,
      listing: { ...peach.record.listing, id: "5", title: " 新鲜水蜜桃５斤装  当季现摘 " },
      source: { ...peach.record.source, row: 5 },
    };
    const finding = peach.findings[0]!;
    expect(fingerprintFinding({ ...finding, listingId: "5" }, shifted)).toBe(fingerprintFinding(finding, peach.record));
    expect(identifyListing(fresh[0]!.record)).toBe("id:1001");
  });

  it("change with the rule, the claim text or the regions", () => {
    const { record, findings } = fresh[0]!;
    const f = findings[0]!;
    const base = fingerprintFinding(f, record);
    expect(fingerprintFinding({ ...f, ruleId: "shipping/other" }, record)).not.toBe(base);
    expect(fingerprintFinding({ ...f, claim: { ...f.claim!, text: "包邮" } }, record)).not.toBe(base);
    expect(fingerprintFinding({ ...f, regions: f.regions.slice(1) }, record)).not.toBe(base);
  });
});

describe("baseline", () => {
  const baseline = createBaseline(fresh);

  it("holds every finding once, sorted, and round-trips through its file format", () => {
    expect(baseline.entries).toHaveLength(6);
    const ids = baseline.entries.map((e) => e.listingId);
    expect(ids).toEqual([...ids].sort());
    const text = formatBaseline(baseline);
    expect(text).toBe(formatBaseline(createBaseline([...fresh].reverse())));
    const parsed = parseBaseline(text, "listing-audit.baseline.json");
    expect(parsed).toEqual({ ok: true, value: baseline });
  });

  it("marks known findings and new ones, without modifying the result", () => {
    const marked = applyBaseline(fresh[0]!, baseline);
    expect(marked.findings.map((f) => f.baselined)).toEqual([true, true]);
    expect(fresh[0]!.findings[0]!.baselined).toBeUndefined();
    const edited = editHoodieClaim(fresh).map((r) => applyBaseline(r, baseline));
    expect(edited.flatMap((r) => r.findings).filter((f) => !f.baselined)).toHaveLength(1);
  });

  it("reports a bad file with file, line and key", () => {
    const bad = parseBaseline(
      '{\n  "format": "listing-auditor-baseline",\n  "version": 1,\n  "entries": [\n    { "fingerprint": "xyz" }\n  ]\n}\n',
      "b.json",
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors[0]).toMatchObject({ file: "b.json", line: 5, key: "entries[0].fingerprint" });
    expect(parseBaseline("[1, 2", "b.json").ok).toBe(false);
  });

  it("is written and read back from disk", async () => {
    const dir = mkdtempSync(join(tmpdir(), "listing-audit-baseline-"));
    try {
      const file = join(dir, "baseline.json");
      await writeBaselineFile(file, baseline);
      expect(await readBaselineFile(file)).toEqual({ ok: true, value: baseline });
      expect((await readBaselineFile(join(dir, "missing.json"))).ok).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("compareReports", () => {
  for (const withFingerprints of [false, true]) {
    it(`finds exactly one new and one fixed finding after one claim is edited${withFingerprints ? " (report with fingerprints)" : ""}`, async () => {
      const previous = parsePreviousReport(jsonReport(fresh, withFingerprints), "previous.json");
      if (!previous.ok) throw new Error(JSON.stringify(previous.errors));
      const comparison = await compareReports(previous.value, editHoodieClaim(fresh));
      expect(comparison.new.map((f) => f.claim?.text)).toEqual(["全国包邮顺丰"]);
      expect(comparison.fixed.map((f) => [f.listingId, f.ruleId, f.claim?.text])).toEqual([
        ["1001", "shipping/claim-charged-region", "全国包邮"],
      ]);
      expect(comparison.unchanged).toHaveLength(5);
    });
  }

  it("matches listings by title when their record-number ids moved, given fingerprints", async () => {
    const previous = parsePreviousReport(jsonReport(fresh, true), "previous.json");
    if (!previous.ok) throw new Error("invalid");
    const shifted = fresh.map((r) =>
      r.record.listing.id !== "1"
        ? r
        : {
            ...r,
            record: { ...r.record, listing: { ...r.record.listing, id: "2" }, source: { ...r.record.source, row: 2 } },
            findings: r.findings.map((f) => ({ ...f, listingId: "2" })),
          },
    );
    const comparison = await compareReports(previous.value, shifted);
    expect(comparison.new).toEqual([]);
    expect(comparison.fixed).toEqual([]);
  });

  it("refuses a file that is not a JSON report, naming the key", () => {
    const bad = parsePreviousReport('{ "format": 1, "findings": [{ "ruleId": 3 }] }', "old.json");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.key)).toContain("findings[0].ruleId");
  });
});

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { claimChargedRegion } from "../src/rules/shipping/claim-charged-region.js";
import { runCli } from "./cli-io.js";

const TEMPLATES = fileURLToPath(new URL("../samples/templates/", import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "listing-audit-crashed-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

interface Report {
  findings: Array<{ listingId: string; ruleId: string; severity: string }>;
  problems: Array<{ code: string; listingId?: string }>;
}

async function auditJson(name: string, listings: unknown[], extra: string[] = []) {
  await writeFile(path.join(dir, name), JSON.stringify(listings));
  const r = await runCli([name, "-t", TEMPLATES, "-f", "json", "--quiet", ...extra], { cwd: dir });
  return { ...r, report: JSON.parse(r.stdout) as Report };
}

describe("listings the code fails on", () => {
  test("a listing with 130,000 SKUs is audited like any other (its prices were spread into Math.min)", async () => {
    const skus = Array.from({ length: 130_000 }, (_, i) => ({ name: `红色 ${i}`, price: 10 + (i % 7) }));
    const { code, report } = await auditJson("many-skus.json", [
      { id: "S1", title: "全国包邮 保温杯", templateId: "T-REMOTE", skus },
    ]);
    expect(report.problems).toEqual([]);
    expect(report.findings).toContainEqual(
      expect.objectContaining({ listingId: "S1", ruleId: "shipping/claim-charged-region", severity: "error" }),
    );
    expect(code).toBe(1);
  });

  test("a rule that throws is rule/crashed and fails the run, even with --fail-on never", async () => {
    vi.spyOn(claimChargedRegion, "check").mockImplementation(() => {
      throw new Error("boom");
    });
    const { code, report } = await auditJson("crash.json", [{ id: "C1", title: "保温杯" }], ["--fail-on", "never"]);
    expect(report.findings).toEqual([]);
    expect(report.problems).toEqual([expect.objectContaining({ code: "rule/crashed", listingId: "C1" })]);
    expect(code).toBe(1);
  });
});

import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./cli-io.js";

const SAMPLES = fileURLToPath(new URL("../samples/", import.meta.url));
const AUDIT = ["samples/listings.json", "-t", "samples/templates", "--quiet"];

interface Finding {
  listingId: string;
  ruleId: string;
  fingerprint: string;
  baselined?: boolean;
}
interface Report {
  findings: Finding[];
  comparison?: { previous: string; counts: { new: number; fixed: number; unchanged: number }; new: string[]; fixed: Finding[] };
}

let dir: string;
const readJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(path.join(dir, file), "utf8")) as T;

/** 1023 names two remote provinces; naming a third changes which regions its finding reports. */
async function editOneListing(): Promise<void> {
  const file = path.join(dir, "samples/listings.json");
  const text = await readFile(file, "utf8");
  const edited = text.replace("偏远地区（新疆、西藏）不包邮", "偏远地区（新疆、西藏、青海）不包邮");
  expect(edited).not.toBe(text);
  await writeFile(file, edited);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "listing-audit-baseline-"));
  await cp(SAMPLES, path.join(dir, "samples"), { recursive: true });
  const made = await runCli([...AUDIT, "--baseline", "known.json", "--update-baseline", "-f", "json=before.json"], { cwd: dir });
  // The samples have errors, but a run that writes the baseline accepts them all.
  expect(made.code).toBe(0);
  await editOneListing();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a baseline of the samples, then one edited listing", () => {
  it("--update-baseline wrote every finding, sorted, and said so", async () => {
    const baseline = await readJson<{ format: string; entries: Array<{ listingId: string }> }>("known.json");
    const before = await readJson<Report>("before.json");
    expect(baseline.format).toBe("listing-auditor-baseline");
    expect(baseline.entries).toHaveLength(before.findings.length);
    expect(before.findings.length).toBe(20);
    const ids = baseline.entries.map((e) => e.listingId);
    expect(ids).toEqual(ids.toSorted());
  });

  it("--baseline: exactly one new finding, which alone fails the run", async () => {
    const r = await runCli([...AUDIT, "--baseline", "known.json", "-f", "json"], { cwd: dir });
    const report = JSON.parse(r.stdout) as Report;
    const fresh = report.findings.filter((f) => f.baselined === false);
    expect(fresh.map((f) => `${f.listingId} ${f.ruleId}`)).toEqual(["1023 shipping/claim-charged-region"]);
    expect(report.findings.filter((f) => f.baselined === true)).toHaveLength(19);
    expect(r.code).toBe(1);
    // Once everything is known, nothing counts towards --fail-on or --max-warnings (8 errors, 9 warnings).
    expect((await runCli([...AUDIT, "--baseline", "all.json", "--update-baseline"], { cwd: dir })).code).toBe(0);
    const onlyKnown = await runCli([...AUDIT, "--baseline", "all.json", "--fail-on", "info", "--max-warnings", "0"], { cwd: dir });
    expect(onlyKnown.code).toBe(0);
    const withoutBaseline = await runCli([...AUDIT, "--fail-on", "never", "--max-warnings", "0"], { cwd: dir });
    expect(withoutBaseline.code).toBe(1);
  });

  it("--compare: exactly one new and one fixed finding, the rest unchanged", async () => {
    const r = await runCli([...AUDIT, "--compare", "before.json", "-f", "json=after.json"], { cwd: dir });
    expect(r.code).toBe(1);
    const after = await readJson<Report>("after.json");
    expect(after.comparison?.previous).toBe("before.json");
    expect(after.comparison?.counts).toEqual({ new: 1, fixed: 1, unchanged: 19 });
    const added = after.findings.filter((f) => after.comparison?.new.includes(f.fingerprint));
    expect(added.map((f) => f.listingId)).toEqual(["1023"]);
    expect(after.comparison?.fixed.map((f) => `${f.listingId} ${f.ruleId}`)).toEqual(["1023 shipping/claim-charged-region"]);
    const text = await runCli(["samples/listings.json", "-t", "samples/templates", "--compare", "before.json", "-f", "text=after.txt"], { cwd: dir });
    expect(text.stderr).toMatch(/与 before.json 比较：新增 1 个，已修复 1 个，未变 19 个/);
    expect(text.stderr).toMatch(/已修复: 1023 shipping\/claim-charged-region 「包邮」/);
  });

  it("every format shows what is new", async () => {
    const args = [...AUDIT, "--baseline", "known.json", "-f", "sarif=r.sarif", "-f", "csv=r.csv", "-f", "github=r.txt", "-f", "junit=r.xml"];
    await runCli(args, { cwd: dir });
    const sarif = JSON.parse(await readFile(path.join(dir, "r.sarif"), "utf8"));
    const states = sarif.runs[0].results.map((r: { baselineState: string }) => r.baselineState);
    expect(states.filter((s: string) => s === "new")).toHaveLength(1);
    expect(states.filter((s: string) => s === "unchanged")).toHaveLength(19);
    const csv = await readFile(path.join(dir, "r.csv"), "utf8");
    expect(csv.split("\r\n").filter((l) => l.endsWith(",new"))).toHaveLength(1);
    const github = await readFile(path.join(dir, "r.txt"), "utf8");
    expect(github.split("\n")[0]).toMatch(/^::error .*1023/);
    const junit = await readFile(path.join(dir, "r.xml"), "utf8");
    expect(junit.match(/<failure /g)).toHaveLength(1);
  });

  it("a missing or broken baseline stops the run (exit 2, located); a missing one is fine with --update-baseline", async () => {
    const missing = await runCli([...AUDIT, "--baseline", "nope.json"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope.json: cannot read: ENOENT/);
    await writeFile(path.join(dir, "broken.json"), '{\n  "format": "listing-auditor-baseline",\n  "version": 2,\n  "entries": []\n}\n');
    const broken = await runCli([...AUDIT, "--baseline", "broken.json"], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken.json:3 version: /);
    const report = await runCli([...AUDIT, "--baseline", "before.json"], { cwd: dir });
    expect(report.code).toBe(2);
    const created = await runCli([...AUDIT, "--baseline", "new.json", "--update-baseline"], { cwd: dir });
    expect(created.code).toBe(0);
    expect((await readJson<{ entries: unknown[] }>("new.json")).entries).toHaveLength(20);
  });

  it("--update-baseline needs --baseline; --compare needs a JSON report", async () => {
    expect((await runCli([...AUDIT, "--update-baseline"], { cwd: dir })).code).toBe(2);
    const notReport = await runCli([...AUDIT, "--compare", "known.json"], { cwd: dir });
    expect(notReport.code).toBe(2);
    expect(notReport.stderr).toMatch(/known.json/);
  });
});

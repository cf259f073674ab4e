import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./cli-io.js";
import { reportFindings } from "./helpers/html-report-data.js";

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
  comparison?: {
    previous: string;
    counts: { new: number; fixed: number; unchanged: number };
    new: string[];
    fixed: Finding[];
  };
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
  const made = await runCli([...AUDIT, "--baseline", "known.json", "--update-baseline", "-f", "json=before.json"], {
    cwd: dir,
  });
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
    const onlyKnown = await runCli([...AUDIT, "--baseline", "all.json", "--fail-on", "info", "--max-warnings", "0"], {
      cwd: dir,
    });
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
    expect(after.comparison?.fixed.map((f) => `${f.listingId} ${f.ruleId}`)).toEqual([
      "1023 shipping/claim-charged-region",
    ]);
    const text = await runCli(
      ["samples/listings.json", "-t", "samples/templates", "--compare", "before.json", "-f", "text=after.txt"],
      { cwd: dir },
    );
    expect(text.stderr).toMatch(/与 before.json 比较：新增 1 个，已修复 1 个，未变 19 个/);
    expect(text.stderr).toMatch(/ {2}新增: 1023 shipping\/claim-charged-region 「包邮」/);
    expect(text.stderr).toMatch(/ {2}已修复: 1023 shipping\/claim-charged-region 「包邮」/);
    const english = await runCli(
      [...AUDIT.filter((a) => a !== "--quiet"), "--compare", "before.json", "--lang", "en", "-f", "json=after-en.json"],
      { cwd: dir },
    );
    expect(english.stderr).toMatch(/compared with before.json: 1 new, 1 fixed, 19 unchanged/);
    expect(english.stderr).toMatch(/ {2}fixed: 1023 shipping\/claim-charged-region 「包邮」/);
  });

  it("--compare: the text, HTML and Markdown reports mark the new finding and name the fixed one", async () => {
    const formats = ["-f", "text=c.txt", "-f", "html=c.html", "-f", "markdown=c.md"];
    expect((await runCli([...AUDIT, "--compare", "before.json", ...formats], { cwd: dir })).code).toBe(1);
    const text = await readFile(path.join(dir, "c.txt"), "utf8");
    expect(text.match(/\(新增\)/g)).toHaveLength(1);
    expect(text).toMatch(/标题宣称「包邮」.*shipping\/claim-charged-region \(新增\)\n/);
    expect(text).toMatch(/已修复（与 before.json 比较）\n {2}已修复 {2}1023 shipping\/claim-charged-region 「包邮」\n/);
    const html = await readFile(path.join(dir, "c.html"), "utf8");
    expect(reportFindings(html).filter((f) => f.finding[2] === 1)).toHaveLength(1);
    expect(html).toMatch(
      /<section class="panel" id="fixed"><h2>已修复（与 before.json 比较） \(1\)<\/h2><ul><li><span class="pill fixed">已修复<\/span> 1023 shipping\/claim-charged-region 「包邮」<\/li>/,
    );
    const markdown = await readFile(path.join(dir, "c.md"), "utf8");
    expect(markdown.match(/\| \*\*新增\*\* \|/g)).toHaveLength(1);
    expect(markdown).toMatch(/与 before\.json 比较：新增 1 个，已修复 1 个，未变 19 个/);
    expect(markdown).toMatch(
      /### 已修复（与 before\.json 比较）\n\n- 已修复: 1023 shipping\/claim-charged-region 「包邮」\n/,
    );
  });

  it("--baseline: the text summary gives the new / known split", async () => {
    const r = await runCli([...AUDIT, "--baseline", "known.json"], { cwd: dir });
    expect(r.stdout.trimEnd().split("\n").at(-1)).toMatch(/^✖ 审核 33 个商品：.*；新增 1 · 已知 19$/);
    expect(r.stdout.match(/\(新增\)/g)).toHaveLength(1);
    const english = await runCli([...AUDIT, "--baseline", "known.json", "--lang", "en"], { cwd: dir });
    expect(english.stdout.trimEnd().split("\n").at(-1)).toMatch(/; 1 new · 19 known$/);
  });

  it("every format shows what is new", async () => {
    const args = [
      ...AUDIT,
      "--baseline",
      "known.json",
      "-f",
      "sarif=r.sarif",
      "-f",
      "csv=r.csv",
      "-f",
      "github=r.txt",
      "-f",
      "junit=r.xml",
    ];
    await runCli(args, { cwd: dir });
    const sarif = JSON.parse(await readFile(path.join(dir, "r.sarif"), "utf8"));
    const states = sarif.runs[0].results.map((r: { baselineState: string }) => r.baselineState);
    expect(states.filter((s: string) => s === "new")).toHaveLength(1);
    expect(states.filter((s: string) => s === "unchanged")).toHaveLength(19);
    const csv = await readFile(path.join(dir, "r.csv"), "utf8");
    expect(csv.split("\r\n").filter((l) => l.endsWith(",new"))).toHaveLength(1);
    const github = (await readFile(path.join(dir, "r.txt"), "utf8")).trimEnd().split("\n");
    expect(github[0]).toMatch(/^::error .*1023/);
    // Known findings are notices, never red errors or warnings on the pull request.
    const known = github.filter((l) => l.includes("[已知]"));
    expect(known.length).toBeGreaterThan(0);
    expect(known.every((l) => l.startsWith("::notice "))).toBe(true);
    expect(github.filter((l) => /^::(error|warning) /.test(l))).toHaveLength(1);
    const junit = await readFile(path.join(dir, "r.xml"), "utf8");
    expect(junit.match(/<failure /g)).toHaveLength(1);
  });

  it("a missing baseline is an empty one: every finding is new, and stderr says so (the first CI run)", async () => {
    const missing = await runCli([...AUDIT, "--baseline", "nope.json", "-f", "json"], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      "listing-audit: 基线文件不存在：全部问题按新增处理；用 --update-baseline 生成（nope.json）\n",
    );
    const report = JSON.parse(missing.stdout) as Report;
    expect(report.findings).toHaveLength(20);
    expect(report.findings.every((f) => f.baselined === false)).toBe(true);
    const english = await runCli([...AUDIT, "--baseline", "nope.json", "--lang", "en"], { cwd: dir });
    expect(english.stderr).toMatch(
      /^listing-audit: baseline file not found: every finding counts as new; write it with --update-baseline \(nope.json\)$/m,
    );
    const created = await runCli([...AUDIT, "--baseline", "new.json", "--update-baseline"], { cwd: dir });
    expect(created.code).toBe(0);
    expect(created.stderr).toBe("");
    expect((await readJson<{ entries: unknown[] }>("new.json")).entries).toHaveLength(20);
  });

  it("a file that is there but is not a baseline stops the run (exit 2) and says what it is", async () => {
    const refused = async (file: string, text: string, message: RegExp) => {
      await writeFile(path.join(dir, file), text);
      const r = await runCli([...AUDIT, "--baseline", file], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    };
    await refused(
      "broken.json",
      '{\n  "format": "listing-auditor-baseline",\n  "version": 2,\n  "entries": []\n}\n',
      /^错误：broken.json:3 version: 不支持的版本 2/m,
    );
    await refused("empty.json", "", /^错误：empty.json: 文件是空的（0 字节）$/m);
    const known = await readFile(path.join(dir, "known.json"), "utf8");
    await refused("cut.json", known.slice(0, known.length / 2), /^错误：cut.json:\d+: 文件在中途结束/m);
    await refused("other.json", '{ "entries": [] }', /^错误：other.json: 不是基线文件/m);
    // A JSON report where a baseline belongs: named as such, whatever it holds.
    const r = await runCli([...AUDIT, "--baseline", "before.json"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "错误：before.json: 这是 -f json 生成的 JSON 报告，不是基线文件：报告用于 --compare，基线用 --update-baseline 生成\n",
    );
  });

  it("--update-baseline regenerates a 0-byte or broken baseline", async () => {
    for (const text of ["", '{ "format": "listing-auditor-baseline", "version": 1, "entr']) {
      await writeFile(path.join(dir, "zero.json"), text);
      const r = await runCli([...AUDIT, "--baseline", "zero.json", "--update-baseline"], { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/基线文件 zero.json 无效，本次运行按无基线处理，并用本次结果重新生成/);
      expect((await readJson<{ entries: unknown[] }>("zero.json")).entries).toHaveLength(20);
    }
  });

  it("--update-baseline needs --baseline; --compare needs a JSON report", async () => {
    expect((await runCli([...AUDIT, "--update-baseline"], { cwd: dir })).code).toBe(2);
    const notReport = await runCli([...AUDIT, "--compare", "known.json"], { cwd: dir });
    expect(notReport.code).toBe(2);
    expect(notReport.stderr).toMatch(/known.json/);
  });
});

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";

// Runs the installed command on the build (`npm run build` first), in a heap too small for the old way.
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const BIN = path.join(ROOT, "bin/listing-audit.js");
/** Findings in the generated previous report: about 150 MB of JSON, written like a real -f json report. */
const FINDINGS = 135_000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "listing-audit-baseline-memory-"));
  await cp(path.join(ROOT, "samples"), path.join(dir, "samples"), { recursive: true });
  // Records the child's peak resident memory as it exits.
  await writeFile(
    path.join(dir, "peak-rss.mjs"),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: this is the source text of a child process
    'process.on("exit", () => process.stderr.write(`peak-rss-kb ${process.resourceUsage().maxRSS}\\n`));\n',
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A finding as the JSON report writes it, for listing `i` (about 1.3 KB of UTF-8). */
function finding(i: number): string {
  const fingerprint = createHash("sha256").update(String(i)).digest("hex").slice(0, 32);
  return JSON.stringify({
    ruleId: "shipping/claim-charged-region",
    severity: "error",
    listingId: `G${i}`,
    message:
      "标题宣称「包邮」，但运费模板 T-REMOTE 对 内蒙古(¥12)、西藏(¥20)、甘肃(¥12)、青海(¥12)、宁夏(¥12)、新疆(¥20) 收取运费，且未说明",
    source: { file: "exports/listings.json", row: i + 1, line: i * 30 + 2, field: "title" },
    claim: { text: "包邮", field: "title", start: 17, end: 19 },
    relatedClaims: [{ text: "包邮", field: "description", start: 118, end: 120 }],
    regions: [
      { code: "150000", name: "内蒙古自治区", fee: 12, quantity: 1 },
      { code: "540000", name: "西藏自治区", fee: 20, quantity: 1 },
      { code: "650000", name: "新疆维吾尔自治区", fee: 20, quantity: 1 },
    ],
    templateId: "T-REMOTE",
    fix: "在宝贝卖点写明「新疆西藏青海宁夏甘肃内蒙古除外」（标题限 30 字，卖点更合适），或把运费模板 T-REMOTE 中 青海、宁夏、甘肃、内蒙古 的首件运费 ¥12、新疆、西藏 的首件运费 ¥20 改为 0",
    reference: "滥发信息—发布错误描述信息",
    fingerprint,
  });
}

async function* previousReport(): AsyncGenerator<string> {
  yield '{\n  "tool": {"name":"listing-auditor","version":"0.0.0"},\n  "format": 1,\n  "findings": [';
  for (let start = 0; start < FINDINGS; start += 1000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(FINDINGS, start + 1000); i++)
      lines.push(`${i === 0 ? "\n" : ",\n"}    ${finding(i)}`);
    yield lines.join("");
  }
  yield `\n  ],\n  "problems": [],\n  "summary": {"listings":${FINDINGS},"findings":${FINDINGS},"error":${FINDINGS},"warning":0,"info":0,"problems":0,"skipped":0}\n}\n`;
}

function runBounded(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    // A 200 MB heap: the YAML parser this replaced needed about 70 bytes of memory per byte of JSON.
    const child = spawn(process.execPath, ["--max-old-space-size=200", "--import", "./peak-rss.mjs", BIN, ...args], {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

function peakMegabytes(stderr: string): number {
  const kb = /peak-rss-kb (\d+)/.exec(stderr)?.[1];
  if (kb === undefined) throw new Error(`no peak RSS in:\n${stderr}`);
  return Number(kb) / 1024;
}

it("--compare reads a 150 MB previous report in bounded memory and names what is fixed", async () => {
  await writeFile(path.join(dir, "previous.json"), previousReport());
  expect((await stat(path.join(dir, "previous.json"))).size).toBeGreaterThan(140 * 1024 * 1024);
  const r = await runBounded([
    "samples/listings.json",
    "-t",
    "samples/templates",
    "--compare",
    "previous.json",
    "-f",
    "json=after.json",
  ]);
  expect(r.stderr).toMatch(/与 previous.json 比较：新增 20 个，已修复 135000 个，未变 0 个/);
  expect(r.code).toBe(1);
  const after = JSON.parse(await readFile(path.join(dir, "after.json"), "utf8")) as {
    comparison: { counts: { new: number; fixed: number }; fixed: Array<{ listingId: string }>; fixedNotListed: number };
  };
  expect(after.comparison.counts).toEqual({ new: 20, fixed: FINDINGS, unchanged: 0 });
  expect(after.comparison.fixed).toHaveLength(10_000);
  expect(after.comparison.fixed[0]?.listingId).toBe("G0");
  expect(after.comparison.fixedNotListed).toBe(FINDINGS - 10_000);
  expect(peakMegabytes(r.stderr)).toBeLessThan(300);
}, 300_000);

it("--baseline reads a large baseline in bounded memory", async () => {
  async function* baseline(): AsyncGenerator<string> {
    yield '{\n  "format": "listing-auditor-baseline",\n  "version": 1,\n  "entries": [';
    for (let start = 0; start < 600_000; start += 1000) {
      const lines: string[] = [];
      for (let i = start; i < start + 1000; i++) {
        const fingerprint = createHash("sha256").update(String(i)).digest("hex").slice(0, 32);
        const entry = {
          fingerprint,
          ruleId: "shipping/claim-charged-region",
          listingId: `G${i}`,
          claim: "全国包邮",
          regions: ["540000", "650000"],
        };
        lines.push(`${i === 0 ? "\n" : ",\n"}    ${JSON.stringify(entry)}`);
      }
      yield lines.join("");
    }
    yield "\n  ]\n}\n";
  }
  await writeFile(path.join(dir, "baseline.json"), baseline());
  expect((await stat(path.join(dir, "baseline.json"))).size).toBeGreaterThan(90 * 1024 * 1024);
  const r = await runBounded([
    "samples/listings.json",
    "-t",
    "samples/templates",
    "--baseline",
    "baseline.json",
    "-f",
    "json=known.json",
    "--quiet",
  ]);
  expect(r.code).toBe(1);
  const report = JSON.parse(await readFile(path.join(dir, "known.json"), "utf8")) as {
    findings: Array<{ baselined: boolean }>;
  };
  expect(report.findings.every((f) => f.baselined === false)).toBe(true);
  expect(peakMegabytes(r.stderr)).toBeLessThan(300);
}, 300_000);

import { cp, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AjvDraft04 from "ajv-draft-04";
import iconv from "iconv-lite";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { runCli } from "./cli-io.js";

const SAMPLES = fileURLToPath(new URL("../samples/", import.meta.url));
const INPUTS = ["samples/listings.json", "samples/taobao-export.csv"];
const Ajv = AjvDraft04.default;
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat("uri", (s: string) => URL.canParse(s));
ajv.addFormat("uri-reference", (s: string) => URL.canParse(s, "file:///base/"));
ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
const validateSarif = ajv.compile(
  JSON.parse(await readFile(new URL("fixtures/sarif-schema-2.1.0.json", import.meta.url), "utf8")) as object,
);
const TEXT_FIELDS = ["title", "subtitle", "description", "mobileDescription"];

interface ReportFinding {
  ruleId: string;
  listingId: string;
  source: { file: string };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "la-fix-"));
  await cp(SAMPLES, path.join(dir, "samples"), { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function audit(inputs: string[]): Promise<ReportFinding[]> {
  const result = await runCli([...inputs, "-t", "samples/templates", "-f", "json", "-o", "report.json"], { cwd: dir });
  expect(result.code).toBe(1);
  return (JSON.parse(await readFile(path.join(dir, "report.json"), "utf8")) as { findings: ReportFinding[] }).findings;
}

const key = (f: { ruleId: string; listingId: string }, file: string) =>
  `${path.basename(file)} ${f.listingId} ${f.ruleId}`;

/** `  samples/listings.json 1005  shipping/vague-exclusion: …` lines of the fix notes. */
function refusedLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => /^listing-audit: {3}\S+ \S+ {2}\S+\/\S+:/.test(l));
}

describe("--fix on the demo shop (samples/)", () => {
  test("re-auditing the fixed copies leaves exactly the findings that were refused, and a second --fix changes nothing", async () => {
    const before = await audit(INPUTS);
    const fixed = await runCli(
      [...INPUTS, "-t", "samples/templates", "--fix-output", "fixed", "-f", "json", "-o", "r.json"],
      {
        cwd: dir,
      },
    );
    expect(fixed.code).toBe(1);
    const summary = /修复 (\d+) 个问题，(\d+) 个未自动修复/.exec(fixed.stderr);
    expect(summary).not.toBeNull();
    const [fixedCount, refusedCount] = [Number(summary?.[1]), Number(summary?.[2])];
    expect(fixedCount + refusedCount).toBe(before.length);
    expect(fixedCount).toBeGreaterThan(before.length / 2);

    const outputs = INPUTS.map((f) => `fixed/${f}`);
    const after = await audit(outputs);
    expect(after).toHaveLength(refusedCount);
    // Every finding left was refused with a reason; none of the fixed ones is back, and nothing new appeared.
    const refused = new Set(
      refusedLines(fixed.stderr).map((l) => {
        const [, file, id, rule] = /^listing-audit: {3}(\S+) (\S+) {2}(\S+):/.exec(l) ?? [];
        return `fixed/${file} ${id} ${rule}`;
      }),
    );
    expect(refused.size).toBe(refusedCount);
    for (const f of after) expect(refused.has(`${f.source.file} ${f.listingId} ${f.ruleId}`)).toBe(true);
    const beforeKeys = new Set(before.map((f) => key(f, f.source.file)));
    for (const f of after) expect(beforeKeys.has(key(f, f.source.file))).toBe(true);

    // The originals are untouched by --fix-output.
    for (const input of INPUTS)
      expect(await readFile(path.join(dir, input))).toEqual(await readFile(path.join(SAMPLES, path.basename(input))));

    // Idempotent: --fix in place on the fixed copies writes nothing new.
    const copies = await Promise.all(outputs.map((f) => readFile(path.join(dir, f))));
    const again = await runCli([...outputs, "-t", "samples/templates", "--fix", "-f", "json", "-o", "r2.json"], {
      cwd: dir,
    });
    expect(again.stderr).toContain("修复 0 个问题");
    for (const [i, f] of outputs.entries()) expect(await readFile(path.join(dir, f))).toEqual(copies[i]);
  });

  test("only text fields change: ids, prices, SKUs, pictures and key order stay as they were", async () => {
    await runCli([...INPUTS, "-t", "samples/templates", "--fix", "-f", "json", "-o", "r.json"], { cwd: dir });
    type Shop = { listings: Record<string, unknown>[] };
    const original = (JSON.parse(await readFile(path.join(SAMPLES, "listings.json"), "utf8")) as Shop).listings;
    const fixedText = await readFile(path.join(dir, "samples/listings.json"), "utf8");
    const fixed = (JSON.parse(fixedText) as Shop).listings;
    expect(fixed).toHaveLength(original.length);
    let changed = 0;
    for (const [i, listing] of original.entries()) {
      const other = fixed[i] as Record<string, unknown>;
      const strip = (l: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(l).filter(([k]) => !TEXT_FIELDS.includes(k)));
      expect(strip(other)).toEqual(strip(listing));
      const keys = Object.keys(other).filter((k) => k in listing);
      expect(keys).toEqual(Object.keys(listing));
      if (JSON.stringify(other) !== JSON.stringify(listing)) changed++;
    }
    expect(changed).toBeGreaterThan(5);
    // Formatting kept: the same number of lines, indentation and all.
    const originalText = await readFile(path.join(SAMPLES, "listings.json"), "utf8");
    expect(fixedText.split("\n").length).toBe(originalText.split("\n").length);

    // 淘宝助理 export: same BOM, same lines except the changed records, each changed only in text columns.
    const bytes = await readFile(path.join(SAMPLES, "taobao-export.csv"));
    const fixedBytes = await readFile(path.join(dir, "samples/taobao-export.csv"));
    expect(fixedBytes.subarray(0, 2)).toEqual(bytes.subarray(0, 2));
    const lines = iconv.decode(bytes, "utf-16le").split("\r\n");
    const fixedLines = iconv.decode(fixedBytes, "utf-16le").split("\r\n");
    expect(fixedLines).toHaveLength(lines.length);
    const header = (lines[1] ?? "").split("\t");
    const textColumns = new Set(["title", "subtitle", "sell_point", "description", "wireless_desc"]);
    let changedLines = 0;
    for (const [i, line] of lines.entries()) {
      if (line === fixedLines[i]) continue;
      changedLines++;
      const cells = line.split("\t");
      const fixedCells = (fixedLines[i] ?? "").split("\t");
      expect(fixedCells).toHaveLength(cells.length);
      for (const [c, cell] of cells.entries())
        if (cell !== fixedCells[c]) expect(textColumns.has(header[c] ?? "")).toBe(true);
    }
    expect(changedLines).toBeGreaterThan(5);
  });

  test("--fix-dry-run prints a diff per listing and field and writes nothing", async () => {
    const result = await runCli([...INPUTS, "-t", "samples/templates", "--fix-dry-run", "-f", "json", "-o", "r.json"], {
      cwd: dir,
    });
    expect(result.stdout).toContain("--- a/samples/listings.json");
    expect(result.stdout).toContain("+++ b/samples/taobao-export.csv");
    expect(result.stdout).toMatch(
      /@@ 1002 subtitle :28 \(shipping\/claim-charged-region\) @@\n-.*\n\+.*新疆西藏青海宁夏甘肃内蒙古不包邮/,
    );
    expect(result.stdout).toContain("# 发票设置（has_invoice）没有改动");
    for (const input of INPUTS)
      expect(await readFile(path.join(dir, input))).toEqual(await readFile(path.join(SAMPLES, path.basename(input))));
  });

  test("SARIF carries the fixes of JSON listings; applying its replacements gives the file --fix writes", async () => {
    await runCli(["samples/listings.json", "-t", "samples/templates", "--fix-dry-run", "-f", "sarif=out.sarif"], {
      cwd: dir,
    });
    const log = JSON.parse(await readFile(path.join(dir, "out.sarif"), "utf8")) as {
      runs: { results: { fixes?: SarifFix[] }[] }[];
    };
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    type SarifFix = {
      artifactChanges: {
        artifactLocation: { uri: string };
        replacements: {
          deletedRegion: { charOffset: number; charLength: number };
          insertedContent: { text: string };
        }[];
      }[];
    };
    const replacements = new Map<string, { offset: number; length: number; text: string }>();
    for (const result of log.runs[0]?.results ?? [])
      for (const fix of result.fixes ?? [])
        for (const change of fix.artifactChanges) {
          expect(change.artifactLocation.uri).toBe("samples/listings.json");
          for (const r of change.replacements) {
            const entry = {
              offset: r.deletedRegion.charOffset,
              length: r.deletedRegion.charLength,
              text: r.insertedContent.text,
            };
            replacements.set(JSON.stringify(entry), entry);
          }
        }
    expect(replacements.size).toBeGreaterThan(5);
    let text = await readFile(path.join(dir, "samples/listings.json"), "utf8");
    for (const r of [...replacements.values()].sort((a, b) => b.offset - a.offset))
      text = text.slice(0, r.offset) + r.text + text.slice(r.offset + r.length);
    await runCli(["samples/listings.json", "-t", "samples/templates", "--fix", "-f", "json", "-o", "r.json"], {
      cwd: dir,
    });
    expect(text).toBe(await readFile(path.join(dir, "samples/listings.json"), "utf8"));
  });

  test("--fix-rule limits the fixes to that rule", async () => {
    const result = await runCli(
      [
        ...INPUTS,
        "-t",
        "samples/templates",
        "--fix-dry-run",
        "--fix-rule",
        "shipping/stated-fee-mismatch",
        "-f",
        "json",
        "-o",
        "r.json",
      ],
      { cwd: dir },
    );
    const hunks = result.stdout.split("\n").filter((l) => l.startsWith("@@"));
    expect(hunks).toHaveLength(2);
    for (const hunk of hunks) expect(hunk).toContain("(shipping/stated-fee-mismatch)");
    expect(result.stdout).toContain("+全国包邮 新疆西藏补运费20元");
  });

  test("a fix that cannot be written leaves the original untouched and stops with exit 2", async () => {
    // The output folder is a file: nothing can be written under it.
    await cp(path.join(SAMPLES, "README.md"), path.join(dir, "blocked"));
    const result = await runCli(
      [...INPUTS, "-t", "samples/templates", "--fix-output", "blocked", "-f", "json", "-o", "r.json"],
      {
        cwd: dir,
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("无法写入修复后的文件");
    expect((await stat(path.join(dir, "blocked"))).isFile()).toBe(true);
    for (const input of INPUTS)
      expect(await readFile(path.join(dir, input))).toEqual(await readFile(path.join(SAMPLES, path.basename(input))));
  });

  test("bad --fix options are usage errors", async () => {
    const strategy = await runCli([...INPUTS, "--fix", "--fix-strategy", "paint"], { cwd: dir });
    expect(strategy.code).toBe(2);
    expect(strategy.stderr).toContain("--fix-strategy");
    const rule = await runCli([...INPUTS, "-t", "samples/templates", "--fix", "--fix-rule", "shipping/nope"], {
      cwd: dir,
    });
    expect(rule.code).toBe(2);
    expect(rule.stderr).toContain("shipping/nope");
  });
});

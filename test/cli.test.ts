import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig, createStarterConfig } from "../src/config/index.js";
import { FIXTURES, runCli } from "./cli-io.js";

const SHOP = ["shop/listings.json", "-t", "shop/templates.yaml"];

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "listing-audit-cli-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("exit status", () => {
  it("0 when no finding reaches --fail-on", async () => {
    const r = await runCli(["clean/listings.json", "-t", "shop/templates.yaml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/审核 1 个商品：0 个问题/);
  });

  it("1 on an error finding; 0 with --fail-on never", async () => {
    expect((await runCli(SHOP)).code).toBe(1);
    expect((await runCli([...SHOP, "--fail-on", "never"])).code).toBe(0);
  });

  it("--fail-on info counts info findings", async () => {
    const r = await runCli(["audit", ...SHOP, "--fail-on", "info", "-f", "json"]);
    expect(r.code).toBe(1);
  });

  it("--max-warnings and --max-problems fail past the threshold", async () => {
    const noTemplates = await runCli([
      "shop/listings.json",
      "--no-templates",
      "--fail-on",
      "never",
      "--max-warnings",
      "0",
    ]);
    expect(noTemplates.code).toBe(1);
    expect(noTemplates.stderr).toMatch(/警告 \d+ 个，超过 --max-warnings 0/);
    const problems = await runCli(["sources/broken.json", "--fail-on", "never", "--max-problems", "3"]);
    expect(problems.code).toBe(1);
    expect(problems.stderr).toMatch(/输入问题 \d+ 个，超过 --max-problems 3/);
    expect((await runCli(["sources/broken.json", "--fail-on", "never", "--max-problems", "10"])).code).toBe(0);
  });

  it.each([
    [["--platform", "amazon", "x.json"], /--platform 只能是 taobao、tmall、pinduoduo、generic 之一（写的是 "amazon"）/],
    [["--platform", "amazon", "x.json", "--lang", "en"], /--platform must be one of taobao, tmall, pinduoduo, generic/],
    [["--bogus"], /^listing-audit: 未知选项 --bogus\n全部选项见 listing-audit --help。\n$/],
    [["x.json", "--fial-on", "warning"], /^listing-audit: 未知选项 --fial-on。是否要用 --fail-on？\n/],
    [
      ["x.json", "--fial-on=warning", "--lang=en"],
      /^listing-audit: unknown option --fial-on. Did you mean --fail-on\?\n/,
    ],
    [["x.json", "-t"], /选项 -t 缺少值/],
    [["x.json", "--quiet=yes"], /选项 --quiet 不带值/],
    [["--max-warnings", "-1", "x.json"], /--max-warnings/],
    [["shop/listings.json", "-f", "yaml"], /unknown format "yaml"/],
    [
      ["shop/listings.json", "-f", "text", "-f", "json", "-o", "out.txt"],
      /-o names the file for one -f given without =file, but 2 were given/,
    ],
    [["shop/listings.json", "-f", "text", "-f", "json"], /only one format can go to standard output/],
    [[], /没有指定输入/],
    [["--lang", "en"], /no input given/],
    [["sources/other.json"], /sources\/other.json: not a listing source \(expected listings as/],
    [["missing.json"], /missing.json: no such file or folder/],
    [["sources/broken.json", "-t", "shop/templates.yaml", "-t", "sources/templates.yaml"], /模板 id "T1" 重复/],
    [["shop/templates.yaml"], /输入里没有一条可审核的记录/],
    [["sources/empty.json", "-t", "shop/templates.yaml", "--lang", "en"], /no auditable record/],
    [["--json", "shop/listings.json"], /--json 用于 explain 和 rules/],
  ])("2 for %j", async (argv, message) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe("inputs", () => {
  it("an empty or whitespace-only input says 文件为空 (the file is empty), and is a problem, not a format error", async () => {
    const dir = await mkdtemp(path.join(tmp, "empty-"));
    await writeFile(path.join(dir, "empty.json"), "");
    await writeFile(path.join(dir, "blank.csv"), "\uFEFF \r\n\t\r\n");
    const zh = await runCli(["empty.json", "blank.csv", "-f", "json", "--fail-on", "never"], { cwd: dir });
    expect(JSON.parse(zh.stdout).problems).toEqual([
      { code: "input/empty", source: { file: "empty.json" }, message: "文件为空" },
      { code: "input/empty", source: { file: "blank.csv" }, message: "文件为空" },
    ]);
    expect(zh.code).toBe(2);
    const text = await runCli(["-", "-f", "text", "--fail-on", "never"], { cwd: dir, stdin: "  \n" });
    expect(text.stdout).toMatch(/-\s+输入问题\s+文件为空\s+input\/empty/);
    const en = await runCli(["empty.json", "-f", "json", "--lang", "en"], { cwd: dir });
    expect(JSON.parse(en.stdout).problems[0]).toEqual({
      code: "input/empty",
      source: { file: "empty.json" },
      message: "the file is empty",
    });
  });

  it("reads stdin with -", async () => {
    const r = await runCli(["-", "-t", "shop/templates.yaml", "-f", "json"], {
      stdin: '{"id":"s1","title":"全国包邮","templateId":"T1"}\n',
    });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.findings[0]).toMatchObject({ listingId: "s1", source: { file: "-", row: 1, line: 1 } });
  });

  it("walks a folder, loads the template files in it and reports other files as problems", async () => {
    const r = await runCli(["sources", "-f", "json", "--fail-on", "never"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const codes = report.problems.map((p: { code: string }) => p.code);
    expect(codes).toContain("input/not-a-listing-source");
    expect(codes).toContain("listing/duplicate-id");
    expect(codes).toContain("jsonl/syntax-error");
    expect(report.summary.listings).toBe(9);
    expect(report.summary.problems).toBe(codes.length);
  });

  it("expands globs", async () => {
    const r = await runCli(["sources/*.yaml", "-f", "json", "--fail-on", "never"]);
    const report = JSON.parse(r.stdout);
    expect(report.summary.listings).toBe(2);
  });
});

describe("formats and outputs", () => {
  it("writes -f name=file and the default text report to stdout", async () => {
    const file = path.join(tmp, "report.json");
    const r = await runCli([...SHOP, "-f", "text", "-f", `json=${file}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/shipping\/claim-charged-region/);
    const report = JSON.parse(await readFile(file, "utf8"));
    expect(report.summary).toEqual({
      listings: 2,
      findings: 2,
      error: 1,
      warning: 0,
      info: 1,
      problems: 0,
      skipped: 0,
    });
  });

  it("-o names the file of the one -f without =file", async () => {
    const file = path.join(tmp, "out.json");
    const r = await runCli([...SHOP, "-f", "json", "-o", file]);
    expect(r.stdout).toBe("");
    expect(JSON.parse(await readFile(file, "utf8")).format).toBe(1);
  });

  it("an unwritable output is exit 2", async () => {
    const r = await runCli([...SHOP, "-o", path.join(tmp, "no/such/dir/out.txt")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/out\.txt: 无法写入输出文件：文件夹不存在（ENOENT）/);
  });

  it("--lang en switches the report language", async () => {
    const r = await runCli([...SHOP, "--lang", "en"]);
    expect(r.stdout).toMatch(/2 listings audited: 2 findings \(1 error, 0 warning, 1 info\)/);
  });

  it("two runs give identical JSON", async () => {
    const a = await runCli([...SHOP, "-f", "json"]);
    const b = await runCli([...SHOP, "-f", "json"]);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe("config", () => {
  it("is found from the working directory upwards and sets platform, lang, templates and failOn", async () => {
    const r = await runCli(["listings.json", "-f", "json"], { cwd: path.join(FIXTURES, "configured/sub") });
    const report = JSON.parse(r.stdout);
    // tmall: invoice: false is an invoice/refusal error; failOn warning fails anyway.
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(["invoice/refusal"]);
    expect(report.findings[0].message).toMatch(/[A-Za-z]/);
    expect(r.code).toBe(1);
  });

  it("-c names the config; every mistake is listed with file, line and key", async () => {
    const r = await runCli(["shop/listings.json", "-c", "bad-config/listing-audit.config.yaml"]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^错误：bad-config\/listing-audit.config.yaml:1 platform: /),
        expect.stringMatching(/^错误：bad-config\/listing-audit.config.yaml:4 rules.shipping\/vague-exclusion: /),
        expect.stringMatching(/^错误：bad-config\/listing-audit.config.yaml:5 colour: 未知的键 "colour"/),
      ]),
    );
  });

  it("an unknown rule id in the config is located", async () => {
    const config = path.join(tmp, "unknown-rule.yaml");
    await writeFile(config, "rules:\n  shipping/no-such-rule: error\n");
    const r = await runCli([...SHOP, "-c", config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown-rule.yaml:2 rules.shipping\/no-such-rule: 未知规则 "shipping\/no-such-rule"/);
    const en = await runCli([...SHOP, "-c", config, "--lang", "en"]);
    expect(en.stderr).toMatch(/^error: .*unknown-rule.yaml:2 rules.shipping\/no-such-rule: unknown rule id/);
  });

  it("config rules turn a rule off", async () => {
    const config = path.join(tmp, "off.yaml");
    await writeFile(config, "rules:\n  shipping/claim-charged-region: off\n");
    const r = await runCli([...SHOP, "-c", config, "-f", "json"]);
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual([
      "shipping/overseas-not-stated",
    ]);
    expect(r.code).toBe(0);
  });

  it("init writes a starter config that validates, and refuses to overwrite it", async () => {
    const dir = await mkdtemp(path.join(tmp, "init-"));
    expect((await runCli(["init"], { cwd: dir })).code).toBe(0);
    const text = await readFile(path.join(dir, "listing-audit.config.yaml"), "utf8");
    expect(text).toBe(createStarterConfig());
    expect(parseConfig(text, "x.yaml", path.join(dir, "x.yaml")).ok).toBe(true);
    const again = await runCli(["init"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/配置文件已存在，未覆盖/);
  });
});

describe("explain, rules, help, version", () => {
  it("explain --json gives the shape of docs/report-format.md#explain-output", async () => {
    const r = await runCli(["explain", "全国包邮（新疆西藏除外）", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      text: "全国包邮（新疆西藏除外）",
      claims: [
        {
          text: "全国包邮",
          start: 0,
          end: 4,
          scope: "all",
          regions: [],
          excluded: ["540000", "650000"],
          condition: null,
          carrier: null,
        },
      ],
      disclosures: [
        { text: "新疆西藏除外", start: 5, end: 11, regions: ["540000", "650000"], fee: null, vague: false },
      ],
      buyerPays: [],
      invoice: [],
    });
  });

  it("explain prints a readable form", async () => {
    const r = await runCli(["explain", "满99元包邮"]);
    expect(r.stdout).toMatch(/包邮宣称 \(1\)/);
    expect(r.stdout).toMatch(/条件：满¥99/);
  });

  it("rules --json lists every rule with the platform's severity and a docs link", async () => {
    const r = await runCli(["rules", "--json", "-p", "tmall"]);
    const out = JSON.parse(r.stdout);
    expect(out.platform).toBe("tmall");
    expect(out.rules.find((rule: { id: string }) => rule.id === "invoice/refusal")).toMatchObject({
      severity: "error",
    });
    for (const rule of out.rules) expect(rule.docsUrl).toMatch(/docs\/rules\//);
  });

  it("--help documents the exit codes; --version reads package.json", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/退出码：[\s\S]*0 [\s\S]*1 [\s\S]*2 /);
    expect(help.stdout).not.toMatch(/[A-Za-z]{4,} (?:the|of|a|to) [a-z]/);
    const en = await runCli(["--help", "--lang", "en"]);
    expect(en.stdout).toMatch(/Exit status:[\s\S]*0 [\s\S]*1 [\s\S]*2 /);
    const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
    expect((await runCli(["--version"])).stdout).toBe(`${pkg.version}\n`);
  });
});

describe("URL inputs", () => {
  it("crawls a local page with --max-pages 1 and audits it", async () => {
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      if (req.url === "/item/1") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(
          '<!doctype html><html><head><title>保温杯 全国包邮</title><meta property="og:type" content="product"></head><body><h1>保温杯 全国包邮</h1></body></html>',
        );
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const r = await runCli([
        `http://127.0.0.1:${port}/item/1`,
        "--max-pages",
        "1",
        "--delay",
        "0",
        "-f",
        "json",
        "--fail-on",
        "never",
      ]);
      expect(r.stderr).toBe("");
      const report = JSON.parse(r.stdout);
      expect(report.summary.listings).toBe(1);
      expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toContain("shipping/claim-unverifiable");
      expect(r.code).toBe(0);
    } finally {
      server.close();
    }
  });

  it("rejects a bad crawl option", async () => {
    const r = await runCli(["http://127.0.0.1:9/x", "--max-pages", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-pages 至少为 1/);
  });
});

describe("progress", () => {
  it("shows on a terminal stderr when the report goes elsewhere, and is cleared; never with --quiet", async () => {
    const file = path.join(tmp, "progress.json");
    const shown = await runCli([...SHOP, "-f", `json=${file}`], { stderrIsTTY: true });
    expect(shown.stderr).toMatch(/已审核 \d+ 个商品 · \d+ 个\/秒 · 输入问题 0 个/);
    expect((await runCli([...SHOP, "-f", `json=${file}`, "--lang", "en"], { stderrIsTTY: true })).stderr).toMatch(
      /listings · \d+\/s · 0 problems/,
    );
    // Cleared before the summary that stands in for the report on this terminal.
    expect(shown.stderr).toMatch(/\r\u001b\[K[✔✖] 审核 2 个商品/);
    expect((await runCli([...SHOP, "-f", `json=${file}`, "--quiet"], { stderrIsTTY: true })).stderr).toBe("");
    expect((await runCli(SHOP, { stderrIsTTY: true, isTTY: true })).stderr).toBe("");
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { escapeTerminalText } from "../src/report/escape-terminal.js";
import { ROOT, runChildCli } from "./helpers/child-cli.js";

// Red-team #8: text from listings, templates, file names and pages must not drive the terminal or a CI log.
const tmp = mkdtempSync(path.join(os.tmpdir(), "terminal-escaping-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// Each test starts one or more Node processes: generous, so a loaded machine cannot fail them.
vi.setConfig({ testTimeout: 180_000 });

describe("escapeTerminalText", () => {
  const cases: Array<[string, string]> = [
    ["全国包邮（新疆西藏除外）", "全国包邮（新疆西藏除外）"],
    ["a\nb", "a\\nb"],
    ["a\r\nb", "a\\r\\nb"],
    ["tab\there", "tab\\there"],
    ["\u001b[31mred\u001b[0m", "\\x1b[31mred\\x1b[0m"],
    ["\u0000\u0007\u007f", "\\x00\\x07\\x7f"],
    ["\u0085next line\u009b31m", "\\x85next line\\x9b31m"],
    ["a\u2028b\u2029c", "a\\u2028b\\u2029c"],
    ["C:\\path\\file.csv ¥12 😀", "C:\\path\\file.csv ¥12 😀"],
  ];
  for (const [input, expected] of cases) {
    it(JSON.stringify(input), () => expect(escapeTerminalText(input)).toBe(expected));
  }
});

// Anything that a CI runner or a terminal would act on, at the start of a line or anywhere.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
const HOSTILE_ID = "P1\u001b[2J\r\n::error::pwned-by-id";
const HOSTILE_TEMPLATE = "T9\n::add-mask::secret-by-template";
const HOSTILE_FILE = "shop\n::error file=x::pwned-by-file-name.jsonl";

function hostileShop(): string {
  const dir = path.join(tmp, `shop-${Math.random().toString(16).slice(2)}`);
  mkdirSync(dir);
  const records = [
    { id: HOSTILE_ID, title: "保温杯 全国包邮\u2028::set-output name=x::pwned-by-title", templateId: HOSTILE_TEMPLATE },
    { id: "P2", title: "保温杯 全国包邮\n::error::pwned-by-title" },
  ];
  // The last line is broken JSON holding raw ESC and CR: its syntax-error snippet quotes them.
  const lines = [
    ...records.map((r) => JSON.stringify(r)),
    `{"id": "P3", "title": "\u001b[31m\r::error::pwned-by-snippet`,
  ];
  writeFileSync(path.join(dir, HOSTILE_FILE), `${lines.join("\n")}\n`);
  return dir;
}

/** No raw control character, and no line that a GitHub runner would take as a command other than `allowed`. */
function expectSafe(output: string, allowed: RegExp | undefined = undefined): void {
  const lines = output.split("\n");
  for (const line of lines) {
    expect(line, JSON.stringify(line)).not.toMatch(RAW_CONTROL);
    if (line.startsWith("::")) expect(line, JSON.stringify(line)).toMatch(allowed ?? /^$/);
  }
  expect(output).not.toMatch(/^::(add-mask|set-output|error::pwned)/m);
}

describe("hostile ids, template ids, titles, file names and parse errors", () => {
  it("the text report escapes them", async () => {
    const shop = hostileShop();
    const result = await runChildCli([shop, "-t", path.join(ROOT, "samples/templates"), "--fail-on", "never"]);
    expect(result.code).toBe(0);
    expectSafe(result.stdout);
    expectSafe(result.stderr);
    // Shown, escaped: the person reading sees what the data holds.
    expect(result.stdout).toContain("P1\\x1b[2J\\r\\n::error::pwned-by-id");
    expect(result.stdout).toContain("shop\\n::error file=x::pwned-by-file-name.jsonl");
    expect(result.stdout).toMatch(/jsonl\/syntax-error/);
  });

  it("-f github keeps one workflow command a line, none of them from the data", async () => {
    const shop = hostileShop();
    const result = await runChildCli([
      shop,
      "-t",
      path.join(ROOT, "samples/templates"),
      "-f",
      "github",
      "--fail-on",
      "never",
    ]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(2);
    expectSafe(result.stdout, /^::(error|warning|notice)( [^:]*)?::/);
    for (const line of lines)
      expect(line).toMatch(/^::(error|warning|notice)( (file|line|title)=[^:,]*(,(file|line|title)=[^:,]*)*)?::/);
    expect(result.stdout).toContain("P1\\x1b[2J\\r\\n%3A%3Aerror%3A%3Apwned-by-id");
  });

  it("errors on stderr escape the file name they quote", async () => {
    const result = await runChildCli([path.join(tmp, "missing\u001b[31m\n::error::pwned.json")]);
    expect(result.code).toBe(2);
    expectSafe(result.stderr);
    expect(result.stderr).toContain("missing\\x1b[31m\\n::error::pwned.json");
  });

  it("--compare notes escape the listing ids they name", async () => {
    const shop = hostileShop();
    const previous = path.join(tmp, "previous.json");
    const templates = path.join(ROOT, "samples/templates");
    const first = await runChildCli([shop, "-t", templates, "-f", `json=${previous}`, "--fail-on", "never"]);
    expect(first.code).toBe(0);
    // This week the hostile listing is gone: it is named among the fixed findings.
    const now = path.join(tmp, "now.json");
    writeFileSync(now, JSON.stringify([{ id: "P2", title: "保温杯" }]));
    const result = await runChildCli(
      [now, "-t", templates, "--compare", previous, "-f", "json=now-report.json", "--fail-on", "never"],
      { cwd: tmp },
    );
    expect(result.code).toBe(0);
    expectSafe(result.stderr);
    expect(result.stderr).toContain("P1\\x1b[2J\\r\\n::error::pwned-by-id");
  });
});

describe("option errors", () => {
  it("escape the value they quote, one line a problem", async () => {
    const result = await runChildCli([
      "x.json",
      "-f",
      "yaml\n::error::pwned-by-option",
      "--platform",
      "amazon\u001b[2J",
    ]);
    expect(result.code).toBe(2);
    expectSafe(result.stderr);
    expect(result.stderr).toContain("amazon\\x1b[2J");
  });
});

describe("a crawled page", () => {
  it("cannot print lines of its own through JSON-LD values or a broken JSON-LD snippet", async () => {
    // JSON escapes put controls into the parsed values; the broken block holds raw ones, which the parse error quotes.
    const page = `<!doctype html><html><head><meta charset="utf-8"><title>Desk Lamp</title>
<script type="application/ld+json">
{ "@context": "https://schema.org", "@type": "Product", "name": "Desk Lamp \\u001b[2J free shipping",
  "offers": { "@type": "Offer", "price": 39.5, "priceCurrency": "USD",
    "shippingDetails": [
      { "@type": "OfferShippingDetails", "shippingRate": { "value": 5, "currency": "USD" },
        "shippingDestination": { "addressCountry": "US", "addressRegion": "Atlantis\\n::error::pwned-by-page\\r\\u2028" } }
    ] } }
</script>
<script type="application/ld+json">\u001b\r\n::add-mask::x</script>
</head><body><main><h1>Desk Lamp free shipping</h1></main></body></html>`;
    const { startLocalServer } = await import("./helpers/local-server.js");
    const server = await startLocalServer({ "/item/1": { body: page }, "/robots.txt": { body: "" } });
    try {
      for (const format of ["text", "github"]) {
        const result = await runChildCli([
          server.url("/item/1"),
          "--max-pages",
          "1",
          "--delay",
          "0",
          "-f",
          format,
          "--fail-on",
          "never",
          "--lang",
          "en",
        ]);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toMatch(/page\/unknown-region/);
        expect(result.stdout).toMatch(/page\/invalid-json-ld/);
        expectSafe(result.stdout, format === "github" ? /^::(error|warning|notice)( [^:]*)?::/ : undefined);
        expectSafe(result.stderr);
        expect(result.stdout).toContain('addressRegion "Atlantis\\n::error::pwned-by-page"');
        // The parse error quotes the broken block, controls and all (the HTML parser made CR LF a LF).
        expect(result.stdout).toContain(`"\\x1b\\n::add-mask::x" is not valid JSON`);
      }
    } finally {
      await server.close();
    }
  });
});

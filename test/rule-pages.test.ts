import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { RULES } from "../src/rules/registry.js";
import { appRulePath, loadRulePage, renderRulePage, rulePageFile } from "../src/server/rule-pages.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const markdown = new MarkdownIt();

/** What a translation must keep: the heading levels in order, and the code blocks with their languages. */
function structure(file: string) {
  const tokens = markdown.parse(readFileSync(path.join(ROOT, file), "utf8"), {});
  return {
    headings: tokens.filter((t) => t.type === "heading_open").map((t) => t.tag),
    codeBlocks: tokens.filter((t) => t.type === "fence" || t.type === "code_block").map((t) => t.info),
    quotes: tokens.filter((t) => t.type === "blockquote_open").length,
  };
}

describe("the rule pages in docs/rules", () => {
  it.each(RULES.map((rule) => [rule.meta.id, rule.meta.docs] as const))(
    "%s has an English and a Chinese page of the same structure, each linking the other",
    (id, docs) => {
      const en = rulePageFile(docs, "en");
      const zh = rulePageFile(docs, "zh");
      expect(zh).toMatch(/\.zh\.md$/);
      for (const file of [en, zh]) expect(existsSync(path.join(ROOT, file)), file).toBe(true);
      expect(structure(zh)).toEqual(structure(en));
      expect(structure(en).headings.length).toBeGreaterThan(4);
      const enText = readFileSync(path.join(ROOT, en), "utf8");
      const zhText = readFileSync(path.join(ROOT, zh), "utf8");
      for (const text of [enText, zhText]) expect(text.split("\n")[0]).toBe(`# ${id}`);
      expect(enText).toContain(`[中文](${path.basename(zh)})`);
      expect(zhText).toContain(`[English](${path.basename(en)})`);
    },
  );

  it("holds no page of a rule the registry does not have", () => {
    const known = new Set(
      RULES.flatMap((rule) => [rulePageFile(rule.meta.docs, "en"), rulePageFile(rule.meta.docs, "zh")]),
    );
    const files = readdirSync(path.join(ROOT, "docs", "rules")).map((name) => `docs/rules/${name}`);
    expect(files.filter((file) => !known.has(file))).toEqual([]);
  });
});

describe("rendering a rule page for the app", () => {
  const from = "docs/rules/vague-exclusion.zh.md";
  const render = (text: string) => renderRulePage(text, from, "shipping/vague-exclusion");

  it("keeps raw HTML and script links inert", () => {
    const html = render(
      "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) [y](data:text/html,<b>)",
    );
    expect(html).not.toMatch(/<script|<img|href="javascript|href="data/i);
    expect(html).toContain("&lt;script&gt;");
  });

  it("writes no style attribute, which the CSP would refuse", () => {
    expect(render("| a | b |\n|:--|--:|\n| 1 | 2 |\n")).not.toContain("style=");
  });

  it("puts headings under the app's own h1 and drops the page's language link", () => {
    const html = render("# shipping/vague-exclusion\n\n[English](vague-exclusion.md)\n\n## 何时触发\n\n文字\n");
    expect(html).toBe("<h2>shipping/vague-exclusion</h2>\n<h3>何时触发</h3>\n<p>文字</p>\n");
  });

  it("sends links to rule pages to the app's rule page, and leaves other docs links as their text", () => {
    const html = render(
      "见 [`claim-unverifiable`](claim-unverifiable.md)、[发票](invoice-refusal.zh.md#配置)、" +
        "[report-format.md](../report-format.md#regions) 和 [MDN](https://developer.mozilla.org/)",
    );
    expect(html).toContain('<a href="/rules/shipping/claim-unverifiable"><code>claim-unverifiable</code></a>');
    expect(html).toContain('<a href="/rules/invoice/refusal">发票</a>');
    expect(html).toContain("、report-format.md 和 ");
    expect(html).toContain('<a href="https://developer.mozilla.org/">MDN</a>');
  });

  it("keeps a link to the rule itself inside a sentence", () => {
    expect(render("参见 [本页英文版](vague-exclusion.md) 的说明")).toContain('href="/rules/shipping/vague-exclusion"');
  });

  it("encodes each part of a rule's app path", () => {
    expect(appRulePath("shipping/claim-charged-region")).toBe("/rules/shipping/claim-charged-region");
    expect(appRulePath("a b/c#d")).toBe("/rules/a%20b/c%23d");
  });
});

describe("loadRulePage", () => {
  it("reads the page of the language asked", async () => {
    const zh = await loadRulePage("invoice/refusal", "zh");
    const en = await loadRulePage("invoice/refusal", "en");
    if (!zh.ok || !en.ok) throw new Error("the invoice/refusal pages do not load");
    expect(zh.page).toMatchObject({ id: "invoice/refusal", lang: "zh", source: "docs/rules/invoice-refusal.zh.md" });
    expect(zh.page.html).toContain("<h3>何时触发</h3>");
    expect(en.page).toMatchObject({ lang: "en", source: "docs/rules/invoice-refusal.md" });
    expect(en.page.html).toContain("<h3>What fires</h3>");
  });

  it("names the unknown rule, and the page file a broken install lacks", async () => {
    expect(await loadRulePage("shipping/nope", "zh")).toMatchObject({
      ok: false,
      code: "rules/not-found",
      error: { file: "request", key: "params.id", message: expect.stringContaining('"shipping/nope"') },
    });
    const empty = mkdtempSync(path.join(tmpdir(), "listing-audit-no-docs-"));
    try {
      expect(await loadRulePage("invoice/refusal", "zh", empty)).toMatchObject({
        ok: false,
        code: "rules/page-missing",
        error: { file: "docs/rules/invoice-refusal.zh.md", message: expect.stringContaining("ENOENT") },
      });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

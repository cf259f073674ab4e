import { describe, expect, it } from "vitest";
import type { ListingResult } from "../src/model.js";
import { escapeMarkdown } from "../src/report/escape-markdown.js";
import { COMMENT_LIMIT, createMarkdownReporter } from "../src/report/markdown.js";
import { matchGolden } from "./golden/match-golden.js";
import { allFindings, renderReport, runInfo, summary } from "./fixtures/report-result.js";

describe("markdown reporter", () => {
  const output = renderReport(createMarkdownReporter);

  it("matches the golden file", () => matchGolden("report.md", output));

  it("summarises by severity and rule, and groups findings by listing", () => {
    expect(output).toContain("| 包邮宣称与运费模板不符 (shipping/claim-charged-region) | 1 | 0 | 0 | 1 |");
    expect(output).toContain("**4** 新增 · **2** 已知");
    expect(output.indexOf("#### 1001")).toBeLessThan(output.indexOf("#### 1002"));
    expect(output).not.toContain("#### 1003");
    expect(output).toContain("**全国包邮**");
  });

  it("never lets listing text become markup", () => {
    expect(output).not.toMatch(/<(script|img)/i);
    expect(output).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    // Every table row keeps its column count: a | in listing text is escaped.
    for (const row of output.split("\n").filter((l) => l.startsWith("| "))) {
      expect(row.replace(/\\\|/g, "").split("|").length).toBeGreaterThanOrEqual(4);
    }
  });

  it("escapes markdown, HTML, mentions and line breaks", () => {
    expect(escapeMarkdown("a|b *c* [x](y) <b> @team #12\nnext")).toBe(
      "a\\|b \\*c\\* \\[x\\](y) &lt;b&gt; &#64;team &#35;12 next",
    );
    // Red-team #29: no autolink, no math, no control character.
    expect(escapeMarkdown("see https://evil.example and www.evil.example $x^2$ a\u0000b\u001bc\u007f")).toBe(
      "see https&#58;//evil.example and www&#46;evil.example &#36;x^2&#36; a␀b␛c␡",
    );
  });

  it("stays within a GitHub comment and says how many findings were left out", () => {
    const finding = { ...allFindings[0]!, message: "长".repeat(400) };
    const many: Array<{ kind: "listing"; result: ListingResult }> = Array.from({ length: 400 }, (_, i) => ({
      kind: "listing",
      result: {
        record: { listing: { id: `L${i}`, title: "全国包邮" }, source: { file: "x.json", row: i + 1, line: i + 1 } },
        findings: [{ ...finding, listingId: `L${i}` }],
        problems: [],
      },
    }));
    const out = renderReport(createMarkdownReporter, runInfo, many, {
      ...summary,
      listings: 400,
      findings: 400,
      error: 400,
    });
    expect(out.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    const shown = out.match(/^#### /gm)?.length ?? 0;
    expect(shown).toBeGreaterThan(50);
    expect(out).toContain(`另有 ${400 - shown} 条未列出`);
  });
});

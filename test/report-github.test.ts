import { describe, expect, it } from "vitest";
import type { Finding, ListingResult } from "../src/model.js";
import { ANNOTATION_LIMIT, escapeData, escapeProperty, createGithubReporter } from "../src/report/github.js";
import { matchGolden } from "./golden/match-golden.js";
import { allFindings, renderReport, runInfo, summary } from "./fixtures/report-result.js";

describe("github reporter", () => {
  const output = renderReport(createGithubReporter);
  const lines = output.trimEnd().split("\n");

  it("matches the golden file", () => matchGolden("report.github.txt", output));

  it("writes one command per line, most severe first, then a summary notice", () => {
    expect(lines.every((l) => /^::(error|warning|notice)( [a-z]+=[^,:]*(,[a-z]+=[^,:]*)*)?::/.test(l))).toBe(true);
    expect(lines.map((l) => l.slice(2, l.indexOf(" ")))).toEqual([
      "error",
      "error",
      "warning",
      "warning",
      "warning",
      "warning",
      "notice",
      "notice",
      "notice",
      "notice",
    ]);
    expect(lines[0]).toMatch(
      /^::error file=samples\/listings\.json,line=3,title=shipping\/claim-charged-region · 1001::标题宣称/,
    );
    expect(lines.at(-1)).toContain("5 商品, 2 错误, 2 警告, 2 提示, 3 输入问题, 4 新增, 2 已知");
  });

  it("writes baselined findings as notices after the new ones, marked known, whatever their level", () => {
    const notices = lines.filter((l) => l.startsWith("::notice"));
    expect(notices[0]).toContain("title=shipping/vague-exclusion");
    expect(notices[1]).toContain("title=[已知] shipping/overseas-not-stated");
    expect(notices[2]).toContain("title=[已知] invoice/refusal");
    expect(lines.filter((l) => l.includes("[已知]") && !l.startsWith("::notice"))).toEqual([]);
  });

  it("escapes data and properties the way the runner reads them", () => {
    expect(escapeData("50% off\r\nnext")).toBe("50%25 off%0D%0Anext");
    expect(escapeProperty("a:b,c%")).toBe("a%3Ab%2Cc%25");
    for (const line of lines) expect(line).not.toMatch(/\r/);
  });

  it("keeps at most the limit per level and says how many were left out", () => {
    const finding: Finding = { ...allFindings[0]!, baselined: undefined };
    const many: Array<{ kind: "listing"; result: ListingResult }> = Array.from({ length: 25 }, (_, i) => ({
      kind: "listing",
      result: {
        record: { listing: { id: `L${i}`, title: "全国包邮" }, source: { file: "x.json", row: i + 1, line: i + 1 } },
        findings: [{ ...finding, listingId: `L${i}` }],
        problems: [],
      },
    }));
    const out = renderReport(createGithubReporter, runInfo, many, { ...summary, error: 25, findings: 25 })
      .trimEnd()
      .split("\n");
    expect(out.filter((l) => l.startsWith("::error"))).toHaveLength(ANNOTATION_LIMIT);
    expect(out.at(-1)).toContain(`另有 ${25 - ANNOTATION_LIMIT} 条未标注`);
  });
});

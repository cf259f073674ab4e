import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { createCsvReporter, formatCell } from "../src/report/csv.js";
import { matchGolden } from "./golden/match-golden.js";
import { allFindings, renderReport } from "./fixtures/report-result.js";

describe("csv reporter", () => {
  const output = renderReport(createCsvReporter);

  it("matches the golden file", () => matchGolden("report.csv", output));

  it("starts with a BOM and has one row per finding and problem, all with the same columns", () => {
    expect(
      output.startsWith(
        "\uFEFFfile,line,listingId,ruleId,severity,field,claim,regions,templateId,message,fix,status\r\n",
      ),
    ).toBe(true);
    const rows: string[][] = parse(output.slice(1), { relaxColumnCount: false });
    expect(rows).toHaveLength(1 + allFindings.length + 3);
    expect(rows.every((r) => r.length === 12)).toBe(true);
    const hostile = rows.find((r) => r[2] === "1002");
    expect(hostile?.[6]).toBe("满99元包邮");
    expect(rows.filter((r) => r[11] === "baselined")).toHaveLength(2);
  });

  it("quotes per RFC 4180 and defuses formula injection", () => {
    expect(formatCell('a"b')).toBe('"a""b"');
    expect(formatCell("a,b")).toBe('"a,b"');
    expect(formatCell("a\nb")).toBe('"a\nb"');
    expect(formatCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    for (const c of ["+", "-", "@", "\t"]) expect(formatCell(`${c}1`).replace(/^"/, "")).toMatch(/^'/);
    expect(formatCell("包邮")).toBe("包邮");
  });

  it("leaves the status column empty when no baseline was applied", () => {
    const plain = renderReport(createCsvReporter, undefined, [
      {
        kind: "listing",
        result: {
          record: { listing: { id: "9", title: "t" }, source: { file: "a.json", row: 1, line: 1 } },
          findings: [{ ...allFindings[0]!, baselined: undefined }],
          problems: [],
        },
      },
    ]);
    expect(plain.split("\r\n")[1]?.endsWith(",")).toBe(true);
  });
});

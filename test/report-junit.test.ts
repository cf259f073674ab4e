import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { escapeXml } from "../src/report/escape-xml.js";
import { createJunitReporter } from "../src/report/junit.js";
import { matchGolden } from "./golden/match-golden.js";
import { renderReport, runInfo } from "./fixtures/report-result.js";

interface Case {
  "@_name": string;
  "@_classname": string;
  failure?: unknown[];
  error?: unknown[];
  "system-out"?: string[];
}
interface Suite {
  "@_name": string;
  "@_tests": string;
  "@_failures": string;
  "@_errors": string;
  testcase: Case[];
}

function parseJunit(xml: string): Suite[] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => ["testsuite", "testcase", "failure", "error", "system-out"].includes(name),
  });
  const doc = parser.parse(xml) as { testsuites: { testsuite?: Suite[] } };
  return doc.testsuites.testsuite ?? [];
}

describe("junit reporter", () => {
  const output = renderReport(createJunitReporter);

  it("matches the golden file", () => matchGolden("report.junit.xml", output));

  it("is well-formed XML", () => {
    expect(XMLValidator.validate(output)).toBe(true);
  });

  it("has a suite per file or site and a case per listing, with counts that match", () => {
    const suites = parseJunit(output);
    expect(suites.map((s) => s["@_name"])).toEqual([
      "samples/listings.json",
      "samples/taobao-export.csv",
      "https://shop.example.com",
    ]);
    for (const suite of suites) {
      expect(Number(suite["@_tests"])).toBe(suite.testcase.length);
      expect(Number(suite["@_failures"])).toBe(suite.testcase.filter((c) => c.failure).length);
      expect(Number(suite["@_errors"])).toBe(suite.testcase.filter((c) => c.error).length);
    }
    const [listings, csv, site] = suites;
    expect(listings?.testcase.map((c) => c["@_name"].split(" ")[0])).toEqual(["1001", "1002", "1003"]);
    expect(listings?.testcase[1]?.["@_name"]).toContain("<script>alert(1)</script>");
    expect(listings?.testcase[0]?.failure).toHaveLength(1);
    expect(listings?.testcase[0]?.["system-out"]?.[0]).toContain("shipping/overseas-not-stated");
    // The baselined invoice warning is not a failure, the listing's problem is an error.
    expect(csv?.testcase[0]?.failure).toBeUndefined();
    expect(csv?.testcase[0]?.error).toHaveLength(1);
    expect(csv?.testcase[1]?.["@_name"]).toContain("csv/unterminated-quote");
    expect(site?.testcase[0]?.["@_classname"]).toBe("https://shop.example.com");
  });

  it("fails on warnings when --fail-on warning, and on nothing with never", () => {
    const strict = parseJunit(renderReport(createJunitReporter, { ...runInfo, failOn: "warning" }));
    expect(strict[2]?.testcase[0]?.failure).toHaveLength(1);
    const never = parseJunit(renderReport(createJunitReporter, { ...runInfo, failOn: "never" }));
    expect(never.flatMap((s) => s.testcase).some((c) => c.failure)).toBe(false);
  });

  it("strips characters XML cannot carry", () => {
    expect(escapeXml("a\u0000b\u0007c\uFFFEd\uD800e😀 <&>")).toBe("abcde😀 &lt;&amp;&gt;");
    const nasty = renderReport(createJunitReporter, runInfo, [
      {
        kind: "problem",
        problem: {
          code: "csv/field-count",
          message: "控制字符\u0001\u001b[31m 和 ]]> 与 \uDC00",
          source: { file: "a\u0002.csv", row: 1, line: 1 },
        },
      },
    ]);
    expect(XMLValidator.validate(nasty)).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { createTextReporter } from "../src/report/text.js";
import { runCli } from "./cli-io.js";
import { FINDING, RESULT, RUN, SUMMARY } from "./report-fixtures.js";

const ESC = "\u001b[";
const SHOP = ["shop/listings.json", "-t", "shop/templates.yaml"];

describe("text reporter", () => {
  it("groups findings under the listing with severity, rule, message, claim and fix", () => {
    const r = createTextReporter();
    const out = [r.start(RUN), r.listing({ ...RESULT, findings: [] }), r.listing(RESULT), r.end(SUMMARY)].join("");
    expect(out).toBe(
      [
        "1001  samples/listings.json:3",
        `  错误  ${FINDING.message}  shipping/claim-charged-region`,
        "        宣称: 标题「全国包邮」 [10–14]",
        `        修改建议: ${FINDING.fix}`,
        "",
        "✖ 审核 3 个商品：1 个问题（错误 1，警告 0，提示 0），输入问题 1 个，跳过 1 条",
        "",
      ].join("\n"),
    );
  });

  it("shows the rule's title beside its id when the run describes the rule", () => {
    const rule = {
      id: FINDING.ruleId,
      severity: "error",
      defaultSeverity: "error",
      title: "包邮宣称与运费模板不符",
      description: "",
      reference: "",
      docsUrl: "",
    } as const;
    const r = createTextReporter();
    r.start({ ...RUN, rules: [rule] });
    expect(r.listing(RESULT)).toContain(
      `  错误  ${FINDING.message}  包邮宣称与运费模板不符 shipping/claim-charged-region\n`,
    );
  });

  it("prints problems with their location, and English labels with --lang en", () => {
    const r = createTextReporter();
    r.start({ ...RUN, lang: "en" });
    expect(
      r.problem({ code: "json/syntax-error", source: { file: "a.json", line: 4 }, message: "Unexpected token" }),
    ).toBe("a.json:4  input problem  Unexpected token  json/syntax-error\n");
    expect(r.end({ ...SUMMARY, problems: 0, findings: 0, error: 0, skipped: 0 })).toBe(
      "✔ 3 listings audited: 0 findings (0 error, 0 warning, 0 info), 0 input problems, 0 skipped\n",
    );
  });

  it("colours only when the run allows it", () => {
    const plain = createTextReporter();
    plain.start(RUN);
    expect(plain.listing(RESULT)).not.toContain(ESC);
    const coloured = createTextReporter();
    coloured.start({ ...RUN, color: true });
    expect(coloured.listing(RESULT)).toContain(`${ESC}31m错误`);
  });
});

describe("colour decision in the CLI", () => {
  it.each([
    [{ isTTY: false, env: {} }, false],
    [{ isTTY: true, env: {} }, true],
    [{ isTTY: true, env: { NO_COLOR: "1" } }, false],
    [{ isTTY: false, env: { FORCE_COLOR: "1" } }, true],
    [{ isTTY: true, env: { FORCE_COLOR: "0" } }, false],
  ])("%j → colour %s", async (io, colour) => {
    const r = await runCli([...SHOP, "--quiet"], io);
    expect(r.stdout.includes(ESC)).toBe(colour);
  });

  it("never colours a report written to a file", async () => {
    const r = await runCli([...SHOP, "-f", "json"], { isTTY: true, env: { FORCE_COLOR: "1" } });
    expect(r.stdout).not.toContain(ESC);
  });
});

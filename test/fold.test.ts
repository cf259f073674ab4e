import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldText } from "../src/text/fold.js";

describe("foldText", () => {
  it.each([
    ["包郵", "包邮"],
    ["免運費", "免运费"],
    ["臺灣", "台湾"],
    ["發票", "发票"],
    ["偏遠", "偏远"],
    ["港澳臺", "港澳台"],
    ["ＡＢＣ１２３、（）！？", "abc123、()!?"],
    ["满￥９９", "满¥99"],
    ["SF顺丰 EMS", "sf顺丰 ems"],
    ["全國包郵（新疆西藏除外）", "全国包邮(新疆西藏除外)"],
    ["\u3000包邮", " 包邮"],
  ])("folds %s", (input, expected) => {
    expect(foldText(input)).toBe(expected);
  });

  it("leaves Simplified text and astral characters alone", () => {
    expect(foldText("江浙沪包邮，偏远地区除外")).toBe("江浙沪包邮，偏远地区除外".replace("，", ","));
    expect(foldText("包邮😀𠮷")).toBe("包邮😀𠮷");
  });

  it("keeps the UTF-16 length and is idempotent", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const folded = foldText(text);
        expect(folded).toHaveLength(text.length);
        expect(foldText(folded)).toBe(folded);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps the length of CJK and full-width text", () => {
    const cjk = fc.string({ unit: fc.integer({ min: 0x3000, max: 0x9fff }).map((c) => String.fromCharCode(c)) });
    const wide = fc.string({ unit: fc.integer({ min: 0xff00, max: 0xffef }).map((c) => String.fromCharCode(c)) });
    fc.assert(
      fc.property(fc.oneof(cjk, wide), (text) => {
        const folded = foldText(text);
        expect(folded).toHaveLength(text.length);
        expect(foldText(folded)).toBe(folded);
      }),
      { numRuns: 300 },
    );
  });
});

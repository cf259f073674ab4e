import iconv from "iconv-lite";
import { describe, expect, test } from "vitest";
import { openCheckedText } from "../src/sources/encoding.js";
import { detectEncoding } from "../src/util/text-encoding.js";
import { encodeText, inputOf, type Encoding } from "./fixtures/exports/taobao-export.js";

const CHINESE_ONLY = '宝贝名称\t宝贝价格\t运费承担\r\n"全国包邮"\t"59.00"\t"1"\r\n';
const ENGLISH = "version 1.00\r\ntitle\tprice\r\n宝贝名称\t宝贝价格\r\n";

async function decodeAll(bytes: Buffer, chunk: number): Promise<string> {
  const parts: string[] = [];
  for await (const part of openCheckedText(inputOf("x", bytes, chunk), detectEncoding(bytes)).chunks) parts.push(part);
  return parts.join("");
}

describe("encoding detection", () => {
  test.each<[Encoding, string]>([
    ["utf-16le-bom", "utf-16le"],
    ["utf-16be-bom", "utf-16be"],
    ["utf-16le", "utf-16le"],
    ["utf-8-bom", "utf-8"],
    ["utf-8", "utf-8"],
    ["gb18030", "gb18030"],
  ])("%s → %s, and decodes to the same text whatever the chunking", async (encoding, detected) => {
    for (const text of [CHINESE_ONLY, ENGLISH]) {
      const bytes = encodeText(text, encoding);
      expect(detectEncoding(bytes)).toBe(detected);
      for (const chunk of [1, 3, 4096]) expect(await decodeAll(bytes, chunk)).toBe(text);
    }
  });

  test("Big5 (Taiwan and Hong Kong tools) is told from GBK by the characters each reading gives", async () => {
    const traditional =
      "商品ID,商品名稱,商品描述,價格\r\n1,全館免運 純棉T恤,<p>離島及偏遠地區不配送，運費另計</p>,390\r\n2,現貨 保溫杯,滿千免運,450\r\n";
    const big5 = iconv.encode(traditional, "big5hkscs");
    expect(detectEncoding(big5)).toBe("big5hkscs");
    for (const chunk of [1, 3, 4096]) expect(await decodeAll(big5, chunk)).toBe(traditional);
    // The Chinese market's encoding keeps any doubt: simplified exports, long or short, stay GB18030.
    for (const simplified of [
      CHINESE_ONLY,
      "包邮",
      "title,price\n新疆西藏除外,9.9\n",
      "商品名称,价格\n纯棉T恤 全国包邮（偏远地区除外）,59\n".repeat(50),
    ]) {
      expect(detectEncoding(iconv.encode(simplified, "gbk")), simplified.slice(0, 12)).toBe("gb18030");
    }
  });

  test("BOM-less UTF-16BE is told by its NUL bytes too", () => {
    expect(detectEncoding(encodeText(CHINESE_ONLY, "utf-16be-bom").subarray(2))).toBe("utf-16be");
  });

  test("a UTF-8 character cut at the end of the sniffed head is still UTF-8", () => {
    const bytes = Buffer.from("包邮".repeat(10));
    expect(detectEncoding(bytes.subarray(0, 29))).toBe("utf-8");
  });

  test("GBK bytes are not UTF-8, so they are read as GB18030", () => {
    expect(detectEncoding(encodeText("满99元包邮（偏远地区除外）", "gb18030"))).toBe("gb18030");
  });

  test("undecodable bytes become U+FFFD for the reader to report", async () => {
    const bytes = Buffer.concat([encodeText("包邮", "gb18030"), Buffer.from([0x81, 0x20])]);
    expect(await decodeAll(bytes, 2)).toContain("\uFFFD");
  });
});

import { describe, expect, test } from "vitest";
import { genericCsvReader } from "../src/sources/generic-csv.js";
import { readers } from "../src/sources/readers.js";
import { NotAListingSourceError } from "../src/sources/source.js";
import { taobaoCsvReader } from "../src/sources/taobao-csv/index.js";
import { encodeText, inputOf } from "./fixtures/exports/taobao-export.js";
import { collect } from "./helpers/collect.js";

const PDD = [
  "商品ID,商品名称,商品描述,拼单价,运费模板ID,发货地",
  '123456,"全国包邮 抽纸 ""加厚""",<p>新疆西藏不发货</p>,"9.9-19.9",T9,广东',
  '123457,满2件包邮,"<p>第一行</p>\n<p>第二行</p>",¥15.00,,',
].join("\r\n");

describe("generic CSV/TSV", () => {
  test("a Pinduoduo-style export is recognised from its header in every encoding", async () => {
    for (const encoding of [
      "utf-8-bom",
      "utf-8",
      "gb18030",
      "utf-16le-bom",
      "utf-16be-bom",
      "utf-16le",
      "utf-16be",
    ] as const) {
      const input = inputOf("goods.txt", encodeText(PDD, encoding));
      expect(readers.find((r) => r.detect(input))?.format).toBe("csv");
      expect(taobaoCsvReader.detect(input)).toBe(false);
      const items = await collect(genericCsvReader.read(input, {}));
      expect(items).toEqual([
        {
          kind: "listing",
          record: {
            listing: {
              id: "123456",
              title: '全国包邮 抽纸 "加厚"',
              description: "<p>新疆西藏不发货</p>",
              price: 9.9,
              templateId: "T9",
              shipFrom: "广东",
            },
            source: { file: "goods.txt", row: 1, line: 2 },
          },
        },
        {
          kind: "listing",
          record: {
            listing: { id: "123457", title: "满2件包邮", description: "<p>第一行</p>\n<p>第二行</p>", price: 15 },
            source: { file: "goods.txt", row: 2, line: 3 },
          },
        },
      ]);
    }
  });

  test("report titles, export dates and blank lines above the header are skipped; lines stay true", async () => {
    const expected = await collect(genericCsvReader.read(inputOf("goods.csv", encodeText(PDD, "utf-8-bom")), {}));
    const above = ["拼多多商品列表", "", "导出时间,2026-11-01 09:30", ",,,,,", ""];
    for (const encoding of ["utf-8-bom", "gb18030", "utf-16le-bom"] as const) {
      const input = inputOf("goods.csv", encodeText([...above, PDD].join("\r\n"), encoding));
      expect(genericCsvReader.detect(input)).toBe(true);
      const items = await collect(genericCsvReader.read(input, {}));
      expect(items).toEqual(
        expected.map((item) =>
          item.kind === "listing"
            ? {
                ...item,
                record: {
                  ...item.record,
                  source: { ...item.record.source, line: item.record.source.line! + above.length },
                },
              }
            : item,
        ),
      );
    }
  });

  test("a TSV with a title line holding commas is split by its header's TAB; the config mapping finds that header", async () => {
    const tsv = "店铺商品导出, 共2条\n编号\t标题\t售价\nA1\t全国包邮, 新疆除外\t9.9\nA2\t现货\t5\n";
    const input = inputOf("mine.tsv", Buffer.from(tsv));
    expect(genericCsvReader.detect(input)).toBe(true);
    const items = await collect(
      genericCsvReader.read(input, { columns: { id: "编号", title: "标题", price: "售价", url: "链接" } }),
    );
    const summary = items.map((i) =>
      i.kind === "problem"
        ? `${i.problem.code}@line ${i.problem.source.line}`
        : `${i.record.listing.id} ${i.record.listing.title} ${i.record.listing.price}@${i.record.source.row}:${i.record.source.line}`,
    );
    expect(summary).toEqual(["csv/missing-column@line 2", "A1 全国包邮, 新疆除外 9.9@1:3", "A2 现货 5@2:4"]);
  });

  test("an upload template's required-column asterisks are not part of the names; units in brackets are", async () => {
    const csv = "商品ID*,商品名称＊,拼单价 *,重量(g)\n1,全国包邮 抽纸,9.9,500\n";
    const items = await collect(genericCsvReader.read(inputOf("upload.csv", Buffer.from(csv)), {}));
    expect(items).toEqual([
      {
        kind: "listing",
        record: {
          listing: { id: "1", title: "全国包邮 抽纸", price: 9.9 },
          source: { file: "upload.csv", row: 1, line: 2 },
        },
      },
    ]);
  });

  test("full-width forms and doubled spaces in header names read as their ASCII, so 重量（kg） is 重量(kg)", async () => {
    const csv = "商品编号,商品名称,运费模板ＩＤ,重量（ｋｇ）,京东价  \n1,全国包邮 抽纸,T1,0.5,9.9\n";
    const items = await collect(genericCsvReader.read(inputOf("jd.csv", Buffer.from(csv)), {}));
    expect(items).toEqual([
      {
        kind: "listing",
        record: {
          listing: { id: "1", title: "全国包邮 抽纸", templateId: "T1", weight: 0.5, price: 9.9 },
          source: { file: "jd.csv", row: 1, line: 2 },
        },
      },
    ]);
  });

  test.each([
    ["京东价(元)", "重量(千克)", 9.9, 0.5],
    ["京东价（元）", "重量（KG）", 9.9, 0.5],
    ["京东价(美元)", "重量(g)", undefined, undefined],
  ])(
    "a unit in brackets the field is read in is the name alone: %s, %s",
    async (price, weight, expectedPrice, expectedWeight) => {
      const csv = `商品编号,商品名称,运费模板ID,${price},${weight}\n1,抽纸,T1,9.9,0.5\n`;
      const items = await collect(genericCsvReader.read(inputOf("units.csv", Buffer.from(csv)), {}));
      const listing = items.find((i) => i.kind === "listing");
      expect(listing?.kind === "listing" && [listing.record.listing.price, listing.record.listing.weight]).toEqual([
        expectedPrice,
        expectedWeight,
      ]);
    },
  );

  test("a header below the first 10 non-blank lines is not looked for", async () => {
    const notes = Array.from({ length: 10 }, (_, i) => `说明 ${i + 1}`);
    const input = inputOf("late.csv", Buffer.from([...notes, PDD].join("\n")));
    await expect(collect(genericCsvReader.read(input, {}))).rejects.toThrow(/within its first 10 non-blank lines/);
  });

  test("the config mapping names the columns; unknown configured columns are a problem", async () => {
    const tsv =
      "编号\t标题\t详情\t包邮\t开票\n A1 \t包邮到家\t<p>x</p>\t卖家承担\t是\nA2\t现货\t\t买家承担\t否\nA3\t坏值\t\t随便\t也许\n";
    const input = inputOf("mine.tsv", Buffer.from(tsv));
    expect(genericCsvReader.detect(input)).toBe(true);
    const columns = {
      id: "编号",
      title: "标题",
      description: "详情",
      freightPayer: "包邮",
      invoice: "开票",
      price: "售价",
    };
    const items = await collect(genericCsvReader.read(input, { columns }));
    const problems = items.flatMap((i) =>
      i.kind === "problem" ? [[i.problem.code, i.problem.source.row, i.problem.source.field]] : [],
    );
    expect(problems).toEqual([
      ["csv/missing-column", undefined, undefined],
      ["csv/invalid-value", 3, "freightPayer"],
      ["csv/invalid-value", 3, "invoice"],
    ]);
    const listings = items.flatMap((i) => (i.kind === "listing" ? [i.record.listing] : []));
    expect(listings).toEqual([
      { id: "A1", title: "包邮到家", description: "<p>x</p>", freightPayer: "seller", invoice: true },
      { id: "A2", title: "现货", freightPayer: "buyer", invoice: false },
      { id: "A3", title: "坏值" },
    ]);
  });

  test("the listing format's field names work without any mapping; missing ids fall back to the record number", async () => {
    const csv = "title,templateId,fees.express,weight,volume\n包邮,T1,1.21555e-14,500g,0.002\n";
    const items = await collect(genericCsvReader.read(inputOf("plain.csv", Buffer.from(csv)), {}));
    expect(items).toEqual([
      {
        kind: "listing",
        record: {
          listing: { id: "1", title: "包邮", templateId: "T1", fees: { express: 0 }, weight: 0.5, volume: 0.002 },
          source: { file: "plain.csv", row: 1, line: 2 },
        },
      },
    ]);
  });

  test("broken rows are located problems; the rest is read", async () => {
    const csv =
      'id,title,description\n1,ok,"<p>a</p>"\n2,short\n3,"bad "quote",x\n4,"unterminated,<p>\n5,later,x\n6,fine,y\n';
    const items = await collect(genericCsvReader.read(inputOf("broken.csv", Buffer.from(csv), 5), {}));
    const summary = items.map((i) =>
      i.kind === "problem"
        ? `${i.problem.code}@${i.problem.source.row}:${i.problem.source.line}`
        : `${i.record.listing.id}@${i.record.source.row}:${i.record.source.line}`,
    );
    expect(summary).toEqual([
      "1@1:2",
      "csv/field-count@2:3",
      "csv/unterminated-quote@3:4",
      "csv/unterminated-quote@4:5",
      "5@5:6",
      "6@6:7",
    ]);
  });

  test("a quote inside an unquoted field is a character, as in Excel, in any chunking and line ending; not when a field of its line is quoted", async () => {
    for (const eol of ["\n", "\r\n", "\r"]) {
      const lines = [
        "id\ttitle\tprice",
        '1\t27"显示器 全国包邮\t999',
        '2\t15.6" 电脑包 "加厚"\t59',
        '"3"\t保温杯 "大号"\t39',
        "4\t毛巾\t9",
        '5\t末行 12"\t1',
      ];
      const tsv = lines.join(eol);
      for (const chunkSize of [1, 3, 7, 1 << 20]) {
        const items = await collect(genericCsvReader.read(inputOf("naive.tsv", Buffer.from(tsv), chunkSize), {}));
        const summary = items.map((i) =>
          i.kind === "problem"
            ? `${i.problem.code}@${i.problem.source.row}:${i.problem.source.line}`
            : `${i.record.listing.id} ${i.record.listing.title}@${i.record.source.row}:${i.record.source.line}`,
        );
        expect(summary, `${JSON.stringify(eol)} in chunks of ${chunkSize}`).toEqual([
          '1 27"显示器 全国包邮@1:2',
          '2 15.6" 电脑包 "加厚"@2:3',
          "csv/stray-quote@3:4",
          "4 毛巾@4:5",
          '5 末行 12"@5:6',
        ]);
      }
    }
  });

  // Hang guard, not a speed test: a trailing-NUL regex took seconds on a head that is one long NUL run.
  test("a binary head with a long run of NUL bytes is refused at once", { timeout: 10_000 }, () => {
    const head = Buffer.concat([Buffer.alloc(60 * 1024), Buffer.from("a,b\n")]);
    expect(genericCsvReader.detect(inputOf("zeros.bin", head))).toBe(false);
  });

  // Hang guard, not a speed test: stripping padding by regex took seconds on such runs.
  test("header cells that are long runs of spaces or asterisks, and a first line of delimiters, are judged at once", {
    timeout: 10_000,
  }, () => {
    const head = Buffer.from(`${" ".repeat(30_000)}x,${"*".repeat(30_000)}x,商品名称\n1,2,包邮\n`);
    expect(genericCsvReader.detect(inputOf("odd.csv", head))).toBe(true);
    // A first line that is a long run of delimiters, as the 淘宝助理 version line's padding is a short one.
    const padded = Buffer.from(`${",".repeat(60_000)}x\n商品ID,商品名称,拼单价\n1,包邮,9\n`);
    expect(genericCsvReader.detect(inputOf("padded.csv", padded))).toBe(true);
  });

  test("NUL padding at the end of a file (an interrupted copy) is neither binary content nor a record", async () => {
    const csv = Buffer.concat([Buffer.from("id,title,price\n1,全国包邮 毛巾,9\n2,浴巾,19\n"), Buffer.alloc(4096)]);
    const input = inputOf("padded.csv", csv);
    expect(genericCsvReader.detect(input)).toBe(true);
    const items = await collect(genericCsvReader.read(input, {}));
    expect(items.map((i) => (i.kind === "problem" ? i.problem.code : i.record.listing.id))).toEqual(["1", "2"]);
  });

  test("a stray-quote line longer than a record may be is broken, not held in memory; the next line is read", async () => {
    const csv = `id,title\n1,27"${"x".repeat(17 * 1024 * 1024)}\n2,毛巾\n`;
    const items = await collect(genericCsvReader.read(inputOf("long.csv", Buffer.from(csv), 1 << 16), {}));
    expect(
      items.map((i) =>
        i.kind === "problem"
          ? `${i.problem.code}@${i.problem.source.line}`
          : `${i.record.listing.id}@${i.record.source.line}`,
      ),
    ).toEqual(["csv/stray-quote@2", "2@3"]);
  });

  test.each([
    ["a CSV without a title column", "a.csv", "name,age\nalice,3\n"],
    ["a single column", "b.csv", "title\n包邮\n"],
  ])("%s is not a listing source", async (_, name, text) => {
    const input = inputOf(name, Buffer.from(text));
    if (genericCsvReader.detect(input)) {
      await expect(collect(genericCsvReader.read(input, {}))).rejects.toBeInstanceOf(NotAListingSourceError);
    }
    await expect(collect(genericCsvReader.read(input, {}))).rejects.toBeInstanceOf(NotAListingSourceError);
  });

  test.each([
    ["JSON", "x.json", '[{"id":"1","title":"包邮"}]'],
    ["JSONL", "x.jsonl", '{"id":"1","title":"包邮, 新疆除外"}\n'],
    ["YAML", "x.yaml", "listings:\n  - id: '1'\n    title: 包邮, 新疆除外\n"],
    ["prose with a comma in an unknown file", "notes.md", "# 说明, 请勿删除\n"],
  ])("%s is not taken for a CSV", (_, name, text) => {
    expect(genericCsvReader.detect(inputOf(name, Buffer.from(text)))).toBe(false);
  });
});

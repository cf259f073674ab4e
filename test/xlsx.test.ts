import * as XLSX from "@e965/xlsx";
import { describe, expect, test } from "vitest";
import type { SourceItem } from "../src/model.js";
import { genericCsvReader } from "../src/sources/generic-csv.js";
import { NotAListingSourceError } from "../src/sources/source.js";
import { taobaoCsvReader } from "../src/sources/taobao-csv/index.js";
import { xlsxReader } from "../src/sources/xlsx.js";
import { parse } from "csv-parse/sync";
import { buildExport, encodeText, inputOf, layoutOf, type RawRow } from "./fixtures/exports/taobao-export.js";
import { collect } from "./helpers/collect.js";
import { type CellInput, xlsxWorkbook, zipArchive } from "./helpers/xlsx-workbook.js";

async function workbook(sheets: Record<string, CellInput[][]>): Promise<Buffer> {
  return xlsxWorkbook(sheets);
}

describe("xlsx exports", () => {
  test("a grouped header's column merged down over both header rows keeps its name from the upper row", async () => {
    // As Excel stores A1:B1 merged (商品) and C1:C2 merged (运费模板ID): the text in the first cell only.
    const bytes = await workbook({
      商品: [
        ["商品", "", "运费模板ID", "价格"],
        ["商品ID", "商品名称", "", "拼单价"],
        ["1", "毛巾 全国包邮", "T1", 9.9],
      ],
    });
    const items = await collect(xlsxReader.read(inputOf("grouped.xlsx", bytes), {}));
    expect(items).toEqual([
      {
        kind: "listing",
        record: {
          listing: { id: "1", title: "毛巾 全国包邮", templateId: "T1", price: 9.9 },
          source: { file: "grouped.xlsx", row: 1, line: 3 },
        },
      },
    ]);
  });

  test("an error cell reads as Excel saves it to CSV (#DIV/0!), so a price that is one is a located problem, not an empty cell", async () => {
    const bytes = await workbook({
      商品: [
        ["商品ID", "商品名称", "拼单价"],
        ["1", "毛巾 全国包邮", { error: "#DIV/0!" }],
        ["2", "浴巾", { error: "#N/A" }],
      ],
    });
    const items = await collect(xlsxReader.read(inputOf("errors.xlsx", bytes), {}));
    expect(
      items.map((i) =>
        i.kind === "problem"
          ? `${i.problem.code} ${i.problem.source.field} ${i.problem.message}`
          : `${i.record.listing.id} ${i.record.listing.title} ${i.record.listing.price}`,
      ),
    ).toEqual([
      expect.stringMatching(/^xlsx\/invalid-value price .*#DIV\/0!/),
      "1 毛巾 全国包邮 undefined",
      expect.stringMatching(/^xlsx\/invalid-value price .*#N\/A/),
      "2 浴巾 undefined",
    ]);
  });

  test("Chinese text that straddles two inflated chunks stays whole", async () => {
    const titles = Array.from(
      { length: 3000 },
      (_, i) => `商品${i} ${"纯棉透气，全国包邮（新疆西藏除外）".repeat(1 + (i % 7))}`,
    );
    const bytes = await workbook({
      商品: [["商品ID", "商品名称", "拼单价"], ...titles.map((title, i) => [String(i), title, 9.9])],
    });
    const items = await collect(xlsxReader.read(inputOf("big.xlsx", bytes, 64 * 1024), {}));
    expect(items.map((i) => (i.kind === "listing" ? i.record.listing.title : i.problem.message))).toEqual(titles);
  });

  test("a 淘宝助理 export saved as a workbook keeps both header rows and its SKUs: the same listings as the CSV", async () => {
    const rows: RawRow[] = [
      {
        title: "纯棉T恤 全国包邮",
        num_id: "600001",
        price: "59.00",
        postage_id: "T1",
        description: "<p>新疆西藏不包邮</p>",
        skuProps: "59:10::1627207:28320;",
      },
      {
        title: "袜子",
        num_id: "600002",
        price: "9.90",
        express_fee: "1.21555e-14",
        skuProps: "9.9:5::1627207:-1001;",
        input_custom_cpv: "1627207:-1001:包邮款",
      },
      { title: "毛巾", num_id: "600003", price: "19", skuProps: "oops" },
    ];
    const built = buildExport(rows, {
      columns: [...layoutOf(67, false), "skuProps", "input_custom_cpv"],
      header: "version-en-cn",
      delimiter: "\t",
      eol: "\r\n",
    });
    const fromCsv = await collect(
      taobaoCsvReader.read(inputOf("export.csv", encodeText(built.text, "utf-16le-bom")), {}),
    );
    const sheetRows = parse(built.text, { delimiter: "\t", relax_column_count: true }) as string[][];
    const fromXlsx = await collect(xlsxReader.read(inputOf("export.xlsx", await workbook({ Sheet1: sheetRows })), {}));
    const comparable = (items: SourceItem[]) =>
      items.map((i) =>
        i.kind === "listing"
          ? i.record.listing
          : { code: i.problem.code.replace(/^\w+\//, ""), message: i.problem.message },
      );
    expect(comparable(fromXlsx)).toEqual(comparable(fromCsv));
    expect(fromXlsx.flatMap((i) => (i.kind === "listing" ? [i.record.listing.skus] : []))).toEqual([
      [{ name: "28320", price: 59 }],
      [{ name: "包邮款", price: 9.9 }],
      undefined,
    ]);
  });

  test("a JD-style workbook is read back from a stream, skipping title rows and header-less sheets", async () => {
    const bytes = await workbook({
      说明: [["本表由系统导出"], ["请勿修改"]],
      商品: [
        ["商品导出 2024-05-01"],
        [],
        ["商品编号", "商品名称", "广告词", "京东价", "运费模板ID", "重量(kg)", "是否开发票"],
        [100012345678, "全国包邮 保温杯", "新疆西藏除外", 89, "T1", 0.45, "是"],
        [
          100012345679,
          { richText: [{ text: "满99" }, { text: "包邮" }] },
          null,
          "¥59.90",
          { formula: '"T"&2', result: "T2" },
          "",
          "否",
        ],
        ["", "无编号的商品", "", "abc", "", "", ""],
      ],
    });
    const input = inputOf("jd.xlsx", bytes, 4096);
    expect(xlsxReader.detect(input)).toBe(true);
    expect(taobaoCsvReader.detect(input)).toBe(false);
    expect(genericCsvReader.detect(input)).toBe(false);
    const items = await collect(xlsxReader.read(input, {}));
    const listings = items.flatMap((i) => (i.kind === "listing" ? [[i.record.listing, i.record.source]] : []));
    expect(listings).toEqual([
      [
        {
          id: "100012345678",
          title: "全国包邮 保温杯",
          subtitle: "新疆西藏除外",
          price: 89,
          templateId: "T1",
          weight: 0.45,
          invoice: true,
        },
        { file: "jd.xlsx", row: 1, line: 4 },
      ],
      [
        { id: "100012345679", title: "满99包邮", price: 59.9, templateId: "T2", invoice: false },
        { file: "jd.xlsx", row: 2, line: 5 },
      ],
      [
        { id: "3", title: "无编号的商品" },
        { file: "jd.xlsx", row: 3, line: 6 },
      ],
    ]);
    const problems = items.flatMap((i) =>
      i.kind === "problem" ? [[i.problem.code, i.problem.source.row, i.problem.source.field, i.skipped]] : [],
    );
    expect(problems).toEqual([["xlsx/invalid-value", 3, "price", false]]);
  });

  test("the config mapping applies to workbooks too", async () => {
    const bytes = await workbook({
      Sheet1: [
        ["货号", "名称", "详情"],
        ["X-1", "包邮", "<p>偏远地区除外</p>"],
      ],
    });
    const columns = { id: "货号", title: "名称", description: "详情" };
    const items = await collect(xlsxReader.read(inputOf("mine.xlsx", bytes), { columns }));
    expect(items).toEqual([
      {
        kind: "listing",
        record: {
          listing: { id: "X-1", title: "包邮", description: "<p>偏远地区除外</p>" },
          source: { file: "mine.xlsx", row: 1, line: 2 },
        },
      },
    ]);
  });

  test("a workbook without a listing header is not a listing source", async () => {
    const bytes = await workbook({
      Sheet1: [
        ["name", "age"],
        ["alice", 3],
      ],
    });
    await expect(collect(xlsxReader.read(inputOf("other.xlsx", bytes), {}))).rejects.toBeInstanceOf(
      NotAListingSourceError,
    );
  });

  test("a zip that is not a workbook is not detected, and a truncated workbook is not a source", async () => {
    expect(xlsxReader.detect(inputOf("x.zip", Buffer.from("PK\u0003\u0004junk")))).toBe(false);
    const bytes = await workbook({
      Sheet1: [
        ["商品ID", "商品名称", "价格"],
        ["1", "包邮", 1],
      ],
    });
    const truncated = bytes.subarray(0, Math.floor(bytes.length / 3));
    await expect(collect(xlsxReader.read(inputOf("cut.xlsx", truncated), {}))).rejects.toBeInstanceOf(
      NotAListingSourceError,
    );
  });
});

describe("xlsx files as writers lay them out", () => {
  const MAIN = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const JD_HEADER = ["商品编号", "商品名称", "广告词", "京东价", "运费模板ID", "重量(kg)", "是否开发票"];
  const listingsAndProblems = (items: SourceItem[]) =>
    items.map((i) =>
      i.kind === "listing"
        ? { listing: i.record.listing, source: i.record.source }
        : { code: i.problem.code, source: i.problem.source, message: i.problem.message },
    );

  test("cells as Excel stores them: inline strings, cached formula results, booleans, errors, phonetic guides, no references, a namespace prefix", async () => {
    const inline = (text: string) => `<x:c t="inlineStr"><x:is><x:t>${text}</x:t></x:is></x:c>`;
    const sheet = `<?xml version="1.0" encoding="UTF-8"?><x:worksheet ${MAIN}><x:sheetData>
      <x:row>${JD_HEADER.map(inline).join("")}</x:row>
      <x:row><x:c><x:v>1E+2</x:v></x:c><x:c t="inlineStr"><x:is><x:r><x:t>满99</x:t></x:r><x:r><x:t>包邮</x:t></x:r><x:rPh sb="0" eb="1"><x:t>まん</x:t></x:rPh></x:is></x:c><x:c t="s"><x:v>0</x:v></x:c><x:c t="str"><x:f>"¥"&amp;59.9</x:f><x:v>¥59.90</x:v></x:c><x:c t="str"><x:f>"T"&amp;2</x:f><x:v>T&amp;2</x:v></x:c><x:c t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c></x:row>
      <x:row r="5"><x:c r="A5"><x:v>101</x:v></x:c><x:c r="B5" t="s"><x:v>1</x:v></x:c><x:c r="G5" t="b"><x:f>FALSE()</x:f><x:v>0</x:v></x:c></x:row>
    </x:sheetData></x:worksheet>`;
    const strings = `<x:sst ${MAIN}><x:si><x:t>新疆西藏除外</x:t><x:rPh sb="0" eb="2"><x:t>しんきょう</x:t></x:rPh></x:si><x:si><x:t xml:space="preserve">全国包邮 &lt;b&gt;</x:t></x:si></x:sst>`;
    const bytes = zipArchive([
      ["xl/worksheets/sheet1.xml", sheet],
      ["xl/sharedStrings.xml", strings],
    ]);
    const items = await collect(xlsxReader.read(inputOf("excel.xlsx", bytes), {}));
    expect(listingsAndProblems(items)).toEqual([
      {
        code: "xlsx/invalid-value",
        source: { file: "excel.xlsx", row: 1, line: 2, field: "weight" },
        message: expect.stringContaining('"#DIV/0!"'),
      },
      {
        listing: {
          id: "100",
          title: "满99包邮",
          subtitle: "新疆西藏除外",
          price: 59.9,
          templateId: "T&2",
          invoice: true,
        },
        source: { file: "excel.xlsx", row: 1, line: 2 },
      },
      {
        listing: { id: "101", title: "全国包邮 <b>", invoice: false },
        source: { file: "excel.xlsx", row: 2, line: 5 },
      },
    ]);
  });

  test("worksheets after the shared strings are read as they come, in the zip's order, records counted across them", async () => {
    const sheet = (rows: string[][]) =>
      `<worksheet><sheetData>${rows.map((row) => `<row>${row.map((cell) => `<c t="inlineStr"><is><t>${cell}</t></is></c>`).join("")}</row>`).join("")}</sheetData></worksheet>`;
    const bytes = zipArchive([
      ["xl/sharedStrings.xml", "<sst/>"],
      [
        "xl/worksheets/sheet2.xml",
        sheet([
          ["商品ID", "商品名称", "价格"],
          ["2", "包邮 二", "1"],
        ]),
      ],
      [
        "xl/worksheets/sheet1.xml",
        sheet([
          ["商品ID", "商品名称", "价格"],
          ["1", "包邮 一", "1"],
          ["3", "包邮 三", "1"],
        ]),
      ],
    ]);
    const items = await collect(xlsxReader.read(inputOf("order.xlsx", bytes, 1), {}));
    expect(listingsAndProblems(items)).toEqual([
      { listing: { id: "2", title: "包邮 二", price: 1 }, source: { file: "order.xlsx", row: 1, line: 2 } },
      { listing: { id: "1", title: "包邮 一", price: 1 }, source: { file: "order.xlsx", row: 2, line: 2 } },
      { listing: { id: "3", title: "包邮 三", price: 1 }, source: { file: "order.xlsx", row: 3, line: 3 } },
    ]);
  });

  test("a workbook SheetJS writes (sizes in its zip headers, its own layout) reads as the same listings", async () => {
    const rows = [JD_HEADER, [100012345678, "全国包邮 保温杯", "新疆西藏除外", 89, "T1", 0.45, "是"]];
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), "商品");
    const theirs = XLSX.write(book, { type: "buffer", bookType: "xlsx", bookSST: true, compression: true }) as Buffer;
    const read = async (bytes: Buffer) =>
      listingsAndProblems(await collect(xlsxReader.read(inputOf("jd.xlsx", bytes), {})));
    expect(await read(theirs)).toEqual(await read(xlsxWorkbook({ 商品: rows })));
    expect(await read(theirs)).toEqual([
      {
        listing: {
          id: "100012345678",
          title: "全国包邮 保温杯",
          subtitle: "新疆西藏除外",
          price: 89,
          templateId: "T1",
          weight: 0.45,
          invoice: true,
        },
        source: { file: "jd.xlsx", row: 1, line: 2 },
      },
    ]);
  });

  test("a worksheet whose bytes do not match its checksum is read up to the damage, then one located problem", async () => {
    const rows = [
      ["商品ID", "商品名称", "价格"],
      ...Array.from({ length: 50 }, (_, i) => [`${i}`, `商品${i} 全国包邮`, 59]),
    ];
    const bytes = xlsxWorkbook({ 商品: rows }, { sizesInHeaders: true });
    const crcAt = bytes.indexOf("xl/worksheets/sheet1.xml") - 30 + 14;
    bytes[crcAt] = (bytes[crcAt] ?? 0) ^ 0xff;
    const items = await collect(xlsxReader.read(inputOf("crc.xlsx", bytes), {}));
    expect(items.filter((i) => i.kind === "listing")).toHaveLength(50);
    expect(items.at(-1)).toEqual({
      kind: "problem",
      problem: {
        code: "xlsx/unreadable",
        message:
          "the workbook cannot be read past this point: xl/worksheets/sheet1.xml is damaged (its bytes do not match the zip's checksum)",
        source: { file: "crc.xlsx", row: 51, line: 52 },
      },
      skipped: true,
    });
  });
});

import { describe, expect, test } from "vitest";
import type { FieldEdit } from "../src/fix/plan-fixes.js";
import { openDelimitedWriter } from "../src/fix/writers/delimited-writer.js";
import { openJsonWriter } from "../src/fix/writers/json-writer.js";
import { openXlsxWriter } from "../src/fix/writers/xlsx-writer.js";
import { openYamlWriter } from "../src/fix/writers/yaml-writer.js";
import { yamlReader } from "../src/sources/json-listings.js";
import type { ListingRecord, SourceItem } from "../src/model.js";
import { taobaoCsvReader } from "../src/sources/taobao-csv/index.js";
import {
  buildExport,
  EXPORT_VARIANTS,
  encodeText,
  inputOf,
  layoutOf,
  type Encoding,
  type RawRow,
} from "./fixtures/exports/taobao-export.js";
import { collect } from "./helpers/collect.js";
import { xlsxWorkbook } from "./helpers/xlsx-workbook.js";

const ROWS: RawRow[] = [
  {
    title: "全国包邮 纯棉短袖T恤",
    subtitle: "纯棉 不起球",
    num_id: "1",
    price: "59.00",
    postage_id: "T1",
    outer_id: "TS-1",
  },
  {
    title: "手工香皂",
    subtitle: "包邮",
    description: '<p class="a">偏远地区不包邮</p>\r\n<p>尺码 "标准" 版\t含税, 可开发票</p>',
    num_id: "2",
    price: "9.9",
  },
  { title: "满99包邮,现货", subtitle: "", num_id: "3", price: "19", outer_id: 'A"B' },
];

/** One text edit of a field (an SKU's by its index), as the planner makes them. */
function edit(field: FieldEdit["field"], before: string, after: string, index?: number): FieldEdit {
  return { field, ...(index === undefined ? {} : { index }), before, after, ruleIds: [], notes: [] };
}

/** The edits of records 1, 2 … of a file, one list per record, located as the fixer locates them. */
function rowEdits(records: readonly ListingRecord[], ...perRecord: FieldEdit[][]) {
  return perRecord.map((edits, i) => ({
    listingId: String(i + 1),
    row: i + 1,
    line: records[i]?.source.line ?? 0,
    edits,
  }));
}

const listingsOf = (items: SourceItem[]) => items.flatMap((i) => (i.kind === "listing" ? [i.record] : []));

/** Bytes two buffers share at the start and at the end. */
function sharedEnds(a: Buffer, b: Buffer): { prefix: number; suffix: number } {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix++;
  return { prefix, suffix };
}

describe("round trip: every encoding × delimiter × layout of the 淘宝助理 export", () => {
  test.each(EXPORT_VARIANTS)("$name", async (c) => {
    const columns = layoutOf(c.count, c.reorder);
    const built = buildExport(ROWS, { ...c, columns });
    const bytes = encodeText(built.text, c.encoding);
    const name = `export-${c.encoding}.csv`;
    const records = listingsOf(await collect(taobaoCsvReader.read(inputOf(name, bytes), {})));
    const second = records[1];
    expect(second?.listing.subtitle).toBe("包邮");
    const writer = openDelimitedWriter(bytes, undefined);
    expect(writer?.writable("subtitle")).toBe(true);
    // Two edits in one record, one of them in a cell full of quotes, tabs, commas and line breaks.
    const edits: FieldEdit[] = [
      { field: "subtitle", before: "包邮", after: "包邮，新疆西藏不包邮", ruleIds: ["r"], notes: [] },
      {
        field: "description",
        before: second?.listing.description ?? "",
        after: (second?.listing.description ?? "").replace("偏远地区", "新疆西藏"),
        ruleIds: ["r"],
        notes: [],
      },
    ];
    const outcome = writer?.apply([{ listingId: "2", row: 2, line: second?.source.line ?? 0, edits }]);
    expect(outcome?.refused).toEqual([]);
    expect(outcome?.applied).toBe(2);
    const fixed = outcome?.data ?? Buffer.alloc(0);
    const reread = listingsOf(await collect(taobaoCsvReader.read(inputOf(name, fixed), {})));
    expect(reread.map((r) => r.source)).toEqual(records.map((r) => r.source));
    expect(reread[0]?.listing).toEqual(records[0]?.listing);
    expect(reread[2]?.listing).toEqual(records[2]?.listing);
    expect(reread[1]?.listing).toEqual({
      ...second?.listing,
      subtitle: "包邮，新疆西藏不包邮",
      description: edits[1]?.after,
    });
    // Unchanged records, header lines, BOM and line ends: byte-identical (only the second record's bytes differ).
    const { prefix, suffix } = sharedEnds(bytes, fixed);
    const text = built.text;
    const lines = text.split(c.eol);
    const secondLine = built.lines[1] ?? 0;
    const thirdLine = built.lines[2] ?? 0;
    const before = encodeText(lines.slice(0, secondLine - 1).join(c.eol) + c.eol, c.encoding);
    const after = encodeText(lines.slice(thirdLine - 1).join(c.eol), c.encoding.replace("-bom", "") as Encoding);
    expect(prefix).toBeGreaterThanOrEqual(before.length);
    expect(suffix).toBeGreaterThanOrEqual(after.length);
    // A second write of the same edits finds its text gone: refused, never applied at a stale place.
    const stale = openDelimitedWriter(fixed, undefined)?.apply([
      { listingId: "2", row: 2, line: second?.source.line ?? 0, edits },
    ]);
    expect(stale?.applied).toBe(0);
    expect(stale?.refused.map((r) => r.reason)).toEqual(["text-moved", "text-moved"]);
  });
});

describe("generic CSV/TSV", () => {
  test.each([
    { name: "UTF-8 comma, CRLF", delimiter: ",", eol: "\r\n", encoding: "utf-8" as Encoding },
    { name: "GB18030 TAB, LF", delimiter: "\t", eol: "\n", encoding: "gb18030" as Encoding },
    { name: "UTF-16LE with BOM, comma", delimiter: ",", eol: "\r\n", encoding: "utf-16le-bom" as Encoding },
  ])("$name: only the changed cell changes, quoted where needed", async (c) => {
    const d = c.delimiter;
    const lines = [
      ["商品ID", "商品名称", "商品卖点", "价格"].join(d),
      ["1", "全国包邮 T恤", "纯棉", "59"].join(d),
      ["2", "包邮 香皂", '"手工, 冷制"', "9.9"].join(d),
    ];
    const bytes = encodeText(lines.join(c.eol) + c.eol, c.encoding);
    const name = `goods-${c.encoding}.csv`;
    const { genericCsvReader } = await import("../src/sources/generic-csv.js");
    const records = listingsOf(await collect(genericCsvReader.read(inputOf(name, bytes), {})));
    expect(records.map((r) => r.listing.subtitle)).toEqual(["纯棉", "手工, 冷制"]);
    const writer = openDelimitedWriter(bytes, undefined);
    expect(writer?.format).toBe("csv");
    const outcome = writer?.apply(
      rowEdits(
        records,
        [edit("subtitle", "纯棉", "纯棉，新疆西藏不包邮")],
        [edit("subtitle", "手工, 冷制", "手工, 冷制 新疆不包邮")],
      ),
    );
    expect(outcome?.refused).toEqual([]);
    const expected = [
      lines[0],
      ["1", "全国包邮 T恤", "纯棉，新疆西藏不包邮", "59"].join(d),
      ["2", "包邮 香皂", '"手工, 冷制 新疆不包邮"', "9.9"].join(d),
    ];
    expect(outcome?.data).toEqual(encodeText(expected.join(c.eol) + c.eol, c.encoding));
  });
});

describe(".xlsx writer", () => {
  test("a corrected copy with only the changed cells' values changed; a row found by its old text", async () => {
    const bytes = xlsxWorkbook({
      商品: [
        ["说明：商品导出"],
        ["商品ID", "商品名称", "商品卖点", "价格"],
        ["1", "全国包邮 T恤", "纯棉", 59],
        ["2", "香皂", "手工", 9.9],
      ],
    });
    const { xlsxReader } = await import("../src/sources/xlsx.js");
    const records = listingsOf(await collect(xlsxReader.read(inputOf("goods.xlsx", bytes), {})));
    expect(records.map((r) => r.listing.subtitle)).toEqual(["纯棉", "手工"]);
    const outcome = openXlsxWriter(bytes, "goods.xlsx").apply(
      rowEdits(records, [edit("subtitle", "纯棉", "纯棉，新疆西藏不包邮")], [edit("title", "已改动", "x")]),
    );
    expect(outcome.copyName).toBe("goods.fixed.xlsx");
    expect(outcome.applied).toBe(1);
    expect(outcome.refused.map((r) => r.reason)).toEqual(["text-moved"]);
    // Read back with SheetJS, an independent reader of what the copy holds.
    const { createRequire } = await import("node:module");
    const sheetJs = createRequire(import.meta.url)("@e965/xlsx") as typeof import("@e965/xlsx");
    const copy = sheetJs.read(outcome.data, { type: "buffer" });
    const rows = sheetJs.utils.sheet_to_json(copy.Sheets.商品 as import("@e965/xlsx").WorkSheet, { header: 1 });
    expect(rows).toEqual([
      ["说明：商品导出"],
      ["商品ID", "商品名称", "商品卖点", "价格"],
      ["1", "全国包邮 T恤", "纯棉，新疆西藏不包邮", 59],
      ["2", "香皂", "手工", 9.9],
    ]);
  });
});

describe("YAML writer", () => {
  test("patches only the changed scalars: comments, block scalars, other values and a missing subtitle", async () => {
    const text = [
      "# 店铺商品",
      "listings:",
      "  - id: a   # 主推",
      "    title: 全国包邮 T恤",
      "    price: 59",
      "  - id: b",
      "    title: '包邮'",
      "    description: |",
      "      <p>偏远地区不包邮</p>",
      "      <p>不开发票</p>",
      "    skus:",
      "      - { name: 红色 包邮, price: 9 }",
      "",
    ].join("\n");
    const outcome = openYamlWriter(Buffer.from(text)).apply([
      {
        listingId: "a",
        row: 1,
        edits: [edit("subtitle", "", "新疆西藏不包邮")],
      },
      {
        listingId: "b",
        row: 2,
        edits: [
          {
            field: "description",
            before: "<p>偏远地区不包邮</p>\n<p>不开发票</p>\n",
            after: "<p>新疆西藏不包邮</p>\n",
            ruleIds: [],
            notes: [],
          },
          edit("sku", "红色 包邮", "红色", 0),
          edit("title", "不是这个", "x"),
        ],
      },
    ]);
    expect(outcome.refused.map((r) => r.reason)).toEqual(["text-moved"]);
    const fixed = outcome.data.toString("utf8");
    expect(fixed).toBe(
      [
        "# 店铺商品",
        "listings:",
        "  - id: a   # 主推",
        "    title: 全国包邮 T恤",
        '    subtitle: "新疆西藏不包邮"',
        "    price: 59",
        "  - id: b",
        "    title: '包邮'",
        '    description: "<p>新疆西藏不包邮</p>\\n"',
        "    skus:",
        '      - { name: "红色", price: 9 }',
        "",
      ].join("\n"),
    );
    const items = await collect(yamlReader.read(inputOf("l.yaml", outcome.data), {}));
    const listings = items.flatMap((i) => (i.kind === "listing" ? [i.record.listing] : []));
    expect(listings.map((l) => [l.subtitle, l.description, l.skus?.[0]?.name])).toEqual([
      ["新疆西藏不包邮", undefined, undefined],
      [undefined, "<p>新疆西藏不包邮</p>\n", "红色"],
    ]);
  });
});

describe("JSON and JSONL writers", () => {
  test("two listings in one file, a missing subtitle inserted with the title's spacing, other bytes kept", () => {
    const text = `{\n  "listings": [\n    {\n      "id": "a",\n      "title": "包邮 T恤",\n      "price": 59\n    },\n    { "id": "b", "title": "包邮", "subtitle": "不开发票", "skus": [{ "name": "红色 包邮" }] }\n  ]\n}\n`;
    const writer = openJsonWriter(Buffer.from(text), false);
    const outcome = writer.apply([
      {
        listingId: "a",
        row: 1,
        edits: [edit("subtitle", "", "新疆不包邮")],
      },
      {
        listingId: "b",
        row: 2,
        edits: [edit("subtitle", "不开发票", ""), edit("sku", "红色 包邮", "红色", 0)],
      },
    ]);
    expect(outcome.refused).toEqual([]);
    expect(outcome.data.toString("utf8")).toBe(
      `{\n  "listings": [\n    {\n      "id": "a",\n      "title": "包邮 T恤",\n      "subtitle": "新疆不包邮",\n      "price": 59\n    },\n    { "id": "b", "title": "包邮", "subtitle": "", "skus": [{ "name": "红色" }] }\n  ]\n}\n`,
    );
  });

  test("JSONL: rows are the non-blank lines; an edit whose text changed is refused", () => {
    const text = '{"id":"1","title":"包邮"}\n\n{"id":"2","title":"全国包邮"}\n';
    const outcome = openJsonWriter(Buffer.from(text), true).apply([
      {
        listingId: "2",
        row: 2,
        edits: [edit("title", "全国包邮", "全国包邮 新疆除外")],
      },
      { listingId: "1", row: 1, edits: [edit("title", "不是这个", "x")] },
    ]);
    expect(outcome.data.toString("utf8")).toBe('{"id":"1","title":"包邮"}\n\n{"id":"2","title":"全国包邮 新疆除外"}\n');
    expect(outcome.refused.map((r) => r.reason)).toEqual(["text-moved"]);
  });
});

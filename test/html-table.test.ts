import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { htmlTableReader } from "../src/sources/html-table.js";
import { NotAListingSourceError } from "../src/sources/source.js";
import { encodeText, inputOf } from "./fixtures/exports/taobao-export.js";
import { collect } from "./helpers/collect.js";

/** What an ERP's "导出Excel" writes: an HTML table with Excel's namespace and meta, a title row, escaped HTML in cells. */
const ERP_EXPORT = [
  '<html xmlns:x="urn:schemas-microsoft-com:office:excel">',
  '<head><meta http-equiv="Content-Type" content="application/vnd.ms-excel; charset=gbk"></head>',
  '<body><table border="1">',
  '<tr><td colspan="5">商品导出 2026-11-01</td></tr>',
  "<tr><th>商品ID</th><th>商品名称</th><th>商品描述</th><th>运费模板ID</th><th>拼单价</th></tr>",
  "<tr><td>1001</td><td>新疆西藏也包邮 纯棉T恤</td><td>&lt;p&gt;全国包邮&lt;/p&gt;</td><td>T1</td><td>39</td></tr>",
  "<tr><td>1002</td><td> 纯棉袜子 </td><td><p>买就送</p><p>全国包邮（偏远地区除外）</p></td><td>T1</td><td>¥9.90</td></tr>",
  "</table></body></html>",
].join("\r\n");

const ERP_LISTINGS = [
  {
    kind: "listing",
    record: {
      listing: {
        id: "1001",
        title: "新疆西藏也包邮 纯棉T恤",
        description: "<p>全国包邮</p>",
        templateId: "T1",
        price: 39,
      },
      source: { file: "goods.xls", row: 1, line: 6 },
    },
  },
  {
    kind: "listing",
    record: {
      listing: {
        id: "1002",
        title: "纯棉袜子",
        description: "买就送\n全国包邮（偏远地区除外）",
        templateId: "T1",
        price: 9.9,
      },
      source: { file: "goods.xls", row: 2, line: 7 },
    },
  },
];

describe("HTML tables saved as Excel exports", () => {
  test("an ERP export in GBK is read below its title row, in any chunking, with true lines", async () => {
    for (const chunkSize of [7, 61, 1 << 20]) {
      const input = inputOf("goods.xls", encodeText(ERP_EXPORT, "gb18030"), chunkSize);
      expect(htmlTableReader.detect(input)).toBe(true);
      expect(await collect(htmlTableReader.read(input, {}))).toEqual(ERP_LISTINGS);
    }
  });

  test("implied closing tags, <br> and nested tables inside cells, and a page-long preamble", async () => {
    const preamble = `<!-- ${"样式说明\n".repeat(300_000)} -->`;
    const html = [
      `<html><body>${preamble}`,
      "<table><tr><td>title<td>price<td>description",
      "<tr><td>A<br>全国包邮<td>12.5<td><table><tr><td>新疆</td></tr><tr><td>不发货</td></tr></table>",
      "</table>",
    ].join("\n");
    const items = await collect(htmlTableReader.read(inputOf("plain.xls", encodeText(html, "utf-8-bom"), 4096), {}));
    expect(items).toEqual([
      {
        kind: "listing",
        record: {
          listing: { id: "1", title: "A\n全国包邮", price: 12.5, description: "新疆\n不发货" },
          source: { file: "plain.xls", row: 1, line: 300_003 },
        },
      },
    ]);
  });

  test("cells spanning rows or columns leave their other positions empty, so later cells keep their columns", async () => {
    // One product a row group: its id, name and template merged over its SKU rows, as ERPs write them.
    const html = [
      "<table>",
      '<tr><th colspan="2">商品</th><th rowspan="2">规格</th><th>价格</th><th rowspan="2">运费模板ID</th></tr>',
      "<tr><th>商品ID</th><th>商品名称</th><th>拼单价</th></tr>",
      '<tr><td rowspan="2">2001</td><td rowspan="2">加厚毛巾 包邮</td><td>白色</td><td>19.9</td><td rowspan="2">T1</td></tr>',
      "<tr><td>灰色</td><td>21.9</td></tr>",
      '<tr><td>2002</td><td colspan="2">浴巾 新疆西藏不发货</td><td>39</td><td>T2</td></tr>',
      '<tr><td rowspan="0">2003</td><td>毛巾架</td><td></td><td>59</td><td>T3</td></tr>',
      "<tr><td>不锈钢</td><td></td><td>69</td><td>T3</td></tr>",
      "</table>",
      "<table><tr><td>2004</td><td>挂钩</td><td></td><td>5</td><td>T1</td></tr></table>",
    ].join("\n");
    const items = await collect(htmlTableReader.read(inputOf("spans.xls", Buffer.from(html)), {}));
    const listings = items.flatMap((i) => (i.kind === "listing" ? [i.record.listing] : []));
    expect(listings.map((l) => [l.id, l.title, l.price, l.templateId])).toEqual([
      ["2001", "加厚毛巾 包邮", 19.9, "T1"],
      ["2", "", 21.9, undefined],
      ["2002", "浴巾 新疆西藏不发货", 39, "T2"],
      ["2003", "毛巾架", 59, "T3"],
      ["5", "不锈钢", 69, "T3"],
      ["2004", "挂钩", 5, "T1"],
    ]);
  });

  test("a header column merged down over three header rows keeps its name from the top one", async () => {
    const html = [
      '<table><tr><th colspan="2">商品</th><th rowspan="3">运费模板ID</th><th colspan="2">价格</th></tr>',
      '<tr><th colspan="2">基本信息</th><th colspan="2">单位：元</th></tr>',
      "<tr><th>商品ID</th><th>商品名称</th><th>拼单价</th><th>单买价</th></tr>",
      "<tr><td>1</td><td>毛巾 全国包邮</td><td>T1</td><td>9.9</td><td>12</td></tr></table>",
    ].join("\n");
    const items = await collect(htmlTableReader.read(inputOf("three.xls", Buffer.from(html)), {}));
    expect(
      items.map((i) =>
        i.kind === "listing"
          ? [i.record.listing.id, i.record.listing.templateId, i.record.listing.price]
          : i.problem.code,
      ),
    ).toEqual([["1", "T1", 9.9]]);
  });

  test("an export that repeats its header on every page (one table a page) has no listings made of header rows", async () => {
    const header =
      '<tr><th colspan="2">商品</th><th rowspan="2">拼单价</th></tr><tr><th>商品ID</th><th>商品名称</th></tr>';
    const html = `<table>${header}<tr><td>1</td><td>毛巾</td><td>9</td></tr></table><table>${header}<tr><td>2</td><td>浴巾</td><td>19</td></tr></table>`;
    const items = await collect(htmlTableReader.read(inputOf("pages.xls", Buffer.from(html)), {}));
    expect(
      items.map((i) => (i.kind === "listing" ? `${i.record.listing.id} ${i.record.source.row}` : i.problem.code)),
    ).toEqual(["1 1", "2 2"]);
  });

  test("any spans, valid or not, lose no row and add none (property, fixed seed)", async () => {
    const span = fc.constantFrom(undefined, "1", "2", "3", "0", "-1", "abc", "99999");
    const cell = fc.record({ text: fc.constantFrom("x", "包邮", "9.9", ""), colspan: span, rowspan: span });
    const row = fc
      .array(cell, { minLength: 1, maxLength: 6 })
      .map((cells) => [{ text: "id", colspan: undefined, rowspan: undefined }, ...cells]);
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 8 }), async (rows) => {
        const attribute = (name: string, value: string | undefined) =>
          value === undefined ? "" : ` ${name}="${value}"`;
        const html = `<table><tr><th>商品ID</th><th>商品名称</th><th>拼单价</th></tr>${rows
          .map(
            (r) =>
              `<tr>${r.map((c) => `<td${attribute("colspan", c.colspan)}${attribute("rowspan", c.rowspan)}>${c.text}</td>`).join("")}</tr>`,
          )
          .join("")}</table>`;
        const items = await collect(htmlTableReader.read(inputOf("spans.xls", Buffer.from(html)), {}));
        expect(items.filter((i) => i.kind === "listing")).toHaveLength(rows.length);
      }),
      { seed: 20261127, numRuns: 300 },
    );
  });

  test("spans past Excel's last column are cut there, and what they push past it is lost, as in Excel", async () => {
    const header = "<tr><th>商品ID</th><th>商品名称</th><th>商品描述</th><th>运费模板ID</th><th>拼单价</th></tr>";
    const wide = `<tr>${'<td colspan="1000" rowspan="2">1</td>'.repeat(20)}</tr>`;
    const html = `<table>${header}${wide}<tr><td>beyond the last column</td></tr><tr><td>2</td></tr></table>`;
    const items = await collect(htmlTableReader.read(inputOf("wide.xls", Buffer.from(html)), {}));
    expect(items.flatMap((i) => (i.kind === "listing" ? [i.record.listing.id] : []))).toEqual(["1", "2"]);
  });

  test("unreadable values and configured columns the header lacks are located problems", async () => {
    const html =
      "<table>\n<tr><td>编号</td><td>标题</td><td>售价</td></tr>\n<tr><td>A1</td><td>包邮</td><td>面议</td></tr>\n</table>";
    const items = await collect(
      htmlTableReader.read(inputOf("mine.xls", Buffer.from(html)), {
        columns: { id: "编号", title: "标题", price: "售价", url: "链接" },
      }),
    );
    const summary = items.map((i) =>
      i.kind === "problem"
        ? `${i.problem.code} ${JSON.stringify(i.problem.source)}`
        : `${i.record.listing.id} ${i.record.listing.title}`,
    );
    expect(summary).toEqual([
      'html-table/missing-column {"file":"mine.xls","line":2}',
      'html-table/invalid-value {"file":"mine.xls","row":1,"line":3,"field":"price"}',
      "A1 包邮",
    ]);
  });

  test("a table without a recognised header is not a listing source", async () => {
    const html = "<table><tr><td>姓名</td><td>年龄</td></tr><tr><td>张三</td><td>3</td></tr></table>";
    await expect(collect(htmlTableReader.read(inputOf("people.xls", Buffer.from(html)), {}))).rejects.toBeInstanceOf(
      NotAListingSourceError,
    );
  });

  test.each([
    ["an .xls holding an HTML table", "a.xls", "<html><body><table><tr><td>x</td></tr></table>", true],
    [
      "an HTML table with Excel's meta, whatever its name",
      "a.html",
      '<meta http-equiv="Content-Type" content="application/vnd.ms-excel"><table></table>',
      true,
    ],
    [
      "a product page with a specification table",
      "item.html",
      "<html><body><h1>T恤</h1><table><tr><td>商品名称</td><td>T恤</td></tr></table>",
      false,
    ],
    ["an .xls without a table", "b.xls", "<html><body>导出失败</body></html>", false],
    ["a tab-separated .xls", "c.xls", "商品ID\t商品名称\n1\t包邮\n", false],
    // Excel stores ASCII-only cell text as single bytes: an HTML description shows in the binary as is.
    [
      "a binary .xls whose cells hold HTML",
      "d.xls",
      Buffer.concat([
        Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
        Buffer.from("<table><tr><td>x</td></tr></table>"),
      ]),
      false,
    ],
    [
      "an .xlsx whose shared strings hold HTML",
      "e.xls",
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from("xl/sharedStrings.xml <table><tr><td>x")]),
      false,
    ],
  ])("%s: detected %s", (_, name, text, detected) => {
    expect(htmlTableReader.detect(inputOf(name, Buffer.isBuffer(text) ? text : Buffer.from(text as string)))).toBe(
      detected,
    );
  });
});

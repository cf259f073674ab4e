import * as XLSX from "@e965/xlsx";
import iconv from "iconv-lite";
import { describe, expect, test } from "vitest";
import type { SourceItem } from "../src/model.js";
import { htmlTableReader } from "../src/sources/html-table.js";
import { legacyWorkbookReader } from "../src/sources/legacy-workbook.js";
import { xlsxReader } from "../src/sources/xlsx.js";
import { inputOf } from "./fixtures/exports/taobao-export.js";
import { collect } from "./helpers/collect.js";
import { xlsxWorkbook } from "./helpers/xlsx-workbook.js";

// Hang guards with a wide margin, not speed tests: before the fixes these ran out of heap or took minutes.
const HANG_GUARD_MS = 90_000;

const HEADER = ["商品编号", "商品名称", "京东价", "运费模板ID"];
const listings = (items: SourceItem[]) => items.flatMap((i) => (i.kind === "listing" ? [i.record.listing] : []));
const problems = (items: SourceItem[]) =>
  items.flatMap((i) => (i.kind === "problem" ? [{ code: i.problem.code, file: i.problem.source.file }] : []));

/** A real .ods from SheetJS whose content.xml gets `extraRows` before the end of its table. */
function odsWith(extraRows: string): Buffer {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([HEADER, [600001, "全国包邮 保温杯", 39, "T1"]]), "商品");
  const zip = XLSX.CFB.read(XLSX.write(book, { type: "buffer", bookType: "ods" }), { type: "buffer" });
  const entry = XLSX.CFB.find(zip, "content.xml");
  const xml = Buffer.from(entry.content).toString("utf8");
  entry.content = Buffer.from(xml.replace("</table:table>", `${extraRows}</table:table>`), "utf8");
  return Buffer.from(XLSX.CFB.write(zip, { type: "buffer", fileType: "zip" }));
}

describe("workbooks whose size is in repeat counts, not bytes", () => {
  test("an .ods of a few KB that repeats a cell 16,384 columns × 1,048,576 rows is one located problem", {
    timeout: HANG_GUARD_MS,
  }, async () => {
    const bomb = `<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>`;
    const bytes = odsWith(bomb);
    expect(bytes.length).toBeLessThan(64 * 1024);
    const items = await collect(legacyWorkbookReader.read(inputOf("bomb.ods", bytes), {}));
    expect(problems(items)).toEqual([{ code: "xls/too-large", file: "bomb.ods" }]);
    expect(listings(items)).toEqual([]);
  });

  test("an .ods with a million repeated empty rows and a cell far to the right reads its listings", {
    timeout: HANG_GUARD_MS,
  }, async () => {
    const far = `<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16000"/></table:table-row><table:table-row><table:table-cell office:value-type="float" office:value="600002"><text:p>600002</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>包邮 T恤</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16000"/><table:table-cell office:value-type="string"><text:p>far</text:p></table:table-cell></table:table-row>`;
    const items = await collect(legacyWorkbookReader.read(inputOf("far.ods", odsWith(far)), {}));
    expect(problems(items)).toEqual([]);
    expect(listings(items).map((l) => [l.id, l.title])).toEqual([
      ["600001", "全国包邮 保温杯"],
      ["600002", "包邮 T恤"],
    ]);
  });

  test("an .xlsx of 30,000 rows each with one cell in column XFD reads like the rows without it", {
    timeout: HANG_GUARD_MS,
  }, async () => {
    const rows = [HEADER, ...Array.from({ length: 30_000 }, (_, i) => [700000 + i, `全国包邮 商品${i}`, 10, "T1"])];
    // Written without the far cells, which are then added to the XML.
    const zip = XLSX.CFB.read(xlsxWorkbook({ 商品: rows }), { type: "buffer" });
    const entry = XLSX.CFB.find(zip, "/xl/worksheets/sheet1.xml");
    const xml = Buffer.from(entry.content).toString("utf8");
    entry.content = Buffer.from(
      xml.replace(/<row r="(\d+)"([^>]*)>(.*?)<\/row>/g, '<row r="$1"$2>$3<c r="XFD$1"><v>1</v></c></row>'),
      "utf8",
    );
    expect(Buffer.from(entry.content).toString("utf8").split('r="XFD').length - 1).toBe(30_001);
    const bytes = Buffer.from(XLSX.CFB.write(zip, { type: "buffer", fileType: "zip" }));
    const items = await collect(xlsxReader.read(inputOf("wide.xlsx", bytes, 65536), {}));
    expect(problems(items)).toEqual([]);
    const read = listings(items);
    expect(read).toHaveLength(30_000);
    expect(read[29_999]).toMatchObject({ id: "729999", title: "全国包邮 商品29999", price: 10, templateId: "T1" });
  });
});

describe("U+FFFD and C1 controls in workbook cells are text", () => {
  const TITLES = ["包邮 \uFFFD 保温杯", "全国包邮\u0085 T恤"];
  const ROWS = [HEADER, [800001, TITLES[0], 39, "T1"], [800002, TITLES[1], 12, "T1"]];

  test(".xlsx", async () => {
    const items = await collect(xlsxReader.read(inputOf("fffd.xlsx", xlsxWorkbook({ 商品: ROWS })), {}));
    expect(problems(items)).toEqual([]);
    expect(listings(items).map((l) => l.title)).toEqual(TITLES);
  });

  test.each(["biff8", "ods"] as const)("SheetJS %s", async (bookType) => {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(ROWS), "商品");
    const items = await collect(
      legacyWorkbookReader.read(
        inputOf(`fffd.${bookType}`, XLSX.write(book, { type: "buffer", bookType }) as Buffer),
        {},
      ),
    );
    expect(problems(items)).toEqual([]);
    expect(listings(items).map((l) => l.title)).toEqual(TITLES);
  });

  test.each(["utf-8", "gb18030"] as const)("an HTML table saved as .xls, in %s", async (encoding) => {
    const html = `<html><head><meta charset="${encoding}"></head><body><table>${ROWS.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join("")}</tr>`).join("")}</table></body></html>`;
    const items = await collect(htmlTableReader.read(inputOf("fffd.xls", iconv.encode(html, encoding)), {}));
    expect(problems(items)).toEqual([]);
    expect(listings(items).map((l) => l.title)).toEqual(TITLES);
  });
});

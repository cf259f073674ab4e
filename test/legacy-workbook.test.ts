import { Readable } from "node:stream";
import * as XLSX from "@e965/xlsx";
import { parse } from "csv-parse/sync";
import { afterEach, describe, expect, test, vi } from "vitest";
import type { SourceItem } from "../src/model.js";
import { legacyWorkbookReader } from "../src/sources/legacy-workbook.js";
import { readers } from "../src/sources/readers.js";
import { NotAListingSourceError } from "../src/sources/source.js";
import { taobaoCsvReader } from "../src/sources/taobao-csv/index.js";
import { buildExport, encodeText, inputOf, layoutOf, type RawRow } from "./fixtures/exports/taobao-export.js";
import { collect } from "./helpers/collect.js";

/** A workbook as SheetJS writes it: `.xls` (BIFF8, as Excel 97–2003 and JD's back-end) or `.ods`. */
function workbook(rows: unknown[][], bookType: "biff8" | "ods", merges: XLSX.Range[] = []): Buffer {
  const book = XLSX.utils.book_new();
  const sheet = XLSX.utils.aoa_to_sheet(rows);
  if (merges.length > 0) sheet["!merges"] = merges;
  XLSX.utils.book_append_sheet(book, sheet, "商品");
  return XLSX.write(book, { type: "buffer", bookType }) as Buffer;
}

const JD_ROWS = [
  ["商品导出 2026-11-01"],
  [],
  ["商品编号", "商品名称", "京东价", "运费模板ID"],
  [600001234567, "新疆西藏也包邮 纯棉T恤", 39, "T1"],
  [600001234568, "纯棉袜子 全国包邮", 9.9, "T1"],
];
const JD_LISTINGS = [
  { id: "600001234567", title: "新疆西藏也包邮 纯棉T恤", price: 39, templateId: "T1" },
  { id: "600001234568", title: "纯棉袜子 全国包邮", price: 9.9, templateId: "T1" },
];
const listings = (items: SourceItem[]) =>
  items.map((i) => (i.kind === "listing" ? { ...i.record.listing, line: i.record.source.line } : i.problem.code));

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Excel 97–2003 .xls and OpenDocument .ods workbooks", () => {
  test.each([
    ["goods.xls", "biff8"],
    ["goods.ods", "ods"],
  ] as const)("%s: read below its title rows, ids in full, as the run picks it", async (name, bookType) => {
    const input = inputOf(name, workbook(JD_ROWS, bookType));
    expect(readers.find((r) => r.detect(input))?.format).toBe("xls");
    expect(listings(await collect(legacyWorkbookReader.read(input, {})))).toEqual(
      JD_LISTINGS.map((l, i) => ({ ...l, line: 4 + i })),
    );
  });

  test.each(["biff8", "ods"] as const)(
    "%s: a grouped header's names merged down over both header rows still name their columns",
    async (bookType) => {
      const rows = [
        ["商品", "", "运费模板ID", "价格"],
        ["商品编号", "商品名称", "", "京东价"],
        [600001234567, "新疆西藏也包邮 纯棉T恤", "T1", 39],
      ];
      // 商品 over A1:B1, 运费模板ID down C1:C2.
      const merges = [
        { s: { r: 0, c: 0 }, e: { r: 0, c: 1 } },
        { s: { r: 0, c: 2 }, e: { r: 1, c: 2 } },
      ];
      const items = await collect(
        legacyWorkbookReader.read(
          inputOf(`grouped.${bookType === "ods" ? "ods" : "xls"}`, workbook(rows, bookType, merges)),
          {},
        ),
      );
      expect(listings(items)).toEqual([
        { id: "600001234567", title: "新疆西藏也包邮 纯棉T恤", price: 39, templateId: "T1", line: 3 },
      ]);
    },
  );

  test("an error cell reads as Excel saves it to CSV (#DIV/0!), so a price that is one is a located problem, not an empty cell", async () => {
    const sheet = XLSX.utils.aoa_to_sheet([
      ["商品编号", "商品名称", "京东价"],
      [1, "毛巾 全国包邮", 0],
      [2, "浴巾", 0],
    ]);
    sheet.C2 = { t: "e", v: 0x07, w: "#DIV/0!" };
    sheet.C3 = { t: "e", v: 0x2a, w: "#N/A", f: "VLOOKUP(A3,价格!A:B,2,0)" };
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, "商品");
    const input = inputOf("errors.xls", XLSX.write(book, { type: "buffer", bookType: "biff8" }) as Buffer);
    const items = await collect(legacyWorkbookReader.read(input, {}));
    expect(
      items.map((i) =>
        i.kind === "problem"
          ? `${i.problem.code} ${i.problem.source.row} ${i.problem.source.field}`
          : `${i.record.listing.id} ${i.record.listing.price}`,
      ),
    ).toEqual(["xls/invalid-value 1 price", "1 undefined", "xls/invalid-value 2 price", "2 undefined"]);
  });

  test("HTML descriptions in its cells are kept as the description", async () => {
    const rows = [
      ["商品ID", "商品名称", "商品描述"],
      [1, "包邮", "<table><tr><td>no delivery to Xinjiang, Tibet</td></tr></table>"],
    ];
    const input = inputOf("jd.xls", workbook(rows, "biff8"));
    expect(readers.find((r) => r.detect(input))?.format).toBe("xls");
    expect(listings(await collect(legacyWorkbookReader.read(input, {})))).toEqual([
      {
        id: "1",
        title: "包邮",
        description: "<table><tr><td>no delivery to Xinjiang, Tibet</td></tr></table>",
        line: 2,
      },
    ]);
  });

  test("a 淘宝助理 export saved as .xls keeps both header rows and its SKUs: the same listings as the CSV", async () => {
    const rows: RawRow[] = [
      {
        title: "纯棉T恤 全国包邮",
        num_id: "600001",
        price: "59.00",
        postage_id: "T1",
        skuProps: "59:10::1627207:28320;",
      },
      {
        title: "袜子",
        num_id: "600002",
        price: "9.90",
        skuProps: "9.9:5::1627207:-1001;",
        input_custom_cpv: "1627207:-1001:包邮款",
      },
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
    const fromXls = await collect(
      legacyWorkbookReader.read(
        inputOf("export.xls", workbook(parse(built.text, { delimiter: "\t", relax_column_count: true }), "biff8")),
        {},
      ),
    );
    const listingsOf = (items: SourceItem[]) => items.flatMap((i) => (i.kind === "listing" ? [i.record.listing] : []));
    expect(listingsOf(fromXls)).toEqual(listingsOf(fromCsv));
    expect(listingsOf(fromXls).map((l) => l.skus)).toEqual([
      [{ name: "28320", price: 59 }],
      [{ name: "包邮款", price: 9.9 }],
    ]);
  });

  test("a workbook past 128 MiB is refused before it is read whole, with a message saying what to do", async () => {
    const mib = Buffer.alloc(1024 * 1024);
    const head = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), mib.subarray(8)]);
    let sent = 0;
    // Up to a GiB on offer, never held by the test: the reader must stop reading at the cap.
    const input = {
      name: "huge.xls",
      head,
      open: () =>
        Readable.from(
          (function* () {
            for (; sent < 1024; sent++) yield sent === 0 ? head : mib;
          })(),
        ),
    };
    await expect(collect(legacyWorkbookReader.read(input, {}))).rejects.toThrow(
      /of at most 128 MiB \(save a larger one as \.xlsx or CSV, which are streamed\)/,
    );
    expect(sent).toBeLessThan(160);
  });

  // Forty damaged workbooks: seconds on an idle machine, a minute on a loaded one.
  test("a truncated workbook is refused, saying so; a damaged one is read as far as it goes, with a problem, and nothing on the console", {
    timeout: 180_000,
  }, async () => {
    const bytes = workbook(
      [JD_ROWS[2]!, ...Array.from({ length: 300 }, (_, i) => [600000 + i, `商品${i} 全国包邮`, 9.9, "T1"])],
      "biff8",
    );
    const consoleError = vi.spyOn(console, "error");
    await expect(collect(legacyWorkbookReader.read(inputOf("cut.xls", bytes.subarray(0, 1500)), {}))).rejects.toThrow(
      /probably truncated or damaged/,
    );
    let damaged = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const mutant = Buffer.from(bytes);
      for (let k = 0; k < 4; k++) mutant[(seed * 7919 * (k + 1)) % mutant.length] = (seed * 31 + k) % 256;
      try {
        const items = await collect(legacyWorkbookReader.read(inputOf(`m${seed}.xls`, mutant), {}));
        if (items.some((i) => i.kind === "problem" && i.problem.code === "xls/damaged")) damaged++;
      } catch (error) {
        expect(error).toBeInstanceOf(NotAListingSourceError);
      }
    }
    expect(damaged).toBeGreaterThan(0);
    expect(consoleError).not.toHaveBeenCalled();
  });

  test.each([
    [
      "an .xlsx",
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from("[Content_Types].xml xl/workbook.xml")]),
      false,
    ],
    ["a Word .docx", Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from("word/document.xml")]), false],
    ["a CSV", Buffer.from("商品ID,商品名称\n1,包邮\n"), false],
  ])("%s is not taken for one", (_, head, detected) => {
    expect(legacyWorkbookReader.detect(inputOf("x", head))).toBe(detected);
  });
});

import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import type { SourceItem } from "../src/model.js";
import { htmlPageReader } from "../src/sources/html-page-reader.js";
import { readersWith } from "../src/sources/readers.js";
import { NotAListingSourceError, type SourceReader } from "../src/sources/source.js";
import { buildExport, encodeText, inputOf, layoutOf, type Encoding } from "./fixtures/exports/taobao-export.js";
import { xlsxWorkbook } from "./helpers/xlsx-workbook.js";

// The benchmarks' seeded PRNG, so every run tries the same mutants.
const { random: mulberry32 } = (await import(new URL("../bench/lib/corpus.mjs", import.meta.url).href)) as {
  random: (seed: number) => () => number;
};

/** Every reader the CLI has, in the order a run tries them. */
const FORMATS: readonly SourceReader[] = readersWith(htmlPageReader);
/** A reader that takes longer than this on a few MB has hung: seconds on an idle machine, so wide for a loaded one. */
const HANG_MS = 20_000;
const ROWS = 20;

type Outcome =
  | { kind: "read"; format: string; items: SourceItem[]; ms: number }
  | { kind: "refused"; format: string | undefined };

/** Detects and reads as a run would; a hang, or any exception but "not a listing source", fails the test. */
async function readBytes(name: string, bytes: Buffer, chunk = 64 * 1024): Promise<Outcome> {
  const input = inputOf(name, bytes, chunk);
  const reader = FORMATS.find((r) => r.detect(input));
  if (!reader) return { kind: "refused", format: undefined };
  const started = performance.now();
  const items: SourceItem[] = [];
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${reader.format} reader hung on ${name}`)), HANG_MS);
  });
  try {
    await Promise.race([
      (async () => {
        for await (const item of reader.read(input, {})) items.push(item);
      })(),
      hang,
    ]);
  } catch (error) {
    if (error instanceof NotAListingSourceError) return { kind: "refused", format: reader.format };
    throw error;
  } finally {
    clearTimeout(timer);
  }
  for (const item of items) {
    const source = item.kind === "listing" ? item.record.source : item.problem.source;
    expect(source.file).toBe(name);
  }
  return { kind: "read", format: reader.format, items, ms: performance.now() - started };
}

const listings = (o: Outcome) =>
  o.kind === "read" ? o.items.flatMap((i) => (i.kind === "listing" ? [i.record.listing] : [])) : [];
const codes = (o: Outcome) =>
  o.kind === "read" ? o.items.flatMap((i) => (i.kind === "problem" ? [i.problem.code] : [])) : [];

function exportRows(count = ROWS, cell: (i: number) => string = () => "<p>新疆西藏除外</p>") {
  return Array.from({ length: count }, (_, i) => ({
    num_id: `6000${i}`,
    title: `商品${i} 全国包邮`,
    price: "59.00",
    description: cell(i),
    postage_id: "T1",
  }));
}
const COLUMNS = layoutOf(20, false);
function taobaoExport(encoding: Encoding, rows = exportRows()): Buffer {
  return encodeText(
    buildExport(rows, { columns: COLUMNS, header: "version-en-cn", delimiter: "\t", eol: "\r\n", quoteAll: true }).text,
    encoding,
  );
}
function genericCsv(rows: string[]): Buffer {
  return Buffer.from(`${["id,title,price,templateId", ...rows].join("\n")}\n`, "utf8");
}
const goodCsvRows = Array.from({ length: ROWS }, (_, i) => `${i},商品${i} 全国包邮,59,T1`);

/** Replaces the bytes of `marker` (first occurrence) in `bytes`. */
function splice(bytes: Buffer, marker: Buffer, replacement: Buffer): Buffer {
  const at = bytes.indexOf(marker);
  if (at < 0) throw new Error("marker not found");
  return Buffer.concat([bytes.subarray(0, at), replacement, bytes.subarray(at + marker.length)]);
}

describe("CSV exports with damaged bytes keep every undamaged record", () => {
  it("truncated UTF-16: a code unit cut in half at the end loses at most the last record", async () => {
    const bytes = taobaoExport("utf-16le-bom");
    for (const cut of [bytes.length - 1, bytes.length - 7, Math.floor(bytes.length * 0.6) | 1]) {
      const outcome = await readBytes("cut.csv", bytes.subarray(0, cut), 333);
      const kept = listings(outcome).length;
      const lastWhole = bytes.subarray(0, cut).toString("utf16le").split("\r\n").length - 5;
      expect(kept).toBeGreaterThanOrEqual(Math.min(ROWS - 1, lastWhole));
    }
  });

  it("a broken surrogate in UTF-16 becomes one record's problem", async () => {
    const bytes = splice(
      taobaoExport("utf-16le-bom"),
      iconv.encode("商品5 ", "utf-16le"),
      Buffer.from([0x00, 0xd8, 0x41, 0x00]),
    );
    const outcome = await readBytes("surrogate.csv", bytes, 101);
    expect(listings(outcome)).toHaveLength(ROWS - 1);
    expect(listings(outcome).map((l) => l.id)).not.toContain("60005");
    expect(
      outcome.kind === "read" &&
        outcome.items
          .filter((i) => i.kind === "problem")
          .map((i) => i.kind === "problem" && [i.problem.code, i.problem.source.row]),
    ).toEqual([["csv/undecodable", 6]]);
  });

  it("mixed encodings: a GBK fragment in a UTF-8 export costs only its record", async () => {
    const rows = [...goodCsvRows];
    const bytes = splice(genericCsv(rows), Buffer.from("商品7 ", "utf8"), iconv.encode("满99元包邮 ", "gbk"));
    const outcome = await readBytes("mixed.csv", bytes);
    expect(listings(outcome)).toHaveLength(ROWS - 1);
    expect(codes(outcome)).toEqual(["csv/undecodable"]);
  });

  it("a stray quote costs only its record (and none when no field of its line is quoted)", async () => {
    const rows = goodCsvRows.map((r, i) =>
      i === 3 ? `"3",商品3 "特价" 全国包邮,59,T1` : i === 5 ? `5,商品5 27"显示器 全国包邮,59,T1` : r,
    );
    const outcome = await readBytes("quote.csv", genericCsv(rows));
    expect(listings(outcome)).toHaveLength(ROWS - 1);
    expect(codes(outcome)).toEqual(["csv/stray-quote"]);
  });

  it("NUL bytes inside a record do not make the export unreadable", async () => {
    const rows = goodCsvRows.map((r, i) => (i === 4 ? `4,商品4\u0000\u0000 全国包邮,59,T1` : r));
    const outcome = await readBytes("nul.csv", genericCsv(rows));
    expect(outcome.kind).toBe("read");
    expect(listings(outcome)).toHaveLength(ROWS);
  });

  it("a 10 MB single cell is read in one piece, with the records around it", async () => {
    const big = `${"包邮".repeat((5 * 1024 * 1024) / 2)}新疆除外`;
    const bytes = taobaoExport(
      "utf-8",
      exportRows(ROWS, (i) => (i === 2 ? big : "<p>新疆西藏除外</p>")),
    );
    expect(bytes.length).toBeGreaterThan(10 * 1024 * 1024);
    const outcome = await readBytes("big.csv", bytes);
    expect(listings(outcome)).toHaveLength(ROWS);
    expect(listings(outcome)[2]?.description).toHaveLength(big.length);
  });

  it("an unterminated quote before 17 MB of text is cut at the cap and reading goes on", async () => {
    const rows = [
      ...goodCsvRows.slice(0, 5),
      `5,"商品5 全国包邮${"x".repeat(17 * 1024 * 1024)},59,T1`,
      ...goodCsvRows.slice(6),
    ];
    const outcome = await readBytes("unterminated.csv", genericCsv(rows));
    expect(codes(outcome)).toContain("csv/unterminated-quote");
    expect(
      listings(outcome)
        .slice(0, 5)
        .map((l) => l.id),
    ).toEqual(["0", "1", "2", "3", "4"]);
  });
});

describe("JSON, JSONL and YAML with damaged bytes", () => {
  const record = (i: number, title = `商品${i} 全国包邮`) => ({ id: String(i), title, templateId: "T1" });
  const json = (titles: Record<number, string> = {}) =>
    JSON.stringify(
      Array.from({ length: 5 }, (_, i) => record(i, titles[i])),
      null,
      1,
    );

  it("a CESU-8 lone surrogate, a NUL byte and a truncated character each cost at most their record", async () => {
    for (const [name, bytes] of [
      ["cesu.json", splice(Buffer.from(json()), Buffer.from("商品2"), Buffer.from([0xed, 0xa0, 0x80]))],
      ["nul.json", splice(Buffer.from(json()), Buffer.from("商品2"), Buffer.from([0x00]))],
      [
        "nul.jsonl",
        Buffer.from(
          Array.from({ length: 5 }, (_, i) =>
            JSON.stringify(record(i, i === 2 ? "a\u0000b" : undefined)).replace("\\u0000", "\u0000"),
          ).join("\n"),
        ),
      ],
      [
        "escaped-surrogate.jsonl",
        Buffer.from(
          Array.from({ length: 5 }, (_, i) =>
            JSON.stringify(record(i)).replace(`商品${i}`, i === 1 ? "\\ud800" : `商品${i}`),
          ).join("\n"),
        ),
      ],
      [
        "nul.yaml",
        Buffer.from(
          Array.from({ length: 5 }, (_, i) => `- id: "${i}"\n  title: ${i === 3 ? "a\u0000b" : `商品${i}`}\n`).join(""),
        ),
      ],
    ] as const) {
      const outcome = await readBytes(name, bytes, 5);
      expect(outcome.kind, name).toBe("read");
      expect(listings(outcome).length + codes(outcome).length, name).toBeGreaterThanOrEqual(5);
      expect(listings(outcome).length, name).toBeGreaterThanOrEqual(4);
    }
    const truncated = Buffer.from(json()).subarray(0, Buffer.from(json()).indexOf(Buffer.from("商品4")) + 2);
    const outcome = await readBytes("truncated.json", truncated, 3);
    expect(listings(outcome).map((l) => l.id)).toEqual(["0", "1", "2", "3"]);
    expect(codes(outcome)).toEqual(["json/syntax-error"]);
  });

  it("a 10 MB string in one record is read, in JSON, JSONL and YAML alike", async () => {
    const big = "包".repeat((10 * 1024 * 1024) / 3 + 1);
    for (const [name, text] of [
      ["big.json", json({ 1: big })],
      [
        "big.jsonl",
        Array.from({ length: 5 }, (_, i) => JSON.stringify(record(i, i === 1 ? big : undefined))).join("\n"),
      ],
      [
        "big.yaml",
        Array.from({ length: 5 }, (_, i) => `- id: "${i}"\n  title: ${i === 1 ? big : `商品${i} 全国包邮`}\n`).join(""),
      ],
    ]) {
      const outcome = await readBytes(name as string, Buffer.from(text as string));
      expect(
        listings(outcome).map((l) => l.title.length),
        name,
      ).toEqual([8, big.length, 8, 8, 8]);
    }
  });
});

describe("HTML pages", () => {
  const page = (body: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>杯</title><script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","name":"保温杯 全国包邮","offers":{"@type":"Offer","price":10,"priceCurrency":"CNY"}}</script></head><body>${body}</body></html>`;

  it("survives 100,000 nested elements, a 10 MB body, NUL bytes and mixed encodings", {
    timeout: 180_000,
  }, async () => {
    const cases: Array<[string, Buffer]> = [
      ["deep.html", Buffer.from(page(`${"<div>".repeat(100_000)}新疆西藏除外${"</div>".repeat(100_000)}`))],
      ["unclosed.html", Buffer.from(page("<div><p><span>".repeat(30_000)))],
      ["big.html", Buffer.from(page(`<p>${"包邮".repeat((5 * 1024 * 1024) / 2)}</p>`))],
      ["nul.html", Buffer.from(page("<p>新疆\u0000西藏除外</p>"))],
      [
        "mixed.html",
        Buffer.concat([Buffer.from(page("<p>")), iconv.encode("偏远地区不包邮", "gbk"), Buffer.from("</p>")]),
      ],
      ["broken-json-ld.html", Buffer.from(page("").replace('"name"', '"name" "'))],
    ];
    for (const [name, bytes] of cases) {
      const outcome = await readBytes(name, bytes);
      expect(outcome.kind, name).toBe("read");
      if (outcome.kind === "read") expect(outcome.ms, name).toBeLessThan(HANG_MS);
      expect(listings(outcome).length + codes(outcome).length, name).toBeGreaterThan(0);
    }
  });
});

describe("HTML tables saved as .xls", () => {
  const table = (rows: string) =>
    `<html><head><meta http-equiv="Content-Type" content="application/vnd.ms-excel; charset=utf-8"></head><body><table><tr><td>商品ID</td><td>商品名称</td><td>商品描述</td></tr>${rows}</table></body></html>`;
  const row = (i: number, description = "新疆西藏除外") =>
    `<tr><td>${i}</td><td>商品${i} 全国包邮</td><td>${description}</td></tr>`;

  it("survives cells nested 100,000 deep, a 10 MB cell, unclosed rows, NUL bytes and mixed encodings", {
    timeout: 180_000,
  }, async () => {
    const cases: Array<[string, Buffer, number]> = [
      [
        "deep.xls",
        Buffer.from(table(row(1, `${"<div>".repeat(100_000)}偏远地区不发货${"</div>".repeat(100_000)}`) + row(2))),
        2,
      ],
      [
        "big-cell.xls",
        Buffer.from(table(row(1, `&lt;p&gt;${"包邮".repeat((5 * 1024 * 1024) / 2)}&lt;/p&gt;`) + row(2))),
        2,
      ],
      [
        "unclosed.xls",
        Buffer.from(table(Array.from({ length: 5 }, (_, i) => `<tr><td>${i}<td>商品${i}<td>x`).join(""))),
        5,
      ],
      ["nul.xls", Buffer.from(table(row(1, "新疆\u0000西藏除外") + row(2))), 2],
      [
        "mixed.xls",
        Buffer.concat([
          Buffer.from(table(row(1)).split("</table>")[0]!),
          iconv.encode(row(2, "偏远地区不包邮"), "gbk"),
          Buffer.from("</table></body></html>"),
        ]),
        2,
      ],
    ];
    for (const [name, bytes, count] of cases) {
      const outcome = await readBytes(name, bytes);
      expect(outcome.kind === "read" && outcome.format, name).toBe("html-table");
      expect(
        listings(outcome).map((l) => l.id),
        name,
      ).toEqual(Array.from({ length: count }, (_, i) => String(name === "unclosed.xls" ? i : i + 1)));
    }
  });
});

describe("XLSX workbooks", () => {
  it("a truncated or corrupted workbook is refused or read up to the damage, never hangs", async () => {
    const rows = [
      ["商品ID", "商品名称", "价格"],
      ...Array.from({ length: 200 }, (_, i) => [`${i}`, `商品${i} 全国包邮`, 59]),
    ];
    const bytes = xlsxWorkbook({ 商品: rows });
    expect(listings(await readBytes("ok.xlsx", bytes))).toHaveLength(200);
    const random = mulberry32(7);
    const variants: Buffer[] = [];
    for (const fraction of [0.3, 0.6, 0.9, 0.99]) variants.push(bytes.subarray(0, Math.floor(bytes.length * fraction)));
    for (let i = 0; i < 8; i++) variants.push(mutate(bytes, random, 1 + (i % 4)));
    for (const [i, variant] of variants.entries()) {
      const outcome = await readBytes(`damaged-${i}.xlsx`, variant);
      if (outcome.kind === "read") expect(listings(outcome).length + codes(outcome).length).toBeGreaterThan(0);
    }
  });
});

describe("random mutations of every format", () => {
  const bases: Array<[string, Buffer]> = [
    ["taobao-utf16.csv", taobaoExport("utf-16le-bom", exportRows(8))],
    ["taobao-gb18030.csv", taobaoExport("gb18030", exportRows(8))],
    ["generic.csv", genericCsv(goodCsvRows.slice(0, 8))],
    [
      "table.xls",
      Buffer.from(
        `<table><tr><th>商品ID</th><th>商品名称</th><th>拼单价</th></tr>${Array.from({ length: 8 }, (_, i) => `<tr><td>${i}</td><td>商品${i} 包邮</td><td>9.9</td></tr>`).join("\n")}</table>`,
      ),
    ],
    [
      "listings.json",
      Buffer.from(
        JSON.stringify(
          Array.from({ length: 8 }, (_, i) => ({ id: `${i}`, title: `商品${i} 包邮`, price: 9.9 })),
          null,
          1,
        ),
      ),
    ],
    [
      "listings.jsonl",
      Buffer.from(
        Array.from({ length: 8 }, (_, i) => JSON.stringify({ id: `${i}`, title: `商品${i} 包邮` })).join("\n"),
      ),
    ],
    [
      "listings.yaml",
      Buffer.from(
        Array.from(
          { length: 8 },
          (_, i) => `- id: "${i}"\n  title: 商品${i} 包邮\n  skus: [{ name: 红, price: 1 }]\n`,
        ).join(""),
      ),
    ],
    [
      "page.html",
      Buffer.from(
        '<!doctype html><html><head><script type="application/ld+json">{"@type":"Product","name":"杯 包邮","offers":{"price":"9"}}</script></head><body><p>新疆除外</p></body></html>',
      ),
    ],
  ];

  it.each(bases)("%s: 40 seeded mutants each read without a crash or a hang", async (name, base) => {
    const random = mulberry32(name.length * 7919);
    for (let i = 0; i < 40; i++) {
      const mutant = mutate(base, random, 1 + (i % 5));
      await readBytes(name, mutant, 1 + Math.floor(random() * 200));
    }
  });
});

const NASTY = [
  Buffer.from([0x00]),
  Buffer.from('"'),
  Buffer.from([0xff, 0xfe]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0x00, 0xd8]),
  Buffer.from("\r"),
  Buffer.from("\n"),
  Buffer.from("\t"),
  Buffer.from(",,,"),
  Buffer.from("[{"),
  Buffer.from("&#"),
  Buffer.from("<div>"),
  iconv.encode("包邮", "gbk"),
];

/** Flips, inserts, deletes, duplicates or truncates bytes. */
function mutate(base: Buffer, random: () => number, times: number): Buffer {
  let bytes = Buffer.from(base);
  const at = () => Math.floor(random() * (bytes.length + 1));
  for (let n = 0; n < times; n++) {
    const op = Math.floor(random() * 5);
    const i = at();
    if (op === 0 && bytes.length > 0) bytes[Math.min(i, bytes.length - 1)] = Math.floor(random() * 256);
    else if (op === 1)
      bytes = Buffer.concat([
        bytes.subarray(0, i),
        NASTY[Math.floor(random() * NASTY.length)] as Buffer,
        bytes.subarray(i),
      ]);
    else if (op === 2)
      bytes = Buffer.concat([
        bytes.subarray(0, i),
        bytes.subarray(Math.min(bytes.length, i + 1 + Math.floor(random() * 16))),
      ]);
    else if (op === 3) bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i, i + 64), bytes.subarray(i)]);
    else bytes = bytes.subarray(0, Math.max(1, i));
  }
  return bytes;
}

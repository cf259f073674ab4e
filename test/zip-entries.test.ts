import { existsSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, test } from "vitest";
import { ByteQueue, FILE_ENDED } from "../src/sources/byte-queue.js";
import { ByteSpool, SPOOL_MEMORY_LIMIT } from "../src/sources/byte-spool.js";
import { zipEntries } from "../src/sources/zip-entries.js";
import { type ZipOptions, zipArchive } from "./helpers/xlsx-workbook.js";

/** Each entry's name and inflated text, the zip arriving in pieces of `pieceSize` bytes. */
async function readZip(bytes: Buffer, pieceSize = 61): Promise<Array<[string, string]>> {
  const pieces = Array.from({ length: Math.ceil(bytes.length / pieceSize) }, (_, i) =>
    bytes.subarray(i * pieceSize, (i + 1) * pieceSize),
  );
  const queue = new ByteQueue(Readable.from(pieces));
  const out: Array<[string, string]> = [];
  for await (const entry of zipEntries(queue)) {
    const content: Buffer[] = [];
    for await (const piece of entry.content()) content.push(piece);
    out.push([entry.name, Buffer.concat(content).toString("utf8")]);
  }
  return out;
}

const ENTRIES: Array<[string, string]> = [
  ["[Content_Types].xml", "<Types/>"],
  ["xl/worksheets/sheet1.xml", `<worksheet>${"<row><c><v>1</v></c></row>".repeat(2000)}</worksheet>`],
  ["xl/sharedStrings.xml", `<sst>${"<si><t>全国包邮（新疆西藏除外）</t></si>".repeat(500)}</sst>`],
  ["empty.txt", ""],
];

describe("zip entries read front to back", () => {
  const layouts: Array<[string, ZipOptions]> = [
    ["deflated, sizes after the data", {}],
    ["deflated, sizes in the headers", { sizesInHeaders: true }],
    ["stored, sizes after the data", { stored: true }],
    ["stored, sizes in the headers", { stored: true, sizesInHeaders: true }],
  ];
  test.each(layouts)("%s: every entry whole, whatever the pieces the bytes arrive in", async (_, options) => {
    const bytes = zipArchive(ENTRIES, options);
    for (const pieceSize of [1, 7, 4096, bytes.length]) expect(await readZip(bytes, pieceSize)).toEqual(ENTRIES);
  });

  test("a descriptor's signature inside an entry's bytes does not end it: the size after it must match too", async () => {
    const tricky = `before PK\u0007\u0008${"\u0000".repeat(12)} PK\u0007\u0008\u0001\u0002\u0003\u0004\u0010\u0000\u0000\u0000 after`;
    const entries: Array<[string, string]> = [
      ["a.bin", tricky],
      ["b.txt", "next"],
    ];
    for (const pieceSize of [1, 5, 1000])
      expect(await readZip(zipArchive(entries, { stored: true }), pieceSize)).toEqual(entries);
  });

  test("a zip that ends early stops with FILE_ENDED, wherever it is cut", async () => {
    const bytes = zipArchive(ENTRIES);
    const directory = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    for (const end of [3, 30, 100, Math.floor(directory / 2), directory - 1])
      await expect(readZip(bytes.subarray(0, end)), `cut at ${end}`).rejects.toThrow(FILE_ENDED);
  });

  test("bytes that are no zip header where one should start are refused, naming the byte", async () => {
    const bytes = zipArchive(ENTRIES.slice(0, 1), { stored: true, sizesInHeaders: true });
    const junk = Buffer.concat([
      bytes.subarray(0, bytes.indexOf("<Types/>") + 8),
      Buffer.from("junk that is no header where a header should be"),
    ]);
    await expect(readZip(junk)).rejects.toThrow(/no zip entry starts at byte 57: the zip is damaged/);
  });

  test("an entry whose bytes do not match its CRC-32 is damaged, also when it inflates", async () => {
    for (const options of [{ stored: true, sizesInHeaders: true }, { sizesInHeaders: true }, {}]) {
      const bytes = zipArchive([["a.txt", "包邮".repeat(100)]], options);
      const crcAt = options.sizesInHeaders ? 14 : bytes.indexOf(Buffer.from([0x50, 0x4b, 0x07, 0x08])) + 4;
      bytes[crcAt] = (bytes[crcAt] ?? 0) ^ 0xff;
      await expect(readZip(bytes), JSON.stringify(options)).rejects.toThrow(
        "a.txt is damaged (its bytes do not match the zip's checksum)",
      );
    }
  });
});

describe("byte spools", () => {
  test("bytes past the memory limit go to a temporary file, come back in order, and the file is removed", async () => {
    const spool = new ByteSpool();
    const piece = Buffer.alloc(1024 * 1024, "包邮");
    const pieces = Math.ceil(SPOOL_MEMORY_LIMIT / piece.length) + 2;
    for (let i = 0; i < pieces; i++) await spool.append(piece);
    const file = (spool as unknown as { file?: { path: string } }).file?.path;
    expect(file && existsSync(file)).toBe(true);
    const back: Buffer[] = [];
    for await (const chunk of spool.chunks()) back.push(chunk);
    expect(Buffer.concat(back).equals(Buffer.concat(Array.from({ length: pieces }, () => piece)))).toBe(true);
    await spool.dispose();
    expect(existsSync(file ?? "")).toBe(false);
  });

  test("a few bytes stay in memory", async () => {
    const spool = new ByteSpool();
    await spool.append(Buffer.from("sheet"));
    expect((spool as unknown as { file?: unknown }).file).toBeUndefined();
    const back: Buffer[] = [];
    for await (const chunk of spool.chunks()) back.push(chunk);
    expect(Buffer.concat(back).toString()).toBe("sheet");
    await spool.dispose();
  });
});

import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SourceItem } from "../src/model.js";
import type { RegionCatalogue } from "../src/model.js";
import { loadRegionCatalogue } from "../src/regions/load-regions.js";
import { htmlPageReader } from "../src/sources/html-page-reader.js";
import { readersWith, readSources, resolveInputs } from "../src/sources/index.js";
import { taobaoCsvReader } from "../src/sources/taobao-csv/index.js";
import { loadTemplateFiles } from "../src/templates/load-templates.js";
import { parseLocatedDocument } from "../src/util/yaml-document.js";
import {
  buildExport,
  encodeText,
  inputOf,
  layoutOf,
  type Encoding,
  type RawRow,
} from "./fixtures/exports/taobao-export.js";
import { collect as collectItems } from "./helpers/collect.js";
import { unwrap } from "./helpers/bundled-data.js";

const regions: RegionCatalogue = unwrap(await loadRegionCatalogue());

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "listing-audit-readers-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readFiles(files: Record<string, string | Buffer>): Promise<SourceItem[]> {
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  const resolved = await resolveInputs(Object.keys(files), {
    cwd: dir,
    stdin: Readable.from([]),
    readers: readersWith(htmlPageReader),
  });
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.errors));
  const items: SourceItem[] = [];
  for await (const item of readSources(resolved.value)) items.push(item);
  return items;
}

const listings = (items: SourceItem[]) =>
  items.flatMap((item) => (item.kind === "listing" ? [item.record.listing] : []));
const problems = (items: SourceItem[]) =>
  items.flatMap((item) => (item.kind === "problem" ? [{ code: item.problem.code, ...item.problem.source }] : []));

describe("__proto__, constructor and prototype keys in a record", () => {
  const json = `{"id":"A1","title":"包邮","__proto__":{"templateId":"X","price":1},"constructor":{"id":"C"},"prototype":1,"fees":{"__proto__":{"express":3}}}`;
  const onlyProto = `{"__proto__":{"id":"P3","title":"全国包邮"}}`;

  test.each([
    ["proto.json", `[${json},\n${onlyProto}]`],
    ["proto.jsonl", `${json}\n${onlyProto}\n`],
    ["proto.yaml", `- ${json}\n- __proto__: {id: P3, title: 全国包邮}\n`],
  ])("%s: the keys are ignored like any unknown key, never the record's prototype", async (name, text) => {
    const items = await readFiles({ [name]: text });
    const [listing] = listings(items);
    expect(listings(items)).toHaveLength(1);
    expect(listing).toMatchObject({ id: "A1", title: "包邮" });
    expect(listing?.templateId).toBeUndefined();
    expect(listing?.price).toBeUndefined();
    expect(listing?.fees?.express).toBeUndefined();
    expect(Object.getPrototypeOf(listing)).toBe(Object.prototype);
    // The record that holds only a __proto__ has no id of its own.
    expect(problems(items)).toEqual([expect.objectContaining({ code: "listing/missing-id", row: 2 })]);
    expect(({} as Record<string, unknown>).templateId).toBeUndefined();
  });
});

describe("YAML aliases: a cap on what one file's aliases expand to", () => {
  test("200 records aliasing one 325 KB description: records past the file's cap are skipped, each a located problem", async () => {
    const description = "详情".repeat(162_500);
    let text = `- { id: "R1", title: 保温杯, description: &shared "${description}" }\n`;
    for (let i = 2; i <= 200; i++) text += `- { id: "R${i}", title: 保温杯, description: *shared }\n`;
    const items = await readFiles({ "aliases.yaml": text });
    const read = listings(items);
    const skipped = problems(items);
    // 4 Mi characters hold the description 12 times over (the anchor itself is no alias).
    expect(read).toHaveLength(13);
    expect(read.every((l) => l.description === description)).toBe(true);
    expect(skipped).toHaveLength(187);
    expect(skipped[0]).toEqual({ code: "yaml/too-many-aliases", file: "aliases.yaml", row: 14, line: 14 });
  });

  test("a template or config file whose aliases expand past the cap is refused with its file named", () => {
    const text = `a: &a "${"x".repeat(100_000)}"\nb: [${Array.from({ length: 50 }, () => "*a").join(", ")}]\n`;
    const parsed = parseLocatedDocument(text, "bomb.yaml");
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors[0]).toMatchObject({
      file: "bomb.yaml",
      message: expect.stringContaining("aliases expand to more than"),
    });
    expect(parseLocatedDocument(`a: &a "x"\nb: [*a, *a]\n`, "fine.yaml").ok).toBe(true);
  });

  test("aliases nested in anchors count for what they stand for", () => {
    const text = `a: &a "${"x".repeat(40_000)}"\nb: &b [${Array.from({ length: 10 }, () => "*a").join(", ")}]\nc: &c [${Array.from({ length: 10 }, () => "*b").join(", ")}]\nd: [*c, *c, *c]\n`;
    const parsed = parseLocatedDocument(text, "nested.yaml");
    expect(!parsed.ok && parsed.errors[0]?.message).toMatch(/aliases expand to more than/);
  });
});

describe("whole-file reads have a cap", () => {
  test("a YAML listing file over 16 MiB is one located problem, not gigabytes of memory", async () => {
    const items = await readFiles({ "huge.yaml": `# ${"x".repeat(17 * 1024 * 1024)}\n- { id: A, title: 包邮 }\n` });
    expect(problems(items)).toEqual([{ code: "yaml/too-large", file: "huge.yaml" }]);
    expect(items[0]?.kind === "problem" && items[0].problem.message).toMatch(/larger than 16 MiB.*JSON or JSONL/);
  });

  test("an .html page over 32 MiB is one located problem", async () => {
    const items = await readFiles({
      "huge.html": `<!doctype html><html><body>${"<p>包邮</p>".repeat(3_500_000)}</body></html>`,
    });
    expect(problems(items)).toEqual([{ code: "html/too-large", file: "huge.html" }]);
    expect(items[0]?.kind === "problem" && items[0].problem.message).toMatch(/larger than 32 MiB/);
  });

  test("a template file over 16 MiB stops the run with its name and the cap", async () => {
    await writeFile(path.join(dir, "huge-templates.yaml"), `# ${"x".repeat(17 * 1024 * 1024)}\ntemplates: []\n`);
    const loaded = await loadTemplateFiles(["huge-templates.yaml"], regions, dir);
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.errors).toEqual([
      {
        file: "huge-templates.yaml",
        key: "",
        message: "cannot read: larger than 16 MiB, the most a template file may hold",
      },
    ]);
  });
});

describe("links in a walked folder", () => {
  test("links to files and folders are followed; broken links and loops are located problems, never skipped in silence", async () => {
    const root = path.join(dir, "linked");
    const outside = path.join(dir, "outside");
    await mkdir(path.join(root, "sub"), { recursive: true });
    await mkdir(path.join(outside, "more"), { recursive: true });
    const listing = (id: string) => JSON.stringify([{ id, title: "包邮" }]);
    await writeFile(path.join(root, "a-real.json"), listing("REAL"));
    await writeFile(path.join(outside, "external.json"), listing("EXTERNAL"));
    await writeFile(path.join(outside, "more", "deep.json"), listing("DEEP"));
    await symlink(path.join(outside, "external.json"), path.join(root, "b-link.json"));
    await symlink(path.join(root, "a-real.json"), path.join(root, "c-same.json"));
    await symlink(path.join(outside, "gone.json"), path.join(root, "d-broken.json"));
    await symlink(path.join(root, "e-loop-2"), path.join(root, "e-loop-1"));
    await symlink(path.join(root, "e-loop-1"), path.join(root, "e-loop-2"));
    await symlink(path.join(outside, "more"), path.join(root, "f-folder"));
    await symlink(root, path.join(root, "sub", "up"));
    const resolved = await resolveInputs(["linked"], { cwd: dir, stdin: Readable.from([]) });
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.errors));
    expect(resolved.value.listings.map((l) => l.input.name)).toEqual([
      "linked/a-real.json",
      "linked/b-link.json",
      "linked/f-folder/deep.json",
    ]);
    expect(resolved.value.problems.map((p) => `${p.code} ${p.source.file}`)).toEqual([
      "input/broken-link linked/d-broken.json",
      "input/link-loop linked/e-loop-1",
      "input/link-loop linked/e-loop-2",
      "input/link-loop linked/sub/up",
    ]);
    // A glob reports only the links it names.
    const globbed = await resolveInputs(["linked/*.json"], { cwd: dir, stdin: Readable.from([]) });
    if (!globbed.ok) throw new Error(JSON.stringify(globbed.errors));
    expect(globbed.value.listings.map((l) => l.input.name)).toEqual(["linked/a-real.json", "linked/b-link.json"]);
    expect(globbed.value.problems.map((p) => `${p.code} ${p.source.file}`)).toEqual([
      "input/broken-link linked/d-broken.json",
    ]);
  });
});

describe("U+FFFD and C1 controls are text; only bytes that do not decode are a problem, for their record only", () => {
  const columns = layoutOf(60, false);
  const TITLES = ["包邮 \uFFFD 保温杯", "全国包邮\u0085 T恤", "\u009F包邮\uFFFD\uFFFD"];
  const rows = (bad: boolean): RawRow[] => [
    ...TITLES.map((title, i) => ({
      title,
      num_id: String(2001 + i),
      description: `<p>第${i}件\n说明</p>`,
      price: "10",
    })),
    // A quoted description across lines, damaged on its second line when `bad`.
    { title: "包邮 第四件", num_id: "2004", description: `<p>第一行\n${bad ? "@@BAD@@" : ""}第二行</p>`, price: "10" },
    { title: "包邮 \uFFFD 第五件", num_id: "2005", price: "10" },
  ];
  /** Bytes that are not valid in each encoding: a lone surrogate in UTF-16, bytes no decoder maps elsewhere. */
  const INVALID: Record<Encoding, Buffer> = {
    "utf-8": Buffer.from([0xff, 0xc3]),
    "utf-8-bom": Buffer.from([0xed, 0xa0, 0x80]),
    "utf-16le": Buffer.from([0x00, 0xd8]),
    "utf-16le-bom": Buffer.from([0x00, 0xdc]),
    "utf-16be": Buffer.from([0xd8, 0x00]),
    "utf-16be-bom": Buffer.from([0xdc, 0x00]),
    gb18030: Buffer.from([0xff]),
  };
  const plain = (encoding: Encoding): Encoding => encoding.replace("-bom", "") as Encoding;

  test.each(Object.keys(INVALID) as Encoding[])("淘宝助理 CSV in %s", async (encoding) => {
    const good = buildExport(rows(false), {
      columns,
      header: "version-en-cn",
      delimiter: "\t",
      eol: "\r\n",
      quoteAll: true,
    });
    const kept = await collectItems(taobaoCsvReader.read(inputOf("fffd.csv", encodeText(good.text, encoding)), {}));
    expect(problems(kept)).toEqual([]);
    expect(listings(kept).map((l) => l.title)).toEqual([...TITLES, "包邮 第四件", "包邮 \uFFFD 第五件"]);

    const built = buildExport(rows(true), {
      columns,
      header: "version-en-cn",
      delimiter: "\t",
      eol: "\r\n",
      quoteAll: true,
    });
    const bytes = encodeText(built.text, encoding);
    const marker = encodeText("@@BAD@@", plain(encoding));
    const at = bytes.indexOf(marker);
    expect(at).toBeGreaterThan(0);
    const damaged = Buffer.concat([bytes.subarray(0, at), INVALID[encoding], bytes.subarray(at + marker.length)]);
    const items = await collectItems(taobaoCsvReader.read(inputOf("damaged.csv", damaged, 61), {}));
    expect(problems(items)).toEqual([{ code: "csv/undecodable", file: "damaged.csv", row: 4, line: built.lines[3] }]);
    expect(listings(items).map((l) => l.id)).toEqual(["2001", "2002", "2003", "2005"]);
  });

  test("a damaged byte on the last line of a multi-line last record without a final line break skips it", async () => {
    const head = Buffer.from('商品ID,商品标题,价格\n1,包邮保温杯,10\n2,"包邮\nT恤 ');
    const items = await readFiles({
      "damaged-last.csv": Buffer.concat([head, Buffer.from([0xff]), Buffer.from('",12')]),
    });
    expect(problems(items)).toEqual([expect.objectContaining({ code: "csv/undecodable", row: 2, line: 3 })]);
    expect(listings(items).map((l) => l.id)).toEqual(["1"]);
  });

  test("a generic CSV in GB18030 keeps U+FFFD titles (GB18030 can write U+FFFD)", async () => {
    const text = "商品ID,商品标题,价格\r\n1,包邮\uFFFD保温杯,10\r\n2,包邮\u0085T恤,12\r\n";
    const items = await readFiles({ "generic-fffd.csv": iconv.encode(text, "gb18030") });
    expect(problems(items)).toEqual([]);
    expect(listings(items).map((l) => l.title)).toEqual(["包邮\uFFFD保温杯", "包邮\u0085T恤"]);
  });

  test.each([
    [
      "fffd.json",
      JSON.stringify([
        { id: "J1", title: TITLES[0] },
        { id: "J2", title: TITLES[1] },
      ]),
    ],
    [
      "fffd.jsonl",
      `${JSON.stringify({ id: "J1", title: TITLES[0] })}\n${JSON.stringify({ id: "J2", title: TITLES[1] })}\n`,
    ],
    ["fffd.yaml", `- { id: J1, title: "${TITLES[0]}" }\n- { id: J2, title: "${TITLES[1]}" }\n`],
  ])("%s keeps such titles, in UTF-8 and UTF-16LE", async (name, text) => {
    for (const bytes of [Buffer.from(text, "utf8"), encodeText(text, "utf-16le-bom")]) {
      const items = await readFiles({ [name]: bytes });
      expect(problems(items)).toEqual([]);
      expect(listings(items).map((l) => l.title)).toEqual([TITLES[0], TITLES[1]]);
    }
  });
});

describe("JSON, JSONL and YAML: bytes that do not decode cost their record only", () => {
  const records = ["包邮 \uFFFD 保温杯", "包邮 @@BAD@@ T恤", "\u0085包邮 袜子"];
  const texts: Record<string, string> = {
    "bad.json": `[\n${records.map((title, i) => JSON.stringify({ id: `B${i + 1}`, title })).join(",\n")}\n]\n`,
    "bad.jsonl": `${records.map((title, i) => JSON.stringify({ id: `B${i + 1}`, title })).join("\n")}\n`,
    "bad.yaml": `${records.map((title, i) => `- id: B${i + 1}\n  title: "${title}"`).join("\n")}\n`,
  };
  const cases = Object.keys(texts).flatMap((name) =>
    (["utf-8", "utf-16le-bom", "gb18030"] as const).map((encoding) => [name, encoding] as const),
  );
  const INVALID = {
    "utf-8": Buffer.from([0xff]),
    "utf-16le-bom": Buffer.from([0x00, 0xd8]),
    gb18030: Buffer.from([0xff]),
  };

  test.each(cases)("%s in %s", async (name, encoding) => {
    const bytes = encodeText(texts[name] ?? "", encoding);
    const marker = encodeText("@@BAD@@", encoding === "utf-16le-bom" ? "utf-16le" : encoding);
    const at = bytes.indexOf(marker);
    const damaged = Buffer.concat([bytes.subarray(0, at), INVALID[encoding], bytes.subarray(at + marker.length)]);
    const items = await readFiles({ [name]: damaged });
    const format = name.split(".")[1];
    expect(problems(items)).toEqual([expect.objectContaining({ code: `${format}/undecodable`, file: name, row: 2 })]);
    expect(listings(items).map((l) => l.title)).toEqual([records[0], records[2]]);
  });
});

describe("a GBK export and a UTF-8 export joined into one file", () => {
  const columns = layoutOf(60, false);
  const gbkRows: RawRow[] = Array.from({ length: 40 }, (_, i) => ({
    title: `全国包邮 纯棉短袖第${i}号`,
    num_id: String(3000 + i),
    price: "10",
  }));
  const utf8Rows: RawRow[] = Array.from({ length: 40 }, (_, i) => ({
    title: `新疆西藏不发货 保温杯第${i}号`,
    num_id: String(4000 + i),
    price: "12",
  }));
  const exportOf = (rows: RawRow[], encoding: Encoding) =>
    encodeText(
      buildExport(rows, { columns, header: "version-en-cn", delimiter: "\t", eol: "\r\n", quoteAll: true }).text,
      encoding,
    );
  const expected = new Set([...gbkRows, ...utf8Rows].map((r) => r.title));

  test.each([
    ["GBK first", () => Buffer.concat([exportOf(gbkRows, "gb18030"), exportOf(utf8Rows, "utf-8")])],
    ["UTF-8 first", () => Buffer.concat([exportOf(utf8Rows, "utf-8"), exportOf(gbkRows, "gb18030")])],
  ])("%s: every record is read right or is a located problem, never mojibake", async (_, bytes) => {
    const items = await collectItems(taobaoCsvReader.read(inputOf("joined.csv", bytes(), 61), {}));
    const titles = listings(items).map((l) => l.title);
    expect(titles.filter((t) => !expected.has(t))).toEqual([]);
    const undecodable = problems(items).filter((p) => p.code === "csv/undecodable");
    expect(titles.length + undecodable.length).toBe(80);
    expect(problems(items)).toEqual(undecodable);
    expect(undecodable.every((p) => typeof p.line === "number" && typeof p.row === "number")).toBe(true);
  });

  test("GBK first: the UTF-8 half is read as UTF-8, record by record", async () => {
    const items = await collectItems(
      taobaoCsvReader.read(
        inputOf("joined.csv", Buffer.concat([exportOf(gbkRows, "gb18030"), exportOf(utf8Rows, "utf-8")]), 61),
        {},
      ),
    );
    expect(problems(items)).toEqual([]);
    expect(listings(items).map((l) => l.title)).toEqual([...gbkRows, ...utf8Rows].map((r) => r.title));
  });

  test("JSONL: a GBK file with UTF-8 lines appended reads every line right", async () => {
    const gbk = iconv.encode(
      `${gbkRows.map((r) => JSON.stringify({ id: r.num_id, title: r.title })).join("\n")}\n`,
      "gb18030",
    );
    const utf8 = Buffer.from(
      `${utf8Rows.map((r) => JSON.stringify({ id: r.num_id, title: r.title })).join("\n")}\n`,
      "utf8",
    );
    const items = await readFiles({ "joined.jsonl": Buffer.concat([gbk, utf8]) });
    expect(problems(items)).toEqual([]);
    expect(listings(items).map((l) => l.title)).toEqual([...gbkRows, ...utf8Rows].map((r) => r.title));
  });
});

import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SourceItem } from "../src/model.js";
import type { RegionCatalogue } from "../src/model.js";
import { loadRegionCatalogue } from "../src/regions/load-regions.js";
import { htmlPageReader } from "../src/sources/html-page-reader.js";
import { readersWith, readSources, resolveInputs } from "../src/sources/index.js";
import { loadTemplateFiles } from "../src/templates/load-templates.js";
import { parseLocatedDocument } from "../src/util/yaml-document.js";

const regions: RegionCatalogue = await (async () => {
  const r = await loadRegionCatalogue();
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
})();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "listing-audit-readers-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readFiles(files: Record<string, string | Buffer>): Promise<SourceItem[]> {
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  const resolved = await resolveInputs(Object.keys(files), { cwd: dir, stdin: Readable.from([]), readers: readersWith(htmlPageReader) });
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.errors));
  const items: SourceItem[] = [];
  for await (const item of readSources(resolved.value)) items.push(item);
  return items;
}

const listings = (items: SourceItem[]) => items.flatMap((item) => (item.kind === "listing" ? [item.record.listing] : []));
const problems = (items: SourceItem[]) => items.flatMap((item) => (item.kind === "problem" ? [{ code: item.problem.code, ...item.problem.source }] : []));

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
    expect(!parsed.ok && parsed.errors[0]).toMatchObject({ file: "bomb.yaml", message: expect.stringContaining("aliases expand to more than") });
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
    const items = await readFiles({ "huge.html": `<!doctype html><html><body>${"<p>包邮</p>".repeat(3_500_000)}</body></html>` });
    expect(problems(items)).toEqual([{ code: "html/too-large", file: "huge.html" }]);
    expect(items[0]?.kind === "problem" && items[0].problem.message).toMatch(/larger than 32 MiB/);
  });

  test("a template file over 16 MiB stops the run with its name and the cap", async () => {
    await writeFile(path.join(dir, "huge-templates.yaml"), `# ${"x".repeat(17 * 1024 * 1024)}\ntemplates: []\n`);
    const loaded = await loadTemplateFiles(["huge-templates.yaml"], regions, dir);
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.errors).toEqual([{ file: "huge-templates.yaml", key: "", message: "cannot read: larger than 16 MiB, the most a template file may hold" }]);
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
    expect(resolved.value.listings.map((l) => l.input.name)).toEqual(["linked/a-real.json", "linked/b-link.json", "linked/f-folder/deep.json"]);
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
    expect(globbed.value.problems.map((p) => `${p.code} ${p.source.file}`)).toEqual(["input/broken-link linked/d-broken.json"]);
  });
});

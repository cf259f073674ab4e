import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SourceItem } from "../src/model.js";
import { readSources, resolveInputs } from "../src/sources/index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "listing-audit-readers-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readFiles(files: Record<string, string | Buffer>): Promise<SourceItem[]> {
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  const resolved = await resolveInputs(Object.keys(files), { cwd: dir, stdin: Readable.from([]) });
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

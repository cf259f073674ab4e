import { describe, expect, test } from "vitest";
import { createResultDecoder, createResultEncoder, type AuditedRecord } from "../src/audit-wire.js";
import type { Finding, FindingRegion } from "../src/model.js";

const shared: readonly FindingRegion[] = Object.freeze([
  Object.freeze({ code: "xinjiang", name: "新疆", fee: 20 }),
  Object.freeze({ code: "xizang", name: "西藏", fee: 20, quantity: 2 }),
]) as readonly FindingRegion[];
const own: FindingRegion[] = [{ code: "gansu", name: "甘肃", fee: 10, partial: true }];

function finding(regions: readonly FindingRegion[], listingId: string): Finding {
  return {
    ruleId: "shipping/free-claim-charged-region",
    severity: "error",
    listingId,
    message: "包邮与运费模板不符",
    source: { file: "a.csv", row: 1 },
    claim: null,
    relatedClaims: [],
    regions,
    templateId: "T1",
    fix: "改写",
    reference: "",
  } as unknown as Finding;
}

const batch = (...ids: string[]): AuditedRecord[] =>
  ids.map((id) => ({ findings: [finding(shared, id), finding(own, id), finding([], id)], problems: [] }));

describe("worker results on the wire", () => {
  test("a batch comes back as the results it was, shared lists frozen and the same object across batches", () => {
    const encode = createResultEncoder();
    const decode = createResultDecoder();
    const first = decode(encode(batch("1", "2")));
    const second = decode(encode(batch("3")));
    expect(first).toEqual(batch("1", "2"));
    expect(second).toEqual(batch("3"));
    const lists = [...(first ?? []), ...(second ?? [])].map((r) => r.findings[0]?.regions);
    expect(new Set(lists).size).toBe(1);
    expect(Object.isFrozen(lists[0])).toBe(true);
    expect(lists[0]?.every((region) => Object.isFrozen(region))).toBe(true);
    expect(Object.isFrozen(first?.[0]?.findings[1]?.regions)).toBe(false);
  });

  test("a shared list travels once per worker", () => {
    const encode = createResultEncoder();
    const names = (json: string) => json.split("新疆").length - 1;
    expect(names(encode(batch("1", "2")))).toBe(1);
    expect(names(encode(batch("3")))).toBe(0);
    // Another worker numbers its own lists.
    expect(names(createResultEncoder()(batch("4")))).toBe(1);
  });

  test("an answer that is no batch, or names a list its worker never sent, is refused", () => {
    const decode = createResultDecoder();
    expect(decode('[{"findings": [')).toBeUndefined();
    expect(decode("[]")).toBeUndefined();
    expect(decode("null")).toBeUndefined();
    const later = createResultEncoder();
    later(batch("1"));
    expect(decode(later(batch("2")))).toBeUndefined();
  });

  test("a batch that cannot be written sends none of its lists, so the next batch carries them", () => {
    const encode = createResultEncoder();
    const decode = createResultDecoder();
    const cyclic = batch("1");
    (cyclic[0] as unknown as { problems: unknown[] }).problems.push(cyclic);
    expect(() => encode(cyclic)).toThrow();
    expect(decode(encode(batch("2")))).toEqual(batch("2"));
  });
});

describe("the lists the main thread keeps", () => {
  const list = (code: string): readonly FindingRegion[] =>
    Object.freeze([Object.freeze({ code, name: code, fee: 10 })]) as readonly FindingRegion[];
  const naming = (regions: readonly FindingRegion[]): AuditedRecord[] => [
    { findings: [finding(regions, "1")], problems: [] },
  ];

  test("past its limit the worker numbers from 0 again, and lists travel again", () => {
    const encode = createResultEncoder(2);
    const decode = createResultDecoder();
    const [a, b, c] = [list("a"), list("b"), list("c")];
    const sent = [a, a, b, c, a].map((regions) => {
      const json = encode(naming(regions));
      expect(decode(json)?.[0]?.findings[0]?.regions).toEqual(regions);
      return json.includes(`"code":"${regions[0]?.code}"`);
    });
    // a is numbered, then named by its number; c starts a new numbering, in which a travels again.
    expect(sent).toEqual([true, false, true, true, true]);
  });

  test("a new numbering drops what the main thread held: an old number is refused, never read as another list", () => {
    const decode = createResultDecoder();
    const regions = [{ code: "a", name: "a", fee: 10 }];
    const wire = (numbering: number, lists: unknown[], id: number) =>
      JSON.stringify({
        numbering,
        lists,
        results: [{ findings: [{ ...finding([], "1"), regions: id }], problems: [] }],
      });
    expect(decode(wire(0, [[0, regions]], 0))).toBeDefined();
    expect(decode(wire(0, [], 0))).toBeDefined();
    // The batch that started numbering 1 (and sent its list 0) was lost: list 0 of numbering 0 is not used.
    expect(decode(wire(1, [], 0))).toBeUndefined();
    expect(decode(wire(1, [[0, regions]], 0))).toBeDefined();
  });
});

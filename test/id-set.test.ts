import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createIdSet } from "../src/util/id-set.js";

describe("createIdSet", () => {
  // Each row: ids added first, then ids that must be present and ids that must not.
  const cases: { name: string; added: string[]; present: string[]; absent: string[] }[] = [
    {
      name: "numeric ids are exact",
      added: ["600012345678", "1"],
      present: ["600012345678", "1"],
      absent: ["600012345679", "2", "60001234567"],
    },
    {
      name: "zero is a number, leading zeros are not",
      added: ["0", "0123"],
      present: ["0", "0123"],
      absent: ["123", "00", "00123"],
    },
    {
      name: "a number and its leading-zero spelling are different ids",
      added: ["123"],
      present: ["123"],
      absent: ["0123", "123.0", "+123", " 123"],
    },
    {
      name: "15 digits are exact, 16 are hashed",
      added: ["999999999999999", "1234567890123456"],
      present: ["999999999999999", "1234567890123456"],
      absent: ["999999999999998", "1234567890123457", "123456789012345"],
    },
    {
      name: "beyond 2^53 neighbours stay distinct",
      added: ["9007199254740993"],
      present: ["9007199254740993"],
      absent: ["9007199254740992", "9007199254740994"],
    },
    {
      name: "non-numeric ids",
      added: ["sku-1001", "A1"],
      present: ["sku-1001", "A1"],
      absent: ["sku-1002", "a1", "1001"],
    },
    { name: "the empty string", added: [""], present: [""], absent: ["0", " "] },
    { name: "unicode", added: ["保温杯-红", "🎁1"], present: ["保温杯-红", "🎁1"], absent: ["保温杯-蓝", "🎁2", "1"] },
    {
      name: "renamed duplicates",
      added: ["1001", "1001#2"],
      present: ["1001", "1001#2"],
      absent: ["1001#3", "1001#", "#2", "10012"],
    },
    { name: "adding twice is harmless", added: ["7", "7", "x", "x"], present: ["7", "x"], absent: ["77"] },
  ];

  it.each(cases)("$name", ({ added, present, absent }) => {
    const ids = createIdSet();
    for (const id of added) ids.add(id);
    for (const id of present) expect(ids.has(id), id).toBe(true);
    for (const id of absent) expect(ids.has(id), id).toBe(false);
    expect(ids.size).toBe(new Set(added).size);
  });

  it("keeps every id through many doublings of both tables", () => {
    const ids = createIdSet();
    const all: string[] = [];
    for (let i = 0; i < 100_000; i++) all.push(String(100_000_000 + i * 7), `sku-${i}`);
    for (const id of all) {
      if (ids.has(id)) throw new Error(`reported present before it was added: ${id}`);
      ids.add(id);
    }
    expect(ids.size).toBe(200_000);
    expect(all.every((id) => ids.has(id))).toBe(true);
    expect(ids.has("sku-100000")).toBe(false);
    expect(ids.has("100000001")).toBe(false);
  });

  it("agrees with a Set<string>", () => {
    const id = fc.oneof(
      fc.nat({ max: 2000 }).map(String),
      fc.stringMatching(/^[0-9]{1,17}$/),
      fc.string({ maxLength: 6 }),
      fc.string({ unit: "grapheme", maxLength: 4 }),
      fc.tuple(fc.nat({ max: 50 }), fc.nat({ max: 4 })).map(([n, k]) => `${n}#${k}`),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), id), { maxLength: 300 }), (operations) => {
        const ids = createIdSet();
        const reference = new Set<string>();
        for (const [add, value] of operations) {
          expect(ids.has(value)).toBe(reference.has(value));
          if (add) {
            ids.add(value);
            reference.add(value);
          }
        }
        expect(ids.size).toBe(reference.size);
      }),
    );
  });
});

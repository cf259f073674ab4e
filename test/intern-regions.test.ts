import { describe, expect, test } from "vitest";
import type { FindingRegion } from "../src/model.js";
import { internRegions } from "../src/rules/report-helpers.js";

const entry = (code: string, fee: number | null = 10): FindingRegion => Object.freeze({ code, name: code, fee });

describe("interned region lists", () => {
  const xinjiang = entry("650000");
  const xizang = entry("540000");

  test("lists of the same entries in the same order are one frozen list", () => {
    const first = internRegions([xinjiang, xizang]);
    expect(internRegions([xinjiang, xizang])).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(internRegions([xizang, xinjiang])).not.toBe(first);
  });

  test("past the trie's bound (lists few listings share) a list is still its entries, and one list again", () => {
    const before = internRegions([xinjiang, xizang]);
    // Each list of a fresh entry is a node of its own: 30,000 of them pass the bound and restart the trie.
    for (let i = 0; i < 30_000; i++) internRegions([entry(`p${i}`)]);
    const after = internRegions([xinjiang, xizang]);
    // The trie restarted, so the caches keyed by the old list can go with it.
    expect(after).not.toBe(before);
    expect(after).toEqual(before);
    expect(Object.isFrozen(after)).toBe(true);
    expect(internRegions([xinjiang, xizang])).toBe(after);
  });
});

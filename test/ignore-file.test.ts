import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadIgnoreRules, trimUnescapedSpace } from "../src/config/ignore-file.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "listing-audit-ignore-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe(".listingauditignore lines", () => {
  test.each([
    ["drafts/   ", "drafts/"],
    ["a\\ ", "a\\ "],
    ["a\\   \t", "a\\ "],
    ["a b\u3000", "a b"],
    ["   ", ""],
    ["", ""],
  ])("trailing white space of %j is dropped unless escaped: %j", (line, trimmed) => {
    expect(trimUnescapedSpace(line)).toBe(trimmed);
  });

  test("the loop agrees with gitignore's reading (/(?<!\\\\)\\s+$/) on mixed lines", () => {
    const alphabet = ["a", " ", "\\", "\t", "/"];
    for (let n = 0; n < 2000; n++) {
      let line = "";
      for (let k = n % 9, seed = n; k > 0; k--, seed = Math.floor(seed / 5)) line += alphabet[(seed + k) % 5];
      expect(trimUnescapedSpace(line)).toBe(line.replace(/(?<!\\)\s+$/, ""));
    }
  });

  // A hang guard, not a speed test: the regex took 78 s on a 400 KB line of spaces.
  test("a 400 KB line of spaces, and one of slashes, are read at once", { timeout: 20_000 }, async () => {
    const file = path.join(dir, ".listingauditignore");
    await writeFile(file, `${" ".repeat(400_000)}x\n${`a${" ".repeat(400_000)}`}\n${"/".repeat(400_000)}x/\nkeep/\n`);
    const rules = await loadIgnoreRules([dir], dir);
    expect(rules.files).toEqual([file]);
    expect(rules.ignores(path.join(dir, "keep", "a.json"))).toBe(true);
    expect(rules.ignores(path.join(dir, "a"))).toBe(true);
    expect(rules.ignores(path.join(dir, "other.json"))).toBe(false);
  });

  test("an ignore file over 4 MiB is an error naming the cap, not patterns read in part", async () => {
    const big = await mkdtemp(path.join(tmpdir(), "listing-audit-ignore-big-"));
    try {
      await writeFile(path.join(big, ".listingauditignore"), `${"# padding\n".repeat(500_000)}drafts/\n`);
      const rules = await loadIgnoreRules([big], big);
      expect(rules.files).toEqual([]);
      expect(rules.errors).toEqual([
        { file: ".listingauditignore", key: "", message: "larger than 4 MiB, the most an ignore file may hold" },
      ]);
    } finally {
      await rm(big, { recursive: true, force: true });
    }
  });
});

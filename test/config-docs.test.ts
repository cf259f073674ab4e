import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfiguredLexicon } from "../src/audit.js";
import { loadConfiguredRegions, loadIgnoreRules, parseConfig } from "../src/config/index.js";
import { formatLocatedError } from "../src/util/result.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const DOC = await readFile(path.join(ROOT, "docs/config.md"), "utf8");

/** The fenced blocks of one language in docs/config.md, with the line each starts on. */
function blocks(lang: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  const fence = new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, "gm");
  for (const match of DOC.matchAll(fence)) out.push([DOC.slice(0, match.index).split("\n").length, match[1]!]);
  return out;
}

describe("docs/config.md", () => {
  const configs = [...blocks("yaml"), ...blocks("json")];

  it("has examples", () => {
    expect(configs.length).toBeGreaterThanOrEqual(7);
  });

  it.each(configs)("the example at line %i is a valid config", async (_line, text) => {
    const parsed = parseConfig(text, "example", path.join(ROOT, "listing-audit.config.yaml"));
    expect(parsed.ok ? [] : parsed.errors.map(formatLocatedError)).toEqual([]);
    if (!parsed.ok) return;
    const regions = await loadConfiguredRegions(parsed.value);
    const lexicon = await loadConfiguredLexicon(parsed.value);
    expect(
      [...(regions.ok ? [] : regions.errors), ...(lexicon.ok ? [] : lexicon.errors)].map(formatLocatedError),
    ).toEqual([]);
  });

  it("the .listingauditignore example means what the text says", async () => {
    const [[, text] = [0, ""]] = blocks("gitignore");
    const dir = await mkdtemp(path.join(tmpdir(), "listing-audit-docs-"));
    try {
      await mkdir(path.join(dir, "sub"), { recursive: true });
      await writeFile(path.join(dir, ".listingauditignore"), text);
      const rules = await loadIgnoreRules([dir], dir);
      const ignored = (file: string) => rules.ignores(path.join(dir, file));
      expect(["notes.txt", "sub/notes.txt", "exports/old-1.csv", "drafts/a.json"].filter(ignored)).toHaveLength(4);
      expect(["sub/exports/old-1.csv", "drafts/keep.json", "listings.json", "exports/new.csv"].filter(ignored)).toEqual(
        [],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("every preset and every key of the config schema is documented", async () => {
    const { configSchema, listPresetNames } = await import("../src/config/index.js");
    for (const key of Object.keys(configSchema.shape)) expect(DOC).toContain(`| \`${key}\``);
    for (const name of listPresetNames()) expect(DOC).toContain(`| \`${name}\``);
  });
});

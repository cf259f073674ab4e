import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfiguredLexicon } from "../src/audit.js";
import { loadConfiguredRegions, parseConfig } from "../src/config/index.js";
import { loadRegionCatalogue } from "../src/regions/load-regions.js";
import { parseTemplates } from "../src/templates/index.js";
import { formatLocatedError } from "../src/util/result.js";
import { runCli } from "./cli-io.js";

/** The README's examples are run here, so the front page cannot drift from the tool. */
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const README = await readFile(path.join(ROOT, "README.md"), "utf8");

function fencedBlocks(lang: string): string[] {
  const fence = new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, "gm");
  return [...README.matchAll(fence)].map((m) => m[1] ?? "");
}

function blockContaining(lang: string, marker: string): string {
  const block = fencedBlocks(lang).find((b) => b.includes(marker));
  if (block === undefined) throw new Error(`README has no ${lang} block containing ${marker}`);
  return block;
}

/** `listing-audit a b  # comment` → ["a", "b"]. */
function argsOf(line: string): string[] {
  return line.replace(/#.*$/, "").trim().split(/\s+/).slice(1);
}

describe("README", () => {
  it("quick start audits the samples with the command the end-to-end test pins", () => {
    expect(README).toContain(
      "npm ci && node bin/listing-audit.js samples/listings.json samples/taobao-export.csv -t samples/templates",
    );
    expect(README).toContain("npm test");
  });

  it("the configuration example is a valid config", async () => {
    const text = blockContaining("yaml", "extends:");
    const parsed = parseConfig(text, "README.md", path.join(ROOT, "listing-audit.config.yaml"));
    expect(parsed.ok ? [] : parsed.errors.map(formatLocatedError)).toEqual([]);
    if (!parsed.ok) return;
    const regions = await loadConfiguredRegions(parsed.value);
    const lexicon = await loadConfiguredLexicon(parsed.value);
    expect(
      [...(regions.ok ? [] : regions.errors), ...(lexicon.ok ? [] : lexicon.errors)].map(formatLocatedError),
    ).toEqual([]);
  });

  it("the template example is a valid template file", async () => {
    const regions = await loadRegionCatalogue();
    if (!regions.ok) throw new Error("regions");
    const parsed = parseTemplates(blockContaining("yaml", "templates:"), "README.md", regions.value);
    expect(parsed.ok ? [] : parsed.errors.map(formatLocatedError)).toEqual([]);
    expect(parsed.ok && parsed.value.templates.map((t) => t.id)).toEqual(["T1"]);
  });

  describe("the baseline workflow", () => {
    let dir = "";
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), "listing-audit-readme-"));
      await mkdir(path.join(dir, "exports"));
      await cp(path.join(ROOT, "samples", "listings.json"), path.join(dir, "exports", "listings.json"));
      await cp(path.join(ROOT, "samples", "templates"), path.join(dir, "exports", "templates"), { recursive: true });
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("runs as written: record once, then only new findings fail", async () => {
      const lines = blockContaining("sh", "--update-baseline")
        .split("\n")
        .filter((l) => l.startsWith("listing-audit "));
      expect(lines).toHaveLength(3);
      const [record, weekly, compare] = lines.map(argsOf) as [string[], string[], string[]];

      expect((await runCli(record, { cwd: dir })).code).toBe(0);
      expect((await runCli(weekly, { cwd: dir })).code).toBe(0);

      const previous = await runCli([...weekly, "-f", "json"], { cwd: dir });
      await writeFile(path.join(dir, "last-week.json"), previous.stdout);
      const compared = await runCli(compare, { cwd: dir });
      const report = JSON.parse(compared.stdout) as { comparison: { counts: Record<string, number> } };
      expect(report.comparison.counts).toMatchObject({ new: 0, fixed: 0 });
    });

    it("writes several formats at once, as the usage example shows", async () => {
      const line = blockContaining("sh", "sarif=")
        .split("\n")
        .find((l) => l.includes("sarif="));
      const result = await runCli(argsOf(line ?? ""), { cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("invoice/refusal");
      const sarif = JSON.parse(await readFile(path.join(dir, "audit.sarif"), "utf8")) as { version: string };
      expect(sarif.version).toBe("2.1.0");
      expect(await readFile(path.join(dir, "audit.html"), "utf8")).toMatch(/^<!DOCTYPE html>/i);
    });
  });
});

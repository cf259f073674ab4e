import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { runCli } from "./cli-io.js";

/** The catalogue of bad inputs (test/bad-inputs/expected.yaml) and what the CLI must say about each. */
const DIR = fileURLToPath(new URL("./bad-inputs/", import.meta.url));

const entrySchema = z.strictObject({
  mode: z.string(),
  input: z.string(),
  args: z.array(z.string()),
  exit: z.union([z.literal(0), z.literal(2)]),
  listings: z.number().int().optional(),
  problems: z
    .array(
      z.strictObject({
        code: z.string(),
        source: z.record(z.string(), z.union([z.string(), z.number()])),
        listingId: z.string().optional(),
        message: z.string().optional(),
        messagePattern: z.string().optional(),
      }),
    )
    .optional(),
  stderr: z.array(z.string()).optional(),
});
const catalogue = z.array(entrySchema).parse(parse(readFileSync(`${DIR}expected.yaml`, "utf8")));

const reportSchema = z.object({
  summary: z.object({ listings: z.number() }),
  problems: z.array(
    z.object({
      code: z.string(),
      message: z.string(),
      source: z.record(z.string(), z.unknown()),
      listingId: z.string().optional(),
    }),
  ),
});

describe("bad-input catalogue", () => {
  it("has an entry for every file in test/bad-inputs and a file for every entry", () => {
    const named = new Set(
      catalogue.flatMap((e) => [e.input, ...e.args.filter((a) => /\.(json|jsonl|ya?ml|csv|xlsx?|html)$/.test(a))]),
    );
    const files = readdirSync(DIR).filter((f) => f !== "expected.yaml" && f !== "listing-audit.config.yaml");
    expect(files.filter((f) => !named.has(f))).toEqual([]);
    expect([...named].filter((f) => !files.includes(f))).toEqual([]);
  });

  it.each(catalogue.map((e) => [e.mode, e] as const))("%s", async (_, entry) => {
    const r = await runCli(
      [entry.input, ...entry.args, "-f", "json", "--fail-on", "never", "--quiet", "--lang", "en"],
      { cwd: DIR },
    );
    expect({ exit: r.code, stderr: r.stderr.split("\n").filter((l) => l !== "") }).toEqual({
      exit: entry.exit,
      stderr: entry.stderr ?? [],
    });
    if (entry.problems === undefined) {
      expect(r.stdout).toBe("");
      return;
    }
    const report = reportSchema.parse(JSON.parse(r.stdout));
    expect(report.summary.listings).toBe(entry.listings);
    expect(report.problems).toHaveLength(entry.problems.length);
    entry.problems.forEach((expected, i) => {
      const actual = report.problems[i];
      expect({ code: actual?.code, source: actual?.source, listingId: actual?.listingId }).toEqual({
        code: expected.code,
        source: expected.source,
        listingId: expected.listingId,
      });
      if (expected.messagePattern !== undefined) expect(actual?.message).toMatch(new RegExp(expected.messagePattern));
      else expect(actual?.message).toBe(expected.message);
    });
  });
});

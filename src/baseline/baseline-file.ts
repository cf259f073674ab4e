import { readFile, writeFile } from "node:fs/promises";
import { z } from "zod";
import type { Result } from "../util/result.js";
import { parseLocatedDocument, validateDocument } from "../util/yaml-document.js";
import { sortEntries, type Baseline } from "./baseline.js";

/** Marks the file as ours, so a JSON report passed to --baseline by mistake is refused with a located error. */
const FORMAT_NAME = "listing-auditor-baseline";

const baselineFileSchema = z.strictObject({
  format: z.literal(FORMAT_NAME),
  version: z.literal(1),
  entries: z.array(
    z.strictObject({
      fingerprint: z.string().regex(/^[0-9a-f]{32}$/, "expected 32 lower-case hex digits"),
      ruleId: z.string(),
      listingId: z.string(),
      claim: z.string().nullable(),
      regions: z.array(z.string()),
    }),
  ),
});

/** The file text for a baseline: versioned, sorted, one entry per known finding, stable across runs. */
export function formatBaseline(baseline: Baseline): string {
  const file = { format: FORMAT_NAME, version: baseline.version, entries: sortEntries(baseline.entries) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Parses and validates baseline file text; every mistake comes back with file, line and key. */
export function parseBaseline(text: string, file: string): Result<Baseline> {
  const doc = parseLocatedDocument(text, file);
  if (!doc.ok) return doc;
  const valid = validateDocument(doc.value, baselineFileSchema);
  if (!valid.ok) return valid;
  return { ok: true, value: { version: valid.value.version, entries: sortEntries(valid.value.entries) } };
}

/** Reads a baseline file; an unreadable file is a located error too. */
export async function readBaselineFile(path: string): Promise<Result<Baseline>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    return { ok: false, errors: [{ file: path, key: "", message: (error as Error).message }] };
  }
  return parseBaseline(text, path);
}

/** Writes a baseline file (`--update-baseline`). */
export async function writeBaselineFile(path: string, baseline: Baseline): Promise<void> {
  await writeFile(path, formatBaseline(baseline), "utf8");
}

import { z } from "zod";
import type { Lang } from "../model.js";
import { formatKeyPath, type Result } from "../util/result.js";
import { writeFileAtomic } from "../util/atomic-file.js";
import { sortEntries, type Baseline, type BaselineEntry, type KnownFindings } from "./baseline.js";
import { createFingerprintCounts } from "./fingerprint-counts.js";
import { splitJsonFile, splitJsonText } from "./json-members.js";
import { baselineMessages } from "./messages.js";
import { readPieces, type PieceReader } from "./read-pieces.js";

/** Marks the file as ours, so a JSON report passed to --baseline by mistake is refused with a clear error. */
const FORMAT_NAME = "listing-auditor-baseline";
const MEMBERS = { values: ["format", "version"], arrays: ["entries"] } as const;

const entrySchema = z.strictObject({
  fingerprint: z.string().regex(/^[0-9a-f]{32}$/, "expected 32 lower-case hex digits"),
  ruleId: z.string(),
  listingId: z.string(),
  claim: z.string().nullable(),
  regions: z.array(z.string()),
});

/** The file text for a baseline: versioned, sorted, one entry per known finding, stable across runs. */
export function formatBaseline(baseline: Baseline): string {
  const file = { format: FORMAT_NAME, version: baseline.version, entries: sortEntries(baseline.entries) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Parses and validates baseline file text; every mistake comes back with file, line and key. */
export function parseBaseline(text: string, file: string, lang: Lang = "en"): Result<Baseline> {
  const entries: BaselineEntry[] = [];
  const reader = baselineReader(file, lang, (entry) => void entries.push(entry));
  splitJsonText(text.replace(/^\uFEFF/, ""), MEMBERS, reader.onEvent);
  const done = reader.finish();
  return done.ok ? { ok: true, value: { version: 1, entries: sortEntries(entries) } } : done;
}

/** Reads a baseline file whole; an unreadable file is a located error too. */
export async function readBaselineFile(path: string, lang: Lang = "en"): Promise<Result<Baseline>> {
  const entries: BaselineEntry[] = [];
  const read = await readBaselineStream(path, path, lang, (entry) => void entries.push(entry));
  return read.ok ? { ok: true, value: { version: 1, entries: sortEntries(entries) } } : read;
}

/**
 * Reads only the fingerprints of a baseline file, streaming: a baseline of a million findings costs some
 * 35 MB, never the file's size in parsed objects. Errors name the file `name`.
 */
export async function readKnownFindings(path: string, lang: Lang = "en", name = path): Promise<Result<KnownFindings>> {
  const counts = createFingerprintCounts();
  const read = await readBaselineStream(path, name, lang, (entry) => counts.add(entry.fingerprint));
  if (!read.ok) return read;
  return { ok: true, value: { has: (fingerprint) => counts.count(fingerprint) > 0, size: counts.size } };
}

/** Writes a baseline file (`--update-baseline`) atomically: a reader sees the old file or the new one. */
export async function writeBaselineFile(path: string, baseline: Baseline): Promise<void> {
  await writeFileAtomic(path, formatBaseline(baseline));
}

async function readBaselineStream(
  path: string,
  name: string,
  lang: Lang,
  onEntry: (entry: BaselineEntry) => void,
): Promise<Result<void>> {
  const reader = baselineReader(name, lang, onEntry);
  try {
    await splitJsonFile(path, MEMBERS, reader.onEvent);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { ok: false, errors: [{ file: name, key: "", message: baselineMessages(lang).cannotRead(code) }] };
  }
  return reader.finish();
}

/** Checks a baseline's members as they stream by; entries go to `onEntry` once the header is known good. */
function baselineReader(file: string, lang: Lang, onEntry: (entry: BaselineEntry) => void): PieceReader {
  const m = baselineMessages(lang);
  let format: unknown;
  let sawEntries = false;
  return readPieces(file, lang, {
    onMember(event, error) {
      if (event.key === "format") {
        format = parseScalar(event.text);
        // A report has "tool" first, so its format decides what it is before any entry is read.
        if (format !== FORMAT_NAME) return "stop";
      } else if (event.key === "version") {
        const version = parseScalar(event.text);
        if (version !== 1) error({ line: event.line, key: "version", message: m.badVersion(event.text ?? "") });
      } else if (event.key === "entries") {
        sawEntries = true;
        if (event.text !== undefined) error({ line: event.line, key: "entries", message: m.notArray });
      } else error({ line: event.line, key: event.key, message: m.unknownKey(event.key) });
      return "go on";
    },
    onElement(event, value, error) {
      const valid = entrySchema.safeParse(value);
      if (valid.success) onEntry(valid.data);
      else
        for (const issue of valid.error.issues)
          error({
            line: event.line,
            key: formatKeyPath(["entries", event.index, ...issue.path]),
            message: issue.message,
          });
    },
    finish(error, broken) {
      if (format === 1) return [{ key: "", message: m.reportAsBaseline }];
      if (broken) return [];
      if (format !== FORMAT_NAME) return [{ key: "", message: m.notBaseline }];
      if (!sawEntries) error({ key: "entries", message: m.missingKey("entries") });
      return [];
    },
  });
}

function parseScalar(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

import { z } from "zod";
import type { Finding, Lang } from "../model.js";
import { formatKeyPath, type Result } from "../util/result.js";
import type { BaselineInput } from "./baseline.js";
import { createFingerprintCounts, type FingerprintCounts } from "./fingerprint-counts.js";
import { fingerprintById, fingerprintFinding, type FingerprintParts } from "./fingerprint.js";
import { splitJsonFile, splitJsonText } from "./json-members.js";
import { baselineMessages } from "./messages.js";
import { readPieces, type PieceReader } from "./read-pieces.js";

/**
 * The parts of a finding in a previous JSON report (docs/report-format.md) that comparison needs; other keys are
 * kept as they are. `fingerprint` is used when the report carries one, so listings identified only by
 * their record number still match after rows move.
 */
const previousFindingSchema = z.looseObject({
  ruleId: z.string(),
  severity: z.enum(["error", "warning", "info"]),
  listingId: z.string(),
  message: z.string(),
  claim: z.looseObject({ text: z.string() }).nullable(),
  regions: z.array(z.looseObject({ code: z.string() })),
  fingerprint: z.string().optional(),
});

/** A finding as read back from a previous JSON report. */
export type PreviousFinding = z.output<typeof previousFindingSchema>;

/**
 * A previous `--format json` report, validated, held as match keys only — about 35 bytes a finding, so
 * the report of a million listings compares in flat memory. Its findings are read again (streaming)
 * only to name the fixed ones.
 */
export interface PreviousReport {
  /** Findings in the report. */
  readonly findings: number;
  /** Fingerprints of the findings that carry one. */
  readonly byFingerprint: FingerprintCounts;
  /** Id-based fingerprints (fingerprintById) of the findings that carry none (reports of older versions). */
  readonly byId: FingerprintCounts;
  /** Hands every finding to `onFinding` again, in file order. */
  eachFinding(onFinding: (finding: PreviousFinding) => void): Promise<Result<void>>;
}

/** `--compare`: what changed since the previous report. Each list keeps report order. */
export interface Comparison {
  new: Finding[];
  fixed: PreviousFinding[];
  unchanged: Finding[];
}

const MEMBERS = { values: ["format"], arrays: ["findings"] } as const;
type Source = { text: string } | { path: string };

/** Parses and validates a previous JSON report; mistakes come back with file, line and key. */
export function parsePreviousReport(text: string, file: string, lang: Lang = "en"): Result<PreviousReport> {
  const source = { text: text.replace(/^\uFEFF/, "") };
  const keys = matchKeys();
  const reader = reportReader(file, lang, keys.add);
  splitJsonText(source.text, MEMBERS, reader.onEvent);
  const done = reader.finish();
  return done.ok ? { ok: true, value: keys.report(source, file, lang) } : done;
}

/** Reads a previous JSON report, streaming; an unreadable file is a located error too. Errors name the file `name`. */
export async function readPreviousReport(
  path: string,
  lang: Lang = "en",
  name = path,
): Promise<Result<PreviousReport>> {
  const keys = matchKeys();
  const read = await readReport({ path }, name, lang, keys.add);
  return read.ok ? { ok: true, value: keys.report({ path }, name, lang) } : read;
}

/** Matches current findings against a previous report one at a time, as a run produces them. */
export interface ReportMatcher {
  /** Whether the previous report had this finding; each previous finding matches one current finding. */
  match(finding: FingerprintParts & { listingId: string }, fingerprint: string): boolean;
  /** The previous findings nothing matched: the first `limit` of them in report order, and how many in all. */
  fixed(limit: number): Promise<Result<{ listed: PreviousFinding[]; total: number }>>;
}

export function createReportMatcher(previous: PreviousReport): ReportMatcher {
  const matchedByFingerprint = createFingerprintCounts();
  const matchedById = createFingerprintCounts();
  return {
    match(finding, fingerprint) {
      if (previous.byFingerprint.count(fingerprint) > matchedByFingerprint.count(fingerprint)) {
        matchedByFingerprint.add(fingerprint);
        return true;
      }
      const byId = fingerprintById(finding);
      if (previous.byId.count(byId) > matchedById.count(byId)) {
        matchedById.add(byId);
        return true;
      }
      return false;
    },
    async fixed(limit) {
      // The first n findings with a key are the ones its n matches took; the rest are fixed.
      const seenByFingerprint = createFingerprintCounts();
      const seenById = createFingerprintCounts();
      const listed: PreviousFinding[] = [];
      let total = 0;
      const read = await previous.eachFinding((old) => {
        const [key, matched, seen] =
          old.fingerprint === undefined
            ? [fingerprintById(old), matchedById, seenById]
            : [old.fingerprint, matchedByFingerprint, seenByFingerprint];
        const taken = matched.count(key);
        if (taken > 0) {
          seen.add(key);
          if (seen.count(key) <= taken) return;
        }
        total++;
        if (listed.length < limit) listed.push(old);
      });
      return read.ok ? { ok: true, value: { listed, total } } : read;
    },
  };
}

/**
 * Splits the current findings into new and unchanged, and lists the previous findings that are gone as
 * fixed. Findings match by fingerprint, one to one (two identical findings need two matches).
 */
export async function compareReports(previous: PreviousReport, current: Iterable<BaselineInput>): Promise<Comparison> {
  const matcher = createReportMatcher(previous);
  const comparison: Comparison = { new: [], fixed: [], unchanged: [] };
  for (const { record, findings } of current) {
    for (const finding of findings)
      (matcher.match(finding, fingerprintFinding(finding, record)) ? comparison.unchanged : comparison.new).push(
        finding,
      );
  }
  const fixed = await matcher.fixed(Number.POSITIVE_INFINITY);
  if (!fixed.ok) throw new Error(fixed.errors.map((e) => e.message).join("; "));
  comparison.fixed = fixed.value.listed;
  return comparison;
}

function matchKeys() {
  const byFingerprint = createFingerprintCounts();
  const byId = createFingerprintCounts();
  let findings = 0;
  return {
    add(finding: PreviousFinding): void {
      findings++;
      if (finding.fingerprint === undefined) byId.add(fingerprintById(finding));
      else byFingerprint.add(finding.fingerprint);
    },
    report(source: Source, file: string, lang: Lang): PreviousReport {
      return { findings, byFingerprint, byId, eachFinding: (onFinding) => readReport(source, file, lang, onFinding) };
    },
  };
}

async function readReport(
  source: Source,
  file: string,
  lang: Lang,
  onFinding: (finding: PreviousFinding) => void,
): Promise<Result<void>> {
  const reader = reportReader(file, lang, onFinding);
  if ("text" in source) {
    splitJsonText(source.text, MEMBERS, reader.onEvent);
    return reader.finish();
  }
  try {
    await splitJsonFile(source.path, MEMBERS, reader.onEvent);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { ok: false, errors: [{ file, key: "", message: baselineMessages(lang).cannotRead(code) }] };
  }
  return reader.finish();
}

/** Checks a report's members as they stream by; other members (problems, summary) are skipped unread. */
function reportReader(file: string, lang: Lang, onFinding: (finding: PreviousFinding) => void): PieceReader {
  const m = baselineMessages(lang);
  let format: unknown;
  let sawFindings = false;
  return readPieces(file, lang, {
    onMember(event, error) {
      if (event.key === "format") {
        try {
          format = event.text === undefined ? undefined : JSON.parse(event.text);
        } catch {
          format = undefined;
        }
        if (format !== 1) return "stop";
      } else if (event.key === "findings") {
        sawFindings = true;
        if (event.text !== undefined) error({ line: event.line, key: "findings", message: m.notArray });
      }
      return "go on";
    },
    onElement(event, value, error) {
      const valid = previousFindingSchema.safeParse(value);
      if (valid.success) onFinding(valid.data);
      else
        for (const issue of valid.error.issues)
          error({
            line: event.line,
            key: formatKeyPath(["findings", event.index, ...issue.path]),
            message: issue.message,
          });
    },
    finish(_error, broken) {
      if (format === "listing-auditor-baseline") return [{ key: "", message: m.baselineAsReport }];
      if (broken) return [];
      if (format !== 1 || !sawFindings) return [{ key: "", message: m.notReport }];
      return [];
    },
  });
}

import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { Finding } from "../model.js";
import type { Result } from "../util/result.js";
import { parseLocatedDocument, validateDocument } from "../util/yaml-document.js";
import type { BaselineInput } from "./baseline.js";
import { fingerprintById, fingerprintFinding } from "./fingerprint.js";

/**
 * The parts of a finding in a previous JSON report (contract §5) that comparison needs; other keys are
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

const previousReportSchema = z.looseObject({
  format: z.literal(1),
  findings: z.array(previousFindingSchema),
});

/** A finding as read back from a previous JSON report. */
export type PreviousFinding = z.output<typeof previousFindingSchema>;

/** A previous `--format json` report, validated. */
export interface PreviousReport {
  findings: PreviousFinding[];
}

/** `--compare`: what changed since the previous report. Each list keeps report order. */
export interface Comparison {
  new: Finding[];
  fixed: PreviousFinding[];
  unchanged: Finding[];
}

/** Parses and validates a previous JSON report; mistakes come back with file, line and key. */
export function parsePreviousReport(text: string, file: string): Result<PreviousReport> {
  const doc = parseLocatedDocument(text, file);
  if (!doc.ok) return doc;
  const valid = validateDocument(doc.value, previousReportSchema);
  if (!valid.ok) return valid;
  return { ok: true, value: { findings: valid.value.findings } };
}

/** Reads a previous JSON report; an unreadable file is a located error too. */
export async function readPreviousReport(path: string): Promise<Result<PreviousReport>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    return { ok: false, errors: [{ file: path, key: "", message: (error as Error).message }] };
  }
  return parsePreviousReport(text, path);
}

/**
 * Splits the current findings into new and unchanged, and lists the previous findings that are gone as
 * fixed. Findings match by fingerprint, one to one (two identical findings need two matches).
 */
export function compareReports(previous: PreviousReport, current: Iterable<BaselineInput>): Comparison {
  const byFingerprint = new Map<string, number[]>();
  const byId = new Map<string, number[]>();
  const findings: Finding[] = [];
  for (const { record, findings: listingFindings } of current) {
    for (const finding of listingFindings) {
      const index = findings.push(finding) - 1;
      pushTo(byFingerprint, fingerprintFinding(finding, record), index);
      pushTo(byId, fingerprintById(finding), index);
    }
  }
  const matched = new Set<number>();
  const fixed: PreviousFinding[] = [];
  for (const old of previous.findings) {
    const candidates = old.fingerprint === undefined ? byId.get(fingerprintById(old)) : byFingerprint.get(old.fingerprint);
    const match = candidates?.find((i) => !matched.has(i));
    if (match === undefined) fixed.push(old);
    else matched.add(match);
  }
  return {
    new: findings.filter((_, i) => !matched.has(i)),
    fixed,
    unchanged: findings.filter((_, i) => matched.has(i)),
  };
}

function pushTo(map: Map<string, number[]>, key: string, index: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [index]);
  else list.push(index);
}

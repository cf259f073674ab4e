import type { Finding, ListingResult } from "../model.js";
import { fingerprintFinding } from "./fingerprint.js";

/** One known finding. Only `fingerprint` matters for matching; the rest lets a reviewer read the file. */
export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  listingId: string;
  claim: string | null;
  regions: string[];
}

/** The findings a shop has accepted for now (`--baseline`), sorted by listing, rule and fingerprint. */
export interface Baseline {
  version: 1;
  entries: BaselineEntry[];
}

/** The fingerprints of a baseline, all a run needs of it (`readKnownFindings` reads only these). */
export interface KnownFindings {
  has(fingerprint: string): boolean;
  readonly size: number;
}

/** The parts of a listing result a baseline needs. */
export type BaselineInput = Pick<ListingResult, "record" | "findings">;

/** A baseline of every finding in `results` (`--update-baseline`). */
export function createBaseline(results: Iterable<BaselineInput>): Baseline {
  const byFingerprint = new Map<string, BaselineEntry>();
  for (const { record, findings } of results) {
    for (const finding of findings) {
      const fingerprint = fingerprintFinding(finding, record);
      byFingerprint.set(fingerprint, {
        fingerprint,
        ruleId: finding.ruleId,
        listingId: finding.listingId,
        claim: finding.claim?.text ?? null,
        regions: finding.regions.map((r) => r.code).sort(),
      });
    }
  }
  return { version: 1, entries: sortEntries([...byFingerprint.values()]) };
}

/** Entries in file order: listing id, rule id, fingerprint. Returns a new array. */
export function sortEntries(entries: readonly BaselineEntry[]): BaselineEntry[] {
  return [...entries].sort(
    (a, b) =>
      compareText(a.listingId, b.listingId) ||
      compareText(a.ruleId, b.ruleId) ||
      compareText(a.fingerprint, b.fingerprint),
  );
}

const fingerprintSets = new WeakMap<Baseline, KnownFindings>();

/**
 * The result with every finding marked: `baselined: true` when the baseline knows it, `false` when it is
 * new. Reporters show the difference; baselined findings do not fail the run. Does not modify `result`.
 */
export function applyBaseline<T extends BaselineInput>(result: T, baseline: Baseline | KnownFindings): T {
  const known = knownFindings(baseline);
  const findings: Finding[] = result.findings.map((f) => ({
    ...f,
    baselined: known.has(fingerprintFinding(f, result.record)),
  }));
  return { ...result, findings };
}

function knownFindings(baseline: Baseline | KnownFindings): KnownFindings {
  if (!("entries" in baseline)) return baseline;
  let known = fingerprintSets.get(baseline);
  if (known === undefined) {
    known = new Set(baseline.entries.map((e) => e.fingerprint));
    fingerprintSets.set(baseline, known);
  }
  return known;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

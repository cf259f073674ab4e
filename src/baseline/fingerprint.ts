import { hash } from "node:crypto";
import type { Finding, ListingRecord } from "../model.js";

/**
 * What stands for the listing in a fingerprint: its id, or — when the id is only the record number, which
 * shifts whenever a row is inserted above it — a hash of its normalised title.
 */
export function identifyListing(record: ListingRecord): string {
  const { id, title } = record.listing;
  if (record.source.row !== undefined && id === String(record.source.row))
    return `title:${hashText(normaliseTitle(title))}`;
  return `id:${id}`;
}

/** Title as a fingerprint sees it: width-folded (NFKC), lower case, white space collapsed. */
export function normaliseTitle(title: string): string {
  return title.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/**
 * A finding's stable identity across runs: listing (see identifyListing), rule, claim text and region
 * codes — never line or row numbers, so a re-exported file keeps its baseline.
 */
export function fingerprintFinding(finding: Finding, record: ListingRecord): string {
  return fingerprintParts(identifyListing(record), finding);
}

/** The fingerprint with the listing id standing in for the listing (for reports that carry no title). */
export function fingerprintById(finding: FingerprintParts & { listingId: string }): string {
  return fingerprintParts(`id:${finding.listingId}`, finding);
}

/** What a fingerprint is made of, beside the listing (a Finding, or one read back from a JSON report). */
export interface FingerprintParts {
  ruleId: string;
  claim: { text: string } | null;
  regions: ReadonlyArray<{ code: string }>;
}

function fingerprintParts(listingKey: string, finding: FingerprintParts): string {
  const claim = finding.claim === null ? "" : finding.claim.text.normalize("NFKC");
  // The same text as JSON.stringify([listingKey, ruleId, claim, sorted codes]).
  const head = JSON.stringify([listingKey, finding.ruleId, claim]);
  return hashText(`${head.slice(0, -1)},${codesJson(finding.regions)}]`).slice(0, 32);
}

const sharedCodesJson = new WeakMap<ReadonlyArray<{ code: string }>, string>();

/** The sorted codes as JSON; kept with a frozen region list, which the rules share across listings. */
function codesJson(regions: ReadonlyArray<{ code: string }>): string {
  const frozen = Object.isFrozen(regions);
  let json = frozen ? sharedCodesJson.get(regions) : undefined;
  if (json === undefined) {
    json = JSON.stringify(regions.map((r) => r.code).sort());
    if (frozen) sharedCodesJson.set(regions, json);
  }
  return json;
}

function hashText(text: string): string {
  // The one-shot form: the same digest without a Hash object per finding.
  return hash("sha256", text, "hex");
}

import { z } from "zod";
import type { ClaimRef, FindingRegion, RegionCatalogue, RegionCode } from "../model.js";
import type { RowChange } from "./message-data.js";
import type { RegionCheck } from "./facts.js";

/** A covered region as a finding reports it: fee and smallest paying quantity when it pays. */
export function toFindingRegion(regions: RegionCatalogue, check: RegionCheck): FindingRegion {
  const base = { code: check.code, name: regions.get(check.code)?.name ?? check.code };
  return check.outcome.kind === "charged"
    ? { ...base, fee: check.outcome.fee, quantity: check.outcome.quantity }
    : { ...base, fee: null };
}

/** Regions without a fee (vague groups, undeliverable, overseas-not-stated). */
export function regionsWithoutFee(regions: RegionCatalogue, codes: Iterable<RegionCode>): FindingRegion[] {
  return [...new Set(codes)].sort().map((code) => ({ code, name: regions.get(code)?.name ?? code, fee: null }));
}

/** Unites the regions of several claims, keeping the first (most prominent) claim's entry per code. */
export function mergeRegions(lists: ReadonlyArray<readonly FindingRegion[]>): FindingRegion[] {
  const byCode = new Map<RegionCode, FindingRegion>();
  for (const list of lists) for (const r of list) if (!byCode.has(r.code)) byCode.set(r.code, r);
  return [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** The template rows a seller would set to 0 to honour the claim, one entry per row and part. */
export function rowChangesOf(checks: readonly RegionCheck[]): RowChange[] {
  const changes = new Map<string, RowChange>();
  for (const check of checks) {
    if (check.outcome.kind !== "charged") continue;
    const { row } = check.outcome;
    const part = row.firstFee > 0 ? "first" : "next";
    const fee = part === "first" ? row.firstFee : row.nextFee;
    const key = `${row.label}\u0000${part}\u0000${fee}`;
    if (!changes.has(key)) changes.set(key, { row: row.label, part, fee });
  }
  return [...changes.values()];
}

/** Covered regions a claim's analysis found free, sorted by code. */
export function freeRegionsOf(checks: readonly RegionCheck[]): RegionCode[] {
  return checks
    .filter((c) => c.outcome.kind === "free")
    .map((c) => c.code)
    .sort();
}

/**
 * The option `freeSideAbove` of the rules that name regions: past this share of the mainland provinces
 * (more than 15 of 31), the finding names the free (or delivered) provinces instead and the fix suggests
 * stating the free area. The shorter list is the one an operator can act on, and nobody writes 25
 * provinces into a selling point.
 */
export const freeSideAboveOption = z.number().min(0).max(1).default(0.5);

/**
 * Whether a finding should name the free regions rather than the paying ones: more than `above` of the
 * mainland pays (the rule's option `freeSideAbove`), and some region is free to name.
 */
export function namesFreeSide(paying: number, free: number, mainland: number, above: number): boolean {
  return free > 0 && paying > above * mainland;
}

/** The anchor is the first (most prominent) item; the others become related claims. */
export function splitAnchor(refs: readonly ClaimRef[]): { claim: ClaimRef | null; relatedClaims: ClaimRef[] } {
  const [claim, ...relatedClaims] = refs;
  return { claim: claim ?? null, relatedClaims };
}

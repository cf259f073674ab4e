import { z } from "zod";
import type { ClaimRef, FeeRow, FindingRegion, RegionCatalogue, RegionCode } from "../model.js";
import type { RowChange } from "./message-data.js";
import type { RegionCheck } from "./facts.js";

// Evidence is built once and shared: a template that charges 31 provinces gives every listing using it the
// same region entries and the same list of them. Entries and lists are frozen, so sharing them is safe,
// and reporters and the message renderer can cache what they make of a list by its identity.

/** Region entries by catalogue, code, fee and quantity (null: no fee; -1: no quantity). */
const entries = new WeakMap<RegionCatalogue, Map<RegionCode, Map<number | null, Map<number, FindingRegion>>>>();

function regionEntry(regions: RegionCatalogue, code: RegionCode, fee: number | null, quantity?: number): FindingRegion {
  let byCode = entries.get(regions);
  if (byCode === undefined) {
    byCode = new Map();
    entries.set(regions, byCode);
  }
  let byFee = byCode.get(code);
  if (byFee === undefined) {
    byFee = new Map();
    byCode.set(code, byFee);
  }
  let byQuantity = byFee.get(fee);
  if (byQuantity === undefined) {
    byQuantity = new Map();
    byFee.set(fee, byQuantity);
  }
  const key = quantity ?? -1;
  let entry = byQuantity.get(key);
  if (entry === undefined) {
    const name = regions.get(code)?.name ?? code;
    entry = Object.freeze(quantity === undefined ? { code, name, fee } : { code, name, fee, quantity });
    byQuantity.set(key, entry);
  }
  return entry;
}

/** A covered region as a finding reports it: fee and smallest paying quantity when it pays. */
export function toFindingRegion(regions: RegionCatalogue, check: RegionCheck): FindingRegion {
  return check.outcome.kind === "charged"
    ? regionEntry(regions, check.code, check.outcome.fee, check.outcome.quantity)
    : regionEntry(regions, check.code, null);
}

interface InternNode {
  next: Map<FindingRegion, InternNode>;
  list?: readonly FindingRegion[];
}

let internRoot: InternNode = { next: new Map() };
let internNodes = 0;
/**
 * Distinct lists are few where they repeat (templates × claim shapes: 4,740 nodes for the dense benchmark
 * shop, 6,010 for the sparse one), but pages that name places make lists few listings share, and every
 * cache keyed by a list (its JSON, its rendered text) lives as long as the list does. With 200,000
 * nodes the trie and those caches held 80 MB at the end of 100,000 listings of benchmark 1, and peak RSS
 * was 487–518 MB; with 20,000, 31 MB and 348 MB.
 */
const MAX_INTERN_NODES = 20_000;

/**
 * The one frozen list with these entries in this order: lists made of the same shared entries (see
 * toFindingRegion) are the same object. Entries made elsewhere (partial regions) are interned too.
 */
export function internRegions(list: readonly FindingRegion[]): readonly FindingRegion[] {
  if (internNodes + list.length > MAX_INTERN_NODES) {
    internRoot = { next: new Map() };
    internNodes = 0;
  }
  let node = internRoot;
  for (const region of list) {
    let next = node.next.get(region);
    if (next === undefined) {
      next = { next: new Map() };
      node.next.set(region, next);
      internNodes++;
    }
    node = next;
  }
  node.list ??= Object.freeze([...list]);
  return node.list;
}

/** Regions without a fee (vague groups, undeliverable, overseas-not-stated). */
export function regionsWithoutFee(regions: RegionCatalogue, codes: Iterable<RegionCode>): readonly FindingRegion[] {
  return internRegions([...new Set(codes)].sort().map((code) => regionEntry(regions, code, null)));
}

const byCode = (a: FindingRegion, b: FindingRegion) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** Whether a list is sorted by code without repeats, as a claim's analysis gives its covered regions. */
function strictlySorted(list: readonly FindingRegion[]): boolean {
  for (let i = 1; i < list.length; i++)
    if ((list[i - 1] as FindingRegion).code >= (list[i] as FindingRegion).code) return false;
  return true;
}

/** Unites the regions of several claims, keeping the first (most prominent) claim's entry per code. */
export function mergeRegions(lists: ReadonlyArray<readonly FindingRegion[]>): readonly FindingRegion[] {
  const only = lists.length === 1 ? (lists[0] as readonly FindingRegion[]) : undefined;
  if (only !== undefined && strictlySorted(only)) return internRegions(only);
  const merged = new Map<RegionCode, FindingRegion>();
  for (const list of lists) for (const r of list) if (!merged.has(r.code)) merged.set(r.code, r);
  return internRegions([...merged.values()].sort(byCode));
}

const codeLists = new WeakMap<readonly FindingRegion[], readonly RegionCode[]>();

/** The codes of a region list; one frozen array per shared (frozen) list, so renderings of it are cached too. */
export function regionCodes(list: readonly FindingRegion[]): readonly RegionCode[] {
  if (!Object.isFrozen(list)) return list.map((r) => r.code);
  let codes = codeLists.get(list);
  if (codes === undefined) {
    codes = Object.freeze(list.map((r) => r.code));
    codeLists.set(list, codes);
  }
  return codes;
}

const codeSets = new WeakMap<readonly RegionCode[], ReadonlySet<RegionCode>>();

/** Whether every code of `codes` (the mainland, say) has an entry in `regions`, one entry per code (mergeRegions). */
export function coversEvery(regions: readonly FindingRegion[], codes: readonly RegionCode[]): boolean {
  let wanted = codeSets.get(codes);
  if (wanted === undefined) {
    wanted = new Set(codes);
    codeSets.set(codes, wanted);
  }
  let found = 0;
  for (const r of regions) if (wanted.has(r.code)) found++;
  return found === wanted.size;
}

/** Region lists sorted by code, as findings carry them: a sorted list is returned as it is. */
export function sortedByCode(list: readonly FindingRegion[]): readonly FindingRegion[] {
  return strictlySorted(list) ? list : [...list].sort(byCode);
}

/** The template rows a seller would set to 0 to honour the claim, one entry per row and part. */
export function rowChangesOf(checks: readonly RegionCheck[]): RowChange[] {
  const changes = new Map<string, RowChange>();
  for (const check of checks) {
    if (check.outcome.kind !== "charged") continue;
    const change = rowChangeOf(check.outcome.row);
    const key = rowChangeKeys.get(change) as string;
    if (!changes.has(key)) changes.set(key, change);
  }
  return [...changes.values()];
}

/** Template rows are shared by every listing using the template: each row's change is made once. */
const rowChanges = new WeakMap<FeeRow, RowChange>();
const rowChangeKeys = new WeakMap<RowChange, string>();

function rowChangeOf(row: FeeRow): RowChange {
  let change = rowChanges.get(row);
  if (change === undefined) {
    const part = row.firstFee > 0 ? "first" : "next";
    const fee = part === "first" ? row.firstFee : row.nextFee;
    change = Object.freeze({ row: row.label, part, fee });
    rowChanges.set(row, change);
    rowChangeKeys.set(change, `${row.label}\u0000${part}\u0000${fee}`);
  }
  return change;
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

// How a worker thread's results cross to the main thread (src/audit-worker.ts → src/audit-pool.ts): one
// JSON string, in which each region list the rules share across listings (frozen, see
// src/rules/report-helpers.ts) travels once per worker and is named by a number after that, until the
// worker has numbered MAX_NUMBERED_LISTS and starts over.
import type { Finding, FindingRegion, Problem } from "./model.js";

/** What auditing one record produced, without the record (the main thread still holds it). */
export interface AuditedRecord {
  findings: Finding[];
  problems: Problem[];
}

/**
 * Lists the main thread keeps by number, per worker. Frozen lists are shared by listings alike (320 on
 * the dense benchmark shop), but pages that name places make many lists that only a few listings share
 * (36,000 in 100,000 listings of the audit benchmark): kept for the whole run, they and the JSON the
 * reporters cache by their identity held 110 MB more on the main thread.
 */
const MAX_NUMBERED_LISTS = 2000;

/** A batch's results as sent: region lists first seen in this batch, by number, then the results. */
interface WireBatch {
  /**
   * Which numbering the numbers belong to: a new one starts from 0, and the main thread forgets the
   * lists of the old one (a lost batch can then only make numbers unknown, never name the wrong list).
   */
  numbering: number;
  lists: [number, FindingRegion[]][];
  results: WireRecord[];
}

/** A record's results with each shared region list replaced by its number. */
interface WireRecord {
  findings: (Omit<Finding, "regions"> & { regions: readonly FindingRegion[] | number })[];
  problems: Problem[];
}

/** The worker's side: numbers the shared lists it has sent. */
export function createResultEncoder(maxLists = MAX_NUMBERED_LISTS): (results: AuditedRecord[]) => string {
  let sent = new WeakMap<readonly FindingRegion[], number>();
  let next = 0;
  let numbering = 0;
  return (results) => {
    // Only between batches: a batch's numbers all belong to one numbering.
    if (next >= maxLists) {
      sent = new WeakMap();
      next = 0;
      numbering++;
    }
    const lists: WireBatch["lists"] = [];
    const numbered = (regions: readonly FindingRegion[]): readonly FindingRegion[] | number => {
      // A list built for one finding is not shared: numbering it would only cost a map entry.
      if (!Object.isFrozen(regions) || regions.length === 0) return regions;
      let id = sent.get(regions);
      if (id === undefined) {
        id = next++;
        sent.set(regions, id);
        lists.push([id, regions as FindingRegion[]]);
      }
      return id;
    };
    const wire: WireRecord[] = results.map(({ findings, problems }) => ({
      findings: findings.map((finding) => ({ ...finding, regions: numbered(finding.regions) })),
      problems,
    }));
    try {
      return JSON.stringify({ numbering, lists, results: wire } satisfies WireBatch);
    } catch (error) {
      // The batch fails as a whole; its lists were never sent.
      for (const [, regions] of lists) sent.delete(regions);
      throw error;
    }
  };
}

/**
 * The main thread's side, one per worker (numbers are the worker's own): the results with the shared
 * lists as frozen arrays of frozen entries again, so that reporters cache what they make of a list by
 * its identity, as they do for results audited on the main thread. Undefined when the text is not a
 * batch or names a list it never sent.
 */
export function createResultDecoder(): (json: string) => AuditedRecord[] | undefined {
  let received: (readonly FindingRegion[])[] = [];
  let numbering = 0;
  return (json) => {
    let batch: WireBatch;
    try {
      batch = JSON.parse(json) as WireBatch;
    } catch {
      return undefined;
    }
    if (!Array.isArray(batch?.lists) || !Array.isArray(batch.results)) return undefined;
    if (batch.numbering !== numbering) {
      received = [];
      numbering = batch.numbering;
    }
    for (const [id, regions] of batch.lists) received[id] = Object.freeze(regions.map((r) => Object.freeze(r)));
    for (const result of batch.results) {
      for (const finding of result.findings) {
        if (typeof finding.regions !== "number") continue;
        const shared = received[finding.regions];
        if (shared === undefined) return undefined;
        finding.regions = shared;
      }
    }
    return batch.results as AuditedRecord[];
  };
}

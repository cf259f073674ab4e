import { hash } from "node:crypto";

/**
 * A multiset of fingerprints on typed arrays: 128 bits and a count per fingerprint, about 35 bytes each
 * outside the JS heap, where a Map of 32-character strings costs some 100 bytes inside it. A baseline or
 * previous report of a million findings fits in a few tens of megabytes.
 */
export interface FingerprintCounts {
  add(fingerprint: string): void;
  /** How many times `fingerprint` was added. */
  count(fingerprint: string): number;
  /** Distinct fingerprints. */
  readonly size: number;
}

const INITIAL_SLOTS = 1024;
const MAX_LOAD = 0.6;
const HEX_FINGERPRINT = /^[0-9a-f]{32}$/;

export function createFingerprintCounts(): FingerprintCounts {
  let keys = new Uint32Array(INITIAL_SLOTS * 4);
  let counts = new Uint32Array(INITIAL_SLOTS);
  let mask = INITIAL_SLOTS - 1;
  let distinct = 0;
  const key = new Uint32Array(4);

  // A slot is empty while its count is 0: every stored fingerprint was added at least once.
  const slotOf = (tableKeys: Uint32Array, tableCounts: Uint32Array, tableMask: number, k: Uint32Array): number => {
    let slot = (k[0] ?? 0) & tableMask;
    while ((tableCounts[slot] ?? 0) !== 0 && !sameKey(tableKeys, slot, k)) slot = (slot + 1) & tableMask;
    return slot;
  };
  const grow = (): void => {
    const slots = counts.length * 2;
    const nextKeys = new Uint32Array(slots * 4);
    const nextCounts = new Uint32Array(slots);
    const moved = new Uint32Array(4);
    for (let slot = 0; slot < counts.length; slot++) {
      if ((counts[slot] ?? 0) === 0) continue;
      moved.set(keys.subarray(slot * 4, slot * 4 + 4));
      const target = slotOf(nextKeys, nextCounts, slots - 1, moved);
      nextKeys.set(moved, target * 4);
      nextCounts[target] = counts[slot] ?? 0;
    }
    keys = nextKeys;
    counts = nextCounts;
    mask = slots - 1;
  };
  return {
    add(fingerprint) {
      toKey(fingerprint, key);
      let slot = slotOf(keys, counts, mask, key);
      if ((counts[slot] ?? 0) === 0) {
        if (distinct + 1 > counts.length * MAX_LOAD) {
          grow();
          slot = slotOf(keys, counts, mask, key);
        }
        keys.set(key, slot * 4);
        distinct++;
      }
      counts[slot] = (counts[slot] ?? 0) + 1;
    },
    count(fingerprint) {
      toKey(fingerprint, key);
      return counts[slotOf(keys, counts, mask, key)] ?? 0;
    },
    get size() {
      return distinct;
    },
  };
}

function sameKey(keys: Uint32Array, slot: number, k: Uint32Array): boolean {
  const at = slot * 4;
  return keys[at] === k[0] && keys[at + 1] === k[1] && keys[at + 2] === k[2] && keys[at + 3] === k[3];
}

/** Our fingerprints are 32 hex digits; anything else (a hand-edited report) is hashed to that form first. */
function toKey(fingerprint: string, into: Uint32Array): void {
  const hex = HEX_FINGERPRINT.test(fingerprint) ? fingerprint : hash("sha256", fingerprint, "hex").slice(0, 32);
  for (let i = 0; i < 4; i++) into[i] = Number.parseInt(hex.slice(i * 8, i * 8 + 8), 16);
}

/** A set of listing ids that costs a few bytes per id and holds no JS object per id. */
export interface IdSet {
  has(id: string): boolean;
  add(id: string): void;
  /** Distinct ids added (ids whose hashes collide count once). */
  readonly size: number;
}

/** Slots per table before the first growth; tables double, so this only sets the floor. */
const INITIAL_CAPACITY = 1024;
/** A table doubles once it would be more than this full, which keeps linear probing short. */
const MAX_LOAD = 0.6;
const EMPTY_NUMBER = -1;
const TWO_POW_32 = 4294967296;

/**
 * Creates an {@link IdSet}: two open-addressing hash tables on typed arrays, so a million ids cost about
 * 16 MB outside the JS heap instead of some 70 MB of strings and Set entries inside it.
 *
 * Ids that are canonical decimal numbers of at most 15 digits without a leading zero (Taobao 数字ID such
 * as `"600012345678"`) are stored exactly, as numbers. Every other id (`"0123"`, 16 digits, letters,
 * `"1001#2"`, the empty string) is stored as a 64-bit hash — two independent 32-bit hashes of its UTF-16
 * code units — in a separate table, so an exact number and a hash can never be mistaken for each other.
 * Two different non-numeric ids share a hash with probability 2⁻⁶⁴, so among n of them a false "already
 * present" has probability about n²/2⁶⁵ (≈3·10⁻⁸ for a million ids). For readSources such a false
 * match is reported as a renamed duplicate (`listing/duplicate-id`, audited as `id#2`), never lost.
 */
export function createIdSet(): IdSet {
  const numbers = createNumberTable();
  const hashes = createHashTable();
  return {
    has: (id) => (isExactNumber(id) ? numbers.has(Number(id)) : hashes.has(hashPrimary(id), hashSecondary(id))),
    add: (id) => (isExactNumber(id) ? numbers.add(Number(id)) : hashes.add(hashPrimary(id), hashSecondary(id))),
    get size() {
      return numbers.size() + hashes.size();
    },
  };
}

/** `0` or 1–15 digits without a leading zero: below 2⁵³, so the number round-trips to the same string. */
function isExactNumber(id: string): boolean {
  const length = id.length;
  if (length === 0 || length > 15) return false;
  if (id.charCodeAt(0) === 48) return length === 1;
  for (let i = 0; i < length; i++) {
    const c = id.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

interface NumberTable {
  has(n: number): boolean;
  add(n: number): void;
  size(): number;
}

function createNumberTable(): NumberTable {
  let keys = new Float64Array(INITIAL_CAPACITY).fill(EMPTY_NUMBER);
  let mask = INITIAL_CAPACITY - 1;
  let count = 0;
  const slotOf = (table: Float64Array, tableMask: number, n: number): number => {
    let slot = mixNumber(n) & tableMask;
    while (table[slot] !== EMPTY_NUMBER && table[slot] !== n) slot = (slot + 1) & tableMask;
    return slot;
  };
  const grow = (): void => {
    const next = new Float64Array(keys.length * 2).fill(EMPTY_NUMBER);
    const nextMask = next.length - 1;
    for (const key of keys) if (key !== EMPTY_NUMBER) next[slotOf(next, nextMask, key)] = key;
    keys = next;
    mask = nextMask;
  };
  return {
    has: (n) => keys[slotOf(keys, mask, n)] === n,
    add: (n) => {
      let slot = slotOf(keys, mask, n);
      if (keys[slot] === n) return;
      if (count + 1 > keys.length * MAX_LOAD) {
        grow();
        slot = slotOf(keys, mask, n);
      }
      keys[slot] = n;
      count++;
    },
    size: () => count,
  };
}

interface HashTable {
  has(h1: number, h2: number): boolean;
  add(h1: number, h2: number): void;
  size(): number;
}

/** Pairs of 32-bit hashes side by side; (0, 0) marks an empty slot, which no id hashes to (hashSecondary is never 0). */
function createHashTable(): HashTable {
  let pairs = new Uint32Array(INITIAL_CAPACITY * 2);
  let mask = INITIAL_CAPACITY - 1;
  let count = 0;
  const slotOf = (table: Uint32Array, tableMask: number, h1: number, h2: number): number => {
    let slot = h1 & tableMask;
    for (;;) {
      const a = table[slot * 2];
      const b = table[slot * 2 + 1];
      if ((a === 0 && b === 0) || (a === h1 && b === h2)) return slot;
      slot = (slot + 1) & tableMask;
    }
  };
  const grow = (): void => {
    // pairs.length is twice the slot count, so it is also the doubled table's slot count.
    const slots = pairs.length;
    const next = new Uint32Array(slots * 2);
    const nextMask = slots - 1;
    for (let i = 0; i < pairs.length; i += 2) {
      const h1 = pairs[i] ?? 0;
      const h2 = pairs[i + 1] ?? 0;
      if (h1 === 0 && h2 === 0) continue;
      const slot = slotOf(next, nextMask, h1, h2);
      next[slot * 2] = h1;
      next[slot * 2 + 1] = h2;
    }
    pairs = next;
    mask = nextMask;
  };
  return {
    has: (h1, h2) => {
      const slot = slotOf(pairs, mask, h1, h2);
      return pairs[slot * 2] === h1 && pairs[slot * 2 + 1] === h2;
    },
    add: (h1, h2) => {
      let slot = slotOf(pairs, mask, h1, h2);
      if (pairs[slot * 2] === h1 && pairs[slot * 2 + 1] === h2) return;
      if (count + 1 > (pairs.length / 2) * MAX_LOAD) {
        grow();
        slot = slotOf(pairs, mask, h1, h2);
      }
      pairs[slot * 2] = h1;
      pairs[slot * 2 + 1] = h2;
      count++;
    },
    size: () => count,
  };
}

/** FNV-1a over UTF-16 code units, finished with murmur3's avalanche so its low bits index the table well. */
function hashPrimary(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return avalanche(h ^ id.length);
}

/** murmur3-32 over UTF-16 code units with its own seed: unrelated to hashPrimary, so together they make 64 bits. */
function hashSecondary(id: string): number {
  let h = 0x9747b28c;
  for (let i = 0; i < id.length; i++) {
    let k = Math.imul(id.charCodeAt(i), 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  }
  // Never 0, so (0, 0) can mark an empty slot; folding 0 into 1 changes the collision odds by 2⁻³².
  return avalanche(h ^ id.length) || 1;
}

function mixNumber(n: number): number {
  const low = n >>> 0;
  const high = Math.floor(n / TWO_POW_32);
  return avalanche(low ^ Math.imul(high, 0x9e3779b1));
}

function avalanche(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

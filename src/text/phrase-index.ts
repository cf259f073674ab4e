/** A phrase with what it stands for. */
export interface PhraseEntry<T> {
  text: string;
  value: T;
}

/** A phrase found in text. */
export interface PhraseMatch<T> extends PhraseEntry<T> {
  start: number;
  end: number;
}

interface TrieNode<T> {
  next: Map<number, TrieNode<T>>;
  entry?: PhraseEntry<T>;
}

const newNode = <T>(): TrieNode<T> => ({ next: new Map() });

/**
 * Longest-match lookup of literal phrases: a trie over UTF-16 units for matching at a position and a
 * trie over reversed phrases for matching ending at one, so the cost depends on the phrase length, not
 * on how many phrases share a first character.
 */
export class PhraseIndex<T> {
  private readonly forward = newNode<T>();
  private readonly backward = newNode<T>();
  /** 1 for every UTF-16 unit a phrase starts with: scanning skips other units without a map lookup. */
  private firstUnits: Uint8Array | undefined;

  /** Adds phrases; a phrase already present keeps its first value. */
  add(texts: Iterable<string>, value: T): this {
    for (const text of texts) {
      if (text.length === 0) continue;
      const entry = { text, value };
      this.firstUnits = undefined;
      const end = insert(this.forward, text, 0, text.length, 1);
      if (end.entry) continue;
      end.entry = entry;
      insert(this.backward, text, text.length - 1, -1, -1).entry = entry;
    }
    return this;
  }

  /** The longest phrase starting at `start` (Latin words and numbers are matched whole). */
  matchAt(text: string, start: number): PhraseMatch<T> | undefined {
    if (continuesWord(text, start - 1, start)) return undefined;
    let node: TrieNode<T> | undefined = this.forward;
    let best: PhraseEntry<T> | undefined;
    for (let i = start; i < text.length; i += 1) {
      node = node.next.get(text.charCodeAt(i));
      if (!node) break;
      if (node.entry && !continuesWord(text, i, i + 1)) best = node.entry;
    }
    return best && { text: best.text, value: best.value, start, end: start + best.text.length };
  }

  /** The longest phrase ending at `end` (exclusive), not reaching before `min`. */
  matchEndingAt(text: string, end: number, min = 0): PhraseMatch<T> | undefined {
    if (continuesWord(text, end - 1, end)) return undefined;
    let node: TrieNode<T> | undefined = this.backward;
    let best: PhraseEntry<T> | undefined;
    for (let i = end - 1; i >= min; i -= 1) {
      node = node.next.get(text.charCodeAt(i));
      if (!node) break;
      if (node.entry && !continuesWord(text, i - 1, i)) best = node.entry;
    }
    return best && { text: best.text, value: best.value, start: end - best.text.length, end };
  }

  /** Non-overlapping longest matches, left to right. */
  scan(text: string): PhraseMatch<T>[] {
    const out: PhraseMatch<T>[] = [];
    this.firstUnits ??= indexFirstUnits(this.forward);
    const first = this.firstUnits;
    for (let i = 0; i < text.length; ) {
      const m = first[text.charCodeAt(i)] === 1 ? this.matchAt(text, i) : undefined;
      if (m) {
        out.push(m);
        i = m.end;
      } else i += 1;
    }
    return out;
  }
}

/**
 * True when the characters at `left` and `right` belong to one Latin word or one number, so that a
 * phrase may not start or end between them ("ems" in "items", "0运费" in "10运费").
 */
function continuesWord(text: string, left: number, right: number): boolean {
  const a = text.charCodeAt(left);
  const b = text.charCodeAt(right);
  return (isLetter(a) && isLetter(b)) || (isDigit(a) && isDigit(b));
}

const isLetter = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

function indexFirstUnits<T>(root: TrieNode<T>): Uint8Array {
  const units = new Uint8Array(0x10000);
  for (const unit of root.next.keys()) units[unit] = 1;
  return units;
}

function insert<T>(root: TrieNode<T>, text: string, from: number, to: number, step: 1 | -1): TrieNode<T> {
  let node = root;
  for (let i = from; i !== to; i += step) {
    const unit = text.charCodeAt(i);
    let next = node.next.get(unit);
    if (!next) {
      next = newNode<T>();
      node.next.set(unit, next);
    }
    node = next;
  }
  return node;
}

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

/**
 * Longest-match lookup of literal phrases, indexed by first and last character so that matching at a
 * position (or ending at one) only tries the few phrases that can fit there.
 */
export class PhraseIndex<T> {
  private readonly byFirst = new Map<string, PhraseEntry<T>[]>();
  private readonly byLast = new Map<string, PhraseEntry<T>[]>();
  private readonly seen = new Set<string>();

  /** Adds phrases; a phrase already present keeps its first value. */
  add(texts: Iterable<string>, value: T): this {
    for (const text of texts) {
      if (text.length === 0 || this.seen.has(text)) continue;
      this.seen.add(text);
      const entry = { text, value };
      insertByLength(this.byFirst, text[0] as string, entry);
      insertByLength(this.byLast, text[text.length - 1] as string, entry);
    }
    return this;
  }

  get size(): number {
    return this.seen.size;
  }

  /** The longest phrase starting at `start`. */
  matchAt(text: string, start: number): PhraseMatch<T> | undefined {
    const candidates = this.byFirst.get(text[start] as string);
    if (!candidates) return undefined;
    for (const c of candidates) {
      if (text.startsWith(c.text, start)) return { ...c, start, end: start + c.text.length };
    }
    return undefined;
  }

  /** The longest phrase ending at `end` (exclusive), not reaching before `min`. */
  matchEndingAt(text: string, end: number, min = 0): PhraseMatch<T> | undefined {
    const candidates = this.byLast.get(text[end - 1] as string);
    if (!candidates) return undefined;
    for (const c of candidates) {
      const start = end - c.text.length;
      if (start >= min && text.startsWith(c.text, start)) return { ...c, start, end };
    }
    return undefined;
  }

  /** Non-overlapping longest matches, left to right. */
  scan(text: string): PhraseMatch<T>[] {
    const out: PhraseMatch<T>[] = [];
    for (let i = 0; i < text.length; ) {
      const m = this.byFirst.has(text[i] as string) ? this.matchAt(text, i) : undefined;
      if (m) {
        out.push(m);
        i = m.end;
      } else i += 1;
    }
    return out;
  }
}

function insertByLength<T>(index: Map<string, PhraseEntry<T>[]>, key: string, entry: PhraseEntry<T>): void {
  const list = index.get(key) ?? [];
  const at = list.findIndex((e) => e.text.length < entry.text.length);
  if (at < 0) list.push(entry);
  else list.splice(at, 0, entry);
  index.set(key, list);
}

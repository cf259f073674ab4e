/** Where statements end: a sentence at 。;!? or a line break, a clause also at a comma. */
const SENTENCE_END = endsAt("。;!?\n");
const CLAUSE_END = endsAt(",。;!?\n");
const LINE_END = endsAt("\n");

/** The characters that end a segment, as a table over UTF-16 code units (each is a single unit). */
function endsAt(characters: string): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (const c of characters) table[c.charCodeAt(0)] = 1;
  return table;
}

/** The sentences or clauses of a text, found once, so that asking for the one around a place costs log n. */
export interface Segments {
  /** [start, end) of the segment holding `at`. */
  around(at: number): [number, number];
  /** Index of the segment holding `at`. */
  indexOf(at: number): number;
}

export function sentencesOf(text: string): Segments {
  return segmentsOf(text, SENTENCE_END);
}

export function clausesOf(text: string): Segments {
  return segmentsOf(text, CLAUSE_END);
}

export function linesOf(text: string): Segments {
  return segmentsOf(text, LINE_END);
}

function segmentsOf(text: string, end: Uint8Array): Segments {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) if (end[text.charCodeAt(i)] === 1) starts.push(i + 1);
  const indexOf = (at: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    indexOf,
    around(at) {
      const i = indexOf(at);
      const next = starts[i + 1];
      return [starts[i] as number, next === undefined ? text.length : next - 1];
    },
  };
}

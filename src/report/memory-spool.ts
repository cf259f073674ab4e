import type { TextSpool } from "./reporter.js";

/** Characters per chunk that `chunks()` yields (one appended text longer than this is yielded whole). */
export const SPOOL_CHUNK_LENGTH = 1024 * 1024;

/**
 * A {@link TextSpool} that keeps everything in memory: for callers that build a RunInfo themselves and
 * whose runs are small (tests, single-listing commands). `audit()` gives reporters a file-backed spool.
 */
export function createMemorySpool(): TextSpool {
  const pieces: string[] = [];
  return {
    append: (text) => {
      if (text !== "") pieces.push(text);
    },
    chunks: () => joinPieces(pieces),
  };
}

/** Joins consecutive pieces into chunks of at most SPOOL_CHUNK_LENGTH characters each, order kept. */
export function* joinPieces(pieces: readonly string[]): Generator<string> {
  let group: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    if (length > 0 && length + piece.length > SPOOL_CHUNK_LENGTH) {
      yield group.join("");
      group = [];
      length = 0;
    }
    group.push(piece);
    length += piece.length;
  }
  if (length > 0) yield group.join("");
}

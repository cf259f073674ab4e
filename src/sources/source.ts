import type { Readable } from "node:stream";
import type { SourceItem } from "../model.js";

/** One input to read: a file (or stdin) with the name it is reported under. */
export interface SourceInput {
  /** Path relative to the working directory (or `-` for stdin), as it appears in reports. */
  name: string;
  /** The first bytes (up to 1 MiB) for content sniffing. */
  head: Buffer;
  /** Opens the whole input as a byte stream, from the beginning. */
  open(): Readable;
}

/** Column mapping from the config (`columns: { id: 商品ID, title: 商品名称 }`) for generic exports. */
export type ColumnMapping = Partial<Record<string, string>>;

export interface ReaderOptions {
  columns?: ColumnMapping;
}

/**
 * A listing source format. `detect` decides from content (and the name only as a tie-breaker);
 * `read` streams listings and problems, never throws for bad records, and never holds the whole file.
 */
export interface SourceReader {
  format: string;
  detect(input: Pick<SourceInput, "name" | "head">): boolean;
  read(input: SourceInput, options: ReaderOptions): AsyncIterable<SourceItem>;
}

/** Thrown by `read` when the input is not this format at all (exit 2 when named on the command line). */
export class NotAListingSourceError extends Error {
  constructor(
    readonly input: string,
    readonly expected: string,
  ) {
    super(`${input}: not a listing source (expected ${expected})`);
  }
}

import type { Readable } from "node:stream";

/**
 * Kept word for word from the unzipper the XLSX reader used before, because reports and their golden
 * files show it: the input ended where the zip still promised bytes.
 */
export const FILE_ENDED = "FILE_ENDED";

/** A byte stream read forward in pieces of any size, with bytes read too far put back. */
export class ByteQueue {
  private readonly pending: Buffer[] = [];
  private readonly source: AsyncIterator<Buffer | string>;
  /** Bytes taken from the stream so far, less those put back: where the next byte stands. */
  position = 0;

  constructor(stream: Readable) {
    this.source = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  }

  /** The next piece (of any length but empty), or undefined at the end of the input. */
  async next(): Promise<Buffer | undefined> {
    let piece = this.pending.pop();
    while (piece === undefined) {
      const next = await this.source.next();
      if (next.done) return undefined;
      const value = typeof next.value === "string" ? Buffer.from(next.value) : next.value;
      if (value.length > 0) piece = value;
    }
    this.position += piece.length;
    return piece;
  }

  /** Puts bytes back in front of the rest. */
  unshift(piece: Buffer): void {
    if (piece.length === 0) return;
    this.pending.push(piece);
    this.position -= piece.length;
  }

  /** Exactly `length` bytes; throws FILE_ENDED when the input ends first. */
  async read(length: number): Promise<Buffer> {
    const pieces: Buffer[] = [];
    let have = 0;
    while (have < length) {
      const piece = await this.next();
      if (!piece) throw new Error(FILE_ENDED);
      pieces.push(piece);
      have += piece.length;
    }
    const all = pieces.length === 1 && pieces[0] ? pieces[0] : Buffer.concat(pieces, have);
    this.unshift(all.subarray(length));
    return all.subarray(0, length);
  }

  /** The next `length` bytes, as they arrive; throws FILE_ENDED when the input ends first. */
  async *take(length: number): AsyncGenerator<Buffer> {
    let left = length;
    while (left > 0) {
      const piece = await this.next();
      if (!piece) throw new Error(FILE_ENDED);
      if (piece.length > left) {
        this.unshift(piece.subarray(left));
        yield piece.subarray(0, left);
        return;
      }
      left -= piece.length;
      yield piece;
    }
  }

  /** Stops reading the stream (destroying it) when the reader is abandoned early. */
  async close(): Promise<void> {
    await this.source.return?.();
  }
}

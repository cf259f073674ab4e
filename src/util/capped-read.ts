import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";

/** A file (or stream) larger than what its reader holds in memory at once. */
export class FileTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`larger than ${formatByteLimit(limit)}`);
  }
}

/**
 * The whole stream as one buffer, or FileTooLargeError once it passes `limit` bytes: every reader that
 * must hold a whole file (YAML, an HTML page, a template) holds at most that, never the 2 GB a file
 * may have. The stream is destroyed when the limit is passed.
 */
export async function readStreamCapped(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      stream.destroy();
      throw new FileTooLargeError(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** readStreamCapped for a file on disk. */
export function readFileCapped(file: string, limit: number): Promise<Buffer> {
  return readStreamCapped(createReadStream(file), limit);
}

/** "16 MiB". */
export function formatByteLimit(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

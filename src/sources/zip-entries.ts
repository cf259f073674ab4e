import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32, createInflateRaw } from "node:zlib";
import { type ByteQueue, FILE_ENDED } from "./byte-queue.js";

const LOCAL_HEADER = 0x04034b50;
/** What follows the last entry: the central directory, or the end record of an empty zip. */
const DIRECTORY_STARTS = new Set([0x02014b50, 0x06054b50]);
const DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
const ZIP64_EXTRA = 0x0001;
const STORED = 0;
const DEFLATED = 8;
const ENCRYPTED = 0x0001;
const SIZES_AFTER_DATA = 0x0008;
const UTF8_NAME = 0x0800;
const UNKNOWN_32 = 0xffffffff;
/** Inflated bytes per chunk: about a thousand sheet rows, so a row batch stays small whatever the ratio. */
const INFLATE_CHUNK = 64 * 1024;

/** What inflating an entry's stored bytes needs, also once they have been set aside (see ByteSpool). */
export interface EntryFormat {
  name: string;
  method: number;
  /** The CRC-32 and size of the inflated bytes; for a streamed entry known only once its bytes are read. */
  checks(): { crc: number; size: number };
}

/** One entry of a zip read front to back: its bytes can be read once, stored or inflated. */
export class ZipEntry implements EntryFormat {
  private started = false;
  private descriptor: { crc: number; size: number } | undefined;

  constructor(
    private readonly queue: ByteQueue,
    private readonly header: LocalHeader,
  ) {}

  get name(): string {
    return this.header.name;
  }

  get method(): number {
    return this.header.method;
  }

  checks(): { crc: number; size: number } {
    return this.descriptor ?? { crc: this.header.crc, size: this.header.size };
  }

  /** The entry's bytes as stored in the zip (compressed), piece by piece. */
  raw(): AsyncGenerator<Buffer> {
    if (this.started) throw new Error(`${this.name} is read twice`);
    this.started = true;
    return this.header.streamed ? this.untilDescriptor() : this.queue.take(this.header.compressedSize);
  }

  /** The entry's bytes inflated, checked against its CRC-32 and size. */
  content(): AsyncGenerator<Buffer> {
    return inflate(this.raw(), this);
  }

  /** Skips what was not read, so that the next entry can be found. */
  async finish(): Promise<void> {
    if (this.started) return;
    for await (const _ of this.raw());
  }

  /**
   * A streaming writer (exceljs, Java, .NET) gives sizes and CRC only after the data, in a descriptor
   * whose signature may also occur inside compressed bytes: the one that counts also states the number
   * of bytes since the entry began, so a stray match would have to repeat that too.
   */
  private async *untilDescriptor(): AsyncGenerator<Buffer> {
    const start = this.queue.position;
    const length = this.header.zip64 ? 24 : 16;
    let held: Buffer | undefined;
    for (;;) {
      const piece = await this.queue.next();
      if (!piece) throw new Error(FILE_ENDED);
      const data = held ? Buffer.concat([held, piece]) : piece;
      const dataStart = this.queue.position - data.length;
      let keep = Math.max(0, data.length - (DESCRIPTOR.length - 1));
      for (let at = data.indexOf(DESCRIPTOR); at >= 0; at = data.indexOf(DESCRIPTOR, at + 1)) {
        if (data.length - at < length) {
          keep = Math.min(keep, at);
          break;
        }
        const descriptor = this.readDescriptor(data, at);
        if (descriptor.compressedSize !== (dataStart + at - start) % (this.header.zip64 ? 2 ** 64 : 2 ** 32)) continue;
        if (at > 0) yield data.subarray(0, at);
        this.descriptor = { crc: descriptor.crc, size: descriptor.size };
        this.queue.unshift(data.subarray(at + length));
        return;
      }
      held = data.subarray(keep);
      if (keep > 0) yield data.subarray(0, keep);
    }
  }

  private readDescriptor(data: Buffer, at: number): { crc: number; compressedSize: number; size: number } {
    const crc = data.readUInt32LE(at + 4);
    if (this.header.zip64)
      return { crc, compressedSize: Number(data.readBigUInt64LE(at + 8)), size: Number(data.readBigUInt64LE(at + 16)) };
    return { crc, compressedSize: data.readUInt32LE(at + 8), size: data.readUInt32LE(at + 12) };
  }
}

interface LocalHeader {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Sizes and CRC follow the data (flag bit 3). */
  streamed: boolean;
  zip64: boolean;
}

/**
 * The entries of a zip, read front to back from its local headers: a zip arriving on a pipe cannot be
 * read from its central directory at the end. Each entry must be read (or is skipped) before the next.
 */
export async function* zipEntries(queue: ByteQueue): AsyncGenerator<ZipEntry> {
  for (;;) {
    const header = await readLocalHeader(queue);
    if (!header) return;
    const entry = new ZipEntry(queue, header);
    yield entry;
    await entry.finish();
  }
}

async function readLocalHeader(queue: ByteQueue): Promise<LocalHeader | undefined> {
  const at = queue.position;
  const fixed = await queue.read(30);
  const signature = fixed.readUInt32LE(0);
  if (DIRECTORY_STARTS.has(signature)) return undefined;
  if (signature !== LOCAL_HEADER) throw new Error(`no zip entry starts at byte ${at}: the zip is damaged`);
  const flags = fixed.readUInt16LE(6);
  const nameBytes = await queue.read(fixed.readUInt16LE(26));
  const extra = await queue.read(fixed.readUInt16LE(28));
  const name = nameBytes.toString(flags & UTF8_NAME ? "utf8" : "latin1");
  const method = fixed.readUInt16LE(8);
  if (flags & ENCRYPTED) throw new Error(`${name} is encrypted`);
  if (method !== STORED && method !== DEFLATED) throw new Error(`${name} uses compression method ${method}`);
  const header: LocalHeader = {
    name,
    method,
    crc: fixed.readUInt32LE(14),
    compressedSize: fixed.readUInt32LE(18),
    size: fixed.readUInt32LE(22),
    streamed: (flags & SIZES_AFTER_DATA) !== 0,
    zip64: false,
  };
  const zip64 = zip64Sizes(extra);
  if (zip64) {
    header.zip64 = true;
    if (header.size === UNKNOWN_32) header.size = zip64.size;
    if (header.compressedSize === UNKNOWN_32) header.compressedSize = zip64.compressedSize;
  }
  return header;
}

/** The sizes of the zip64 extra field, which a local header must give in full (size, then compressed). */
function zip64Sizes(extra: Buffer): { size: number; compressedSize: number } | undefined {
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) !== ZIP64_EXTRA || extra.readUInt16LE(at + 2) < 16 || at + 20 > extra.length) continue;
    return { size: Number(extra.readBigUInt64LE(at + 4)), compressedSize: Number(extra.readBigUInt64LE(at + 12)) };
  }
  return undefined;
}

/** Inflates an entry's stored bytes (read now or set aside earlier) and checks the CRC-32 and size. */
export async function* inflate(raw: AsyncIterable<Buffer>, format: EntryFormat): AsyncGenerator<Buffer> {
  let crc = 0;
  let size = 0;
  if (format.method === STORED) {
    for await (const piece of raw) {
      crc = crc32(piece, crc);
      size += piece.length;
      yield piece;
    }
  } else {
    const inflater = createInflateRaw({ chunkSize: INFLATE_CHUNK });
    const pumped = pipeline(Readable.from(raw), inflater);
    pumped.catch(() => {});
    try {
      for await (const piece of inflater as AsyncIterable<Buffer>) {
        crc = crc32(piece, crc);
        size += piece.length;
        yield piece;
      }
      await pumped;
    } finally {
      inflater.destroy();
    }
  }
  const expected = format.checks();
  if (crc !== expected.crc || size !== expected.size)
    throw new Error(`${format.name} is damaged (its bytes do not match the zip's checksum)`);
}

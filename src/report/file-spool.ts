import { randomUUID } from "node:crypto";
import { closeSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { StringDecoder } from "node:string_decoder";
import { joinPieces } from "./memory-spool.js";
import type { TextSpool } from "./reporter.js";

/** UTF-8 bytes a spool keeps in memory before it moves them to its temporary file. */
export const SPOOL_MEMORY_LIMIT = 1024 * 1024;
/** Bytes read back from the temporary file per chunk. */
const READ_SIZE = 1024 * 1024;

/** The spools of one run: `spool` is RunInfo's factory, `dispose` removes every temporary file. */
export interface SpoolFiles {
  spool: () => TextSpool;
  /** Closes and removes every spool's temporary file; the spools cannot be used afterwards. Safe to repeat. */
  dispose: () => void;
}

export interface SpoolFileOptions {
  /** Where temporary files go; default `os.tmpdir()` at the time the first file is needed. */
  directory?: string;
}

/**
 * Creates the spools of one run. Each keeps up to {@link SPOOL_MEMORY_LIMIT} bytes in memory, then
 * appends them to its own temporary file (created on first need, mode 0600, a unique name) and reads
 * them back in chunks of about 1 MiB, never splitting a character. Files are removed by `dispose`, which
 * the caller runs in a `finally`, and also when the process exits first.
 */
export function createFileSpools(options: SpoolFileOptions = {}): SpoolFiles {
  const spools: FileSpool[] = [];
  let listening = false;
  let disposed = false;
  const removeAll = (): void => {
    for (const spool of spools) spool.remove();
  };
  const directory = (): string => {
    if (!listening) process.on("exit", removeAll);
    listening = true;
    return options.directory ?? os.tmpdir();
  };
  return {
    spool: () => {
      if (disposed) throw new Error("spool requested after the run's spools were disposed");
      const spool = new FileSpool(directory);
      spools.push(spool);
      return spool;
    },
    dispose: () => {
      disposed = true;
      removeAll();
      process.off("exit", removeAll);
    },
  };
}

class FileSpool implements TextSpool {
  private pieces: string[] = [];
  private bufferedBytes = 0;
  private file: { path: string; fd: number } | undefined;
  private removed = false;

  /** `directory` is asked once, when the temporary file is about to be created. */
  constructor(private readonly directory: () => string) {}

  append(text: string): void {
    if (this.removed) throw new Error("spool used after it was disposed");
    if (text === "") return;
    this.pieces.push(text);
    this.bufferedBytes += Buffer.byteLength(text, "utf8");
    if (this.bufferedBytes >= SPOOL_MEMORY_LIMIT) this.flush();
  }

  *chunks(): Generator<string> {
    if (this.removed) throw new Error("spool used after it was disposed");
    if (this.file !== undefined) {
      const buffer = Buffer.allocUnsafe(READ_SIZE);
      // The decoder holds back a character's leading bytes until the rest of it has been read.
      const decoder = new StringDecoder("utf8");
      for (let position = 0; ; ) {
        const read = readSync(this.file.fd, buffer, 0, READ_SIZE, position);
        if (read === 0) break;
        position += read;
        const text = decoder.write(buffer.subarray(0, read));
        if (text !== "") yield text;
      }
      const rest = decoder.end();
      if (rest !== "") yield rest;
    }
    yield* joinPieces(this.pieces);
  }

  remove(): void {
    this.removed = true;
    this.pieces = [];
    if (this.file === undefined) return;
    const { path: file, fd } = this.file;
    this.file = undefined;
    try {
      closeSync(fd);
    } finally {
      rmSync(file, { force: true });
    }
  }

  private flush(): void {
    const bytes = Buffer.from(this.pieces.join(""), "utf8");
    this.pieces = [];
    this.bufferedBytes = 0;
    const file = this.file ?? this.create();
    try {
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(file.fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      throw new Error(`could not write the report's spool file ${file.path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private create(): { path: string; fd: number } {
    const file = path.join(this.directory(), `listing-auditor-${process.pid}-${randomUUID()}.spool`);
    try {
      // "wx+": fail rather than reuse an existing file; read back later from the same descriptor.
      this.file = { path: file, fd: openSync(file, "wx+", 0o600) };
    } catch (error) {
      throw new Error(
        `could not create the report's spool file ${file} (set TMPDIR to a writable folder): ${(error as Error).message}`,
        { cause: error },
      );
    }
    return this.file;
  }
}

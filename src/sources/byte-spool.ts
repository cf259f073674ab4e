import { createReadStream, rmSync } from "node:fs";
import { mkdtemp, open, rm, type FileHandle } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** Bytes a spool keeps in memory before it moves them to a temporary file. */
export const SPOOL_MEMORY_LIMIT = 8 * 1024 * 1024;

/**
 * Bytes set aside to be read later, in memory up to SPOOL_MEMORY_LIMIT and in a temporary file (in a
 * folder of its own under the system temp folder) past it, so that a large workbook costs disk, not
 * memory. `dispose` removes the file; the reader calls it in a `finally`, and so does the process's exit
 * when a run ends before it.
 */
export class ByteSpool {
  private pieces: Buffer[] = [];
  private bytes = 0;
  private file: { folder: string; path: string; handle: FileHandle | undefined } | undefined;
  private readonly removeOnExit = (): void => {
    if (this.file) rmSync(this.file.folder, { recursive: true, force: true });
  };

  async append(piece: Buffer): Promise<void> {
    if (this.file?.handle) {
      await this.file.handle.write(piece);
      return;
    }
    // A piece may be a view of a larger buffer that would otherwise stay alive with it.
    this.pieces.push(Buffer.from(piece));
    this.bytes += piece.length;
    if (this.bytes > SPOOL_MEMORY_LIMIT) await this.moveToFile();
  }

  /** What was appended, in order; to be read once all of it has been appended. */
  async *chunks(): AsyncGenerator<Buffer> {
    if (!this.file) {
      yield* this.pieces;
      return;
    }
    await this.file.handle?.close();
    this.file.handle = undefined;
    yield* createReadStream(this.file.path) as AsyncIterable<Buffer>;
  }

  async dispose(): Promise<void> {
    this.pieces = [];
    if (!this.file) return;
    await this.file.handle?.close().catch(() => {});
    await rm(this.file.folder, { recursive: true, force: true });
    this.file = undefined;
    process.off("exit", this.removeOnExit);
  }

  private async moveToFile(): Promise<void> {
    const folder = await mkdtemp(path.join(os.tmpdir(), "listing-audit-xlsx-"));
    const file = path.join(folder, "sheet.bin");
    this.file = { folder, path: file, handle: undefined };
    process.once("exit", this.removeOnExit);
    this.file.handle = await open(file, "wx", 0o600);
    for (const piece of this.pieces) await this.file.handle.write(piece);
    this.pieces = [];
  }
}

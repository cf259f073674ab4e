import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, rmSync, type WriteStream } from "node:fs";
import { chmod, rename, rm, stat } from "node:fs/promises";
import path from "node:path";

/**
 * A file written in the background and put in place only when the writer says so: text goes to a
 * temporary file in the target's folder (same file system, so the rename is atomic), `commit` renames it
 * over the target, `abort` removes it. Until `commit`, a previous file of the same name is untouched; a
 * process that exits first (a signal, a closed standard output) removes the temporary file on the way out.
 */
export interface AtomicFile {
  /** The file as named by the caller (resolved). */
  readonly path: string;
  /** Where the text goes until `commit`. */
  readonly stream: WriteStream;
  /** Ends the stream, flushes it to disk and renames it over `path`. Rejects (and removes the temporary file) on a write error. */
  commit(): Promise<void>;
  /** Discards what was written; the target is left as it was. Safe to repeat and after `commit`. */
  abort(): Promise<void>;
}

/** Temporary files not yet committed or aborted; removed synchronously if the process exits first. */
const pending = new Set<string>();
let exitHookInstalled = false;

function removePendingOnExit(): void {
  for (const file of pending) rmSync(file, { force: true });
  pending.clear();
}

/**
 * The temporary name for `target`: a dot-file next to it, so folder walks (which skip dot-entries) never
 * read a run's half-written report as an input, and a unique part so concurrent runs never share one.
 */
export function temporaryNameFor(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}-${randomBytes(6).toString("hex")}.tmp`,
  );
}

/**
 * Opens `target` for an atomic write. Fails (with the file system's error) when the folder does not
 * exist or cannot be written, before anything is written. The new file keeps an existing target's
 * permission bits.
 */
export async function openAtomicFile(target: string): Promise<AtomicFile> {
  const resolved = path.resolve(target);
  const temporary = temporaryNameFor(resolved);
  const existingMode = await stat(resolved).then(
    (s) => (s.isFile() ? s.mode & 0o777 : undefined),
    () => undefined,
  );
  // "wx": never reuse a file someone else created under the temporary name. `flush`: fsync before close,
  // so a crash after the rename cannot leave an empty report in place of the old one.
  const stream = createWriteStream(temporary, { flags: "wx", flush: true });
  if (!exitHookInstalled) process.on("exit", removePendingOnExit);
  exitHookInstalled = true;
  pending.add(temporary);
  try {
    await once(stream, "open");
    if (existingMode !== undefined) await chmod(temporary, existingMode);
  } catch (error) {
    pending.delete(temporary);
    stream.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
  let settled = false;
  const discard = async (): Promise<void> => {
    pending.delete(temporary);
    if (!stream.closed) {
      stream.destroy();
      await once(stream, "close").catch(() => undefined);
    }
    await rm(temporary, { force: true });
  };
  return {
    path: resolved,
    stream,
    async commit() {
      if (settled) throw new Error(`${resolved} was already committed or aborted`);
      settled = true;
      try {
        if (stream.errored) throw stream.errored;
        stream.end();
        await once(stream, "close");
        if (stream.errored) throw stream.errored;
        await rename(temporary, resolved);
        pending.delete(temporary);
      } catch (error) {
        await discard();
        throw error;
      }
    },
    async abort() {
      if (settled) return;
      settled = true;
      await discard();
    },
  };
}

/** Writes `data` to `target` atomically (the baseline, fixed files): all of it, or the old file as it was. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const file = await openAtomicFile(target);
  try {
    if (!(typeof data === "string" ? file.stream.write(data, "utf8") : file.stream.write(data)))
      await once(file.stream, "drain");
  } catch (error) {
    await file.abort();
    throw error;
  }
  await file.commit();
}

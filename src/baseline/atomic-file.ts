import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import path from "node:path";

/**
 * Writes `text` to `file` so that a reader only ever sees the old file or the whole new one: the text
 * goes to a temporary file in the same folder (same file system, so the rename is atomic), is flushed
 * to disk, and then replaces `file`. On any failure (ENOSPC, EFBIG, a signal that ends the process
 * through process.exit) the temporary file is removed and the old file stays as it was. Two concurrent
 * writers each rename a whole file of their own: the last one wins, and neither leaves a mixed file.
 */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  removeOnExit(temporary);
  try {
    const handle = await open(temporary, "wx", 0o644);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    pending.delete(temporary);
  }
}

/** Temporary files being written now. */
const pending = new Set<string>();
let listening = false;

function removeOnExit(temporary: string): void {
  pending.add(temporary);
  if (listening) return;
  listening = true;
  process.on("exit", () => {
    // Synchronous: an exit handler runs nothing asynchronous.
    for (const leftover of pending) rmSync(leftover, { force: true });
  });
}

import { once } from "node:events";
import type { Writable } from "node:stream";

/** Text gathered before a write: one system call for many listings' report lines. */
const FLUSH_CHARS = 64 * 1024;
/** The longest a chunk waits, so a slow run (a polite crawl) still shows each result as it comes. */
const FLUSH_MS = 100;

/**
 * Joins a run's small report chunks into larger writes. Reporters return a few hundred characters a
 * listing, and writing each one cost a system call on a file or pipe (standard output to a file is
 * written synchronously). Writes wait for `drain` when the stream's buffer is full; `flush` writes what
 * is left and must be awaited before the stream is ended.
 */
export class CoalescedWriter {
  private pending: string[] = [];
  private size = 0;
  private timer: NodeJS.Timeout | undefined;
  /** A failed write from the timer: the next call reports it. */
  private failure: unknown;

  constructor(private readonly stream: Writable) {
    // A write that fails while nothing waits on the stream (a full disk under a small write) would be an
    // 'error' without a listener, which ends the process with a stack trace: the next call reports it.
    stream.on("error", (error: unknown) => {
      this.failure ??= error;
    });
  }

  /** A chunk, or each chunk of an iterable one (a reporter's `end`). */
  async write(chunk: string | Iterable<string>): Promise<void> {
    // A string is iterable too (by character), so it must be told apart first.
    if (typeof chunk !== "string") {
      for (const piece of chunk) await this.write(piece);
      return;
    }
    if (chunk === "") return;
    this.pending.push(chunk);
    this.size += chunk.length;
    if (this.size >= FLUSH_CHARS) await this.flush();
    else
      this.timer ??= setTimeout(() => this.flush().catch((error: unknown) => (this.failure = error)), FLUSH_MS).unref();
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.failure !== undefined) throw this.failure;
    if (this.size === 0) return;
    const text = this.pending.join("");
    this.pending = [];
    this.size = 0;
    // A destroyed stream would never drain.
    if (this.stream.destroyed) throw this.stream.errored ?? new Error("the output stream was closed");
    if (!this.stream.write(text)) await once(this.stream, "drain");
  }
}

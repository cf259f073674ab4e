import type { Writable } from "node:stream";
import type { AuditProgress } from "../audit.js";
import type { Lang } from "../model.js";
import { RUN_MESSAGES } from "./run-messages.js";

const INTERVAL_MS = 200;

/** A one-line progress display on a terminal: records, rate and problems, redrawn at most every 200 ms. */
export function createProgress(stream: Writable, lang: Lang): { update(progress: AuditProgress): void; clear(): void } {
  let last = 0;
  let shown = false;
  return {
    update(progress) {
      const now = Date.now();
      if (now - last < INTERVAL_MS) return;
      last = now;
      const rate = progress.elapsedMs > 0 ? Math.round((progress.listings * 1000) / progress.elapsedMs) : 0;
      stream.write(`\r\u001b[K${RUN_MESSAGES.progress(progress.listings, rate, progress.problems)[lang]}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write("\r\u001b[K");
      shown = false;
    },
  };
}

import { MAX_TIMER_MS } from "./options.js";

/** Exponential backoff with full jitter on top: base·2^attempt + random(0, base·2^attempt). */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const step = baseMs * 2 ** attempt;
  return step + random() * step;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits `ms` (at most a timer's 32-bit range), or less when `signal` aborts first (the crawl's deadline). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    signal?.addEventListener("abort", done, { once: true });
  });
}

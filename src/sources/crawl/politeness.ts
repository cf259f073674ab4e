import pLimit, { type LimitFunction } from "p-limit";
import { sleep } from "./retry.js";

interface HostState {
  limit: LimitFunction;
  delayMs: number;
  nextStart: number;
}

/**
 * Runs requests with a global concurrency limit, a per-host limit and a minimum gap between two request
 * starts on the same host. The host slot is taken before the global one, so a request waiting out its
 * host's delay never blocks other hosts.
 */
export class HostScheduler {
  private readonly global: LimitFunction;
  private readonly hosts = new Map<string, HostState>();

  constructor(
    concurrency: number,
    private readonly perHost: number,
    private readonly delayMs: number,
    /** The crawl's deadline: a politeness wait ends early once it has passed. */
    private readonly signal?: AbortSignal,
  ) {
    this.global = pLimit(concurrency);
  }

  /** Raises the gap for one host (robots.txt Crawl-delay). */
  setDelay(host: string, delayMs: number): void {
    const state = this.stateOf(host);
    state.delayMs = Math.max(this.delayMs, delayMs);
  }

  run<T>(host: string, task: () => Promise<T>): Promise<T> {
    const state = this.stateOf(host);
    return state.limit(async () => {
      const wait = state.nextStart - Date.now();
      state.nextStart = Math.max(Date.now(), state.nextStart) + state.delayMs;
      if (wait > 0) await sleep(wait, this.signal);
      return this.global(task);
    });
  }

  private stateOf(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = { limit: pLimit(this.perHost), delayMs: this.delayMs, nextStart: 0 };
      this.hosts.set(host, state);
    }
    return state;
  }
}

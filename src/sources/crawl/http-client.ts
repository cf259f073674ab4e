import { Agent } from "undici";
import type { ProblemCode } from "../../model.js";
import { exchange, type Exchange } from "./fetch-once.js";
import { TOTAL_DEADLINE_FACTOR, type ResolvedCrawlOptions } from "./options.js";
import { HostScheduler } from "./politeness.js";
import { backoffDelay, parseRetryAfter, sleep } from "./retry.js";
import { hostOf, normaliseUrl } from "./url.js";

/** A fetched resource after redirects and retries. */
export type FetchResult =
  | { ok: true; url: URL; status: number; headers: Record<string, string>; body: Buffer; timestamp: string }
  | {
      ok: false;
      url: URL;
      code: ProblemCode;
      message: string;
      status?: number;
      headers?: Record<string, string>;
      timestamp?: string;
    };

/** Pages are HTML only; robots.txt is read up to ROBOTS_MAX_BYTES, never refused for its size; other resources whole. */
export type Purpose = "page" | "robots" | "resource";

/**
 * RFC 9309 §2.5: crawlers must parse at least 500 KiB of a robots.txt. Google stops there too: what follows
 * is ignored, but the rules before it (a leading `Disallow: /`) apply, and matching stays cheap.
 */
export const ROBOTS_MAX_BYTES = 500 * 1024;

/** When the time one URL may take (redirects and retries included) runs out; set by its first request. */
interface Budget {
  endsAt?: number;
}

/** Decides whether a hop may be fetched (robots.txt); returns the refusal. */
export type HopCheck = (url: URL) => Promise<{ code: ProblemCode; message: string } | undefined>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** HTTP for the crawler: keep-alive pools, politeness scheduling, retries with backoff, manual redirects. */
export class HttpClient {
  readonly scheduler: HostScheduler;
  private readonly agent: Agent;
  /** Basic credentials from start URLs, sent only to their own origin. */
  private readonly credentials = new Map<string, string>();

  constructor(
    private readonly options: ResolvedCrawlOptions,
    private readonly isHostAllowed: (host: string) => boolean,
    /** The crawl's deadline: aborts requests in flight and waits. */
    private readonly signal: AbortSignal,
  ) {
    this.scheduler = new HostScheduler(options.concurrency, options.perHostConcurrency, options.delayMs, signal);
    this.agent = new Agent({
      connections: options.perHostConcurrency,
      keepAliveTimeout: 10_000,
      connect: { timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  /** Remembers `user:pass@` of a start URL for its origin only. */
  rememberCredentials(raw: string): void {
    try {
      const url = new URL(raw);
      if (url.username || url.password) {
        const token = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString(
          "base64",
        );
        this.credentials.set(url.origin, `Basic ${token}`);
      }
    } catch {
      // Unparsable start URLs are reported by the crawler.
    }
  }

  /**
   * GETs a URL, following redirects and retrying. One URL may take `TOTAL_DEADLINE_FACTOR × timeoutMs` from
   * its first request on, redirects, retries and backoff included: a body that never completes costs one
   * such budget, not one per attempt.
   */
  async fetch(start: URL, purpose: Purpose, checkHop: HopCheck): Promise<FetchResult> {
    const chain = new Set<string>([start.href]);
    const budget: Budget = {};
    let url = start;
    for (let hops = 0; ; hops += 1) {
      const result = await this.fetchWithRetries(url, purpose, budget);
      if (!result.ok || !("redirect" in result)) return result;
      const target = normaliseUrl(result.redirect, url);
      if (!target)
        return {
          ok: false,
          url,
          code: "crawl/redirect-unsupported",
          message: `redirect to an unsupported URL: ${result.redirect}`,
          status: result.status,
        };
      if (chain.has(target.href))
        return {
          ok: false,
          url,
          code: "crawl/redirect-loop",
          message: `redirect loop back to ${target.href}`,
          status: result.status,
        };
      if (hops + 1 > this.options.maxRedirects)
        return {
          ok: false,
          url,
          code: "crawl/too-many-redirects",
          message: `more than ${this.options.maxRedirects} redirects`,
          status: result.status,
        };
      if (hostOf(target) !== hostOf(url) && !this.isHostAllowed(hostOf(target))) {
        return {
          ok: false,
          url,
          code: "crawl/redirect-off-host",
          message: `redirect to another host: ${target.href} (allow it with --allow-host ${hostOf(target)})`,
          status: result.status,
        };
      }
      const refusal = await checkHop(target);
      if (refusal) return { ok: false, url: target, ...refusal };
      chain.add(target.href);
      url = target;
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async fetchWithRetries(
    url: URL,
    purpose: Purpose,
    budget: Budget,
  ): Promise<FetchResult | { ok: true; redirect: string; status: number }> {
    const host = hostOf(url);
    for (let attempt = 0; ; attempt += 1) {
      if (this.signal.aborted)
        return {
          ok: false,
          url,
          code: "crawl/max-time",
          message: "the crawl's --max-time passed before this URL was fetched",
        };
      const result = await this.scheduler.run(host, () => {
        budget.endsAt ??= Date.now() + TOTAL_DEADLINE_FACTOR * this.options.timeoutMs;
        const deadlineMs = Math.max(1, budget.endsAt - Date.now());
        const robots = purpose === "robots";
        const maxBodyBytes = robots ? ROBOTS_MAX_BYTES : this.options.maxBodyBytes;
        return exchange(url, {
          dispatcher: this.agent,
          headers: this.headersFor(url, purpose),
          maxBodyBytes,
          truncate: robots,
          htmlOnly: purpose === "page",
          deadlineMs,
          signal: this.signal,
        });
      });
      const retry = this.retryDecision(result, attempt);
      // A retry that could not start within the URL's budget is not made: the last answer stands.
      if (retry.kind === "wait" && Date.now() + retry.ms < (budget.endsAt ?? Infinity)) {
        await sleep(retry.ms, this.signal);
        continue;
      }
      if (retry.kind === "fail") return { ok: false, url, ...retry.problem };
      return this.interpret(url, result);
    }
  }

  private retryDecision(
    result: Exchange,
    attempt: number,
  ):
    | { kind: "done" }
    | { kind: "wait"; ms: number }
    | {
        kind: "fail";
        problem: {
          code: ProblemCode;
          message: string;
          status?: number;
          headers?: Record<string, string>;
          timestamp?: string;
        };
      } {
    const status = result.kind === "error" ? undefined : result.status;
    const retryable =
      result.kind === "error" ? result.retryable : status === 429 || (status !== undefined && status >= 500);
    if (!retryable) return { kind: "done" };
    const retryAfter = result.kind === "error" ? undefined : parseRetryAfter(result.headers["retry-after"]);
    if (retryAfter !== undefined && retryAfter > this.options.retryAfterCapMs && result.kind !== "error") {
      return {
        kind: "fail",
        problem: {
          code: "crawl/retry-after-too-long",
          message: `HTTP ${status} with Retry-After ${Math.round(retryAfter / 1000)} s, longer than the ${Math.round(this.options.retryAfterCapMs / 1000)} s cap`,
          status,
          headers: result.headers,
          timestamp: result.timestamp,
        },
      };
    }
    if (attempt >= this.options.maxRetries) return { kind: "done" };
    return { kind: "wait", ms: retryAfter ?? backoffDelay(attempt, this.options.backoffMs) };
  }

  private interpret(url: URL, result: Exchange): FetchResult | { ok: true; redirect: string; status: number } {
    if (result.kind === "error") return { ok: false, url, code: result.code, message: result.message };
    const { status, headers, timestamp } = result;
    const location = headers.location;
    if (REDIRECTS.has(status) && location) return { ok: true, redirect: location, status };
    if (result.kind === "response") return { ok: true, url, status, headers, body: result.body, timestamp };
    if (result.reason === "too-large")
      return {
        ok: false,
        url,
        code: "crawl/too-large",
        message: `response larger than ${this.options.maxBodyBytes} bytes`,
        status,
        headers,
        timestamp,
      };
    if (result.reason === "not-html")
      return {
        ok: false,
        url,
        code: "crawl/not-html",
        message: `not an HTML page (${headers["content-type"] ?? "no content type"})`,
        status,
        headers,
        timestamp,
      };
    return { ok: false, url, code: "crawl/http-status", message: `HTTP ${status}`, status, headers, timestamp };
  }

  private headersFor(url: URL, purpose: Purpose): Record<string, string> {
    const headers: Record<string, string> = {
      "user-agent": this.options.userAgent,
      accept: purpose === "page" ? "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5" : "*/*",
      "accept-encoding": "gzip, deflate, br",
    };
    const auth = this.credentials.get(url.origin);
    if (auth) headers.authorization = auth;
    return headers;
  }
}

import type { Problem, ProblemCode, SourceItem } from "../../model.js";
import type { PageContext } from "../page/extract-page.js";
import { HttpClient, type FetchResult, type HopCheck } from "./http-client.js";
import type { ResolvedCrawlOptions } from "./options.js";
import { readPageBytes } from "./page-bytes.js";
import { RobotsCache } from "./robots.js";
import type { SavedPage, SavedPagesWriter } from "./saved-pages.js";
import { parseSitemap } from "./sitemap.js";
import { compileUrlFilter, hostOf, normaliseUrl, redactCredentials } from "./url.js";

/** What fetching one URL produced, kept until it is its turn to be yielded. */
interface EntryOutcome {
  items: SourceItem[];
  links: URL[];
  /** The URL after redirects, for de-duplication. */
  finalUrl?: string;
  saved: Omit<SavedPage, "body">;
  body?: Buffer;
}

/** Sitemap indexes nest; this many sitemap files per crawl at most. */
const MAX_SITEMAPS = 100;

/**
 * A breadth-first crawl, one depth level at a time. Within a level, pages are fetched concurrently but
 * yielded in discovery order, and the next level is built from their links in that order, so two runs
 * over the same site give the same records in the same order.
 */
export class Crawler {
  private readonly client: HttpClient;
  private readonly robots: RobotsCache;
  private readonly allowedHosts = new Set<string>();
  private readonly accepts: (url: URL) => boolean;
  /** Every URL queued or reached through a redirect. */
  private readonly seen = new Set<string>();
  private readonly yieldedFinal = new Set<string>();
  private done = 0;
  private failed = 0;
  private queued = 0;
  /** Aborted when `maxTimeMs` has passed: requests in flight stop, nothing new starts. */
  private readonly deadline = new AbortController();
  private deadlineTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: ResolvedCrawlOptions,
    private readonly context: PageContext,
    private readonly saver: SavedPagesWriter | undefined,
  ) {
    this.client = new HttpClient(options, (host) => this.allowedHosts.has(host), this.deadline.signal);
    this.robots = new RobotsCache(this.client, options.userAgent);
    this.accepts = compileUrlFilter(options.include, options.exclude);
    for (const host of options.allowHosts) this.allowedHosts.add(host);
  }

  async *run(starts: readonly string[]): AsyncGenerator<SourceItem> {
    this.deadlineTimer = setTimeout(() => this.deadline.abort(), this.options.maxTimeMs);
    this.deadlineTimer.unref();
    const level: URL[] = [];
    const sitemapSeeds: URL[] = [];
    for (const raw of starts) {
      const url = normaliseUrl(raw);
      if (!url) {
        const shown = redactCredentials(raw);
        yield problemItem("crawl/invalid-url", `not an http(s) URL: ${shown}`, shown);
        continue;
      }
      this.client.rememberCredentials(raw);
      this.allowedHosts.add(hostOf(url));
      if (/\.xml(\.gz)?$/i.test(url.pathname)) sitemapSeeds.push(url);
      else this.enqueue(url, level, true);
    }
    yield* this.discoverSitemaps(
      starts.map((s) => normaliseUrl(s)).filter((u): u is URL => u !== undefined),
      sitemapSeeds,
      level,
    );

    for (
      let depth = 0;
      level.length > 0 && depth <= this.options.maxDepth && !this.deadline.signal.aborted;
      depth += 1
    ) {
      const batch = level.splice(0, Math.max(0, this.options.maxPages - this.done));
      level.length = 0;
      // All of a level starts at once and is awaited in order: each outcome must settle, never reject,
      // or a later page's failure would be an unhandled rejection while an earlier one is awaited.
      const outcomes = batch.map((url) =>
        this.fetchEntry(url, depth < this.options.maxDepth).catch((error: unknown) => this.crashedEntry(url, error)),
      );
      for (const pending of outcomes) {
        const outcome = await pending;
        if (this.saver) await this.saver.write(outcome.saved, outcome.body);
        if (outcome.finalUrl !== undefined) {
          if (this.yieldedFinal.has(outcome.finalUrl)) continue;
          this.yieldedFinal.add(outcome.finalUrl);
        }
        for (const link of outcome.links) this.enqueue(link, level);
        yield* outcome.items;
      }
    }
    if (this.deadline.signal.aborted) for (const url of level) yield this.maxTimeProblem(url.href, "page");
  }

  async close(): Promise<void> {
    clearTimeout(this.deadlineTimer);
    await this.client.close();
  }

  /** A URL the deadline left unfetched: its own problem, so the count of what is missing is in the report. */
  private maxTimeProblem(url: string, what: "page" | "sitemap"): SourceItem {
    return problemItem("crawl/max-time", `${what} ${this.maxTimeMessage()}`, url, true);
  }

  private maxTimeMessage(): string {
    return `not fetched: the crawl reached its --max-time of ${this.options.maxTimeMs / 1000} s`;
  }

  /** A fault of ours while handling one URL: that URL's problem; the other pages go on. */
  private crashedEntry(url: URL, error: unknown): EntryOutcome {
    const message = `could not handle this URL: ${error instanceof Error ? error.message : String(error)}`;
    return {
      items: [problemItem("crawl/crashed", message, url.href, true)],
      links: [],
      saved: { url: url.href, timestamp: new Date().toISOString(), problem: { code: "crawl/crashed", message } },
    };
  }

  private enqueue(url: URL, level: URL[], isStart = false): void {
    if (this.seen.has(url.href) || !this.allowedHosts.has(hostOf(url))) return;
    if (this.done + level.length >= this.options.maxPages) return;
    // Start URLs are fetched whatever the patterns say; patterns filter what is discovered.
    if (!isStart && !this.accepts(url)) return;
    this.seen.add(url.href);
    level.push(url);
    this.queued += 1;
    this.options.onEvent?.({ type: "queued", url: url.href, queued: this.queued });
  }

  private async *discoverSitemaps(starts: URL[], seeds: URL[], level: URL[]): AsyncGenerator<SourceItem> {
    const pending = [...seeds];
    if (this.options.sitemaps && level.length < this.options.maxPages) {
      const origins = [...new Set(starts.map((u) => u.origin))];
      for (const origin of origins) {
        const rules = await this.robots.rulesFor(new URL(origin));
        for (const href of rules.sitemaps) {
          const url = normaliseUrl(href, origin);
          if (url) pending.push(url);
        }
      }
    }
    const visited = new Set<string>();
    while (pending.length > 0 && visited.size < MAX_SITEMAPS) {
      const url = pending.shift() as URL;
      if (visited.has(url.href)) continue;
      visited.add(url.href);
      if (this.deadline.signal.aborted) {
        yield this.maxTimeProblem(url.href, "sitemap");
        continue;
      }
      // robots.txt and nested indexes may name any host: only allowed hosts are asked, under their robots.txt.
      if (!this.allowedHosts.has(hostOf(url))) {
        yield problemItem(
          "crawl/sitemap-off-host",
          `sitemap on another host not fetched: ${url.href} (allow it with --allow-host ${hostOf(url)})`,
          url.href,
        );
        continue;
      }
      const refusal = await this.hopCheck(url);
      const result = refusal
        ? { ok: false as const, url, ...refusal }
        : await this.client.fetch(url, "resource", this.hopCheck);
      if (!result.ok && this.deadline.signal.aborted) {
        yield this.maxTimeProblem(url.href, "sitemap");
        continue;
      }
      if (!result.ok) {
        yield problemItem(
          result.code === "crawl/robots-disallowed" ? result.code : "crawl/sitemap-failed",
          `sitemap ${url.href}: ${result.message}`,
          url.href,
        );
        continue;
      }
      let entries: ReturnType<typeof parseSitemap>;
      try {
        entries = parseSitemap(result.body);
      } catch (error) {
        yield problemItem("crawl/invalid-sitemap", `sitemap ${url.href}: ${(error as Error).message}`, url.href);
        continue;
      }
      for (const href of entries.sitemaps) {
        const nested = normaliseUrl(href, result.url);
        if (nested) pending.push(nested);
      }
      for (const href of entries.pages) {
        const page = normaliseUrl(href, result.url);
        if (page) this.enqueue(page, level);
      }
    }
  }

  private readonly hopCheck: HopCheck = async (url) => {
    if (!this.options.robots) return undefined;
    const rules = await this.robots.rulesFor(url);
    if (rules.refusal) return rules.refusal;
    if (rules.crawlDelayMs !== undefined) {
      if (rules.crawlDelayMs > this.options.crawlDelayCapMs) {
        return {
          code: "crawl/crawl-delay-too-long",
          message: `robots.txt Crawl-delay ${rules.crawlDelayMs / 1000} s is longer than the ${this.options.crawlDelayCapMs / 1000} s cap`,
        };
      }
      this.client.scheduler.setDelay(hostOf(url), rules.crawlDelayMs);
    }
    return rules.isAllowed(url)
      ? undefined
      : { code: "crawl/robots-disallowed", message: `robots.txt disallows ${url.pathname}` };
  };

  private async fetchEntry(url: URL, wantLinks: boolean): Promise<EntryOutcome> {
    const refusal = await this.hopCheck(url);
    const fetched = refusal
      ? { ok: false as const, url, ...refusal }
      : await this.client.fetch(url, "page", this.hopCheck);
    // Whatever a request cut short by the deadline ended as (aborted, robots.txt unreadable), the deadline is why.
    const result: FetchResult =
      !fetched.ok && this.deadline.signal.aborted
        ? { ok: false, url: fetched.url, code: "crawl/max-time", message: this.maxTimeMessage() }
        : fetched;
    this.done += 1;
    const saved: Omit<SavedPage, "body"> = { url: url.href, timestamp: new Date().toISOString() };
    if (result.url.href !== url.href) saved.finalUrl = result.url.href;
    if (!result.ok) {
      this.failed += 1;
      if (result.status !== undefined) saved.status = result.status;
      if (result.headers) saved.headers = result.headers;
      if (result.timestamp) saved.timestamp = result.timestamp;
      saved.problem = { code: result.code, message: result.message };
      this.options.onEvent?.({
        type: "failed",
        url: url.href,
        code: result.code,
        done: this.done,
        queued: this.queued,
        failed: this.failed,
      });
      return {
        items: [problemItem(result.code, result.message, url.href, result.code === "crawl/max-time")],
        links: [],
        saved,
      };
    }
    this.seen.add(result.url.href);
    Object.assign(saved, { status: result.status, headers: result.headers, timestamp: result.timestamp });
    this.options.onEvent?.({
      type: "fetched",
      url: url.href,
      status: result.status,
      done: this.done,
      queued: this.queued,
      failed: this.failed,
    });
    const page = readPageBytes(result.body, result.headers["content-type"], result.url, this.context, wantLinks);
    // Bodies wait for their turn to be yielded only when they are to be saved.
    return { ...page, finalUrl: result.url.href, saved, ...(this.saver ? { body: result.body } : {}) };
  }
}

function problemItem(code: ProblemCode, message: string, url: string, skipped = false): SourceItem {
  const problem: Problem = { code, message, source: { url } };
  return { kind: "problem", problem, skipped };
}

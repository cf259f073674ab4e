import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { PACKAGE_ROOT } from "../../util/package-root.js";
import type { PageOptions } from "../page/extract-page.js";

/** Options of `crawlSources`; every field is optional and the defaults are polite (docs/crawling.md). */
export interface CrawlOptions extends PageOptions {
  /** Pages to fetch at most, failures included (`--max-pages`). Default 200. */
  maxPages?: number;
  /** Link depth from the start URLs (`--max-depth`); 0 fetches the start URLs only. Default 5. */
  maxDepth?: number;
  /** Requests in flight overall (`--concurrency`). Default 4. */
  concurrency?: number;
  /** Requests in flight per host (`--per-host-concurrency`). Default 2. */
  perHostConcurrency?: number;
  /** Minimum milliseconds between two request starts on one host (`--delay`). Default 250. */
  delayMs?: number;
  /** User-Agent header and robots.txt agent (`--user-agent`). */
  userAgent?: string;
  /** Glob patterns a discovered URL must match (`--include`); against the path + query, or the whole URL when the pattern contains `://`. */
  include?: string[];
  /** Glob patterns that drop a discovered URL (`--exclude`). */
  exclude?: string[];
  /** Honour robots.txt (rules and Crawl-delay); `--no-robots` sets false. Default true. */
  robots?: boolean;
  /** Read the sitemaps listed in robots.txt. Default true. */
  sitemaps?: boolean;
  /** Keep every fetched page in this folder (`--save-pages`). */
  savePages?: string;
  /** Connect, response-header and body-idle timeout in milliseconds (`--timeout`). Default 30 000. */
  timeoutMs?: number;
  /** Further hosts that links and redirects may lead to (`--allow-host`); the start URLs' hosts are always allowed. */
  allowHosts?: string[];
  /** Retries after a network error, 429 or 5xx. Default 3. */
  maxRetries?: number;
  /** First backoff in milliseconds; doubles per retry, plus up to as much again of jitter. Default 500. */
  backoffMs?: number;
  /** Longest Retry-After honoured; a longer one makes the URL a problem. Default 60 000. */
  retryAfterCapMs?: number;
  /** Longest robots.txt Crawl-delay honoured; a longer one makes the host's URLs problems. Default 60 000. */
  crawlDelayCapMs?: number;
  /** Response size cap in bytes (after decompression). Default 5 MiB. */
  maxBodyBytes?: number;
  /** Redirects followed per URL. Default 5. */
  maxRedirects?: number;
  /** Called for every fetch outcome; cheap hooks for progress display. */
  onEvent?: (event: CrawlEvent) => void;
}

/** What the crawler reports while it runs (for progress output). */
export type CrawlEvent =
  | { type: "queued"; url: string; queued: number }
  | { type: "fetched"; url: string; status: number; done: number; queued: number; failed: number }
  | { type: "failed"; url: string; code: string; done: number; queued: number; failed: number };

export type ResolvedCrawlOptions = Required<Omit<CrawlOptions, "savePages" | "onEvent" | keyof PageOptions>> &
  Pick<CrawlOptions, "savePages" | "onEvent"> &
  PageOptions;

const packageSchema = z.object({ version: z.string() });

/** `listing-auditor/<version> (+docs link)`, the version read from package.json. */
export function defaultUserAgent(): string {
  const pkg = packageSchema.parse(JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")));
  return `listing-auditor/${pkg.version} (+https://www.npmjs.com/package/listing-auditor#crawling)`;
}

export const CRAWL_DEFAULTS = {
  maxPages: 200,
  maxDepth: 5,
  concurrency: 4,
  perHostConcurrency: 2,
  delayMs: 250,
  include: [] as string[],
  exclude: [] as string[],
  robots: true,
  sitemaps: true,
  timeoutMs: 30_000,
  allowHosts: [] as string[],
  maxRetries: 3,
  backoffMs: 500,
  retryAfterCapMs: 60_000,
  crawlDelayCapMs: 60_000,
  maxBodyBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
} as const;

const COUNTS = ["maxPages", "concurrency", "perHostConcurrency"] as const;
const NON_NEGATIVE = ["maxDepth", "delayMs", "timeoutMs", "maxRetries", "backoffMs", "retryAfterCapMs", "crawlDelayCapMs", "maxBodyBytes", "maxRedirects"] as const;

/** Fills in defaults; a nonsensical number is a TypeError naming the option (the CLI turns it into exit 2). */
export function resolveCrawlOptions(options: CrawlOptions): ResolvedCrawlOptions {
  for (const key of COUNTS) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) throw new TypeError(`${key} must be a whole number ≥ 1, got ${value}`);
  }
  for (const key of NON_NEGATIVE) {
    const value = options[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new TypeError(`${key} must be a number ≥ 0, got ${value}`);
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as CrawlOptions;
  return { ...CRAWL_DEFAULTS, userAgent: defaultUserAgent(), ...defined, include: [...(options.include ?? [])], exclude: [...(options.exclude ?? [])], allowHosts: (options.allowHosts ?? []).map((h) => h.toLowerCase()) };
}

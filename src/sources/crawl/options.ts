import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { ProblemCode } from "../../model.js";
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
  /** Deadline of the whole crawl in milliseconds (`--max-time` in seconds); URLs not fetched by then are problems. Default 30 minutes. */
  maxTimeMs?: number;
  /** Called for every fetch outcome; cheap hooks for progress display. */
  onEvent?: (event: CrawlEvent) => void;
}

/** What the crawler reports while it runs (for progress output). */
export type CrawlEvent =
  | { type: "queued"; url: string; queued: number }
  | { type: "fetched"; url: string; status: number; done: number; queued: number; failed: number }
  | { type: "failed"; url: string; code: ProblemCode; done: number; queued: number; failed: number };

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
  maxTimeMs: 30 * 60 * 1000,
} as const;

/** Node's timers hold 32 bits: a longer delay silently becomes 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** The whole exchange may take this many times `timeoutMs` (which bounds each phase separately). */
export const TOTAL_DEADLINE_FACTOR = 4;

type NumericKey =
  | "maxPages"
  | "maxDepth"
  | "concurrency"
  | "perHostConcurrency"
  | "delayMs"
  | "timeoutMs"
  | "maxRetries"
  | "backoffMs"
  | "retryAfterCapMs"
  | "crawlDelayCapMs"
  | "maxBodyBytes"
  | "maxRedirects"
  | "maxTimeMs";

/**
 * Every number option: its least value, its largest (timers, or a cap on the work one run may do) and the
 * command-line option that sets it, with the factor from the option's unit to the API's.
 */
export const CRAWL_NUMBER_LIMITS: Record<
  NumericKey,
  { min: number; max: number; integer: boolean; flag?: { name: string; scale: number } }
> = {
  maxPages: { min: 1, max: 100_000, integer: true, flag: { name: "--max-pages", scale: 1 } },
  maxDepth: { min: 0, max: 10_000, integer: true, flag: { name: "--max-depth", scale: 1 } },
  concurrency: { min: 1, max: 256, integer: true, flag: { name: "--concurrency", scale: 1 } },
  perHostConcurrency: { min: 1, max: 256, integer: true },
  delayMs: { min: 0, max: MAX_TIMER_MS, integer: false, flag: { name: "--delay", scale: 1 } },
  timeoutMs: {
    min: 1,
    max: Math.floor(MAX_TIMER_MS / TOTAL_DEADLINE_FACTOR),
    integer: false,
    flag: { name: "--timeout", scale: 1 },
  },
  maxRetries: { min: 0, max: 20, integer: true },
  backoffMs: { min: 0, max: MAX_TIMER_MS, integer: false },
  retryAfterCapMs: { min: 0, max: MAX_TIMER_MS, integer: false },
  crawlDelayCapMs: { min: 0, max: MAX_TIMER_MS, integer: false },
  maxBodyBytes: { min: 0, max: 2 ** 30, integer: true },
  maxRedirects: { min: 0, max: 100, integer: true },
  maxTimeMs: { min: 1, max: MAX_TIMER_MS, integer: false, flag: { name: "--max-time", scale: 1000 } },
};

/** Why a number option is out of range, in the API's terms; undefined when it is fine. */
function rangeProblem(key: NumericKey, value: number): string | undefined {
  const { min, max, integer } = CRAWL_NUMBER_LIMITS[key];
  if (Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value))) return undefined;
  return `${key} must be ${integer ? "a whole number" : "a number"} from ${min} to ${max}, got ${value}`;
}

/** A crawl number out of range, in the option's own unit: the command line words it (exit 2). */
export interface CrawlOptionProblem {
  flag: string;
  min: number;
  max: number;
  /** Undefined when the number is too large to show. */
  got: number | undefined;
}

/** The crawl numbers out of range, each with its option and that option's bounds. */
export function crawlOptionProblems(options: CrawlOptions): CrawlOptionProblem[] {
  const out: CrawlOptionProblem[] = [];
  for (const [key, limit] of Object.entries(CRAWL_NUMBER_LIMITS) as Array<
    [NumericKey, (typeof CRAWL_NUMBER_LIMITS)[NumericKey]]
  >) {
    const value = options[key];
    if (value === undefined || !limit.flag || rangeProblem(key, value) === undefined) continue;
    const { name, scale } = limit.flag;
    out.push({
      flag: name,
      min: Math.ceil(limit.min / scale),
      max: Math.floor(limit.max / scale),
      got: Number.isFinite(value) ? value / scale : undefined,
    });
  }
  return out;
}

/** Fills in defaults; a number out of range is a TypeError naming the option (the CLI refuses such values first, exit 2). */
export function resolveCrawlOptions(options: CrawlOptions): ResolvedCrawlOptions {
  for (const key of Object.keys(CRAWL_NUMBER_LIMITS) as NumericKey[]) {
    const value = options[key];
    const problem = value === undefined ? undefined : rangeProblem(key, value);
    if (problem) throw new TypeError(problem);
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as CrawlOptions;
  return {
    ...CRAWL_DEFAULTS,
    userAgent: defaultUserAgent(),
    ...defined,
    include: [...(options.include ?? [])],
    exclude: [...(options.exclude ?? [])],
    allowHosts: (options.allowHosts ?? []).map((h) => h.toLowerCase()),
  };
}

import { ROBOTS_MAX_BYTES, type HttpClient } from "./http-client.js";
import { parseRobots } from "./robots-rules.js";
import type { Problem } from "../../model.js";

/** What robots.txt says for one origin. */
export interface HostRobots {
  isAllowed(url: URL): boolean;
  /** Crawl-delay for our agent, milliseconds. */
  crawlDelayMs?: number;
  sitemaps: string[];
  /** Why everything is refused: robots.txt unreachable (RFC 9309 §2.3.1.4), or the host itself. */
  refusal?: Pick<Problem, "code" | "message">;
}

const ALLOW_ALL: HostRobots = { isAllowed: () => true, sitemaps: [] };

/** The text of a robots.txt read up to the cap, without a last line the cap cut in two. */
function completeLines(body: Buffer): string {
  const text = body.toString("utf8");
  if (body.length < ROBOTS_MAX_BYTES) return text;
  const end = text.lastIndexOf("\n");
  return end < 0 ? text : text.slice(0, end + 1);
}

/** Fetches each origin's robots.txt once (concurrent callers share the request). */
export class RobotsCache {
  private readonly byOrigin = new Map<string, Promise<HostRobots>>();

  constructor(
    private readonly client: HttpClient,
    private readonly userAgent: string,
  ) {}

  rulesFor(url: URL): Promise<HostRobots> {
    let rules = this.byOrigin.get(url.origin);
    if (!rules) {
      rules = this.load(url.origin);
      this.byOrigin.set(url.origin, rules);
    }
    return rules;
  }

  private async load(origin: string): Promise<HostRobots> {
    const robotsUrl = new URL("/robots.txt", origin);
    const result = await this.client.fetch(robotsUrl, "robots", async () => undefined);
    if (!result.ok) {
      // 4xx (and a redirect elsewhere) mean "no rules"; an unreachable server means "assume disallowed".
      if (result.status !== undefined && result.status >= 400 && result.status < 500) return ALLOW_ALL;
      if (result.code === "crawl/redirect-off-host") return ALLOW_ALL;
      // A host that cannot be reached at all is reported as such, not as a robots refusal.
      const code = result.status === undefined ? result.code : "crawl/robots-disallowed";
      return {
        isAllowed: () => false,
        sitemaps: [],
        refusal: { code, message: `robots.txt unavailable: ${result.message}` },
      };
    }
    const robots = parseRobots(completeLines(result.body), this.userAgent);
    return {
      isAllowed: (url) => robots.isAllowed(url.pathname + url.search),
      ...(robots.crawlDelay !== undefined ? { crawlDelayMs: robots.crawlDelay * 1000 } : {}),
      sitemaps: robots.sitemaps,
    };
  }
}

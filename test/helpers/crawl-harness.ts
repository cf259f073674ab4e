import { afterEach } from "vitest";
import type { SourceItem } from "../../src/model.js";
import { crawlSources, type CrawlOptions } from "../../src/sources/crawl/index.js";
import { startLocalServer, type LocalServer } from "./local-server.js";

/** Fast, still polite in shape: robots on, tiny delays and backoffs; timeouts no loaded machine reaches for a server that answers. */
export const FAST: CrawlOptions = { delayMs: 0, backoffMs: 5, timeoutMs: 20_000, maxRetries: 2 };

/**
 * Local servers closed after each test of the calling file, and a crawl of them with FAST options
 * (overridable) that collects every item.
 */
export function useCrawlHarness(): {
  serve: (routes: Parameters<typeof startLocalServer>[0]) => Promise<LocalServer>;
  crawl: (urls: string[], options?: CrawlOptions) => Promise<SourceItem[]>;
} {
  const servers: LocalServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return {
    async serve(routes) {
      const server = await startLocalServer(routes);
      servers.push(server);
      return server;
    },
    async crawl(urls, options = {}) {
      const items: SourceItem[] = [];
      for await (const item of crawlSources(urls, { ...FAST, ...options })) items.push(item);
      return items;
    },
  };
}

export const titles = (items: SourceItem[]) =>
  items.flatMap((i) => (i.kind === "listing" ? [i.record.listing.title] : []));
export const problems = (items: SourceItem[]) =>
  items.flatMap((i) => (i.kind === "problem" ? [[i.problem.code, i.problem.source.url]] : []));

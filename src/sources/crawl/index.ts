import type { SourceItem } from "../../model.js";
import { formatLocatedError } from "../../util/result.js";
import { loadPageContext } from "../page/extract-page.js";
import { resolveCrawlOptions, type CrawlOptions } from "./options.js";
import { SavedPagesFolderError, SavedPagesWriter } from "./saved-pages.js";

export { CRAWL_DEFAULTS, defaultUserAgent, type CrawlEvent, type CrawlOptions } from "./options.js";

/**
 * Crawls from the start URLs and yields a listing (or problem) per page, in a stable order. Failed URLs
 * are problems with `source.url`; the crawl always ends. Throws only for bad options (a TypeError naming
 * the option) or unreadable region data.
 */
export async function* crawlSources(urls: string[], options: CrawlOptions = {}): AsyncGenerator<SourceItem> {
  const resolved = resolveCrawlOptions(options);
  const context = await loadPageContext(resolved);
  if (!context.ok) throw new Error(context.errors.map(formatLocatedError).join("\n"));
  let saver: SavedPagesWriter | undefined;
  if (resolved.savePages) {
    try {
      saver = await SavedPagesWriter.create(resolved.savePages);
    } catch (error) {
      if (!(error instanceof SavedPagesFolderError)) throw error;
      // Nothing is fetched that could not be kept as asked.
      yield {
        kind: "problem",
        problem: { code: "saved-pages/unwritable", message: error.message, source: { file: resolved.savePages } },
        skipped: true,
      };
      return;
    }
  }
  // Loaded on the first crawl: the HTTP client (undici) is a sizeable share of every run's start-up.
  const { Crawler } = await import("./crawler.js");
  const crawler = new Crawler(resolved, context.value, saver);
  let failed = false;
  try {
    yield* crawler.run(urls);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await crawler.close();
    await (failed ? saver?.abort() : saver?.close());
  }
}

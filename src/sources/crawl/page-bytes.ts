import type { SourceItem } from "../../model.js";
import { extractPage, type PageContext } from "../page/extract-page.js";
import { describeTooDeep } from "../page/nesting-depth.js";
import { decodeBody } from "./decode.js";
import { extractLinks } from "./links.js";

/** What one fetched (or saved) HTML body yields. */
export interface PageOutcome {
  items: SourceItem[];
  links: URL[];
}

/**
 * Decodes and extracts a page body: shared by the crawler and the saved-pages reader, so a saved crawl
 * audits offline to identical records.
 */
export function readPageBytes(
  body: Buffer,
  contentType: string | undefined,
  url: URL,
  context: PageContext,
  wantLinks: boolean,
): PageOutcome {
  const { text } = decodeBody(body, contentType);
  if (contentType === undefined && !/<(!doctype|html|head|body|meta|title|div|p)\b/i.test(text.slice(0, 2048))) {
    return {
      items: [
        {
          kind: "problem",
          problem: {
            code: "crawl/not-html",
            message: "not an HTML page (no content type, no markup)",
            source: { url: url.href },
          },
          skipped: false,
        },
      ],
      links: [],
    };
  }
  const tooDeep = describeTooDeep(text, url.href);
  if (tooDeep)
    return {
      items: [
        {
          kind: "problem",
          problem: { code: "page/too-deep", message: tooDeep, source: { url: url.href } },
          skipped: true,
        },
      ],
      links: [],
    };
  try {
    const $ = context.loadHtml(text);
    return {
      items: extractPage({ html: text, url: url.href }, context, $),
      links: wantLinks ? extractLinks($, url) : [],
    };
  } catch (error) {
    // A page no guard foresaw is that page's problem; the crawl (or the saved-pages audit) goes on.
    const message = `the page could not be read: ${error instanceof Error ? error.message : String(error)}`;
    return {
      items: [
        { kind: "problem", problem: { code: "page/crashed", message, source: { url: url.href } }, skipped: true },
      ],
      links: [],
    };
  }
}

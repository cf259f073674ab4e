import { gunzipSync } from "node:zlib";
import { Parser } from "htmlparser2";

/** Locations listed by a sitemap (`<urlset>`) or a sitemap index (`<sitemapindex>`). */
export interface SitemapEntries {
  pages: string[];
  sitemaps: string[];
}

/** Sitemaps may be 50 MB uncompressed (sitemaps.org). */
export const SITEMAP_MAX_BYTES = 50 * 1024 * 1024;

/** Parses a sitemap body, gunzipping it when it starts with the gzip magic bytes whatever its name. */
export function parseSitemap(body: Buffer): SitemapEntries {
  const xml = body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body, { maxOutputLength: SITEMAP_MAX_BYTES }) : body;
  const entries: SitemapEntries = { pages: [], sitemaps: [] };
  const stack: string[] = [];
  let text = "";
  const parser = new Parser(
    {
      onopentag(name) {
        stack.push(localName(name));
        text = "";
      },
      ontext(chunk) {
        text += chunk;
      },
      onclosetag(name) {
        const local = localName(name);
        if (local === "loc") {
          const parent = stack[stack.length - 2];
          const loc = text.trim();
          if (loc && parent === "url") entries.pages.push(loc);
          else if (loc && parent === "sitemap") entries.sitemaps.push(loc);
        }
        stack.pop();
        text = "";
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(xml.toString("utf8"));
  return entries;
}

function localName(name: string): string {
  return name.slice(name.indexOf(":") + 1).toLowerCase();
}

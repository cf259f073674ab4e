import type { CheerioAPI } from "cheerio";
import { normaliseUrl } from "./url.js";

/** Followable links of a page in document order, resolved against `<base href>`; nofollow is respected. */
export function extractLinks($: CheerioAPI, pageUrl: URL): URL[] {
  const robots = $('meta[name="robots" i]').attr("content")?.toLowerCase() ?? "";
  if (/\b(nofollow|none)\b/.test(robots)) return [];
  const base = normaliseUrl($("base[href]").first().attr("href") ?? "", pageUrl) ?? pageUrl;
  const out: URL[] = [];
  $("a[href], area[href]").each((_, element) => {
    const rel = (element.attribs.rel ?? "").toLowerCase();
    if (/\bnofollow\b/.test(rel) || element.attribs.download !== undefined) return;
    const url = normaliseUrl(element.attribs.href ?? "", base);
    if (url) out.push(url);
  });
  return out;
}

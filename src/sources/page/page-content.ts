import type { CheerioAPI } from "cheerio";

/** What Open Graph and plain meta tags say about the page. */
export interface MetaFields {
  title?: string;
  price?: number;
  currency?: string;
  url?: string;
  isProduct: boolean;
}

export function readMeta($: CheerioAPI): MetaFields {
  const meta = (name: string) => {
    const value = $(`meta[property="${name}" i], meta[name="${name}" i]`).first().attr("content")?.trim();
    return value || undefined;
  };
  const price = meta("product:price:amount") ?? meta("og:price:amount");
  const amount = price === undefined ? undefined : Number(price.replace(/,/g, ""));
  const canonical = $('link[rel~="canonical" i]').first().attr("href")?.trim();
  const type = meta("og:type")?.toLowerCase();
  const out: MetaFields = {
    isProduct: type === "product" || type === "og:product" || type === "product.item" || amount !== undefined,
  };
  const title = meta("og:title") ?? ($("title").first().text().replace(/\s+/g, " ").trim() || undefined);
  const currency = meta("product:price:currency") ?? meta("og:price:currency");
  const url = canonical ?? meta("og:url");
  if (title) out.title = title;
  if (amount !== undefined && Number.isFinite(amount)) out.price = amount;
  if (currency) out.currency = currency.toUpperCase();
  if (url) out.url = url;
  return out;
}

const NOT_CONTENT = "script, style, noscript, template, svg, iframe, nav, header, [hidden], [aria-hidden=true]";

/**
 * The HTML a buyer reads as the detail page: `<main>` (plus page footers, where footnotes and shipping
 * policies live), else the body without navigation and headers.
 */
export function mainContentHtml($: CheerioAPI): string {
  const main = $("main, [role=main]").first();
  if (main.length) {
    const part = main.clone();
    part.find(NOT_CONTENT).remove();
    const footers = $("footer")
      .filter((_, e) => $(e).closest("main, [role=main]").length === 0)
      .toArray()
      .map((e) => {
        const footer = $(e).clone();
        footer.find(NOT_CONTENT).remove();
        return $.html(footer);
      });
    return [part.html() ?? "", ...footers].join("\n").trim();
  }
  const body = $("body").first().clone();
  body.find(NOT_CONTENT).remove();
  return (body.html() ?? "").trim();
}

import type { CheerioAPI } from "cheerio";
import { z } from "zod";
import { compileGlob, type GlobMatcher } from "../../util/glob.js";

/**
 * Per-site extraction from the config file (`extractors:`): CSS selectors for the listing fields of the
 * pages whose URL (or file path) matches `match`. Selectors win over structured data.
 */
export interface ExtractorRule {
  /** Glob over the page URL (`https://shop.example/item/**`) or a bare host (`shop.example`); all pages when omitted. */
  match?: string;
  id?: string;
  title?: string;
  /** Selling point (宝贝卖点). */
  subtitle?: string;
  /** Detail content; its HTML becomes `description`. */
  description?: string;
  price?: string;
  templateId?: string;
  /** The shipping line near the price ("包邮", "Free shipping*"): appended to the subtitle, where buyers read it. */
  shipping?: string;
}

const selector = z.string().trim().min(1);

/** Zod schema of one rule, for the config loader. */
export const extractorRuleSchema = z.strictObject({
  match: selector.optional(),
  id: selector.optional(),
  title: selector.optional(),
  subtitle: selector.optional(),
  description: selector.optional(),
  price: selector.optional(),
  templateId: selector.optional(),
  shipping: selector.optional(),
}) satisfies z.ZodType<ExtractorRule>;

/** Fields read through the first matching rule; only the selectors that matched something are set. */
export interface SelectedFields {
  id?: string;
  title?: string;
  subtitle?: string;
  description?: string;
  price?: number;
  templateId?: string;
}

export function findRule(rules: readonly ExtractorRule[], location: string): ExtractorRule | undefined {
  return rules.find((rule) => matchesLocation(rule.match, location));
}

function matchesLocation(pattern: string | undefined, location: string): boolean {
  if (pattern === undefined) return true;
  if (!/[/*?]/.test(pattern)) {
    try {
      return new URL(location).host.toLowerCase() === pattern.toLowerCase();
    } catch {
      return false;
    }
  }
  let matcher = compiled.get(pattern);
  if (!matcher) {
    matcher = compileGlob(pattern);
    compiled.set(pattern, matcher);
  }
  return matcher(location);
}

/**
 * The crawled site controls the URL: a backtracking matcher (picomatch) takes seconds per page on a URL of a
 * thousand `-` against `…/item/*-*-*-*.html`. These globs run in time linear in pattern × URL.
 */
const compiled = new Map<string, GlobMatcher>();

export function applyRule($: CheerioAPI, rule: ExtractorRule): SelectedFields {
  const text = (css: string | undefined) => {
    if (!css) return undefined;
    const value = $(css).first().text().replace(/\s+/g, " ").trim();
    return value || undefined;
  };
  const out: SelectedFields = {};
  const id = text(rule.id);
  const title = text(rule.title);
  const subtitle = [text(rule.subtitle), text(rule.shipping)].filter(Boolean).join("\n");
  const description = rule.description
    ? $(rule.description)
        .toArray()
        .map((e) => $.html(e))
        .join("\n")
    : "";
  const price = parsePriceText(text(rule.price));
  const templateId = text(rule.templateId);
  if (id) out.id = id;
  if (title) out.title = title;
  if (subtitle) out.subtitle = subtitle;
  if (description) out.description = description;
  if (price !== undefined) out.price = price;
  if (templateId) out.templateId = templateId;
  return out;
}

/** The first amount in a price text ("¥1,299.00 起", "$19.99 – $29.99"). */
export function parsePriceText(text: string | undefined): number | undefined {
  const match = text?.match(/\d[\d,]*(?:\.\d+)?/);
  if (!match) return undefined;
  const value = Number(match[0].replace(/,/g, ""));
  return Number.isFinite(value) ? value : undefined;
}

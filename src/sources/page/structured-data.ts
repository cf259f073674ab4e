import type { CheerioAPI } from "cheerio";
import type { Element } from "domhandler";
import { asArray, isNode, typesOf, type SchemaNode } from "./schema-values.js";

/** JSON-LD blocks of a page, flattened (arrays, `@graph`), with the ones that did not parse. */
export interface JsonLdResult {
  nodes: SchemaNode[];
  /** One message per unparsable block, numbered from 1 in document order. */
  errors: string[];
}

export function readJsonLd($: CheerioAPI): JsonLdResult {
  const nodes: SchemaNode[] = [];
  const errors: string[] = [];
  $('script[type="application/ld+json" i]').each((index, element) => {
    const raw = $(element).text().trim()
      // Some CMSs wrap the JSON in a comment or CDATA to keep old parsers away from it.
      .replace(/^(<!--|<!\[CDATA\[)/, "")
      .replace(/(-->|\]\]>)$/, "")
      .trim();
    if (!raw) return;
    try {
      collectNodes(JSON.parse(raw), nodes);
    } catch (error) {
      errors.push(`JSON-LD block ${index + 1}: ${(error as Error).message}`);
    }
  });
  return { nodes, errors };
}

function collectNodes(value: unknown, into: SchemaNode[]): void {
  for (const item of asArray(value)) {
    if (!isNode(item)) continue;
    into.push(item);
    if (item["@graph"] !== undefined) collectNodes(item["@graph"], into);
  }
}

/** Top-level microdata items (`itemscope` not inside another item) as JSON-LD-like nodes. */
export function readMicrodata($: CheerioAPI): SchemaNode[] {
  const items: SchemaNode[] = [];
  $("[itemscope]").each((_, element) => {
    if (!element.attribs["itemprop"]) items.push(microdataItem($, element));
  });
  return items;
}

function microdataItem($: CheerioAPI, scope: Element): SchemaNode {
  const node: SchemaNode = {};
  const type = scope.attribs["itemtype"];
  if (type) node["@type"] = type.trim().split(/\s+/);
  const visit = (parent: Element) => {
    for (const child of $(parent).children().toArray()) {
      const names = child.attribs["itemprop"]?.trim().split(/\s+/) ?? [];
      const value = child.attribs["itemscope"] !== undefined ? microdataItem($, child) : microdataValue($, child);
      for (const name of names) {
        const existing = node[name];
        node[name] = existing === undefined ? value : [...asArray(existing), value];
      }
      if (child.attribs["itemscope"] === undefined) visit(child);
    }
  };
  visit(scope);
  return node;
}

function microdataValue($: CheerioAPI, element: Element): string {
  const a = element.attribs;
  if (a["content"] !== undefined) return a["content"];
  const tag = element.tagName.toLowerCase();
  if (tag === "meta") return a["content"] ?? "";
  if (["a", "link", "area"].includes(tag)) return a["href"] ?? "";
  if (["img", "audio", "video", "source", "iframe", "embed"].includes(tag)) return a["src"] ?? "";
  if (tag === "data" || tag === "meter") return a["value"] ?? "";
  if (tag === "time") return a["datetime"] ?? $(element).text().trim();
  return $(element).text().trim();
}

const PRODUCT_TYPES = new Set(["product", "productgroup", "individualproduct", "productmodel", "vehicle", "car"]);

/** The page's product: the first Product node; `@id` references among the nodes are resolved on demand. */
export function findProduct(nodes: readonly SchemaNode[]): { product: SchemaNode; resolve: (value: unknown) => unknown } | undefined {
  const byId = new Map<string, SchemaNode>();
  const index = (value: unknown): void => {
    for (const item of asArray(value)) {
      if (!isNode(item)) continue;
      if (typeof item["@id"] === "string" && Object.keys(item).length > 1) byId.set(item["@id"], item);
      for (const v of Object.values(item)) if (typeof v === "object") index(v);
    }
  };
  index(nodes);
  const resolve = (value: unknown): unknown =>
    isNode(value) && typeof value["@id"] === "string" && Object.keys(value).length === 1 ? (byId.get(value["@id"]) ?? value) : value;
  const product = nodes.find((n) => typesOf(n).some((t) => PRODUCT_TYPES.has(t)));
  if (product) return { product, resolve };
  const offer = nodes.find((n) => typesOf(n).includes("offer") && isNode(resolve(n["itemOffered"])));
  if (offer) return { product: { ...(resolve(offer["itemOffered"]) as SchemaNode), offers: offer }, resolve };
  return undefined;
}

import type { CheerioAPI } from "cheerio";
import type { Element } from "domhandler";
import { asArray, typesOf, type SchemaNode } from "./schema-values.js";
import { isRecord } from "../../util/is-record.js";
import type { Problem } from "../../model.js";

/** JSON-LD blocks of a page, flattened (arrays, `@graph`), with the ones that could not be read. */
export interface JsonLdResult {
  nodes: SchemaNode[];
  /** One problem per unreadable block (`page/invalid-json-ld`, `page/too-deep`), numbered from 1 in document order. */
  errors: Array<Pick<Problem, "code" | "message">>;
}

/**
 * Real JSON-LD nests a dozen levels at most. Everything that walks it (node search, `@graph`, `name` of a
 * `name`) recurses, so a block nested deeper is refused whole instead of overflowing the stack.
 */
export const MAX_JSON_LD_DEPTH = 64;

export function readJsonLd($: CheerioAPI): JsonLdResult {
  const nodes: SchemaNode[] = [];
  const errors: JsonLdResult["errors"] = [];
  $('script[type="application/ld+json" i]').each((index, element) => {
    const raw = $(element)
      .text()
      .trim()
      // Some CMSs wrap the JSON in a comment or CDATA to keep old parsers away from it.
      .replace(/^(<!--|<!\[CDATA\[)/, "")
      .replace(/(-->|\]\]>)$/, "")
      .trim();
    if (!raw) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      errors.push({ code: "page/invalid-json-ld", message: `JSON-LD block ${index + 1}: ${(error as Error).message}` });
      return;
    }
    if (exceedsDepth(value, MAX_JSON_LD_DEPTH)) {
      errors.push({
        code: "page/too-deep",
        message: `JSON-LD block ${index + 1}: nested more than ${MAX_JSON_LD_DEPTH} levels deep; the block is not read`,
      });
      return;
    }
    collectNodes(value, nodes);
  });
  return { nodes, errors };
}

/** Whether arrays and objects nest deeper than `limit`; iterative, so any input is measured safely. */
export function exceedsDepth(value: unknown, limit: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof current !== "object" || current === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current))
      if (typeof child === "object" && child !== null) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}

function collectNodes(value: unknown, into: SchemaNode[]): void {
  for (const item of asArray(value)) {
    if (!isRecord(item)) continue;
    into.push(item);
    if (item["@graph"] !== undefined) collectNodes(item["@graph"], into);
  }
}

/** Top-level microdata items (`itemscope` not inside another item) as JSON-LD-like nodes. */
export function readMicrodata($: CheerioAPI): SchemaNode[] {
  const items: SchemaNode[] = [];
  $("[itemscope]").each((_, element) => {
    if (!element.attribs.itemprop) items.push(microdataItem($, element));
  });
  return items;
}

function microdataItem($: CheerioAPI, scope: Element): SchemaNode {
  const node: SchemaNode = {};
  const type = scope.attribs.itemtype;
  if (type) node["@type"] = type.trim().split(/\s+/);
  const visit = (parent: Element) => {
    for (const child of $(parent).children().toArray()) {
      const names = child.attribs.itemprop?.trim().split(/\s+/) ?? [];
      const value = child.attribs.itemscope !== undefined ? microdataItem($, child) : microdataValue($, child);
      for (const name of names) {
        const existing = node[name];
        // Pushed, not copied: a page may repeat one itemprop a hundred thousand times.
        if (existing === undefined) node[name] = value;
        else if (Array.isArray(existing)) existing.push(value);
        else node[name] = [existing, value];
      }
      if (child.attribs.itemscope === undefined) visit(child);
    }
  };
  visit(scope);
  return node;
}

function microdataValue($: CheerioAPI, element: Element): string {
  const a = element.attribs;
  if (a.content !== undefined) return a.content;
  const tag = element.tagName.toLowerCase();
  if (tag === "meta") return a.content ?? "";
  if (["a", "link", "area"].includes(tag)) return a.href ?? "";
  if (["img", "audio", "video", "source", "iframe", "embed"].includes(tag)) return a.src ?? "";
  if (tag === "data" || tag === "meter") return a.value ?? "";
  if (tag === "time") return a.datetime ?? $(element).text().trim();
  return $(element).text().trim();
}

const PRODUCT_TYPES = new Set(["product", "productgroup", "individualproduct", "productmodel", "vehicle", "car"]);

/** The page's product: the first Product node; `@id` references among the nodes are resolved on demand. */
export function findProduct(
  nodes: readonly SchemaNode[],
): { product: SchemaNode; resolve: (value: unknown) => unknown } | undefined {
  const byId = new Map<string, SchemaNode>();
  // Pre-order with an explicit stack, so a later full node with the same `@id` wins, as in document order.
  const stack: unknown[] = [nodes];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i -= 1) stack.push(value[i]);
      continue;
    }
    if (!isRecord(value)) continue;
    if (typeof value["@id"] === "string" && Object.keys(value).length > 1) byId.set(value["@id"], value);
    const children = Object.values(value);
    for (let i = children.length - 1; i >= 0; i -= 1) if (typeof children[i] === "object") stack.push(children[i]);
  }
  const resolve = (value: unknown): unknown =>
    isRecord(value) && typeof value["@id"] === "string" && Object.keys(value).length === 1
      ? (byId.get(value["@id"]) ?? value)
      : value;
  const product = nodes.find((n) => typesOf(n).some((t) => PRODUCT_TYPES.has(t)));
  if (product) return { product, resolve };
  const offer = nodes.find((n) => typesOf(n).includes("offer") && isRecord(resolve(n.itemOffered)));
  if (offer) return { product: { ...(resolve(offer.itemOffered) as SchemaNode), offers: offer }, resolve };
  return undefined;
}

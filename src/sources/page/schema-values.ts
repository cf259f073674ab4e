/** Reading schema.org values, which come as strings, numbers, objects or arrays of any of them. */
import { isRecord } from "../../util/is-record.js";

export type SchemaNode = Record<string, unknown>;

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Local type names, lower-cased: "http://schema.org/Product" and "schema:Product" are both "product". */
export function typesOf(node: SchemaNode): string[] {
  return asArray(node["@type"])
    .filter((t): t is string => typeof t === "string")
    .map((t) => t.replace(/^.*[/#:]/, "").toLowerCase());
}

/** A schema.org property by local name, also when the key is a full IRI. */
export function prop(node: SchemaNode, name: string): unknown {
  if (name in node) return node[name];
  const key = Object.keys(node).find((k) => k.replace(/^.*[/#:]/, "") === name);
  return key === undefined ? undefined : node[key];
}

/** Plain text of a value: strings and numbers, `@value`, or a `name`. */
export function textOf(value: unknown): string | undefined {
  const first = asArray(value)[0];
  if (typeof first === "string") return first.trim() || undefined;
  if (typeof first === "number" && Number.isFinite(first)) return String(first);
  if (isRecord(first)) return textOf(first["@value"] ?? prop(first, "name") ?? prop(first, "identifier"));
  return undefined;
}

/** A number from 12.5, "12.50", "1,299.00", "¥ 99"; undefined when there is none. */
export function numberOf(value: unknown): number | undefined {
  const first = asArray(value)[0];
  if (typeof first === "number") return Number.isFinite(first) ? first : undefined;
  if (isRecord(first) && "@value" in first) return numberOf(first["@value"]);
  if (typeof first !== "string") return undefined;
  const cleaned = first.replace(/[\s,]/g, "").replace(/^[^\d.-]+/, "");
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

export function booleanOf(value: unknown): boolean {
  const first = asArray(value)[0];
  if (typeof first === "boolean") return first;
  if (typeof first === "string") return /^(true|https?:\/\/schema\.org\/True)$/i.test(first.trim());
  return false;
}

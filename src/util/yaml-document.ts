import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { z } from "zod";
import { formatKeyPath, type LocatedError, type Result } from "./result.js";

/**
 * A parsed YAML or JSON document that still knows which line each value came from, so that every
 * validation error can name file, line and key.
 */
export interface LocatedDocument {
  file: string;
  value: unknown;
  /** 1-based line of the value at `path`, or of its nearest ancestor that exists. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** Alias bombs ("billion laughs") are refused rather than expanded. */
const MAX_ALIAS_COUNT = 100;

/** Parses YAML (and therefore JSON). Syntax errors come back located, all of them. */
export function parseLocatedDocument(text: string, file: string): Result<LocatedDocument> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line,
        key: "",
        message: e.message.split("\n")[0] ?? e.message,
      })),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return { ok: false, errors: [{ file, key: "", message: (error as Error).message }] };
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    let node: unknown = doc.contents;
    let line = offsetLine(node, lineCounter);
    for (const key of path) {
      const next = childNode(node, key);
      if (next === undefined) break;
      node = next;
      line = offsetLine(node, lineCounter) ?? line;
    }
    return line;
  };
  return { ok: true, value: { file, value, lineOf } };
}

function childNode(node: unknown, key: PropertyKey): unknown {
  if (isSeq(node) && typeof key === "number") return node.items[key];
  if (isMap(node)) {
    const pair = node.items.find((p) => String((p.key as Node | null)?.toJSON?.() ?? p.key) === String(key));
    return pair?.value ?? pair?.key;
  }
  return undefined;
}

function offsetLine(node: unknown, lineCounter: LineCounter): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? lineCounter.linePos(range[0]).line : undefined;
}

/** Validates a located document against a zod schema; every issue becomes a located error. */
export function validateDocument<S extends z.ZodType>(
  doc: LocatedDocument,
  schema: S,
  pathPrefix: readonly PropertyKey[] = [],
): Result<z.output<S>> {
  const parsed = schema.safeParse(doc.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((issue) => locateIssue(doc, issue, pathPrefix)) };
}

function locateIssue(doc: LocatedDocument, issue: z.core.$ZodIssue, pathPrefix: readonly PropertyKey[]): LocatedError {
  const path = [...pathPrefix, ...issue.path];
  const line = doc.lineOf(path);
  return { file: doc.file, ...(line === undefined ? {} : { line }), key: formatKeyPath(path), message: issue.message };
}

/** An error at a known path of a located document (for checks that go beyond the schema). */
export function errorAt(doc: LocatedDocument, path: readonly PropertyKey[], message: string): LocatedError {
  const line = doc.lineOf(path);
  return { file: doc.file, ...(line === undefined ? {} : { line }), key: formatKeyPath(path), message };
}

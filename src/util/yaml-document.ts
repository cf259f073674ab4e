import {
  Composer,
  isAlias,
  isMap,
  isSeq,
  LineCounter,
  Parser,
  visit,
  YAMLParseError,
  type CST,
  type Document,
  type Node,
} from "yaml";
import type { z } from "zod";
import { formatKeyPath, type LocatedError, type Result } from "./result.js";
import { describeYamlError } from "./yaml-errors.js";
import { describeIssueZh } from "./zod-messages.js";

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
export const MAX_ALIAS_COUNT = 100;

/**
 * Characters that the aliases of one file may stand for in all. MAX_ALIAS_COUNT holds per record: 200
 * records that each alias one 325 KB description (a 629 KB file) would expand to 65 MB of text.
 */
export const MAX_ALIAS_EXPANSION = 4 * 1024 * 1024;

/**
 * Far deeper than any listing, template or config file needs. The YAML composer recurses once per level:
 * a few thousand levels (a few KB of `[[[[…`) overflow the stack, and V8 may then abort the whole process.
 */
export const MAX_NESTING_DEPTH = 64;

/** A parsed YAML document, or where it nests too deep. */
export type YamlParse = { ok: true; doc: Document.Parsed } | { ok: false; offset: number; message: string };

/**
 * `parseDocument` with a nesting guard: the text is tokenised first (the tokeniser does not recurse), and
 * a collection nested deeper than MAX_NESTING_DEPTH is refused before the recursive composer sees it.
 */
export function parseYamlText(text: string, options: { lineCounter?: LineCounter; uniqueKeys: boolean }): YamlParse {
  const tokens = Array.from(new Parser(options.lineCounter?.addNewLine).parse(text));
  const deep = findTooDeep(tokens);
  if (deep !== undefined)
    return {
      ok: false,
      offset: deep,
      message: `collections nested more than ${MAX_NESTING_DEPTH} levels deep are refused`,
    };
  let doc: Document.Parsed | undefined;
  for (const next of new Composer({ uniqueKeys: options.uniqueKeys }).compose(tokens, true, text.length)) {
    if (doc === undefined) doc = next;
    else {
      doc.errors.push(
        new YAMLParseError(
          [next.range[0], next.range[1]],
          "MULTIPLE_DOCS",
          "Source contains multiple documents; please use YAML.parseAllDocuments()",
        ),
      );
      break;
    }
  }
  // compose(…, forceDoc = true) always yields a document, even for empty text.
  return { ok: true, doc: doc as Document.Parsed };
}

/** Offset of the first collection nested deeper than MAX_NESTING_DEPTH, walked with an explicit stack. */
function findTooDeep(tokens: readonly CST.Token[]): number | undefined {
  const stack = tokens.map((token) => ({ token, depth: 0 }));
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { token, depth } = next;
    if (token.type === "document" && token.value) stack.push({ token: token.value, depth });
    if (token.type !== "block-map" && token.type !== "block-seq" && token.type !== "flow-collection") continue;
    if (depth >= MAX_NESTING_DEPTH) return token.offset;
    for (const item of token.items as CST.CollectionItem[]) {
      if (item.key) stack.push({ token: item.key, depth: depth + 1 });
      if (item.value) stack.push({ token: item.value, depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * Measures what aliases expand to, by the source text of their anchors (aliases inside an anchor count
 * for what they stand for, however deep they nest): `cost(node)` is the characters the aliases under
 * `node` add when it becomes a value. Memoised per anchor, so a file costs one walk.
 */
export function createAliasMeter(doc: Document.Parsed): (node: Node) => number {
  const expanded = new Map<Node, number>();
  const expand = (target: Node): number => {
    const known = expanded.get(target);
    if (known !== undefined) return known;
    // An anchor that aliases itself never ends: no file may expand it.
    expanded.set(target, Infinity);
    const range = target.range;
    const size = (range ? range[1] - range[0] : 0) + cost(target);
    expanded.set(target, size);
    return size;
  };
  const cost = (node: Node): number => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      return target ? expand(target) : 0;
    }
    let total = 0;
    visit(node, {
      Alias(_, alias) {
        const target = alias.resolve(doc);
        if (target) total += expand(target);
      },
    });
    return total;
  };
  return cost;
}

/** Parses YAML (and therefore JSON). Syntax errors come back located, all of them. */
export function parseLocatedDocument(text: string, file: string): Result<LocatedDocument> {
  const lineCounter = new LineCounter();
  const parsed = parseYamlText(text, { lineCounter, uniqueKeys: true });
  if (!parsed.ok) {
    const zh = `嵌套超过 ${MAX_NESTING_DEPTH} 层，已拒绝：模板、配置和商品文件都用不到这么深`;
    return {
      ok: false,
      errors: [{ file, line: lineCounter.linePos(parsed.offset).line, key: "", message: parsed.message, zh }],
    };
  }
  const doc = parsed.doc;
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({ file, key: "", ...describeYamlError(e, text, lineCounter) })),
    };
  }
  if (doc.contents && createAliasMeter(doc)(doc.contents) > MAX_ALIAS_EXPANSION) {
    return {
      ok: false,
      errors: [
        {
          file,
          key: "",
          message: `its aliases expand to more than ${MAX_ALIAS_EXPANSION} characters (an alias bomb); write the values out`,
        },
      ],
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

/** A schema issue as a located error, worded in both languages; `pathPrefix` places a sub-document. */
export function locateIssue(
  doc: LocatedDocument,
  issue: z.core.$ZodIssue,
  pathPrefix: readonly PropertyKey[] = [],
): LocatedError {
  const path = [...pathPrefix, ...issue.path];
  const received = valueAt(doc.value, issue.path);
  const colon = missingSpaceAfterColon(issue, received);
  const message = colon ? `${issue.message} (put a space after the colon: "${colon}")` : issue.message;
  const zh = colon ? `冒号后要加一个空格：写成 "${colon}"` : describeIssueZh(issue, received);
  return errorAt(doc, path, { message, zh });
}

/**
 * `- id:T1` is a string to YAML, not a key and a value: the commonest slip when a key was expected.
 * Returns the corrected text, or undefined.
 */
function missingSpaceAfterColon(issue: z.core.$ZodIssue, received: unknown): string | undefined {
  if (issue.code !== "invalid_type" || issue.expected !== "object" || typeof received !== "string") return undefined;
  const match = /^([A-Za-z_$][\w$]*)[:：](\S.*)$/.exec(received.trim());
  return match ? `${match[1]}: ${match[2]}` : undefined;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** An error at a known path of a located document (for checks that go beyond the schema). */
export function errorAt(
  doc: LocatedDocument,
  path: readonly PropertyKey[],
  message: string | { message: string; zh: string },
): LocatedError {
  const line = doc.lineOf(path);
  const text = typeof message === "string" ? { message } : message;
  return { file: doc.file, ...(line === undefined ? {} : { line }), key: formatKeyPath(path), ...text };
}

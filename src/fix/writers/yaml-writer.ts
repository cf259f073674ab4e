import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type Scalar } from "yaml";
import { decodeFileText } from "../../util/text-encoding.js";
import type { FieldEdit } from "../plan-fixes.js";
import { patchText, type TextPatch } from "./text-patches.js";
import type { FixWriter, RecordFix, WriteOutcome } from "./writer.js";

/**
 * Writes fixes into YAML listing files by patching the changed scalars' text: comments, key order, anchors
 * and every other value stay as they were. A changed value is written double-quoted (a block scalar too),
 * which any YAML reader reads as the same string. A 宝贝卖点 the listing lacked is added after its title.
 */
export function openYamlWriter(bytes: Buffer): FixWriter {
  return {
    format: "yaml",
    writable: () => true,
    apply(fixes: readonly RecordFix[]): WriteOutcome {
      const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
      const text = decodeFileText(bytes);
      const doc = parseDocument(text, { uniqueKeys: false });
      const root = doc.contents;
      const list = isMap(root) ? root.get("listings", true) : root;
      const items = isSeq(list) ? list.items : [];
      const patched = patchText(text, fixes, (fix, edit) => {
        const item = fix.row === undefined ? undefined : items[fix.row - 1];
        return isMap(item) ? patchField(text, item as unknown as MapNode, edit) : undefined;
      });
      const data = Buffer.from((bom ? "\uFEFF" : "") + patched.text, "utf8");
      return { data, applied: patched.applied, refused: patched.refused };
    },
  };
}

type MapNode = Node & { items: Pair<Node, Node>[]; get(key: string, keep: true): unknown; flow?: boolean };

function patchField(text: string, item: MapNode, edit: FieldEdit): TextPatch | undefined {
  let target: unknown;
  if (edit.field === "sku") {
    const skus = item.get("skus", true);
    const sku = isSeq(skus) ? skus.items[edit.index ?? 0] : undefined;
    target = isMap(sku) ? sku.get("name", true) : undefined;
  } else target = item.get(edit.field, true);
  const literal = JSON.stringify(edit.after);
  if (target === undefined) return insertAfterTitle(text, item, edit, literal);
  if (!isScalar(target) || target.value !== edit.before || !target.range) return undefined;
  const scalar = target as Scalar;
  const [start, end] = scalar.range as [number, number, number];
  // A block scalar's text runs to the line break after it, which stays.
  const breaks =
    scalar.type === "BLOCK_LITERAL" || scalar.type === "BLOCK_FOLDED" ? /\n*$/.exec(text.slice(start, end))?.[0] : "";
  return { start, end, text: literal + (breaks ?? "") };
}

function insertAfterTitle(text: string, item: MapNode, edit: FieldEdit, literal: string): TextPatch | undefined {
  if (edit.before !== "" || edit.field === "sku" || item.flow) return undefined;
  const title = item.items.find((pair) => isScalar(pair.key) && pair.key.value === "title");
  const key = title?.key as Scalar | undefined;
  const value = title?.value as Scalar | undefined;
  if (!key?.range || !value?.range) return undefined;
  const lineStart = text.lastIndexOf("\n", key.range[0] - 1) + 1;
  const indent = " ".repeat(key.range[0] - lineStart);
  const lineEnd = text.indexOf("\n", value.range[1] - 1);
  const at = lineEnd === -1 ? text.length : lineEnd + 1;
  return { start: at, end: at, text: `${indent}${edit.field}: ${literal}\n` };
}

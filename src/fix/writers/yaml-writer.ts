import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type Scalar } from "yaml";
import { decodeFileText } from "../../util/text-encoding.js";
import type { FieldEdit } from "../plan-fixes.js";
import type { FixWriter, RecordFix, WriteOutcome, WriteRefusal } from "./writer.js";

interface Patch {
  start: number;
  end: number;
  text: string;
}

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
      const patches: Patch[] = [];
      const refused: WriteRefusal[] = [];
      let applied = 0;
      for (const fix of fixes) {
        const item = fix.row === undefined ? undefined : items[fix.row - 1];
        for (const edit of fix.edits) {
          const patch = isMap(item) ? patchField(text, item as unknown as MapNode, edit) : undefined;
          if (patch === undefined) refused.push({ fix, edit, reason: "text-moved" });
          else {
            patches.push(patch);
            applied++;
          }
        }
      }
      patches.sort((a, b) => a.start - b.start);
      let out = "";
      let at = 0;
      for (const patch of patches) {
        out += text.slice(at, patch.start) + patch.text;
        at = patch.end;
      }
      out += text.slice(at);
      return { data: Buffer.from((bom ? "\uFEFF" : "") + out, "utf8"), applied, refused };
    },
  };
}

type MapNode = Node & { items: Pair<Node, Node>[]; get(key: string, keep: true): unknown; flow?: boolean };

function patchField(text: string, item: MapNode, edit: FieldEdit): Patch | undefined {
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

function insertAfterTitle(text: string, item: MapNode, edit: FieldEdit, literal: string): Patch | undefined {
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

import { Document, isMap, isScalar, isSeq, parseDocument, type YAMLMap } from "yaml";
import type { Lang, RegionCatalogue, RegionCode, ShippingTemplate } from "../../model.js";
import { fill } from "../../engine/render-message.js";

/** Words of the comments that mark changed rows, from rules.yaml `fixes.templateNotes`. */
export interface TemplateNotes {
  changed: Record<Lang, string>;
  added: Record<Lang, string>;
  converted: Record<Lang, string>;
}

export interface TemplateEdit {
  /** The corrected YAML text. */
  text: string;
  /** Template ids changed. */
  changed: string[];
  /** Template ids whose rows name a group that is only partly to be made free (a row cannot be split). */
  refused: string[];
}

/** Taobao Open Platform templates cannot be re-imported: they become templates of our YAML, then are fixed. */
export function freeRegionsAsYaml(
  templates: readonly ShippingTemplate[],
  free: ReadonlyMap<string, ReadonlySet<RegionCode>>,
  regions: RegionCatalogue,
  notes: TemplateNotes,
  lang: Lang,
  file: string,
): TemplateEdit {
  const name = (code: RegionCode) => regions.get(code)?.shortName ?? code;
  const doc = new Document({
    templates: templates.map((t) => {
      const service = t.services.find((s) => s.default !== undefined) ?? t.services[0];
      const fees = (row: { first: number; firstFee: number; next: number; nextFee: number }) => ({
        first: row.first,
        firstFee: row.firstFee,
        next: row.next,
        nextFee: row.nextFee,
      });
      return {
        id: t.id,
        ...(t.name !== undefined ? { name: t.name } : {}),
        payer: t.payer,
        valuation: t.valuation,
        ...(t.payer === "buyer" && service?.default ? { default: fees(service.default) } : {}),
        ...(t.payer === "buyer" && service && service.rows.length > 0
          ? { regions: service.rows.map((row) => ({ areas: row.areas.map(name), ...fees(row) })) }
          : {}),
        ...(t.noDelivery.length > 0 ? { noDelivery: t.noDelivery.map(name) } : {}),
      };
    }),
  });
  doc.commentBefore = ` ${fill(notes.converted[lang], { file })}`;
  return freeRegionsInYaml(doc.toString({ lineWidth: 0 }), free, regions, notes, lang);
}

/** A replacement of text[start, end). */
interface Patch {
  start: number;
  end: number;
  text: string;
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf("\n", at - 1) + 1;
}

function indentAt(text: string, at: number): string {
  const from = lineStart(text, at);
  return /^[ \t]*/.exec(text.slice(from))?.[0] ?? "";
}

/** A comment line above the line where a node starts, indented as that line. */
function commentAbove(text: string, node: { range?: [number, number, number] | null }, comment: string): Patch[] {
  if (!node.range) return [];
  const at = lineStart(text, node.range[0]);
  return [{ start: at, end: at, text: `${indentAt(text, node.range[0])}# ${comment}\n` }];
}

function zeroFee(map: YAMLMap, key: string): Patch[] {
  const scalar = map.get(key, true);
  return isScalar(scalar) && scalar.range ? [{ start: scalar.range[0], end: scalar.range[1], text: "0" }] : [];
}

/**
 * Makes regions free in templates of our YAML format, editing the document so that comments and every
 * other template stay: a row all of whose areas become free gets fees 0, areas that leave a row move to a
 * new free row, regions the default row charged get a new free row (or the default becomes free when it
 * is all of them). Each changed row carries a comment saying what it was.
 * The file's text changes only there: everything else stays byte for byte.
 */
export function freeRegionsInYaml(
  text: string,
  free: ReadonlyMap<string, ReadonlySet<RegionCode>>,
  regions: RegionCatalogue,
  notes: TemplateNotes,
  lang: Lang,
): TemplateEdit {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const changed: string[] = [];
  const refused: string[] = [];
  const patches: Patch[] = [];
  const list = doc.get("templates", true);
  const name = (code: RegionCode) => regions.get(code)?.shortName ?? code;
  const codesOf = (term: unknown) => regions.resolve(String(term)) ?? [];
  const termOf = (node: unknown) => (isScalar(node) ? node.value : node);
  for (const item of isSeq(list) ? list.items : []) {
    if (!isMap(item)) continue;
    const id = String(item.get("id"));
    const wanted = free.get(id);
    if (wanted === undefined || item.get("payer") === "seller") continue;
    const rows = item.get("regions", true);
    const rowMaps = (isSeq(rows) ? rows.items : []).filter((row): row is YAMLMap => isMap(row));
    const own: Patch[] = [];
    const covered = new Set<RegionCode>();
    const moved: RegionCode[] = [];
    const remaining = new Set<RegionCode>();
    let splitsGroup = false;
    for (const row of rowMaps) {
      const areas = row.get("areas", true);
      if (!isSeq(areas)) continue;
      const terms = areas.items.map(termOf);
      const inside = terms.filter((t) => codesOf(t).length > 0 && codesOf(t).every((c) => wanted.has(c)));
      if (terms.some((t) => codesOf(t).some((c) => wanted.has(c)) && !inside.includes(t))) splitsGroup = true;
      const kept = terms.filter((t) => !inside.includes(t));
      for (const term of kept) for (const code of codesOf(term)) remaining.add(code);
      if (inside.length === 0) continue;
      for (const term of inside) for (const code of codesOf(term)) covered.add(code);
      if (kept.length === 0) {
        const was = { firstFee: String(row.get("firstFee")), nextFee: String(row.get("nextFee") ?? 0) };
        own.push(
          ...commentAbove(text, row, fill(notes.changed[lang], was)),
          ...zeroFee(row, "firstFee"),
          ...zeroFee(row, "nextFee"),
        );
      } else if (areas.range) {
        own.push({ start: areas.range[0], end: areas.range[1], text: `[${kept.map((t) => String(t)).join(", ")}]` });
        for (const term of inside) moved.push(...codesOf(term));
      }
    }
    if (splitsGroup) {
      refused.push(id);
      continue;
    }
    let rest = [...wanted].filter((code) => !covered.has(code) || moved.includes(code));
    // When every province the default row serves is to be free, the default row itself becomes free.
    const served = regions.mainland.filter((code) => !remaining.has(code));
    const fallback = item.get("default", true);
    if (isMap(fallback) && served.length > 0 && served.every((code) => wanted.has(code))) {
      const was = { firstFee: String(fallback.get("firstFee")), nextFee: String(fallback.get("nextFee") ?? 0) };
      own.push(
        ...commentAbove(text, fallback, fill(notes.changed[lang], was)),
        ...zeroFee(fallback, "firstFee"),
        ...zeroFee(fallback, "nextFee"),
      );
      rest = rest.filter((code) => !served.includes(code));
    }
    if (rest.length > 0) {
      const areas = rest.sort().map(name);
      const row = `{ areas: [${areas.join(", ")}], first: 1, firstFee: 0, next: 1, nextFee: 0 }`;
      const comment = fill(notes.added[lang], { regions: areas.join("、") });
      const last = rowMaps.at(-1);
      if (last?.range && rowMaps[0]?.range) {
        const indent = indentAt(text, rowMaps[0].range[0]);
        const at =
          lineStart(text, last.range[2]) === last.range[2] ? last.range[2] : text.indexOf("\n", last.range[2]) + 1;
        own.push({ start: at, end: at, text: `${indent}# ${comment}\n${indent}- ${row}\n` });
      } else if (item.range && item.items[0]?.key) {
        const key = item.items[0].key as { range?: [number, number, number] };
        const indent = key.range ? " ".repeat(key.range[0] - lineStart(text, key.range[0])) : "    ";
        const end = item.range[1];
        const at = text[end - 1] === "\n" ? end : text.indexOf("\n", end) + 1 || text.length;
        own.push({ start: at, end: at, text: `${indent}regions:\n${indent}  # ${comment}\n${indent}  - ${row}\n` });
      }
    }
    patches.push(...own);
    changed.push(id);
  }
  patches.sort((a, b) => a.start - b.start || a.end - b.end);
  let out = "";
  let at = 0;
  for (const patch of patches) {
    out += text.slice(at, patch.start) + patch.text;
    at = Math.max(at, patch.end);
  }
  return { text: out + text.slice(at), changed, refused };
}

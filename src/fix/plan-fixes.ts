import type { FixTargetField, RuleFix } from "../engine/fix-data.js";
import type { FixContext } from "./fix-context.js";
import { renderPhraseRegions } from "../engine/render-message.js";
import type { ClaimRef, Finding, Lang, Listing, RegionCode, TextField } from "../model.js";
import { toVisibleText } from "../text/visible-text.js";
import { brokenLimit } from "./field-limits.js";
import { fieldKey, readField, writeField, type FieldRef } from "./fields.js";
import { rewriteStatement } from "./statement-edits.js";

export interface PlanOptions {
  /** `--fix-rule`: only these rules' findings are fixed. */
  rules?: ReadonlySet<string>;
  /** Whether the file the listing came from can hold a field (a CSV without a 宝贝卖点 column cannot). */
  writable?: (field: TextField) => boolean;
  /** Whether the listing's template does not deliver to a region; without it every region counts as delivered. */
  undeliverable?: (region: RegionCode) => boolean;
}

/** One field's text before and after every fix planned in it. */
export interface FieldEdit extends FieldRef {
  before: string;
  after: string;
  ruleIds: string[];
  /** What the fix leaves to the operator (the invoice setting). */
  notes: Record<Lang, string>[];
}

/** A finding that was not fixed, with the reason code of rules.yaml `fixes.reasons` and its data. */
export interface RefusedFix {
  ruleId: string;
  listingId: string;
  /** The input file, set by the run that writes fixes. */
  file?: string;
  reason: string;
  data: Record<string, string>;
}

export interface FixPlan {
  /** The listing with every planned edit applied. */
  listing: Listing;
  edits: FieldEdit[];
  /** Rule ids of the findings fixed, one entry per finding. */
  fixed: string[];
  refused: RefusedFix[];
}

/**
 * Plans the text fixes of one listing's findings: pure, no files. Fixes that touch the same field are
 * applied one after another to its current text, each located again by its words (a fix whose words
 * moved or vanished is refused, never applied at a stale offset). Exclusions of several findings join
 * into one phrase. A fix that would break a field's limit is refused with the reason.
 */
export function planFixes(
  listing: Listing,
  findings: readonly Finding[],
  context: FixContext,
  options: PlanOptions = {},
): FixPlan {
  const state = new PlanState(listing, context, options);
  const exclusions: { finding: Finding; fix: Extract<RuleFix, { kind: "add-exclusion" }> }[] = [];
  for (const finding of findings) {
    if (options.rules && !options.rules.has(finding.ruleId)) continue;
    const fix = context.data.rules[finding.ruleId];
    if (fix === undefined || fix.kind === "none") {
      state.refuse(finding, "no-fix", { why: fix?.why[context.wording.lang] ?? finding.ruleId });
      continue;
    }
    if (fix.kind === "add-exclusion") exclusions.push({ finding, fix });
    else if (fix.kind === "add-phrase") state.addPhrase([finding], phraseFor(finding, fix, options), fix.fields);
    else state.rewriteSnippets(finding, fix);
  }
  if (exclusions.length > 0) {
    const codes = exclusions.flatMap(({ finding }) => finding.regions.map((r) => r.code));
    const paying = new Set(codes).size;
    const mainland = context.wording.regions.mainland.length;
    // 全国除外 says nothing true: when most provinces pay, the claim itself is wrong.
    if (paying > mainland * context.data.mostRegions) {
      for (const { finding } of exclusions)
        state.refuse(finding, "most-regions-pay", { count: String(paying), total: String(mainland) });
      return state.result();
    }
    // Findings with the same wording share one statement of all their regions (新疆西藏青海不包邮).
    const byPhrase = new Map<string, typeof exclusions>();
    for (const exclusion of exclusions)
      byPhrase.set(exclusion.fix.phrase, [...(byPhrase.get(exclusion.fix.phrase) ?? []), exclusion]);
    for (const [wording, group] of byPhrase) {
      const phrase = exclusionPhrase(
        group.flatMap(({ finding }) => finding.regions.map((r) => r.code)),
        wording,
        context,
      );
      state.addPhrase(
        group.map((e) => e.finding),
        phrase,
        group[0]?.fix.fields ?? [],
      );
    }
  }
  return state.result();
}

/** Applies planned edits to a listing (the one-click fix of a single listing needs no file). */
export function applyEdits(listing: Listing, edits: readonly FieldEdit[]): Listing {
  return edits.reduce((current, edit) => writeField(current, edit, edit.after), listing);
}

/** The fix's `undeliverablePhrase` when the template delivers to none of the finding's regions, else its `phrase`. */
function phraseFor(finding: Finding, fix: Extract<RuleFix, { kind: "add-phrase" }>, options: PlanOptions): string {
  const { undeliverable } = options;
  if (fix.undeliverablePhrase === undefined || undeliverable === undefined || finding.regions.length === 0)
    return fix.phrase;
  return finding.regions.every((region) => undeliverable(region.code)) ? fix.undeliverablePhrase : fix.phrase;
}

function exclusionPhrase(codes: readonly RegionCode[], wording: string, context: FixContext): string {
  return wording.replace("{regions}", renderPhraseRegions([...new Set(codes)], context.wording));
}

class PlanState {
  private current: Listing;
  private readonly edits = new Map<string, FieldEdit>();
  private readonly fixed: string[] = [];
  private readonly refused: RefusedFix[] = [];

  constructor(
    private readonly original: Listing,
    private readonly context: FixContext,
    private readonly options: PlanOptions,
  ) {
    this.current = original;
  }

  refuse(finding: Finding, reason: string, data: Record<string, string>): void {
    this.refused.push({ ruleId: finding.ruleId, listingId: finding.listingId, reason, data });
  }

  /** Appends a phrase to the first field it fits in; findings whose text already holds it count as fixed. */
  addPhrase(findings: readonly Finding[], phrase: string, fields: readonly FixTargetField[]): void {
    const target = fields.find((field) => this.fits(field, phrase));
    if (target === undefined) {
      const names = fields.map((f) => this.context.wording.texts.vocabulary[this.context.wording.lang].fields[f]);
      for (const finding of findings) this.refuse(finding, "does-not-fit", { phrase, fields: names.join("/") });
      return;
    }
    const text = readField(this.current, { field: target }) ?? "";
    const ruleIds = findings.map((f) => f.ruleId);
    if (!text.includes(phrase)) this.set({ field: target }, this.joined(target, text, phrase), ruleIds, []);
    this.fixed.push(...ruleIds);
  }

  /** Rewrites the statements a finding points at (its claim and related claims), latest first per field. */
  rewriteSnippets(finding: Finding, fix: Exclude<RuleFix, { kind: "add-exclusion" | "add-phrase" | "none" }>): void {
    const refs = [finding.claim, ...finding.relatedClaims].filter((r): r is ClaimRef => r !== null);
    if (refs.length === 0) {
      this.refuse(finding, "no-text", { what: finding.message });
      return;
    }
    refs.sort((a, b) => (fieldKey(a) === fieldKey(b) ? b.start - a.start : 0));
    const notes = fix.kind === "remove-statement" ? [fix.note] : [];
    let changed = false;
    for (const ref of refs) {
      const located = this.locate(ref);
      if (typeof located === "string") {
        this.refuse(finding, "text-moved", { field: this.fieldName(ref.field), text: ref.text });
        return;
      }
      const rewrite = rewriteStatement(fix.kind, ref, located, finding, this.context);
      if (!rewrite.ok) {
        this.refuse(finding, rewrite.reason, rewrite.data);
        return;
      }
      const limit = brokenLimit(rewrite.text, ref.field, this.context.data);
      if (limit !== undefined) {
        this.refuse(finding, "too-long", { field: this.fieldName(ref.field), limit });
        return;
      }
      if (rewrite.text !== located.text) {
        this.set(ref, rewrite.text, [finding.ruleId], notes);
        changed = true;
      }
    }
    if (changed) this.fixed.push(finding.ruleId);
    else
      this.refuse(finding, "text-moved", {
        field: this.fieldName(refs[0]?.field ?? "title"),
        text: refs[0]?.text ?? "",
      });
  }

  result(): FixPlan {
    return { listing: this.current, edits: [...this.edits.values()], fixed: this.fixed, refused: this.refused };
  }

  /**
   * Where a statement stands in the field's current text: the same occurrence of its words as in the visible
   * text the finding's offsets point into (the k-th 「不开发票」 stays the k-th). A string when not found.
   */
  private locate(ref: ClaimRef): { text: string; start: number; end: number } | "moved" {
    const original = readField(this.original, ref);
    const text = readField(this.current, ref);
    if (original === undefined || text === undefined) return "moved";
    const visible = toVisibleText(original).text;
    if (visible.slice(ref.start, ref.end) !== ref.text) return "moved";
    const occurrence = countOccurrences(visible.slice(0, ref.start), ref.text);
    let at = -1;
    for (let k = 0; k <= occurrence; k++) {
      at = text.indexOf(ref.text, at + 1);
      if (at === -1) return "moved";
    }
    return { text, start: at, end: at + ref.text.length };
  }

  private fits(field: FixTargetField, phrase: string): boolean {
    if (this.options.writable && !this.options.writable(field)) return false;
    const text = readField(this.current, { field }) ?? "";
    if (text.includes(phrase)) return true;
    return brokenLimit(this.joined(field, text, phrase), field, this.context.data) === undefined;
  }

  private joined(field: FixTargetField, text: string, phrase: string): string {
    if (text.trim() === "") return phrase;
    const { joiners, htmlParagraph } = this.context.data;
    if (field.endsWith("escription") && /<[a-z][^>]*>/i.test(text))
      return text + htmlParagraph.replace("{text}", phrase);
    return text.replace(/\s+$/, "") + joiners[field] + phrase;
  }

  private set(ref: FieldRef, after: string, ruleIds: readonly string[], notes: Record<Lang, string>[]): void {
    const key = fieldKey(ref);
    const edit = this.edits.get(key) ?? {
      ...ref,
      before: readField(this.original, ref) ?? "",
      after,
      ruleIds: [],
      notes: [],
    };
    edit.after = after;
    for (const id of ruleIds) if (!edit.ruleIds.includes(id)) edit.ruleIds.push(id);
    edit.notes.push(...notes);
    this.edits.set(key, edit);
    this.current = writeField(this.current, ref, after);
  }

  private fieldName(field: TextField): string {
    return this.context.wording.texts.vocabulary[this.context.wording.lang].fields[field];
  }
}

function countOccurrences(text: string, word: string): number {
  let n = 0;
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) n++;
  return n;
}

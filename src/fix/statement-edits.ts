import { renderPhraseRegions } from "../engine/render-message.js";
import type { ClaimRef, Finding } from "../model.js";
import { foldText } from "../text/fold.js";
import type { FixContext } from "./fix-context.js";

/** A statement's place in a field's current text. */
export interface LocatedStatement {
  text: string;
  start: number;
  end: number;
}

export type Rewrite = { ok: true; text: string } | { ok: false; reason: string; data: Record<string, string> };

/** The field's text with one statement rewritten by the mechanism `kind` names. */
export function rewriteStatement(
  kind: "name-regions" | "set-fee" | "remove-statement",
  ref: ClaimRef,
  at: LocatedStatement,
  finding: Finding,
  context: FixContext,
): Rewrite {
  switch (kind) {
    case "name-regions":
      return nameRegions(at, finding, context);
    case "set-fee":
      return setFee(at, finding);
    case "remove-statement":
      return removeStatement(ref, at);
  }
}

function splice(at: LocatedStatement, start: number, end: number, replacement: string): string {
  return at.text.slice(0, start) + replacement + at.text.slice(end);
}

/**
 * 偏远地区除外 → 新疆西藏青海宁夏甘肃内蒙古除外: the run from the first region or group word of the statement to
 * its last open group (新疆、西藏等偏远地区; a 部分 before it) becomes the provinces the group was read as.
 */
function nameRegions(at: LocatedStatement, finding: Finding, context: FixContext): Rewrite {
  const statement = at.text.slice(at.start, at.end);
  const mentions = context.wording.regions.findMentions(foldText(statement));
  const lastVague = mentions.filter((m) => m.vague).at(-1);
  const first = mentions[0];
  if (lastVague === undefined || first === undefined)
    return { ok: false, reason: "text-moved", data: { field: finding.source.field ?? "", text: statement } };
  let from = first.start;
  if (statement.slice(Math.max(0, from - 2), from) === "部分") from -= 2;
  const regions = renderPhraseRegions(
    finding.regions.map((r) => r.code),
    context.wording,
  );
  return { ok: true, text: splice(at, at.start + from, at.start + lastVague.end, regions) };
}

const AMOUNT = /\d+(?:\.\d+)?/g;

/** 新疆西藏补运费10元 → …补运费20元, when every region of the statement pays the same. */
function setFee(at: LocatedStatement, finding: Finding): Rewrite {
  const statement = at.text.slice(at.start, at.end);
  const fees = [...new Set(finding.regions.map((r) => r.fee))];
  const fee = fees[0];
  if (fees.length !== 1 || fee === null || fee === undefined)
    return {
      ok: false,
      reason: "fees-differ",
      data: { text: statement, fees: finding.regions.map((r) => `${r.name} ¥${r.fee ?? "?"}`).join("、") },
    };
  const amounts = [...statement.matchAll(AMOUNT)];
  const amount = amounts.at(-1);
  if (amount === undefined) return { ok: false, reason: "no-amount", data: { text: statement } };
  const start = at.start + amount.index;
  return { ok: true, text: splice(at, start, start + amount[0].length, formatYuan(fee)) };
}

function formatYuan(fee: number): string {
  return Number.isInteger(fee) ? String(fee) : fee.toFixed(2).replace(/0$/, "");
}

/** Characters that end a sentence, and the markup around one in HTML. */
const SENTENCE_END = /[。！？；!?;\n]/;
const BEFORE_SENTENCE = /[。！？；!?;\n>]/;

/**
 * Removes the sentence holding the statement (不开发票。 / <p>开票加6%税点</p> keeps its paragraph). In a title
 * or SKU name, which has no sentences, only the statement and the spaces around it go.
 */
function removeStatement(ref: ClaimRef, at: LocatedStatement): Rewrite {
  const { text } = at;
  if (ref.field === "title" || ref.field === "sku" || ref.field === "subtitle") {
    let start = at.start;
    let end = at.end;
    while (start > 0 && /[\s，,、]/.test(text[start - 1] ?? "")) start--;
    while (end < text.length && /[\s，,、]/.test(text[end] ?? "") && start === 0) end++;
    return { ok: true, text: (text.slice(0, start) + text.slice(end)).trim() };
  }
  let start = at.start;
  while (start > 0 && !BEFORE_SENTENCE.test(text[start - 1] ?? "")) start--;
  let end = at.end;
  while (end < text.length && !SENTENCE_END.test(text[end] ?? "") && text[end] !== "<") end++;
  if (end < text.length && /[。！？；!?;]/.test(text[end] ?? "")) end++;
  // A paragraph that held only this sentence goes with it.
  if (text.slice(start - 3, start) === "<p>" && text.slice(end, end + 4) === "</p>") {
    start -= 3;
    end += 4;
  }
  return { ok: true, text: text.slice(0, start) + text.slice(end) };
}

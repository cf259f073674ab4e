import type { InvoiceStatement } from "../model.js";
import type { Anchor } from "./compile-lexicon.js";
import type { ParseState } from "./parse-state.js";
import type { PhraseMatch } from "./phrase-index.js";

/** An amount that may stand between a tax verb and its noun (加8%税点, 另加六个点). */
const AMOUNT_BEFORE = /(?:\d+(?:\.\d+)?%?|[一二两三四五六七八九十]+) ?$/;
const REACH = 8;

/**
 * A tax noun (税点) in a statement about invoices: with a tax verb before it (需加8%税点, 开发票要另加税点)
 * or a payer verb after it (税点由买家承担) it is a surcharge; a negation before the verb (不加税点) makes it
 * none. Undefined when it is no surcharge.
 */
export function readTaxSurcharge(state: ParseState, noun: PhraseMatch<Anchor>): InvoiceStatement | undefined {
  const { folded, lexicon } = state;
  const [from, to] = clauseAround(folded, noun.start, noun.end);
  if (lexicon.ticketWords.scan(sentenceAround(folded, noun.start, noun.end)).length === 0) return undefined;
  let at = noun.start;
  const amount = AMOUNT_BEFORE.exec(folded.slice(Math.max(from, at - REACH), at));
  if (amount) at -= amount[0].length;
  const verb = lexicon.taxVerbs.matchEndingAt(folded, at, from);
  if (verb) {
    if (lexicon.negations.matchEndingAt(folded, verb.start, from)) return undefined;
    return statement(state, verb.start, noun.end);
  }
  const after = folded.slice(noun.end, Math.min(to, noun.end + REACH));
  for (let i = 0; i < after.length; i += 1) {
    const payer = lexicon.taxPayerVerbs.matchAt(folded, noun.end + i);
    if (payer) return statement(state, noun.start, payer.end);
  }
  return undefined;
}

function statement(state: ParseState, start: number, end: number): InvoiceStatement {
  return { text: state.original.slice(start, end), start, end, kind: "surcharge" };
}

const CLAUSE_END = /[,。;!?\n]/;
const SENTENCE_END = /[。;!?\n]/;

function clauseAround(text: string, start: number, end: number): [number, number] {
  return around(text, start, end, CLAUSE_END);
}

function sentenceAround(text: string, start: number, end: number): string {
  const [from, to] = around(text, start, end, SENTENCE_END);
  return text.slice(from, to);
}

function around(text: string, start: number, end: number, stop: RegExp): [number, number] {
  let from = start;
  while (from > 0 && !stop.test(text[from - 1] as string)) from -= 1;
  let to = end;
  while (to < text.length && !stop.test(text[to] as string)) to += 1;
  return [from, to];
}

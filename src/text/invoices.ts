import type { InvoiceStatement } from "../model.js";
import type { Anchor } from "./compile-lexicon.js";
import type { ParseState } from "./parse-state.js";
import type { PhraseIndex, PhraseMatch } from "./phrase-index.js";

const REACH = 8;
/** How far from the tax noun, within its sentence, the word 票 must stand. */
const TICKET_REACH = 64;

/**
 * A tax noun (税点) in a statement about invoices: with a tax verb before it (需加8%税点, 开发票要另加税点)
 * or a payer verb after it (税点由买家承担) it is a surcharge; a negation before the verb (不加税点) makes it
 * none. Undefined when it is no surcharge.
 */
export function readTaxSurcharge(state: ParseState, noun: PhraseMatch<Anchor>): InvoiceStatement | undefined {
  const { folded, lexicon } = state;
  const [from, to] = state.clauses().around(noun.start);
  const [sentenceStart, sentenceEnd] = state.sentences().around(noun.start);
  const near = [
    Math.max(sentenceStart, noun.start - TICKET_REACH),
    Math.min(sentenceEnd, noun.end + TICKET_REACH),
  ] as const;
  if (!mentions(lexicon.ticketWords, folded, near[0], near[1])) return undefined;
  let at = noun.start;
  const amount = lexicon.amountBeforeTax.exec(folded.slice(Math.max(from, at - REACH), at));
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

/** Whether a phrase of `words` stands in text[from, to). */
function mentions(words: PhraseIndex<true>, text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) if (words.matchAt(text, i)) return true;
  return false;
}

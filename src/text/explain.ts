import type { BuyerPaysStatement, Claim, Disclosure, InvoiceStatement } from "../model.js";
import { parseText, type ParseContext } from "./parser.js";
import { readVisibleText } from "./visible-text.js";

/**
 * `explain --json` output (see docs/report-format.md#explain-output): the parsed lists with their keys in the
 * documented order, so the JSON reads like the example there; a disclosure always says whether it is a footnote.
 */
export interface Explanation {
  text: string;
  claims: Claim[];
  disclosures: Array<Disclosure & { footnote: boolean }>;
  buyerPays: BuyerPaysStatement[];
  invoice: InvoiceStatement[];
}

/** Explains what the parser reads in a text (plain or HTML): the documented shape, keys in its order. */
export function explainText(input: string, context: ParseContext): Explanation {
  const text = readVisibleText(input);
  const parsed = parseText(text, context);
  return {
    text,
    claims: parsed.claims.map((c) => ({
      text: c.text,
      start: c.start,
      end: c.end,
      scope: c.scope,
      regions: c.regions,
      excluded: c.excluded,
      condition: c.condition,
      carrier: c.carrier,
      ...(c.scope === "partial" && c.count !== undefined ? { count: c.count } : {}),
    })),
    disclosures: parsed.disclosures.map((d) => ({
      text: d.text,
      start: d.start,
      end: d.end,
      regions: d.regions,
      fee: d.fee,
      vague: d.vague,
      kind: d.kind,
      footnote: d.footnote === true,
      ...(d.partial ? { partial: d.partial } : {}),
    })),
    buyerPays: parsed.buyerPays.map((b) => ({ text: b.text, start: b.start, end: b.end, kind: b.kind })),
    invoice: parsed.invoice.map((i) => ({ text: i.text, start: i.start, end: i.end, kind: i.kind })),
  };
}

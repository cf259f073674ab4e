import { z } from "zod";
import type { InvoiceStatement } from "../../model.js";
import { toClaimRef, type Located } from "../listing-facts.js";
import { arg, type MessageData } from "../message-data.js";
import { splitAnchor } from "../report-helpers.js";
import { defineRule } from "../rule.js";

/** Invoice surcharges always; refusals on Tmall or against an offered invoice; Tmall without invoice. */
export const invoiceRefusal = defineRule({
  meta: {
    id: "invoice/refusal",
    defaultSeverity: "warning",
    docs: "docs/rules/invoice-refusal.md",
    messages: {
      surcharge: ["field", "text"],
      refusal: ["field", "text"],
      refusalTmall: ["field", "text"],
      tmallWithoutInvoice: [],
    },
  },
  options: z.strictObject({
    /** Treat 只开普票 / 不开专票 as a refusal. */
    limitedIsRefusal: z.boolean(),
  }),
  check({ facts, platform, options }) {
    const listing = facts.record.listing;
    const tmall = platform === "tmall";
    const offered = listing.invoice === true || facts.invoice.some((s) => s.item.kind === "offer");
    const isRefusal = (s: InvoiceStatement) => s.kind === "refusal" || (options.limitedIsRefusal && s.kind === "limited");
    const firing: Array<Located<InvoiceStatement>> = facts.invoice.filter(
      (s) => s.item.kind === "surcharge" || (isRefusal(s.item) && (tmall || offered)),
    );
    const anchor = firing[0];
    if (anchor === undefined) {
      if (!tmall || listing.invoice !== false) return null;
      const data: MessageData = {};
      return { messageId: "tmallWithoutInvoice", claim: null, relatedClaims: [], regions: [], data };
    }
    const messageId = anchor.item.kind === "surcharge" ? "surcharge" : tmall ? "refusalTmall" : "refusal";
    return {
      messageId,
      ...splitAnchor(firing.map(toClaimRef)),
      regions: [],
      data: { field: arg.field(anchor.field), text: arg.text(anchor.item.text) },
    };
  },
});

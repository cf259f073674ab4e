import { z } from "zod";
import type { InvoiceStatement } from "../../model.js";
import { toClaimRef } from "../listing-facts.js";
import { arg } from "../message-data.js";
import { splitAnchor } from "../report-helpers.js";
import { defineRule } from "../rule.js";
import type { Located } from "../facts.js";

/**
 * Invoice surcharges and refusals on every platform (电子商务法第十四条 obliges operators to issue
 * invoices or other purchase vouchers); where a pack says invoices are required, `invoice: false` too.
 */
export const invoiceRefusal = defineRule({
  meta: {
    id: "invoice/refusal",
    defaultSeverity: "warning",
    docs: "docs/rules/invoice-refusal.md",
    messages: {
      surcharge: ["field", "text"],
      refusal: ["field", "text"],
      refusalWhereRequired: ["field", "text", "platform"],
      invoiceRequired: ["platform"],
    },
  },
  options: z.strictObject({
    /** Treat 只开普票 / 不开专票 and partial refusals (kind `limited`) as a refusal. */
    limitedIsRefusal: z.boolean().default(false),
    /**
     * The platform that requires every item to offer invoices, named in each language (天猫); null: none.
     * A platform's pack sets it (rules/packs/tmall.yaml): the rule never asks which platform it runs on.
     */
    invoiceRequiredBy: z
      .strictObject({ zh: z.string().trim().min(1), en: z.string().trim().min(1) })
      .nullable()
      .default(null),
  }),
  check({ facts, options }) {
    const isRefusal = (s: InvoiceStatement) =>
      s.kind === "refusal" || (options.limitedIsRefusal && s.kind === "limited");
    const firing: Array<Located<InvoiceStatement>> = facts.invoice.filter(
      (s) => s.item.kind === "surcharge" || isRefusal(s.item),
    );
    const requiredBy = options.invoiceRequiredBy;
    const anchor = firing[0];
    if (anchor === undefined) {
      if (requiredBy === null || facts.record.listing.invoice !== false) return null;
      return {
        messageId: "invoiceRequired",
        claim: null,
        relatedClaims: [],
        regions: [],
        data: { platform: arg.localized(requiredBy) },
      };
    }
    const common = { field: arg.field(anchor.field), text: arg.text(anchor.item.text) };
    const base = { ...splitAnchor(firing.map(toClaimRef)), regions: [] };
    if (anchor.item.kind === "surcharge") return { ...base, messageId: "surcharge", data: common };
    if (requiredBy === null) return { ...base, messageId: "refusal", data: common };
    return { ...base, messageId: "refusalWhereRequired", data: { ...common, platform: arg.localized(requiredBy) } };
  },
});

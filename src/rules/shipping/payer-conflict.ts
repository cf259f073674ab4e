import { z } from "zod";
import { toClaimRef } from "../listing-facts.js";
import { arg } from "../message-data.js";
import { splitAnchor } from "../report-helpers.js";
import { defineRule } from "../rule.js";

/** The text says the buyer pays postage (邮费自理, 运费到付, 不包邮) while the terms are seller-pays. */
export const payerConflict = defineRule({
  meta: {
    id: "shipping/payer-conflict",
    defaultSeverity: "error",
    docs: "docs/rules/payer-conflict.md",
    messages: { conflict: ["field", "text", "terms"] },
  },
  options: z.strictObject({}),
  check({ facts }) {
    const { terms } = facts;
    if (terms.kind !== "template" || terms.template.payer !== "seller") return null;
    const anchor = facts.buyerPays[0];
    if (anchor === undefined) return null;
    return {
      messageId: "conflict",
      ...splitAnchor(facts.buyerPays.map(toClaimRef)),
      regions: [],
      data: { field: arg.field(anchor.field), text: arg.text(anchor.item.text), terms: arg.terms(facts.termsRef) },
    };
  },
});

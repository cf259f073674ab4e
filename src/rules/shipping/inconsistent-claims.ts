import { z } from "zod";
import type { Claim, ClaimRef, TextField } from "../../model.js";
import { toClaimRef } from "../listing-facts.js";
import { arg } from "../message-data.js";
import { defineRule } from "../rule.js";
import type { ListingFacts } from "../facts.js";

/** One statement about free shipping and what it promises, exclusions aside. */
interface Promise {
  ref: ClaimRef;
  field: TextField;
  /** Equal keys promise the same thing; `none` for an unscoped 不包邮 / 邮费自理. */
  key: string;
}

/** Fields promise different free shipping: another scope or condition, or a claim against 不包邮. */
export const inconsistentClaims = defineRule({
  meta: {
    id: "shipping/inconsistent-claims",
    defaultSeverity: "warning",
    docs: "docs/rules/inconsistent-claims.md",
    messages: { inconsistent: ["field", "claim", "otherField", "other"] },
  },
  options: z.strictObject({}),
  check({ facts }) {
    const promises = collectPromises(facts);
    const claims = promises.filter((p) => p.key !== "none");
    // SKU names are one field: different options may honestly differ among themselves.
    const conflicts = (a: Promise, b: Promise) =>
      a.field !== b.field && a.key !== b.key && (a.key !== "none" || b.key !== "none");
    const involved = promises.filter((p) => promises.some((q) => conflicts(p, q)));
    const anchor = claims.find((c) => involved.includes(c));
    if (anchor === undefined) return null;
    const other = involved.find((p) => conflicts(anchor, p)) ?? involved.find((p) => p !== anchor);
    if (other === undefined) return null;
    return {
      messageId: "inconsistent",
      claim: anchor.ref,
      relatedClaims: involved.filter((p) => p !== anchor).map((p) => p.ref),
      regions: [],
      data: {
        field: arg.field(anchor.field),
        claim: arg.text(anchor.ref.text),
        otherField: arg.field(other.field),
        other: arg.text(other.ref.text),
      },
    };
  },
});

function collectPromises(facts: ListingFacts): Promise[] {
  const claims = facts.claims.map((c) => ({ ref: toClaimRef(c), field: c.field, key: keyOf(c.item) }));
  const negations = facts.buyerPays.map((b) => ({ ref: toClaimRef(b), field: b.field, key: "none" }));
  const rank = (p: Promise) => facts.fields.findIndex((f) => f.field === p.field && f.index === p.ref.index);
  return [...claims, ...negations].sort((a, b) => rank(a) - rank(b) || a.ref.start - b.ref.start);
}

/** What a claim promises, exclusions and carrier aside (those differences belong to other rules). */
function keyOf(claim: Claim): string {
  const c = claim.condition;
  return JSON.stringify([
    claim.scope,
    claim.scope === "regions" ? [...claim.regions].sort() : [],
    claim.count ?? null,
    c?.minAmount ?? null,
    c?.minQuantity ?? null,
    c?.unsupported ?? null,
  ]);
}

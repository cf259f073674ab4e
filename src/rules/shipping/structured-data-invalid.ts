import { z } from "zod";
import type { StructuredDataIssue } from "../../model.js";
import { arg } from "../message-data.js";
import { regionsWithoutFee } from "../report-helpers.js";
import { defineRule } from "../rule.js";

/** A page's structured shipping data contradicts itself or its offer. */
export const structuredDataInvalid = defineRule({
  meta: {
    id: "shipping/structured-data-invalid",
    defaultSeverity: "warning",
    docs: "docs/rules/structured-data-invalid.md",
    messages: {
      "free-and-charged": ["regionNames", "detail"],
      "currency-mismatch": ["regionNames", "detail"],
      "invalid-rate": ["regionNames", "detail"],
    },
  },
  options: z.strictObject({}),
  check({ facts }) {
    const issues: readonly StructuredDataIssue[] = facts.record.structuredDataIssues ?? [];
    const first = issues[0];
    if (first === undefined) return null;
    const regions = regionsWithoutFee(
      facts.regions,
      issues.flatMap((i) => i.regions),
    );
    return {
      messageId: first.kind,
      claim: null,
      relatedClaims: [],
      regions,
      data: { regionNames: arg.regionNames(first.regions), detail: arg.text(issues.map((i) => i.message).join("; ")) },
    };
  },
});

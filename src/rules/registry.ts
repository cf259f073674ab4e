import { invoiceRefusal } from "./invoice/refusal.js";
import type { RuleSetting } from "../model.js";
import type { Rule, RuleEntry } from "./rule.js";
import { claimChargedRegion } from "./shipping/claim-charged-region.js";
import { claimUndeliverableRegion } from "./shipping/claim-undeliverable-region.js";
import { claimUnverifiable } from "./shipping/claim-unverifiable.js";
import { conditionalClaimUnbacked } from "./shipping/conditional-claim-unbacked.js";
import { exclusionOnlyInDescription } from "./shipping/exclusion-only-in-description.js";
import { inconsistentClaims } from "./shipping/inconsistent-claims.js";
import { overseasNotStated } from "./shipping/overseas-not-stated.js";
import { payerConflict } from "./shipping/payer-conflict.js";
import { statedFeeMismatch } from "./shipping/stated-fee-mismatch.js";
import { structuredDataInvalid } from "./shipping/structured-data-invalid.js";
import { vagueExclusion } from "./shipping/vague-exclusion.js";

/** Every rule, sorted by id (findings are ordered by rule id). */
export const RULES: readonly Rule[] = (
  [
    invoiceRefusal,
    claimChargedRegion,
    claimUndeliverableRegion,
    claimUnverifiable,
    conditionalClaimUnbacked,
    exclusionOnlyInDescription,
    inconsistentClaims,
    overseasNotStated,
    payerConflict,
    statedFeeMismatch,
    structuredDataInvalid,
    vagueExclusion,
  ] as readonly Rule[]
).toSorted((a, b) => (a.meta.id < b.meta.id ? -1 : 1));

export const RULE_IDS: readonly string[] = RULES.map((r) => r.meta.id);

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}

/** A rule with its setting and options as a run uses them. */
export interface EffectiveRule extends RuleEntry {
  rule: Rule;
}

/**
 * Every rule, in registry order, as a run uses it on one platform: the platform's generated pack (each
 * rule's own defaults with the platform's differences) with the config's severities (`rules`, presets and
 * matching `overrides` applied) over it. The one place a rule's severity is layered:
 * the engine, the reporters' rule list and the effective settings all read it from here.
 */
export function effectiveRules(
  pack: Readonly<Record<string, RuleEntry>>,
  severities: Readonly<Record<string, RuleSetting>> = {},
): EffectiveRule[] {
  return RULES.map((rule) => {
    const entry = pack[rule.meta.id];
    if (entry === undefined) throw new TypeError(`the rule pack has no entry for rule "${rule.meta.id}"`);
    return { rule, setting: severities[rule.meta.id] ?? entry.setting, options: entry.options };
  });
}

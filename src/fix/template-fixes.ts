import type { FixData } from "../engine/fix-data.js";
import type { Finding, RegionCode } from "../model.js";
import type { RefusedFix } from "./plan-fixes.js";

/** The regions each template must make free (`--fix-strategy template`), and the findings that asks for. */
export interface TemplatePlan {
  /** Template id → mainland regions to make free at every quantity. */
  free: Map<string, Set<RegionCode>>;
  /** Template id → rule ids of the findings fixed by it, one per finding. */
  fixed: Map<string, string[]>;
  refused: RefusedFix[];
}

/**
 * Pure planning of template fixes: a finding whose rule's fix allows the template strategy (`template: true`)
 * and that names a template asks for its charged regions to be free; every other finding is refused with
 * the reason. Making a region free at every quantity also backs a conditional claim (满68包邮) there.
 */
export function planTemplateFixes(
  findings: readonly Finding[],
  data: FixData,
  rules: ReadonlySet<string> | undefined,
): TemplatePlan {
  const plan: TemplatePlan = { free: new Map(), fixed: new Map(), refused: [] };
  for (const finding of findings) {
    if (rules && !rules.has(finding.ruleId)) continue;
    const fix = data.rules[finding.ruleId];
    const id = finding.templateId;
    if (fix?.kind !== "add-exclusion" || !fix.template || id === null || finding.regions.length === 0) {
      plan.refused.push({
        ruleId: finding.ruleId,
        listingId: finding.listingId,
        ...(finding.source.file !== undefined ? { file: finding.source.file } : {}),
        reason: "text-only",
        data: {},
      });
      continue;
    }
    const free = plan.free.get(id) ?? new Set<RegionCode>();
    for (const region of finding.regions) free.add(region.code);
    plan.free.set(id, free);
    plan.fixed.set(id, [...(plan.fixed.get(id) ?? []), finding.ruleId]);
  }
  return plan;
}

import { RULE_IDS } from "../rules/registry.js";
import type { LocatedError } from "../util/result.js";

type ErrorAt = (keyPath: readonly PropertyKey[], message: string) => LocatedError;

/**
 * Unknown rule ids under `rules` and `overrides[i].rules`, read from the raw document so they are reported
 * together with schema mistakes elsewhere in the file.
 */
export function checkRuleIds(raw: unknown, errorAt: ErrorAt): LocatedError[] {
  if (!isObject(raw)) return [];
  const errors = unknownIds(raw.rules, ["rules"], errorAt);
  if (Array.isArray(raw.overrides)) {
    raw.overrides.forEach((override, i) => {
      if (isObject(override)) errors.push(...unknownIds(override.rules, ["overrides", i, "rules"], errorAt));
    });
  }
  return errors;
}

function unknownIds(rules: unknown, at: readonly PropertyKey[], errorAt: ErrorAt): LocatedError[] {
  if (!isObject(rules)) return [];
  return Object.keys(rules)
    .filter((id) => !RULE_IDS.includes(id))
    .map((id) => errorAt([...at, id], `unknown rule id "${id}" (see listing-audit rules)`));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

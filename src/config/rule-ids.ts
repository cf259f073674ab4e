import { RULE_IDS } from "../rules/registry.js";
import { nearestNames } from "../util/nearest.js";
import { bilingual, type LocatedError } from "../util/result.js";
import { isRecord } from "../util/is-record.js";

type ErrorAt = (keyPath: readonly PropertyKey[], message: string | { message: string; zh: string }) => LocatedError;

/**
 * Unknown rule ids under `rules` and `overrides[i].rules`, read from the raw document so they are reported
 * together with schema mistakes elsewhere in the file.
 */
export function checkRuleIds(raw: unknown, errorAt: ErrorAt): LocatedError[] {
  if (!isRecord(raw)) return [];
  const errors = unknownIds(raw.rules, ["rules"], errorAt);
  if (Array.isArray(raw.overrides)) {
    raw.overrides.forEach((override, i) => {
      if (isRecord(override)) errors.push(...unknownIds(override.rules, ["overrides", i, "rules"], errorAt));
    });
  }
  return errors;
}

function unknownIds(rules: unknown, at: readonly PropertyKey[], errorAt: ErrorAt): LocatedError[] {
  if (!isRecord(rules)) return [];
  return Object.keys(rules)
    .filter((id) => !RULE_IDS.includes(id))
    .map((id) => {
      const near = nearestNames(id, RULE_IDS);
      return errorAt(
        [...at, id],
        near.length > 0
          ? bilingual(
              `未知规则 "${id}"，是否指 ${near.join("、")}？`,
              `unknown rule id "${id}" (did you mean ${near.join(", ")}?)`,
            )
          : bilingual(
              `未知规则 "${id}"（规则列表见 listing-audit rules）`,
              `unknown rule id "${id}" (see listing-audit rules)`,
            ),
      );
    });
}

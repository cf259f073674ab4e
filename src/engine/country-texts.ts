import { z } from "zod";
import type { LocatedError, Result } from "../util/result.js";
import { errorAt, parseLocatedDocument, validateDocument, type LocatedDocument } from "../util/yaml-document.js";
import type { Rule } from "../rules/rule.js";
import { placeholdersOf, ruleTextsSchema, type RuleTexts } from "./rule-texts.js";
import { isRecord } from "../util/is-record.js";

const text = z.string().trim().min(1);
const partialLocalized = z.strictObject({ zh: text.optional(), en: text.optional() });
/** Vocabulary overrides: any subset of rules/rules.yaml's vocabulary keys, checked after merging. */
const vocabularyOverride = z.record(z.string(), z.unknown());

/** rules/countries/<cc>.yaml: how findings about offers in that country are worded. */
export const countryTextsSchema = z.strictObject({
  country: z.string().regex(/^[A-Z]{2}$/, "expected an ISO 3166-1 alpha-2 code such as US"),
  vocabulary: z.strictObject({ zh: vocabularyOverride.optional(), en: vocabularyOverride.optional() }).optional(),
  listingPhrases: z.record(z.string(), z.unknown()).optional(),
  rules: z
    .record(
      z.string(),
      z.strictObject({
        reference: partialLocalized.optional(),
        messages: z
          .record(
            z.string(),
            z.strictObject({ message: partialLocalized.optional(), fix: partialLocalized.optional() }),
          )
          .optional(),
      }),
    )
    .optional(),
});

export type CountryTexts = z.output<typeof countryTextsSchema>;

/**
 * Parses a country's wording and lays it over the base rule texts: vocabulary, listing phrases and single
 * messages may be replaced, each checked like rules/rules.yaml (known rule and message ids, placeholders
 * limited to the message's data). Returns the country code and the merged texts.
 */
export function parseCountryTexts(
  source: string,
  file: string,
  base: RuleTexts,
  rules: readonly Rule[],
): Result<{ country: string; texts: RuleTexts }> {
  const doc = parseLocatedDocument(source, file);
  if (!doc.ok) return doc;
  const valid = validateDocument(doc.value, countryTextsSchema);
  if (!valid.ok) return valid;
  const overrides = valid.value;
  const errors = checkMessages(doc.value, overrides, rules);
  const merged = ruleTextsSchema.safeParse(mergeTexts(base, overrides));
  if (!merged.success)
    for (const issue of merged.error.issues) errors.push(errorAt(doc.value, issue.path, issue.message));
  if (errors.length > 0 || !merged.success) return { ok: false, errors };
  return { ok: true, value: { country: overrides.country, texts: merged.data } };
}

function checkMessages(doc: LocatedDocument, overrides: CountryTexts, rules: readonly Rule[]): LocatedError[] {
  const errors: LocatedError[] = [];
  for (const [id, entry] of Object.entries(overrides.rules ?? {})) {
    const messages = entry.messages ?? {};
    const rule = rules.find((r) => r.meta.id === id);
    if (!rule) {
      errors.push(errorAt(doc, ["rules", id], `unknown rule "${id}"`));
      continue;
    }
    const declared = rule.meta.messages as Record<string, readonly string[]>;
    for (const [messageId, wording] of Object.entries(messages)) {
      const keys = declared[messageId];
      if (keys === undefined) {
        errors.push(errorAt(doc, ["rules", id, "messages", messageId], `unknown message id "${messageId}"`));
        continue;
      }
      for (const part of ["message", "fix"] as const) {
        for (const lang of ["zh", "en"] as const) {
          for (const key of placeholdersOf(wording[part]?.[lang] ?? "")) {
            if (!keys.includes(key))
              errors.push(
                errorAt(
                  doc,
                  ["rules", id, "messages", messageId, part, lang],
                  `"{${key}}" is not data of this message (${keys.join(", ") || "none"})`,
                ),
              );
          }
        }
      }
    }
  }
  return errors;
}

/** The base texts with the country's overrides laid over them (objects merged key by key, lists replaced). */
function mergeTexts(base: RuleTexts, overrides: CountryTexts): unknown {
  const rules: Record<string, unknown> = {};
  for (const [id, entry] of Object.entries(base.rules)) {
    rules[id] = mergeValue(entry, overrides.rules?.[id]);
  }
  return {
    vocabulary: mergeValue(base.vocabulary, overrides.vocabulary ?? {}),
    listingPhrases: mergeValue(base.listingPhrases, overrides.listingPhrases ?? {}),
    rules,
  };
}

function mergeValue(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (isRecord(base) && isRecord(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) out[key] = mergeValue(base[key], value);
    return out;
  }
  return override;
}

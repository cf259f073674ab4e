import { z } from "zod";
import type { Lang } from "../model.js";
import type { LocatedError, Result } from "../util/result.js";
import { errorAt, parseLocatedDocument, validateDocument, type LocatedDocument } from "../util/yaml-document.js";
import type { Rule } from "../rules/rule.js";
import { fixDataSchema } from "./fix-data.js";

const text = z.string().trim().min(1);
const localized = z.strictObject({ zh: text, en: text });

const vocabularySchema = z.strictObject({
  separator: z.string(),
  fields: z.strictObject({ title: text, subtitle: text, sku: text, description: text, mobileDescription: text }),
  region: text,
  regionFee: text,
  regionFeeFrom: text,
  money: text,
  leastFee: text,
  leastFeeAt: text,
  /** A conditional claim's charged regions, grouped by quantity and fee (买 3 件（满¥99）仍收运费：新疆 ¥12). */
  // `reached` keeps its leading space in English (" (an order of ¥99)"), so it is not trimmed.
  charges: z.strictObject({
    atQuantity: text,
    atCondition: text,
    reached: z.string().min(1),
    fee: text,
    separator: z.string(),
    groupSeparator: z.string(),
  }),
  terms: z.strictObject({
    template: text,
    "seller-pays": text,
    "flat-fees": text,
    page: text,
    unknown: text,
    none: text,
  }),
  rows: z.strictObject({ first: text, next: text }),
  condition: z.strictObject({ minAmount: text, minQuantity: text, or: z.string() }),
  /** Region names in this language by code; a region not listed is named as in the region data. */
  regionNames: z.record(z.string(), text).default({}),
});

const listingPhrasesSchema = z.strictObject({
  exclusion: text,
  /** The free area a seller states when most provinces pay (满99元包邮仅限江浙沪皖粤京). */
  onlyIn: text,
  /** The delivery area a seller states when most provinces are not delivered to (仅发江浙沪). */
  deliversOnly: text,
  condition: z.strictObject({ minAmount: text, minQuantity: text, or: z.string() }),
  separator: z.string(),
  /** Region codes in the order sellers name them (新疆西藏除外); regions not listed follow by code. */
  order: z.array(text).default([]),
  /** One-character names, written after a group word so the phrase reads as one word (江浙沪皖粤京). */
  abbreviations: z.record(z.string(), text).default({}),
});

export const ruleTextsSchema = z.strictObject({
  vocabulary: z.strictObject({ zh: vocabularySchema, en: vocabularySchema }),
  listingPhrases: listingPhrasesSchema,
  rules: z.record(
    z.string(),
    z.strictObject({
      /** A few words operators recognise the rule by (包邮宣称与运费模板不符), shown beside the id. */
      title: localized,
      description: localized,
      reference: localized,
      messages: z.record(z.string(), z.strictObject({ message: localized, fix: localized })),
    }),
  ),
  /** How findings are fixed in the listing text (`--fix`, src/fix/). */
  fixes: fixDataSchema.optional(),
});

/** rules/rules.yaml after validation. */
export type RuleTexts = z.output<typeof ruleTextsSchema>;
export type Vocabulary = z.output<typeof vocabularySchema>;
export type LocalizedText = Record<Lang, string>;

const PLACEHOLDER = /\{([A-Za-z][\w-]*)\}/g;

/** The `{key}`s a template interpolates. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

/**
 * Parses rules/rules.yaml and checks it against the registry: every rule and message worded, no unknown
 * rule or message, placeholders limited to the keys the rule declares.
 */
export function parseRuleTexts(source: string, file: string, rules: readonly Rule[]): Result<RuleTexts> {
  const doc = parseLocatedDocument(source, file);
  if (!doc.ok) return doc;
  const valid = validateDocument(doc.value, ruleTextsSchema);
  if (!valid.ok) return valid;
  const errors = checkAgainstRegistry(doc.value, valid.value, rules);
  return errors.length > 0 ? { ok: false, errors } : valid;
}

function checkAgainstRegistry(doc: LocatedDocument, texts: RuleTexts, rules: readonly Rule[]): LocatedError[] {
  const errors: LocatedError[] = [];
  const known = new Set(rules.map((r) => r.meta.id));
  for (const id of Object.keys(texts.rules)) {
    if (!known.has(id)) errors.push(errorAt(doc, ["rules", id], `unknown rule "${id}"`));
  }
  for (const id of Object.keys(texts.fixes?.rules ?? {})) {
    if (!known.has(id)) errors.push(errorAt(doc, ["fixes", "rules", id], `unknown rule "${id}"`));
  }
  for (const rule of rules) {
    const entry = texts.rules[rule.meta.id];
    if (entry === undefined) {
      errors.push(errorAt(doc, ["rules"], `rule "${rule.meta.id}" has no texts`));
      continue;
    }
    const declared = rule.meta.messages as Record<string, readonly string[]>;
    for (const messageId of Object.keys(entry.messages)) {
      if (!(messageId in declared))
        errors.push(errorAt(doc, ["rules", rule.meta.id, "messages", messageId], `unknown message id "${messageId}"`));
    }
    for (const [messageId, keys] of Object.entries(declared)) {
      const wording = entry.messages[messageId];
      if (wording === undefined) {
        errors.push(errorAt(doc, ["rules", rule.meta.id, "messages"], `message "${messageId}" is not worded`));
        continue;
      }
      for (const part of ["message", "fix"] as const) {
        for (const lang of ["zh", "en"] as const) {
          for (const key of placeholdersOf(wording[part][lang])) {
            if (!keys.includes(key)) {
              errors.push(
                errorAt(
                  doc,
                  ["rules", rule.meta.id, "messages", messageId, part, lang],
                  `"{${key}}" is not data of this message (${keys.join(", ") || "none"})`,
                ),
              );
            }
          }
        }
      }
    }
  }
  return errors;
}

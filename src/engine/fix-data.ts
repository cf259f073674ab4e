import { z } from "zod";

const text = z.string().trim().min(1);
const localized = z.strictObject({ zh: text, en: text });
const textField = z.enum(["title", "subtitle", "sku", "description", "mobileDescription"]);
/** Fields a fix may write a phrase into, in the order it tries them. */
const targetFields = z.array(z.enum(["title", "subtitle", "description", "mobileDescription"])).min(1);

/**
 * How a rule's findings are fixed in the listing text. `kind` names one mechanism of src/fix/; the data
 * says where it writes and with what words, so a new wording or field order is an edit of rules.yaml.
 */
const ruleFixSchema = z.discriminatedUnion("kind", [
  /**
   * Write a statement of the finding's regions (`phrase`, {regions} → 新疆西藏) into the first of `fields` it
   * fits. A standalone statement (新疆西藏不包邮), not 「…除外」, which is read only right after a claim.
   */
  z.strictObject({
    kind: z.literal("add-exclusion"),
    phrase: text,
    fields: targetFields,
    template: z.boolean().default(false),
  }),
  /** Replace the open group of the finding's disclosure (偏远地区) by the provinces it was read as. */
  z.strictObject({ kind: z.literal("name-regions") }),
  /** Set the amount the disclosure states to the terms' fee. */
  z.strictObject({ kind: z.literal("set-fee") }),
  /**
   * Write a fixed phrase into the first of `fields` it fits; `undeliverablePhrase` instead when the listing's
   * template delivers to none of the finding's regions (港澳台及海外不发货 rather than …不包邮).
   */
  z.strictObject({
    kind: z.literal("add-phrase"),
    phrase: text,
    undeliverablePhrase: text.optional(),
    fields: targetFields,
  }),
  /** Remove the sentence that holds the finding's statement; `note` says what is left to the operator. */
  z.strictObject({ kind: z.literal("remove-statement"), note: localized }),
  /** No automatic fix: `why` says why. */
  z.strictObject({ kind: z.literal("none"), why: localized }),
]);

const limitSchema = z.strictObject({
  chars: z.number().int().positive(),
  /** Bytes as the platform counts them: a character outside ASCII counts 2. */
  bytes: z.number().int().positive().optional(),
});

export const fixDataSchema = z.strictObject({
  /** The longest text each field may hold (the seller centre's limits). */
  limits: z.partialRecord(textField, limitSchema),
  /** What stands between a field's text and a phrase written after it. */
  joiners: z.strictObject({
    title: z.string(),
    subtitle: z.string(),
    description: z.string(),
    mobileDescription: z.string(),
  }),
  /** A phrase appended to a description that is HTML. */
  htmlParagraph: text,
  /** Past this share of the mainland provinces paying, an exclusion is no fix: the claim itself is wrong. */
  mostRegions: z.number().gt(0).lte(1),
  rules: z.record(z.string(), ruleFixSchema),
  /** Comments on the template rows `--fix-strategy template` changed or added, and on a converted file. */
  templateNotes: z.strictObject({ changed: localized, added: localized, converted: localized }),
  /** Why a fix was not applied, per reason code; `{key}`s are the refusal's data. */
  reasons: z.record(z.string(), localized),
});

/** The `fixes` section of rules/rules.yaml after validation. */
export type FixData = z.output<typeof fixDataSchema>;
export type RuleFix = z.output<typeof ruleFixSchema>;
export type FixTargetField = z.output<typeof targetFields>[number];

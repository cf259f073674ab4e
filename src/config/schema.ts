import { z } from "zod";
import { PLATFORMS, type Platform } from "../model.js";
import { extractorRuleSchema } from "../sources/page/extractor-rules.js";

const nonEmpty = z.string().trim().min(1);
const stringList = z.union([nonEmpty.transform((s) => [s]), z.array(nonEmpty)]);

/** Globs (src/util/glob.ts) match in linear time; the cap keeps a pasted blob out of the config. */
const glob = z.string().trim().min(1).max(256, "a pattern is at most 256 characters");
const globList = z.union([glob.transform((s) => [s]), z.array(glob).min(1)]);
const platformSchema = z.enum(PLATFORMS as [Platform, ...Platform[]]);

export const RULE_SETTINGS = ["error", "warning", "info", "off"] as const;
export const FAIL_ON_LEVELS = ["error", "warning", "info", "never"] as const;

const ruleSettingsSchema = z
  .record(nonEmpty, z.enum(RULE_SETTINGS))
  .describe("Rule id → severity (error | warning | info) or off; wins over the platform's rule pack");

/** `promotions:` — a shop-wide 满额/满件包邮, a `freeWhen` row of every template (docs/listing-format.md#promotions). */
export const promotionSchema = z
  .strictObject({
    areas: stringList.pipe(z.array(nonEmpty).min(1)).describe("Region names, aliases, groups or GB/T 2260 codes"),
    minAmount: z.number().positive().optional().describe("Order amount in yuan from which shipping is free"),
    minQuantity: z.number().int().positive().optional().describe("Items per order from which shipping is free"),
  })
  .refine((p) => p.minAmount !== undefined || p.minQuantity !== undefined, {
    message: "a promotion needs minAmount or minQuantity",
  });

/** `overrides:` — rule settings for the listings that match every key given in `match`. */
export const overrideSchema = z.strictObject({
  match: z
    .strictObject({
      platform: z
        .union([platformSchema.transform((p) => [p]), z.array(platformSchema).min(1)])
        .optional()
        .describe("The listing's platform (its own `platform`, else the run's)"),
      category: globList.optional().describe("Globs over the listing's `category`, e.g. 食品/**"),
      id: globList.optional().describe("Globs over the listing id, e.g. 10*"),
    })
    .refine((m) => m.platform !== undefined || m.category !== undefined || m.id !== undefined, {
      message: "match needs platform, category or id",
    }),
  rules: ruleSettingsSchema,
});

/** `allow:` — what is known to be fine. Globs or literal text only: a user regular expression could hang a run. */
export const allowSchema = z.strictObject({
  listings: globList
    .optional()
    .describe("Globs over listing ids: these listings are not audited (counted as allowlisted)"),
  urls: globList
    .optional()
    .describe("Globs over listing URLs: these listings are not audited (counted as allowlisted)"),
  phrases: stringList
    .optional()
    .describe("Literal text: a finding whose claim text contains one is dropped (counted as suppressed)"),
});

/** The keys a config file and a preset share. */
const sharedKeys = {
  platform: platformSchema.optional().describe("taobao (default) | tmall | pinduoduo | generic, as -p"),
  failOn: z.enum(FAIL_ON_LEVELS).optional().describe("error (default) | warning | info | never, as --fail-on"),
  rules: ruleSettingsSchema.optional(),
  overrides: z.array(overrideSchema).optional().describe("Rule settings per group of listings; later entries win"),
};

/**
 * The config file. One flat object of independent keys; unknown keys are errors, so a typo never passes
 * silently. This schema is the single source of truth: schemas/config.schema.json is generated from it.
 */
export const configSchema = z.strictObject({
  $schema: z.string().optional().describe("JSON configs may name their schema; ignored"),
  extends: stringList
    .optional()
    .describe(
      "Built-in presets applied before this file, in order: taobao:recommended, tmall:strict, pinduoduo:recommended, generic:recommended",
    ),
  ...sharedKeys,
  lang: z.enum(["zh", "en"]).optional().describe("zh (default) | en — language of messages, as --lang"),
  templates: stringList
    .optional()
    .describe("Shipping template files or folders, relative to this file; -t replaces them"),
  remoteRegions: z.array(nonEmpty).optional().describe("The 偏远地区 set: region names, aliases or GB/T 2260 codes"),
  promotions: z.array(promotionSchema).optional().describe("Shop-wide 满额/满件包邮: a freeWhen row of every template"),
  lexicon: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Phrase additions keyed like rules/lexicon/zh-CN.yaml (lists are appended); checked by the claim parser"),
  columns: z
    .record(nonEmpty, nonEmpty)
    .optional()
    .describe("Listing field → column header, for generic CSV/XLSX exports"),
  allow: allowSchema.optional(),
  extractors: z
    .array(extractorRuleSchema)
    .optional()
    .describe("Per-site CSS selectors for crawled and saved pages; the first rule whose match fits a page is used"),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, "expected an ISO 3166-1 alpha-2 code such as CN or US")
    .optional()
    .describe("Country of offers whose structured data names none (docs/semantics.md#country)"),
  format: stringList
    .optional()
    .describe("Output formats as -f takes them (text, json=report.json …); used when no -f is given"),
  docs: z
    .strictObject({
      baseUrl: z
        .string()
        .regex(/^https?:\/\/\S+$/, "expected an http(s) URL")
        .describe(
          "Where this project's docs/ and README are published, e.g. https://github.com/shop/listing-auditor/blob/main/",
        ),
    })
    .optional()
    .describe("Links from reports to the rule pages (SARIF helpUri and informationUri, the rules command)"),
});

/** A built-in preset (rules/presets/*.yaml): the shared keys and a description. */
export const presetSchema = z.strictObject({
  description: nonEmpty,
  ...sharedKeys,
});

export type Config = z.output<typeof configSchema>;
export type Promotion = z.output<typeof promotionSchema>;
export type Override = z.output<typeof overrideSchema>;
export type Allow = z.output<typeof allowSchema>;
export type Preset = z.output<typeof presetSchema>;

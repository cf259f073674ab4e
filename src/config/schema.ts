import { z } from "zod";
import { PLATFORMS, type Platform } from "../model.js";

const nonEmpty = z.string().trim().min(1);
const stringList = z.union([nonEmpty.transform((s) => [s]), z.array(nonEmpty)]);

export const RULE_SETTINGS = ["error", "warning", "info", "off"] as const;
export const FAIL_ON_LEVELS = ["error", "warning", "info", "never"] as const;

/** `promotions:` — a shop-wide 满额/满件包邮 that acts as a `freeWhen` row of every template (contract §3). */
export const promotionSchema = z
  .strictObject({
    areas: stringList.pipe(z.array(nonEmpty).min(1)),
    minAmount: z.number().positive().optional(),
    minQuantity: z.number().int().positive().optional(),
  })
  .refine((p) => p.minAmount !== undefined || p.minQuantity !== undefined, {
    message: "a promotion needs minAmount or minQuantity",
  });

/**
 * The config file. One flat object of independent keys, so later keys (`extends`, `overrides`,
 * `allowlist` …) are added beside these without touching them; unknown keys are errors, so a typo never
 * passes silently.
 */
export const configSchema = z.strictObject({
  /** JSON configs may name their schema; ignored. */
  $schema: z.string().optional(),
  platform: z.enum(PLATFORMS as [Platform, ...Platform[]]).optional(),
  lang: z.enum(["zh", "en"]).optional(),
  /** Template files or folders, relative to the config file. */
  templates: stringList.optional(),
  /** Rule id → severity or `off`. */
  rules: z.record(nonEmpty, z.enum(RULE_SETTINGS)).optional(),
  /** The 偏远地区 set: region names, aliases or codes. */
  remoteRegions: z.array(nonEmpty).optional(),
  promotions: z.array(promotionSchema).optional(),
  /**
   * Phrase additions, keyed like the built-in lexicon (rules/lexicon/zh-CN.yaml). Their shape belongs to
   * the text module, which validates them when the run is prepared (still located in this file).
   */
  lexicon: z.record(z.string(), z.unknown()).optional(),
  /** Listing field → column header, for generic CSV/XLSX exports. */
  columns: z.record(nonEmpty, nonEmpty).optional(),
  failOn: z.enum(FAIL_ON_LEVELS).optional(),
  /** Output formats, as `-f` takes them (`json=report.json`). */
  format: stringList.optional(),
});

export type Config = z.output<typeof configSchema>;
export type Promotion = z.output<typeof promotionSchema>;

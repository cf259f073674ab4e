import path from "node:path";
import { z } from "zod";
import { PLATFORMS, type Platform, type RuleSetting } from "../model.js";
import { PACKAGE_ROOT } from "../util/package-root.js";
import type { LocatedError, Result } from "../util/result.js";
import { errorAt, parseLocatedDocument, validateDocument } from "../util/yaml-document.js";
import { RULES } from "../rules/registry.js";
import type { Rule } from "../rules/rule.js";
import { loadInternational, type International } from "./international.js";
import { parseRuleTexts, type RuleTexts } from "./rule-texts.js";
import { readLocatedText, shownDataPath } from "../util/read-located.js";

/** A rule's setting on one platform: severity (or off) and its options, defaults applied. */
export interface RuleEntry {
  setting: RuleSetting;
  options: Readonly<Record<string, unknown>>;
}

/** The rule texts and, per platform, every rule's setting. */
export interface RulePacks {
  texts: RuleTexts;
  platforms: Readonly<Record<Platform, Readonly<Record<string, RuleEntry>>>>;
  /** Other names of the platforms (天猫 → tmall), lower-cased, for a listing's `platform` field. */
  aliases: Readonly<Record<string, Platform>>;
  /** Other lexicons, countries' region data and wording (docs/english.md); without it only Chinese is read. */
  international?: International;
}

/** One pack file after validation. */
export interface RulePack {
  aliases: string[];
  /** Lexicons besides the configured Chinese one that read every listing of the platform. */
  lexicons: string[];
  rules: Record<string, RuleEntry>;
}

export const BUILTIN_RULES_DIR = path.join(PACKAGE_ROOT, "rules");

const settingSchema = z.enum(["error", "warning", "info", "off"]);
const optionsSchema = z.record(z.string(), z.unknown());
const packSchema = z.strictObject({
  platform: z.enum(PLATFORMS as [Platform, ...Platform[]]),
  aliases: z.array(z.string().trim().min(1)).optional(),
  lexicons: z.array(z.string().trim().min(1)).optional(),
  rules: z.record(
    z.string(),
    z.union([settingSchema, z.strictObject({ severity: settingSchema.optional(), options: optionsSchema.optional() })]),
  ),
});

/** Reads rules/rules.yaml and rules/packs/<platform>.yaml; every mistake comes back with file, line and key. */
export async function loadRulePacks(options: { dir?: string } = {}): Promise<Result<RulePacks>> {
  const dir = options.dir ?? BUILTIN_RULES_DIR;
  const textsFile = path.join(dir, "rules.yaml");
  const textsSource = await readLocatedText(textsFile);
  if (!textsSource.ok) return textsSource;
  const texts = parseRuleTexts(textsSource.value, shownDataPath(textsFile), RULES);
  if (!texts.ok) return texts;
  const errors: LocatedError[] = [];
  const platforms = {} as Record<Platform, Record<string, RuleEntry>>;
  const aliases: Record<string, Platform> = {};
  const lexicons = {} as Record<Platform, string[]>;
  for (const platform of PLATFORMS) {
    const file = path.join(dir, "packs", `${platform}.yaml`);
    const source = await readLocatedText(file);
    if (!source.ok) {
      errors.push(...source.errors);
      continue;
    }
    const pack = parseRulePack(source.value, shownDataPath(file), platform, texts.value, RULES);
    if (!pack.ok) {
      errors.push(...pack.errors);
      continue;
    }
    platforms[platform] = pack.value.rules;
    lexicons[platform] = pack.value.lexicons;
    for (const alias of pack.value.aliases) {
      const key = alias.toLowerCase();
      const earlier = aliases[key];
      if (earlier !== undefined && earlier !== platform)
        errors.push({ file: shownDataPath(file), key: "aliases", message: `"${alias}" already names ${earlier}` });
      else aliases[key] = platform;
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const international = await loadInternational(dir, texts.value, RULES, lexicons);
  if (!international.ok) return international;
  return { ok: true, value: { texts: texts.value, platforms, aliases, international: international.value } };
}

/** Validates one pack; rules it does not list keep their default severity and default options. */
export function parseRulePack(
  source: string,
  file: string,
  platform: Platform,
  texts: RuleTexts,
  rules: readonly Rule[],
): Result<RulePack> {
  const doc = parseLocatedDocument(source, file);
  if (!doc.ok) return doc;
  const valid = validateDocument(doc.value, packSchema);
  if (!valid.ok) return valid;
  const errors: LocatedError[] = [];
  if (valid.value.platform !== platform) {
    errors.push(errorAt(doc.value, ["platform"], `this pack is for "${platform}", not "${valid.value.platform}"`));
  }
  const known = new Set(rules.map((r) => r.meta.id));
  for (const id of Object.keys(valid.value.rules)) {
    if (!known.has(id)) errors.push(errorAt(doc.value, ["rules", id], `unknown rule "${id}"`));
  }
  const entries: Record<string, RuleEntry> = {};
  for (const rule of rules) {
    const raw = valid.value.rules[rule.meta.id];
    const entry = typeof raw === "string" ? { severity: raw } : (raw ?? {});
    const merged = { ...(texts.rules[rule.meta.id]?.options ?? {}), ...(entry.options ?? {}) };
    const options = rule.options.safeParse(merged);
    if (!options.success) {
      for (const issue of options.error.issues)
        errors.push(errorAt(doc.value, ["rules", rule.meta.id, "options", ...issue.path], issue.message));
      continue;
    }
    entries[rule.meta.id] = {
      setting: entry.severity ?? rule.meta.defaultSeverity,
      options: options.data as Record<string, unknown>,
    };
  }
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, value: { aliases: valid.value.aliases ?? [], lexicons: valid.value.lexicons ?? [], rules: entries } };
}

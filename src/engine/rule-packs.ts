import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { PLATFORMS, type Platform } from "../model.js";
import { PACKAGE_ROOT } from "../util/package-root.js";
import type { LocatedError, Result } from "../util/result.js";
import { errorAt, parseLocatedDocument, validateDocument } from "../util/yaml-document.js";
import { RULES } from "../rules/registry.js";
import type { Rule, RuleEntry } from "../rules/rule.js";
import { loadInternational, type International } from "./international.js";
import { parseRuleTexts, type RuleTexts } from "./rule-texts.js";
import { readLocatedText, shownDataPath } from "../util/read-located.js";

/** The rule texts and, per platform, every rule's setting. */
export interface RulePacks {
  texts: RuleTexts;
  /**
   * Every rule of the registry on each platform, generated from the rule's own defaults (`defaultSeverity`,
   * the defaults of its options schema) with the platform pack's differences applied.
   */
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
  /** Every rule: its own defaults with what the pack states over them. */
  rules: Record<string, RuleEntry>;
}

export const BUILTIN_RULES_DIR = path.join(PACKAGE_ROOT, "rules");

const settingSchema = z.enum(["error", "warning", "info", "off"]);
const optionsSchema = z.record(z.string(), z.unknown());
const packSchema = z.strictObject({
  platform: z.enum(PLATFORMS as [Platform, ...Platform[]]),
  aliases: z.array(z.string().trim().min(1)).optional(),
  lexicons: z.array(z.string().trim().min(1)).optional(),
  /** Only what differs from each rule's own defaults; a rule not listed keeps them. */
  rules: z
    .record(
      z.string(),
      z.union([
        settingSchema,
        z.strictObject({ severity: settingSchema.optional(), options: optionsSchema.optional() }),
      ]),
    )
    .default({}),
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
    const pack = parseRulePack(source.value, shownDataPath(file), platform, RULES);
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

/**
 * Validates one pack and generates the platform's full rule set from it (as ESLint generates its
 * recommended config from rule meta): each rule's `defaultSeverity` and the defaults of its options schema,
 * with the pack's entry over them. A rule the pack does not list keeps its own defaults.
 */
export function parseRulePack(
  source: string,
  file: string,
  platform: Platform,
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
    const at: ErrorAt = (keyPath, message) => errorAt(doc.value, ["rules", rule.meta.id, ...keyPath], message);
    const entry = generateEntry(rule, valid.value.rules[rule.meta.id], at);
    if (entry.ok) entries[rule.meta.id] = entry.value;
    else errors.push(...entry.errors);
  }
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, value: { aliases: valid.value.aliases ?? [], lexicons: valid.value.lexicons ?? [], rules: entries } };
}

type PackEntry = z.output<typeof packSchema>["rules"][string];
type ErrorAt = (keyPath: readonly PropertyKey[], message: string) => LocatedError;

/**
 * One rule on the pack's platform: the pack's entry over the rule's own defaults. An entry that restates
 * a default is an error, so a pack keeps saying only how its platform differs.
 */
function generateEntry(rule: Rule, raw: PackEntry | undefined, at: ErrorAt): Result<RuleEntry> {
  const entry = typeof raw === "string" ? { severity: raw } : (raw ?? {});
  const errors: LocatedError[] = [];
  if (entry.severity === rule.meta.defaultSeverity) {
    const keyPath = typeof raw === "string" ? [] : ["severity"];
    errors.push(at(keyPath, `"${entry.severity}" is the rule's own default severity: a pack lists only what differs`));
  }
  const defaults = rule.options.safeParse({});
  for (const [key, value] of Object.entries(entry.options ?? {})) {
    if (defaults.success && isDeepStrictEqual(value, (defaults.data as Record<string, unknown>)[key]))
      errors.push(at(["options", key], "this is the option's default: a pack lists only what differs"));
  }
  const options = rule.options.safeParse(entry.options ?? {});
  if (!options.success)
    errors.push(...options.error.issues.map((issue) => at(["options", ...issue.path], issue.message)));
  if (errors.length > 0 || !options.success) return { ok: false, errors };
  return {
    ok: true,
    value: { setting: entry.severity ?? rule.meta.defaultSeverity, options: options.data as Record<string, unknown> },
  };
}

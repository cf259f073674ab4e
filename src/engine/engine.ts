import {
  PLATFORMS,
  TEXT_FIELDS,
  type Finding,
  type FreeWhenRow,
  type Lang,
  type ListingRecord,
  type ListingResult,
  type Platform,
  type Problem,
  type RegionCatalogue,
  type RuleDescriptor,
  type RuleSetting,
  type Severity,
  type ShippingTemplate,
} from "../model.js";
import { resolveShippingTerms } from "../templates/shipping-terms.js";
import type { Lexicon } from "../text/lexicon.js";
import { collectListingFacts } from "../rules/listing-facts.js";
import { chooseListingLocale, type LocaleOptions } from "./listing-locale.js";
import { effectiveRules, RULES } from "../rules/registry.js";
import { renderMessage, type Wording } from "./render-message.js";
import type { Rule, RuleReport } from "../rules/rule.js";
import { sortedByCode } from "../rules/report-helpers.js";
import type { RulePacks } from "./rule-packs.js";
import type { RuleTexts } from "./rule-texts.js";
import type { ListingFacts } from "../rules/facts.js";

/** What the auditor needs, loaded and validated by the caller. */
export interface AuditorOptions {
  regions: RegionCatalogue;
  lexicon: Lexicon;
  templates: ReadonlyMap<string, ShippingTemplate>;
  /** Shop-wide promotions: a `freeWhen` row of every template. */
  promotions: FreeWhenRow[];
  packs: RulePacks;
  /** `--platform`, else the config's, else taobao; a listing's own `platform` wins over it. */
  platform: Platform;
  lang: Lang;
  /** Config overrides of severities; they win over the pack. */
  ruleSettings?: Record<string, RuleSetting>;
  /** Config overrides of rule options, merged over the pack's. */
  ruleOptions?: Record<string, Record<string, unknown>>;
  /** Config `country`: the offer's country for records that name none (see docs/semantics.md#country). */
  country?: string;
}

interface ActiveRule {
  rule: Rule;
  severity: Severity;
  options: unknown;
}

/** Builds the per-listing audit: text analysis, shipping terms, then every enabled rule, each isolated. */
export function createAuditor(options: AuditorOptions): (record: ListingRecord) => ListingResult {
  const active = new Map<Platform, ActiveRule[]>(PLATFORMS.map((p) => [p, activateRules(options, p)]));
  const localeOptions: LocaleOptions = {
    regions: options.regions,
    lexicon: options.lexicon,
    texts: options.packs.texts,
    international: options.packs.international,
    country: options.country,
  };
  return (record) => {
    const problems: Problem[] = [];
    const platform = choosePlatform(record, options.platform, options.packs.aliases, problems);
    const gathered = gatherFacts(record, options, localeOptions, platform, problems);
    if (gathered === undefined) return { record, findings: [], problems };
    const { facts, texts } = gathered;
    const wording: Wording = { texts, lang: options.lang, regions: facts.regions };
    const findings: Finding[] = [];
    for (const { rule, severity, options: ruleOptions } of active.get(platform) ?? []) {
      try {
        const report = rule.check({ facts, options: ruleOptions });
        if (report) findings.push(toFinding(rule, severity, report, facts, wording));
      } catch (error) {
        problems.push({
          code: "rule/crashed",
          message: `rule ${rule.meta.id} failed on listing ${record.listing.id}: ${(error as Error).message}`,
          source: record.source,
          listingId: record.listing.id,
        });
      }
    }
    return { record, findings: orderFindings(findings), problems };
  };
}

/** The rules as reporters and the `rules` command describe them, for one platform and language. */
export function describeRules(
  packs: RulePacks,
  platform: Platform,
  lang: Lang,
  ruleSettings?: Record<string, RuleSetting>,
): RuleDescriptor[] {
  return effectiveRules(packs.platforms[platform], ruleSettings).map(({ rule, setting }) => {
    const texts = packs.texts.rules[rule.meta.id];
    return {
      id: rule.meta.id,
      severity: setting,
      defaultSeverity: rule.meta.defaultSeverity,
      title: texts?.title[lang] ?? rule.meta.id,
      description: texts?.description[lang] ?? rule.meta.id,
      reference: texts?.reference[lang] ?? "",
      docsUrl: rule.meta.docs,
    };
  });
}

function activateRules(options: AuditorOptions, platform: Platform): ActiveRule[] {
  for (const id of [...Object.keys(options.ruleSettings ?? {}), ...Object.keys(options.ruleOptions ?? {})]) {
    if (!RULES.some((r) => r.meta.id === id))
      throw new TypeError(`options.ruleSettings/ruleOptions: unknown rule "${id}"`);
  }
  const active: ActiveRule[] = [];
  for (const { rule, setting, options: packOptions } of effectiveRules(
    options.packs.platforms[platform],
    options.ruleSettings,
  )) {
    if (setting === "off") continue;
    const parsed = rule.options.safeParse({ ...packOptions, ...(options.ruleOptions?.[rule.meta.id] ?? {}) });
    if (!parsed.success)
      throw new TypeError(
        `options.ruleOptions["${rule.meta.id}"]: ${parsed.error.issues.map((i) => i.message).join("; ")}`,
      );
    active.push({ rule, severity: setting, options: parsed.data });
  }
  return active;
}

/** listing.platform > --platform > config > taobao (the last two are folded into `fallback` by the caller). */
function choosePlatform(
  record: ListingRecord,
  fallback: Platform,
  aliases: Readonly<Record<string, Platform>>,
  problems: Problem[],
): Platform {
  const stated = record.listing.platform?.trim();
  if (!stated) return fallback;
  const platform = PLATFORMS.find((p) => p === stated.toLowerCase()) ?? aliases[stated.toLowerCase()];
  if (platform) return platform;
  problems.push({
    code: "listing/unknown-platform",
    message: `listing ${record.listing.id}: unknown platform "${stated}" (expected ${PLATFORMS.join(", ")}); audited as ${fallback}`,
    source: { ...record.source, field: "platform" },
    listingId: record.listing.id,
  });
  return fallback;
}

/**
 * Text analysis and shipping terms, judged with the region data of the offer's country; a failure there
 * is a problem of this listing, not of the run.
 */
function gatherFacts(
  record: ListingRecord,
  options: AuditorOptions,
  localeOptions: LocaleOptions,
  platform: Platform,
  problems: Problem[],
): { facts: ListingFacts; texts: RuleTexts } | undefined {
  try {
    const locale = chooseListingLocale(record, platform, localeOptions);
    const resolved = resolveShippingTerms(record, options.templates, options.promotions, locale.regions);
    for (const problem of resolved.problems) problems.push(problem);
    const facts = collectListingFacts(record, locale.fields, resolved.terms, locale.regions, locale.country);
    return { facts, texts: locale.texts };
  } catch (error) {
    problems.push({
      code: "listing/crashed",
      message: `listing ${record.listing.id} could not be analysed: ${(error as Error).message}`,
      source: record.source,
      listingId: record.listing.id,
    });
    return undefined;
  }
}

function toFinding(rule: Rule, severity: Severity, report: RuleReport, facts: ListingFacts, wording: Wording): Finding {
  const texts = wording.texts.rules[rule.meta.id];
  const wordingOf = texts?.messages[report.messageId];
  if (texts === undefined || wordingOf === undefined)
    throw new Error(`no wording for ${rule.meta.id} message "${report.messageId}"`);
  const { record } = facts;
  return {
    ruleId: rule.meta.id,
    severity,
    listingId: record.listing.id,
    message: renderMessage(wordingOf.message[wording.lang], report.data, wording),
    source: report.claim ? { ...record.source, field: report.claim.field } : { ...record.source },
    claim: report.claim,
    relatedClaims: report.relatedClaims,
    regions: sortedByCode(report.regions),
    templateId: facts.templateId,
    fix: renderMessage(wordingOf.fix[wording.lang], report.data, wording),
    reference: texts.reference[wording.lang],
  };
}

/** Rule id, then the anchoring claim's field and offset (see docs/report-format.md#order). */
function orderFindings(findings: Finding[]): Finding[] {
  const position = (f: Finding) =>
    f.claim ? [TEXT_FIELDS.indexOf(f.claim.field), f.claim.index ?? 0, f.claim.start] : [-1, 0, 0];
  return [...findings].sort((a, b) => {
    if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
    const pa = position(a);
    const pb = position(b);
    return (pa[0] ?? 0) - (pb[0] ?? 0) || (pa[1] ?? 0) - (pb[1] ?? 0) || (pa[2] ?? 0) - (pb[2] ?? 0);
  });
}

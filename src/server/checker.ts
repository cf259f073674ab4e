import { auditSafely, loadAuditorBase } from "../audit-environment.js";
import {
  createListingFilters,
  loadConfiguredRegions,
  resolveListingPlatform,
  type ListingFilters,
} from "../config/index.js";
import { createAuditor } from "../engine/engine.js";
import type { FixContext } from "../fix/fix-context.js";
import { loadFixContext } from "../fix/load-fix-context.js";
import { planFixes } from "../fix/plan-fixes.js";
import { refusalWording } from "../fix/refusal-wording.js";
import type { RulePacks } from "../engine/rule-packs.js";
import type {
  Finding,
  Lang,
  ListingRecord,
  Platform,
  Problem,
  RegionCatalogue,
  ShippingTemplate,
  TextField,
} from "../model.js";
import { checkListing } from "../sources/index.js";
import { findDuplicateIds, parseTemplates } from "../templates/index.js";
import { analyseListing, type Lexicon } from "../text/index.js";
import type { LocatedError, Result } from "../util/result.js";
import { type AppliedShopSettings, shopConfig } from "./shop-settings.js";

/** What checking needs, loaded once when the server starts. */
export interface CheckBase {
  regions: RegionCatalogue;
  lexicon: Lexicon;
  packs: RulePacks;
  /** What the one-click fix plans with, per language (refusal reasons follow it). */
  fixes: Record<Lang, FixContext>;
}

export async function loadCheckBase(): Promise<Result<CheckBase>> {
  const [regions, lexicon, packs] = await loadAuditorBase(undefined);
  if (!regions.ok || !lexicon.ok || !packs.ok)
    return { ok: false, errors: [regions, lexicon, packs].flatMap((r) => (r.ok ? [] : r.errors)) };
  const fixes = await Promise.all([loadFixContext(regions.value, "zh"), loadFixContext(regions.value, "en")]);
  const [zh, en] = fixes;
  if (!zh.ok || !en.ok) return { ok: false, errors: fixes.flatMap((r) => (r.ok ? [] : r.errors)) };
  return {
    ok: true,
    value: {
      regions: regions.value,
      lexicon: lexicon.value,
      packs: packs.value,
      fixes: { zh: zh.value, en: en.value },
    },
  };
}

/** A buyer-visible field as read, with where its claims and disclosures stand (for highlighting). */
export interface FieldMarks {
  field: TextField;
  index?: number;
  text: string;
  claims: { start: number; end: number; text: string }[];
  disclosures: { start: number; end: number; text: string }[];
}

/**
 * The one-click text fix of one finding, planned by the same `planFixes` as `--fix`: the field edits that
 * fix it, or why it cannot be fixed in the text.
 */
export interface FindingFix {
  edits: { field: TextField; index?: number; before: string; after: string }[];
  /** What the fix leaves to the operator (the invoice setting). */
  notes: string[];
  refused?: { reason: string; message: string };
}

export interface CheckResult {
  listingId: string;
  /** The shop's settings allowlist the listing (`allow.listings` / `allow.urls`): it was not audited. */
  allowlisted?: true;
  /** Findings the shop's `allow.phrases` dropped. */
  suppressed?: number;
  findings: Finding[];
  /** One per finding, in the same order. */
  fixes: FindingFix[];
  problems: Problem[];
  fields: FieldMarks[];
}

export interface CheckRequest {
  listing: unknown;
  /**
   * Template documents as text (our YAML/JSON, or a Taobao Open Platform response), each with the name
   * errors use; their template ids must not repeat across documents.
   */
  templates?: { text: string; name: string }[];
  platform: Platform;
  lang: Lang;
  /** The shop settings that apply (rules, remote regions, allowlist); platform and templates come resolved above. */
  settings?: AppliedShopSettings;
}

type Auditor = (record: ListingRecord) => ReturnType<ReturnType<typeof createAuditor>>;

/** What a shop's settings change in the base: the regions (`remoteRegions`), the fix wording over them, the allowlist. */
interface SettingsBase {
  regions: RegionCatalogue;
  fixes: Record<Lang, FixContext>;
  filters: ListingFilters;
}

/** Auditors kept per template text, platform, language and settings: an ERP checks many listings against one template. */
const CACHE_SIZE = 32;

/** Keeps at most CACHE_SIZE entries, dropping the oldest. */
function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

/**
 * Checks one listing: the same engine as `audit`, with templates given as text and a shop's settings
 * applied as the config file's keys are. A listing, template or setting that does not validate is
 * `ok: false` with located errors (the API answers 400 with them).
 */
export function createChecker(base: CheckBase) {
  const auditors = new Map<string, Result<Auditor>>();
  const settingsBases = new Map<string, Promise<Result<SettingsBase>>>();

  const loadSettingsBase = async (settings: AppliedShopSettings, platform: Platform): Promise<Result<SettingsBase>> => {
    const config = shopConfig(settings, "");
    const filters = createListingFilters(config.values, (record) =>
      resolveListingPlatform(record, platform, base.packs.aliases),
    );
    if (settings.remoteRegions === undefined)
      return { ok: true, value: { regions: base.regions, fixes: base.fixes, filters } };
    const regions = await loadConfiguredRegions(config);
    if (!regions.ok) return regions;
    const fixes = await Promise.all([loadFixContext(regions.value, "zh"), loadFixContext(regions.value, "en")]);
    const [zh, en] = fixes;
    if (!zh.ok || !en.ok) return { ok: false, errors: fixes.flatMap((r) => (r.ok ? [] : r.errors)) };
    return { ok: true, value: { regions: regions.value, fixes: { zh: zh.value, en: en.value }, filters } };
  };
  const settingsBaseFor = (request: CheckRequest): Promise<Result<SettingsBase>> => {
    const settings = request.settings ?? {};
    const key = JSON.stringify([request.platform, settings]);
    return settingsBases.get(key) ?? remember(settingsBases, key, loadSettingsBase(settings, request.platform));
  };

  const auditorFor = (request: CheckRequest, settingsBase: SettingsBase): Result<Auditor> => {
    const key = JSON.stringify([
      request.platform,
      request.lang,
      request.templates?.map((t) => t.text) ?? null,
      request.settings ?? null,
    ]);
    const cached = auditors.get(key);
    if (cached) return cached;
    const templates = parseTemplateDocuments(request.templates ?? [], settingsBase.regions);
    const built: Result<Auditor> = templates.ok
      ? {
          ok: true,
          value: createAuditor({
            ...base,
            regions: settingsBase.regions,
            templates: templates.value,
            promotions: [],
            platform: request.platform,
            lang: request.lang,
            ...(request.settings?.rules ? { ruleSettings: request.settings.rules } : {}),
          }),
        }
      : templates;
    return remember(auditors, key, built);
  };

  return async (request: CheckRequest): Promise<Result<CheckResult>> => {
    const checked = checkListing(request.listing, { file: "listing" });
    if (!checked.ok) return { ok: false, errors: [problemToError(checked.problem)] };
    const settingsBase = await settingsBaseFor(request);
    if (!settingsBase.ok) return settingsBase;
    const { regions, filters } = settingsBase.value;
    const record: ListingRecord = { listing: checked.listing, source: { file: "listing" } };
    if (filters.isAllowlisted(record))
      return {
        ok: true,
        value: { listingId: checked.listing.id, allowlisted: true, findings: [], fixes: [], problems: [], fields: [] },
      };
    const auditor = auditorFor(request, settingsBase.value);
    if (!auditor.ok) return auditor;
    const audited = auditSafely(auditor.value, record);
    const findings = audited.findings.filter((finding) => !filters.isSuppressed(finding));
    const fields = analyseListing(checked.listing, { lexicon: base.lexicon, regions }).map(
      (field): FieldMarks => ({
        field: field.field,
        ...(field.index === undefined ? {} : { index: field.index }),
        text: field.text,
        claims: field.parsed.claims.map(({ start, end, text }) => ({ start, end, text })),
        disclosures: field.parsed.disclosures.map(({ start, end, text }) => ({ start, end, text })),
      }),
    );
    const fixContext = settingsBase.value.fixes[request.lang];
    // Each finding planned on its own: its button applies exactly its fix, and the answer to the re-check
    // plans the next one against the corrected text.
    const fixes = findings.map((finding): FindingFix => {
      const plan = planFixes(checked.listing, [finding], fixContext);
      const refused = plan.refused[0];
      return {
        edits: plan.edits.map(({ field, index, before, after }) => ({
          field,
          ...(index === undefined ? {} : { index }),
          before,
          after,
        })),
        notes: plan.edits.flatMap((edit) => edit.notes.map((note) => note[request.lang])),
        ...(refused === undefined
          ? {}
          : {
              refused: {
                reason: refused.reason,
                message: refusalWording(refused, fixContext.data.reasons, request.lang),
              },
            }),
      };
    });
    return {
      ok: true,
      value: {
        listingId: checked.listing.id,
        ...(findings.length < audited.findings.length ? { suppressed: audited.findings.length - findings.length } : {}),
        findings,
        fixes,
        problems: audited.problems,
        fields,
      },
    };
  };
}

/** Template documents' templates by id; an id repeated across documents is an error, as in a run. */
function parseTemplateDocuments(
  documents: readonly { text: string; name: string }[],
  regions: RegionCatalogue,
): Result<ReadonlyMap<string, ShippingTemplate>> {
  const templates: ShippingTemplate[] = [];
  const errors: LocatedError[] = [];
  for (const document of documents) {
    const parsed = parseTemplates(document.text, document.name, regions);
    if (parsed.ok) templates.push(...parsed.value.templates);
    else errors.push(...parsed.errors);
  }
  errors.push(...findDuplicateIds(templates));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: new Map(templates.map((t) => [t.id, t])) };
}

export type Checker = ReturnType<typeof createChecker>;

function problemToError(problem: Problem): LocatedError {
  return {
    file: "listing",
    key: problem.code,
    message: problem.message,
    ...(problem.zh === undefined ? {} : { zh: problem.zh }),
  };
}

// What the auditors of a run are built from, shared by audit() and its worker threads
// (src/audit-worker.ts): kept apart from the source readers so a worker loads only what auditing needs.
import {
  createListingFilters,
  loadConfiguredRegions,
  resolveListingPlatform,
  type Config,
  type ListingFilters,
  type LoadedConfig,
} from "./config/index.js";
import type { Finding, FreeWhenRow, Lang, ListingRecord, ListingResult, Platform, RegionCatalogue } from "./model.js";
import { createAuditor, type AuditorOptions } from "./engine/engine.js";
import { loadRulePacks, type RulePacks } from "./engine/rule-packs.js";
import { loadTemplateFiles } from "./templates/index.js";
import { lexiconAdditionsSchema, loadLexicon, mergeLexicon, type Lexicon } from "./text/index.js";
import { formatKeyPath, type LocatedError, type Result } from "./util/result.js";

/** The auditor for a listing: one per distinct set of matching `overrides`. */
export type AuditorChooser = (record: ListingRecord) => (record: ListingRecord) => ListingResult;

/**
 * What the auditors of a run are built from, as plain data: a worker thread gets it (structured clone)
 * and builds the same auditors with the same code as the main thread.
 */
export interface AuditorSpec {
  cwd: string;
  /** The loaded config, without its functions (presets are already merged into `values`). */
  config?: { path: string; file: string; values: Config };
  templatePaths: string[];
  /** The config's `promotions`, resolved by the main thread (their rows name config lines). */
  promotions: FreeWhenRow[];
  platform: Platform;
  lang: Lang;
}

/** The regions, lexicon and rule packs a run's config asks for. */
export async function loadAuditorBase(
  config: LoadedConfig | undefined,
): Promise<[Result<RegionCatalogue>, Result<Lexicon>, Result<RulePacks>]> {
  return [await loadConfiguredRegions(config), await loadConfiguredLexicon(config), await loadRulePacks()];
}

/** The auditor options for a spec: its templates loaded against the regions. */
export async function loadAuditorEnvironment(
  spec: AuditorSpec,
  regions: RegionCatalogue,
  lexicon: Lexicon,
  packs: RulePacks,
): Promise<Result<{ options: AuditorOptions; warnings: LocatedError[] }>> {
  const values = spec.config?.values ?? {};
  const templates = await loadTemplateFiles(spec.templatePaths, regions, spec.cwd);
  if (!templates.ok) return templates;
  const options: AuditorOptions = {
    regions,
    lexicon,
    templates: templates.value.templates,
    promotions: spec.promotions,
    packs,
    platform: spec.platform,
    lang: spec.lang,
    ruleSettings: values.rules ?? {},
    ...(values.country ? { country: values.country } : {}),
  };
  return { ok: true, value: { options, warnings: templates.value.warnings } };
}

/** The auditor for each listing: one per distinct set of matching `overrides`, built on first use. */
export function createAuditorFor(environment: AuditorOptions, filters: ListingFilters): AuditorChooser {
  const auditors = new Map<string, (record: ListingRecord) => ListingResult>();
  return (record) => {
    const { key, settings } = filters.ruleSettingsFor(record);
    let auditor = auditors.get(key);
    if (auditor === undefined) {
      auditor = createAuditor({ ...environment, ruleSettings: settings });
      auditors.set(key, auditor);
    }
    return auditor;
  };
}

/**
 * Builds, in a worker thread, the auditor chooser the main thread built from the same spec. The main
 * thread has already checked everything, so the config's located errors are only needed for messages.
 */
export async function buildAuditorFor(spec: AuditorSpec): Promise<Result<AuditorChooser>> {
  const file = spec.config?.file ?? "options";
  const config: LoadedConfig | undefined = spec.config && {
    ...spec.config,
    presets: [],
    errorAt: (keyPath, message) => ({
      file,
      key: formatKeyPath([...keyPath]),
      ...(typeof message === "string" ? { message } : message),
    }),
  };
  const [regions, lexicon, packs] = await loadAuditorBase(config);
  if (!regions.ok || !lexicon.ok || !packs.ok)
    return { ok: false, errors: [regions, lexicon, packs].flatMap((r) => (r.ok ? [] : r.errors)) };
  const environment = await loadAuditorEnvironment(spec, regions.value, lexicon.value, packs.value);
  if (!environment.ok) return environment;
  const filters = createListingFilters(spec.config?.values ?? {}, (record) =>
    resolveListingPlatform(record, spec.platform, packs.value.aliases),
  );
  return { ok: true, value: createAuditorFor(environment.value.options, filters) };
}

/** The built-in lexicon plus the config's `lexicon` additions (validated, located in the config file). */
export async function loadConfiguredLexicon(config: LoadedConfig | undefined): ReturnType<typeof loadLexicon> {
  const base = await loadLexicon();
  const additions = config?.values.lexicon;
  if (!base.ok || additions === undefined) return base;
  const parsed = lexiconAdditionsSchema.safeParse(additions);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => configError(config, ["lexicon", ...issue.path], issue.message)),
    };
  }
  return { ok: true, value: mergeLexicon(base.value, parsed.data) };
}

function configError(config: LoadedConfig | undefined, keyPath: PropertyKey[], message: string): LocatedError {
  return config ? config.errorAt(keyPath, message) : { file: "options", key: formatKeyPath(keyPath), message };
}

/** One listing's result, findings in report order (docs/report-format.md#order); a crash is a problem, not a stop. */
export function auditSafely(
  auditRecord: (record: ListingRecord) => ListingResult,
  record: ListingRecord,
): ListingResult {
  let result: ListingResult;
  try {
    result = auditRecord(record);
  } catch (error) {
    return {
      record,
      findings: [],
      problems: [
        {
          code: "rule/crashed",
          message: `auditing failed: ${(error as Error).message}`,
          source: record.source,
          listingId: record.listing.id,
        },
      ],
    };
  }
  return { ...result, findings: result.findings.toSorted(compareFindings) };
}

function compareFindings(a: Finding, b: Finding): number {
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  return (a.claim?.start ?? -1) - (b.claim?.start ?? -1);
}

import { auditSafely, loadAuditorBase } from "../audit-environment.js";
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
import { parseTemplates } from "../templates/index.js";
import { analyseListing, type Lexicon } from "../text/index.js";
import type { LocatedError, Result } from "../util/result.js";

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
  findings: Finding[];
  /** One per finding, in the same order. */
  fixes: FindingFix[];
  problems: Problem[];
  fields: FieldMarks[];
}

export interface CheckRequest {
  listing: unknown;
  /** The templates as text (our YAML/JSON, or a Taobao Open Platform response) and the name errors use. */
  templates?: { text: string; name: string };
  platform: Platform;
  lang: Lang;
}

type Auditor = (record: ListingRecord) => ReturnType<ReturnType<typeof createAuditor>>;

/** Auditors kept per template text, platform and language: an ERP checks many listings against one template. */
const CACHE_SIZE = 32;

/**
 * Checks one listing: the same engine as `audit`, with templates given as text. A listing or template
 * that does not validate is `ok: false` with located errors (the API answers 400 with them).
 */
export function createChecker(base: CheckBase) {
  const auditors = new Map<string, Result<Auditor>>();

  const auditorFor = (request: CheckRequest): Result<Auditor> => {
    const key = JSON.stringify([request.platform, request.lang, request.templates?.text ?? null]);
    const cached = auditors.get(key);
    if (cached) return cached;
    let templates: ReadonlyMap<string, ShippingTemplate> = new Map();
    let built: Result<Auditor>;
    const parsed = request.templates && parseTemplates(request.templates.text, request.templates.name, base.regions);
    if (parsed && !parsed.ok) built = parsed;
    else {
      if (parsed) templates = new Map(parsed.value.templates.map((t) => [t.id, t]));
      built = {
        ok: true,
        value: createAuditor({ ...base, templates, promotions: [], platform: request.platform, lang: request.lang }),
      };
    }
    if (auditors.size >= CACHE_SIZE) auditors.delete(auditors.keys().next().value as string);
    auditors.set(key, built);
    return built;
  };

  return (request: CheckRequest): Result<CheckResult> => {
    const checked = checkListing(request.listing, { file: "listing" });
    if (!checked.ok) return { ok: false, errors: [problemToError(checked.problem)] };
    const auditor = auditorFor(request);
    if (!auditor.ok) return auditor;
    const record: ListingRecord = { listing: checked.listing, source: { file: "listing" } };
    const result = auditSafely(auditor.value, record);
    const fields = analyseListing(checked.listing, { lexicon: base.lexicon, regions: base.regions }).map(
      (field): FieldMarks => ({
        field: field.field,
        ...(field.index === undefined ? {} : { index: field.index }),
        text: field.text,
        claims: field.parsed.claims.map(({ start, end, text }) => ({ start, end, text })),
        disclosures: field.parsed.disclosures.map(({ start, end, text }) => ({ start, end, text })),
      }),
    );
    const fixContext = base.fixes[request.lang];
    // Each finding planned on its own: its button applies exactly its fix, and the answer to the re-check
    // plans the next one against the corrected text.
    const fixes = result.findings.map((finding): FindingFix => {
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
      value: { listingId: checked.listing.id, findings: result.findings, fixes, problems: result.problems, fields },
    };
  };
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

import { once } from "node:events";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Readable, type Writable } from "node:stream";
import { z } from "zod";
import { loadConfiguredRegions, resolvePromotions, type LoadedConfig } from "./config/index.js";
import type { Finding, Lang, ListingRecord, ListingResult, Platform, Problem, Severity, Summary } from "./model.js";
import type { Reporter, RuleDescriptor, RunInfo } from "./report/reporter.js";
import { RULE_IDS } from "./rules/registry.js";
import { createAuditor, describeRules } from "./rules/engine.js";
import { loadRulePacks } from "./rules/rule-packs.js";
import { NotAListingSourceError, readSources, resolveInputs, type CrawlOptions, type ResolvedInputs } from "./sources/index.js";
import { loadTemplateFiles } from "./templates/index.js";
import { lexiconAdditionsSchema, loadLexicon, mergeLexicon } from "./text/index.js";
import { PACKAGE_ROOT } from "./util/package-root.js";
import { formatKeyPath, type LocatedError, type Result } from "./util/result.js";

/** Where one reporter writes. */
export interface AuditOutput {
  reporter: Reporter;
  stream: Writable;
  /** Colour escapes allowed in this output (text reporter). */
  color?: boolean;
}

/** How far a run has got, for progress displays. */
export interface AuditProgress {
  listings: number;
  problems: number;
  elapsedMs: number;
}

export type FailOn = Severity | "never";

export interface AuditOptions {
  /** Files, folders, globs, `-` (stdin) and http(s) URLs, as given. */
  inputs: readonly string[];
  /** Working directory: inputs resolve against it and reports name files relative to it. Default process.cwd(). */
  cwd?: string;
  stdin?: Readable;
  /** A loaded config file (see loadConfigFile / findConfigFile); its keys apply where an option is not given. */
  config?: LoadedConfig;
  /** Template files or folders; replaces the config's `templates` when given. */
  templates?: readonly string[];
  platform?: Platform;
  lang?: Lang;
  failOn?: FailOn;
  /** Settings for crawling URL inputs (polite defaults otherwise; the configured regions are passed on). */
  crawl?: Omit<CrawlOptions, "regions">;
  outputs?: readonly AuditOutput[];
  /** Called with every listing's result, in input order (library use; results are not kept). */
  onResult?: (result: ListingResult) => void;
  onProgress?: (progress: AuditProgress) => void;
}

export interface AuditOutcome {
  summary: Summary;
  /** Findings at or above `failOn` that are not baselined (exit 1 when above 0). */
  failing: number;
  /** Warnings that are not baselined (for --max-warnings). */
  warnings: number;
  /** Located warnings from template files (unknown TOP area ids, services without a default row). */
  templateWarnings: LocatedError[];
}

/** Everything a run needs, loaded and checked before the first record is read. */
interface PreparedAudit {
  inputs: ResolvedInputs;
  crawl: CrawlOptions;
  auditRecord: (record: ListingRecord) => ListingResult;
  run: Omit<RunInfo, "color">;
  templateWarnings: LocatedError[];
  columns: Record<string, string> | undefined;
}

/**
 * Audits listings: reads every input as a stream, audits each record, and hands each result to every
 * output's reporter before reading the next, writing with back-pressure — no result is kept. Anything
 * that makes the run impossible (bad config, template or input named on the command line, duplicate
 * template ids) comes back as `ok: false` with every located error; problems with single records are
 * reported and counted, and the run goes on.
 */
export async function audit(options: AuditOptions): Promise<Result<AuditOutcome>> {
  const prepared = await prepareAudit(options);
  if (!prepared.ok) return prepared;
  return runAudit(prepared.value, options);
}

async function prepareAudit(options: AuditOptions): Promise<Result<PreparedAudit>> {
  const cwd = options.cwd ?? process.cwd();
  const config = options.config;
  const values = config?.values ?? {};
  const errors: LocatedError[] = [];

  const inputs = await resolveInputs(options.inputs, { cwd, stdin: options.stdin ?? Readable.from([]) });
  if (!inputs.ok) errors.push(...inputs.errors);

  const platform = options.platform ?? values.platform ?? "taobao";
  const lang = options.lang ?? values.lang ?? "zh";
  const failOn = options.failOn ?? values.failOn ?? "error";
  const ruleSettings = values.rules ?? {};
  for (const id of Object.keys(ruleSettings)) {
    if (!RULE_IDS.includes(id)) errors.push(configError(config, ["rules", id], `unknown rule id "${id}"`));
  }

  const regions = await loadConfiguredRegions(config);
  const lexicon = await loadConfiguredLexicon(config);
  const packs = await loadRulePacks();
  for (const loaded of [regions, lexicon, packs]) if (!loaded.ok) errors.push(...loaded.errors);
  if (!regions.ok || !lexicon.ok || !packs.ok || !inputs.ok) return { ok: false, errors };

  const promotions = resolvePromotions(config, regions.value);
  if (!promotions.ok) errors.push(...promotions.errors);
  const templatePaths = [...(options.templates?.map((t) => path.resolve(cwd, t)) ?? values.templates ?? []), ...inputs.value.templateFiles];
  const templates = await loadTemplateFiles(templatePaths, regions.value);
  if (!templates.ok) errors.push(...templates.errors);
  if (errors.length > 0 || !templates.ok || !promotions.ok) return { ok: false, errors };

  const auditRecord = createAuditor({
    regions: regions.value,
    lexicon: lexicon.value,
    templates: templates.value.templates,
    promotions: promotions.value,
    packs: packs.value,
    platform,
    lang,
    ruleSettings,
  });
  const rules: RuleDescriptor[] = describeRules(packs.value, platform, lang, ruleSettings);
  return {
    ok: true,
    value: {
      inputs: inputs.value,
      crawl: { ...options.crawl, regions: regions.value },
      auditRecord,
      run: { tool: readToolInfo(), inputs: [...options.inputs], rules, lang, platform, failOn },
      templateWarnings: templates.value.warnings,
      columns: values.columns,
    },
  };
}

/** The built-in lexicon plus the config's `lexicon` additions (validated, located in the config file). */
export async function loadConfiguredLexicon(config: LoadedConfig | undefined): ReturnType<typeof loadLexicon> {
  const base = await loadLexicon();
  const additions = config?.values.lexicon;
  if (!base.ok || additions === undefined) return base;
  const parsed = lexiconAdditionsSchema.safeParse(additions);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((issue) => configError(config, ["lexicon", ...issue.path], issue.message)) };
  }
  return { ok: true, value: mergeLexicon(base.value, parsed.data) };
}

function configError(config: LoadedConfig | undefined, keyPath: PropertyKey[], message: string): LocatedError {
  return config ? config.errorAt(keyPath, message) : { file: "options", key: formatKeyPath(keyPath), message };
}

async function runAudit(prepared: PreparedAudit, options: AuditOptions): Promise<Result<AuditOutcome>> {
  const outputs = options.outputs ?? [];
  const summary: Summary = { listings: 0, findings: 0, error: 0, warning: 0, info: 0, problems: 0, skipped: 0 };
  let failing = 0;
  let warnings = 0;
  const started = Date.now();
  const failOn = prepared.run.failOn;

  for (const output of outputs) await writeChunk(output.stream, output.reporter.start({ ...prepared.run, color: output.color ?? false }));

  const reportProblem = async (problem: Problem, skipped: boolean): Promise<void> => {
    summary.problems++;
    if (skipped) summary.skipped++;
    for (const output of outputs) await writeChunk(output.stream, output.reporter.problem(problem));
  };

  for (const problem of prepared.inputs.problems) await reportProblem(problem, false);

  let fatal: LocatedError[] = [];
  try {
    const sourceOptions = { crawl: prepared.crawl, ...(prepared.columns ? { columns: prepared.columns } : {}) };
    for await (const item of readSources(prepared.inputs, sourceOptions)) {
      if (item.kind === "problem") {
        await reportProblem(item.problem, item.skipped);
      } else {
        const result = auditSafely(prepared.auditRecord, item.record);
        summary.listings++;
        summary.problems += result.problems.length;
        for (const finding of result.findings) {
          summary.findings++;
          summary[finding.severity]++;
          if (finding.baselined !== true) {
            if (finding.severity === "warning") warnings++;
            if (atOrAbove(finding.severity, failOn)) failing++;
          }
        }
        options.onResult?.(result);
        for (const output of outputs) await writeChunk(output.stream, output.reporter.listing(result));
      }
      options.onProgress?.({ listings: summary.listings, problems: summary.problems, elapsedMs: Date.now() - started });
    }
  } catch (error) {
    if (!(error instanceof NotAListingSourceError)) throw error;
    fatal = [{ file: error.input, key: "", message: `not a listing source (expected ${error.expected})` }];
  }

  for (const output of outputs) await writeChunk(output.stream, output.reporter.end({ ...summary }));
  if (fatal.length > 0) return { ok: false, errors: fatal };
  return { ok: true, value: { summary, failing, warnings, templateWarnings: prepared.templateWarnings } };
}

/** One listing's result with findings in contract order (rule id, then offset); a crash is a problem, not a stop. */
function auditSafely(auditRecord: (record: ListingRecord) => ListingResult, record: ListingRecord): ListingResult {
  let result: ListingResult;
  try {
    result = auditRecord(record);
  } catch (error) {
    return {
      record,
      findings: [],
      problems: [
        { code: "rule/crashed", message: `auditing failed: ${(error as Error).message}`, source: record.source, listingId: record.listing.id },
      ],
    };
  }
  return { ...result, findings: result.findings.toSorted(compareFindings) };
}

function compareFindings(a: Finding, b: Finding): number {
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  return (a.claim?.start ?? -1) - (b.claim?.start ?? -1);
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function atOrAbove(severity: Severity, failOn: FailOn): boolean {
  return failOn !== "never" && RANK[severity] <= RANK[failOn];
}

/** Writes one reporter chunk, waiting for the stream to drain when its buffer is full. */
export async function writeChunk(stream: Writable, chunk: string): Promise<void> {
  if (chunk === "") return;
  if (!stream.write(chunk)) await once(stream, "drain");
}

const packageJsonSchema = z.object({ name: z.string(), version: z.string() });

/** The tool's name and version, from package.json. */
export function readToolInfo(): { name: string; version: string } {
  const parsed = packageJsonSchema.parse(JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")));
  return { name: parsed.name, version: parsed.version };
}

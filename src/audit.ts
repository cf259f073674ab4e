import { readFileSync } from "node:fs";
import path from "node:path";
import { Readable, type Writable } from "node:stream";
import { z } from "zod";
import {
  auditSafely,
  createAuditorFor,
  loadAuditorBase,
  loadAuditorEnvironment,
  type AuditorChooser,
  type AuditorSpec,
} from "./audit-environment.js";
import type { AuditedRecord } from "./audit-pool.js";
import { auditInOrder, type Scheduling } from "./audit-scheduler.js";
import { applyBaseline, compareReports, createBaseline, fingerprintFinding, type Baseline, type BaselineInput, type PreviousReport } from "./baseline/index.js";
import { createListingFilters, loadIgnoreRules, resolveListingPlatform, resolvePromotions, type ListingFilters, type LoadedConfig } from "./config/index.js";
import type { Finding, Lang, ListingRecord, ListingResult, Platform, Problem, ReportComparison, Severity, SourceItem, Summary } from "./model.js";
import { createFileSpools } from "./report/file-spool.js";
import type { Reporter, RuleDescriptor, RunInfo, TextSpool } from "./report/reporter.js";
import { CRASH_CODES, describeRules } from "./rules/engine.js";
import { createHtmlPageReader } from "./sources/html-page-reader.js";
import { NotAListingSourceError, readersWith, readSources, resolveInputs, type CrawlOptions, type ResolvedInputs } from "./sources/index.js";
import { CoalescedWriter } from "./util/coalesced-writer.js";
import { PACKAGE_ROOT } from "./util/package-root.js";
import type { LocatedError, Result } from "./util/result.js";

export { loadConfiguredLexicon } from "./audit-environment.js";

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
  /** Known findings (`--baseline`): they are marked `baselined` and do not count towards `failing` / `warnings`. */
  baseline?: Baseline;
  /** Build a baseline of every finding of this run (`--update-baseline`); it comes back as `outcome.baseline`. */
  collectBaseline?: boolean;
  /** A previous JSON report (`--compare`) and the name it is shown under; the comparison ends up in the summary. */
  previous?: { name: string; report: PreviousReport };
  /** Called with every listing's result, in input order (library use; results are not kept). */
  onResult?: (result: ListingResult) => void;
  onProgress?: (progress: AuditProgress) => void;
  /**
   * Worker threads that run the rules while this thread reads and reports; 0: none. Default: one fewer
   * than the cores available, at most 3 (so none on one core). Output is the same either way: results
   * come in input order.
   */
  threads?: number;
  /**
   * Records audited on this thread before worker threads start, so small runs never pay for starting
   * them (default 200); this thread goes on auditing until they are ready. 0: the workers start, and are
   * waited for, before the first record (this thread still audits batches while they are busy).
   */
  threadsAfter?: number;
}

export interface AuditOutcome {
  summary: Summary;
  /** Findings at or above `failOn` that are not baselined, plus crashed listings (exit 1 when above 0). */
  failing: number;
  /** Warnings that are not baselined (for --max-warnings). */
  warnings: number;
  /** Located warnings from template files (unknown TOP area ids, services without a default row). */
  templateWarnings: LocatedError[];
  /** Every finding of the run, when `collectBaseline` was set. */
  baseline?: Baseline;
  /** Input files left out by `.listingauditignore`, relative to the working directory. */
  ignored: string[];
}

/** Everything a run needs, loaded and checked before the first record is read. */
interface PreparedAudit {
  inputs: ResolvedInputs;
  crawl: CrawlOptions;
  auditorFor: AuditorChooser;
  /** What worker threads build the same auditors from. */
  spec: AuditorSpec;
  filters: ListingFilters;
  /** Summary counts the config asks for (`allowlisted`, `suppressed`), starting at 0. */
  extraCounts: Pick<Summary, "allowlisted" | "suppressed">;
  run: Omit<RunInfo, "color" | "spool">;
  templateWarnings: LocatedError[];
  columns: Record<string, string> | undefined;
  ignored: string[];
}

/**
 * Audits listings: reads every input as a stream, audits each record, and hands each result to every
 * output's reporter before reading the next, writing the text in pieces of up to 64 KiB (or after
 * 100 ms) with back-pressure — no result is kept. Anything that makes the run impossible (bad config,
 * template or input named on the command line, duplicate template ids) comes back as `ok: false` with
 * every located error; problems with single records are reported and counted, and the run goes on.
 */
export async function audit(options: AuditOptions): Promise<Result<AuditOutcome>> {
  const prepared = await prepareAudit(options);
  if (!prepared.ok) return prepared;
  // Spooled report text lives in temporary files, which must go however the run ends.
  const spools = createFileSpools();
  try {
    return await runAudit(prepared.value, options, spools.spool);
  } finally {
    spools.dispose();
  }
}

async function prepareAudit(options: AuditOptions): Promise<Result<PreparedAudit>> {
  const cwd = options.cwd ?? process.cwd();
  const config = options.config;
  const values = config?.values ?? {};
  const errors: LocatedError[] = [];

  const platform = options.platform ?? values.platform ?? "taobao";
  const lang = options.lang ?? values.lang ?? "zh";
  const failOn = options.failOn ?? values.failOn ?? "error";
  const ruleSettings = values.rules ?? {};

  const [regions, lexicon, packs] = await loadAuditorBase(config);
  const pageOptions = { ...(values.extractors ? { extractors: values.extractors } : {}), ...(values.country ? { country: values.country } : {}) };
  const inputs = await resolveInputs(options.inputs, {
    cwd,
    stdin: options.stdin ?? Readable.from([]),
    readers: readersWith(createHtmlPageReader({ ...pageOptions, ...(regions.ok ? { regions: regions.value } : {}) })),
  });
  for (const loaded of [regions, lexicon, packs, inputs]) if (!loaded.ok) errors.push(...loaded.errors);
  if (!regions.ok || !lexicon.ok || !packs.ok || !inputs.ok) return { ok: false, errors };

  const ignore = await loadIgnoreRules([...(config ? [path.dirname(config.path)] : []), cwd], cwd);
  if (ignore.errors.length > 0) return { ok: false, errors: ignore.errors };
  const kept = dropIgnored(inputs.value, ignore.ignores, cwd);

  const promotions = resolvePromotions(config, regions.value);
  if (!promotions.ok) errors.push(...promotions.errors);
  const spec: AuditorSpec = {
    cwd,
    ...(config ? { config: { path: config.path, file: config.file, values } } : {}),
    templatePaths: [...(options.templates?.map((t) => path.resolve(cwd, t)) ?? values.templates ?? []), ...kept.inputs.templateFiles],
    promotions: promotions.ok ? promotions.value : [],
    platform,
    lang,
  };
  const environment = await loadAuditorEnvironment(spec, regions.value, lexicon.value, packs.value);
  if (!environment.ok) errors.push(...environment.errors);
  if (errors.length > 0 || !environment.ok) return { ok: false, errors };
  const filters = createListingFilters(values, (record) => resolveListingPlatform(record, platform, packs.value.aliases));
  const rules: RuleDescriptor[] = describeRules(packs.value, platform, lang, ruleSettings);
  return {
    ok: true,
    value: {
      inputs: kept.inputs,
      crawl: { ...options.crawl, ...pageOptions, regions: regions.value },
      auditorFor: createAuditorFor(environment.value.options, filters),
      spec,
      filters,
      extraCounts: {
        ...(values.allow?.listings || values.allow?.urls ? { allowlisted: 0 } : {}),
        ...(values.allow?.phrases ? { suppressed: 0 } : {}),
      },
      run: { tool: readToolInfo(), inputs: [...options.inputs], rules, lang, platform, failOn },
      templateWarnings: environment.value.warnings,
      columns: values.columns,
      ignored: kept.ignored,
    },
  };
}

/** Inputs without the files `.listingauditignore` names (and without the problems about such files). */
function dropIgnored(inputs: ResolvedInputs, ignores: (absolute: string) => boolean, cwd: string): { inputs: ResolvedInputs; ignored: string[] } {
  const ignored: string[] = [];
  const keep = (name: string | undefined): boolean => {
    if (name === undefined || name === "-") return true;
    if (!ignores(path.resolve(cwd, name))) return true;
    ignored.push(name.split(path.sep).join("/"));
    return false;
  };
  return {
    inputs: {
      listings: inputs.listings.filter((l) => keep(l.input.name)),
      templateFiles: inputs.templateFiles.filter((f) => keep(path.relative(cwd, f))),
      urls: inputs.urls,
      problems: inputs.problems.filter((p) => keep(p.source.file)),
    },
    ignored,
  };
}

/** Hands one reporter call's text for every output to that output's writer. */
type Emit = (chunk: (reporter: Reporter, output: AuditOutput) => string | Iterable<string>) => Promise<void>;

async function runAudit(prepared: PreparedAudit, options: AuditOptions, spool: () => TextSpool): Promise<Result<AuditOutcome>> {
  const outputs = options.outputs ?? [];
  const writers = outputs.map((output) => new CoalescedWriter(output.stream));
  const emit: Emit = async (chunk) => {
    for (const [i, output] of outputs.entries()) await writers[i]?.write(chunk(output.reporter, output));
  };
  let outcome: Result<AuditOutcome>;
  try {
    outcome = await reportRun(prepared, options, spool, emit);
  } catch (error) {
    // What a failed run had reported still reaches the outputs.
    await Promise.allSettled(writers.map((writer) => writer.flush()));
    throw error;
  }
  for (const writer of writers) await writer.flush();
  return outcome;
}

async function reportRun(prepared: PreparedAudit, options: AuditOptions, spool: () => TextSpool, emit: Emit): Promise<Result<AuditOutcome>> {
  const summary: Summary = { listings: 0, findings: 0, error: 0, warning: 0, info: 0, problems: 0, skipped: 0, ...prepared.extraCounts };
  let failing = 0;
  let warnings = 0;
  const started = Date.now();
  const failOn = prepared.run.failOn;
  // Baselines and comparisons need every finding at the end; only what fingerprints need is kept.
  const keep = options.collectBaseline === true || options.previous !== undefined;
  const kept: BaselineInput[] = [];
  const fingerprints = new Map<Finding, string>();

  await emit((reporter, output) => reporter.start({ ...prepared.run, color: output.color ?? false, spool }));

  const reportProblem = async (problem: Problem, skipped: boolean): Promise<void> => {
    summary.problems++;
    if (skipped) summary.skipped++;
    await emit((reporter) => reporter.problem(problem));
  };

  for (const problem of prepared.inputs.problems) await reportProblem(problem, false);

  const handle = async (item: SourceItem, outcome?: AuditedRecord): Promise<void> => {
    if (item.kind === "problem") {
      await reportProblem(item.problem, item.skipped);
    } else if (prepared.filters.isAllowlisted(item.record)) {
      summary.allowlisted = (summary.allowlisted ?? 0) + 1;
    } else {
      const audited = outcome ?? auditSafely(prepared.auditorFor(item.record), item.record);
      const result = finishResult({ record: item.record, findings: audited.findings, problems: audited.problems }, prepared.filters, summary, options.baseline);
      summary.listings++;
      summary.problems += result.problems.length;
      // A listing the code failed on may hide an error finding: it never lets the run pass.
      for (const problem of result.problems) if (CRASH_CODES.has(problem.code)) failing++;
      for (const finding of result.findings) {
        summary.findings++;
        summary[finding.severity]++;
        if (finding.baselined !== true) {
          if (finding.severity === "warning") warnings++;
          if (atOrAbove(finding.severity, failOn)) failing++;
        }
      }
      if (keep && result.findings.length > 0) {
        const slim = slimRecord(result.record);
        for (const finding of result.findings) fingerprints.set(finding, fingerprintFinding(finding, slim));
        kept.push({ record: slim, findings: result.findings });
      }
      options.onResult?.(result);
      await emit((reporter) => reporter.listing(result));
    }
    options.onProgress?.({ listings: summary.listings, problems: summary.problems, elapsedMs: Date.now() - started });
  };

  let fatal: LocatedError[] = [];
  try {
    const sourceOptions = { crawl: prepared.crawl, ...(prepared.columns ? { columns: prepared.columns } : {}) };
    const scheduling: Scheduling = {
      spec: prepared.spec,
      auditorFor: prepared.auditorFor,
      isAllowlisted: (record) => prepared.filters.isAllowlisted(record),
      threads: options.threads,
      threadsAfter: options.threadsAfter,
    };
    await auditInOrder(readSources(prepared.inputs, sourceOptions), handle, scheduling);
  } catch (error) {
    if (!(error instanceof NotAListingSourceError)) throw error;
    fatal = [{ file: error.input, key: "", message: `not a listing source (expected ${error.expected})` }];
  }

  if (options.previous) summary.comparison = compareWith(options.previous, kept, fingerprints);
  await emit((reporter) => reporter.end({ ...summary }));
  if (fatal.length > 0) return { ok: false, errors: fatal };
  return {
    ok: true,
    value: {
      summary,
      failing,
      warnings,
      templateWarnings: prepared.templateWarnings,
      ...(options.collectBaseline ? { baseline: createBaseline(kept) } : {}),
      ignored: prepared.ignored,
    },
  };
}

/** Drops the findings an allowlisted phrase covers (counted) and marks known ones when there is a baseline. */
function finishResult(result: ListingResult, filters: ListingFilters, summary: Summary, baseline: Baseline | undefined): ListingResult {
  const findings = result.findings.filter((f) => !filters.isSuppressed(f));
  if (findings.length < result.findings.length) summary.suppressed = (summary.suppressed ?? 0) + result.findings.length - findings.length;
  const kept = findings.length < result.findings.length ? { ...result, findings } : result;
  return baseline ? applyBaseline(kept, baseline) : kept;
}

/** What a fingerprint needs of a record: the id, the title (for ids that are record numbers) and the row. */
function slimRecord(record: ListingRecord): ListingRecord {
  return { listing: { id: record.listing.id, title: record.listing.title }, source: record.source.row === undefined ? {} : { row: record.source.row } };
}

function compareWith(previous: NonNullable<AuditOptions["previous"]>, current: readonly BaselineInput[], fingerprints: ReadonlyMap<Finding, string>): ReportComparison {
  const comparison = compareReports(previous.report, current);
  return {
    previous: previous.name,
    new: comparison.new.map((f) => fingerprints.get(f) ?? ""),
    unchanged: comparison.unchanged.length,
    fixed: comparison.fixed,
  };
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function atOrAbove(severity: Severity, failOn: FailOn): boolean {
  return failOn !== "never" && RANK[severity] <= RANK[failOn];
}

const packageJsonSchema = z.object({ name: z.string(), version: z.string() });

/** The tool's name and version, from package.json. */
export function readToolInfo(): { name: string; version: string } {
  const parsed = packageJsonSchema.parse(JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")));
  return { name: parsed.name, version: parsed.version };
}

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
import type { AuditedRecord } from "./audit-wire.js";
import { auditInOrder, MAX_THREADS, type ItemAuditing, type Scheduling } from "./audit-scheduler.js";
import {
  applyBaseline,
  createBaseline,
  createReportMatcher,
  fingerprintFinding,
  type Baseline,
  type BaselineInput,
  type KnownFindings,
  type PreviousReport,
  type ReportMatcher,
} from "./baseline/index.js";
import {
  createListingFilters,
  loadIgnoreRules,
  resolveListingPlatform,
  resolveDocsUrl,
  resolveEffectiveSettings,
  resolvePromotions,
  type ListingFilters,
  type LoadedConfig,
} from "./config/index.js";
import type {
  FixedFinding,
  Lang,
  ListingRecord,
  ListingResult,
  Platform,
  Problem,
  ReportComparison,
  SourceItem,
  Summary,
} from "./model.js";
import { createFileSpools } from "./report/file-spool.js";
import { describeRegionSets } from "./report/html/region-fold.js";
import type { Reporter, RuleDescriptor, RunInfo, TextSpool } from "./report/reporter.js";
import { describeRules } from "./engine/engine.js";
import { createHtmlPageReader } from "./sources/html-page-reader.js";
import { redactCredentials } from "./sources/crawl/url.js";
import {
  NotAListingSourceError,
  readersWith,
  readSources,
  resolveInputs,
  type CrawlOptions,
  type ResolvedInputs,
} from "./sources/index.js";
import { namedTemplateId } from "./templates/index.js";
import { CoalescedWriter } from "./util/coalesced-writer.js";
import { PACKAGE_ROOT } from "./util/package-root.js";
import type { LocatedError, Result } from "./util/result.js";
import { countsAsWarning, type FailOn, findingFailsRun, problemFailsRun } from "./verdict.js";

export { loadConfiguredLexicon } from "./audit-environment.js";

/** Where one reporter writes. */
export interface AuditOutput {
  reporter: Reporter;
  stream: Writable;
  /** Colour escapes allowed in this output (text reporter). */
  color?: boolean;
  /** What the output is called in an error message (its file name); default "standard output". */
  name?: string;
}

/** A write to one output failed (a full disk, a closed pipe): the run stops, and the caller says which output. */
export class OutputWriteError extends Error {
  constructor(
    /** The output's name; undefined for standard output. */
    readonly output: string | undefined,
    readonly code: string | undefined,
    options: { cause: unknown },
  ) {
    super(
      `cannot write ${output ?? "standard output"}: ${code ?? String((options.cause as Error | undefined)?.message ?? options.cause)}`,
      options,
    );
  }
}

/** How far a run has got, for progress displays. */
export interface AuditProgress {
  listings: number;
  problems: number;
  elapsedMs: number;
}

export type { FailOn };

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
  /**
   * Audit the text only, with no shipping template at all (`--no-templates`). Without it, a run that was
   * given no template (here, in the config or among the inputs) stops at the first listing that names a
   * template id, rather than pass with every claim unverifiable.
   */
  noTemplates?: boolean;
  platform?: Platform;
  lang?: Lang;
  failOn?: FailOn;
  /** Settings for crawling URL inputs (polite defaults otherwise; the configured regions are passed on). */
  crawl?: Omit<CrawlOptions, "regions">;
  /**
   * Where reports go. A function is called once everything the run needs has been loaded and checked,
   * so a run that cannot be done opens no output at all.
   */
  outputs?: readonly AuditOutput[] | (() => Promise<Result<readonly AuditOutput[]>>);
  /**
   * Files this run writes (absolute paths): left out when a folder or glob among the inputs finds them,
   * so a report written into the audited folder is not read back as an input.
   */
  outputFiles?: readonly string[];
  /** Known findings (`--baseline`): they are marked `baselined` and do not count towards `failing` / `warnings`. */
  baseline?: Baseline | KnownFindings;
  /** Build a baseline of every finding of this run (`--update-baseline`); it comes back as `outcome.baseline`. */
  collectBaseline?: boolean;
  /** A previous JSON report (`--compare`) and the name it is shown under; the comparison ends up in the summary. */
  previous?: { name: string; report: PreviousReport };
  /** Called with every listing's result, in input order (library use; results are not kept). */
  onResult?: (result: ListingResult) => void;
  onProgress?: (progress: AuditProgress) => void;
  /** Called with every input problem, in the run's language (the CLI names them when nothing could be audited). */
  onProblem?: (problem: Problem) => void;
  /**
   * Worker threads that run the rules while this thread reads and reports; 0: none. Default: one fewer
   * than the cores available, at most 3 (so none on one core); at most MAX_THREADS (16). Output is the same either way: results
   * come in input order.
   */
  threads?: number;
  /**
   * Records audited on this thread before worker threads start, so small runs never pay for starting
   * them (default 200); this thread goes on auditing until they are ready. 0: the workers start, and are
   * waited for, before the first record (this thread still audits batches while they are busy).
   */
  threadsAfter?: number;
  /** Audits the records elsewhere (`--queue`: workers of a BullMQ queue, src/queue/) instead of on this process's threads. */
  auditItems?: ItemAuditing;
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
  /**
   * Input problems that cost records or pages (a skipped record, an unreadable file, a page that could
   * not be fetched): a baseline written from such a run would forget those listings' findings.
   */
  incomplete: number;
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
  const threads = options.threads;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 0 && threads <= MAX_THREADS)) {
    throw new TypeError(`audit: options.threads must be a whole number from 0 to ${MAX_THREADS} (got ${threads})`);
  }
  const prepared = await prepareAudit(options);
  if (!prepared.ok) return prepared;
  const outputs =
    typeof options.outputs === "function"
      ? await options.outputs()
      : { ok: true as const, value: options.outputs ?? [] };
  if (!outputs.ok) return outputs;
  // Spooled report text lives in temporary files, which must go however the run ends.
  const spools = createFileSpools();
  try {
    return await runAudit(prepared.value, options, outputs.value, spools.spool);
  } finally {
    spools.dispose();
  }
}

async function prepareAudit(options: AuditOptions): Promise<Result<PreparedAudit>> {
  const cwd = options.cwd ?? process.cwd();
  const config = options.config;
  const values = config?.values ?? {};
  const errors: LocatedError[] = [];

  const [regions, lexicon, packs] = await loadAuditorBase(config);
  const pageOptions = {
    ...(values.extractors ? { extractors: values.extractors } : {}),
    ...(values.country ? { country: values.country } : {}),
  };
  const inputs = await resolveInputs(options.inputs, {
    cwd,
    stdin: options.stdin ?? Readable.from([]),
    readers: readersWith(createHtmlPageReader({ ...pageOptions, ...(regions.ok ? { regions: regions.value } : {}) })),
  });
  for (const loaded of [regions, lexicon, packs, inputs]) if (!loaded.ok) errors.push(...loaded.errors);
  if (!regions.ok || !lexicon.ok || !packs.ok || !inputs.ok) return { ok: false, errors };

  const ignore = await loadIgnoreRules([...(config ? [path.dirname(config.path)] : []), cwd], cwd);
  if (ignore.errors.length > 0) return { ok: false, errors: ignore.errors };
  const outputFiles = new Set(options.outputFiles?.map((file) => path.resolve(cwd, file)));
  const kept = dropIgnored(inputs.value, ignore.ignores, (absolute) => outputFiles.has(absolute), cwd);

  const { platform, lang, failOn, templates } = resolveEffectiveSettings(
    {
      ...(config ? { config } : {}),
      commandLine: {
        platform: options.platform,
        lang: options.lang,
        failOn: options.failOn,
        templates: options.templates,
      },
      cwd,
    },
    { platforms: packs.value.platforms, regions: regions.value },
  );
  const promotions = resolvePromotions(config, regions.value);
  if (!promotions.ok) errors.push(...promotions.errors);
  const spec: AuditorSpec = {
    cwd,
    ...(config ? { config: { path: config.path, file: config.file, values } } : {}),
    templatePaths: options.noTemplates ? [] : [...(templates ?? []), ...kept.inputs.templateFiles],
    promotions: promotions.ok ? promotions.value : [],
    platform,
    lang,
  };
  const environment = await loadAuditorEnvironment(spec, regions.value, lexicon.value, packs.value);
  if (!environment.ok) errors.push(...environment.errors);
  if (errors.length > 0 || !environment.ok) return { ok: false, errors };
  const filters = createListingFilters(values, (record) =>
    resolveListingPlatform(record, platform, packs.value.aliases),
  );
  const rules: RuleDescriptor[] = describeRules(packs.value, platform, lang, values.rules).map((rule) => ({
    ...rule,
    docsUrl: resolveDocsUrl(rule.docsUrl, values.docs?.baseUrl),
  }));
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
      run: {
        tool: readToolInfo(),
        inputs: options.inputs.map(redactCredentials),
        rules,
        lang,
        platform,
        failOn,
        regionSets: describeRegionSets(regions.value),
        ...(options.noTemplates ? { textOnly: true } : {}),
      },
      templateWarnings: environment.value.warnings,
      columns: values.columns,
      ignored: kept.ignored,
    },
  };
}

/**
 * Inputs without the files `.listingauditignore` names and this run's own output files (and without the
 * problems about such files); only the ignored ones are listed.
 */
function dropIgnored(
  inputs: ResolvedInputs,
  ignores: (absolute: string) => boolean,
  isOutput: (absolute: string) => boolean,
  cwd: string,
): { inputs: ResolvedInputs; ignored: string[] } {
  const ignored: string[] = [];
  const keep = (name: string | undefined): boolean => {
    if (name === undefined || name === "-") return true;
    const absolute = path.resolve(cwd, name);
    if (isOutput(absolute)) return false;
    if (!ignores(absolute)) return true;
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

async function runAudit(
  prepared: PreparedAudit,
  options: AuditOptions,
  outputs: readonly AuditOutput[],
  spool: () => TextSpool,
): Promise<Result<AuditOutcome>> {
  const writers = outputs.map((output) => new CoalescedWriter(output.stream));
  const named = <T>(i: number, write: () => Promise<T>): Promise<T> =>
    write().catch((error: unknown) => {
      throw new OutputWriteError(outputs[i]?.name, (error as NodeJS.ErrnoException).code, { cause: error });
    });
  const emit: Emit = async (chunk) => {
    for (const [i, output] of outputs.entries())
      await named(i, async () => writers[i]?.write(chunk(output.reporter, output)));
  };
  let outcome: Result<AuditOutcome>;
  try {
    outcome = await reportRun(prepared, options, spool, emit);
  } catch (error) {
    // What a failed run had reported still reaches the outputs.
    await Promise.allSettled(writers.map((writer) => writer.flush()));
    throw error;
  }
  for (const [i, writer] of writers.entries()) await named(i, () => writer.flush());
  return outcome;
}

/** A problem as the reports show it: in the run's language, without the other wording. */
function inRunLanguage(problem: Problem, lang: Lang): Problem {
  if (problem.zh === undefined) return problem;
  const { zh, ...rest } = problem;
  return lang === "zh" ? { ...rest, message: zh } : rest;
}

async function reportRun(
  prepared: PreparedAudit,
  options: AuditOptions,
  spool: () => TextSpool,
  emit: Emit,
): Promise<Result<AuditOutcome>> {
  const summary: Summary = {
    listings: 0,
    findings: 0,
    error: 0,
    warning: 0,
    info: 0,
    problems: 0,
    skipped: 0,
    ...prepared.extraCounts,
  };
  let failing = 0;
  let warnings = 0;
  const started = Date.now();
  const failOn = prepared.run.failOn;
  // A baseline being written needs every finding at the end; only what fingerprints need is kept.
  const kept: BaselineInput[] = [];
  const comparing = options.previous ? startComparison(options.previous.report) : undefined;
  // Without any template, a listing naming one would pass with every claim unverifiable.
  const templatesMissing = options.noTemplates !== true && prepared.spec.templatePaths.length === 0;
  let incomplete = 0;

  await emit((reporter, output) => reporter.start({ ...prepared.run, color: output.color ?? false, spool }));

  const reportProblem = async (problem: Problem, skipped: boolean): Promise<void> => {
    summary.problems++;
    if (skipped) summary.skipped++;
    if (skipped || losesListings(problem)) incomplete++;
    const shown = inRunLanguage(problem, prepared.run.lang);
    options.onProblem?.(shown);
    await emit((reporter) => reporter.problem(shown));
  };

  for (const problem of prepared.inputs.problems) await reportProblem(problem, false);

  const handle = async (item: SourceItem, outcome?: AuditedRecord): Promise<void> => {
    if (item.kind === "problem") {
      await reportProblem(item.problem, item.skipped);
    } else if (
      templatesMissing &&
      item.record.template === undefined &&
      namedTemplateId(item.record.listing) !== undefined
    ) {
      throw new TemplatesMissingError(item.record);
    } else if (prepared.filters.isAllowlisted(item.record)) {
      summary.allowlisted = (summary.allowlisted ?? 0) + 1;
    } else {
      const audited = outcome ?? auditSafely(prepared.auditorFor(item.record), item.record);
      const finished = finishResult(
        { record: item.record, findings: audited.findings, problems: audited.problems },
        prepared.filters,
        summary,
        options.baseline,
      );
      const result = comparing ? comparing.mark(finished) : finished;
      summary.listings++;
      summary.problems += result.problems.length;
      for (const problem of result.problems) if (problemFailsRun(problem)) failing++;
      for (const finding of result.findings) {
        summary.findings++;
        summary[finding.severity]++;
        if (countsAsWarning(finding)) warnings++;
        if (findingFailsRun(finding, failOn)) failing++;
      }
      if (options.collectBaseline && result.findings.length > 0)
        kept.push({ record: slimRecord(result.record), findings: result.findings });
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
    await (options.auditItems ?? auditInOrder)(readSources(prepared.inputs, sourceOptions), handle, scheduling);
  } catch (error) {
    if (error instanceof NotAListingSourceError)
      fatal = [{ file: error.input, key: "", message: `not a listing source (expected ${error.expected})` }];
    else if (error instanceof TemplatesMissingError) fatal = [templatesMissingError(error.record, prepared.run.lang)];
    else throw error;
  }

  if (comparing && options.previous && fatal.length === 0) {
    const comparison = await comparing.finish(options.previous.name);
    if (!comparison.ok) fatal = comparison.errors;
    else summary.comparison = comparison.value;
  }
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
      incomplete,
      ignored: prepared.ignored,
    },
  };
}

/** Drops the findings an allowlisted phrase covers (counted) and marks known ones when there is a baseline. */
function finishResult(
  result: ListingResult,
  filters: ListingFilters,
  summary: Summary,
  baseline: Baseline | KnownFindings | undefined,
): ListingResult {
  const findings = result.findings.filter((f) => !filters.isSuppressed(f));
  if (findings.length < result.findings.length)
    summary.suppressed = (summary.suppressed ?? 0) + result.findings.length - findings.length;
  const kept = findings.length < result.findings.length ? { ...result, findings } : result;
  return baseline ? applyBaseline(kept, baseline) : kept;
}

/** What a fingerprint needs of a record: the id, the title (for ids that are record numbers) and the row. */
function slimRecord(record: ListingRecord): ListingRecord {
  return {
    listing: { id: record.listing.id, title: record.listing.title },
    source: record.source.row === undefined ? {} : { row: record.source.row },
  };
}

/** How many new and fixed findings a comparison names; the JSON report counts the rest. */
const COMPARISON_LISTED = 10_000;

/** `--compare` as the run goes: each finding is marked new or unchanged when it is reported. */
function startComparison(previous: PreviousReport) {
  const matcher: ReportMatcher = createReportMatcher(previous);
  const fresh: string[] = [];
  const named: FixedFinding[] = [];
  let unchanged = 0;
  return {
    mark(result: ListingResult): ListingResult {
      if (result.findings.length === 0) return result;
      const findings = result.findings.map((finding) => {
        const fingerprint = fingerprintFinding(finding, result.record);
        if (matcher.match(finding, fingerprint)) {
          unchanged++;
          return { ...finding, compared: "unchanged" as const };
        }
        fresh.push(fingerprint);
        if (named.length < COMPARISON_LISTED) {
          const { ruleId, severity, listingId, message, claim, regions } = finding;
          named.push({
            ruleId,
            severity,
            listingId,
            message,
            claim: claim && { text: claim.text },
            regions: regions.map((r) => ({ code: r.code })),
            fingerprint,
          });
        }
        return { ...finding, compared: "new" as const };
      });
      return { ...result, findings };
    },
    async finish(name: string): Promise<Result<ReportComparison>> {
      const fixed = await matcher.fixed(COMPARISON_LISTED);
      if (!fixed.ok) return fixed;
      const notListed = fixed.value.total - fixed.value.listed.length;
      return {
        ok: true,
        value: {
          previous: name,
          new: fresh,
          unchanged,
          fixed: fixed.value.listed,
          ...(notListed > 0 ? { fixedNotListed: notListed } : {}),
          newFindings: named,
        },
      };
    },
  };
}

/**
 * Problems that lose listings without a record being counted as skipped: a page that could not be
 * fetched, a saved page that is missing, a damaged workbook, a listing file whose rest is not read.
 */
function losesListings(problem: Problem): boolean {
  const { code, source } = problem;
  return (
    code.startsWith("crawl/") ||
    code.startsWith("saved-pages/") ||
    code === "xls/damaged" ||
    (code === "json/syntax-error" && source.row === undefined)
  );
}

/** Thrown at the first listing that names a template id in a run that was given no template. */
class TemplatesMissingError extends Error {
  constructor(readonly record: ListingRecord) {
    super("no shipping template given, but a listing names a template id");
  }
}

function templatesMissingError(record: ListingRecord, lang: Lang): LocatedError {
  const { source } = record;
  const templateId = namedTemplateId(record.listing) ?? "";
  return {
    file: source.file ?? source.url ?? "-",
    ...(source.line === undefined ? {} : { line: source.line }),
    key: "templateId",
    message: templatesMissingMessage(templateId, lang),
  };
}

function templatesMissingMessage(templateId: string, lang: Lang): string {
  return lang === "en"
    ? `no shipping template was given, but the listings name template ids (the first: "${templateId}"): without templates every claim is unverifiable and real errors go unreported. Give the templates with -t <file or folder> or the config's templates: [...], or pass --no-templates to audit the text only`
    : `没有提供运费模板，但商品指定了运费模板 ID（第一个：「${templateId}」）：没有模板，所有包邮宣称都无法核对，真正的错误会被漏掉。请用 -t <文件或文件夹> 或配置文件的 templates: [...] 提供模板；只审核文字请加 --no-templates`;
}

const packageJsonSchema = z.object({ name: z.string(), version: z.string() });

/** The tool's name and version, from package.json. */
export function readToolInfo(): { name: string; version: string } {
  const parsed = packageJsonSchema.parse(JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")));
  return { name: parsed.name, version: parsed.version };
}

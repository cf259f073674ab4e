import path from "node:path";
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { audit, OutputWriteError, type AuditOutput } from "../audit.js";
import { baselineMessages, type BaselineMessages } from "../baseline/index.js";
import { layeredSetting } from "../config/index.js";
import type { Lang, Problem, Summary } from "../model.js";
import { escapeTerminalText } from "../report/escape-terminal.js";
import { formatLocation, nameFinding } from "../report/finding-display.js";
import { formatSummaryLine } from "../report/text.js";
import { formatLocatedErrorIn, type Result } from "../util/result.js";
import { judgeRun } from "../verdict.js";
import { loadBaselineOption, loadPreviousReport, saveBaseline } from "./baseline-files.js";
import { runPrintConfigCommand } from "./commands.js";
import type { CliIo } from "./io.js";
import type { CliOptions } from "./options.js";
import { outputMessages } from "./output-messages.js";
import { findOutputOverwritingInput, openOutputs, planOutputs, type OpenedOutputs, type ReadFile } from "./outputs.js";
import { startFixing } from "./fix-command.js";
import { createProgress } from "./progress.js";
import { prepareQueuedAudit, queuedAuditIncomplete, queuedAuditStopped } from "./queue-commands.js";
import { RUN_MESSAGES } from "./run-messages.js";
import {
  commandLineSettings,
  EXIT_CLOSED_OUTPUT,
  EXIT_ERROR,
  EXIT_FAIL,
  EXIT_OK,
  loadConfig,
  printErrors,
  runLang,
  usageError,
  useColor,
} from "./shared.js";

/** `listing-audit [audit] <input…>`. */
export async function runAuditCommand(options: CliOptions, io: CliIo): Promise<number> {
  if (options.printConfig) return runPrintConfigCommand(options, io);
  if (options.positionals.length === 0) return usageError(io, RUN_MESSAGES.noInput);
  const config = await loadConfig(options, io);
  if (!config.ok) return printErrors(io, config.errors);
  const commandLine = commandLineSettings(options);
  const lang = layeredSetting("lang", config.value, commandLine);
  if (io.interruption) io.interruption.lang = lang;
  const messages = outputMessages(lang);
  const m = baselineMessages(lang);
  const stop = (message: string): number => {
    io.stderr.write(`listing-audit: ${escapeTerminalText(message)}\n`);
    return EXIT_ERROR;
  };
  const outputFailed = (error: OutputWriteError): number => {
    // A reader that closed standard output early (`| head`) ends the run quietly, as pipes do.
    if (error.output === undefined && error.code === "EPIPE") return EXIT_CLOSED_OUTPUT;
    return stop(messages.cannotWriteOutput(error.output ?? messages.standardOutput, error.code ?? error.message));
  };
  const plan = planOutputs(layeredSetting("format", config.value, commandLine), options.output);
  if (!plan.ok) return usageError(io, plan.message);
  const clash = await findOutputOverwritingInput(plan.value, filesReadBy(options, config.value?.path), io.cwd);
  if (clash) return stop(messages.outputIsInput(clash.file, clash.role));
  const baseline =
    options.baseline === undefined
      ? undefined
      : await loadBaselineOption(options.baseline, options.updateBaseline, io.cwd, lang);
  const previous = options.compare === undefined ? undefined : await loadPreviousReport(options.compare, io.cwd, lang);
  const fileErrors = [
    ...(baseline && !baseline.ok ? baseline.errors : []),
    ...(previous && !previous.ok ? previous.errors : []),
  ];
  if (fileErrors.length > 0) return printErrors(io, fileErrors);
  // Even with --quiet: it changes what the run's exit status means.
  if (baseline?.ok && baseline.value.note)
    io.stderr.write(`listing-audit: ${escapeTerminalText(baseline.value.note)}\n`);
  // Progress only where it cannot mix with a report on the same terminal.
  const stderrIsTTY = (io.stderr as { isTTY?: boolean }).isTTY === true;
  const reportToStdout = plan.value.some((t) => t.file === undefined);
  const showProgress = !options.quiet && stderrIsTTY && !(io.isTTY && reportToStdout);
  const queued = await prepareQueuedAudit(options, io, showProgress);
  if (typeof queued === "number") return queued;
  if (options.crawl.savePages !== undefined) {
    const unusable = await checkFolderToCreate(path.resolve(io.cwd, options.crawl.savePages));
    if (unusable === "not-a-folder") return stop(messages.savePagesNotAFolder(options.crawl.savePages));
    if (unusable !== undefined) return stop(messages.savePagesUnwritable(options.crawl.savePages, unusable));
  }

  const progress = showProgress && !queued ? createProgress(io.stderr, runLang(io)) : undefined;
  if (io.interruption && progress) io.interruption.clearProgress = () => progress.clear();
  let opened: OpenedOutputs | undefined;
  const openFiles = async (): Promise<Result<readonly AuditOutput[]>> => {
    const result = await openOutputs(plan.value, io.cwd, io.stdout, useColor(io));
    if (!result.ok)
      return { ok: false, errors: [{ file: result.file, key: "", message: messages.cannotOpenOutput(result.code) }] };
    opened = result.value;
    return { ok: true, value: opened.outputs };
  };
  // Until commit, the report files are temporary files: a run that stops on the way replaces nothing.
  const fail = async (code: number): Promise<number> => {
    await opened?.abort();
    return code;
  };
  // When nothing could be audited the reports are not written: stderr says why.
  const firstProblems: Problem[] = [];
  const templatePaths = options.templates?.map((t) => path.resolve(io.cwd, t)) ?? config.value?.values.templates ?? [];
  const fixing = options.fix ? await startFixing(options.fix, lang, templatePaths, io.cwd) : undefined;
  if (fixing && !fixing.ok) return usageError(io, fixing.message);
  let outcome: Awaited<ReturnType<typeof audit>>;
  try {
    outcome = await audit({
      inputs: options.positionals,
      cwd: io.cwd,
      stdin: io.stdin,
      ...(config.value ? { config: config.value } : {}),
      ...(options.templates ? { templates: options.templates } : {}),
      ...(options.noTemplates ? { noTemplates: true } : {}),
      ...(options.platform ? { platform: options.platform } : {}),
      ...(options.lang ? { lang: options.lang } : {}),
      ...(options.failOn ? { failOn: options.failOn } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      crawl: options.crawl,
      outputs: openFiles,
      outputFiles: plan.value.flatMap((t) => (t.file === undefined ? [] : [path.resolve(io.cwd, t.file)])),
      ...(baseline?.ok && baseline.value.known ? { baseline: baseline.value.known } : {}),
      ...(options.updateBaseline ? { collectBaseline: true } : {}),
      ...(previous?.ok ? { previous: { name: options.compare ?? "", report: previous.value } } : {}),
      ...(progress ? { onProgress: (p) => progress.update(p) } : {}),
      ...(fixing?.ok ? { onResult: fixing.value.collect } : {}),
      ...(queued ? { auditItems: queued.auditItems } : {}),
      onProblem: (problem) => {
        if (firstProblems.length < PROBLEMS_NAMED) firstProblems.push(problem);
      },
    });
  } catch (error) {
    progress?.clear();
    queued?.clearProgress();
    await opened?.abort();
    const stopped = queuedAuditStopped(error, io);
    if (stopped !== undefined) return stopped;
    if (!(error instanceof OutputWriteError)) throw error;
    return outputFailed(error);
  }
  progress?.clear();
  queued?.clearProgress();
  if (!outcome.ok) return fail(printErrors(io, outcome.errors));
  const { summary, templateWarnings, ignored } = outcome.value;
  let { failing, warnings } = outcome.value;
  if (!options.quiet) {
    for (const w of templateWarnings)
      io.stderr.write(`${RUN_MESSAGES.warning[lang]}${escapeTerminalText(formatLocatedErrorIn(w, lang))}\n`);
    io.stderr.write(formatRunNotes(summary, ignored, lang, m, options.noTemplates === true));
  }
  if (summary.listings === 0 && (summary.allowlisted ?? 0) === 0) {
    io.stderr.write(`listing-audit: ${RUN_MESSAGES.noAuditableRecord[lang]}\n`);
    for (const p of firstProblems)
      io.stderr.write(`  ${escapeTerminalText(`${formatLocation(p.source)}  ${p.message}  ${p.code}`)}\n`);
    return fail(EXIT_ERROR);
  }
  if (options.updateBaseline && options.baseline !== undefined && outcome.value.baseline) {
    // A baseline written from a partial run forgets the findings of what was not read.
    const { incomplete } = outcome.value;
    if (incomplete > 0 && !options.force) {
      io.stderr.write(`listing-audit: ${escapeTerminalText(m.partialRun(incomplete, options.baseline))}\n`);
      return fail(EXIT_ERROR);
    }
    const saved = await saveBaseline(options.baseline, outcome.value.baseline, io.cwd, lang);
    if (!saved.ok) return fail(printErrors(io, saved.errors));
    if (incomplete > 0)
      io.stderr.write(`listing-audit: ${escapeTerminalText(m.forcedPartial(incomplete, options.baseline))}\n`);
    if (!options.quiet)
      io.stderr.write(
        `listing-audit: ${escapeTerminalText(m.wroteBaseline(outcome.value.baseline.entries.length, options.baseline))}\n`,
      );
    // Every finding of this run is now known: only other failures (input problems past the limit) count.
    failing = 0;
    warnings = 0;
  }
  try {
    await opened?.commit();
  } catch (error) {
    await opened?.abort();
    if (!(error instanceof OutputWriteError)) throw error;
    return outputFailed(error);
  }
  if (fixing?.ok) {
    const fixed = await fixing.value.finish(io, options.quiet);
    if (fixed !== EXIT_OK) return fixed;
  }
  const files = plan.value.flatMap((t) => (t.file === undefined ? [] : [t.file]));
  // With every report in a file the terminal would show nothing: the summary and the files go to stderr.
  if (!reportToStdout && !options.quiet) {
    io.stderr.write(`${formatSummaryLine(summary, lang, false)}\n${escapeTerminalText(messages.wrote(files))}\n`);
  }
  const incomplete = queued && queuedAuditIncomplete(queued, io);
  if (incomplete !== undefined) return incomplete;
  const verdict = judgeRun({ failing, warnings, problems: summary.problems }, options);
  if (verdict.kind === "too-many-warnings")
    io.stderr.write(`listing-audit: ${RUN_MESSAGES.tooManyWarnings(verdict.count, verdict.limit)[lang]}\n`);
  if (verdict.kind === "too-many-problems")
    io.stderr.write(`listing-audit: ${RUN_MESSAGES.tooManyProblems(verdict.count, verdict.limit)[lang]}\n`);
  return verdict.kind === "passes" ? EXIT_OK : EXIT_FAIL;
}

/** Input problems named on stderr when a run audited nothing. */
const PROBLEMS_NAMED = 20;

/** New and fixed findings named on stderr; the reports name them all. */
const NOTES_LISTED = 20;

/** What the config, --no-templates and --compare changed about the run, for the person reading stderr. */
function formatRunNotes(
  summary: Summary,
  ignored: readonly string[],
  lang: Lang,
  m: BaselineMessages,
  textOnly: boolean,
): string {
  const lines: string[] = [];
  if (textOnly) lines.push(m.textOnly);
  if (ignored.length > 0) lines.push(RUN_MESSAGES.ignoredFiles(ignored.length)[lang]);
  if (summary.allowlisted) lines.push(RUN_MESSAGES.allowlisted(summary.allowlisted)[lang]);
  if (summary.suppressed) lines.push(RUN_MESSAGES.suppressed(summary.suppressed)[lang]);
  const c = summary.comparison;
  if (c) {
    const fixed = c.fixed.length + (c.fixedNotListed ?? 0);
    lines.push(m.compared(c.previous, { new: c.new.length, fixed, unchanged: c.unchanged }));
    for (const f of (c.newFindings ?? []).slice(0, NOTES_LISTED)) lines.push(`  ${m.newFinding}: ${nameFinding(f)}`);
    if (c.new.length > NOTES_LISTED) lines.push(`  ${m.notListed(c.new.length - NOTES_LISTED)}`);
    for (const f of c.fixed.slice(0, NOTES_LISTED)) lines.push(`  ${m.fixedFinding}: ${nameFinding(f)}`);
    if (fixed > NOTES_LISTED) lines.push(`  ${m.notListed(fixed - NOTES_LISTED)}`);
  }
  return lines.map((l) => `listing-audit: ${escapeTerminalText(l)}\n`).join("");
}

/** Files the run reads that an output must not overwrite: named inputs, templates, baseline, previous report, config. */
function filesReadBy(options: CliOptions, configPath: string | undefined): ReadFile[] {
  const named = options.positionals.filter((p) => p !== "-" && !/^https?:\/\//i.test(p));
  return [
    ...named.map((file): ReadFile => ({ file, role: "input" })),
    ...(options.templates ?? []).map((file): ReadFile => ({ file, role: "templates" })),
    ...(options.baseline === undefined ? [] : [{ file: options.baseline, role: "baseline" as const }]),
    ...(options.compare === undefined ? [] : [{ file: options.compare, role: "compare" as const }]),
    ...(configPath === undefined ? [] : [{ file: configPath, role: "config" as const }]),
  ];
}

/**
 * Whether `folder` can be used as a folder to write into, found out without creating anything: undefined
 * when it is a folder or can be created, "not-a-folder" when it is a file, else the error code of the
 * nearest existing ancestor (ENOTDIR: a file on the way; EACCES: not writable).
 */
async function checkFolderToCreate(folder: string): Promise<"not-a-folder" | string | undefined> {
  const found = await stat(folder).catch(() => undefined);
  if (found) return found.isDirectory() ? undefined : "not-a-folder";
  for (let ancestor = path.dirname(folder); ; ancestor = path.dirname(ancestor)) {
    const entry = await stat(ancestor).catch(() => undefined);
    if (entry) {
      if (!entry.isDirectory()) return "ENOTDIR";
      return access(ancestor, constants.W_OK).then(
        () => undefined,
        (error: NodeJS.ErrnoException) => error.code ?? "EACCES",
      );
    }
    if (path.dirname(ancestor) === ancestor) return "ENOENT";
  }
}

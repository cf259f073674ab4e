import { audit } from "../audit.js";
import { baselineMessages, type BaselineMessages } from "../baseline/index.js";
import type { Lang, Summary } from "../model.js";
import { nameFinding } from "../report/finding-display.js";
import { formatLocatedErrorIn } from "../util/result.js";
import { loadBaselineOption, loadPreviousReport, saveBaseline } from "./baseline-files.js";
import { runPrintConfigCommand } from "./commands.js";
import type { CliIo } from "./io.js";
import type { CliOptions } from "./options.js";
import { openOutputs, planOutputs } from "./outputs.js";
import { createProgress } from "./progress.js";
import { RUN_MESSAGES } from "./run-messages.js";
import { EXIT_ERROR, EXIT_FAIL, EXIT_OK, loadConfig, printErrors, runLang, usageError, useColor } from "./shared.js";

/** `listing-audit [audit] <input…>`. */
export async function runAuditCommand(options: CliOptions, io: CliIo): Promise<number> {
  if (options.printConfig) return runPrintConfigCommand(options, io);
  if (options.positionals.length === 0) return usageError(io, RUN_MESSAGES.noInput);
  const config = await loadConfig(options, io);
  if (!config.ok) return printErrors(io, config.errors);
  const lang = options.lang ?? config.value?.values.lang ?? "zh";
  const m = baselineMessages(lang);
  const baseline = options.baseline === undefined ? undefined : await loadBaselineOption(options.baseline, options.updateBaseline, io.cwd, lang);
  const previous = options.compare === undefined ? undefined : await loadPreviousReport(options.compare, io.cwd, lang);
  const fileErrors = [...(baseline && !baseline.ok ? baseline.errors : []), ...(previous && !previous.ok ? previous.errors : [])];
  if (fileErrors.length > 0) return printErrors(io, fileErrors);
  // Even with --quiet: it changes what the run's exit status means.
  if (baseline?.ok && baseline.value.note) io.stderr.write(`listing-audit: ${baseline.value.note}\n`);
  const plan = planOutputs(options.formats.length > 0 ? options.formats : (config.value?.values.format ?? []), options.output);
  if (!plan.ok) return usageError(io, plan.message);
  const opened = await openOutputs(plan.value, io.cwd, io.stdout, useColor(io));
  if (!opened.ok) return usageError(io, opened.message);

  // Progress only where it cannot mix with a report on the same terminal.
  const stderrIsTTY = (io.stderr as { isTTY?: boolean }).isTTY === true;
  const reportOnTerminal = io.isTTY && plan.value.some((t) => t.file === undefined);
  const progress = !options.quiet && stderrIsTTY && !reportOnTerminal ? createProgress(io.stderr, runLang(io)) : undefined;
  let outcome;
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
      outputs: opened.value.outputs,
      ...(baseline?.ok && baseline.value.known ? { baseline: baseline.value.known } : {}),
      ...(options.updateBaseline ? { collectBaseline: true } : {}),
      ...(previous?.ok ? { previous: { name: options.compare ?? "", report: previous.value } } : {}),
      ...(progress ? { onProgress: (p) => progress.update(p) } : {}),
    });
  } finally {
    progress?.clear();
    await opened.value.close();
  }
  if (!outcome.ok) return printErrors(io, outcome.errors);
  const { summary, templateWarnings, ignored } = outcome.value;
  let { failing, warnings } = outcome.value;
  if (!options.quiet) {
    for (const w of templateWarnings) io.stderr.write(`${RUN_MESSAGES.warning[runLang(io)]}${formatLocatedErrorIn(w, runLang(io))}\n`);
    io.stderr.write(formatRunNotes(summary, ignored, runLang(io), m, options.noTemplates));
  }
  if (summary.listings === 0 && (summary.allowlisted ?? 0) === 0) {
    io.stderr.write(`listing-audit: ${RUN_MESSAGES.noAuditableRecord[runLang(io)]}\n`);
    return EXIT_ERROR;
  }
  if (options.updateBaseline && options.baseline !== undefined && outcome.value.baseline) {
    // A baseline written from a partial run forgets the findings of what was not read.
    const { incomplete } = outcome.value;
    if (incomplete > 0 && !options.force) {
      io.stderr.write(`listing-audit: ${m.partialRun(incomplete, options.baseline)}\n`);
      return EXIT_ERROR;
    }
    const saved = await saveBaseline(options.baseline, outcome.value.baseline, io.cwd, lang);
    if (!saved.ok) return printErrors(io, saved.errors);
    if (incomplete > 0) io.stderr.write(`listing-audit: ${m.forcedPartial(incomplete, options.baseline)}\n`);
    if (!options.quiet) io.stderr.write(`listing-audit: ${m.wroteBaseline(outcome.value.baseline.entries.length, options.baseline)}\n`);
    // Every finding of this run is now known: only other failures (input problems past the limit) count.
    failing = 0;
    warnings = 0;
  }
  if (failing > 0) return EXIT_FAIL;
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    io.stderr.write(`listing-audit: ${RUN_MESSAGES.tooManyWarnings(warnings, options.maxWarnings)[runLang(io)]}\n`);
    return EXIT_FAIL;
  }
  if (options.maxProblems !== undefined && summary.problems > options.maxProblems) {
    io.stderr.write(`listing-audit: ${RUN_MESSAGES.tooManyProblems(summary.problems, options.maxProblems)[runLang(io)]}\n`);
    return EXIT_FAIL;
  }
  return EXIT_OK;
}

/** New and fixed findings named on stderr; the reports name them all. */
const NOTES_LISTED = 20;

/** What the config, --no-templates and --compare changed about the run, for the person reading stderr. */
function formatRunNotes(summary: Summary, ignored: readonly string[], lang: Lang, m: BaselineMessages, textOnly: boolean): string {
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
  return lines.map((l) => `listing-audit: ${l}\n`).join("");
}

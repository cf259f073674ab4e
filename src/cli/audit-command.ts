import { audit, loadConfiguredLexicon } from "../audit.js";
import { baselineMessages, type BaselineMessages } from "../baseline/index.js";
import { formatEffectiveConfig, loadConfiguredRegions } from "../config/index.js";
import type { Summary } from "../model.js";
import { nameFinding } from "../report/finding-display.js";
import { formatLocatedError } from "../util/result.js";
import { loadBaselineOption, loadPreviousReport, saveBaseline } from "./baseline-files.js";
import type { CliIo } from "./io.js";
import type { CliOptions } from "./options.js";
import { openOutputs, planOutputs } from "./outputs.js";
import { createProgress } from "./progress.js";
import { EXIT_ERROR, EXIT_FAIL, EXIT_OK, loadConfig, printErrors, usageError, useColor } from "./shared.js";

/** `listing-audit [audit] <input…>`. */
export async function runAuditCommand(options: CliOptions, io: CliIo): Promise<number> {
  if (options.printConfig) return printConfig(options, io);
  if (options.positionals.length === 0) return usageError(io, "no input given: name listing files, folders, globs, URLs or - for stdin");
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
  const progress = !options.quiet && stderrIsTTY && !reportOnTerminal ? createProgress(io.stderr) : undefined;
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
    for (const w of templateWarnings) io.stderr.write(`warning: ${formatLocatedError(w)}\n`);
    io.stderr.write(formatRunNotes(summary, ignored, m, options.noTemplates));
  }
  if (summary.listings === 0 && (summary.allowlisted ?? 0) === 0) {
    io.stderr.write("listing-audit: the inputs yield no auditable record\n");
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
    io.stderr.write(`listing-audit: ${warnings} warnings, more than --max-warnings ${options.maxWarnings}\n`);
    return EXIT_FAIL;
  }
  if (options.maxProblems !== undefined && summary.problems > options.maxProblems) {
    io.stderr.write(`listing-audit: ${summary.problems} input problems, more than --max-problems ${options.maxProblems}\n`);
    return EXIT_FAIL;
  }
  return EXIT_OK;
}

/** `--print-config`: the effective config as YAML; a config that would stop a run stops this too. */
async function printConfig(options: CliOptions, io: CliIo): Promise<number> {
  const config = await loadConfig(options, io);
  if (!config.ok) return printErrors(io, config.errors);
  const regions = await loadConfiguredRegions(config.value);
  const lexicon = await loadConfiguredLexicon(config.value);
  const errors = [...(regions.ok ? [] : regions.errors), ...(lexicon.ok ? [] : lexicon.errors)];
  if (errors.length > 0) return printErrors(io, errors);
  const commandLine = {
    ...(options.platform ? { platform: options.platform } : {}),
    ...(options.lang ? { lang: options.lang } : {}),
    ...(options.failOn ? { failOn: options.failOn } : {}),
    ...(options.formats.length > 0 ? { format: options.formats } : {}),
    ...(options.templates ? { templates: options.templates } : {}),
  };
  io.stdout.write(formatEffectiveConfig(config.value, commandLine, io.cwd));
  return EXIT_OK;
}

/** New and fixed findings named on stderr; the reports name them all. */
const NOTES_LISTED = 20;

/** What the config, --no-templates and --compare changed about the run, for the person reading stderr. */
function formatRunNotes(summary: Summary, ignored: readonly string[], m: BaselineMessages, textOnly: boolean): string {
  const lines: string[] = [];
  if (textOnly) lines.push(m.textOnly);
  if (ignored.length > 0) lines.push(`${ignored.length} input files ignored by .listingauditignore`);
  if (summary.allowlisted) lines.push(`${summary.allowlisted} listings allowlisted (not audited)`);
  if (summary.suppressed) lines.push(`${summary.suppressed} findings suppressed by allowlisted phrases`);
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

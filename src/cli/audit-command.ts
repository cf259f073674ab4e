import { audit } from "../audit.js";
import type { Summary } from "../model.js";
import { formatLocatedError } from "../util/result.js";
import { loadBaselineOption, loadPreviousReport, saveBaseline } from "./baseline-files.js";
import { runPrintConfigCommand } from "./commands.js";
import type { CliIo } from "./io.js";
import type { CliOptions } from "./options.js";
import { openOutputs, planOutputs } from "./outputs.js";
import { createProgress } from "./progress.js";
import { EXIT_ERROR, EXIT_FAIL, EXIT_OK, loadConfig, printErrors, usageError, useColor } from "./shared.js";

/** `listing-audit [audit] <input…>`. */
export async function runAuditCommand(options: CliOptions, io: CliIo): Promise<number> {
  if (options.printConfig) return runPrintConfigCommand(options, io);
  if (options.positionals.length === 0) return usageError(io, "no input given: name listing files, folders, globs, URLs or - for stdin");
  const config = await loadConfig(options, io);
  if (!config.ok) return printErrors(io, config.errors);
  const baseline = options.baseline === undefined ? undefined : await loadBaselineOption(options.baseline, options.updateBaseline, io.cwd);
  const previous = options.compare === undefined ? undefined : await loadPreviousReport(options.compare, io.cwd);
  const fileErrors = [...(baseline && !baseline.ok ? baseline.errors : []), ...(previous && !previous.ok ? previous.errors : [])];
  if (fileErrors.length > 0) return printErrors(io, fileErrors);
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
      ...(options.platform ? { platform: options.platform } : {}),
      ...(options.lang ? { lang: options.lang } : {}),
      ...(options.failOn ? { failOn: options.failOn } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      crawl: options.crawl,
      outputs: opened.value.outputs,
      ...(baseline?.ok && baseline.value ? { baseline: baseline.value } : {}),
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
    io.stderr.write(formatRunNotes(summary, ignored));
  }
  if (summary.listings === 0 && (summary.allowlisted ?? 0) === 0) {
    io.stderr.write("listing-audit: the inputs yield no auditable record\n");
    return EXIT_ERROR;
  }
  if (options.updateBaseline && options.baseline !== undefined && outcome.value.baseline) {
    const saved = await saveBaseline(options.baseline, outcome.value.baseline, io.cwd);
    if (!saved.ok) return printErrors(io, saved.errors);
    if (!options.quiet) io.stderr.write(`listing-audit: wrote ${outcome.value.baseline.entries.length} known findings to ${options.baseline}\n`);
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

/** What the config and --compare changed about the run, for the person reading stderr. */
function formatRunNotes(summary: Summary, ignored: readonly string[]): string {
  const lines: string[] = [];
  if (ignored.length > 0) lines.push(`${ignored.length} input files ignored by .listingauditignore`);
  if (summary.allowlisted) lines.push(`${summary.allowlisted} listings allowlisted (not audited)`);
  if (summary.suppressed) lines.push(`${summary.suppressed} findings suppressed by allowlisted phrases`);
  const c = summary.comparison;
  if (c) {
    lines.push(`compared with ${c.previous}: ${c.new.length} new, ${c.fixed.length} fixed, ${c.unchanged} unchanged`);
    for (const f of c.fixed) lines.push(`  fixed: ${f.listingId} ${f.ruleId}${f.claim ? ` 「${f.claim.text}」` : ""}`);
  }
  return lines.map((l) => `listing-audit: ${l}\n`).join("");
}

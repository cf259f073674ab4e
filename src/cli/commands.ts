import path from "node:path";
import { audit, loadConfiguredLexicon } from "../audit.js";
import { findConfigFile, loadConfigFile, loadConfiguredRegions, writeStarterConfig, type LoadedConfig } from "../config/index.js";
import type { RegionCatalogue } from "../model.js";
import { describeRules } from "../rules/engine.js";
import { loadRulePacks } from "../rules/rule-packs.js";
import { explainText } from "../text/index.js";
import { formatLocatedError, type LocatedError, type Result } from "../util/result.js";
import type { CliIo } from "./io.js";
import type { CliOptions } from "./options.js";
import { openOutputs, planOutputs } from "./outputs.js";
import { createProgress } from "./progress.js";

export const EXIT_OK = 0;
export const EXIT_FAIL = 1;
export const EXIT_ERROR = 2;

/** `listing-audit [audit] <input…>`. */
export async function runAuditCommand(options: CliOptions, io: CliIo): Promise<number> {
  if (options.positionals.length === 0) return usageError(io, "no input given: name listing files, folders, globs, URLs or - for stdin");
  const config = await loadConfig(options, io);
  if (!config.ok) return printErrors(io, config.errors);
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
      crawl: options.crawl,
      outputs: opened.value.outputs,
      ...(progress ? { onProgress: (p) => progress.update(p) } : {}),
    });
  } finally {
    progress?.clear();
    await opened.value.close();
  }
  if (!outcome.ok) return printErrors(io, outcome.errors);
  const { summary, failing, warnings, templateWarnings } = outcome.value;
  if (!options.quiet) for (const w of templateWarnings) io.stderr.write(`warning: ${formatLocatedError(w)}\n`);
  if (summary.listings === 0) {
    io.stderr.write("listing-audit: the inputs yield no auditable record\n");
    return EXIT_ERROR;
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

/** `listing-audit explain <text> [--json]`. */
export async function runExplainCommand(options: CliOptions, io: CliIo): Promise<number> {
  const text = options.positionals.join(" ");
  if (text.trim() === "") return usageError(io, "explain needs a text, e.g. listing-audit explain '全国包邮（新疆西藏除外）'");
  const config = await loadConfig(options, io);
  if (!config.ok) return printErrors(io, config.errors);
  const regions = await loadConfiguredRegions(config.value);
  const lexicon = await loadConfiguredLexicon(config.value);
  const errors = [...(regions.ok ? [] : regions.errors), ...(lexicon.ok ? [] : lexicon.errors)];
  if (!regions.ok || !lexicon.ok) return printErrors(io, errors);
  const explained = explainText(text, { lexicon: lexicon.value, regions: regions.value });
  io.stdout.write(options.json ? `${JSON.stringify(explained, null, 2)}\n` : formatExplanation(explained, regions.value));
  return EXIT_OK;
}

/** `listing-audit rules [--json]`. */
export async function runRulesCommand(options: CliOptions, io: CliIo): Promise<number> {
  const config = await loadConfig(options, io);
  if (!config.ok) return printErrors(io, config.errors);
  const packs = await loadRulePacks();
  if (!packs.ok) return printErrors(io, packs.errors);
  const values = config.value?.values ?? {};
  const platform = options.platform ?? values.platform ?? "taobao";
  const lang = options.lang ?? values.lang ?? "zh";
  const rules = describeRules(packs.value, platform, lang, values.rules ?? {});
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ platform, rules }, null, 2)}\n`);
    return EXIT_OK;
  }
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  const lines = rules.map((r) => `${r.id.padEnd(idWidth)}  ${r.severity.padEnd(7)}  ${r.description}\n${" ".repeat(idWidth + 11)}${r.docsUrl}`);
  io.stdout.write(`platform: ${platform}\n\n${lines.join("\n")}\n`);
  return EXIT_OK;
}

/** `listing-audit init`. */
export async function runInitCommand(io: CliIo): Promise<number> {
  const written = await writeStarterConfig(io.cwd);
  if (!written.ok) return printErrors(io, written.errors);
  io.stdout.write(`wrote ${path.relative(io.cwd, written.value)}\n`);
  return EXIT_OK;
}

/** The config named with -c, else the nearest one from the working directory upwards, else none. */
async function loadConfig(options: CliOptions, io: CliIo): Promise<Result<LoadedConfig | undefined>> {
  const file = options.config ?? (await findConfigFile(io.cwd));
  if (file === undefined) return { ok: true, value: undefined };
  return loadConfigFile(file, io.cwd);
}

/** Colour for the terminal: FORCE_COLOR forces it (0 / false turn it off), NO_COLOR turns it off. */
export function useColor(io: CliIo): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  return io.isTTY;
}

export function usageError(io: CliIo, message: string): number {
  io.stderr.write(`listing-audit: ${message}\nRun listing-audit --help for usage.\n`);
  return EXIT_ERROR;
}

function printErrors(io: CliIo, errors: readonly LocatedError[]): number {
  for (const error of errors) io.stderr.write(`error: ${formatLocatedError(error)}\n`);
  return EXIT_ERROR;
}

type Explanation = ReturnType<typeof explainText>;

function formatExplanation(explained: Explanation, regions: RegionCatalogue): string {
  const names = (codes: readonly string[]) => (codes.length === 0 ? "—" : codes.map((c) => regions.get(c)?.shortName ?? c).join("、"));
  const span = (item: { text: string; start: number; end: number }) => `「${item.text}」 [${item.start}–${item.end}]`;
  const lines: string[] = [explained.text, ""];
  lines.push(`claims (${explained.claims.length})`);
  for (const c of explained.claims) {
    const condition = c.condition ? JSON.stringify(c.condition) : "none";
    const count = c.count === undefined ? "" : ` count ${c.count}`;
    lines.push(`  ${span(c)}  scope ${c.scope}${count}`);
    if (c.regions.length > 0) lines.push(`    regions: ${names(c.regions)}`);
    lines.push(`    excluded: ${names(c.excluded)}  condition: ${condition}  carrier: ${c.carrier ?? "none"}`);
  }
  lines.push(`disclosures (${explained.disclosures.length})`);
  for (const d of explained.disclosures) {
    lines.push(`  ${span(d)}  regions: ${names(d.regions)}${d.fee === null ? "" : `  fee ¥${d.fee}`}${d.vague ? "  (vague)" : ""}`);
  }
  lines.push(`buyer pays (${explained.buyerPays.length})`);
  for (const b of explained.buyerPays) lines.push(`  ${span(b)}  ${b.kind}`);
  lines.push(`invoice (${explained.invoice.length})`);
  for (const i of explained.invoice) lines.push(`  ${span(i)}  ${i.kind}`);
  return `${lines.join("\n")}\n`;
}

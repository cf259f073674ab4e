import type { Lang, ListingResult } from "../model.js";
import { escapeTerminalText } from "../report/escape-terminal.js";
import { loadFixContext } from "../fix/load-fix-context.js";
import { refusalWording } from "../fix/refusal-wording.js";
import { runFixes, type FixRunReport } from "../fix/run-fixes.js";
import { runTemplateFixes } from "../fix/run-template-fixes.js";
import { loadRegionCatalogue } from "../regions/load-regions.js";
import { RULE_IDS } from "../rules/registry.js";
import type { CliIo } from "./io.js";
import type { FixOptions } from "./options.js";
import { say, type Say } from "./say.js";
import { EXIT_ERROR, EXIT_OK } from "./shared.js";
import { formatLocatedErrorIn } from "../util/result.js";
import { createTextFixer } from "../fix/text-fixes.js";
import { createUndeliverableCheck } from "../fix/undeliverable-regions.js";
import { loadTemplateFiles } from "../templates/load-templates.js";

export interface Fixing {
  /** Keeps the results that have findings (the audit's `onResult`). */
  collect(result: ListingResult): void;
  /** After a run that was done: plans, writes (or shows) the fixes and says what was fixed and refused. */
  finish(io: CliIo, quiet: boolean): Promise<number>;
}

/** Checks the --fix options before the run; the results to fix are collected while it audits. */
export async function startFixing(
  options: FixOptions,
  lang: Lang,
  templatePaths: readonly string[],
  cwd: string,
): Promise<{ ok: true; value: Fixing } | { ok: false; message: Say | string }> {
  if (options.strategy === "template" && templatePaths.length === 0)
    return {
      ok: false,
      message: say(
        "--fix-strategy template 要修改运费模板：请用 -t 或配置文件的 templates 给出模板文件",
        "--fix-strategy template changes the shipping templates: name their files with -t or the config's templates",
      ),
    };
  const unknown = (options.rules ?? []).filter((id) => !RULE_IDS.includes(id));
  if (unknown.length > 0)
    return {
      ok: false,
      message: say(`--fix-rule：未知规则 ${unknown.join("、")}`, `--fix-rule: unknown rule ${unknown.join(", ")}`),
    };
  const regions = await loadRegionCatalogue();
  const context = regions.ok ? await loadFixContext(regions.value, lang) : regions;
  if (!context.ok) return { ok: false, message: context.errors.map((e) => formatLocatedErrorIn(e, lang)).join("\n") };
  const rules = options.rules ? new Set(options.rules) : undefined;
  // The audit reports any fault of these files; a fix without them treats every region as delivered.
  const templates = await loadTemplateFiles(templatePaths, context.value.wording.regions, cwd);
  const undeliverable = createUndeliverableCheck(
    templates.ok ? templates.value.templates : new Map(),
    context.value.wording.regions,
  );
  const attachTextFixes = createTextFixer(context.value, cwd, rules, undeliverable);
  const results: ListingResult[] = [];
  return {
    ok: true,
    value: {
      collect: (result) => {
        if (result.findings.length === 0) return;
        attachTextFixes(result);
        results.push(result);
      },
      async finish(io, quiet) {
        let report: FixRunReport;
        try {
          const runOptions = {
            cwd: io.cwd,
            dryRun: options.dryRun,
            ...(options.outputDir !== undefined ? { outputDir: options.outputDir } : {}),
            ...(rules ? { rules } : {}),
            lang,
            undeliverable,
          };
          report =
            options.strategy === "template"
              ? await runTemplateFixes(results, templatePaths, context.value, runOptions)
              : await runFixes(results, context.value, runOptions);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
          io.stderr.write(`listing-audit: ${escapeTerminalText(FIX_MESSAGES.cannotWrite(code)[lang])}\n`);
          return EXIT_ERROR;
        }
        if (options.dryRun) io.stdout.write(report.diff.split("\n").map(escapeTerminalText).join("\n"));
        if (!quiet) io.stderr.write(formatFixNotes(report, context.value.data.reasons, lang));
        return EXIT_OK;
      },
    },
  };
}

/** The fix summary, the files written and every refusal with its reason, for stderr. */
function formatFixNotes(report: FixRunReport, reasons: Record<string, Record<Lang, string>>, lang: Lang): string {
  const lines = [FIX_MESSAGES.summary(report.fixed, report.refused.length)[lang]];
  for (const file of report.files) {
    lines.push(
      file.written === undefined
        ? FIX_MESSAGES.wouldChange(file.file, file.edits)[lang]
        : FIX_MESSAGES.wrote(file.written, file.edits)[lang],
    );
    if (file.copy) lines.push(FIX_MESSAGES.copy(file.file)[lang]);
  }
  for (const refused of report.refused) {
    const reason = refusalWording(refused, reasons, lang);
    const where = refused.file === undefined ? "" : `${refused.file} `;
    lines.push(`  ${where}${refused.listingId || "-"}  ${refused.ruleId}: ${reason}`);
  }
  return lines.map((l) => `listing-audit: ${escapeTerminalText(l)}\n`).join("");
}

const FIX_MESSAGES = {
  summary: (fixed: number, refused: number): Say =>
    say(
      `修复 ${fixed} 个问题，${refused} 个未自动修复：`,
      `fixed ${fixed} findings, ${refused} not fixed automatically:`,
    ),
  wrote: (file: string, edits: number): Say =>
    say(`已写入 ${file}（改动 ${edits} 处）`, `wrote ${file} (${edits} changes)`),
  wouldChange: (file: string, edits: number): Say =>
    say(
      `${file} 将改动 ${edits} 处（--fix-dry-run，未写入）`,
      `${file}: ${edits} changes (--fix-dry-run, nothing written)`,
    ),
  copy: (file: string): Say =>
    say(
      `${file} 没有原样改写：工作簿由 SheetJS 重新生成，部分格式会丢失，所以修改写在 .fixed.xlsx 副本里，原文件不变`,
      `${file} is not changed in place: SheetJS rebuilds the workbook and loses some formatting, so the fixes are in a .fixed.xlsx copy and the original is untouched`,
    ),
  cannotWrite: (code: string): Say => say(`无法写入修复后的文件：${code}`, `cannot write the fixed file: ${code}`),
} as const;

import path from "node:path";
import { loadConfiguredLexicon } from "../audit.js";
import { loadConfiguredRegions, writeStarterConfig } from "../config/index.js";
import { describeRules } from "../rules/engine.js";
import { loadRulePacks } from "../rules/rule-packs.js";
import { explainText } from "../text/index.js";
import { formatExplanation } from "./explain-printer.js";
import { formatRules } from "./rules-printer.js";
import type { CliIo } from "./io.js";
import type { CliOptions } from "./options.js";
import { EXIT_OK, loadConfig, printErrors, usageError } from "./shared.js";

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
  const lang = options.lang ?? config.value?.values.lang ?? "zh";
  io.stdout.write(options.json ? `${JSON.stringify(explained, null, 2)}\n` : formatExplanation(explained, regions.value, lang));
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
  io.stdout.write(formatRules(rules, platform, lang));
  return EXIT_OK;
}

/** `listing-audit init`. */
export async function runInitCommand(io: CliIo): Promise<number> {
  const written = await writeStarterConfig(io.cwd);
  if (!written.ok) return printErrors(io, written.errors);
  io.stdout.write(`wrote ${path.relative(io.cwd, written.value)}\n`);
  return EXIT_OK;
}

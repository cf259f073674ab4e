import path from "node:path";
import { loadConfiguredLexicon } from "../audit.js";
import {
  formatEffectiveConfig,
  layeredSetting,
  loadConfiguredRegions,
  resolveDocsUrl,
  resolveEffectiveSettings,
  writeStarterConfig,
} from "../config/index.js";
import { describeRules } from "../engine/engine.js";
import { BUILTIN_RULES_DIR, loadRulePacks } from "../engine/rule-packs.js";
import { BUILTIN_REGIONS_FILE } from "../regions/load-regions.js";
import { BUILTIN_LEXICON_FILE } from "../text/lexicon.js";
import { PACKAGE_ROOT } from "../util/package-root.js";
import { explainText } from "../text/index.js";
import { formatExplanation } from "./explain-printer.js";
import { formatRules } from "./rules-printer.js";
import type { CliIo } from "./io.js";
import type { CliOptions } from "./options.js";
import { say } from "./say.js";
import { commandLineSettings, EXIT_OK, loadConfig, printErrors, runLang, setRunLang, usageError } from "./shared.js";

/** `listing-audit explain <text> [--json]`. */
export async function runExplainCommand(options: CliOptions, io: CliIo): Promise<number> {
  const text = options.positionals.join(" ");
  if (text.trim() === "") {
    return usageError(
      io,
      say(
        "explain 需要一段文字，例如 listing-audit explain '全国包邮（新疆西藏除外）'",
        "explain needs a text, e.g. listing-audit explain '全国包邮（新疆西藏除外）'",
      ),
    );
  }
  const config = await loadConfig(options, io);
  if (!config.ok) return printErrors(io, config.errors);
  const regions = await loadConfiguredRegions(config.value);
  const lexicon = await loadConfiguredLexicon(config.value);
  const errors = [...(regions.ok ? [] : regions.errors), ...(lexicon.ok ? [] : lexicon.errors)];
  if (!regions.ok || !lexicon.ok) return printErrors(io, errors);
  const explained = explainText(text, { lexicon: lexicon.value, regions: regions.value });
  io.stdout.write(
    options.json ? `${JSON.stringify(explained, null, 2)}\n` : formatExplanation(explained, regions.value, runLang(io)),
  );
  return EXIT_OK;
}

/** `listing-audit rules [--json]`. */
export async function runRulesCommand(options: CliOptions, io: CliIo): Promise<number> {
  const config = await loadConfig(options, io);
  if (!config.ok) return printErrors(io, config.errors);
  const packs = await loadRulePacks();
  if (!packs.ok) return printErrors(io, packs.errors);
  const values = config.value?.values ?? {};
  const platform = layeredSetting("platform", config.value, commandLineSettings(options));
  const lang = runLang(io);
  const rules = describeRules(packs.value, platform, lang, values.rules ?? {}).map((rule) => ({
    ...rule,
    docsUrl: resolveDocsUrl(rule.docsUrl, values.docs?.baseUrl),
  }));
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ platform, rules }, null, 2)}\n`);
    return EXIT_OK;
  }
  io.stdout.write(formatRules(rules, platform, lang));
  return EXIT_OK;
}

/** `--print-config`: the effective settings as YAML; a config that would stop a run stops this too. */
export async function runPrintConfigCommand(options: CliOptions, io: CliIo): Promise<number> {
  const config = await loadConfig(options, io);
  if (!config.ok) return printErrors(io, config.errors);
  const [regions, lexicon, packs] = await Promise.all([
    loadConfiguredRegions(config.value),
    loadConfiguredLexicon(config.value),
    loadRulePacks(),
  ]);
  const errors = [regions, lexicon, packs].flatMap((r) => (r.ok ? [] : r.errors));
  if (!regions.ok || !lexicon.ok || !packs.ok) return printErrors(io, errors);
  const settings = resolveEffectiveSettings(
    { ...(config.value ? { config: config.value } : {}), commandLine: commandLineSettings(options), cwd: io.cwd },
    { platforms: packs.value.platforms, regions: regions.value },
  );
  const fromPackage = (file: string) => path.relative(PACKAGE_ROOT, file).split(path.sep).join("/");
  const files = {
    regions: fromPackage(BUILTIN_REGIONS_FILE),
    lexicon: fromPackage(BUILTIN_LEXICON_FILE),
    rulePack: fromPackage(path.join(BUILTIN_RULES_DIR, "packs", `${settings.platform}.yaml`)),
    ruleTexts: fromPackage(path.join(BUILTIN_RULES_DIR, "rules.yaml")),
  };
  io.stdout.write(formatEffectiveConfig(config.value, settings, files, io.cwd));
  return EXIT_OK;
}

/** `listing-audit init`. */
export async function runInitCommand(options: CliOptions, io: CliIo): Promise<number> {
  setRunLang(io, options.lang ?? "zh");
  const written = await writeStarterConfig(io.cwd);
  if (!written.ok) return printErrors(io, written.errors);
  const file = path.relative(io.cwd, written.value);
  io.stdout.write(runLang(io) === "zh" ? `已写入 ${file}\n` : `wrote ${file}\n`);
  return EXIT_OK;
}

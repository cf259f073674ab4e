import path from "node:path";
import { loadConfiguredLexicon } from "../audit.js";
import { formatEffectiveConfig, loadConfiguredRegions, resolveDocsUrl, writeStarterConfig } from "../config/index.js";
import type { Lang, RegionCatalogue } from "../model.js";
import { describeRules } from "../rules/engine.js";
import { BUILTIN_RULES_DIR, loadRulePacks } from "../rules/rule-packs.js";
import { BUILTIN_REGIONS_FILE } from "../regions/load-regions.js";
import { BUILTIN_LEXICON_FILE } from "../text/lexicon.js";
import { PACKAGE_ROOT } from "../util/package-root.js";
import { explainText } from "../text/index.js";
import type { CliIo } from "./io.js";
import type { CliOptions } from "./options.js";
import { say } from "./say.js";
import { EXIT_OK, loadConfig, printErrors, runLang, setRunLang, usageError } from "./shared.js";

/** `listing-audit explain <text> [--json]`. */
export async function runExplainCommand(options: CliOptions, io: CliIo): Promise<number> {
  const text = options.positionals.join(" ");
  if (text.trim() === "") {
    return usageError(io, say("explain 需要一段文字，例如 listing-audit explain '全国包邮（新疆西藏除外）'", "explain needs a text, e.g. listing-audit explain '全国包邮（新疆西藏除外）'"));
  }
  const config = await loadConfig(options, io);
  if (!config.ok) return printErrors(io, config.errors);
  const regions = await loadConfiguredRegions(config.value);
  const lexicon = await loadConfiguredLexicon(config.value);
  const errors = [...(regions.ok ? [] : regions.errors), ...(lexicon.ok ? [] : lexicon.errors)];
  if (!regions.ok || !lexicon.ok) return printErrors(io, errors);
  const explained = explainText(text, { lexicon: lexicon.value, regions: regions.value });
  io.stdout.write(options.json ? `${JSON.stringify(explained, null, 2)}\n` : formatExplanation(explained, regions.value, runLang(io)));
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
  const lang = runLang(io);
  const rules = describeRules(packs.value, platform, lang, values.rules ?? {}).map((rule) => ({ ...rule, docsUrl: resolveDocsUrl(rule.docsUrl, values.docs?.baseUrl) }));
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ platform, rules }, null, 2)}\n`);
    return EXIT_OK;
  }
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  const severity = (s: string) => (lang === "zh" ? (SEVERITY_ZH[s] ?? s) : s);
  const width = Math.max(...rules.map((r) => severity(r.severity).length));
  const lines = rules.map((r) => `${r.id.padEnd(idWidth)}  ${severity(r.severity).padEnd(width)}  ${r.description}\n${" ".repeat(idWidth + width + 4)}${r.docsUrl}`);
  io.stdout.write(`${lang === "zh" ? "平台" : "platform"}: ${platform}\n\n${lines.join("\n")}\n`);
  return EXIT_OK;
}

/** `--print-config`: the effective config as YAML; a config that would stop a run stops this too. */
export async function runPrintConfigCommand(options: CliOptions, io: CliIo): Promise<number> {
  const config = await loadConfig(options, io);
  if (!config.ok) return printErrors(io, config.errors);
  const [regions, lexicon, packs] = await Promise.all([loadConfiguredRegions(config.value), loadConfiguredLexicon(config.value), loadRulePacks()]);
  const errors = [regions, lexicon, packs].flatMap((r) => (r.ok ? [] : r.errors));
  if (!regions.ok || !lexicon.ok || !packs.ok) return printErrors(io, errors);
  const values = config.value?.values ?? {};
  const platform = options.platform ?? values.platform ?? "taobao";
  const commandLine = {
    ...(options.platform ? { platform: options.platform } : {}),
    ...(options.lang ? { lang: options.lang } : {}),
    ...(options.failOn ? { failOn: options.failOn } : {}),
    ...(options.formats.length > 0 ? { format: options.formats } : {}),
    ...(options.templates ? { templates: options.templates } : {}),
  };
  const fromPackage = (file: string) => path.relative(PACKAGE_ROOT, file).split(path.sep).join("/");
  const rules = describeRules(packs.value, platform, runLang(io), values.rules ?? {}).map((rule) => ({
    id: rule.id,
    setting: rule.severity,
    options: packs.value.platforms[platform][rule.id]?.options ?? {},
  }));
  const settings = {
    remoteRegions: regions.value.remote.map((code) => regions.value.get(code)?.shortName ?? code),
    rules,
    files: {
      regions: fromPackage(BUILTIN_REGIONS_FILE),
      lexicon: fromPackage(BUILTIN_LEXICON_FILE),
      rulePack: fromPackage(path.join(BUILTIN_RULES_DIR, "packs", `${platform}.yaml`)),
      ruleTexts: fromPackage(path.join(BUILTIN_RULES_DIR, "rules.yaml")),
    },
    thresholds: {
      ...(options.maxWarnings === undefined ? {} : { maxWarnings: options.maxWarnings }),
      ...(options.maxProblems === undefined ? {} : { maxProblems: options.maxProblems }),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
    },
  };
  io.stdout.write(formatEffectiveConfig(config.value, commandLine, io.cwd, settings, runLang(io)));
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

const SEVERITY_ZH: Readonly<Record<string, string>> = { error: "错误", warning: "警告", info: "提示", off: "关闭" };

type Explanation = ReturnType<typeof explainText>;

const EXPLAIN_LABELS = {
  zh: { claims: "包邮宣称", scope: "范围", count: "件数", regions: "地区", excluded: "除外", condition: "条件", carrier: "快递", none: "无", disclosures: "运费说明", fee: "运费", vague: "（笼统）", buyerPays: "买家付邮", invoice: "发票" },
  en: { claims: "claims", scope: "scope", count: "count", regions: "regions", excluded: "excluded", condition: "condition", carrier: "carrier", none: "none", disclosures: "disclosures", fee: "fee", vague: "(vague)", buyerPays: "buyer pays", invoice: "invoice" },
} as const;

function formatExplanation(explained: Explanation, regions: RegionCatalogue, lang: Lang): string {
  const l = EXPLAIN_LABELS[lang];
  const names = (codes: readonly string[]) => (codes.length === 0 ? "—" : codes.map((c) => regions.get(c)?.shortName ?? c).join("、"));
  const span = (item: { text: string; start: number; end: number }) => `「${item.text}」 [${item.start}–${item.end}]`;
  const lines: string[] = [explained.text, ""];
  lines.push(`${l.claims} (${explained.claims.length})`);
  for (const c of explained.claims) {
    const condition = c.condition ? JSON.stringify(c.condition) : l.none;
    const count = c.count === undefined ? "" : ` ${l.count} ${c.count}`;
    lines.push(`  ${span(c)}  ${l.scope} ${c.scope}${count}`);
    if (c.regions.length > 0) lines.push(`    ${l.regions}: ${names(c.regions)}`);
    lines.push(`    ${l.excluded}: ${names(c.excluded)}  ${l.condition}: ${condition}  ${l.carrier}: ${c.carrier ?? l.none}`);
  }
  lines.push(`${l.disclosures} (${explained.disclosures.length})`);
  for (const d of explained.disclosures) {
    lines.push(`  ${span(d)}  ${l.regions}: ${names(d.regions)}${d.fee === null ? "" : `  ${l.fee} ¥${d.fee}`}${d.vague ? `  ${l.vague}` : ""}`);
  }
  lines.push(`${l.buyerPays} (${explained.buyerPays.length})`);
  for (const b of explained.buyerPays) lines.push(`  ${span(b)}  ${b.kind}`);
  lines.push(`${l.invoice} (${explained.invoice.length})`);
  for (const i of explained.invoice) lines.push(`  ${span(i)}  ${i.kind}`);
  return `${lines.join("\n")}\n`;
}

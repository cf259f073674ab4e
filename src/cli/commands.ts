import path from "node:path";
import { loadConfiguredLexicon } from "../audit.js";
import { loadConfiguredRegions, writeStarterConfig } from "../config/index.js";
import type { RegionCatalogue } from "../model.js";
import { describeRules } from "../rules/engine.js";
import { loadRulePacks } from "../rules/rule-packs.js";
import { explainText } from "../text/index.js";
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

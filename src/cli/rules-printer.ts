import type { Lang, Platform } from "../model.js";
import type { RuleDescriptor } from "../model.js";

const LABELS: Record<Lang, { platform: string; severity: Record<RuleDescriptor["severity"], string> }> = {
  zh: { platform: "平台", severity: { error: "错误", warning: "警告", info: "提示", off: "关闭" } },
  en: { platform: "platform", severity: { error: "error", warning: "warning", info: "info", off: "off" } },
};

/**
 * `listing-audit rules` without `--json`: each rule's id, severity on the platform and title, then its
 * description and docs link, indented under the title.
 */
export function formatRules(rules: readonly RuleDescriptor[], platform: Platform, lang: Lang): string {
  const labels = LABELS[lang];
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  const severityWidth = Math.max(...Object.values(labels.severity).map(displayWidth));
  const indent = " ".repeat(idWidth + 2 + severityWidth + 2);
  const blocks = rules.map((r) => {
    const severity = labels.severity[r.severity];
    const head = `${r.id.padEnd(idWidth)}  ${severity}${" ".repeat(severityWidth - displayWidth(severity))}  ${r.title}`;
    return `${head}\n${indent}${r.description}\n${indent}${r.docsUrl}`;
  });
  return `${labels.platform}: ${platform}\n\n${blocks.join("\n")}\n`;
}

/** Terminal columns: CJK characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\uffff]/.test(ch) ? 2 : 1;
  return width;
}

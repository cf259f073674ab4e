import type { Lang, RegionCatalogue } from "../model.js";
import type { explainText } from "../text/index.js";

type Explanation = ReturnType<typeof explainText>;
type ClaimView = Explanation["claims"][number];
type DisclosureView = Explanation["disclosures"][number];

/** The words of `explain`'s human output; `--json` keeps its keys in any language (docs/report-format.md). */
interface ExplainLabels {
  claims: string;
  disclosures: string;
  buyerPays: string;
  invoice: string;
  scope: string;
  scopes: Record<ClaimView["scope"], string>;
  count: (count: number) => string;
  regions: string;
  excluded: string;
  condition: string;
  carrier: string;
  none: string;
  minAmount: (amount: string) => string;
  minQuantity: (quantity: number) => string;
  unsupported: (text: string) => string;
  or: string;
  fee: (amount: string) => string;
  disclosureKinds: Record<DisclosureView["kind"], string>;
  vague: string;
  partial: string;
  footnote: string;
  buyerPaysKinds: Record<Explanation["buyerPays"][number]["kind"], string>;
  invoiceKinds: Record<Explanation["invoice"][number]["kind"], string>;
  separator: string;
  colon: string;
}

const LABELS: Record<Lang, ExplainLabels> = {
  zh: {
    claims: "包邮宣称",
    disclosures: "不包邮说明",
    buyerPays: "买家付邮",
    invoice: "发票",
    scope: "范围",
    scopes: { all: "全国", regions: "指定地区", partial: "部分省份", local: "本地（发货省份）" },
    count: (count) => `${count} 个省份`,
    regions: "地区",
    excluded: "排除",
    condition: "条件",
    carrier: "承运商",
    none: "无",
    minAmount: (amount) => `满¥${amount}`,
    minQuantity: (quantity) => `满 ${quantity} 件`,
    unsupported: (text) => `「${text}」（无法用运费模板表达）`,
    or: " 或 ",
    fee: (amount) => `运费 ¥${amount}`,
    disclosureKinds: { exclusion: "除外", surcharge: "补运费", "no-delivery": "不发货" },
    vague: "笼统说法",
    partial: "部分地区",
    footnote: "脚注",
    buyerPaysKinds: { "buyer-pays": "买家承担运费", negation: "不包邮" },
    invoiceKinds: { offer: "可开发票", refusal: "拒开发票", surcharge: "开票加价", limited: "有限开票" },
    separator: "、",
    colon: "：",
  },
  en: {
    claims: "claims",
    disclosures: "disclosures",
    buyerPays: "buyer pays",
    invoice: "invoice",
    scope: "scope",
    scopes: { all: "all", regions: "regions", partial: "partial", local: "local" },
    count: (count) => `${count} provinces`,
    regions: "regions",
    excluded: "excluded",
    condition: "condition",
    carrier: "carrier",
    none: "none",
    minAmount: (amount) => `¥${amount} or more`,
    minQuantity: (quantity) => `${quantity} items or more`,
    unsupported: (text) => `“${text}” (not expressible in a shipping template)`,
    or: " or ",
    fee: (amount) => `fee ¥${amount}`,
    disclosureKinds: { exclusion: "exclusion", surcharge: "surcharge", "no-delivery": "no delivery" },
    vague: "vague",
    partial: "part of the region",
    footnote: "footnote",
    buyerPaysKinds: { "buyer-pays": "buyer pays", negation: "not free" },
    invoiceKinds: { offer: "offer", refusal: "refusal", surcharge: "surcharge", limited: "limited" },
    separator: ", ",
    colon: ": ",
  },
};

/** `listing-audit explain` without `--json`: what the parser read, labelled in the run's language. */
export function formatExplanation(explained: Explanation, regions: RegionCatalogue, lang: Lang): string {
  const l = LABELS[lang];
  const names = (codes: readonly string[]) =>
    codes.length === 0 ? "—" : codes.map((c) => regions.get(c)?.shortName ?? c).join(l.separator);
  const span = (item: { text: string; start: number; end: number }) => `「${item.text}」 [${item.start}–${item.end}]`;
  const field = (label: string, value: string) => `${label}${l.colon}${value}`;
  const lines: string[] = [explained.text, ""];
  lines.push(`${l.claims} (${explained.claims.length})`);
  for (const c of explained.claims) {
    const scope = c.count === undefined ? l.scopes[c.scope] : `${l.scopes[c.scope]} ${l.count(c.count)}`;
    lines.push(`  ${span(c)}  ${field(l.scope, scope)}`);
    if (c.regions.length > 0) lines.push(`    ${field(l.regions, names(c.regions))}`);
    lines.push(
      `    ${[field(l.excluded, names(c.excluded)), field(l.condition, formatCondition(c.condition, l)), field(l.carrier, c.carrier ?? l.none)].join("  ")}`,
    );
  }
  const disclosures = explained.disclosures;
  lines.push(`${l.disclosures} (${disclosures.length})`);
  for (const d of disclosures) {
    const notes = [
      l.disclosureKinds[d.kind],
      ...partialNote(d.partial, l, names),
      ...(d.vague ? [l.vague] : []),
      ...(d.footnote ? [l.footnote] : []),
    ];
    const fee = d.fee === null ? "" : `  ${l.fee(formatYuan(d.fee))}`;
    lines.push(`  ${span(d)}  ${field(l.regions, names(d.regions))}${fee}  (${notes.join(l.separator)})`);
  }
  lines.push(`${l.buyerPays} (${explained.buyerPays.length})`);
  for (const b of explained.buyerPays) lines.push(`  ${span(b)}  ${l.buyerPaysKinds[b.kind]}`);
  lines.push(`${l.invoice} (${explained.invoice.length})`);
  for (const i of explained.invoice) lines.push(`  ${span(i)}  ${l.invoiceKinds[i.kind]}`);
  return `${lines.join("\n")}\n`;
}

/** 部分地区, naming the provinces when the explanation lists them (部分地区：甘肃). */
function partialNote(
  partial: DisclosureView["partial"],
  l: ExplainLabels,
  names: (codes: readonly string[]) => string,
): string[] {
  return partial !== undefined && partial.length > 0 ? [`${l.partial}${l.colon}${names(partial)}`] : [];
}

/** Either alternative meets the condition (see docs/semantics.md#conditions), so they are joined by 或. */
function formatCondition(condition: ClaimView["condition"], l: ExplainLabels): string {
  if (condition === null) return l.none;
  const parts: string[] = [];
  if (condition.minAmount !== undefined) parts.push(l.minAmount(formatYuan(condition.minAmount)));
  if (condition.minQuantity !== undefined) parts.push(l.minQuantity(condition.minQuantity));
  if (condition.unsupported !== undefined) parts.push(l.unsupported(condition.unsupported));
  // A condition of a shape this printer does not know yet is shown as data rather than dropped.
  return parts.length > 0 ? parts.join(l.or) : JSON.stringify(condition);
}

/** 99 → "99", 9.9 → "9.9". */
function formatYuan(amount: number): string {
  return String(Math.round(amount * 100) / 100);
}
